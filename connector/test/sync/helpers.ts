import type { Connection } from 'jsforce';
import { startLocalOrg, type LocalOrg } from '@credspark/local-org';
import {
  apiCalls,
  connectAutoApproved,
  control,
  resetApiCalls,
  VERSION as API_VERSION,
} from '@credspark/local-org/client';
import { createLogger } from '../../src/observability/logger';
import { createMetrics } from '../../src/observability/metrics';
import type { ClaimedResponse } from '../../src/store/types';
import { createSyncEngine, type SyncEngineOptions } from '../../src/sync/syncResponses';
import type { EngineContext, SyncContext, SyncResponses } from '../../src/sync/types';

export { API_VERSION, apiCalls, control, resetApiCalls };

/**
 * The hooks the local-org tests share (call inside `describe` or at a file's top): one local org
 * for the file, closed after the file; `set` hands it to the test's variable. Its consent page
 * auto-approves unless `autoApprove: false` (tests that click "Allow" themselves);
 * `resetEachTest` resets the org's data before each test.
 */
export function useLocalOrg(
  set: (org: LocalOrg) => void,
  opts: { autoApprove?: boolean; resetEachTest?: boolean } = {},
): void {
  let org: LocalOrg;
  beforeAll(async () => {
    org = await startLocalOrg({ quiet: true, autoApprove: opts.autoApprove ?? true });
    set(org);
  });
  afterAll(() => org.close());
  if (opts.resetEachTest) beforeEach(() => resetOrg(org));
}

/** What a sync test against the local org works with; reset before each test. */
export interface SyncOnOrg {
  org: LocalOrg;
  /** The demo org's context, over a connection made for this test. */
  ctx: EngineContext;
}

/**
 * useLocalOrg plus, before each test, the org's data reset, a new engine (empty settings and
 * describe caches) and a new context; `set` hands org and context to the test's variables. Returns
 * `syncResponses` (this test's engine), `renewEngine` (a new one, with `options` if given: an
 * admin's change seen at once, or a short call timeout) and `engineContext` (this test's engine's
 * view of a context, its caches included).
 */
export function useSyncOnLocalOrg(set: (t: SyncOnOrg) => void): {
  syncResponses: SyncResponses;
  renewEngine(options?: SyncEngineOptions): void;
  engineContext(ctx: SyncContext): EngineContext;
} {
  let org: LocalOrg;
  let engine = createSyncEngine();
  useLocalOrg((o) => (org = o), { resetEachTest: true });
  beforeEach(async () => {
    engine = createSyncEngine();
    set({ org, ctx: syncContext(await connectDemo(org), org) });
  });
  return {
    syncResponses: (c, rs) => engine.sync(c, rs),
    renewEngine: (options) => (engine = createSyncEngine(options)),
    engineContext: (c) => engine.context(c),
  };
}

/** A clean slate for one test: the org's data reset (tests make a new engine, whose caches are empty). */
export async function resetOrg(org: LocalOrg): Promise<void> {
  await control(org, 'POST', '/__local/reset');
}

/** An authenticated jsforce Connection to the demo org (auto-approved OAuth web server flow with PKCE). */
export const connectDemo = (org: LocalOrg, username?: string): Promise<Connection> =>
  connectAutoApproved(org, { username });

/** The sync engine's context for the demo org, over a freshly authenticated connection. */
export async function demoContext(org: LocalOrg): Promise<EngineContext> {
  return syncContext(await connectDemo(org), org);
}

/** A worker's context for the org, as a fresh engine sees it (its own caches, default timeout):
 *  enough for the engine's parts (loadSettings, matchByEmail) and for any engine's `sync`. */
export function syncContext(
  conn: Connection,
  org: LocalOrg,
  orgId = org.demo.orgId,
  namespace = 'credspark',
): EngineContext {
  const log = createLogger('silent');
  return createSyncEngine().context({ conn, accountId: 'acc_42', orgId, namespace, log, metrics: createMetrics() });
}

export const seedOrg = (org: LocalOrg, sobject: string, recs: Record<string, unknown>[], orgId?: string) =>
  seed(org, sobject, recs, orgId);

export async function seed(
  org: LocalOrg,
  sobject: string,
  records: Record<string, unknown>[],
  orgId = org.demo.orgId,
): Promise<string[]> {
  const all: string[] = [];
  for (let i = 0; i < records.length; i += 500) {
    const { ids } = await control(org, 'POST', `/__local/orgs/${orgId}/records/${sobject}`, records.slice(i, i + 500));
    all.push(...ids);
  }
  return all;
}

export async function records(org: LocalOrg, sobject: string, orgId = org.demo.orgId): Promise<Record<string, any>[]> {
  return (await control(org, 'GET', `/__local/orgs/${orgId}/records/${sobject}`)).records;
}

export interface RuleSpec {
  interactionId: string;
  target: 'Contact' | 'Lead';
  enabled?: boolean;
  enabledAt?: string;
  mappings: { source?: string; target: string; static?: string }[];
  /** More rule fields (SPEC §3), named without the namespace: e.g. `{ Duplicate_Handling__c: 'Update_Match' }`. */
  options?: Record<string, unknown>;
}

/** Seeds an interaction, its sync rule and mappings as the package's LWC would save them (SPEC §3). */
export async function seedRule(
  org: LocalOrg,
  spec: RuleSpec,
  orgId = org.demo.orgId,
  namespace = 'credspark',
): Promise<void> {
  const NS = namespace ? `${namespace}__` : '';
  const seed = (_org: LocalOrg, sobject: string, recs: Record<string, unknown>[]) => seedOrg(org, sobject, recs, orgId);
  const dev = spec.interactionId.replace(/[^A-Za-z0-9]/g, '_');
  await seed(org, `${NS}CredSpark_Interaction__mdt`, [
    { DeveloperName: `I_${dev}`, MasterLabel: spec.interactionId, [`${NS}Interaction_Id__c`]: spec.interactionId },
  ]);
  await seed(org, `${NS}CredSpark_Sync_Rule__mdt`, [
    {
      DeveloperName: `R_${dev}`,
      MasterLabel: `Rule ${spec.interactionId}`,
      [`${NS}Interaction__c`]: `I_${dev}`,
      [`${NS}Enabled__c`]: spec.enabled ?? true,
      [`${NS}Target_Object__c`]: spec.target,
      [`${NS}Enabled_At__c`]: spec.enabledAt ?? '2026-01-01T00:00:00.000Z',
      ...Object.fromEntries(Object.entries(spec.options ?? {}).map(([k, v]) => [`${NS}${k}`, v])),
    },
  ]);
  await seed(
    org,
    `${NS}CredSpark_Field_Mapping__mdt`,
    spec.mappings.map((m, i) => ({
      DeveloperName: `M_${dev}_${i}`,
      MasterLabel: `M ${i}`,
      [`${NS}Sync_Rule__c`]: `R_${dev}`,
      [`${NS}Source_Field__c`]: m.source ?? null,
      [`${NS}Target_Field__c`]: m.target,
      [`${NS}Static_Value__c`]: m.static ?? null,
    })),
  );
}

let seq = 0;
/** A claimed response as the worker hands it over, with a SPEC §4 `response.completed` body. */
export function claimed(opts: {
  interactionId: string;
  answers: Record<string, unknown>;
  completedAt?: string;
  responseId?: string;
  score?: number;
}): ClaimedResponse {
  const responseId = opts.responseId ?? `rsp_${++seq}_${Date.now()}`;
  const completedAt = opts.completedAt ?? '2026-11-28T19:00:00Z';
  const typeOf = (k: string, v: unknown) =>
    ['first_name', 'last_name', 'email'].includes(k)
      ? k
      : Array.isArray(v)
        ? 'multiple_choice'
        : typeof v === 'number'
          ? 'number'
          : typeof v === 'boolean'
            ? 'boolean'
            : 'text';
  const body = {
    id: `evt_${responseId}`,
    type: 'response.completed',
    createdAt: completedAt,
    accountId: 'acc_42',
    data: {
      responseId,
      interaction: { id: opts.interactionId, name: 'Q4 Webinar Quiz' },
      completedAt,
      score: opts.score ?? 80,
      answers: Object.entries(opts.answers).map(([key, value]) => ({
        key,
        type: typeOf(key, value),
        label: key,
        value,
      })),
    },
  };
  const now = new Date();
  return {
    accountId: 'acc_42',
    responseId,
    eventId: body.id,
    interactionId: opts.interactionId,
    completedAt: new Date(completedAt),
    status: 'queued',
    attempts: 0,
    nextAttemptAt: now,
    createdAt: now,
    updatedAt: now,
    body: JSON.stringify(body),
    leaseOwner: 'test',
    leaseExpiresAt: new Date(now.getTime() + 60_000),
  };
}

export const DEFAULTS = [
  { source: 'first_name', target: 'FirstName' },
  { source: 'last_name', target: 'LastName' },
  { source: 'email', target: 'Email' },
];
