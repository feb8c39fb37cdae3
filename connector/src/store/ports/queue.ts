import type { ClaimedResponse, ResponseOutcome, ResponseRecord } from '../records';

/**
 * The queue is the `responses` table: claims with leases for the worker, the same rows for the
 * status API, admin retries and disconnects (docs/architecture.md, "Claims, leases, heartbeats").
 */
export interface QueueStore {
  /** Accounts with queued responses due now, no live lease (not busy) and no pause running past
   *  `now` (of the account, or of the org it is connected to), oldest first. With `orgCap`,
   *  accounts whose org (their connection's orgId) already has `orgCap` accounts under a live
   *  lease are left out too. */
  accountsWithDueWork(now: Date, limit: number, orgCap?: number): Promise<string[]>;
  /** Leases up to `limit` due responses of one account, in completion order; none while another
   *  owner holds a live lease on the account, while the account (or its org) is paused past `now`,
   *  nor (with `orgCap`) while `orgCap` other accounts of the same org hold live leases. */
  claimResponses(
    accountId: string,
    owner: string,
    now: Date,
    leaseMs: number,
    limit: number,
    orgCap?: number,
  ): Promise<ClaimedResponse[]>;
  /** Extends the leases `owner` holds on the account's queued responses to now + leaseMs (heartbeat
   *  of a long batch); returns how many were extended. */
  renewLeases(accountId: string, owner: string, now: Date, leaseMs: number): Promise<number>;
  /** Records the outcome of a claimed response; ignored (false) if the lease was lost. */
  completeResponse(
    accountId: string,
    responseId: string,
    owner: string,
    outcome: ResponseOutcome,
    now: Date,
  ): Promise<boolean>;

  getResponse(accountId: string, responseId: string): Promise<ResponseRecord | undefined>;
  /** Failed → queued (attempts kept, due now); false when not failed/skipped-NOT_CONNECTED. Also
   *  lifts the account's pause and its org's in the same transaction: an admin's retry is tried at
   *  once (if the org still refuses, that batch pauses again). */
  requeueResponse(accountId: string, responseId: string, now: Date): Promise<boolean>;
  /** Marks every queued response of the account skipped with `code` (used on disconnect). */
  skipQueuedResponses(accountId: string, code: string, message: string, now: Date): Promise<number>;
  queueStats(now: Date): Promise<{ queued: number; oldestQueuedAgeSeconds: number }>;
}
