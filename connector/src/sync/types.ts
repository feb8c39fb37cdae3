import type { Connection } from 'jsforce';
import type { ClaimedResponse, ResponseWarning } from '../store/types';
import type { ObjectInfo } from './describe';
import type { OrgSettings } from './settings';
import type { TtlCache } from '../cache/ttlCache';
import type { Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';
import type { OrgCallContext } from '../salesforce/calls';
import type { Unit } from './composite';
import type { ResponseRecordsMode } from './responseRecords';

/**
 * What the sync engine decides for one response. The worker turns `retry` into a backoff
 * (attempts, jitter, maximum age) and stores the rest as they are.
 */
export type SyncOutcome =
  | {
      status: 'synced';
      object: 'Contact' | 'Lead';
      recordId: string;
      action: 'created' | 'updated';
      warnings?: ResponseWarning[];
      /** Its CredSpark_Response__c record was written in this batch (responseRecords.ts). */
      responseRecord?: true;
    }
  | {
      status: 'skipped';
      code: 'SYNC_DISABLED' | 'NOT_RETROACTIVE' | 'NOT_CONNECTED' | 'UNKNOWN_INTERACTION';
      message: string;
    }
  | { status: 'failed'; code: string; message: string; object?: 'Contact' | 'Lead'; responseRecord?: true }
  /** Transient: network, 5xx, UNABLE_TO_LOCK_ROW, REQUEST_LIMIT_EXCEEDED… `retryAfterMs` is a hint. */
  | { status: 'retry'; code: string; message: string; retryAfterMs?: number; responseRecord?: true };

export interface SyncContext extends Omit<OrgCallContext, 'callTimeoutMs'> {
  /** An authenticated jsforce connection to the account's org (refresh handled by connections/). */
  conn: Connection;
  accountId: string;
  orgId: string;
  /** SF_NAMESPACE: '' for an unpackaged org, else e.g. 'credspark'. */
  namespace: string;
  log: Logger;
  metrics: Metrics;
  /** `Response_Records__c` of the org's CredSpark_Settings__mdt (SPEC §3); undefined → none written. */
  responseRecords?: ResponseRecordsMode;
  /**
   * More subrequests riding in the batch's first write call (composite.ts), or in its follow-up call
   * when it writes no person record; never sent in a call of their own (sync/followUps.ts
   * takeRiders) — e.g. the day's usage record. `outcomes`: those decided when the call is built.
   * `ref` gives batch-unique reference ids.
   */
  followUps?: (outcomes: ReadonlyMap<string, SyncOutcome>, ref: (prefix: string) => string) => Unit[];
  /**
   * What the worker will store for a `retry` outcome: `failed` once the response has been retried
   * for longer than the maximum age (worker/backoff.ts). Such a response gets its failure record
   * in this batch like any other failure. Undefined: a retry stays a retry.
   */
  givesUp?: (
    response: ClaimedResponse,
    outcome: Extract<SyncOutcome, { status: 'retry' }>,
  ) => Extract<SyncOutcome, { status: 'failed' }> | undefined;
}

/** Syncs one account's claimed responses in a batch; never throws (errors become outcomes). */
export type SyncResponses = (ctx: SyncContext, responses: ClaimedResponse[]) => Promise<Map<string, SyncOutcome>>;

/** Inside one sync engine (createSyncEngine): the worker's context plus the engine's call timeout
 *  and its caches of settings (per org and namespace) and describes (per org and object). */
export interface EngineContext extends SyncContext, OrgCallContext {
  settings: TtlCache<OrgSettings>;
  describes: TtlCache<ObjectInfo>;
}
