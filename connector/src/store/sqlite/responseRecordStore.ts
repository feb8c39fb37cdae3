import type Database from 'better-sqlite3';
import { groupByOrg, type OrgWithFailures, type ResponseRecordStore } from '../ports/responseRecords';

/** Every statement of the response-record port on SQLite (times in epoch ms; migration 007). */
const SQL = {
  withRecord: `SELECT response_id FROM responses
    WHERE account_id = @accountId AND has_response_record = 1 AND response_id IN (SELECT value FROM json_each(@ids))`,
  mark: `UPDATE responses SET has_response_record = 1
    WHERE account_id = @accountId AND response_id IN (SELECT value FROM json_each(@ids))`,
  orgsDue: `SELECT c.org_id, c.account_id, p.polled_at FROM connections c
    LEFT JOIN retry_request_polls p ON p.org_id = c.org_id
    WHERE c.status = 'connected' AND (p.polled_at IS NULL OR p.polled_at <= @now - @intervalMs)
      AND EXISTS (SELECT 1 FROM responses r WHERE r.account_id = c.account_id AND r.status = 'failed')
    ORDER BY COALESCE(p.polled_at, 0), c.org_id, c.account_id`,
  takeTurn: `INSERT INTO retry_request_polls (org_id, polled_at) VALUES (@orgId, @now)
    ON CONFLICT (org_id) DO UPDATE SET polled_at = excluded.polled_at
      WHERE retry_request_polls.polled_at <= @now - @intervalMs`,
} as const;

export class SqliteResponseRecordStore implements ResponseRecordStore {
  private readonly stmts: { [K in keyof typeof SQL]: Database.Statement };

  constructor(db: Database.Database) {
    this.stmts = Object.fromEntries(
      Object.entries(SQL).map(([k, sql]) => [k, db.prepare(sql)]),
    ) as SqliteResponseRecordStore['stmts'];
  }

  async responsesWithRecord(accountId: string, responseIds: string[]): Promise<Set<string>> {
    if (responseIds.length === 0) return new Set();
    const rows = this.stmts.withRecord.all({ accountId, ids: JSON.stringify(responseIds) }) as {
      response_id: string;
    }[];
    return new Set(rows.map((r) => r.response_id));
  }

  async markResponseRecords(accountId: string, responseIds: string[]): Promise<void> {
    if (responseIds.length > 0) this.stmts.mark.run({ accountId, ids: JSON.stringify(responseIds) });
  }

  async orgsDueForRetryPoll(now: Date, intervalMs: number, limit: number): Promise<OrgWithFailures[]> {
    const rows = this.stmts.orgsDue.all({ now: now.getTime(), intervalMs }) as { org_id: string; account_id: string }[];
    return groupByOrg(rows, limit);
  }

  async takeRetryPollTurn(orgId: string, now: Date, intervalMs: number): Promise<boolean> {
    return this.stmts.takeTurn.run({ orgId, now: now.getTime(), intervalMs }).changes === 1;
  }
}
