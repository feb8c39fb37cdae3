import type { ConnectionRecord, OAuthStateRecord } from '../records';

/** Each account's link to its org (tokens sealed by the caller) and the single-use OAuth states. */
export interface ConnectionStore {
  getConnection(accountId: string): Promise<ConnectionRecord | undefined>;
  /** Inserts or replaces the account's connection (connect, reconnect) and lifts its pause, the
   *  pause of the org it was connected to and its mirror backoff: they were about the previous
   *  connection. (An org pause of the org it connects to now, set by another account, stays.) */
  upsertConnection(record: ConnectionRecord): Promise<void>;
  /** After a token refresh: the new access token, the rotated refresh token when there is one, and
   *  the instance URL when the refresh moved the org (validated by the caller); undefined keeps
   *  the stored value. */
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
}
