import { records } from '../sync/helpers';
import { advance, type EconomyHarness, useEconomyHarness } from './harness';

/**
 * SPEC §2 "API budget": at most Daily_API_Budget__c calls per UTC day per org, counted across
 * instances in the store; over the cap responses stay queued (waitingFor API_BUDGET, never failed);
 * while held the settings are re-read at most every 5 minutes (the only calls beyond the cap), so a
 * raised cap takes effect. Two instances = two workers with their own economy and store connection
 * on one SQLite file, against the local org over real HTTP.
 */
let e: EconomyHarness;
useEconomyHarness((h) => (e = h));

it('two instances together never pass the cap; the rest waits with API_BUDGET; a raised cap is read within 5 minutes', async () => {
  const CAP = 12;
  await e.settings({ budget: CAP });
  const a = await e.instance({ owner: 'a', batchSize: 5 });
  const b = await e.instance({ owner: 'b', batchSize: 5 });
  const ids = await e.queue(60);
  // Connecting counted too (SPEC §2 "every call counts: connecting"), and the usage route's own
  // settings read (no instance had read them yet): the workers get the rest.
  const atConnect = (await e.usage()).apiCalls;
  expect(atConnect).toBeGreaterThan(0);
  const start = await e.orgCalls();
  for (let round = 0; round < 12; round++) {
    await Promise.all([a.worker.runOnce(), b.worker.runOnce()]);
  }
  const spent = (await e.orgCalls()) - start;
  expect(atConnect + spent).toBeLessThanOrEqual(CAP);
  const usage = await e.usage();
  expect(usage).toMatchObject({ apiCalls: atConnect + spent, budget: CAP, waitingFor: 'API_BUDGET' });
  const statuses = await Promise.all(ids.map((id) => e.status(id)));
  expect(statuses.filter((s) => s.status === 'failed')).toEqual([]);
  const waiting = statuses.filter((s) => s.status === 'queued');
  expect(waiting.length).toBeGreaterThan(0);
  for (const s of waiting) expect(s).toMatchObject({ waitingFor: 'API_BUDGET', attempts: 0 });

  // The admin raises the cap. Before 5 minutes no instance calls (not even to re-read it)…
  await e.settings({ budget: 1000 });
  const held = await e.orgCalls();
  advance(e.clock, 4 * 60_000);
  await Promise.all([a.worker.runOnce(), b.worker.runOnce()]);
  expect(await e.orgCalls()).toBe(held);
  // …at 5 minutes one instance re-reads it (one call beyond the old cap) and sync resumes.
  advance(e.clock, 60_000);
  for (let round = 0; round < 12; round++) await Promise.all([a.worker.runOnce(), b.worker.runOnce()]);
  const after = await Promise.all(ids.map((id) => e.status(id)));
  expect(after.filter((s) => s.status !== 'synced')).toEqual([]);
  expect(await records(e.org, 'Contact')).toHaveLength(60);
  expect((await e.usage()).waitingFor).toBeUndefined();
});

it('the held org re-reads its settings at most once per 5 minutes, whichever instance looks', async () => {
  await e.settings({ budget: 3 });
  const a = await e.instance({ owner: 'a' });
  const b = await e.instance({ owner: 'b' });
  await e.queue(5);
  await a.worker.runOnce();
  expect((await e.usage()).waitingFor).toBe('API_BUDGET');
  const held = await e.orgCalls();
  const counted = (await e.usage()).apiCalls;
  expect(counted).toBe(3);
  for (let minute = 1; minute <= 10; minute++) {
    advance(e.clock, 60_000);
    await a.worker.runOnce();
    await b.worker.runOnce();
  }
  // Two re-reads in 10 minutes (at 5 and at 10), cap unchanged: nothing else was called.
  expect((await e.orgCalls()) - held).toBe(2);
  expect((await e.usage()).apiCalls).toBe(counted + 2);
});
