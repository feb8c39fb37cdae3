import { createSyncEngine } from '../../src/sync/syncResponses';
import type { SyncResponses } from '../../src/sync/types';
import { records } from '../sync/helpers';
import { advance, type EconomyHarness, useEconomyHarness, type Instance } from './harness';

/**
 * Fast crash recovery without two writers: a lease lapses after WORKER_LEASE_SECONDS unless the
 * holder's heartbeat renews it, so a dead or frozen instance's responses are taken over; and an
 * instance whose lease is no longer safely held sends nothing more (the batch's lease guard is
 * checked before every Salesforce call), so the instance that was frozen cannot write the responses
 * the other one took over. Against the local org over real HTTP.
 */
let e: EconomyHarness;
useEconomyHarness((h) => (e = h));

it('a frozen instance’s batch is taken over after its lease, and the frozen one then writes nothing', async () => {
  const engine = createSyncEngine();
  const other: { b?: Instance } = {};
  let callsWhenAResumed = 0;
  // A freezes after claiming (its heartbeat does not run: 30 s lease, renewal every 10 s of real
  // time, while the test clock jumps 31 s), B takes the responses over and syncs them, then A wakes.
  const frozen: SyncResponses = async (ctx, responses) => {
    advance(e.clock, 31_000);
    await other.b!.worker.runOnce();
    callsWhenAResumed = await e.orgCalls();
    return engine.sync(ctx, responses);
  };
  const a = await e.instance({ owner: 'a', sync: frozen, leaseMs: 30_000 });
  other.b = await e.instance({ owner: 'b', leaseMs: 30_000 });
  const ids = await e.queue(5);
  await a.worker.runOnce();

  expect(await e.orgCalls()).toBe(callsWhenAResumed); // A sent nothing after waking
  for (const id of ids) expect(await e.status(id)).toMatchObject({ status: 'synced', action: 'created', attempts: 1 });
  const contacts = await records(e.org, 'Contact');
  expect(contacts).toHaveLength(5);
  expect(new Set(contacts.map((c) => c.Email)).size).toBe(5);
});

it('the responses of an instance that died mid-batch are synced by another once the lease lapses', async () => {
  const a = await e.instance({ owner: 'dead', leaseMs: 10_000 });
  const b = await e.instance({ owner: 'b', leaseMs: 10_000 });
  const ids = await e.queue(3);
  // "kill -9" after the claim: leases held, nothing recorded, no heartbeat any more.
  expect(await a.store.claimResponses('acc_42', 'dead', e.clock.now, 10_000, 10)).toHaveLength(3);
  await b.worker.runOnce();
  expect(await e.status(ids[0])).toMatchObject({ status: 'queued' });
  advance(e.clock, 10_000);
  await b.worker.runOnce();
  for (const id of ids) expect(await e.status(id)).toMatchObject({ status: 'synced' });
  expect(await records(e.org, 'Contact')).toHaveLength(3);
  expect((await b.metrics.leaseTakeovers.get()).values[0]?.value).toBe(3);
});
