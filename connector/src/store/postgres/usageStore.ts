import type { Pool } from 'pg';
import type { AccountWait, DayUsage, HoldReason, OrgApiReport, OrgCheck, UsageStore } from '../ports/usage';
import { ORG_CHECK_COLUMN, placeAll, SHARED_USAGE_SQL } from '../sharedSql';

/** The order PgUsageStore passes each shared statement's values in ($1, $2, …). */
const ORDER: { [K in keyof typeof SHARED_USAGE_SQL]: readonly string[] } = {
  addApiCalls: ['orgId', 'day', 'n'],
  countOutcomes: ['orgId', 'day', 'synced', 'failed'],
  dayUsage: ['orgId', 'day'],
  recordOrgReport: ['orgId', 'used', 'max', 'at'],
  orgReport: ['orgId'],
  recordBudget: ['orgId', 'budget', 'at'],
  budget: ['orgId'],
  orgWait: ['accountId', 'now'],
  accountWait: ['accountId', 'now'],
  heldCounts: ['now'],
};

/** The usage port on Postgres: the shared statements (../sharedSql.ts) and those needing its idioms
 *  (casts where a parameter's type cannot be inferred, arrays); same meaning as SQLite's. */
const SQL = {
  ...placeAll(SHARED_USAGE_SQL, ORDER),
  takeApiCall: `INSERT INTO org_api_usage (org_id, day, api_calls) VALUES ($1, $2, 1)
    ON CONFLICT (org_id, day) DO UPDATE SET api_calls = org_api_usage.api_calls + 1
      WHERE $3::integer IS NULL OR org_api_usage.api_calls < $3::integer
    RETURNING api_calls`,
  holdOrg: `INSERT INTO org_pauses (org_id, paused_until, reason)
    SELECT c.org_id, $3::timestamptz, $4 FROM connections c WHERE c.account_id = $1 AND EXISTS (SELECT 1 FROM responses
      WHERE account_id = $1 AND status = 'queued' AND lease_owner = $2)
    ON CONFLICT (org_id) DO UPDATE SET paused_until = excluded.paused_until, reason = excluded.reason`,
  release: `UPDATE responses SET lease_owner = NULL, lease_expires_at = NULL
    WHERE account_id = $1 AND response_id = ANY($3::text[]) AND lease_owner = $2 AND status = 'queued'`,
} as const;

function claimSql(column: string): string {
  return `INSERT INTO org_api_state (org_id, ${column}) VALUES ($1, $2)
    ON CONFLICT (org_id) DO UPDATE SET ${column} = excluded.${column}
      WHERE org_api_state.${column} IS NULL OR org_api_state.${column} <= $2::timestamptz - make_interval(secs => $3::double precision / 1000)`;
}

type Row = Record<string, unknown>;

export class PgUsageStore implements UsageStore {
  constructor(private readonly pool: Pool) {}

  async takeApiCall(orgId: string, day: string, cap: number | null): Promise<number | null> {
    const r = await this.pool.query(SQL.takeApiCall, [orgId, day, cap]);
    return r.rows[0] ? Number((r.rows[0] as Row).api_calls) : null;
  }

  async addApiCalls(orgId: string, day: string, n: number): Promise<number> {
    const r = await this.pool.query(SQL.addApiCalls, [orgId, day, n]);
    return Number((r.rows[0] as Row).api_calls);
  }

  async countOutcomes(orgId: string, day: string, synced: number, failed: number): Promise<void> {
    if (synced + failed > 0) await this.pool.query(SQL.countOutcomes, [orgId, day, synced, failed]);
  }

  async dayUsage(orgId: string, day: string): Promise<DayUsage> {
    const row = (await this.pool.query(SQL.dayUsage, [orgId, day])).rows[0] as Row | undefined;
    return {
      apiCalls: Number(row?.api_calls ?? 0),
      synced: Number(row?.synced ?? 0),
      failed: Number(row?.failed ?? 0),
    };
  }

  async recordOrgReport(orgId: string, used: number, max: number, at: Date): Promise<void> {
    await this.pool.query(SQL.recordOrgReport, [orgId, used, max, at]);
  }

  async orgReport(orgId: string): Promise<OrgApiReport | undefined> {
    const row = (await this.pool.query(SQL.orgReport, [orgId])).rows[0] as Row | undefined;
    if (!row || row.org_api_used === null || row.org_api_max === null) return undefined;
    return { used: Number(row.org_api_used), max: Number(row.org_api_max), reportedAt: row.reported_at as Date };
  }

  async recordBudget(orgId: string, budget: number | null, at: Date): Promise<void> {
    await this.pool.query(SQL.recordBudget, [orgId, budget, at]);
  }

  async budget(orgId: string): Promise<{ budget: number | null; readAt: Date } | undefined> {
    const row = (await this.pool.query(SQL.budget, [orgId])).rows[0] as Row | undefined;
    return row
      ? {
          budget: row.daily_api_budget === null ? null : Number(row.daily_api_budget),
          readAt: row.budget_read_at as Date,
        }
      : undefined;
  }

  async claimOrgCheck(orgId: string, check: OrgCheck, now: Date, intervalMs: number): Promise<boolean> {
    return (await this.pool.query(claimSql(ORG_CHECK_COLUMN[check]), [orgId, now, intervalMs])).rowCount === 1;
  }

  async holdOrg(accountId: string, owner: string, until: Date, reason: HoldReason): Promise<boolean> {
    return (await this.pool.query(SQL.holdOrg, [accountId, owner, until, reason])).rowCount === 1;
  }

  async releaseResponses(accountId: string, owner: string, responseIds: string[]): Promise<number> {
    if (responseIds.length === 0) return 0;
    return (await this.pool.query(SQL.release, [accountId, owner, responseIds])).rowCount ?? 0;
  }

  async heldCounts(now: Date): Promise<Record<HoldReason | 'BACKOFF', number>> {
    const out = { API_BUDGET: 0, ORG_API_LIMIT: 0, BACKOFF: 0 };
    for (const row of (await this.pool.query(SQL.heldCounts, [now])).rows as Row[]) {
      out[row.reason as keyof typeof out] = Number(row.n);
    }
    return out;
  }

  async accountWait(accountId: string, now: Date): Promise<AccountWait> {
    const [org, acc] = await Promise.all([
      this.pool.query(SQL.orgWait, [accountId, now]),
      this.pool.query(SQL.accountWait, [accountId, now]),
    ]);
    const o = org.rows[0] as Row | undefined;
    const a = acc.rows[0] as Row | undefined;
    return {
      ...(o ? { org: { reason: (o.reason as HoldReason | null) ?? null, until: o.paused_until as Date } } : {}),
      ...(a ? { accountPausedUntil: a.paused_until as Date } : {}),
    };
  }
}
