import { apiCalls, control } from '../../../scripts/local-org/test/client';
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
  const atConnect = (await api(e.h.url, '/api/accounts/acc_42/usage')).json.apiCalls;
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
  // Every call the connector sent for the org is counted (the org counted the same calls since it
  // was set to 1234, less the test's own settings write), on top of the connect flow's.
  expect(r.json.apiCalls).toBeGreaterThan(atConnect);
  expect(r.json.apiCalls - atConnect).toBe(
    (await control(e.org, 'GET', `/__local/orgs/${e.org.demo.orgId}/api-usage`)).used - 1234 - 1,
  );
});

it('counts the connect flow’s API calls for the day (SPEC §2 "every call counts: connecting"), as the org counted them', async () => {
  // The harness connected acc_42 through the consent page: the token exchange (an OAuth endpoint,
  // outside the allocation), the User query (REST) and the Connection record (Metadata API); the
  // route then read the org's settings (no instance had): one more call, in the count it answers.
  const r = await api(e.h.url, '/api/accounts/acc_42/usage');
  expect(r.status).toBe(200);
  const org_ = await apiCalls(e.org);
  expect(org_.byKind.query).toBe(2); // the User query and the settings read
  expect(r.json.apiCalls).toBe(3);
  expect(r.json.apiCalls).toBe(org_.total);
});

it('shows the cap the admin set before any response was synced: the route reads the settings once (a counted call)', async () => {
  await e.settings({ budget: 250 });
  const before = (await api(e.h.url, '/api/accounts/acc_42/usage')).json;
  expect(before.budget).toBe(250);
  const orgBefore = (await apiCalls(e.org)).total;
  const again = (await api(e.h.url, '/api/accounts/acc_42/usage')).json;
  expect(again.budget).toBe(250);
  // The second answer came from the settings cache: no call of its own.
  expect((await apiCalls(e.org)).total).toBe(orgBefore);
  // The read counted for the day like any other call: the connect flow's two and the settings read.
  expect(again.apiCalls).toBe(3);
});

it('answers budget null when the org has no cap set', async () => {
  const r = await api(e.h.url, '/api/accounts/acc_42/usage');
  expect(r.json.budget).toBeNull();
});
