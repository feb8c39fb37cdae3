import type { Store } from '../../src/store/types';
import { storedEvent } from '../fixtures/events';
import { at, connection, implemented, storePerTest, t0 } from './contractSetup';

/**
 * The mirror-only part of the Store contract: which accounts owe interaction metadata to their org
 * without a response batch (SPEC §4 `interaction.updated`: "refresh the interaction's catalogue"),
 * and the per-account turn/backoff every instance honours before calling that org again
 * (docs/architecture.md, "Interaction mirroring"). Run by sqlite.test.ts and postgres.test.ts.
 */
export function mirrorContract(name: string, factory: () => Promise<Store>): void {
  describe(`Store contract, mirror-only work (${name})`, () => {
    let store: Store;
    let owing: NonNullable<Store['accountsOwingMirror']>;
    let claim: NonNullable<Store['claimInteractionMirror']>;
    let defer: NonNullable<Store['deferInteractionMirror']>;
    let clear: NonNullable<Store['clearInteractionMirrorBackoff']>;
    storePerTest(factory, (s) => {
      store = s;
      owing = implemented(store, 'accountsOwingMirror');
      claim = implemented(store, 'claimInteractionMirror');
      defer = implemented(store, 'deferInteractionMirror');
      clear = implemented(store, 'clearInteractionMirrorBackoff');
    });

    const connect = (accountId: string, status: 'connected' | 'disconnected' = 'connected') =>
      store.upsertConnection(connection(accountId, `00D_${accountId}`, { status }));
    const interaction = (accountId: string, interactionId: string, hash: string, updatedAt = t0) =>
      store.upsertInteraction({
        accountId,
        interactionId,
        name: 'Quiz',
        fieldsJson: '[]',
        contentHash: hash,
        updatedAt,
      });

    it('lists connected accounts with an interaction never mirrored or changed since, longest-owed first', async () => {
      for (const a of ['acc_new', 'acc_changed', 'acc_done', 'acc_off', 'acc_none']) await connect(a);
      await store.markDisconnected('acc_off', 'revoked', t0);
      await interaction('acc_new', 'int_1', 'h1', at(2000));
      await interaction('acc_changed', 'int_1', 'h1', at(1000));
      await store.markInteractionMirrored('acc_changed', 'int_1', 'h1');
      await interaction('acc_done', 'int_1', 'h1');
      await store.markInteractionMirrored('acc_done', 'int_1', 'h1');
      await interaction('acc_off', 'int_1', 'h1'); // disconnected: owed, but not to be called
      await interaction('acc_unconnected', 'int_1', 'h1'); // no connection row at all
      expect(await owing(at(5000), 10)).toEqual(['acc_new']);

      expect(await interaction('acc_changed', 'int_1', 'h2', at(1000))).toBe(true);
      expect(await owing(at(5000), 10)).toEqual(['acc_changed', 'acc_new']);
      expect(await owing(at(5000), 1)).toEqual(['acc_changed']);
      await store.markInteractionMirrored('acc_changed', 'int_1', 'h2');
      await store.markInteractionMirrored('acc_new', 'int_1', 'h1');
      expect(await owing(at(5000), 10)).toEqual([]);
    });

    it('leaves out paused accounts and accounts under a live batch lease until those end', async () => {
      await connect('acc_1');
      await interaction('acc_1', 'int_1', 'h1');
      await store.insertEvent(storedEvent(1, { eventId: 'evt_1', receivedAt: t0 }));
      expect(await store.claimResponses('acc_1', 'w1', t0, 60_000, 10)).toHaveLength(1);
      expect(await owing(at(1000), 10)).toEqual([]); // the batch mirrors first
      expect(await store.pauseAccount('acc_1', 'w1', at(15 * 60_000))).toBe(true);
      expect(await owing(at(60_000), 10)).toEqual([]); // lease over, pause still on
      expect(await owing(at(15 * 60_000), 10)).toEqual(['acc_1']);
    });

    it('gives one attempt the turn; failures back off doubling from base to cap; success forgets them', async () => {
      await connect('acc_1');
      await interaction('acc_1', 'int_1', 'h1');
      expect(await claim('acc_1', t0, 60_000)).toBe(true);
      expect(await claim('acc_1', at(1000), 60_000)).toBe(false); // another instance: not twice
      expect(await owing(at(1000), 10)).toEqual([]);

      expect(await defer('acc_1', at(2000), 30_000, 120_000)).toEqual({ failures: 1, retryAt: at(32_000) });
      expect(await owing(at(31_999), 10)).toEqual([]);
      expect(await claim('acc_1', at(31_999), 60_000)).toBe(false);
      expect(await owing(at(32_000), 10)).toEqual(['acc_1']);
      expect(await claim('acc_1', at(32_000), 60_000)).toBe(true);
      expect(await defer('acc_1', at(33_000), 30_000, 120_000)).toEqual({ failures: 2, retryAt: at(93_000) });
      expect(await claim('acc_1', at(93_000), 60_000)).toBe(true);
      expect(await defer('acc_1', at(94_000), 30_000, 120_000)).toEqual({ failures: 3, retryAt: at(214_000) });
      expect(await claim('acc_1', at(214_000), 60_000)).toBe(true);
      // Capped: 30 s · 2^3 = 240 s > 120 s.
      expect(await defer('acc_1', at(215_000), 30_000, 120_000)).toEqual({ failures: 4, retryAt: at(335_000) });

      await clear('acc_1');
      expect(await owing(at(215_000), 10)).toEqual(['acc_1']);
      expect(await claim('acc_1', at(215_000), 60_000)).toBe(true);
      expect(await defer('acc_1', at(216_000), 30_000, 120_000)).toEqual({ failures: 1, retryAt: at(246_000) });
    });

    it('a failure without a prior claim starts at the base; many failures stay at the cap', async () => {
      await connect('acc_1');
      await interaction('acc_1', 'int_1', 'h1');
      expect(await defer('acc_1', t0, 30_000, 15 * 60_000)).toEqual({ failures: 1, retryAt: at(30_000) });
      let last = { failures: 1, retryAt: at(30_000) };
      for (let i = 0; i < 70; i++) last = await defer('acc_1', t0, 30_000, 15 * 60_000);
      expect(last).toEqual({ failures: 71, retryAt: at(15 * 60_000) });
    });

    it('a reconnect lifts the backoff (it was about the previous connection) and retention prunes ended ones', async () => {
      await connect('acc_1');
      await connect('acc_2');
      await interaction('acc_1', 'int_1', 'h1');
      await interaction('acc_2', 'int_1', 'h1');
      await defer('acc_1', t0, 15 * 60_000, 15 * 60_000);
      await defer('acc_2', t0, 15 * 60_000, 15 * 60_000);
      expect(await owing(at(1000), 10)).toEqual([]);
      await connect('acc_1');
      expect(await owing(at(1000), 10)).toEqual(['acc_1']);

      await store.prune(at(16 * 60_000));
      // acc_2's ended backoff row is gone: its next failure counts from 1 again.
      expect(await defer('acc_2', at(16 * 60_000), 30_000, 15 * 60_000)).toEqual({
        failures: 1,
        retryAt: at(16 * 60_000 + 30_000),
      });
    });
  });
}
