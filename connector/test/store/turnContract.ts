import type { Store, StoredEventInput } from '../../src/store/types';
import { connection, storePerTest, synced, t0 } from './contractSetup';

/**
 * Round-robin turns across tenants (docs/architecture.md "Fairness across tenants"): due accounts
 * are listed least recently served first — an account's turn is recorded by a claim that took
 * something — then by their oldest due response. Run by sqlite.test.ts and postgres.test.ts with
 * the same expectations.
 */
export function turnContract(name: string, factory: () => Promise<Store>): void {
  describe(`Store contract, round-robin turns (${name})`, () => {
    let store: Store;
    storePerTest(factory, async (s) => {
      store = s;
      for (const a of ['acc_a', 'acc_b', 'acc_c', 'acc_quiet']) await store.upsertConnection(connection(a, `00D_${a}`));
    });

    const at = (s: number) => new Date(t0.getTime() + s * 1000);
    /** `n` responses of one account, received at `receivedAt` (its due time). */
    const enqueue = async (accountId: string, n: number, receivedAt: Date): Promise<void> => {
      for (let i = 0; i < n; i++) {
        const id = `${accountId}_${receivedAt.getTime()}_${i}`;
        await store.insertEvent({
          eventId: `evt_${id}`,
          accountId,
          type: 'response.completed',
          body: '{}',
          receivedAt,
          response: { responseId: `rsp_${id}`, interactionId: 'int_1', completedAt: receivedAt },
        } satisfies StoredEventInput);
      }
    };
    /** One turn: claim up to `limit` of the account's due responses at `now`, record them synced. */
    const turn = async (accountId: string, now: Date, limit = 1): Promise<number> => {
      const claimed = await store.claimResponses(accountId, 'w1', now, 60_000, limit, 1);
      for (const r of claimed)
        expect(await store.completeResponse(accountId, r.responseId, 'w1', synced, now)).toBe(true);
      return claimed.length;
    };

    it('with no turn taken yet, lists the oldest due work first', async () => {
      await enqueue('acc_b', 1, at(0));
      await enqueue('acc_a', 1, at(1));
      await enqueue('acc_c', 1, at(2));
      expect(await store.accountsWithDueWork(at(10), 10, 1)).toEqual(['acc_b', 'acc_a', 'acc_c']);
    });

    it("a quiet account's lone response comes before every backlog that has had a turn, however old", async () => {
      // Two backlogs received long before the quiet account's one response; each has had a turn.
      await enqueue('acc_a', 5, at(0));
      await enqueue('acc_b', 5, at(0));
      expect(await turn('acc_a', at(10))).toBe(1);
      expect(await turn('acc_b', at(11))).toBe(1);
      await enqueue('acc_quiet', 1, at(100));
      // Oldest-first would put acc_quiet last, behind what is left of both backlogs.
      expect(await store.accountsWithDueWork(at(101), 10, 1)).toEqual(['acc_quiet', 'acc_a', 'acc_b']);
      expect(await store.accountsWithDueWork(at(101), 1, 1)).toEqual(['acc_quiet']);
    });

    it('each claim moves the account to the back: draining accounts take turns in a cycle', async () => {
      for (const a of ['acc_a', 'acc_b', 'acc_c']) await enqueue(a, 4, at(0));
      const order: string[] = [];
      for (let i = 0; i < 9; i++) {
        const [next] = await store.accountsWithDueWork(at(10 + i), 1, 1);
        order.push(next);
        expect(await turn(next, at(10 + i))).toBe(1);
      }
      expect(order).toEqual(['acc_a', 'acc_b', 'acc_c', 'acc_a', 'acc_b', 'acc_c', 'acc_a', 'acc_b', 'acc_c']);
    });

    it('a claim that took nothing (the account busy under another lease) is not a turn', async () => {
      await enqueue('acc_a', 2, at(0));
      await enqueue('acc_b', 2, at(1));
      expect(await turn('acc_a', at(10))).toBe(1); // acc_a served: now behind acc_b
      const held = await store.claimResponses('acc_b', 'w2', at(11), 60_000, 1, 1);
      expect(held).toHaveLength(1); // acc_b busy under w2's lease...
      expect(await store.claimResponses('acc_b', 'w1', at(12), 60_000, 1, 1)).toEqual([]); // ...so w1 takes nothing
      expect(await store.completeResponse('acc_b', held[0].responseId, 'w2', synced, at(13))).toBe(true);
      // acc_b's turn is the one w2 took at 11 s, after acc_a's at 10 s: acc_a first, then acc_b.
      expect(await store.accountsWithDueWork(at(14), 10, 1)).toEqual(['acc_a', 'acc_b']);
    });

    it('retention forgets old turns: an account not served since the cutoff counts as never served', async () => {
      await enqueue('acc_a', 3, at(0));
      await enqueue('acc_b', 3, at(0));
      await enqueue('acc_c', 1, at(5));
      expect(await turn('acc_a', at(10))).toBe(1);
      expect(await turn('acc_b', at(20))).toBe(1);
      expect(await store.accountsWithDueWork(at(30), 10, 1)).toEqual(['acc_c', 'acc_a', 'acc_b']);
      await store.prune!(at(15)); // acc_a's turn (10 s) is older than the cutoff, acc_b's (20 s) is not
      expect(await store.accountsWithDueWork(at(30), 10, 1)).toEqual(['acc_a', 'acc_c', 'acc_b']);
      await store.prune!(at(25));
      expect(await store.accountsWithDueWork(at(30), 10, 1)).toEqual(['acc_a', 'acc_b', 'acc_c']);
    });
  });
}
