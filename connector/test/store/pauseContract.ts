import type { Store } from '../../src/store/types';
import { at, connection, implemented, receivedResponse as event, storePerTest, synced, t0 } from './contractSetup';

/** A batch refused as a whole for the org's API request limit, retried at `nextAttemptAt`. */
const limitRetry = (nextAttemptAt: Date) =>
  ({
    status: 'retry',
    code: 'REQUEST_LIMIT_EXCEEDED',
    message: 'TotalRequests Limit exceeded.',
    nextAttemptAt,
  }) as const;

/**
 * The account-pause part of the Store contract: an account whose last batch came back `retry` as a
 * whole is paused in the store, so every instance on it leaves the account alone until the pause
 * ends (docs/architecture.md, "Pause after a batch that failed as a whole"). Run by sqlite.test.ts
 * and postgres.test.ts with the same expectations.
 */
export function pauseContract(name: string, factory: () => Promise<Store>): void {
  describe(`Store contract, account pause (${name})`, () => {
    let store: Store;
    let pauseAccount: NonNullable<Store['pauseAccount']>;
    let clearAccountPause: NonNullable<Store['clearAccountPause']>;
    storePerTest(factory, (s) => {
      store = s;
      pauseAccount = implemented(store, 'pauseAccount');
      clearAccountPause = implemented(store, 'clearAccountPause');
    });

    /** w1's batch of rsp_1 came back retry (due at 15 min) and paused acc_1 until then. */
    async function pausedByWholeBatchRetry(): Promise<void> {
      await store.insertEvent(event(1));
      expect(await store.claimResponses('acc_1', 'w1', t0, 60_000, 10)).toHaveLength(1);
      expect(await pauseAccount('acc_1', 'w1', at(15 * 60_000))).toBe(true);
      expect(await store.completeResponse('acc_1', 'rsp_1', 'w1', limitRetry(at(15 * 60_000)), at(1000))).toBe(true);
    }

    it('hides a paused account from every lister and claimer until the pause ends; its work stays queued', async () => {
      await pausedByWholeBatchRetry();
      await store.insertEvent(event(2, 'acc_1', at(2000))); // new arrival, due at once
      await store.insertEvent(event(3, 'acc_2', at(2000)));
      expect(await store.accountsWithDueWork(at(60_000), 10)).toEqual(['acc_2']);
      expect(await store.claimResponses('acc_1', 'w2', at(60_000), 60_000, 10)).toEqual([]);
      expect(await store.claimResponses('acc_1', 'w2', at(15 * 60_000 - 1), 60_000, 10)).toEqual([]);
      expect(await store.getResponse('acc_1', 'rsp_2')).toMatchObject({ status: 'queued', attempts: 0 });
      // The pause ends with the earliest retry: both responses are claimed together by another owner
      // (acc_2, never served, comes first: round-robin turns, turnContract.ts).
      expect(await store.accountsWithDueWork(at(15 * 60_000), 10)).toEqual(['acc_2', 'acc_1']);
      const claimed = await store.claimResponses('acc_1', 'w2', at(15 * 60_000), 60_000, 10);
      expect(claimed.map((c) => c.responseId)).toEqual(['rsp_1', 'rsp_2']);
    });

    it('pauses only for the owner holding the batch: a lost or finished lease pauses nothing', async () => {
      await store.insertEvent(event(1));
      expect(await pauseAccount('acc_1', 'w1', at(60_000))).toBe(false); // nobody holds it
      await store.claimResponses('acc_1', 'w1', t0, 60_000, 10);
      expect(await pauseAccount('acc_1', 'w2', at(60_000))).toBe(false); // not w2's batch
      expect(await store.accountsWithDueWork(at(60_000), 10)).toEqual(['acc_1']); // w1's lease lapsed
      // w1 froze past its lease; w2 took the batch over; w1's late pause is refused like its outcome.
      expect(await store.claimResponses('acc_1', 'w2', at(60_000), 60_000, 10)).toHaveLength(1);
      expect(await pauseAccount('acc_1', 'w1', at(15 * 60_000))).toBe(false);
      expect(await store.completeResponse('acc_1', 'rsp_1', 'w2', synced, at(61_000))).toBe(true);
      expect(await pauseAccount('acc_1', 'w2', at(15 * 60_000))).toBe(false); // batch recorded
      await store.insertEvent(event(2, 'acc_1', at(62_000)));
      expect(await store.accountsWithDueWork(at(62_000), 10)).toEqual(['acc_1']);
    });

    it('a later pause replaces the earlier one, shorter or longer', async () => {
      await pausedByWholeBatchRetry();
      // The pause ended; the next batch came back retry as a whole again.
      expect(await store.claimResponses('acc_1', 'w2', at(15 * 60_000), 60_000, 10)).toHaveLength(1);
      expect(await pauseAccount('acc_1', 'w2', at(20 * 60_000))).toBe(true); // longer than the first
      expect(await pauseAccount('acc_1', 'w2', at(16 * 60_000))).toBe(true); // then shorter: it holds
      expect(await store.completeResponse('acc_1', 'rsp_1', 'w2', limitRetry(at(16 * 60_000)), at(15 * 60_000))).toBe(
        true,
      );
      await store.insertEvent(event(2, 'acc_1', at(15 * 60_000 + 1000)));
      expect(await store.accountsWithDueWork(at(16 * 60_000 - 1), 10)).toEqual([]);
      expect(await store.accountsWithDueWork(at(16 * 60_000), 10)).toEqual(['acc_1']);
    });

    it('clearAccountPause makes the account due at once, and only that account', async () => {
      await pausedByWholeBatchRetry();
      await store.insertEvent(event(2, 'acc_1', at(2000)));
      await store.insertEvent(event(3, 'acc_2', at(2000)));
      await store.claimResponses('acc_2', 'w9', at(2000), 60_000, 10);
      expect(await pauseAccount('acc_2', 'w9', at(15 * 60_000))).toBe(true);
      await clearAccountPause('acc_1');
      await clearAccountPause('acc_1'); // nothing left to clear: harmless
      expect(await store.claimResponses('acc_1', 'w2', at(3000), 60_000, 10)).toHaveLength(1); // rsp_2
      // w9's lease lapsed at 62 s, but acc_2 is still paused.
      expect(await store.claimResponses('acc_2', 'w2', at(63_000), 60_000, 10)).toEqual([]);
    });

    it('an admin requeue lifts the pause (tried now, not after the old window); a refused requeue does not', async () => {
      await store.insertEvent(event(0));
      await store.claimResponses('acc_1', 'w1', t0, 60_000, 10);
      await store.completeResponse('acc_1', 'rsp_0', 'w1', { status: 'failed', code: 'X', message: 'x' }, t0);
      await pausedByWholeBatchRetry();
      await store.insertEvent(event(2, 'acc_1', at(2000)));
      expect(await store.requeueResponse('acc_1', 'rsp_1', at(2000))).toBe(false); // queued: nothing to do
      expect(await store.accountsWithDueWork(at(2000), 10)).toEqual([]);
      expect(await store.requeueResponse('acc_1', 'rsp_0', at(3000))).toBe(true);
      expect(await store.accountsWithDueWork(at(3000), 10)).toEqual(['acc_1']);
      const claimed = await store.claimResponses('acc_1', 'w2', at(3000), 60_000, 10);
      expect(claimed.map((c) => c.responseId)).toEqual(['rsp_0', 'rsp_2']); // rsp_1 keeps its retry time
    });

    it('a reconnect lifts the pause (it was about the previous connection)', async () => {
      await pausedByWholeBatchRetry();
      await store.insertEvent(event(2, 'acc_1', at(2000)));
      const conn = connection('acc_1', '00D2', { connectedAt: at(3000), updatedAt: at(3000) });
      await store.upsertConnection(conn);
      expect(await store.getConnection('acc_1')).toEqual(conn);
      expect(await store.accountsWithDueWork(at(3000), 10)).toEqual(['acc_1']);
    });

    it('retention never lifts a pause that has not ended', async () => {
      await pausedByWholeBatchRetry();
      await store.insertEvent(event(2, 'acc_1', at(2000)));
      if (!store.prune) throw new Error('every backend implements prune');
      await store.prune(at(15 * 60_000 - 1));
      expect(await store.accountsWithDueWork(at(15 * 60_000 - 1), 10)).toEqual([]);
      await store.prune(at(15 * 60_000 + 1));
      expect(await store.accountsWithDueWork(at(15 * 60_000 + 1), 10)).toEqual(['acc_1']);
    });
  });

  /**
   * The org pause: a batch refused for an org-wide reason (REQUEST_LIMIT_EXCEEDED — the API request
   * allocation is the org's, Salesforce "API Request Limits and Allocations" — 5xx, instance out of
   * reach) pauses every account connected to that org (connections.org_id), not only its own.
   */
  describe(`Store contract, org pause (${name})`, () => {
    let store: Store;
    let pauseOrg: NonNullable<Store['pauseOrg']>;
    let clearAccountPause: NonNullable<Store['clearAccountPause']>;
    storePerTest(factory, async (s) => {
      store = s;
      pauseOrg = implemented(store, 'pauseOrg');
      clearAccountPause = implemented(store, 'clearAccountPause');
      // acc_1 and acc_2 are two CredSpark accounts connected to the same org; acc_3 to another.
      await connect('acc_1', ORG_A);
      await connect('acc_2', ORG_A);
      await connect('acc_3', ORG_B);
    });

    const ORG_A = '00D00000000000A';
    const ORG_B = '00D00000000000B';
    const min15 = 15 * 60_000;
    const connect = (accountId: string, orgId: string, when = t0) =>
      store.upsertConnection(connection(accountId, orgId, { connectedAt: when, updatedAt: when }));

    /** w1's batch of acc_1's rsp_1 was refused by org A as a whole: org A paused until 15 min. */
    async function orgPausedByAcc1(): Promise<void> {
      await store.insertEvent(event(1, 'acc_1'));
      expect(await store.claimResponses('acc_1', 'w1', t0, 60_000, 10)).toHaveLength(1);
      expect(await pauseOrg('acc_1', 'w1', at(min15))).toBe(true);
      expect(await store.completeResponse('acc_1', 'rsp_1', 'w1', limitRetry(at(min15)), at(1000))).toBe(true);
      // New arrivals during the limit window: one for the other account of org A, one for org B.
      await store.insertEvent(event(2, 'acc_2', at(2000)));
      await store.insertEvent(event(3, 'acc_3', at(2000)));
    }

    it('hides every account of the paused org from the due list and the claim (with or without an org cap) until it ends; other orgs go on', async () => {
      await orgPausedByAcc1();
      expect(await store.accountsWithDueWork(at(60_000), 10)).toEqual(['acc_3']);
      expect(await store.accountsWithDueWork(at(60_000), 10, 5)).toEqual(['acc_3']);
      expect(await store.claimResponses('acc_2', 'w2', at(60_000), 60_000, 10)).toEqual([]);
      expect(await store.claimResponses('acc_2', 'w2', at(min15 - 1), 60_000, 10, 5)).toEqual([]);
      expect(await store.getResponse('acc_2', 'rsp_2')).toMatchObject({ status: 'queued', attempts: 0 });
      expect(await store.claimResponses('acc_3', 'w2', at(60_000), 60_000, 10)).toHaveLength(1);
      // The pause ends with the earliest retry: both accounts of org A are due again (acc_3's lease
      // lapsed unrecorded, so it is due again too); least recently served first (turnContract.ts):
      // acc_2 never, acc_1 at t0, acc_3 at 1 min.
      expect(await store.accountsWithDueWork(at(min15), 10)).toEqual(['acc_2', 'acc_1', 'acc_3']);
      expect((await store.claimResponses('acc_2', 'w2', at(min15), 60_000, 10, 5)).map((c) => c.responseId)).toEqual([
        'rsp_2',
      ]);
    });

    it('hides the accounts of the paused org from mirror-only work too', async () => {
      if (!store.accountsOwingMirror) throw new Error('every backend implements mirror-only work');
      await orgPausedByAcc1();
      for (const accountId of ['acc_2', 'acc_3'])
        await store.upsertInteraction({
          accountId,
          interactionId: 'int_1',
          name: 'Quiz',
          fieldsJson: '[]',
          contentHash: 'h1',
          updatedAt: at(2000),
        });
      expect(await store.accountsOwingMirror(at(60_000), 10)).toEqual(['acc_3']);
      expect(await store.accountsOwingMirror(at(min15), 10)).toEqual(['acc_2', 'acc_3']);
    });

    it('is written only by the owner holding a batch of an account with a connection', async () => {
      await store.insertEvent(event(1, 'acc_1'));
      await store.insertEvent(event(9, 'acc_9')); // never connected: no org to pause
      expect(await pauseOrg('acc_1', 'w1', at(min15))).toBe(false); // nobody holds it
      await store.claimResponses('acc_1', 'w1', t0, 60_000, 10);
      await store.claimResponses('acc_9', 'w1', t0, 60_000, 10);
      expect(await pauseOrg('acc_1', 'w2', at(min15))).toBe(false); // not w2's batch
      expect(await pauseOrg('acc_9', 'w1', at(min15))).toBe(false);
      await store.insertEvent(event(2, 'acc_2', at(1000)));
      expect(await store.accountsWithDueWork(at(1000), 10)).toEqual(['acc_2']);
    });

    it('a batch with a final outcome on any account of the org lifts it (clearAccountPause); one of another org does not', async () => {
      await orgPausedByAcc1();
      await clearAccountPause('acc_3'); // org B answered: says nothing about org A
      expect(await store.accountsWithDueWork(at(60_000), 10)).toEqual(['acc_3']);
      await clearAccountPause('acc_2');
      expect(await store.accountsWithDueWork(at(60_000), 10)).toEqual(['acc_2', 'acc_3']);
    });

    it('an admin requeue of one of its responses lifts it for every account of the org', async () => {
      await store.insertEvent(event(0, 'acc_2'));
      await store.claimResponses('acc_2', 'w0', t0, 60_000, 10);
      await store.completeResponse('acc_2', 'rsp_0', 'w0', { status: 'failed', code: 'X', message: 'x' }, t0);
      await orgPausedByAcc1();
      expect(await store.requeueResponse('acc_2', 'rsp_0', at(3000))).toBe(true);
      // Least recently served first (turnContract.ts): acc_3 never; acc_1 and acc_2 at t0, then the
      // oldest due response (acc_2's rsp_2 at 2 s before acc_1's rsp_4 at 3 s).
      expect(await store.accountsWithDueWork(at(3000), 10)).toEqual(['acc_3', 'acc_2']);
      await store.insertEvent(event(4, 'acc_1', at(3000)));
      expect(await store.accountsWithDueWork(at(3000), 10)).toEqual(['acc_3', 'acc_2', 'acc_1']);
    });

    it("a reconnect lifts the pause of the org the account was connected to; another org's pause it joins stays", async () => {
      await orgPausedByAcc1();
      // acc_3 moves to org A while org A is paused (by acc_1): it waits with org A.
      await connect('acc_3', ORG_A, at(3000));
      expect(await store.accountsWithDueWork(at(3000), 10)).toEqual([]);
      // acc_1 reconnects (to org A again): the pause was about its previous connection's org.
      await connect('acc_1', ORG_A, at(4000));
      expect(await store.accountsWithDueWork(at(4000), 10)).toEqual(['acc_2', 'acc_3']);
    });

    it('retention never lifts an org pause that has not ended', async () => {
      await orgPausedByAcc1();
      if (!store.prune) throw new Error('every backend implements prune');
      await store.prune(at(min15 - 1));
      expect(await store.accountsWithDueWork(at(min15 - 1), 10)).toEqual(['acc_3']);
      await store.prune(at(min15 + 1));
      expect(await store.accountsWithDueWork(at(min15 + 1), 10)).toEqual(['acc_2', 'acc_3', 'acc_1']);
    });
  });
}
