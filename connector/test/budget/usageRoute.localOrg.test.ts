import { control } from '../../../scripts/local-org/test/client';
import { api } from '../contract/harness';
import { type EconomyHarness, useEconomyHarness } from './harness';

/** SPEC §5 (contract): GET /api/accounts/{accountId}/usage, through real HTTP. */
let e: EconomyHarness;
useEconomyHarness((h) => (e = h));

it('needs the bearer, validates the account id, 404 for an account never connected', async () => {
  expect((await api(e.h.url, '/api/accounts/acc_42/usage', { token: null })).status).toBe(401);
  expect((await api(e.h.url, '/api/accounts/acc_42/usage', { token: 'wrong' })).status).toBe(401);
  const bad = await api(e.h.url, `/api/accounts/${'x'.repeat(65)}/usage`);
  expect(bad.status).toBe(400);
  expect(bad.json.error.code).toBe('INVALID_PARAMETER');
  expect((await api(e.h.url, '/api/accounts/acc_never/usage')).status).toBe(404);
});

it('shows the day, the connector’s calls, the cap and the org’s reported allocation, exactly these members', async () => {
  await control(e.org, 'POST', `/__local/orgs/${e.org.demo.orgId}/api-usage`, { used: 1234, max: 15_000 });
  await e.settings({ budget: 5000 });
  const a = await e.instance();
  await e.queue(2);
  await a.worker.runOnce();
  const r = await api(e.h.url, '/api/accounts/acc_42/usage');
  expect(r.status).toBe(200);
  expect(Object.keys(r.json).sort()).toEqual(['apiCalls', 'budget', 'day', 'orgApiMax', 'orgApiUsed']);
  expect(r.json.day).toBe(e.clock.now.toISOString().slice(0, 10));
  expect(r.json.budget).toBe(5000);
  expect(r.json.orgApiMax).toBe(15_000);
  expect(r.json.orgApiUsed).toBeGreaterThan(1234);
  // Every call the connector sent for the org is counted (the org counted the same calls).
  expect(r.json.apiCalls).toBeGreaterThan(0);
  expect(r.json.apiCalls).toBe(
    (await control(e.org, 'GET', `/__local/orgs/${e.org.demo.orgId}/api-usage`)).used - 1234 - 1,
  );
});
