import type Database from 'better-sqlite3';
import type { AccountWait, DayUsage, HoldReason, OrgApiReport, OrgCheck, UsageStore } from '../ports/usage';
import { ORG_CHECK_COLUMN, SHARED_USAGE_SQL } from '../sharedSql';

/** The usage port on SQLite (times in epoch ms): the shared statements (../sharedSql.ts) and its own. */
const SQL = {
  ...SHARED_USAGE_SQL,
  // Counted only below the cap: the check and the increment are one statement, so two processes
  // on one file cannot both take the last call.
  takeApiCall: `INSERT INTO org_api_usage (org_id, day, api_calls) VALUES (@orgId, @day, 1)
    ON CONFLICT (org_id, day) DO UPDATE SET api_calls = org_api_usage.api_calls + 1
      WHERE @cap IS NULL OR org_api_usage.api_calls < @cap
    RETURNING api_calls`,
  holdOrg: `INSERT INTO org_pauses (org_id, paused_until, reason)
    SELECT c.org_id, @until, @reason FROM connections c WHERE c.account_id = @accountId AND EXISTS (SELECT 1 FROM responses
      WHERE account_id = @accountId AND status = 'queued' AND lease_owner = @owner)
    ON CONFLICT (org_id) DO UPDATE SET paused_until = excluded.paused_until, reason = excluded.reason`,
  release: `UPDATE responses SET lease_owner = NULL, lease_expires_at = NULL
    WHERE account_id = @accountId AND response_id = @responseId AND lease_owner = @owner AND status = 'queued'`,
} as const;

function claimSql(column: string): string {
  return `INSERT INTO org_api_state (org_id, ${column}) VALUES (@orgId, @now)
    ON CONFLICT (org_id) DO UPDATE SET ${column} = excluded.${column}
      WHERE org_api_state.${column} IS NULL OR org_api_state.${column} <= @now - @intervalMs`;
}

type Row = Record<string, unknown>;

export class SqliteUsageStore implements UsageStore {
  private readonly stmts: { [K in keyof typeof SQL]: Database.Statement };
  private readonly claims: Record<OrgCheck, Database.Statement>;

  constructor(private readonly db: Database.Database) {
    this.stmts = Object.fromEntries(
      Object.entries(SQL).map(([k, sql]) => [k, db.prepare(sql)]),
    ) as SqliteUsageStore['stmts'];
    this.claims = Object.fromEntries(
      Object.entries(ORG_CHECK_COLUMN).map(([k, col]) => [k, db.prepare(claimSql(col))]),
    ) as Record<OrgCheck, Database.Statement>;
  }

  async takeApiCall(orgId: string, day: string, cap: number | null): Promise<number | null> {
    const row = this.stmts.takeApiCall.get({ orgId, day, cap }) as Row | undefined;
    return row ? Number(row.api_calls) : null;
  }

  async addApiCalls(orgId: string, day: string, n: number): Promise<number> {
    return Number((this.stmts.addApiCalls.get({ orgId, day, n }) as Row).api_calls);
  }

  async countOutcomes(orgId: string, day: string, synced: number, failed: number): Promise<void> {
    if (synced + failed > 0) this.stmts.countOutcomes.run({ orgId, day, synced, failed });
  }

  async dayUsage(orgId: string, day: string): Promise<DayUsage> {
    const row = this.stmts.dayUsage.get({ orgId, day }) as Row | undefined;
    return {
      apiCalls: Number(row?.api_calls ?? 0),
      synced: Number(row?.synced ?? 0),
      failed: Number(row?.failed ?? 0),
    };
  }

  async recordOrgReport(orgId: string, used: number, max: number, at: Date): Promise<void> {
    this.stmts.recordOrgReport.run({ orgId, used, max, at: at.getTime() });
  }

  async orgReport(orgId: string): Promise<OrgApiReport | undefined> {
    const row = this.stmts.orgReport.get({ orgId }) as Row | undefined;
    if (!row || row.org_api_used === null || row.org_api_max === null) return undefined;
    return {
      used: Number(row.org_api_used),
      max: Number(row.org_api_max),
      reportedAt: new Date(Number(row.reported_at)),
    };
  }

  async recordBudget(orgId: string, budget: number | null, at: Date): Promise<void> {
    this.stmts.recordBudget.run({ orgId, budget, at: at.getTime() });
  }

  async budget(orgId: string): Promise<{ budget: number | null; readAt: Date } | undefined> {
    const row = this.stmts.budget.get({ orgId }) as Row | undefined;
    return row
      ? {
          budget: row.daily_api_budget === null ? null : Number(row.daily_api_budget),
          readAt: new Date(Number(row.budget_read_at)),
        }
      : undefined;
  }

  async claimOrgCheck(orgId: string, check: OrgCheck, now: Date, intervalMs: number): Promise<boolean> {
    return this.claims[check].run({ orgId, now: now.getTime(), intervalMs }).changes === 1;
  }

  async holdOrg(accountId: string, owner: string, until: Date, reason: HoldReason): Promise<boolean> {
    return this.stmts.holdOrg.run({ accountId, owner, until: until.getTime(), reason }).changes === 1;
  }

  async releaseResponses(accountId: string, owner: string, responseIds: string[]): Promise<number> {
    return this.db.transaction(() =>
      responseIds.reduce((n, responseId) => n + this.stmts.release.run({ accountId, owner, responseId }).changes, 0),
    )();
  }

  async heldCounts(now: Date): Promise<Record<HoldReason | 'BACKOFF', number>> {
    const out = { API_BUDGET: 0, ORG_API_LIMIT: 0, BACKOFF: 0 };
    for (const row of this.stmts.heldCounts.all({ now: now.getTime() }) as Row[]) {
      out[row.reason as keyof typeof out] = Number(row.n);
    }
    return out;
  }

  async accountWait(accountId: string, now: Date): Promise<AccountWait> {
    const org = this.stmts.orgWait.get({ accountId, now: now.getTime() }) as Row | undefined;
    const acc = this.stmts.accountWait.get({ accountId, now: now.getTime() }) as Row | undefined;
    return {
      ...(org
        ? {
            org: {
              reason: (org.reason as HoldReason | null) ?? null,
              until: new Date(Number(org.paused_until)),
            },
          }
        : {}),
      ...(acc ? { accountPausedUntil: new Date(Number(acc.paused_until)) } : {}),
    };
  }
}
