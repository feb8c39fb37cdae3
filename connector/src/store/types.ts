/**
 * The connector's durable store: the one interface every backend (SQLite, Postgres) implements.
 *
 * Glossary
 * - event:      one webhook delivery CredSpark sent, stored verbatim once per event `id`.
 * - response:   the sync state of one CredSpark response (`data.responseId`) within one account;
 *               created by a `response.completed` event, worked on by the worker until it is
 *               `synced`, `failed` or `skipped` (SPEC §5 statuses).
 * - lease:      a claim on queued responses by one worker instance until `leaseExpiresAt`; a
 *               crashed worker's lease expires and another instance takes the work over. An
 *               account with a live lease is busy: one batch per account at a time, across all
 *               instances (batches of one org never race each other in Salesforce).
 * - pause:      an account whose last batch came back `retry` as a whole (the org refused or was
 *               unreachable) waits until its earliest retry is due — not listed, not claimable, on
 *               every instance. Its responses stay queued; nothing is lost, only delayed. When the
 *               refusal was org-wide (REQUEST_LIMIT_EXCEEDED, 5xx, instance unreachable) the pause
 *               is the org's (org pause): every account connected to that org waits with it.
 * - connection: one CredSpark account's link to one Salesforce org (tokens encrypted at rest).
 * - interaction catalogue: the fields CredSpark says an interaction has; mirrored into the org's
 *               `CredSpark_Interaction__mdt` only when its content hash changed — by a response
 *               batch, or by the worker's mirror-only work for a connected account with no batch.
 * - mirror backoff: when the next mirror-only attempt of an account may start (a running attempt
 *               holds it for a lease; a failed one backs off exponentially), on every instance.
 */

/** `orgCap` when none is given: no cap beyond one batch per account (fits an SQL integer). */
export const NO_ORG_CAP = 2_147_483_647;

export interface PruneResult {
  responses: number;
  events: number;
  oauthStates: number;
}

export type ResponseStatus = 'queued' | 'synced' | 'failed' | 'skipped';
export type SyncAction = 'created' | 'updated';

/** A webhook as accepted by intake (already verified and schema-checked). */
export interface StoredEventInput {
  eventId: string;
  accountId: string;
  type: string;
  /** The raw JSON body, kept verbatim for audit and replay. */
  body: string;
  receivedAt: Date;
  /** Present for `response.completed`: the response row to enqueue in the same transaction. */
  response?: {
    responseId: string;
    interactionId: string;
    completedAt: Date;
  };
}

export type InsertEventResult = 'inserted' | 'duplicate';

export interface ResponseRecord {
  accountId: string;
  responseId: string;
  /** The event that carried this response (its body holds the answers). */
  eventId: string;
  interactionId: string;
  completedAt: Date;
  status: ResponseStatus;
  attempts: number;
  nextAttemptAt: Date;
  /** Start of the current retry window (received, or requeued by an admin): the worker's maximum
   *  retry age counts from here. Optional for backends/fakes that do not track it (→ createdAt). */
  retryWindowStartedAt?: Date;
  object?: 'Contact' | 'Lead';
  recordId?: string;
  action?: SyncAction;
  errorCode?: string;
  errorMessage?: string;
  /** Non-fatal notes recorded with a sync (e.g. "Title truncated to 128 characters"). */
  warnings?: string[];
  createdAt: Date;
  updatedAt: Date;
}

/** A claimed unit of work: a queued response with its event body. */
export interface ClaimedResponse extends ResponseRecord {
  body: string;
  leaseOwner: string;
  leaseExpiresAt: Date;
}

export type ResponseOutcome =
  | {
      status: 'synced';
      object: 'Contact' | 'Lead';
      recordId: string;
      action: SyncAction;
      warnings?: string[];
    }
  | { status: 'skipped'; code: string; message: string }
  | { status: 'failed'; code: string; message: string; object?: 'Contact' | 'Lead' }
  /** Transient trouble: back to `queued` with `nextAttemptAt`, attempts counted. */
  | { status: 'retry'; code: string; message: string; nextAttemptAt: Date };

export interface ConnectionRecord {
  accountId: string;
  status: 'connected' | 'disconnected';
  reason?: string;
  orgId: string;
  userId: string;
  username: string;
  instanceUrl: string;
  loginUrl: string;
  /** Encrypted (AES-256-GCM, see connections/tokenCipher) — never clear text in the store. */
  accessTokenEnc: string;
  refreshTokenEnc: string;
  connectedAt: Date;
  updatedAt: Date;
}

export interface OAuthStateRecord {
  /** SHA-256 of the `state` sent to Salesforce; the clear value only lives in the URL. */
  stateHash: string;
  accountId: string;
  loginUrl: string;
  returnUrl?: string;
  codeVerifierEnc: string;
  expiresAt: Date;
}

export interface InteractionCatalogueRecord {
  accountId: string;
  interactionId: string;
  name: string;
  fieldsJson: string;
  /** Hash of (name, fields) as last received from CredSpark. */
  contentHash: string;
  /** Hash last written to the org's metadata; differs from contentHash → mirroring owed. */
  mirroredHash?: string;
  updatedAt: Date;
}

import type { UsageStore } from './usage';

export interface Store {
  /** The API-economy port (store/usage.ts): calls per org per UTC day, org holds, the org's reported
   *  allocation. Every backend has it — optional only so narrow test fakes keep compiling. */
  readonly usage?: UsageStore;
  /** Applies numbered migrations; idempotent. */
  migrate(): Promise<void>;
  /** Cheap round trip for /readyz; throws when the store is unreachable or unwritable. */
  ping(): Promise<void>;
  close(): Promise<void>;

  // --- intake ---------------------------------------------------------------------------
  /** Durably stores the event (and its response row) once; resolves only after commit. */
  insertEvent(event: StoredEventInput): Promise<InsertEventResult>;
  /** Whether an event with this id is stored (a redelivery), whatever became of the account since. */
  hasEvent(eventId: string): Promise<boolean>;

  // --- worker ---------------------------------------------------------------------------
  /** Accounts with queued responses due now, no live lease (not busy) and no pause running past
   *  `now` (of the account, or of the org it is connected to), oldest first. With `orgCap`, accounts whose org (their connection's orgId) already has
   *  `orgCap` accounts under a live lease are left out too. */
  accountsWithDueWork(now: Date, limit: number, orgCap?: number): Promise<string[]>;
  /** Leases up to `limit` due responses of one account, in completion order; none while another
   *  owner holds a live lease on the account, while the account is paused past `now`, nor (with
   *  `orgCap`) while `orgCap` other accounts connected to the same org hold live leases — the cap
   *  on concurrent batches per Salesforce org across every instance on this store. Without
   *  `orgCap`: one batch per account only. */
  claimResponses(
    accountId: string,
    owner: string,
    now: Date,
    leaseMs: number,
    limit: number,
    orgCap?: number,
  ): Promise<ClaimedResponse[]>;
  /** Extends the leases `owner` holds on the account's queued responses to now + leaseMs (heartbeat
   *  of a long batch); returns how many were extended. Every backend implements it — optional only
   *  so narrow test fakes keep compiling. */
  renewLeases?(accountId: string, owner: string, now: Date, leaseMs: number): Promise<number>;
  /** Pauses the account until `until` (replacing any earlier pause), only while `owner` still holds
   *  leases on its queued responses — the worker calls it before recording a batch that came back
   *  `retry` as a whole, so the pause is in place before the leases are released and no instance
   *  can claim in between. Returns false (nothing written) when `owner` holds no lease there.
   *  Every backend implements it — optional only so narrow test fakes keep compiling. */
  pauseAccount?(accountId: string, owner: string, until: Date): Promise<boolean>;
  /** Like pauseAccount, same holder rule, but pauses the org of the account's connection
   *  (connections.org_id) until `until`, replacing any earlier pause of that org: every account
   *  connected to it is then left out by accountsWithDueWork, claimResponses and accountsOwingMirror
   *  — for a refusal that is about the org, not the account (the worker's isOrgWideRetry). Returns
   *  false (nothing written) when `owner` holds no lease there or the account has no connection.
   *  Optional like pauseAccount. */
  pauseOrg?(accountId: string, owner: string, until: Date): Promise<boolean>;
  /** Lifts the account's pause and the pause of the org it is connected to, if any (a batch with a
   *  final outcome: the org answers again). Also done by requeueResponse (admin retry) and
   *  upsertConnection (reconnect: the previous connection's org). Optional like pauseAccount. */
  clearAccountPause?(accountId: string): Promise<void>;
  /** Records the outcome of a claimed response; ignored if the lease was lost. */
  completeResponse(
    accountId: string,
    responseId: string,
    owner: string,
    outcome: ResponseOutcome,
    now: Date,
  ): Promise<boolean>;

  // --- admin API ------------------------------------------------------------------------
  getResponse(accountId: string, responseId: string): Promise<ResponseRecord | undefined>;
  /** Failed → queued (attempts kept, due now). Returns false when not failed/skipped-NOT_CONNECTED.
   *  A requeue also lifts the account's pause and its org's in the same transaction: an admin's retry is tried
   *  at once, not after an old limit window (if the org still refuses, that batch pauses again). */
  requeueResponse(accountId: string, responseId: string, now: Date): Promise<boolean>;
  /** Marks every queued response of the account skipped with `code` (used on disconnect). */
  skipQueuedResponses(accountId: string, code: string, message: string, now: Date): Promise<number>;
  queueStats(now: Date): Promise<{ queued: number; oldestQueuedAgeSeconds: number }>;

  // --- retention ------------------------------------------------------------------------
  /** Deletes, in chunks of `chunk` rows: finished responses (synced, failed, skipped) last updated
   *  before `cutoff`, then events received before it that no response row refers to, expired
   *  OAuth states, and account pauses, org pauses and mirror backoffs that ended before `cutoff`. Queued responses and their events are never touched. Optional only so narrow
   *  test fakes keep compiling; every backend implements it. */
  prune?(cutoff: Date, chunk?: number): Promise<PruneResult>;

  // --- connections ----------------------------------------------------------------------
  getConnection(accountId: string): Promise<ConnectionRecord | undefined>;
  /** Inserts or replaces the account's connection (connect, reconnect) and lifts its pause, the
   *  pause of the org it was connected to and its mirror backoff: they were about the previous
   *  connection. (An org pause of the org it connects to now, set by another account, stays.) */
  upsertConnection(record: ConnectionRecord): Promise<void>;
  /** After a token refresh: the new access token, the rotated refresh token when there is one, and
   *  the instance URL when the refresh response moved the org (validated by the caller); undefined
   *  keeps the stored value. */
  updateConnectionTokens(
    accountId: string,
    accessTokenEnc: string,
    refreshTokenEnc: string | undefined,
    now: Date,
    instanceUrl?: string,
  ): Promise<void>;
  markDisconnected(accountId: string, reason: string, now: Date): Promise<void>;
  insertOAuthState(record: OAuthStateRecord): Promise<void>;
  /** Deletes and returns the state (single use); undefined when unknown. Expiry is checked by the caller. */
  consumeOAuthState(stateHash: string): Promise<OAuthStateRecord | undefined>;

  // --- interaction catalogue ------------------------------------------------------------
  /** Upserts what CredSpark says; returns true when the content hash changed. */
  upsertInteraction(record: Omit<InteractionCatalogueRecord, 'mirroredHash'>): Promise<boolean>;
  interactionsToMirror(accountId: string, limit: number): Promise<InteractionCatalogueRecord[]>;
  markInteractionMirrored(accountId: string, interactionId: string, hash: string): Promise<void>;

  // --- mirror-only work (interaction metadata owed without a response batch) -------------
  // Every backend implements these; optional only so narrow test fakes keep compiling.
  /** Accounts with an active ('connected') connection owing interaction metadata (an interaction
   *  whose mirrored hash is missing or differs from its content hash), leaving out accounts paused
   *  past `now` (pauseAccount, or their org: pauseOrg), backed off or being mirrored past `now`, and accounts under a live
   *  batch lease (the batch mirrors first). Longest-owed first, at most `limit`. */
  accountsOwingMirror?(now: Date, limit: number): Promise<string[]>;
  /** Takes the account's mirror-only turn until now + leaseMs; false (nothing written) while another
   *  attempt or a backoff holds it past `now`. Consecutive failures are kept. */
  claimInteractionMirror?(accountId: string, now: Date, leaseMs: number): Promise<boolean>;
  /** A failed attempt: counts it and holds the account off for min(capMs, baseMs · 2^(failures-1))
   *  from `now`. Returns the consecutive failures and the time of the next attempt. */
  deferInteractionMirror?(
    accountId: string,
    now: Date,
    baseMs: number,
    capMs: number,
  ): Promise<{ failures: number; retryAt: Date }>;
  /** A successful attempt (or one with nothing to do): forgets the failures and the turn. Also done
   *  by upsertConnection (reconnect). */
  clearInteractionMirrorBackoff?(accountId: string): Promise<void>;
}
