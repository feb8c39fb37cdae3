import { control } from '../../../scripts/local-org/test/client';
import { advance, type EconomyHarness, useEconomyHarness } from './harness';

/**
 * SPEC §2: whatever the admin's cap, sync stops while the org's own daily allocation is used
 * beyond Max_Org_API_Usage_Percent__c (default 90), learnt from the Sforce-Limit-Info header of the
 * connector's own calls (REST API Developer Guide, "Response Headers": `api-usage=N/M`) — the first
 * answer over the threshold stops further sync calls — and while stopped one call at most every
 * 15 minutes checks again. The local org reports its allocation as set by its api-usage control.
 */
let e: EconomyHarness;
useEconomyHarness((h) => (e = h));

const allocation = (used: number, max: number) =>
  control(e.org, 'POST', `/__local/orgs/${e.org.demo.orgId}/api-usage`, { used, max });

it('the first answer over 90 % stops the batch; one probe per 15 minutes; sync resumes when the org has room', async () => {
  const a = await e.instance({ owner: 'a' });
  const b = await e.instance({ owner: 'b' });
  const ids = await e.queue(3);
  await allocation(95_000, 100_000);
  const before = await e.orgCalls();
  await a.worker.runOnce();
  // One call answered (its header said 95 %), nothing after it.
  expect((await e.orgCalls()) - before).toBe(1);
  for (const id of ids)
    expect(await e.status(id)).toMatchObject({ status: 'queued', waitingFor: 'ORG_API_LIMIT', attempts: 0 });
  expect(await e.usage()).toMatchObject({ orgApiMax: 100_000, waitingFor: 'ORG_API_LIMIT' });
  expect((await e.usage()).orgApiUsed).toBeGreaterThanOrEqual(95_000);

  const stopped = await e.orgCalls();
  for (let minute = 1; minute <= 14; minute++) {
    advance(e.clock, 60_000);
    await a.worker.runOnce();
    await b.worker.runOnce();
  }
  expect(await e.orgCalls()).toBe(stopped);
  // Still over at 15 minutes: exactly one probe, by one of the two instances.
  advance(e.clock, 60_000);
  await Promise.all([a.worker.runOnce(), b.worker.runOnce()]);
  expect((await e.orgCalls()) - stopped).toBe(1);
  // The org's other integrations slow down: at the next probe it has room, and sync resumes.
  await allocation(50_000, 100_000);
  advance(e.clock, 15 * 60_000);
  await a.worker.runOnce();
  await b.worker.runOnce();
  for (const id of ids) expect(await e.status(id)).toMatchObject({ status: 'synced' });
  expect((await e.usage()).waitingFor).toBeUndefined();
});

it('Max_Org_API_Usage_Percent__c moves the threshold', async () => {
  await e.settings({ percent: 99 });
  const a = await e.instance();
  const [id] = await e.queue(1);
  await allocation(95_000, 100_000);
  await a.worker.runOnce();
  expect(await e.status(id)).toMatchObject({ status: 'synced' });
});
