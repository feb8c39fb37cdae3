/** The records the store keeps and hands out (glossary: docs/architecture.md, "Glossary"). */

/** `orgCap` when none is given: no cap beyond one batch per account (fits an SQL integer). */
export const NO_ORG_CAP = 2_147_483_647;

export interface PruneResult {
  responses: number;
  events: number;
  oauthStates: number;
}

export type ResponseStatus = 'queued' | 'synced' | 'failed' | 'skipped';

/** A non-fatal note recorded with a sync (SPEC §5 `warnings`), e.g. FIELD_TRUNCATED, CAMPAIGN_MEMBER_FAILED. */
export interface ResponseWarning {
  code: string;
  message: string;
}
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
  /** Non-fatal notes recorded with a sync (e.g. FIELD_TRUNCATED "Title truncated to 128 characters"). */
  warnings?: ResponseWarning[];
  createdAt: Date;
  updatedAt: Date;
}

/** A claimed unit of work: a queued response with its event body. */
export interface ClaimedResponse extends ResponseRecord {
  body: string;
  /** A CredSpark_Response__c record was written for it before (kept up to date in `Failures` mode). */
  hasResponseRecord?: boolean;
  leaseOwner: string;
  leaseExpiresAt: Date;
  /** Set when the row still carried another claim's lease (lapsed: its holder died or froze before
   *  recording an outcome) — a lease takeover. Outcomes and releases always clear the lease. */
  takenOverFrom?: string;
}

export type ResponseOutcome =
  | {
      status: 'synced';
      object: 'Contact' | 'Lead';
      recordId: string;
      action: SyncAction;
      warnings?: ResponseWarning[];
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
