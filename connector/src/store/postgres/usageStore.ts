import type { Pool } from 'pg';
import type { AccountWait, DayUsage, HoldReason, OrgApiReport, OrgCheck, UsageStore } from '../ports/usage';

/** Every statement of the usage port on Postgres (migration 006); same meaning as SQLite's. */
const SQL = {
  takeApiCall: `INSERT INTO org_api_usage (org_id, day, api_calls) VALUES ($1, $2, 1)
    ON CONFLICT (org_id, day) DO UPDATE SET api_calls = org_api_usage.api_calls + 1
      WHERE $3::integer IS NULL OR org_api_usage.api_calls < $3::integer
    RETURNING api_calls`,
  addApiCalls: `INSERT INTO org_api_usage (org_id, day, api_calls) VALUES ($1, $2, $3)
    ON CONFLICT (org_id, day) DO UPDATE SET api_calls = org_api_usage.api_calls + excluded.api_calls
    RETURNING api_calls`,
  countOutcomes: `INSERT INTO org_api_usage (org_id, day, synced, failed) VALUES ($1, $2, $3, $4)
    ON CONFLICT (org_id, day) DO UPDATE SET synced = org_api_usage.synced + excluded.synced,
      failed = org_api_usage.failed + excluded.failed`,
  dayUsage: `SELECT api_calls, synced, failed FROM org_api_usage WHERE org_id = $1 AND day = $2`,
  recordOrgReport: `INSERT INTO org_api_state (org_id, org_api_used, org_api_max, reported_at) VALUES ($1, $2, $3, $4)
    ON CONFLICT (org_id) DO UPDATE SET org_api_used = excluded.org_api_used, org_api_max = excluded.org_api_max,
      reported_at = excluded.reported_at WHERE org_api_state.reported_at IS NULL OR org_api_state.reported_at <= excluded.reported_at`,
  orgReport: `SELECT org_api_used, org_api_max, reported_at FROM org_api_state WHERE org_id = $1 AND reported_at IS NOT NULL`,
  recordBudget: `INSERT INTO org_api_state (org_id, daily_api_budget, budget_read_at) VALUES ($1, $2, $3)
    ON CONFLICT (org_id) DO UPDATE SET daily_api_budget = excluded.daily_api_budget, budget_read_at = excluded.budget_read_at
      WHERE org_api_state.budget_read_at IS NULL OR org_api_state.budget_read_at <= excluded.budget_read_at`,
  budget: `SELECT daily_api_budget, budget_read_at FROM org_api_state WHERE org_id = $1 AND budget_read_at IS NOT NULL`,
  holdOrg: `INSERT INTO org_pauses (org_id, paused_until, reason)
    SELECT c.org_id, $3::timestamptz, $4 FROM connections c WHERE c.account_id = $1 AND EXISTS (SELECT 1 FROM responses
      WHERE account_id = $1 AND status = 'queued' AND lease_owner = $2)
    ON CONFLICT (org_id) DO UPDATE SET paused_until = excluded.paused_until, reason = excluded.reason`,
  release: `UPDATE responses SET lease_owner = NULL, lease_expires_at = NULL
    WHERE account_id = $1 AND response_id = ANY($3::text[]) AND lease_owner = $2 AND status = 'queued'`,
  orgWait: `SELECT op.reason, op.paused_until FROM connections c JOIN org_pauses op ON op.org_id = c.org_id
    WHERE c.account_id = $1 AND op.paused_until > $2`,
  accountWait: `SELECT paused_until FROM account_pauses WHERE account_id = $1 AND paused_until > $2`,
  heldCounts: `SELECT COALESCE(op.reason, 'BACKOFF') AS reason, COUNT(*) AS n FROM responses r
      LEFT JOIN connections c ON c.account_id = r.account_id
      LEFT JOIN org_pauses op ON op.org_id = c.org_id AND op.paused_until > $1
      LEFT JOIN account_pauses ap ON ap.account_id = r.account_id AND ap.paused_until > $1
    WHERE r.status = 'queued' AND (op.org_id IS NOT NULL OR ap.account_id IS NOT NULL OR r.next_attempt_at > $1)
    GROUP BY 1`,
} as const;

const CHECK_COLUMN: Record<OrgCheck, string> = {
  settings: 'settings_check_at',
  probe: 'probe_at',
  usageRecord: 'usage_record_at',
};

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
    return (await this.pool.query(claimSql(CHECK_COLUMN[check]), [orgId, now, intervalMs])).rowCount === 1;
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
