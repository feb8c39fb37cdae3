import type { Pool } from 'pg';
import { groupByOrg, type OrgWithFailures, type ResponseRecordStore } from '../ports/responseRecords';

/** Every statement of the response-record port on Postgres (migration 007); same meaning as SQLite's. */
const SQL = {
  withRecord: `SELECT response_id FROM responses
    WHERE account_id = $1 AND has_response_record AND response_id = ANY($2::text[])`,
  mark: `UPDATE responses SET has_response_record = true WHERE account_id = $1 AND response_id = ANY($2::text[])`,
  orgsDue: `SELECT c.org_id, c.account_id FROM connections c
    LEFT JOIN retry_request_polls p ON p.org_id = c.org_id
    WHERE c.status = 'connected' AND (p.polled_at IS NULL OR p.polled_at <= $1::timestamptz - make_interval(secs => $2::double precision / 1000))
      AND EXISTS (SELECT 1 FROM responses r WHERE r.account_id = c.account_id AND r.status = 'failed')
    ORDER BY p.polled_at NULLS FIRST, c.org_id, c.account_id`,
  takeTurn: `INSERT INTO retry_request_polls (org_id, polled_at) VALUES ($1, $2::timestamptz)
    ON CONFLICT (org_id) DO UPDATE SET polled_at = excluded.polled_at
      WHERE retry_request_polls.polled_at <= $2::timestamptz - make_interval(secs => $3::double precision / 1000)`,
} as const;

export class PgResponseRecordStore implements ResponseRecordStore {
  constructor(private readonly pool: Pool) {}

  async responsesWithRecord(accountId: string, responseIds: string[]): Promise<Set<string>> {
    if (responseIds.length === 0) return new Set();
    const { rows } = await this.pool.query<{ response_id: string }>(SQL.withRecord, [accountId, responseIds]);
    return new Set(rows.map((r) => r.response_id));
  }

  async markResponseRecords(accountId: string, responseIds: string[]): Promise<void> {
    if (responseIds.length > 0) await this.pool.query(SQL.mark, [accountId, responseIds]);
  }

  async orgsDueForRetryPoll(now: Date, intervalMs: number, limit: number): Promise<OrgWithFailures[]> {
    const { rows } = await this.pool.query<{ org_id: string; account_id: string }>(SQL.orgsDue, [now, intervalMs]);
    return groupByOrg(rows, limit);
  }

  async takeRetryPollTurn(orgId: string, now: Date, intervalMs: number): Promise<boolean> {
    return ((await this.pool.query(SQL.takeTurn, [orgId, now, intervalMs])).rowCount ?? 0) === 1;
  }
}
