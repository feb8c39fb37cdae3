import type { Store, StoredEventInput } from '../../src/store/types';
import { storedEvent } from '../fixtures/events';
import { at, connection, storePerTest, synced, t0 } from './contractSetup';

/**
 * The Store contract: every backend (SQLite, Postgres) runs this same suite.
 * `factory` returns a fresh, migrated, empty store; each test gets its own.
 */
export function storeContract(name: string, factory: () => Promise<Store>): void {
  describe(`Store contract (${name})`, () => {
    let store: Store;
    storePerTest(factory, (s) => {
      store = s;
    });

    const event = (n: number, over: Partial<StoredEventInput> = {}): StoredEventInput => ({
      ...storedEvent(n, {
        eventId: `evt_${n}`,
        body: JSON.stringify({ id: `evt_${n}`, n }),
        receivedAt: t0,
        completedAt: at(n * 1000),
      }),
      ...over,
    });

    describe('intake', () => {
      it('stores an event once and answers duplicate for the same id', async () => {
        expect(await store.insertEvent(event(1))).toBe('inserted');
        expect(await store.insertEvent(event(1))).toBe('duplicate');
        expect(await store.hasEvent('evt_1')).toBe(true);
        expect(await store.hasEvent('evt_2')).toBe(false);
        const r = await store.getResponse('acc_1', 'rsp_1');
        expect(r).toMatchObject({ status: 'queued', attempts: 0, eventId: 'evt_1', interactionId: 'int_1' });
        expect(r?.completedAt.toISOString()).toBe(at(1000).toISOString());
      });

      it('answers exactly one inserted when identical deliveries race', async () => {
        const results = await Promise.all(Array.from({ length: 20 }, () => store.insertEvent(event(7))));
        expect(results.filter((r) => r === 'inserted')).toHaveLength(1);
        expect(results.filter((r) => r === 'duplicate')).toHaveLength(19);
        expect((await store.queueStats(t0)).queued).toBe(1);
      });

      it('commits a burst of distinct events, each answered inserted', async () => {
        const results = await Promise.all(Array.from({ length: 300 }, (_, i) => store.insertEvent(event(i))));
        expect(results.every((r) => r === 'inserted')).toBe(true);
        expect((await store.queueStats(t0)).queued).toBe(300);
      });

      it('stores events without a response (deleted, interaction.updated) without queueing work', async () => {
        expect(await store.insertEvent(event(2, { type: 'response.deleted', response: undefined }))).toBe('inserted');
        expect(await store.accountsWithDueWork(t0, 10)).toEqual([]);
      });

      it('keeps the first row when a response id comes again under a new event id', async () => {
        await store.insertEvent(event(3));
        await store.insertEvent(
          event(4, { response: { responseId: 'rsp_3', interactionId: 'int_other', completedAt: t0 } }),
        );
        expect((await store.getResponse('acc_1', 'rsp_3'))?.eventId).toBe('evt_3');
      });
    });

    describe('claims and leases', () => {
      it('lists accounts with due work and claims in completion order with the event body', async () => {
        await store.insertEvent(event(3, { receivedAt: t0 }));
        await store.insertEvent(event(1, { receivedAt: t0 }));
        await store.insertEvent(event(2, { accountId: 'acc_2', receivedAt: t0 }));
        expect((await store.accountsWithDueWork(t0, 10)).sort()).toEqual(['acc_1', 'acc_2']);
        const claimed = await store.claimResponses('acc_1', 'w1', t0, 60_000, 10);
        expect(claimed.map((c) => c.responseId)).toEqual(['rsp_1', 'rsp_3']);
        expect(JSON.parse(claimed[0].body)).toEqual({ id: 'evt_1', n: 1 });
        expect(claimed[0]).toMatchObject({ leaseOwner: 'w1', status: 'queued' });
        expect(claimed[0].leaseExpiresAt.getTime()).toBe(t0.getTime() + 60_000);
      });

      it('never hands a leased response to a second worker until the lease expires', async () => {
        await store.insertEvent(event(1));
        expect(await store.claimResponses('acc_1', 'w1', t0, 60_000, 10)).toHaveLength(1);
        expect(await store.claimResponses('acc_1', 'w2', at(59_999), 60_000, 10)).toHaveLength(0);
        expect(await store.accountsWithDueWork(at(59_999), 10)).toEqual([]);
        // w1 crashed: after expiry, w2 takes it over and w1's late completion is refused.
        expect(await store.accountsWithDueWork(at(60_000), 10)).toEqual(['acc_1']);
        const taken = await store.claimResponses('acc_1', 'w2', at(60_000), 60_000, 10);
        expect(taken.map((c) => c.leaseOwner)).toEqual(['w2']);
        expect(await store.completeResponse('acc_1', 'rsp_1', 'w1', synced, at(61_000))).toBe(false);
        expect(await store.completeResponse('acc_1', 'rsp_1', 'w2', synced, at(61_000))).toBe(true);
      });

      it('renews the leases one owner holds on one account, and only those', async () => {
        await store.insertEvent(event(1));
        await store.insertEvent(event(2, { accountId: 'acc_2' }));
        await store.claimResponses('acc_1', 'w1', t0, 60_000, 10);
        await store.claimResponses('acc_2', 'w1', t0, 60_000, 10);
        if (!store.renewLeases) throw new Error('every backend implements renewLeases');
        expect(await store.renewLeases('acc_1', 'w1', at(50_000), 60_000)).toBe(1);
        expect(await store.renewLeases('acc_1', 'w2', at(50_000), 60_000)).toBe(0);
        // acc_2's lease (not renewed) lapses at 60 s; acc_1's now lasts until 110 s.
        expect(await store.accountsWithDueWork(at(100_000), 10)).toEqual(['acc_2']);
        expect(await store.claimResponses('acc_1', 'w2', at(109_999), 60_000, 10)).toHaveLength(0);
        expect(await store.claimResponses('acc_1', 'w2', at(110_000), 60_000, 10)).toHaveLength(1);
      });

      it('respects the claim limit and does not claim work that is not due', async () => {
        for (let i = 0; i < 5; i++) await store.insertEvent(event(i));
        expect(await store.claimResponses('acc_1', 'w1', at(-1), 60_000, 10)).toHaveLength(0);
        expect(await store.claimResponses('acc_1', 'w1', t0, 60_000, 2)).toHaveLength(2);
        // the same owner may take more of its own account (its next batch)
        expect(await store.claimResponses('acc_1', 'w1', t0, 60_000, 10)).toHaveLength(3);
      });

      it('gives one account to one owner at a time: another owner gets nothing while a lease lives', async () => {
        for (let i = 0; i < 3; i++) await store.insertEvent(event(i));
        await store.insertEvent(event(9, { accountId: 'acc_2' }));
        expect(await store.claimResponses('acc_1', 'w1', t0, 60_000, 1)).toHaveLength(1);
        await store.insertEvent(event(5)); // arrives while w1's batch runs
        expect(await store.accountsWithDueWork(t0, 10)).toEqual(['acc_2']);
        expect(await store.claimResponses('acc_1', 'w2', t0, 60_000, 10)).toHaveLength(0);
        expect(await store.claimResponses('acc_2', 'w2', t0, 60_000, 10)).toHaveLength(1);
        // w1 finishes its batch: the account is free again
        await store.completeResponse(
          'acc_1',
          'rsp_0',
          'w1',
          { status: 'synced', object: 'Contact', recordId: '003', action: 'created' },
          t0,
        );
        expect(await store.accountsWithDueWork(t0, 10)).toEqual(['acc_1']);
        expect((await store.claimResponses('acc_1', 'w2', t0, 60_000, 10)).map((c) => c.responseId)).toEqual([
          'rsp_1',
          'rsp_2',
          'rsp_5',
        ]);
      });

      it('lets exactly one of two racing owners claim an account', async () => {
        for (let i = 0; i < 50; i++) await store.insertEvent(event(i));
        const [a, b] = await Promise.all([
          store.claimResponses('acc_1', 'w1', t0, 60_000, 30),
          store.claimResponses('acc_1', 'w2', t0, 60_000, 30),
        ]);
        expect([a.length, b.length].sort((x, y) => x - y)).toEqual([0, 30]);
      });
    });

    describe('outcomes', () => {
      async function claimOne(n = 1) {
        await store.insertEvent(event(n));
        const [c] = await store.claimResponses('acc_1', 'w1', t0, 60_000, 1);
        return c;
      }

      it('records synced with object, record id, action and warnings', async () => {
        await claimOne();
        await store.completeResponse(
          'acc_1',
          'rsp_1',
          'w1',
          {
            status: 'synced',
            object: 'Lead',
            recordId: '00Qx',
            action: 'updated',
            warnings: [{ code: 'FIELD_TRUNCATED', message: 'Title truncated to 10 characters' }],
          },
          at(5000),
        );
        expect(await store.getResponse('acc_1', 'rsp_1')).toMatchObject({
          status: 'synced',
          object: 'Lead',
          recordId: '00Qx',
          action: 'updated',
          warnings: [{ code: 'FIELD_TRUNCATED', message: 'Title truncated to 10 characters' }],
          attempts: 1,
        });
        expect((await store.getResponse('acc_1', 'rsp_1'))?.updatedAt.toISOString()).toBe(at(5000).toISOString());
        expect(await store.accountsWithDueWork(at(10 ** 9), 10)).toEqual([]);
      });

      it('records failed and skipped with their code and message', async () => {
        await claimOne(1);
        await claimOne(2);
        await store.completeResponse(
          'acc_1',
          'rsp_1',
          'w1',
          { status: 'failed', code: 'REQUIRED_FIELD_NOT_MAPPED', message: 'Company', object: 'Lead' },
          t0,
        );
        await store.completeResponse(
          'acc_1',
          'rsp_2',
          'w1',
          { status: 'skipped', code: 'SYNC_DISABLED', message: 'off' },
          t0,
        );
        expect(await store.getResponse('acc_1', 'rsp_1')).toMatchObject({
          status: 'failed',
          errorCode: 'REQUIRED_FIELD_NOT_MAPPED',
          errorMessage: 'Company',
          object: 'Lead',
        });
        expect(await store.getResponse('acc_1', 'rsp_2')).toMatchObject({
          status: 'skipped',
          errorCode: 'SYNC_DISABLED',
          attempts: 1,
        });
      });

      it('puts a retry back in the queue, due at nextAttemptAt, attempts counted', async () => {
        await claimOne();
        await store.completeResponse(
          'acc_1',
          'rsp_1',
          'w1',
          { status: 'retry', code: 'UNABLE_TO_LOCK_ROW', message: 'busy', nextAttemptAt: at(30_000) },
          at(1000),
        );
        expect(await store.getResponse('acc_1', 'rsp_1')).toMatchObject({
          status: 'queued',
          attempts: 1,
          errorCode: 'UNABLE_TO_LOCK_ROW',
        });
        expect(await store.claimResponses('acc_1', 'w2', at(29_999), 60_000, 10)).toHaveLength(0);
        const again = await store.claimResponses('acc_1', 'w2', at(30_000), 60_000, 10);
        expect(again.map((c) => c.attempts)).toEqual([1]);
      });

      it('requeues a failed response (attempts kept, due now) but not a synced or queued one', async () => {
        await claimOne(1);
        await store.completeResponse(
          'acc_1',
          'rsp_1',
          'w1',
          { status: 'failed', code: 'INVALID_FIELD', message: 'x' },
          t0,
        );
        expect(await store.requeueResponse('acc_1', 'rsp_1', at(1000))).toBe(true);
        expect(await store.getResponse('acc_1', 'rsp_1')).toMatchObject({ status: 'queued', attempts: 1 });
        expect((await store.getResponse('acc_1', 'rsp_1'))?.nextAttemptAt.toISOString()).toBe(at(1000).toISOString());
        expect(await store.requeueResponse('acc_1', 'rsp_1', at(1000))).toBe(false);
        expect(await store.requeueResponse('acc_1', 'nope', at(1000))).toBe(false);
      });

      it('can requeue a response skipped NOT_CONNECTED, not one skipped SYNC_DISABLED', async () => {
        await claimOne(1);
        await claimOne(2);
        await store.completeResponse(
          'acc_1',
          'rsp_1',
          'w1',
          { status: 'skipped', code: 'NOT_CONNECTED', message: 'x' },
          t0,
        );
        await store.completeResponse(
          'acc_1',
          'rsp_2',
          'w1',
          { status: 'skipped', code: 'SYNC_DISABLED', message: 'x' },
          t0,
        );
        expect(await store.requeueResponse('acc_1', 'rsp_1', t0)).toBe(true);
        expect(await store.requeueResponse('acc_1', 'rsp_2', t0)).toBe(false);
      });

      it('skips every queued response of one account, leased ones included, and refuses their late completion', async () => {
        await claimOne(1);
        await store.insertEvent(event(2));
        await store.insertEvent(event(3, { accountId: 'acc_2' }));
        expect(await store.skipQueuedResponses('acc_1', 'NOT_CONNECTED', 'disconnected', t0)).toBe(2);
        expect(await store.getResponse('acc_1', 'rsp_2')).toMatchObject({
          status: 'skipped',
          errorCode: 'NOT_CONNECTED',
        });
        expect(await store.getResponse('acc_2', 'rsp_3')).toMatchObject({ status: 'queued' });
        const late = await store.completeResponse(
          'acc_1',
          'rsp_1',
          'w1',
          { status: 'synced', object: 'Contact', recordId: '003', action: 'created' },
          t0,
        );
        expect(late).toBe(false);
      });

      it('reports queue depth and the age of the oldest queued response', async () => {
        expect(await store.queueStats(t0)).toEqual({ queued: 0, oldestQueuedAgeSeconds: 0 });
        await store.insertEvent(event(1, { receivedAt: t0 }));
        await store.insertEvent(event(2, { receivedAt: at(10_000) }));
        expect(await store.queueStats(at(20_000))).toEqual({ queued: 2, oldestQueuedAgeSeconds: 20 });
      });
    });

    describe('connections and OAuth states', () => {
      const conn = connection('acc_1', '00D1', { accessTokenEnc: 'a1', refreshTokenEnc: 'r1' });

      it('upserts, rotates tokens, and marks disconnected with a reason', async () => {
        expect(await store.getConnection('acc_1')).toBeUndefined();
        await store.upsertConnection(conn);
        expect(await store.getConnection('acc_1')).toEqual(conn);
        await store.updateConnectionTokens('acc_1', 'a2', undefined, at(1));
        expect(await store.getConnection('acc_1')).toMatchObject({ accessTokenEnc: 'a2', refreshTokenEnc: 'r1' });
        await store.updateConnectionTokens('acc_1', 'a3', 'r3', at(2));
        expect(await store.getConnection('acc_1')).toMatchObject({ accessTokenEnc: 'a3', refreshTokenEnc: 'r3' });
        // A refresh response that moved the org ("OAuth 2.0 Refresh Token Flow": instance_url) keeps
        // the new instance with the tokens; none given keeps the stored one.
        await store.updateConnectionTokens('acc_1', 'a4', undefined, at(2), 'https://acme.my.salesforce.com');
        expect(await store.getConnection('acc_1')).toMatchObject({
          accessTokenEnc: 'a4',
          refreshTokenEnc: 'r3',
          instanceUrl: 'https://acme.my.salesforce.com',
        });
        await store.updateConnectionTokens('acc_1', 'a5', undefined, at(2));
        expect(await store.getConnection('acc_1')).toMatchObject({ instanceUrl: 'https://acme.my.salesforce.com' });
        await store.markDisconnected('acc_1', 'revoked', at(3));
        expect(await store.getConnection('acc_1')).toMatchObject({ status: 'disconnected', reason: 'revoked' });
        await store.upsertConnection({ ...conn, orgId: '00D2' });
        const back = await store.getConnection('acc_1');
        expect(back).toMatchObject({ status: 'connected', orgId: '00D2' });
        expect(back?.reason).toBeUndefined();
      });

      it('hands out an OAuth state once', async () => {
        const state = {
          stateHash: 'h1',
          accountId: 'acc_1',
          loginUrl: 'https://login.salesforce.com',
          codeVerifierEnc: 'v',
          expiresAt: at(600_000),
        };
        await store.insertOAuthState(state);
        const results = await Promise.all([store.consumeOAuthState('h1'), store.consumeOAuthState('h1')]);
        expect(results.filter(Boolean)).toEqual([state]);
        expect(await store.consumeOAuthState('unknown')).toBeUndefined();
      });
    });

    describe('interaction catalogue', () => {
      const rec = {
        accountId: 'acc_1',
        interactionId: 'int_1',
        name: 'Quiz',
        fieldsJson: '[]',
        contentHash: 'h1',
        updatedAt: t0,
      };

      it('reports changes by hash and lists what is owed to the org until mirrored', async () => {
        expect(await store.upsertInteraction(rec)).toBe(true);
        expect(await store.upsertInteraction(rec)).toBe(false);
        expect((await store.interactionsToMirror('acc_1', 10)).map((i) => i.contentHash)).toEqual(['h1']);
        await store.markInteractionMirrored('acc_1', 'int_1', 'h1');
        expect(await store.interactionsToMirror('acc_1', 10)).toEqual([]);
        expect(await store.upsertInteraction({ ...rec, name: 'Quiz 2', contentHash: 'h2' })).toBe(true);
        const owed = await store.interactionsToMirror('acc_1', 10);
        expect(owed).toEqual([{ ...rec, name: 'Quiz 2', contentHash: 'h2', mirroredHash: 'h1' }]);
        expect(await store.interactionsToMirror('acc_2', 10)).toEqual([]);
      });
    });

    it('pings', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });
  });
}
