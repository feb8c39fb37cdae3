/**
 * The one place deciding whether a Salesforce/jsforce error is worth retrying.
 *
 * Sources: REST API Developer Guide, "Status Codes and Error Responses" (401 INVALID_SESSION_ID,
 * 403 REQUEST_LIMIT_EXCEEDED, 5xx server trouble), "sObject Collections" (per-record
 * `statusCode`), and jsforce 3: HttpApiError carries `errorCode` (also its `name`), or
 * `ERROR_HTTP_<status>` when the body was not a Salesforce error; a failed token refresh is a
 * plain Error whose message holds the OAuth error ("expired access/refresh token").
 */
export interface SalesforceErrorClass {
  retryable: boolean;
  code: string;
  message: string;
  /** A hint for the worker's backoff. */
  retryAfterMs?: number;
  /** For REQUEST_LIMIT_EXCEEDED: which of the org's API limits refused the call (requestLimitKind). */
  limit?: RequestLimit;
}

/**
 * The two limits behind REQUEST_LIMIT_EXCEEDED, told apart by the message (the errorCode is the
 * same): Salesforce "API Request Limits and Allocations"
 * (https://developer.salesforce.com/docs/atlas.en-us.salesforce_app_limits_cheatsheet.meta/salesforce_app_limits_cheatsheet/salesforce_app_limits_platform_api.htm)
 * — "TotalRequests Limit exceeded." is the org's rolling 24-hour allocation, spent: it frees slowly,
 * so the org is held (ORG_API_LIMIT) and probed with one call at most every 15 minutes;
 * "ConcurrentPerOrgLongTxn Limit exceeded." / "ConcurrentRequests (Concurrent API Requests) Limit
 * exceeded" is the cap on long-running requests running at once: it clears in seconds, so the call
 * is retried within seconds (CONCURRENT_LIMIT_RETRY), jittered, with no org-wide hold. A message
 * naming neither is taken as the total limit (the cautious reading: no hammering).
 */
export type RequestLimit = 'total' | 'concurrent';

/** Retry window of a call refused by the concurrent-request limit: uniformly within it. */
export const CONCURRENT_LIMIT_RETRY = { minMs: 1_000, maxMs: 5_000 } as const;

export function requestLimitKind(code: string | undefined, message: string): RequestLimit | undefined {
  if (code !== 'REQUEST_LIMIT_EXCEEDED') return undefined;
  return /Concurrent/i.test(message) ? 'concurrent' : 'total';
}

/**
 * The connector's own hold codes (not Salesforce's): a call the connector refused to send because
 * the admin's daily budget is spent (API_BUDGET) or the org's own allocation is used beyond
 * Max_Org_API_Usage_Percent__c (ORG_API_LIMIT) — SPEC §2 "API budget". Retryable: the responses
 * wait, queued, never failed; the worker holds the org (waitingFor) instead of counting attempts.
 */
export const HOLD_CODES: ReadonlySet<string> = new Set(['API_BUDGET', 'ORG_API_LIMIT']);

/** Transient Salesforce error codes: lock contention, limits, session expiry, server trouble. */
const RETRYABLE_CODES = new Set([
  'UNABLE_TO_LOCK_ROW',
  'REQUEST_LIMIT_EXCEEDED',
  'INVALID_SESSION_ID', // jsforce already refreshed once; the next attempt gets a fresh session
  'SERVER_UNAVAILABLE',
  'REQUEST_RUNNING_TOO_LONG',
  'QUERY_TIMEOUT',
  'TOO_MANY_CONCURRENT_REQUESTS',
  ...HOLD_CODES,
  'CALL_NOT_COUNTED', // budget/callMeter.ts: the store could not count the call, so it was not sent
  'LEASE_LOST', // the batch's lease was not safely held any more: nothing further sent for it
]);

/** Node/undici codes of a call that never reached Salesforce (or lost its answer). */
export const NETWORK_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'ETIMEDOUT',
  'ECONNREFUSED',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
  'ECONNABORTED',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** OAuth errors of a refresh that will never succeed: the admin revoked access. */
const REVOKED = /expired access\/refresh token|invalid_grant|inactive user|app_not_approved/i;

/**
 * A token refresh that failed for a passing reason. jsforce 3 (session-refresh-delegate.js) turns
 * every refresh failure into a plain `Error("Unable to refresh session due to: <message>")`,
 * dropping status and code, so the OAuth error that leads our OAuthError message is all that is
 * left: `network`, `http_5xx` / `http_429` (the token endpoint's own answer), or RFC 6749's
 * `server_error` / `temporarily_unavailable`. Anything else (invalid_grant…) is not transient.
 */
const TRANSIENT_REFRESH = /(?:^|: )(network|http_5\d\d|http_429|server_error|temporarily_unavailable): /;

/**
 * A refresh refused because of the connector's own credentials: `invalid_client` (RFC 6749 §5.2)
 * is what Salesforce answers when SF_CLIENT_ID / SF_CLIENT_SECRET no longer match the connected
 * app (a rotated consumer secret). Nothing about the response or the customer's org is wrong, so
 * failing the response for good would lose it; it waits, with a long hint, for the operator to fix
 * the configuration (the backoff gives up after its usual horizon, and the error says what to fix).
 */
const CONNECTOR_CREDENTIALS = /(?:^|: )invalid_client: /;
const CREDENTIALS_HINT_MS = 10 * 60_000;

const HINTS: Record<string, number> = {
  REQUEST_LIMIT_EXCEEDED: 15 * 60_000, // the daily allocation is rolling over 24 h: wait a while
  UNABLE_TO_LOCK_ROW: 2_000,
};
/** The hint of a concurrent-limit refusal: the lower end of its retry window. */
const CONCURRENT_HINT_MS = CONCURRENT_LIMIT_RETRY.minMs;

export function classifySalesforceError(err: unknown): SalesforceErrorClass {
  const e = (typeof err === 'object' && err !== null ? err : {}) as Record<string, unknown>;
  const message = truncate(typeof e.message === 'string' ? e.message : String(err));
  const code = pickCode(e);
  if (code === 'NOT_CONNECTED' || (!code && REVOKED.test(message))) {
    return { retryable: false, code: 'NOT_CONNECTED', message };
  }
  if (!code) {
    const t = TRANSIENT_REFRESH.exec(message);
    if (t) return { retryable: true, code: `OAUTH_${t[1].toUpperCase()}`, message };
    if (CONNECTOR_CREDENTIALS.test(message)) {
      return {
        retryable: true,
        code: 'OAUTH_INVALID_CLIENT',
        message: `The connector's SF_CLIENT_ID / SF_CLIENT_SECRET were refused by Salesforce (invalid_client): set them to the connected app's current consumer key and secret. ${message}`,
        retryAfterMs: CREDENTIALS_HINT_MS,
      };
    }
  }
  if (code && RETRYABLE_CODES.has(code)) return withHint({ retryable: true, code, message });
  if (code && NETWORK_CODES.has(code)) return { retryable: true, code, message };
  const status = httpStatus(e, code);
  if (status !== undefined && (status >= 500 || status === 429 || status === 420)) {
    return { retryable: true, code: code ?? `HTTP_${status}`, message };
  }
  if (code === 'ERROR_HTTP_401') return { retryable: true, code: 'INVALID_SESSION_ID', message };
  if (
    e.name === 'AbortError' ||
    e.name === 'TimeoutError' ||
    /timed? ?out|socket hang up|fetch failed/i.test(message)
  ) {
    return { retryable: true, code: code ?? 'NETWORK_ERROR', message };
  }
  return { retryable: false, code: code ?? 'SALESFORCE_ERROR', message };
}

function withHint(c: SalesforceErrorClass): SalesforceErrorClass {
  const limit = requestLimitKind(c.code, c.message);
  if (limit === 'concurrent') return { ...c, limit, retryAfterMs: CONCURRENT_HINT_MS };
  if (limit === 'total') return { ...c, limit, retryAfterMs: HINTS.REQUEST_LIMIT_EXCEEDED };
  const hint = HINTS[c.code];
  return hint === undefined ? c : { ...c, retryAfterMs: hint };
}

function pickCode(e: Record<string, unknown>): string | undefined {
  for (const k of ['errorCode', 'statusCode', 'code'] as const) {
    const v = e[k];
    // SOAP faults (Metadata API) arrive as the faultcode with its XML prefix: `sf:INVALID_SESSION_ID`.
    if (typeof v === 'string' && v.length > 0) return v.replace(/^(?:sf|soapenv|fns):/i, '');
  }
  const cause = e.cause as Record<string, unknown> | undefined;
  if (cause && typeof cause.code === 'string') return cause.code;
  return undefined;
}

function httpStatus(e: Record<string, unknown>, code: string | undefined): number | undefined {
  if (typeof e.status === 'number') return e.status;
  if (typeof e.statusCode === 'number') return e.statusCode;
  const m = code ? /^ERROR_HTTP_(\d{3})$/.exec(code) : null;
  return m ? Number(m[1]) : undefined;
}

function truncate(s: string): string {
  return s.length > 1000 ? `${s.slice(0, 1000)}…` : s;
}
