import type { ClaimedResponse, ResponseOutcome } from '../store/types';
import { CONCURRENT_LIMIT_RETRY, NETWORK_CODES, requestLimitKind } from '../salesforce/errors';
import type { SyncOutcome } from '../sync/types';

export interface RetryPolicy {
  backoffBaseMs: number;
  backoffCapMs: number;
  /** Retried for longer than this (from the start of its retry window) → failed with the last code. */
  maxAgeMs: number;
}

/**
 * Exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter"):
 * delay = random(0, min(cap, base · 2^attempt)). Full jitter spreads the retries of a batch that
 * failed together (e.g. REQUEST_LIMIT_EXCEEDED for one org) instead of retrying them in lockstep.
 * A server hint (retryAfterMs) is a floor.
 */
export function backoffDelayMs(
  policy: RetryPolicy,
  priorAttempts: number,
  random: () => number,
  retryAfterMs?: number,
): number {
  const ceiling = Math.min(policy.backoffCapMs, policy.backoffBaseMs * 2 ** Math.min(priorAttempts, 30));
  const jittered = Math.floor(random() * ceiling);
  return Math.max(jittered, retryAfterMs ?? 0);
}

/**
 * The delay before a retry: the exponential backoff, except for the concurrent-request limit
 * (REQUEST_LIMIT_EXCEEDED "ConcurrentPerOrgLongTxn" / "ConcurrentRequests"), which clears in
 * seconds whatever the attempt number: uniformly within CONCURRENT_LIMIT_RETRY (jitter spreads the
 * batch's responses and the org's instances apart). salesforce/errors.ts tells the two apart.
 */
export function retryDelayMs(
  policy: RetryPolicy,
  priorAttempts: number,
  random: () => number,
  outcome: { code: string; message: string; retryAfterMs?: number },
): number {
  if (requestLimitKind(outcome.code, outcome.message) === 'concurrent') {
    const { minMs, maxMs } = CONCURRENT_LIMIT_RETRY;
    return minMs + Math.floor(random() * (maxMs - minMs));
  }
  return backoffDelayMs(policy, priorAttempts, random, outcome.retryAfterMs);
}

/** Turns what the sync engine decided into what the store records. */
export function toStoreOutcome(
  policy: RetryPolicy,
  response: ClaimedResponse,
  outcome: SyncOutcome,
  now: Date,
  random: () => number,
): ResponseOutcome {
  if (outcome.status !== 'retry') return outcome;
  const windowStart = (response.retryWindowStartedAt ?? response.createdAt).getTime();
  const attempts = response.attempts + 1;
  if (now.getTime() - windowStart >= policy.maxAgeMs) {
    const hours = Math.round(policy.maxAgeMs / 3_600_000);
    return {
      status: 'failed',
      code: outcome.code,
      message: `${outcome.message} (gave up after ${attempts} attempts over ${hours} h)`,
    };
  }
  const delay = retryDelayMs(policy, response.attempts, random, outcome);
  return {
    status: 'retry',
    code: outcome.code,
    message: outcome.message,
    nextAttemptAt: new Date(now.getTime() + delay),
  };
}

/**
 * Retry codes about the whole org or its instance, not one account's batch: the API allocation is
 * the org's (Salesforce "API Request Limits and Allocations",
 * https://developer.salesforce.com/docs/platform/salesforce-app-limits-cheatsheet/guide/salesforce-app-limits-platform-api.html),
 * and every account of the org talks to the same instance. A batch refused with only these pauses
 * the org; why the others pause the account only: docs/architecture.md, "Pause after a batch that
 * failed as a whole".
 */
const ORG_WIDE_RETRY_CODES = new Set([
  'REQUEST_LIMIT_EXCEEDED',
  'TOO_MANY_CONCURRENT_REQUESTS',
  'SERVER_UNAVAILABLE',
  ...NETWORK_CODES,
  'NETWORK_ERROR',
]);

/** True for a retry code of an org-wide refusal (see ORG_WIDE_RETRY_CODES); HTTP_5xx / ERROR_HTTP_5xx too. */
export function isOrgWideRetry(code: string): boolean {
  return ORG_WIDE_RETRY_CODES.has(code) || /^(?:ERROR_)?HTTP_5\d\d$/.test(code);
}
