import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Connection } from 'jsforce';
import type { WorkerConfig } from '../config/appConfig';
import type { CallMeter } from '../budget/callMeter';
import { holdReasonOf, type OrgEconomy } from '../budget/orgEconomy';
import { isNotConnected } from '../connections/errors';
import { classifySalesforceError } from '../salesforce/errors';
import type { OrgConnections } from '../connections/types';
import { MirrorWork } from '../mirror/mirrorWork';
import type { MirrorWriter } from '../mirror/types';
import { errorKind, message } from '../observability/errorText';
import type { Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';
import type {
  ClaimedResponse,
  MirrorStore,
  PauseStore,
  QueueStore,
  ResponseOutcome,
  ResponseRecordStore,
  RetentionStore,
  UsageStore,
} from '../store/types';
import type { HoldReason } from '../store/ports/usage';
import type { ResponseRecordsMode } from '../sync/responseRecords';
import type { SyncContext, SyncOutcome, SyncResponses } from '../sync/types';
import { isOrgWideRetry, toStoreOutcome } from './backoff';
import { Pruner } from './pruner';
import { RetryRequestPoller } from './retryRequests';
import { REAL_SCHEDULER, type Scheduler } from './scheduler';
import { DEFAULT_FILL_BOUND_MS, StreamingFill } from './streamingFill';

export interface WorkerDeps {
  store: QueueStore & PauseStore & MirrorStore & RetentionStore & UsageStore & ResponseRecordStore;
  connections: OrgConnections;
  /** Writes owed interaction metadata (before a batch, and as mirror-only work). */
  mirror: MirrorWriter;
  syncResponses: SyncResponses;
  config: WorkerConfig;
  namespace: string;
  log: Logger;
  metrics: Metrics;
  clock?: () => Date;
  random?: () => number;
  /** Poll and heartbeat timers (default REAL_SCHEDULER). */
  scheduler?: Scheduler;
  /** Lease owner id; unique per process by default. */
  owner?: string;
  /** Cap on batches running at once against one Salesforce org, across every instance on the
   *  store (accounts connected to the same org share it). Default DEFAULT_MAX_BATCHES_PER_ORG. */
  maxBatchesPerOrg?: number;
  /** Retention of finished responses and their events (EVENT_RETENTION_DAYS); 0 keeps them
   *  forever. Default DEFAULT_RETENTION_DAYS, pruned hourly by every instance. */
  retentionDays?: number;
  /** Mirror-only backoff after a failed attempt: base doubling per consecutive failure, capped
   *  (defaults in mirror/mirrorWork.ts). */
  mirrorBackoffBaseMs?: number;
  mirrorBackoffCapMs?: number;
  /** A job running longer than this stops holding one of `concurrency`'s slots (a slow or hanging
   *  org must not hold them all); jobs in flight stay below 2 × concurrency. Default
   *  DEFAULT_SLOW_BATCH_MS. */
  slowBatchMs?: number;
  /** `Response_Records__c` of the org (SPEC §3): which responses get a CredSpark_Response__c
   *  record. Default: `Failures`, the SPEC's default when the settings say nothing. */
  responseRecordsMode?: (ctx: SyncContext) => Promise<ResponseRecordsMode>;
  /** The API economy (budget, headroom, usage record): the meter every call of the org's
   *  Connection goes through, and the org policy applied around each batch. None: no gate. */
  economy?: { meter: CallMeter; org: OrgEconomy };
  /** The bound of the streaming fill (WORKER_BATCH_FILL_MS): streamingFill.ts. Default
   *  DEFAULT_FILL_BOUND_MS; 0 turns it off. */
  batchFillMs?: number;
}

/** One batch per org at a time: parallel writes to one org mostly buy UNABLE_TO_LOCK_ROW (shared
 *  parent Account/owner rows), and each batch already writes 200 records per call. */
export const DEFAULT_MAX_BATCHES_PER_ORG = 1;

/** A healthy org's batch of 500 takes ≈ 0.6 s at 150 ms per call (benchmarks §3); one still running
 *  after 2 s is waiting on a slow org and gives its slot to the next turn. */
export const DEFAULT_SLOW_BATCH_MS = 2_000;

/** SPEC §6 RETRY_REQUEST_POLL_SECONDS default. */
export const DEFAULT_RETRY_REQUEST_POLL_MS = 300_000;

/** The longest an account or org is ever paused, whatever a hinted wait says. */
export const MAX_PAUSE_MS = 60 * 60_000;

/**
 * The in-process sync loop. Never throws: every error is logged with its ids and becomes an
 * outcome or a pause. Per pass it runs up to `concurrency` accounts with due work (one batch per
 * account in this process): claim (lease) → connection → owed interaction metadata → syncResponses
 * → record outcomes; free slots go to mirror-only work (mirror/mirrorWork.ts). intake calls wake();
 * a periodic poll picks up due retries, expired leases and owed metadata. Why it is built this way:
 * docs/architecture.md, "Claims, leases, heartbeats" and "Interaction mirroring".
 */
export class Worker {
  readonly owner: string;
  private readonly clock: () => Date;
  private readonly random: () => number;
  private readonly scheduler: Scheduler;
  private readonly orgCap: number;
  private readonly mirror: MirrorWork;
  readonly pruner: Pruner;
  private readonly slowBatchMs: number;
  /** When each job in flight started (clock ms): slots are counted from it (freeSlots). */
  private readonly startedAt = new Map<string, number>();
  /** Retry requests made in Salesforce (Retry_Requested__c), polled per org (retryRequests.ts). */
  readonly retryRequests: RetryRequestPoller;
  private readonly inFlight = new Map<string, Promise<void>>();
  /** Streaming batches: when an account's next batch may be claimed (streamingFill.ts). */
  readonly fill: StreamingFill;
  /** A batch failed on the store since the last pass: the loop backs off (see `track`). */
  private storeTrouble = false;
  private running = false;
  private loopDone: Promise<void> = Promise.resolve();
  private woken = false;
  private wakeUp: (() => void) | undefined;

  constructor(private readonly deps: WorkerDeps) {
    this.owner = deps.owner ?? `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
    this.clock = deps.clock ?? (() => new Date());
    this.random = deps.random ?? Math.random;
    this.scheduler = deps.scheduler ?? REAL_SCHEDULER;
    this.orgCap = deps.maxBatchesPerOrg ?? DEFAULT_MAX_BATCHES_PER_ORG;
    this.fill = new StreamingFill({
      boundMs: deps.batchFillMs ?? DEFAULT_FILL_BOUND_MS,
      batchSize: deps.config.batchSize,
      clock: () => this.clock().getTime(),
      scheduler: this.scheduler,
      wake: () => this.wake(),
    });
    this.mirror = new MirrorWork({
      store: deps.store,
      writer: deps.mirror,
      log: deps.log,
      clock: this.clock,
      owner: this.owner,
      leaseMs: deps.config.leaseMs,
      backoffBaseMs: deps.mirrorBackoffBaseMs,
      backoffCapMs: deps.mirrorBackoffCapMs,
    });
    this.slowBatchMs = deps.slowBatchMs ?? DEFAULT_SLOW_BATCH_MS;
    this.pruner = new Pruner({
      store: deps.store,
      log: deps.log,
      clock: this.clock,
      retentionDays: deps.retentionDays,
      scheduler: this.scheduler,
    });
    this.retryRequests = new RetryRequestPoller({
      store: deps.store,
      connections: deps.connections,
      namespace: deps.namespace,
      log: deps.log,
      metrics: deps.metrics,
      clock: this.clock,
      intervalMs: deps.config.retryRequestPollMs ?? DEFAULT_RETRY_REQUEST_POLL_MS,
      scheduler: this.scheduler,
      onQueued: () => this.wake(),
    });
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loopDone = this.loop();
    this.pruner.start();
    this.retryRequests.start();
  }

  /** Stops claiming; resolves once the batches in flight have recorded their outcomes. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.pruner.stop();
    await this.retryRequests.stop();
    await this.loopDone;
    await Promise.allSettled([...this.inFlight.values()]);
    this.fill.clear();
  }

  /** Wakes the loop; `accountId`: a response of that account was just queued (streaming fill). */
  wake(accountId?: string): void {
    if (accountId !== undefined) this.fill.arrived(accountId, this.inFlight.has(accountId));
    this.woken = true;
    this.wakeUp?.();
  }

  /** One pass, waiting for the batches and mirror-only work it started (tests drive the worker with
   *  this and a clock). Returns how many response batches it started. */
  async runOnce(): Promise<number> {
    const started = await this.startDueAccounts();
    await Promise.allSettled([...this.inFlight.values()]);
    return started;
  }

  private async loop(): Promise<void> {
    let failures = 0;
    while (this.running) {
      try {
        await this.startDueAccounts();
        if (this.storeTrouble) throw new Error('a batch could not claim or record its responses');
        failures = 0;
      } catch (err) {
        this.storeTrouble = false;
        failures++;
        this.deps.log.error({ err: message(err), owner: this.owner }, 'worker pass failed; pausing');
      }
      const pause = failures ? Math.min(this.deps.config.pollMs * 2 ** failures, 30_000) : this.deps.config.pollMs;
      await this.idle(pause);
    }
  }

  private idle(ms: number): Promise<void> {
    if (this.woken || !this.running) {
      this.woken = false;
      // A macrotask, not a resolved promise: requests and timers get their turn between passes.
      return new Promise((resolve) => setImmediate(resolve));
    }
    return new Promise((resolve) => {
      let cancel = () => {};
      const done = () => {
        cancel();
        resolve();
      };
      cancel = this.scheduler.after(ms, done);
      this.wakeUp = () => {
        this.wakeUp = undefined;
        this.woken = false;
        done();
      };
    });
  }

  /**
   * Slots for new jobs: `concurrency` minus the jobs started less than slowBatchMs ago. A job still
   * running after that is waiting on a slow or hanging org (a healthy batch takes well under it): it
   * keeps running but no longer holds a slot, so slow orgs cannot hold every slot and a quiet org's
   * turn comes within slowBatchMs plus one poll. Jobs in flight stay below 2 × concurrency (memory:
   * one claimed batch each). docs/architecture.md, "Fairness across tenants".
   */
  private freeSlots(): number {
    const { concurrency } = this.deps.config;
    const since = this.clock().getTime() - this.slowBatchMs;
    let busy = 0;
    for (const started of this.startedAt.values()) if (started > since) busy++;
    return Math.max(0, Math.min(concurrency - busy, 2 * concurrency - this.inFlight.size));
  }

  private async startDueAccounts(): Promise<number> {
    const free = this.freeSlots();
    if (free <= 0) return 0;
    // Paused accounts are left out by the store itself (PauseStore), on every instance; the order
    // is round-robin across tenants (least recently served first).
    // Accounts in flight or filling come back too and are left out here: ask for that many more.
    const wanted = free + this.inFlight.size + this.fill.size;
    const due = await this.deps.store.accountsWithDueWork(this.clock(), wanted, this.orgCap);
    const picked = due.filter((a) => !this.inFlight.has(a) && !this.fill.holds(a)).slice(0, free);
    for (const accountId of picked) this.track(accountId, this.processAccount(accountId));
    await this.startMirrorWork();
    return picked.length;
  }

  /** Runs `work` as the account's one job in this process; a finished job frees a slot (wake). */
  private track(accountId: string, work: Promise<unknown>, wakeAfter = true): void {
    const run = work.then((ok) => {
      this.inFlight.delete(accountId);
      this.startedAt.delete(accountId);
      // A batch that failed on the store does not wake the loop: waking would claim again at once,
      // and each synchronous SQLite attempt blocks the event loop for busy_timeout (the loop backs
      // off instead, see `storeTrouble`).
      if (wakeAfter && ok !== false) this.wake();
    });
    this.inFlight.set(accountId, run);
    this.startedAt.set(accountId, this.clock().getTime());
  }

  /** Mirror-only work (mirror/mirrorWork.ts) in the slots response batches left free; accounts with
   *  a job in this process are left out. */
  private async startMirrorWork(): Promise<void> {
    const free = this.freeSlots();
    if (free <= 0) return;
    const owing = await this.mirror.owing(free + this.inFlight.size);
    for (const accountId of owing.filter((a) => !this.inFlight.has(a)).slice(0, free)) {
      // No wake when it is done: what is still owed then is backed off, or picked up by the next
      // poll; a full write with more owed wakes the loop.
      const attempt = this.mirror.attempt(accountId).then((more) => more && this.wake());
      this.track(accountId, attempt, false);
    }
  }

  /** One batch for one account. Catches everything: a batch never takes the loop down; false when
   *  the store failed (claiming or recording), so the loop backs off. */
  private async processAccount(accountId: string): Promise<boolean> {
    const { store, config, log, metrics } = this.deps;
    let claimed: ClaimedResponse[] = [];
    let stopHeartbeat: (() => void) | undefined;
    const claimedAt = this.clock();
    this.fill.claiming(accountId);
    try {
      claimed = await store.claimResponses(
        accountId,
        this.owner,
        claimedAt,
        config.leaseMs,
        config.batchSize,
        this.orgCap,
      );
      if (claimed.length === 0) return true;
      metrics.batchSize.observe(claimed.length);
      const takenOver = claimed.filter((c) => c.takenOverFrom !== undefined).length;
      if (takenOver > 0) {
        metrics.leaseTakeovers.inc(takenOver);
        log.info({ accountId, owner: this.owner, takenOver }, 'responses of a lapsed lease taken over');
      }
      const lease = { heldUntil: claimedAt.getTime() + config.leaseMs };
      stopHeartbeat = this.startHeartbeat(accountId, lease);
      const endTimer = metrics.syncBatchSeconds.startTimer();
      const batch = await this.syncBatch(accountId, claimed, lease);
      endTimer();
      const kept =
        batch.held && batch.economy
          ? await this.hold(accountId, batch.economy.orgId, claimed, batch.outcomes, batch.held)
          : claimed;
      await this.record(accountId, kept, batch.outcomes);
      if (batch.economy) {
        const counts = { synced: 0, failed: 0 };
        for (const c of kept) {
          const o = batch.outcomes.get(c.responseId);
          if (o?.status === 'synced') counts.synced++;
          else if (o?.status === 'failed') counts.failed++;
        }
        await this.deps
          .economy!.org.afterBatch(batch.economy, counts.synced, counts.failed, batch.usageWritten?.() ?? false)
          .catch((err: unknown) =>
            log.warn({ accountId, owner: this.owner, err: message(err) }, 'API usage not recorded'),
          );
      }
      return true;
    } catch (err) {
      // Store trouble while claiming/recording: the leases expire and the work is taken over.
      log.error({ accountId, owner: this.owner, claimed: claimed.length, err: message(err) }, 'sync batch failed');
      this.storeTrouble = true;
      return false;
    } finally {
      stopHeartbeat?.();
      // A stream arrived while this batch ran: its next batch may fill first (streamingFill.ts).
      this.fill.finished(accountId, claimedAt.getTime(), claimed.length);
    }
  }

  /**
   * Renews the batch's leases every third of their length, so only a dead process loses them; a
   * successful renewal moves `lease.heldUntil`, which the batch's calls check before being sent.
   */
  private startHeartbeat(accountId: string, lease: { heldUntil: number }): () => void {
    const { store, config, log } = this.deps;
    return this.scheduler.every(Math.max(50, Math.floor(config.leaseMs / 3)), () => {
      const at = this.clock();
      return store.renewLeases(accountId, this.owner, at, config.leaseMs).then(
        (n) => {
          if (n > 0) lease.heldUntil = at.getTime() + config.leaseMs;
        },
        (err: unknown) => log.warn({ accountId, owner: this.owner, err: message(err) }, 'lease renewal failed'),
      );
    });
  }

  /**
   * Before every Salesforce call of a batch: the lease must still be held with a margin (a quarter
   * of its length) — an instance whose renewals failed (store unreachable, event loop frozen) stops
   * calling before another instance can take the responses over, so two instances never write the
   * same response (a call already in flight when the lease lapses is the one window left; the
   * batch's email match makes its retry an update, not a second record).
   */
  private leaseGuard(lease: { heldUntil: number }): () => void {
    const margin = Math.floor(this.deps.config.leaseMs / 4);
    return () => {
      if (this.clock().getTime() > lease.heldUntil - margin) {
        throw Object.assign(new Error('The batch lease is no longer safely held: nothing more is sent for it'), {
          errorCode: 'LEASE_LOST',
        });
      }
    };
  }

  private async syncBatch(
    accountId: string,
    claimed: ClaimedResponse[],
    lease: { heldUntil: number },
  ): Promise<{
    outcomes: Map<string, SyncOutcome>;
    held?: { reason: HoldReason; until: Date };
    economy?: OrgContextLike;
    /** The day's usage record rode in the batch's write call and Salesforce took it. */
    usageWritten?: () => boolean;
  }> {
    const { connections, log, metrics, economy } = this.deps;
    const all = (outcome: SyncOutcome) => new Map(claimed.map((c) => [c.responseId, outcome]));
    let conn: Connection;
    let orgId: string;
    try {
      ({ conn, orgId } = await connections.getSalesforceConnection(accountId));
    } catch (err) {
      if (isNotConnected(err)) {
        return { outcomes: all({ status: 'skipped', code: 'NOT_CONNECTED', message: message(err) }) };
      }
      log.warn({ accountId, err: errorKind(err) }, 'no Salesforce connection available; will retry');
      return { outcomes: all({ status: 'retry', code: 'CONNECTION_UNAVAILABLE', message: message(err) }) };
    }
    const ctx: SyncContext = {
      conn,
      accountId,
      orgId,
      namespace: this.deps.namespace,
      log: log.child({ accountId, orgId }),
      metrics,
      givesUp: (response, outcome) => {
        const stored = toStoreOutcome(this.deps.config, response, outcome, this.clock(), this.random);
        return stored.status === 'failed' ? stored : undefined;
      },
    };
    const run = <T>(fn: () => Promise<T>): Promise<T> =>
      economy ? economy.meter.run({ guard: this.leaseGuard(lease) }, fn) : fn();
    let usageWritten: (() => boolean) | undefined;
    if (economy) {
      economy.meter.attach(conn, orgId);
      try {
        const admission = await run(() => economy.org.admit(ctx));
        if (!admission.ok) {
          const outcome: SyncOutcome = {
            status: 'retry',
            code: admission.reason,
            message: holdMessage(admission.reason),
          };
          return { outcomes: all(outcome), held: { reason: admission.reason, until: admission.until }, economy: ctx };
        }
      } catch (err) {
        // The settings read or the probe failed for another reason (network, 5xx, the concurrent
        // limit…): retried like the same error in the sync engine, by Salesforce's own code.
        const c = classifySalesforceError(err);
        log.warn({ accountId, orgId, code: c.code }, 'org admission failed; will retry');
        if (c.code === 'NOT_CONNECTED') {
          return { outcomes: all({ status: 'skipped', code: 'NOT_CONNECTED', message: c.message }) };
        }
        return {
          outcomes: all({ status: 'retry', code: c.code, message: c.message, retryAfterMs: c.retryAfterMs }),
        };
      }
      // The day's usage record rides in the batch's write call (SPEC §3b): no call of its own. A
      // store that cannot say the day's counts costs the rider only (afterBatch catches up).
      try {
        const rider = await economy.org.usageRider(ctx);
        ctx.followUps = rider.followUps;
        usageWritten = rider.written;
      } catch (err) {
        log.warn({ accountId, orgId, err: message(err) }, 'usage record not prepared for this batch');
      }
    }
    // Owed interaction metadata first (mirror/mirrorWork.ts), through the meter like every call.
    const mirror = await run(() => this.mirror.beforeBatch(accountId, orgId));
    if (mirror) {
      return { outcomes: all({ status: 'skipped', code: 'NOT_CONNECTED', message: mirror.notConnected }) };
    }
    let outcomes: Map<string, SyncOutcome>;
    try {
      ctx.responseRecords = await this.responseRecordsMode(ctx);
      if (ctx.responseRecords === 'Failures') {
        // Failures mode keeps a record up to date once a response has one: the batch needs to know which.
        const has = await this.deps.store.responsesWithRecord(
          accountId,
          claimed.map((c) => c.responseId),
        );
        for (const c of claimed) c.hasResponseRecord = has.has(c.responseId);
      }
      outcomes = await run(() => this.deps.syncResponses(ctx, claimed));
    } catch (err) {
      // The sync engine promises not to throw; if it does, nothing is known to be written: retry.
      log.error({ accountId, orgId, err: errorKind(err) }, 'syncResponses threw');
      return { outcomes: all({ status: 'retry', code: 'SYNC_ERROR', message: message(err) }) };
    }
    if (!economy) return { outcomes };
    // A call refused by the budget or the org's headroom (or "TotalRequests Limit exceeded.") holds the org.
    let held: { reason: HoldReason; until: Date } | undefined;
    for (const o of outcomes.values()) {
      if (o.status !== 'retry') continue;
      const reason = economy.org.holdFor(orgId, o);
      if (reason && (!held || reason === 'ORG_API_LIMIT')) held = { reason, until: economy.org.holdUntil(reason) };
    }
    return { outcomes, held, economy: ctx, usageWritten };
  }

  /**
   * Holds the org (API_BUDGET / ORG_API_LIMIT) on every instance and gives back, unattempted, the
   * responses the hold stopped (their outcome is a retry with a hold code, or the org's spent
   * allocation): they stay queued, never failed, and show `waitingFor`. Returns the responses left
   * to record normally (those the batch finished before the hold).
   */
  private async hold(
    accountId: string,
    orgId: string,
    claimed: ClaimedResponse[],
    outcomes: Map<string, SyncOutcome>,
    held: { reason: HoldReason; until: Date },
  ): Promise<ClaimedResponse[]> {
    const { log, metrics, economy, store } = this.deps;
    const stopped = claimed.filter((c) => {
      const o = outcomes.get(c.responseId);
      return o?.status === 'retry' && holdReasonOf(o) !== undefined;
    });
    try {
      await economy!.org.startHold(orgId, held.reason);
      if (!(await store.holdOrg(accountId, this.owner, held.until, held.reason))) return claimed;
      await store.releaseResponses(
        accountId,
        this.owner,
        stopped.map((c) => c.responseId),
      );
    } catch (err) {
      log.warn({ accountId, owner: this.owner, err: message(err) }, 'org hold not recorded');
      return claimed;
    }
    metrics.orgHolds.inc({ reason: held.reason });
    log.warn(
      { accountId, owner: this.owner, reason: held.reason, heldUntil: held.until.toISOString(), held: stopped.length },
      'org held: its responses wait, queued, on every instance',
    );
    const released = new Set(stopped.map((c) => c.responseId));
    return claimed.filter((c) => !released.has(c.responseId));
  }

  /**
   * Records the batch's outcomes. A batch refused as a whole pauses its account (or, for org-wide
   * codes, its org) until its earliest retry, written while the batch still holds its leases; a
   * batch in which the org answered lifts the pause. Why: docs/architecture.md, "Pause after a
   * batch that failed as a whole".
   */
  private async record(
    accountId: string,
    claimed: ClaimedResponse[],
    outcomes: Map<string, SyncOutcome>,
  ): Promise<void> {
    const { config } = this.deps;
    const now = this.clock();
    const stored = claimed.map((response) => {
      const outcome = outcomes.get(response.responseId) ?? {
        status: 'retry' as const,
        code: 'NO_OUTCOME',
        message: 'The sync engine returned no outcome for this response',
      };
      return { response, outcome, store: toStoreOutcome(config, response, outcome, now, this.random) };
    });
    const retryTimes = stored.flatMap(({ store }) => (store.status === 'retry' ? [store.nextAttemptAt] : []));
    // Whole batch refused: judged on what Salesforce said, so a response given up for age (stored as
    // failed) neither hides the refusal nor counts as the org answering.
    const allRetry = stored.length > 0 && stored.every(({ outcome }) => outcome.status === 'retry');
    const orgWide =
      allRetry && stored.every(({ outcome }) => outcome.status === 'retry' && isOrgWideRetry(outcome.code));
    // Until the earliest retry: the batch's own responses are not due before then, so a pause that
    // ended sooner would only buy refused calls for new arrivals. backoff.ts already bounds each
    // retry by the longer of the backoff cap and its hinted wait (15 min for REQUEST_LIMIT_EXCEEDED);
    // MAX_PAUSE_MS bounds the pause whatever a hint says.
    const pauseEnd = Math.min(...retryTimes.map((d) => d.getTime()), now.getTime() + MAX_PAUSE_MS);
    if (allRetry && retryTimes.length > 0) await this.pause(accountId, new Date(pauseEnd), orgWide);
    // Concurrently: the store commits a batch's outcomes together (one transaction, one fsync).
    const kept = await Promise.all(stored.map(({ response, store }) => this.complete(accountId, response, store, now)));
    const answered = stored.some(({ outcome }, i) => kept[i] && orgAnswered(outcome));
    if (answered) await this.unpause(accountId);
    // A record written for a retry given up for age (stored failed) counts; one for a retry, never.
    const withRecord = stored.flatMap(({ response, outcome, store }, i) =>
      kept[i] && outcome.status !== 'skipped' && outcome.responseRecord && store.status !== 'retry'
        ? [response.responseId]
        : [],
    );
    if (withRecord.length === 0) return;
    try {
      await this.deps.store.markResponseRecords(accountId, withRecord);
    } catch (err) {
      // Only costs an update a later success in Failures mode would have made: logged, not retried.
      this.deps.log.warn({ accountId, owner: this.owner, err: message(err) }, 'response records not marked');
    }
  }

  /**
   * `Response_Records__c` for the batch (SPEC §3). A settings read that fails must not hold the
   * sync up: the SPEC default, `Failures`, is used for this batch.
   */
  private async responseRecordsMode(ctx: SyncContext): Promise<ResponseRecordsMode> {
    if (!this.deps.responseRecordsMode) return 'Failures';
    try {
      return await this.deps.responseRecordsMode(ctx);
    } catch (err) {
      ctx.log.warn({ err: errorKind(err) }, 'Response_Records__c not read; Failures used for this batch');
      return 'Failures';
    }
  }

  private async complete(
    accountId: string,
    response: ClaimedResponse,
    stored: ResponseOutcome,
    now: Date,
  ): Promise<boolean> {
    const { store, log, metrics } = this.deps;
    const kept = await store.completeResponse(accountId, response.responseId, this.owner, stored, now);
    if (!kept) {
      log.warn({ accountId, responseId: response.responseId, owner: this.owner }, 'outcome dropped: lease lost');
      return false;
    }
    metrics.responsesFinished.inc({ status: stored.status, code: 'code' in stored ? stored.code : stored.action });
    log.info(
      {
        accountId,
        responseId: response.responseId,
        status: stored.status,
        ...('code' in stored ? { code: stored.code } : { recordId: stored.recordId, action: stored.action }),
      },
      'response outcome',
    );
    return true;
  }

  /** Best effort: a store error here must not keep the outcomes from being recorded. An org-wide
   *  pause falls back to the account's when the store has no org for it. */
  private async pause(accountId: string, until: Date, orgWide: boolean): Promise<void> {
    const { store, log } = this.deps;
    try {
      let scope: 'org' | 'account' | undefined;
      if (orgWide && (await store.pauseOrg(accountId, this.owner, until))) scope = 'org';
      else if (await store.pauseAccount(accountId, this.owner, until)) scope = 'account';
      if (scope) {
        log.warn(
          { accountId, owner: this.owner, pausedUntil: until.toISOString(), scope },
          scope === 'org'
            ? 'whole batch refused by the org: every account of the org paused on every instance until its first retry is due'
            : 'whole batch to retry: account paused on every instance until its first retry is due',
        );
      }
    } catch (err) {
      log.warn({ accountId, owner: this.owner, err: message(err) }, 'account pause not recorded');
    }
  }

  private async unpause(accountId: string): Promise<void> {
    const { store, log } = this.deps;
    try {
      await store.clearAccountPause(accountId);
    } catch (err) {
      log.warn({ accountId, owner: this.owner, err: message(err) }, 'account pause not lifted');
    }
  }
}

type OrgContextLike = Parameters<OrgEconomy['afterBatch']>[0];

function holdMessage(reason: HoldReason): string {
  return reason === 'API_BUDGET'
    ? "The org's daily API budget (Daily_API_Budget__c) is spent: waiting for the next UTC day or a raised cap"
    : "The org's own daily API allocation is used beyond Max_Org_API_Usage_Percent__c (or spent): waiting until it frees";
}

/** Salesforce answered for this response: a final outcome reached by the sync engine. A
 *  NOT_CONNECTED skip made no call; a retry is the org refusing or out of reach. */
function orgAnswered(outcome: SyncOutcome): boolean {
  return outcome.status !== 'retry' && !(outcome.status === 'skipped' && outcome.code === 'NOT_CONNECTED');
}
