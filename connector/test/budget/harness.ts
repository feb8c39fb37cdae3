import type { Connection } from 'jsforce';
import type { LocalOrg } from '@credspark/local-org';
import { apiCalls, control } from '../../../scripts/local-org/test/client';
import { createEconomy, type Economy } from '../../src/budget/economy';
import { createLogger } from '../../src/observability/logger';
import { createMetrics, type Metrics } from '../../src/observability/metrics';
import { openStore } from '../../src/store/openStore';
import type { Store } from '../../src/store/types';
import { createSyncEngine } from '../../src/sync/syncResponses';
import type { SyncResponses } from '../../src/sync/types';
import { Worker } from '../../src/worker/worker';
import { ConnectionService } from '../../src/connections';
import { InteractionWriter } from '../../src/mirror/writer';
import { consent } from '../connections/consent';
import { api, deliver, sampleEvent, startContractAppOnOrg, type ContractApp } from '../contract/harness';
import { connectDemo, DEFAULTS, seedRule, useLocalOrg } from '../sync/helpers';

/**
 * The API-economy tests' set-up: the real HTTP app and ConnectionService (startContractAppOnOrg)
 * connected to a local org through the consent page, and "instances" — each a Worker with its own
 * economy (call meter, settings cache) and its own store connection on the app's SQLite file, as
 * separate processes would have — on one test clock. Salesforce is reached through jsforce over
 * real HTTP; counts are read from the local org (what Salesforce counted) and the store.
 */
export interface Instance {
  worker: Worker;
  economy: Economy;
  store: Store;
  metrics: Metrics;
}

export interface EconomyHarness {
  h: ContractApp;
  org: LocalOrg;
  sf: Connection;
  clock: { now: Date };
  instance(opts?: { owner?: string; batchSize?: number; sync?: SyncResponses; leaseMs?: number }): Promise<Instance>;
  /** Queues n responses of acc_42 through the webhook (emails eN@example.com). */
  queue(n: number, from?: number): Promise<string[]>;
  /** REST/SOAP calls the local org counted since the harness started (or the last reset). */
  orgCalls(): Promise<number>;
  settings(values: { budget?: number | null; percent?: number | null }): Promise<void>;
  status(responseId: string): Promise<any>;
  usage(): Promise<any>;
  close(): Promise<void>;
}

export const INTERACTION = 'int_q4_webinar';

async function economyHarness(org: LocalOrg): Promise<EconomyHarness> {
  await control(org, 'POST', '/__local/reset');
  await control(org, 'POST', '/__local/settings', { autoApprove: false });
  const h = await startContractAppOnOrg(org, { WORKER_BATCH_FILL_MS: '0' });
  const r = await api(h.url, '/api/accounts/acc_42/connect', { method: 'POST', body: {} });
  if (r.status !== 200) throw new Error(`connect answered ${r.status}`);
  const cb = await fetch(await consent(String(r.json.authorizeUrl), 'allow'), { redirect: 'manual' });
  if (cb.status >= 400) throw new Error(`callback answered ${cb.status}`);
  await seedRule(org, { interactionId: INTERACTION, target: 'Contact', mappings: DEFAULTS });
  // The test's own admin connection (not the connector's: its calls must not go through a meter).
  const sf = await connectDemo(org);
  const clock = { now: new Date() };
  const stores: Store[] = [];
  let settingsSeq = 0;
  const ns = 'credspark__';
  return {
    h,
    org,
    sf,
    clock,
    async instance(opts = {}) {
      const store = await openStore(h.config.databaseUrl);
      stores.push(store);
      const metrics = createMetrics();
      const log = createLogger('silent');
      const economy = createEconomy({
        usage: store,
        namespace: h.config.sfNamespace,
        metrics,
        log,
        clock: () => clock.now,
      });
      // Its own ConnectionService (its own jsforce Connections, metered by its own meter), as a
      // separate process would have.
      const svc = new ConnectionService({ store, config: h.config, log, metrics, meter: economy.meter });
      const worker = new Worker({
        store,
        connections: svc,
        mirror: new InteractionWriter({ store, connections: svc, namespace: h.config.sfNamespace, log, metrics }),
        syncResponses: opts.sync ?? createSyncEngine().sync,
        config: {
          ...h.config.worker,
          batchSize: opts.batchSize ?? h.config.worker.batchSize,
          leaseMs: opts.leaseMs ?? 10_000,
        },
        namespace: h.config.sfNamespace,
        log,
        metrics,
        clock: () => clock.now,
        owner: opts.owner,
        economy,
        batchFillMs: 0,
      });
      return { worker, economy, store, metrics };
    },
    async queue(n, from = 0) {
      const ids: string[] = [];
      for (let i = from; i < from + n; i++) {
        const ev = sampleEvent({
          responseId: `rsp_${i}`,
          answers: [
            { key: 'first_name', type: 'first_name', label: 'First Name', value: 'Jane' },
            { key: 'last_name', type: 'last_name', label: 'Last Name', value: `Doe${i}` },
            { key: 'email', type: 'email', label: 'Email', value: `e${i}@example.com` },
          ],
        });
        const res = await deliver(h.url, ev);
        if (res.status !== 202) throw new Error(`webhook answered ${res.status}`);
        ids.push(`rsp_${i}`);
      }
      // Stored as due "now" by the app's real clock: the test clock must not be behind it.
      clock.now = new Date(Math.max(clock.now.getTime(), Date.now()));
      return ids;
    },
    async orgCalls() {
      return (await apiCalls(org)).total;
    },
    async settings({ budget, percent }) {
      // As the package's LWC saves them: Metadata API upsert of CustomMetadata (one SOAP call the
      // org counts; the tests measure the connector's calls around it).
      settingsSeq++;
      const values = [
        ...(budget === undefined ? [] : [{ field: `${ns}Daily_API_Budget__c`, value: budget }]),
        ...(percent === undefined ? [] : [{ field: `${ns}Max_Org_API_Usage_Percent__c`, value: percent }]),
      ];
      const result = await sf.metadata.upsert('CustomMetadata', {
        fullName: `${ns}CredSpark_Settings.Default`,
        label: `Default ${settingsSeq}`,
        values,
      } as never);
      const ok = (Array.isArray(result) ? result : [result]).every(
        (x: { success?: unknown }) => String(x.success) === 'true',
      );
      if (!ok) throw new Error(`settings upsert refused: ${JSON.stringify(result)}`);
    },
    async status(responseId) {
      return (await api(h.url, `/api/accounts/acc_42/responses/${responseId}`)).json;
    },
    async usage() {
      return (await api(h.url, '/api/accounts/acc_42/usage')).json;
    },
    async close() {
      await control(org, 'POST', `/__local/orgs/${org.demo.orgId}/faults`, {});
      for (const s of stores) await s.close();
      await h.close();
    },
  };
}

/**
 * The economy tests' hooks: one local org for the file, a fresh harness on it before each test
 * (closed after), handed to the test's variable by `set`.
 */
export function useEconomyHarness(set: (e: EconomyHarness) => void): void {
  let org: LocalOrg;
  let e: EconomyHarness | undefined;
  useLocalOrg((o) => (org = o));
  beforeEach(async () => {
    e = await economyHarness(org);
    set(e);
  });
  afterEach(() => e?.close());
}

export const advance = (clock: { now: Date }, ms: number) => (clock.now = new Date(clock.now.getTime() + ms));
