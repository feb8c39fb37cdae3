import { isNotConnected } from '../connections/errors';
import type { Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';
import { DEFAULT_CALL_TIMEOUT_MS, queryAll, type OrgCallContext } from '../salesforce/calls';
import type { QueueStore, ResponseRecordStore } from '../store/types';
import { referenceIds, sendUnits, subrequestError, type Unit } from '../sync/composite';
import { pick } from '../sync/settings';
import type { EngineContext } from '../sync/types';
import { COLLECTION_LIMIT } from '../sync/write';
import type { OrgConnections } from '../connections/types';
import { REAL_SCHEDULER, type Scheduler } from './scheduler';

export interface RetryRequestDeps {
  store: Pick<QueueStore, 'requeueResponse'> & Pick<ResponseRecordStore, 'orgsDueForRetryPoll' | 'takeRetryPollTurn'>;
  connections: OrgConnections;
  namespace: string;
  log: Logger;
  metrics: Metrics;
  clock: () => Date;
  /** RETRY_REQUEST_POLL_SECONDS in ms. */
  intervalMs: number;
  /** Called once per account with responses requeued (wakes the worker). */
  onQueued?: (accountId: string) => void;
  /** The worker's timers (tests pass a manual one). */
  scheduler?: Scheduler;
}

/** Orgs looked at per tick and instance; the rest are due at the next tick. */
const ORGS_PER_TICK = 50;

/**
 * Retry from Salesforce (SPEC §3b): an admin sets `Retry_Requested__c = true` on a
 * CredSpark_Response__c; the connector notices within RETRY_REQUEST_POLL_SECONDS, requeues the
 * response as the admin API's retry does (store.requeueResponse: failed → queued, due now, the
 * account's and org's pauses lifted) and clears the flag.
 *
 * Cost: only orgs with failed responses in the store are asked, each at most once per interval
 * across all instances — the store's poll turn (takeRetryPollTurn) is one statement, so exactly one
 * instance polls an org per interval. One query per poll (`… WHERE Retry_Requested__c = true`),
 * plus one composite call of up to 1,000 flag clears when there were requests.
 *
 * The flag is cleared after the requeue (a crash in between requeues again at the next poll, which
 * finds the response queued and leaves it so), and for every flagged record — also those whose
 * response is not failed here (already synced, pruned, or another connector's): else the poll
 * would find them again forever.
 */
export class RetryRequestPoller {
  private cancel: (() => void) | undefined;
  private running: Promise<number> | undefined;

  constructor(private readonly deps: RetryRequestDeps) {}

  start(): void {
    if (this.cancel) return;
    const scheduler = this.deps.scheduler ?? REAL_SCHEDULER;
    this.cancel = scheduler.every(this.deps.intervalMs, () => this.pollOnce());
  }

  async stop(): Promise<void> {
    this.cancel?.();
    this.cancel = undefined;
    await this.running;
  }

  /** One tick (skipped while one runs): every due org whose turn this instance takes. Returns the
   *  responses requeued. Never throws. */
  pollOnce(): Promise<number> {
    if (!this.running)
      this.running = this.run().finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  private async run(): Promise<number> {
    const { store, log, clock, intervalMs } = this.deps;
    let requeued = 0;
    try {
      const orgs = await store.orgsDueForRetryPoll(clock(), intervalMs, ORGS_PER_TICK);
      for (const org of orgs) {
        if (!(await store.takeRetryPollTurn(org.orgId, clock(), intervalMs))) continue;
        requeued += await this.pollOrg(org.orgId, org.accountIds);
      }
    } catch (err) {
      log.warn({ err: err instanceof Error ? err.message : String(err) }, 'retry-request poll failed; next tick');
    }
    return requeued;
  }

  private async pollOrg(orgId: string, accountIds: string[]): Promise<number> {
    const { store, connections, namespace, log, metrics, clock } = this.deps;
    const accountId = accountIds[0];
    let ctx: Pick<EngineContext, 'conn' | 'accountId' | 'orgId' | 'namespace' | 'log' | 'metrics' | 'callTimeoutMs'>;
    try {
      const { conn } = await connections.getSalesforceConnection(accountId);
      ctx = {
        conn,
        accountId,
        orgId,
        namespace,
        log: log.child({ accountId, orgId }),
        metrics,
        callTimeoutMs: DEFAULT_CALL_TIMEOUT_MS,
      };
    } catch (err) {
      if (!isNotConnected(err)) log.warn({ orgId, accountId, err: String(err) }, 'retry-request poll: no connection');
      return 0;
    }
    const ns = namespace ? `${namespace}__` : '';
    let rows: Record<string, unknown>[];
    try {
      rows = await queryAll<Record<string, unknown>>(
        ctx,
        `SELECT Id, ${ns}Response_Id__c FROM ${ns}CredSpark_Response__c WHERE ${ns}Retry_Requested__c = true`,
      );
    } catch (err) {
      ctx.log.warn({ err: err instanceof Error ? err.message : String(err) }, 'retry-request query failed');
      return 0;
    }
    if (rows.length === 0) return 0;
    let requeued = 0;
    const woken = new Set<string>();
    for (const row of rows) {
      const responseId = pick(row, `${ns}Response_Id__c`);
      if (typeof responseId !== 'string') continue;
      for (const a of accountIds) {
        if (await store.requeueResponse(a, responseId, clock())) {
          requeued++;
          woken.add(a);
        }
      }
    }
    await this.clearFlags(
      ctx,
      ns,
      rows.map((r) => String(r.Id)),
    );
    ctx.log.info({ requested: rows.length, requeued }, 'retry requested in Salesforce: responses requeued');
    for (const a of woken) this.deps.onQueued?.(a);
    return requeued;
  }

  private async clearFlags(ctx: OrgCallContext & { log: Logger }, ns: string, ids: string[]): Promise<void> {
    const ref = referenceIds();
    const units: Unit[] = [];
    let failed = 0;
    for (let i = 0; i < ids.length; i += COLLECTION_LIMIT) {
      const chunk = ids.slice(i, i + COLLECTION_LIMIT);
      units.push([
        {
          referenceId: ref('clear'),
          method: 'PATCH',
          path: '/composite/sobjects',
          body: {
            allOrNone: false,
            records: chunk.map((Id) => ({
              attributes: { type: `${ns}CredSpark_Response__c` },
              Id,
              [`${ns}Retry_Requested__c`]: false,
            })),
          },
          done: (a) => {
            if ('error' in a || a.status >= 400) failed += chunk.length;
            else if (Array.isArray(a.body)) failed += a.body.filter((r: { success?: boolean }) => !r.success).length;
            if (!('error' in a) && a.status >= 400)
              ctx.log.warn({ code: subrequestError(a.status, a.body).code }, 'retry flags not cleared');
          },
        },
      ]);
    }
    await sendUnits(ctx, units, 'retry flags');
    if (failed > 0)
      ctx.log.warn({ failed }, 'some Retry_Requested__c flags were not cleared; the next poll clears them');
  }
}
