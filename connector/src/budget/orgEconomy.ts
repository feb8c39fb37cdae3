import type { Connection } from 'jsforce';
import type { Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';
import type { OrgSettings, OrgSettingsCache } from '../orgSettings/orgSettings';
import { classifySalesforceError, HOLD_CODES, requestLimitKind } from '../salesforce/errors';
import { utcDay, type HoldReason, type UsageStore } from '../store/ports/usage';
import type { CallMeter } from './callMeter';
import { DEFAULT_CALL_TIMEOUT_MS } from '../salesforce/calls';
import { upsertUsageRecord } from './usageRecord';

/** The hold an outcome or classified error stands for (no side effect): the meter's hold codes,
 *  and "TotalRequests Limit exceeded." as ORG_API_LIMIT (SPEC §2: a spent allocation is held the
 *  same way as the headroom). */
export function holdReasonOf(e: { code: string; message: string }): HoldReason | undefined {
  if (HOLD_CODES.has(e.code)) return e.code as HoldReason;
  return requestLimitKind(e.code, e.message) === 'total' ? 'ORG_API_LIMIT' : undefined;
}

/** While held by its budget, an org's settings are re-read at most this often (SPEC §2). */
export const SETTINGS_RECHECK_MS = 5 * 60_000;
/** While over its headroom (or its allocation spent), one probe call at most this often (SPEC §2, §7). */
export const HEADROOM_PROBE_MS = 15 * 60_000;
/** CredSpark_Usage__c is brought up to date at least this often while calls are made (SPEC §3b). */
export const USAGE_RECORD_MS = 15 * 60_000;

export interface OrgContext {
  conn: Connection;
  orgId: string;
  accountId: string;
  namespace: string;
  log: Logger;
  metrics: Metrics;
}

export type Admission = { ok: true; settings: OrgSettings } | { ok: false; reason: HoldReason; until: Date };

export interface OrgEconomyDeps {
  /** How long one settings read, probe or usage upsert may take (salesforce/calls.ts). */
  callTimeoutMs?: number;
  meter: CallMeter;
  settings: OrgSettingsCache;
  usage: UsageStore;
  clock?: () => Date;
}

/**
 * The org-level API policy the worker applies around each batch (SPEC §2 "API budget"):
 * - budget: at most Daily_API_Budget__c calls per UTC day (counted by the CallMeter in the store);
 *   once spent, the org is held (API_BUDGET) until the next UTC day, and every 5 minutes one
 *   instance re-reads the settings (the only calls beyond the cap) so a raised cap takes effect;
 * - headroom: once an answer's Sforce-Limit-Info shows the org's allocation used beyond
 *   Max_Org_API_Usage_Percent__c — or a call was refused "TotalRequests Limit exceeded." — the org
 *   is held (ORG_API_LIMIT); one instance probes with one call (GET /limits, REST API Developer
 *   Guide "Limits") at most every 15 minutes, and sync resumes when the org has room again;
 * - usage record: CredSpark_Usage__c for the day upserted at most every 15 minutes while calls are
 *   made for the org (one extra call each time, itself counted).
 * Holds are org pauses with a reason in the store, so every instance honours them.
 */
export class OrgEconomy {
  private readonly clock: () => Date;

  constructor(private readonly deps: OrgEconomyDeps) {
    this.clock = deps.clock ?? (() => new Date());
  }

  /** Before a batch: may the org be called now? Makes at most one call for a held org. */
  async admit(worker: OrgContext): Promise<Admission> {
    const { meter, settings, usage } = this.deps;
    const ctx = this.withTimeout(worker);
    const now = this.clock();
    const report = await usage.orgReport(ctx.orgId);
    if (report) meter.noteReading(ctx.orgId, report.used, report.max, report.reportedAt.getTime());
    try {
      // Headroom first: while over it the meter lets no call through but the probe (settings too).
      if (meter.overHeadroom(ctx.orgId)) {
        if (!(await usage.claimOrgCheck(ctx.orgId, 'probe', now, HEADROOM_PROBE_MS))) {
          return this.held('ORG_API_LIMIT', now);
        }
        await meter.run({ probe: true }, () => this.probe(ctx));
        if (meter.overHeadroom(ctx.orgId)) return this.held('ORG_API_LIMIT', now);
        ctx.log.info({ orgId: ctx.orgId }, "org's API allocation has room again: sync resumes");
      }
      // Budget: spent by the newest cap read → only the 5-minute settings re-read may call.
      const cap = await this.knownBudget(ctx);
      const spent = cap !== null ? (await usage.dayUsage(ctx.orgId, utcDay(now))).apiCalls : 0;
      if (cap !== null && spent >= cap) {
        if (!(await usage.claimOrgCheck(ctx.orgId, 'settings', now, SETTINGS_RECHECK_MS))) {
          return this.held('API_BUDGET', now);
        }
        const reread = await meter.run({ beyondCap: true }, () => settings.reload(ctx));
        const raised = await this.knownBudget(ctx);
        if (raised !== null && spent + 1 >= raised) return this.held('API_BUDGET', now);
        ctx.log.info({ orgId: ctx.orgId, budget: raised }, 'daily API budget raised: sync resumes');
        return { ok: true, settings: reread };
      }
      const current = await settings.get(ctx);
      await this.knownBudget(ctx);
      return { ok: true, settings: current };
    } catch (err) {
      const hold = this.holdFor(ctx.orgId, classifySalesforceError(err));
      if (hold) return this.held(hold, now);
      throw err;
    }
  }

  /**
   * The hold a batch outcome (or classified error) calls for: API_BUDGET / ORG_API_LIMIT from the
   * CallMeter, ORG_API_LIMIT for "TotalRequests Limit exceeded." (the org's allocation is spent: the
   * reading is set to full so that the next batch probes first). undefined: not a hold.
   */
  holdFor(orgId: string, e: { code: string; message: string }): HoldReason | undefined {
    const reason = holdReasonOf(e);
    if (reason !== 'ORG_API_LIMIT' || HOLD_CODES.has(e.code)) return reason;
    const max = this.deps.meter.reading(orgId)?.max ?? 1;
    this.deps.meter.noteReading(orgId, max, max, this.clock().getTime());
    return 'ORG_API_LIMIT';
  }

  /**
   * The newest Daily_API_Budget__c read by any instance: this instance's cached read or the one in
   * the store, whichever is newer (the newer is written back), handed to the meter's gate. So a
   * cap raised and re-read by one instance is honoured by all at once, not after their caches expire.
   */
  private async knownBudget(ctx: OrgContext): Promise<number | null> {
    const { usage, settings, meter } = this.deps;
    const stored = await usage.budget(ctx.orgId);
    const local = settings.peek(ctx.orgId, ctx.namespace);
    const localAt = settings.loadedAt(ctx.orgId, ctx.namespace);
    let cap: number | null;
    if (local && localAt !== undefined && (!stored || stored.readAt.getTime() < localAt)) {
      cap = local.dailyApiBudget;
      await usage.recordBudget(ctx.orgId, cap, new Date(localAt));
    } else cap = stored ? stored.budget : null;
    meter.setBudget(ctx.orgId, cap);
    return cap;
  }

  private withTimeout(ctx: OrgContext): OrgContext & { callTimeoutMs: number } {
    return { ...ctx, callTimeoutMs: this.deps.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS };
  }

  /** How long a hold lasts before an instance looks again. */
  holdUntil(reason: HoldReason, now = this.clock()): Date {
    if (reason === 'ORG_API_LIMIT') return new Date(now.getTime() + HEADROOM_PROBE_MS);
    const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1);
    return new Date(Math.min(midnight, now.getTime() + SETTINGS_RECHECK_MS));
  }

  /** A hold starting now: its probe turn is taken now, so the next probe is 15 minutes away. */
  async startHold(orgId: string, reason: HoldReason): Promise<void> {
    const now = this.clock();
    if (reason === 'ORG_API_LIMIT') await this.deps.usage.claimOrgCheck(orgId, 'probe', now, 0);
    await this.saveReading(orgId);
  }

  /** After a batch: the org's reading and the outcomes in the store; the usage record when due. */
  async afterBatch(ctx: OrgContext, synced: number, failed: number): Promise<void> {
    const { usage } = this.deps;
    const now = this.clock();
    const day = utcDay(now);
    await this.saveReading(ctx.orgId);
    await usage.countOutcomes(ctx.orgId, day, synced, failed);
    if (await usage.claimOrgCheck(ctx.orgId, 'usageRecord', now, USAGE_RECORD_MS)) {
      try {
        await upsertUsageRecord(this.withTimeout(ctx), day, await usage.dayUsage(ctx.orgId, day));
      } catch (err) {
        const c = classifySalesforceError(err);
        ctx.log.warn({ orgId: ctx.orgId, code: c.code }, 'CredSpark_Usage__c not brought up to date');
      }
    }
  }

  /** The org's reading as this instance knows it, for every instance (usage route, headroom). */
  private async saveReading(orgId: string): Promise<void> {
    const r = this.deps.meter.reading(orgId);
    if (r) await this.deps.usage.recordOrgReport(orgId, r.used, r.max, new Date(r.at));
  }

  /** GET /limits: one call; its Sforce-Limit-Info header (read by the meter) and DailyApiRequests. */
  private async probe(ctx: OrgContext): Promise<void> {
    const body = await ctx.conn.request<Record<string, { Max?: number; Remaining?: number }>>('/limits');
    const daily = body?.DailyApiRequests;
    if (daily && typeof daily.Max === 'number' && typeof daily.Remaining === 'number' && daily.Max > 0) {
      this.deps.meter.noteReading(ctx.orgId, daily.Max - daily.Remaining, daily.Max, this.clock().getTime());
    }
  }

  private held(reason: HoldReason, now: Date): Admission {
    return { ok: false, reason, until: this.holdUntil(reason, now) };
  }
}
