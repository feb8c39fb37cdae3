import type { LocalOrg } from '@credspark/local-org';
import { OrgSettingsCache } from '../../src/orgSettings/orgSettings';
import { apiCalls, control, demoContext, resetApiCalls, useLocalOrg } from '../sync/helpers';

/** Reading CredSpark_Settings__mdt over REST against the local org: one query, cached. */
describe('org settings read from the local org', () => {
  let org: LocalOrg;
  useLocalOrg((o) => (org = o));

  it('one query per cache lifetime; an org without the record gets the defaults', async () => {
    await control(org, 'POST', '/__local/reset');
    const ctx = await demoContext(org);
    await resetApiCalls(org);
    let now = 1_000_000;
    const cache = new OrgSettingsCache({ ttlMs: 60_000, clock: () => now });
    const first = await cache.get(ctx);
    expect(first).toEqual({ dailyApiBudget: null, maxOrgApiUsagePercent: 90, responseRecords: 'Failures' });
    now += 59_000;
    await cache.get(ctx);
    const afterCached = (await apiCalls(org)).total;
    expect(afterCached).toBe(1);
    now += 2_000;
    await cache.get(ctx);
    expect((await apiCalls(org)).total).toBe(2);
  });
});
