import type { Store } from '../../src/store/types';
import { at, connection, receivedResponse, storePerTest, synced, t0 } from './contractSetup';

/**
 * The per-org cap part of the Store contract (concurrent Salesforce writes per org are
 * capped across all instances). Several CredSpark accounts may connect the same org (SPEC §1 links
 * each account to one org, not each org to one account); the cap counts the org's accounts that
 * hold a live lease. Run by sqlite.test.ts and postgres.test.ts with the same expectations.
 */
export function orgCapContract(name: string, factory: () => Promise<Store>): void {
  describe(`Store contract, per-org cap (${name})`, () => {
    let store: Store;
    storePerTest(factory, async (s) => {
      store = s;
      // acc_a, acc_b, acc_c share org 00DSHARED; acc_x has its own org; acc_n has no connection.
      for (const a of ['acc_a', 'acc_b', 'acc_c']) await store.upsertConnection(connection(a, '00DSHARED'));
      await store.upsertConnection(connection('acc_x', '00DOTHER'));
      for (const a of ['acc_a', 'acc_b', 'acc_c', 'acc_x', 'acc_n']) await store.insertEvent(receivedResponse(1, a));
    });

    it('with cap 1, a second account of a busy org is neither listed nor claimable; other orgs are', async () => {
      expect(await store.claimResponses('acc_a', 'w1', t0, 60_000, 10, 1)).toHaveLength(1);
      expect((await store.accountsWithDueWork(t0, 10, 1)).sort()).toEqual(['acc_n', 'acc_x']);
      expect(await store.claimResponses('acc_b', 'w2', t0, 60_000, 10, 1)).toHaveLength(0);
      expect(await store.claimResponses('acc_x', 'w2', t0, 60_000, 10, 1)).toHaveLength(1);
      expect(await store.claimResponses('acc_n', 'w2', t0, 60_000, 10, 1)).toHaveLength(1);
      // acc_a's batch ends: the org has room again
      expect(await store.completeResponse('acc_a', 'rsp_1', 'w1', synced, at(1))).toBe(true);
      expect((await store.accountsWithDueWork(at(1), 10, 1)).sort()).toEqual(['acc_b', 'acc_c']);
      expect(await store.claimResponses('acc_b', 'w2', at(1), 60_000, 10, 1)).toHaveLength(1);
    });

    it('with cap 2, two accounts of one org run at once and the third waits', async () => {
      expect(await store.claimResponses('acc_a', 'w1', t0, 60_000, 10, 2)).toHaveLength(1);
      expect(await store.claimResponses('acc_b', 'w2', t0, 60_000, 10, 2)).toHaveLength(1);
      expect(await store.accountsWithDueWork(t0, 10, 2)).not.toContain('acc_c');
      expect(await store.claimResponses('acc_c', 'w3', t0, 60_000, 10, 2)).toHaveLength(0);
    });

    it('frees the org when a crashed holder lease expires', async () => {
      expect(await store.claimResponses('acc_a', 'w1', t0, 60_000, 10, 1)).toHaveLength(1);
      expect(await store.claimResponses('acc_b', 'w2', at(59_999), 60_000, 10, 1)).toHaveLength(0);
      expect(await store.claimResponses('acc_b', 'w2', at(60_000), 60_000, 10, 1)).toHaveLength(1);
    });

    it('without a cap, only the account is exclusive (accounts of one org run together)', async () => {
      expect(await store.claimResponses('acc_a', 'w1', t0, 60_000, 10)).toHaveLength(1);
      expect(await store.claimResponses('acc_b', 'w2', t0, 60_000, 10)).toHaveLength(1);
      expect((await store.accountsWithDueWork(t0, 10)).sort()).toEqual(['acc_c', 'acc_n', 'acc_x']);
    });

    it('lets exactly one of three owners racing for three accounts of one org win under cap 1', async () => {
      const results = await Promise.all(
        ['acc_a', 'acc_b', 'acc_c'].map((a, i) => store.claimResponses(a, `w${i}`, t0, 60_000, 10, 1)),
      );
      expect(results.filter((r) => r.length > 0)).toHaveLength(1);
    });
  });
}
