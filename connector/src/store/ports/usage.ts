/**
 * The API-economy port of the store (SPEC §2 "API budget"), implemented by both backends
 * (store/sqlite/usageStore.ts, store/postgres/usageStore.ts; migration 006).
 *
 * Glossary
 * - day:        a UTC calendar day, `YYYY-MM-DD` — the unit of the admin's Daily_API_Budget__c.
 * - api calls:  the connector's Salesforce REST/SOAP calls for one org that day, counted before each
 *               call is sent, by every instance into one row (so N instances share one budget).
 * - hold:       an org pause (org_pauses) with a reason: API_BUDGET (the admin's cap is spent) or
 *               ORG_API_LIMIT (the org's own allocation is used beyond Max_Org_API_Usage_Percent__c,
 *               or spent). Held responses stay queued, attempts untouched: never failed by a hold.
 * - org report: the org's own allocation as Salesforce last reported it (`Sforce-Limit-Info:
 *               api-usage=N/M`, REST API Developer Guide "Response Headers").
 * - check:      a rate-limited call an instance may make for a held or busy org — `settings` (re-read
 *               CredSpark_Settings__mdt while held by the budget: every 5 min), `probe` (one call to
 *               see whether the org's allocation freed: every 15 min), `usageRecord` (upsert of the
 *               day's CredSpark_Usage__c: every 15 min). Taken atomically, so N instances make one.
 */
export type HoldReason = 'API_BUDGET' | 'ORG_API_LIMIT';
export const HOLD_REASONS: readonly HoldReason[] = ['API_BUDGET', 'ORG_API_LIMIT'];

export type OrgCheck = 'settings' | 'probe' | 'usageRecord';

export interface DayUsage {
  apiCalls: number;
  synced: number;
  failed: number;
}

export interface OrgApiReport {
  used: number;
  max: number;
  reportedAt: Date;
}

/** What keeps an account's queued responses from being synced now (status API `waitingFor`). */
export interface AccountWait {
  /** The org's pause, if running: its reason, or null for a backoff pause. */
  org?: { reason: HoldReason | null; until: Date };
  /** The account's own backoff pause, if running. */
  accountPausedUntil?: Date;
}

export interface UsageStore {
  /** Counts one call for the org's day when its count is below `cap` (null: no cap, always
   *  counted); returns the count after, or null (nothing counted) when the cap is reached. */
  takeApiCall(orgId: string, day: string, cap: number | null): Promise<number | null>;
  /** Counts `n` calls whatever the cap (the settings re-read a held org is allowed; jsforce's own
   *  retries of a call already let through). Returns the count after. */
  addApiCalls(orgId: string, day: string, n: number): Promise<number>;
  /** Adds the responses that reached synced / failed for the org that day (CredSpark_Usage__c). */
  countOutcomes(orgId: string, day: string, synced: number, failed: number): Promise<void>;
  dayUsage(orgId: string, day: string): Promise<DayUsage>;
  recordOrgReport(orgId: string, used: number, max: number, at: Date): Promise<void>;
  /** Daily_API_Budget__c as read at `at` (null: no cap), unless a newer read is recorded: every
   *  instance then holds and counts by the newest cap any of them read, and the usage route shows it. */
  recordBudget(orgId: string, budget: number | null, at: Date): Promise<void>;
  /** The budget last recorded (newest read wins) and when it was read; undefined when never. */
  budget(orgId: string): Promise<{ budget: number | null; readAt: Date } | undefined>;
  orgReport(orgId: string): Promise<OrgApiReport | undefined>;
  /** Takes the org's `check` turn: true (and the turn recorded at `now`) when none was taken in
   *  the last `intervalMs` by any instance; false otherwise. */
  claimOrgCheck(orgId: string, check: OrgCheck, now: Date, intervalMs: number): Promise<boolean>;
  /** Pauses the org of the account's connection until `until` with `reason`, with pauseOrg's holder
   *  rule (only while `owner` holds leases on the account's queued responses). */
  holdOrg(accountId: string, owner: string, until: Date, reason: HoldReason): Promise<boolean>;
  /** Gives claimed responses back (lease cleared) without counting an attempt or touching their
   *  retry window: a hold is not a failed attempt. Only rows `owner` still leases. */
  releaseResponses(accountId: string, owner: string, responseIds: string[]): Promise<number>;
  /** Queued responses waiting now, by why (status API `waitingFor`): held orgs by their reason,
   *  backoff pauses (account or org) and retries not yet due as BACKOFF. For /metrics. */
  heldCounts(now: Date): Promise<Record<HoldReason | 'BACKOFF', number>>;
  /** The pauses running past `now` for the account (and the org it is connected to). */
  accountWait(accountId: string, now: Date): Promise<AccountWait>;
}

/** The UTC day of `at`, `YYYY-MM-DD`. */
export function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}
