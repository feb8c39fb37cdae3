import type { Connection } from 'jsforce';
import type { Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';
import type { OrgSettings, OrgSettingsCache } from '../orgSettings/orgSettings';
import { classifySalesforceError, HOLD_CODES, requestLimitKind } from '../salesforce/errors';
import { utcDay, type HoldReason, type UsageStore } from '../store/ports/usage';
import type { CallMeter } from './callMeter';
import { DEFAULT_CALL_TIMEOUT_MS } from '../salesforce/calls';
import type { SyncContext } from '../sync/types';
import { upsertUsageRecord, usageRecordSubrequest } from './usageRecord';

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
/** CredSpark_Usage__c is brought up to date at least this often while batches run (SPEC §3b): by a
 *  call of its own when no batch write carried it for this long. */
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
 * - usage record: CredSpark_Usage__c for the day rides in each batch's write call (usageRider: a
 *   subrequest of the composite, no call of its own); only when no batch write carried it for 15
 *   minutes does a batch upsert it with a call of its own (SPEC §3b).
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
      const { cap, readAt } = await this.knownBudget(ctx);
      const spent = cap !== null ? (await usage.dayUsage(ctx.orgId, utcDay(now))).apiCalls : 0;
      if (cap !== null && spent >= cap) {
        // A cap read less than 5 minutes ago is current enough: the budget was just spent, not
        // raised. Else one instance re-reads it, at most every 5 minutes.
        const recent = readAt !== undefined && now.getTime() - readAt < SETTINGS_RECHECK_MS;
        if (recent || !(await usage.claimOrgCheck(ctx.orgId, 'settings', now, SETTINGS_RECHECK_MS))) {
          return this.held('API_BUDGET', now);
        }
        const reread = await meter.run({ beyondCap: true }, () => settings.reload(ctx));
        const { cap: raised } = await this.knownBudget(ctx);
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
   * The newest Daily_API_Budget__c read by any instance (and when it was read): this instance's
   * cached read or the one in the store, whichever is newer (the newer is written back), handed to
   * the meter's gate. So a
   * cap raised and re-read by one instance is honoured by all at once, not after their caches expire.
   */
  private async knownBudget(ctx: OrgContext): Promise<{ cap: number | null; readAt?: number }> {
    const { usage, settings, meter } = this.deps;
    const stored = await usage.budget(ctx.orgId);
    const local = settings.peek(ctx.orgId, ctx.namespace);
    const localAt = settings.loadedAt(ctx.orgId, ctx.namespace);
    let known: { cap: number | null; readAt?: number };
    if (local && localAt !== undefined && (!stored || stored.readAt.getTime() < localAt)) {
      known = { cap: local.dailyApiBudget, readAt: localAt };
      await usage.recordBudget(ctx.orgId, known.cap, new Date(localAt));
    } else known = stored ? { cap: stored.budget, readAt: stored.readAt.getTime() } : { cap: null };
    meter.setBudget(ctx.orgId, known.cap);
    return known;
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

  /**
   * The day's usage record for the batch's SyncContext.followUps: it rides in the batch's write call
   * (sync/followUps.ts), showing the day's calls up to and including that call, and the outcomes
   * recorded before this batch (this batch's own show with the next write). `written()`: Salesforce
   * took it. A batch that sends no write carries nothing (afterBatch then decides).
   */
  async usageRider(
    ctx: OrgContext,
  ): Promise<{ followUps: NonNullable<SyncContext['followUps']>; written: () => boolean }> {
    const day = utcDay(this.clock());
    const before = await this.deps.usage.dayUsage(ctx.orgId, day);
    let written = false;
    return {
      followUps: (_outcomes, ref) => {
        // Built just before the write call is sent: every call counted so far, plus that one.
        const apiCalls = Math.max(before.apiCalls, this.deps.meter.dayCount(ctx.orgId, day)) + 1;
        const sub = usageRecordSubrequest(ctx.namespace, day, { ...before, apiCalls }, ref('usage'), (ok) => {
          written = ok;
        });
        return [[sub]];
      },
      written: () => written,
    };
  }

  /**
   * After a batch: the org's reading and the outcomes in the store, and the usage record. A batch
   * whose write carried it (`usageWritten`) restarts the 15-minute turn; otherwise — the batch wrote
   * nothing (every response skipped or failed before writing), or its write failed — a call of its
   * own brings the record up to date once that turn is due. The only standalone upsert left: it
   * keeps the record current while batches run without writes. A held org makes none in effect (the
   * meter refuses it like any call beyond the budget or the headroom).
   */
  async afterBatch(ctx: OrgContext, synced: number, failed: number, usageWritten = false): Promise<void> {
    const { usage } = this.deps;
    const now = this.clock();
    const day = utcDay(now);
    await this.saveReading(ctx.orgId);
    await usage.countOutcomes(ctx.orgId, day, synced, failed);
    if (usageWritten) {
      await usage.claimOrgCheck(ctx.orgId, 'usageRecord', now, 0);
      return;
    }
    if (await usage.claimOrgCheck(ctx.orgId, 'usageRecord', now, USAGE_RECORD_MS)) {
      try {
        const current = await usage.dayUsage(ctx.orgId, day);
        await upsertUsageRecord(this.withTimeout(ctx), day, { ...current, apiCalls: current.apiCalls + 1 });
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
