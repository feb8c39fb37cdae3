import type { Connection } from 'jsforce';
import type { Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';
import { queryAll } from '../salesforce/calls';
import { classifySalesforceError } from '../salesforce/errors';
import { TtlCache } from '../cache/ttlCache';

/**
 * The org's `CredSpark_Settings__mdt` record `Default` (SPEC §3): the admin's API budget, the org
 * headroom threshold and which responses get a `CredSpark_Response__c` record. Absent record (or
 * an org whose package version has no such type) = all defaults. Read with one SOQL query over
 * REST and cached per org like the sync rules (custom metadata queries through the API count
 * against the daily allocation: the "free" rule is Apex-only), so a change made in Salesforce
 * takes effect within the cache lifetime (DEFAULT_ORG_SETTINGS_TTL_MS).
 */
export type ResponseRecords = 'None' | 'Failures' | 'All';

export interface OrgSettings {
  /** Daily_API_Budget__c: most API calls per UTC day for this org; null = no cap (empty or 0). */
  dailyApiBudget: number | null;
  /** Max_Org_API_Usage_Percent__c: stop syncing while the org's own allocation is used beyond it. */
  maxOrgApiUsagePercent: number;
  /** Response_Records__c: which responses get a CredSpark_Response__c record. */
  responseRecords: ResponseRecords;
}

export const DEFAULT_ORG_SETTINGS: Readonly<OrgSettings> = Object.freeze({
  dailyApiBudget: null,
  maxOrgApiUsagePercent: 90,
  responseRecords: 'Failures',
});

export const DEFAULT_ORG_SETTINGS_TTL_MS = 60_000;

const RESPONSE_RECORDS: readonly ResponseRecords[] = ['None', 'Failures', 'All'];

/** The one query: the `Default` record's three fields. */
export function orgSettingsSoql(namespace: string): string {
  const ns = namespace ? `${namespace}__` : '';
  return `SELECT ${ns}Daily_API_Budget__c, ${ns}Max_Org_API_Usage_Percent__c, ${ns}Response_Records__c FROM ${ns}CredSpark_Settings__mdt WHERE DeveloperName = 'Default' LIMIT 1`;
}

/**
 * The settings from the query's record (undefined: no record → defaults). Tolerant: a value an
 * admin could type wrongly never stops sync; it falls back to its default and is named in a
 * warning (ids and field names only). Numbers may come as JSON numbers or strings.
 */
export function parseOrgSettings(
  rec: Record<string, unknown> | undefined,
  namespace: string,
  warn: (field: string, problem: string) => void = () => undefined,
): OrgSettings {
  if (!rec) return { ...DEFAULT_ORG_SETTINGS };
  const ns = namespace ? `${namespace}__` : '';
  const budgetRaw = number(pick(rec, `${ns}Daily_API_Budget__c`));
  let dailyApiBudget: number | null = null;
  if (budgetRaw === 'invalid') warn('Daily_API_Budget__c', 'not a number: no cap');
  else if (budgetRaw !== undefined && budgetRaw < 0) warn('Daily_API_Budget__c', 'negative: no cap');
  else if (budgetRaw !== undefined && budgetRaw >= 1) dailyApiBudget = Math.floor(budgetRaw);

  const pctRaw = number(pick(rec, `${ns}Max_Org_API_Usage_Percent__c`));
  let maxOrgApiUsagePercent = DEFAULT_ORG_SETTINGS.maxOrgApiUsagePercent;
  if (pctRaw === 'invalid' || (pctRaw !== undefined && pctRaw <= 0)) {
    warn('Max_Org_API_Usage_Percent__c', `not a percentage above 0: ${maxOrgApiUsagePercent} used`);
  } else if (pctRaw !== undefined) maxOrgApiUsagePercent = Math.min(100, pctRaw);

  const rrRaw = pick(rec, `${ns}Response_Records__c`);
  let responseRecords = DEFAULT_ORG_SETTINGS.responseRecords;
  if (typeof rrRaw === 'string' && rrRaw.trim() !== '') {
    const found = RESPONSE_RECORDS.find((v) => v.toLowerCase() === rrRaw.trim().toLowerCase());
    if (found) responseRecords = found;
    else warn('Response_Records__c', `must be None, Failures or All: ${responseRecords} used`);
  }
  return { dailyApiBudget, maxOrgApiUsagePercent, responseRecords };
}

/** What reading needs: an authenticated connection and ids for logs and call counting. */
export interface OrgSettingsContext {
  conn: Connection;
  orgId: string;
  /** How long the read may take (salesforce/calls.ts DEFAULT_CALL_TIMEOUT_MS). */
  callTimeoutMs: number;
  accountId?: string;
  namespace: string;
  log: Logger;
  metrics: Metrics;
}

/**
 * Per-org cache of the settings (one object per connector, built with it). `get` answers from the
 * cache within `ttlMs`; `reload` reads now (the worker's re-read while an org is held by its
 * budget, at most every 5 minutes); concurrent readers of one org share one query.
 */
export class OrgSettingsCache {
  private readonly cache: TtlCache<OrgSettings>;
  private readonly now: () => number;

  constructor(opts: { ttlMs?: number; clock?: () => number } = {}) {
    this.cache = new TtlCache(opts.ttlMs ?? DEFAULT_ORG_SETTINGS_TTL_MS);
    this.now = opts.clock ?? Date.now;
  }

  get(ctx: OrgSettingsContext): Promise<OrgSettings> {
    return this.cache.get(key(ctx), this.now(), () => readOrgSettings(ctx));
  }

  /** Reads the record now (sharing a read already running for the org). */
  reload(ctx: OrgSettingsContext): Promise<OrgSettings> {
    return this.cache.reload(key(ctx), this.now, () => readOrgSettings(ctx));
  }

  /** The last settings read for the org, whatever their age (undefined: never read). */
  peek(orgId: string, namespace: string): OrgSettings | undefined {
    return this.cache.peek(key({ orgId, namespace }))?.value;
  }

  /** When the org's settings were last read (epoch ms), undefined when never. */
  loadedAt(orgId: string, namespace: string): number | undefined {
    return this.cache.peek(key({ orgId, namespace }))?.at;
  }

  /** Stores settings read elsewhere (e.g. as a subrequest of another composite call). */
  prime(orgId: string, namespace: string, settings: OrgSettings): void {
    this.cache.set(key({ orgId, namespace }), settings, this.now());
  }

  invalidate(orgId?: string): void {
    this.cache.invalidate(orgId === undefined ? '' : `${orgId}|`);
  }
}

/**
 * One query. A type or field the org does not have (INVALID_TYPE / INVALID_FIELD: a package version
 * older than the settings type) means defaults, not a stopped sync; transient errors are thrown
 * for the caller's retry.
 */
export async function readOrgSettings(ctx: OrgSettingsContext): Promise<OrgSettings> {
  let rows: Record<string, unknown>[];
  try {
    rows = await queryAll<Record<string, unknown>>(ctx, orgSettingsSoql(ctx.namespace));
  } catch (err) {
    const c = classifySalesforceError(err);
    if (c.retryable || c.code === 'NOT_CONNECTED') throw err;
    ctx.log.warn(
      { orgId: ctx.orgId, accountId: ctx.accountId, code: c.code },
      'CredSpark_Settings__mdt not readable: defaults used',
    );
    return { ...DEFAULT_ORG_SETTINGS };
  }
  return parseOrgSettings(rows[0], ctx.namespace, (field, problem) =>
    ctx.log.warn({ orgId: ctx.orgId, accountId: ctx.accountId, field }, `CredSpark_Settings__mdt: ${problem}`),
  );
}

function key(ctx: { orgId: string; namespace: string }): string {
  return `${ctx.orgId}|${ctx.namespace}`;
}

/** undefined for empty; 'invalid' for something that is not a finite number. */
function number(v: unknown): number | undefined | 'invalid' {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'number') return Number.isFinite(v) ? v : 'invalid';
  if (typeof v === 'string') {
    if (v.trim() === '') return undefined;
    const n = Number(v.trim());
    return Number.isFinite(n) ? n : 'invalid';
  }
  return 'invalid';
}

/** A field by API name, case-insensitively (results spell names as the schema does). */
function pick(rec: Record<string, unknown>, name: string): unknown {
  if (name in rec) return rec[name];
  const lower = name.toLowerCase();
  for (const k of Object.keys(rec)) if (k.toLowerCase() === lower) return rec[k];
  return undefined;
}
