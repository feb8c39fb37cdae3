import type { LocalOrg } from '@credspark/local-org';
import type { ConnectionService } from '../../src/connections';
import type { AppConfig } from '../../src/config/appConfig';
import type { Store } from '../../src/store/types';
import type { Worker } from '../../src/worker/worker';
import {
  BatchLog,
  connectionService,
  connectTenant,
  enqueue,
  openStore,
  setFaults,
  sqliteFile,
  tenantConfig,
  tenantWorker,
  until,
  type Tenant,
} from './tenants';
import { useLocalOrg } from '../sync/helpers';

/**
 * Fairness across tenants (docs/architecture.md): a backlog, a slow org and a down org must not
 * delay a quiet org's lone response. Real worker, ConnectionService, sync engine and jsforce
 * against the local org (every tenant its own org there), SQLite store. Asserted on the order of
 * claims and on which batches were in flight — never on elapsed time.
 */
let org: LocalOrg;
let store: Store;
let svc: ConnectionService;
let config: AppConfig;
let log: BatchLog;
let db: { url: string; cleanup: () => void };
let worker: Worker | undefined;

useLocalOrg((o) => (org = o), { autoApprove: false, resetEachTest: true });
beforeEach(async () => {
  db = sqliteFile();
  config = tenantConfig(org, db.url);
  log = new BatchLog();
  const real = await openStore(db.url);
  store = log.wrap(real);
  svc = connectionService(store, config);
});
afterEach(async () => {
  await worker?.stop(); // waits for the batches in flight (a slow org's take a while)
  worker = undefined;
  await store.close();
  db.cleanup();
}, 120_000);

const synced = async (t: Tenant) =>
  (await Promise.all((await responsesOf(t)).map((id) => store.getResponse(t.accountId, id)))).filter(
    (r) => r?.status === 'synced',
  ).length;
const enqueued = new Map<string, string[]>();
const responsesOf = async (t: Tenant) => enqueued.get(t.accountId) ?? [];
async function add(t: Tenant, n: number, tag: string): Promise<string[]> {
  const ids = await enqueue(store, t, n, tag);
  enqueued.set(t.accountId, [...(enqueued.get(t.accountId) ?? []), ...ids]);
  return ids;
}

describe('fairness across tenants (local org)', () => {
  it("round-robin: with more orgs draining backlogs than slots, a quiet org's lone response is served before any backlog gets a second turn", async () => {
    const backlogs: Tenant[] = [];
    for (let i = 1; i <= 5; i++) backlogs.push(await connectTenant(org, store, svc, `backlog${i}`));
    const quiet = await connectTenant(org, store, svc, 'quiet1');
    for (const t of backlogs) await add(t, 6, 'b'); // three turns each at a batch size of 2
    worker = tenantWorker(store, svc, config, { concurrency: 2, batchSize: 2 });

    expect(await worker.runOnce()).toBe(2); // the first two backlogs' first turns
    const [lone] = await add(quiet, 1, 'q');
    while ((await store.getResponse(quiet.accountId, lone))?.status !== 'synced') {
      expect(await worker.runOnce()).toBeGreaterThan(0);
    }

    const order = log.order();
    const quietTurn = order.indexOf(quiet.accountId);
    // Oldest-first would give backlog1 and backlog2 their next turns now (their remaining
    // responses are older than the quiet one) and leave the quiet org behind all 30 responses.
    expect(order.slice(0, quietTurn).sort()).toEqual(backlogs.map((t) => t.accountId).sort());
    expect(quietTurn).toBe(5);
    // Slots: never more batches than the concurrency, never two of one org.
    expect(log.maxInFlight).toBeLessThanOrEqual(2);
    for (const c of log.claims) expect(new Set(c.inFlight).size).toBe(c.inFlight.length);
    // The backlogs still drain completely, each in three turns.
    while ((await worker.runOnce()) > 0);
    for (const t of backlogs) expect(await synced(t)).toBe(6);
    for (const t of backlogs) expect(log.order().filter((a) => a === t.accountId)).toHaveLength(3);
  }, 120_000);

  it("a backlog, a slow org (2 s per call) and a down org (503) do not delay a quiet org's lone response", async () => {
    const noisy = await connectTenant(org, store, svc, 'noisy');
    const slow = await connectTenant(org, store, svc, 'slow');
    const down = await connectTenant(org, store, svc, 'down');
    const quiet = await connectTenant(org, store, svc, 'quiet2');
    await add(noisy, 2000, 'n'); // four turns at the default batch size (500)
    await add(slow, 5, 's');
    await add(down, 5, 'd');
    await setFaults(org, noisy.orgId, { latencyMs: 150 });
    await setFaults(org, quiet.orgId, { latencyMs: 150 });
    await setFaults(org, slow.orgId, { latencyMs: 2000 });
    await setFaults(org, down.orgId, { http503Rate: 1 });
    // WORKER_CONCURRENCY and WORKER_BATCH_SIZE at their defaults (4, 500).
    expect(config.worker.concurrency).toBe(4);
    worker = tenantWorker(store, svc, config);
    worker.start();

    // The noisy org is draining (a turn done) and the slow org's batch is in flight.
    await until(async () => (await synced(noisy)) >= 500, "the noisy org's first turn");
    expect(log.claims.some((c) => c.accountId === slow.accountId)).toBe(true);
    const arrivedAfter = log.claims.length;
    const [lone] = await add(quiet, 1, 'q');
    worker.wake(); // as intake does after storing a response
    await until(
      async () => (await store.getResponse(quiet.accountId, lone))?.status === 'synced',
      'the quiet response synced',
    );

    // Served while the others were still going: the noisy backlog not drained, the slow org's
    // first batch not finished, the down org paused with nothing synced.
    expect(await synced(noisy)).toBeLessThan(2000);
    expect(await synced(slow)).toBe(0);
    expect(await synced(down)).toBe(0);
    // Round-robin: at most the one noisy claim a pass already running could make before it.
    const between = log.order().slice(arrivedAfter, log.order().indexOf(quiet.accountId));
    expect(between.filter((a) => a === noisy.accountId).length).toBeLessThanOrEqual(1);
    expect(between).not.toContain(down.accountId); // paused after its refused batch
    // One batch per org at a time, and never more than the worker's bound in flight.
    expect(log.maxInFlight).toBeLessThanOrEqual(2 * config.worker.concurrency);
    for (const c of log.claims) expect(new Set(c.inFlight).size).toBe(c.inFlight.length);
  }, 180_000);

  it('a slow org does not hold every slot: with one slot, a batch running past slowBatchMs gives it to the quiet org', async () => {
    const slow = await connectTenant(org, store, svc, 'slow3');
    const quiet = await connectTenant(org, store, svc, 'quiet3');
    await add(slow, 5, 's');
    await setFaults(org, slow.orgId, { latencyMs: 2000 });
    worker = tenantWorker(store, svc, config, { concurrency: 1, slowBatchMs: 300 });
    worker.start();
    await until(() => log.claims.some((c) => c.accountId === slow.accountId), "the slow org's batch claimed");
    const [lone] = await add(quiet, 1, 'q');
    worker.wake();
    await until(
      async () => (await store.getResponse(quiet.accountId, lone))?.status === 'synced',
      'the quiet response synced',
    );
    // The slow batch (several calls at 2 s each) was still running: the quiet one did not wait for it.
    expect(await synced(slow)).toBe(0);
    const quietClaim = log.claims.find((c) => c.accountId === quiet.accountId)!;
    expect(quietClaim.inFlight.sort()).toEqual([quiet.accountId, slow.accountId].sort());
    // The bound: with concurrency 1, at most two jobs in flight.
    expect(log.maxInFlight).toBeLessThanOrEqual(2);
    await until(async () => (await synced(slow)) === 5, 'the slow org synced too');
  }, 180_000);
});
