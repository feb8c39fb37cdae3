import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { interactionRecord } from '../../src/mirror/interactionRecord';
import { DEFAULT_WORKER_CONFIG } from '../../src/config/appConfig';
import { createLogger } from '../../src/observability/logger';
import { createMetrics } from '../../src/observability/metrics';
import { openStore } from '../../src/store/openStore';
import type { Store } from '../../src/store/types';
import { Worker } from '../../src/worker/worker';
import { startHarness, type Harness } from '../connections/harness';
import { startStubSalesforce, type StubSalesforce } from '../connections/stubSalesforce';

/**
 * Mirror-only work when Salesforce writes some Interaction records and refuses others: the
 * Metadata API answers upsertMetadata per record (UpsertResult.success / errors: Metadata API
 * Developer Guide, "upsertMetadata()"), so one refused record leaves the call "successful". The
 * account must still back off — one call per poll for a record the org keeps refusing is the
 * hammering the backoff exists to prevent — and the written records must not be written again.
 * Real SQLite store and ConnectionService, against the stub Salesforce that can refuse a fullName.
 */
describe('mirror-only work, records refused by the Metadata API', () => {
  let dir: string;
  let store: Store;
  let sf: StubSalesforce;
  let h: Harness;
  let now: Date;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mirror-refused-'));
    store = await openStore(`sqlite:${join(dir, 'c.db')}`);
    sf = await startStubSalesforce();
    h = await startHarness({ store, loginUrl: sf.url, clientId: sf.clientId, clientSecret: sf.clientSecret });
    const res = await h.api('/api/accounts/acc_42/connect', { method: 'POST', body: {} });
    const { authorizeUrl } = (await res.json()) as { authorizeUrl: string };
    const { code, state, redirectUri } = sf.approve(authorizeUrl);
    await fetch(`${redirectUri}?code=${encodeURIComponent(code)}&state=${encodeURIComponent(state)}`, {
      redirect: 'manual',
    });
    expect((await store.getConnection('acc_42'))?.status).toBe('connected');
    now = new Date();
  });
  afterEach(async () => {
    await h.close();
    await sf.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const worker = () =>
    new Worker({
      store,
      connections: h.service,
      mirror: h.mirror,
      syncResponses: async () => new Map(),
      config: { ...DEFAULT_WORKER_CONFIG },
      namespace: 'credspark',
      log: createLogger('silent'),
      metrics: createMetrics(),
      clock: () => now,
    });
  const advance = (ms: number) => (now = new Date(now.getTime() + ms));
  const add = (interactionId: string, name: string) =>
    store.upsertInteraction({
      accountId: 'acc_42',
      interactionId,
      name,
      fieldsJson: '[]',
      contentHash: `h-${interactionId}-${name}`,
      updatedAt: now,
    });
  const owed = async () => (await store.interactionsToMirror('acc_42', 10)).map((i) => i.interactionId);

  it('writes the accepted records once and backs the account off for the refused one until it is accepted', async () => {
    await add('int_ok', 'Fine');
    await add('int_bad', 'Refused');
    const bad = interactionRecord('credspark', { interactionId: 'int_bad', name: 'Refused', fieldsJson: '[]' });
    sf.refuseFullNames.add(bad.fullName);
    const w = worker();
    const before = sf.calls.metadata;

    await w.runOnce();
    expect(sf.calls.metadata - before).toBe(1);
    expect(await owed()).toEqual(['int_bad']);
    for (const wait of [1000, 28_999]) {
      advance(wait);
      await w.runOnce();
    }
    expect(sf.calls.metadata - before).toBe(1); // 29.999 s later: still backed off
    advance(1);
    await w.runOnce();
    expect(sf.calls.metadata - before).toBe(2); // 30 s: tried again (refused again)
    advance(59_999);
    await w.runOnce();
    expect(sf.calls.metadata - before).toBe(2); // doubled: 1 min
    sf.refuseFullNames.clear();
    advance(1);
    await w.runOnce();
    expect(sf.calls.metadata - before).toBe(3);
    expect(await owed()).toEqual([]);
    // Each record was stored once: the accepted one was not sent again with the owed one.
    expect(sf.upserted.filter((u) => u.fullName === bad.fullName)).toHaveLength(1);
    expect(sf.upserted.filter((u) => u.values.credspark__Interaction_Id__c === 'int_ok')).toHaveLength(1);
    advance(1000);
    await w.runOnce();
    expect(sf.calls.metadata - before).toBe(3); // nothing owed, nothing called
  });
});
