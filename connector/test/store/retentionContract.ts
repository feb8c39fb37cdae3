import type { Store, StoredEventInput } from '../../src/store/types';
import { storedEvent } from '../fixtures/events';
import { storePerTest } from './contractSetup';

/**
 * Retention part of the Store contract (docs/operations.md "Retention"): prune(cutoff) deletes
 * finished responses and unreferenced events older than the cutoff, never queued work.
 * Run by sqlite.test.ts and postgres.test.ts with the same expectations.
 */
export function retentionContract(name: string, factory: () => Promise<Store>): void {
  describe(`Store contract, retention (${name})`, () => {
    let store: Store;
    storePerTest(factory, (s) => {
      store = s;
    });

    const day = 24 * 60 * 60_000;
    const t0 = new Date('2026-10-01T00:00:00.000Z');
    const at = (ms: number) => new Date(t0.getTime() + ms);
    const event = (n: number, receivedAt: Date, withResponse = true): StoredEventInput => {
      const { response, ...delivery } = storedEvent(n, { eventId: `evt_${n}`, receivedAt });
      return withResponse ? { ...delivery, response } : { ...delivery, type: 'response.deleted' };
    };
    const prune = (cutoff: Date, chunk?: number) => store.prune(cutoff, chunk);

    it('deletes finished responses and their events older than the cutoff, keeps queued and recent ones', async () => {
      for (let i = 0; i < 4; i++) await store.insertEvent(event(i, t0));
      await store.insertEvent(event(9, t0, false)); // an old event without a response row
      await store.insertEvent(event(10, at(40 * day))); // recent
      const claimed = await store.claimResponses('acc_1', 'w1', t0, 60_000, 3);
      expect(claimed.map((c) => c.responseId)).toEqual(['rsp_0', 'rsp_1', 'rsp_2']);
      await store.completeResponse(
        'acc_1',
        'rsp_0',
        'w1',
        { status: 'synced', object: 'Contact', recordId: '003a', action: 'created' },
        at(1),
      );
      await store.completeResponse('acc_1', 'rsp_1', 'w1', { status: 'failed', code: 'X', message: 'x' }, at(1));
      // rsp_2 finished late (updated 35 days in): inside the retention window at the cutoff below
      await store.completeResponse(
        'acc_1',
        'rsp_2',
        'w1',
        { status: 'skipped', code: 'SYNC_DISABLED', message: 'off' },
        at(35 * day),
      );
      await store.insertOAuthState({
        stateHash: 'old',
        accountId: 'acc_1',
        loginUrl: 'https://login.salesforce.com',
        codeVerifierEnc: 'v',
        expiresAt: at(600_000),
      });

      const result = await prune(at(30 * day));
      expect(result).toEqual({ responses: 2, events: 3, oauthStates: 1 });
      expect(await store.getResponse('acc_1', 'rsp_0')).toBeUndefined();
      expect(await store.getResponse('acc_1', 'rsp_1')).toBeUndefined();
      expect((await store.getResponse('acc_1', 'rsp_2'))?.status).toBe('skipped');
      expect((await store.getResponse('acc_1', 'rsp_3'))?.status).toBe('queued'); // old but still queued: kept
      expect((await store.getResponse('acc_1', 'rsp_10'))?.status).toBe('queued');
      expect(await store.consumeOAuthState('old')).toBeUndefined();
      // rsp_3's event is still referenced, so the queued response can still be claimed with its body
      expect((await store.claimResponses('acc_1', 'w2', at(40 * day), 60_000, 10)).map((c) => c.responseId)).toEqual([
        'rsp_3',
        'rsp_10',
      ]);
      // a pruned event id is new again (CredSpark never redelivers after the retention window)
      expect(await store.insertEvent(event(9, at(31 * day), false))).toBe('inserted');
    });

    it('works through more rows than one chunk', async () => {
      for (let i = 0; i < 25; i++) await store.insertEvent(event(i, t0, false));
      expect(await prune(at(day), 10)).toEqual({ responses: 0, events: 25, oauthStates: 0 });
      expect(await prune(at(day), 10)).toEqual({ responses: 0, events: 0, oauthStates: 0 });
    });
  });
}
