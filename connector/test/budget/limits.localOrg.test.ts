import { control } from '../../../scripts/local-org/test/client';
import { records } from '../sync/helpers';
import { advance, type EconomyHarness, useEconomyHarness } from './harness';

/**
 * REQUEST_LIMIT_EXCEEDED told apart by its message (salesforce/errors.ts; Salesforce "API Request
 * Limits and Allocations"): the concurrent-request limit clears in seconds, the daily allocation
 * ("TotalRequests Limit exceeded.") does not. Against the local org over real HTTP.
 */
let e: EconomyHarness;
useEconomyHarness((h) => (e = h));

const faults = (body: Record<string, unknown>) =>
  control(e.org, 'POST', `/__local/orgs/${e.org.demo.orgId}/faults`, body);

it('"ConcurrentPerOrgLongTxn Limit exceeded." is retried within seconds, without holding the org', async () => {
  const a = await e.instance();
  const [id] = await e.queue(1);
  await faults({ concurrentLimitExceededNext: 1 });
  await a.worker.runOnce();
  const s = await e.status(id);
  expect(s).toMatchObject({ status: 'queued', error: { code: 'REQUEST_LIMIT_EXCEEDED' }, waitingFor: 'BACKOFF' });
  const row = await a.store.getResponse('acc_42', id);
  const wait = row!.nextAttemptAt.getTime() - e.clock.now.getTime();
  expect(wait).toBeGreaterThanOrEqual(1_000);
  expect(wait).toBeLessThanOrEqual(5_000);
  expect(await a.store.accountWait('acc_42', e.clock.now)).not.toHaveProperty('org.reason', 'ORG_API_LIMIT');
  advance(e.clock, 5_000);
  await a.worker.runOnce();
  expect(await e.status(id)).toMatchObject({ status: 'synced', action: 'created' });
});

it('"TotalRequests Limit exceeded." holds the org (ORG_API_LIMIT, attempts untouched) and probes once per 15 minutes', async () => {
  const a = await e.instance();
  const b = await e.instance();
  const [id] = await e.queue(1);
  await faults({ requestLimitExceededForMs: 600_000 });
  const before = await e.orgCalls();
  await a.worker.runOnce();
  expect(await e.status(id)).toMatchObject({ status: 'queued', waitingFor: 'ORG_API_LIMIT', attempts: 0 });
  expect(await e.usage()).toMatchObject({ waitingFor: 'ORG_API_LIMIT' });
  // Within the 15 minutes neither instance calls the org.
  const calls = await e.orgCalls();
  advance(e.clock, 14 * 60_000);
  await a.worker.runOnce();
  await b.worker.runOnce();
  expect(await e.orgCalls()).toBe(calls);
  // The allocation frees; at 15 minutes one probe (GET /limits), then the batch.
  await faults({});
  advance(e.clock, 60_000);
  await b.worker.runOnce();
  await a.worker.runOnce();
  expect(await e.status(id)).toMatchObject({ status: 'synced', action: 'created', attempts: 1 });
  expect((await records(e.org, 'Contact')).filter((c) => c.Email === 'e0@example.com')).toHaveLength(1);
  expect(before).toBeLessThanOrEqual(calls);
});
