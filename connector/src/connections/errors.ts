/**
 * The connection errors other modules rely on.
 * - NotConnectedError: the account has no usable connection (never connected, disconnected by the
 *   admin, or its refresh token was revoked). Work for it is skipped with code NOT_CONNECTED.
 * - isInvalidGrant: recognises a refresh rejected by Salesforce with `invalid_grant`, whatever
 *   wrapper it arrives in (see below). The sync engine's classifier uses it.
 */
export class NotConnectedError extends Error {
  readonly code = 'NOT_CONNECTED' as const;
  constructor(
    readonly accountId: string,
    readonly reason?: string,
  ) {
    super(
      reason === 'revoked'
        ? 'Salesforce access was revoked; reconnect the account to resume syncing'
        : 'The account has no active Salesforce connection',
    );
    this.name = 'NotConnectedError';
  }
}

/** Marker put in the message of refresh failures this module raises (see connectionService). */
export const INVALID_GRANT_MARKER = 'invalid_grant';

/**
 * True when `err` is Salesforce refusing a refresh token (OAuth 2.0 `invalid_grant`, e.g. "expired
 * access/refresh token" after the admin revoked the app — Salesforce doc "OAuth 2.0 Refresh Token
 * Flow"). jsforce reports a failed session refresh as a plain Error "Unable to refresh session due
 * to: <message>" (session-refresh-delegate.js) and its OAuth2 client puts the OAuth `error` in
 * `name` and `error_description` in `message`, so we look at both.
 */
export function isInvalidGrant(err: unknown): boolean {
  if (err instanceof NotConnectedError) return false;
  if (!(err instanceof Error)) return false;
  if (err.name === INVALID_GRANT_MARKER) return true;
  const message = err.message ?? '';
  return message.includes(INVALID_GRANT_MARKER) || /expired access\/refresh token/i.test(message);
}

/** True for anything meaning "this account cannot reach Salesforce until it reconnects". */
export function isNotConnected(err: unknown): boolean {
  return err instanceof NotConnectedError || isInvalidGrant(err);
}
