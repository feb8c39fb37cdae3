import { apiCalls } from '../../../scripts/local-org/test/client';
import { deliver, sampleEvent } from '../contract/harness';
import { records } from '../sync/helpers';
import { advance, type EconomyHarness, useEconomyHarness } from './harness';

/**
 * SPEC §3b: the day's CredSpark_Usage__c (upserted by Day_Key__c) is brought up to date with the
 * batches' own write calls — a subrequest of the batch's composite write, which Salesforce counts as
 * one call whatever it carries ("Composite", REST API Developer Guide) — and, when no batch write
 * carried it for 15 minutes, by a call of its own. Against the local org over real HTTP; the calls
 * are those the org counted.
 */
let e: EconomyHarness;
useEconomyHarness((h) => (e = h));

const usageRecords = () => records(e.org, 'credspark__CredSpark_Usage__c');
/** The org's upserts by external id (PATCH /sobjects/…/Day_Key__c/…): calls of their own. */
const ownCalls = async () => (await apiCalls(e.org)).byKind.sobject ?? 0;

/** Responses of an interaction without a sync rule: skipped before any write. */
async function queueSkipped(n: number, from: number): Promise<void> {
  for (let i = from; i < from + n; i++) {
    const res = await deliver(e.h.url, sampleEvent({ responseId: `rsp_x${i}`, interactionId: 'int_no_rule' }));
    expect(res.status).toBe(202);
  }
  e.clock.now = new Date(Math.max(e.clock.now.getTime(), Date.now()));
}

it("rides in each batch's write call: the day's calls up to that write, no call of its own", async () => {
  const a = await e.instance({ owner: 'a' });
  const sobjectBefore = await ownCalls();
  await e.queue(5);
  await a.worker.runOnce();
  const day = e.clock.now.toISOString().slice(0, 10);
  const usage = await e.usage();
  expect(await usageRecords()).toEqual([
    expect.objectContaining({
      credspark__Day_Key__c: day,
      credspark__Day__c: day,
      // The write was the batch's last call (every response synced: no follow-up call).
      credspark__API_Calls__c: usage.apiCalls,
      credspark__Synced__c: 0, // this batch's outcomes show with the next write
      credspark__Failed__c: 0,
    }),
  ]);

  await e.queue(3, 5);
  await a.worker.runOnce();
  const [record] = await usageRecords();
  expect(record).toMatchObject({ credspark__API_Calls__c: (await e.usage()).apiCalls, credspark__Synced__c: 5 });
  expect(await ownCalls()).toBe(sobjectBefore);
});

it('a batch that writes nothing upserts it with a call of its own, at most once per 15 minutes', async () => {
  const a = await e.instance({ owner: 'a' });
  await e.queue(4);
  await a.worker.runOnce(); // rides: the 15-minute turn starts now
  const sobjectBefore = await ownCalls();
  await queueSkipped(2, 0);
  await a.worker.runOnce();
  expect(await ownCalls()).toBe(sobjectBefore); // carried 0 min ago: not due

  advance(e.clock, 15 * 60_000);
  await queueSkipped(2, 2);
  await a.worker.runOnce();
  expect(await ownCalls()).toBe(sobjectBefore + 1);
  const [record] = await usageRecords();
  expect(record).toMatchObject({ credspark__API_Calls__c: (await e.usage()).apiCalls, credspark__Synced__c: 4 });

  await queueSkipped(2, 4);
  await a.worker.runOnce();
  expect(await ownCalls()).toBe(sobjectBefore + 1);
});
