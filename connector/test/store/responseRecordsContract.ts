import type { Store } from '../../src/store/types';
import { at, connection, receivedResponse, storePerTest, synced, t0 } from './contractSetup';

/**
 * The sync-health port (store/ports/responseRecords.ts): which responses have a
 * CredSpark_Response__c record, and the per-org retry-request poll turn that makes
 * RETRY_REQUEST_POLL_SECONDS hold across instances (SPEC §3b, §6). Run by sqlite.test.ts and
 * postgres.test.ts with the same expectations; `second` opens another store on the same database
 * (another instance).
 */
export function responseRecordsContract(
  name: string,
  factory: () => Promise<Store>,
  second: () => Promise<Store>,
): void {
  describe(`Store contract, response records and retry-request polls (${name})`, () => {
    let store: Store;
    storePerTest(factory, (s) => {
      store = s;
    });

    const connect = (accountId: string, orgId: string, status: 'connected' | 'disconnected' = 'connected') =>
      store.upsertConnection(connection(accountId, orgId, { status }));
    async function finish(accountId: string, n: number, failed: boolean): Promise<void> {
      await store.insertEvent(receivedResponse(n, accountId));
      const claimed = await store.claimResponses(accountId, 'w1', t0, 60_000, 100);
      for (const c of claimed)
        await store.completeResponse(
          accountId,
          c.responseId,
          'w1',
          failed ? { status: 'failed', code: 'INVALID_MAPPING', message: 'x' } : synced,
          at(1),
        );
    }

    it('remembers which responses have a record, per account', async () => {
      await finish('acc_1', 1, true);
      await finish('acc_1', 2, true);
      await finish('acc_2', 1, true);
      const rr = store;
      expect(await rr.responsesWithRecord('acc_1', ['rsp_1', 'rsp_2'])).toEqual(new Set());
      await rr.markResponseRecords('acc_1', ['rsp_1', 'rsp_9']);
      expect(await rr.responsesWithRecord('acc_1', ['rsp_1', 'rsp_2', 'rsp_9'])).toEqual(new Set(['rsp_1']));
      expect(await rr.responsesWithRecord('acc_2', ['rsp_1'])).toEqual(new Set());
      expect(await rr.responsesWithRecord('acc_1', [])).toEqual(new Set());
    });

    it('lists only connected orgs that have failed responses, with their accounts, longest-waiting first', async () => {
      await connect('acc_a', '00DA');
      await connect('acc_b', '00DA');
      await connect('acc_c', '00DC');
      await connect('acc_s', '00DS');
      await connect('acc_d', '00DD', 'disconnected');
      await finish('acc_a', 1, true);
      await finish('acc_b', 1, true);
      await finish('acc_c', 1, true);
      await finish('acc_s', 1, false); // synced only: nothing to retry
      await finish('acc_d', 1, true); // disconnected: cannot be asked
      const rr = store;
      expect(await rr.orgsDueForRetryPoll(at(0), 300_000, 10)).toEqual([
        { orgId: '00DA', accountIds: ['acc_a', 'acc_b'] },
        { orgId: '00DC', accountIds: ['acc_c'] },
      ]);
      expect(await rr.takeRetryPollTurn('00DA', at(0), 300_000)).toBe(true);
      // 00DA polled: not due within the interval, due again after it (and then after 00DC, never polled).
      expect(await rr.orgsDueForRetryPoll(at(299_999), 300_000, 10)).toEqual([
        { orgId: '00DC', accountIds: ['acc_c'] },
      ]);
      expect((await rr.orgsDueForRetryPoll(at(300_000), 300_000, 10)).map((o) => o.orgId)).toEqual(['00DC', '00DA']);
      expect(await rr.orgsDueForRetryPoll(at(300_000), 300_000, 1)).toEqual([{ orgId: '00DC', accountIds: ['acc_c'] }]);
    });

    it('gives each org one poll turn per interval, however many instances ask at once', async () => {
      const other = await second();
      try {
        const tries = await Promise.all(
          [store, other, store, other].map((s) => s.takeRetryPollTurn('00DA', at(0), 300_000)),
        );
        expect(tries.filter(Boolean)).toHaveLength(1);
        expect(await other.takeRetryPollTurn('00DA', at(299_999), 300_000)).toBe(false);
        expect(await store.takeRetryPollTurn('00DB', at(1), 300_000)).toBe(true);
        expect(await other.takeRetryPollTurn('00DA', at(300_000), 300_000)).toBe(true);
      } finally {
        await other.close();
      }
    });
  });
}
