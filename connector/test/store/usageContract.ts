import type { Store, UsageStore } from '../../src/store/types';
import { at, connection, receivedResponse, storePerTest, t0 } from './contractSetup';

/**
 * The API-economy port of the store (store/usage.ts, migration 006), same expectations on SQLite
 * and Postgres: one call count per org per UTC day shared by every store connection (two
 * "instances" here are two stores on one database), holds with a reason that keep an org's
 * accounts unclaimed without counting attempts, and rate-limited checks taken once per interval.
 */
export function usageContract(name: string, factory: () => Promise<Store>, second: () => Promise<Store>): void {
  describe(`Store contract, API usage (${name})`, () => {
    let store: Store;
    let other: Store;
    let usage: UsageStore;
    let usage2: UsageStore;
    storePerTest(factory, async (s) => {
      store = usage = s;
      other = usage2 = await second();
      return [other];
    });

    const connect = (accountId: string, orgId: string) => store.upsertConnection(connection(accountId, orgId));

    it('counts calls per org and day across two store connections and never past the cap', async () => {
      const takes = await Promise.all(
        Array.from({ length: 30 }, (_, i) => (i % 2 ? usage : usage2).takeApiCall('00DA', '2026-11-28', 20)),
      );
      expect(takes.filter((t) => t !== null)).toHaveLength(20);
      expect(takes.filter((t) => t === null)).toHaveLength(10);
      expect(new Set(takes.filter((t) => t !== null))).toEqual(new Set(Array.from({ length: 20 }, (_, i) => i + 1)));
      expect(await usage2.dayUsage('00DA', '2026-11-28')).toEqual({ apiCalls: 20, synced: 0, failed: 0 });
      // Forced calls (the settings re-read of a held org) count beyond the cap; other days and orgs are apart.
      expect(await usage.addApiCalls('00DA', '2026-11-28', 1)).toBe(21);
      expect(await usage.takeApiCall('00DA', '2026-11-29', 20)).toBe(1);
      expect(await usage.takeApiCall('00DB', '2026-11-28', null)).toBe(1);
      await usage.countOutcomes('00DA', '2026-11-28', 3, 1);
      await usage2.countOutcomes('00DA', '2026-11-28', 2, 0);
      expect(await usage.dayUsage('00DA', '2026-11-28')).toEqual({ apiCalls: 21, synced: 5, failed: 1 });
    });

    it('keeps the latest report of the org allocation', async () => {
      expect(await usage.orgReport('00DA')).toBeUndefined();
      await usage.recordOrgReport('00DA', 900, 1000, at(2000));
      await usage2.recordOrgReport('00DA', 800, 1000, at(1000)); // older: ignored
      expect(await usage2.orgReport('00DA')).toEqual({ used: 900, max: 1000, reportedAt: at(2000) });
    });

    it('gives one instance a check turn per interval', async () => {
      const first = await Promise.all([
        usage.claimOrgCheck('00DA', 'settings', t0, 300_000),
        usage2.claimOrgCheck('00DA', 'settings', t0, 300_000),
      ]);
      expect(first.sort()).toEqual([false, true]);
      expect(await usage.claimOrgCheck('00DA', 'probe', t0, 900_000)).toBe(true); // another kind of check
      expect(await usage.claimOrgCheck('00DA', 'settings', at(299_999), 300_000)).toBe(false);
      expect(await usage2.claimOrgCheck('00DA', 'settings', at(300_000), 300_000)).toBe(true);
    });

    it('holds every account of the org with a reason; released responses keep their attempts', async () => {
      await connect('acc_1', '00DA');
      await connect('acc_2', '00DA');
      await store.insertEvent(receivedResponse(1));
      await store.insertEvent(receivedResponse(2, 'acc_2'));
      const claimed = await store.claimResponses('acc_1', 'w1', t0, 60_000, 10);
      expect(claimed).toHaveLength(1);
      expect(await usage.holdOrg('acc_2', 'w1', at(300_000), 'API_BUDGET')).toBe(false); // w1 holds no lease there
      expect(await usage.holdOrg('acc_1', 'w1', at(300_000), 'API_BUDGET')).toBe(true);
      expect(await usage.releaseResponses('acc_1', 'w1', ['rsp_1'])).toBe(1);
      expect(await store.getResponse('acc_1', 'rsp_1')).toMatchObject({ status: 'queued', attempts: 0 });
      expect(await other.accountsWithDueWork(at(1000), 10)).toEqual([]);
      expect(await other.claimResponses('acc_2', 'w2', at(1000), 60_000, 10)).toEqual([]);
      expect(await usage2.accountWait('acc_2', at(1000))).toEqual({
        org: { reason: 'API_BUDGET', until: at(300_000) },
      });
      // An ordinary backoff pause of the org replaces the hold and its reason.
      const again = await other.claimResponses('acc_1', 'w2', at(300_000), 60_000, 10);
      expect(again).toHaveLength(1);
      expect(again[0].takenOverFrom).toBeUndefined(); // released, not lapsed
      expect(await other.pauseOrg!('acc_1', 'w2', at(400_000))).toBe(true);
      expect(await usage.accountWait('acc_1', at(300_001))).toEqual({ org: { reason: null, until: at(400_000) } });
      expect(await usage.heldCounts(at(300_001))).toEqual({ API_BUDGET: 0, ORG_API_LIMIT: 0, BACKOFF: 2 }); // both accounts of the org
      expect(await usage.accountWait('acc_1', at(400_000))).toEqual({});
    });
  });
}
