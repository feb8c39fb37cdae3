import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_WORKER_CONFIG, type WorkerConfig } from '../../src/config/appConfig';
import { createLogger } from '../../src/observability/logger';
import { createMetrics } from '../../src/observability/metrics';
import { openStore } from '../../src/store/openStore';
import type { Store } from '../../src/store/types';
import type { SyncResponses } from '../../src/sync/types';
import { storedEvent } from '../fixtures/events';
import { ManualScheduler } from './manualScheduler';
import { Worker, type WorkerDeps } from '../../src/worker/worker';
import { connectAccount, FakeConnections, RecordingSync } from '../app/harness';

const t0 = new Date('2026-11-28T19:00:00.000Z');
let dir: string;
let store: Store;
let now: Date;
let sync: RecordingSync;
let connections: FakeConnections;
let random: number;

/** A worker on the test's store, fake connections and recording sync engine, the test clock and random. */
function makeWorker(config: Partial<WorkerConfig> = {}, over: Partial<WorkerDeps> = {}) {
  return new Worker({
    store,
    connections,
    mirror: connections,
    syncResponses: sync.fn,
    namespace: 'credspark',
    config: { ...DEFAULT_WORKER_CONFIG, ...config },
    log: createLogger('silent'),
    metrics: createMetrics(),
    clock: () => now,
    random: () => random,
    owner: 'w1',
    ...over,
  });
}
const advance = (ms: number) => (now = new Date(now.getTime() + ms));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The recording sync engine taking `ms` per batch, counting the most batches that ran at once. */
function slowSync(ms: number): { fn: SyncResponses; peak(): number } {
  let running = 0;
  let peak = 0;
  return {
    fn: async (ctx, rs) => {
      running++;
      peak = Math.max(peak, running);
      await sleep(ms);
      running--;
      return sync.fn(ctx, rs);
    },
    peak: () => peak,
  };
}

async function enqueue(n: number, accountId = 'acc_1', completedSecond = n) {
  const ev = storedEvent(n, {
    accountId,
    body: JSON.stringify({ n }),
    receivedAt: now,
    completedAt: new Date(t0.getTime() + completedSecond * 1000),
  });
  expect(await store.insertEvent(ev)).toBe('inserted');
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'worker-'));
  store = await openStore(`sqlite:${join(dir, 'db.sqlite')}`);
  now = t0;
  random = 0.5;
  sync = new RecordingSync();
  connections = new FakeConnections(store);
  await connectAccount(store, 'acc_1', '00D000000000001');
  await connectAccount(store, 'acc_2', '00D000000000002');
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('worker batches', () => {
  it('hands each account its due responses in completion order, with bodies and org, and stores the outcomes', async () => {
    await enqueue(3, 'acc_1', 30);
    await enqueue(1, 'acc_1', 10);
    await enqueue(2, 'acc_2', 20);
    sync.decide = (r) =>
      r.responseId === 'rsp_1'
        ? { status: 'failed', code: 'REQUIRED_FIELD_NOT_MAPPED', message: 'Company is required', object: 'Lead' }
        : { status: 'synced', object: 'Contact', recordId: `003_${r.responseId}`, action: 'updated' };
    expect(await makeWorker().runOnce()).toBe(2);
    const acc1 = sync.calls.find((c) => c.accountId === 'acc_1');
    expect(acc1).toEqual({
      accountId: 'acc_1',
      orgId: '00D000000000001',
      responseIds: ['rsp_1', 'rsp_3'],
      bodies: ['{"n":1}', '{"n":3}'],
    });
    expect(await store.getResponse('acc_1', 'rsp_1')).toMatchObject({
      status: 'failed',
      errorCode: 'REQUIRED_FIELD_NOT_MAPPED',
      object: 'Lead',
      attempts: 1,
    });
    expect(await store.getResponse('acc_1', 'rsp_3')).toMatchObject({
      status: 'synced',
      recordId: '003_rsp_3',
      action: 'updated',
    });
    expect(await store.getResponse('acc_2', 'rsp_2')).toMatchObject({ status: 'synced' });
    expect(await makeWorker().runOnce()).toBe(0);
  });

  it('claims at most batchSize per account per batch and comes back for the rest', async () => {
    for (let i = 0; i < 7; i++) await enqueue(i);
    const w = makeWorker({ batchSize: 3 });
    await w.runOnce();
    await w.runOnce();
    await w.runOnce();
    expect(sync.calls.map((c) => c.responseIds.length)).toEqual([3, 3, 1]);
  });

  it('mirrors owed interaction metadata before syncing, and a mirroring error does not stop the sync', async () => {
    await enqueue(1);
    connections.mirrorError = new Error('metadata API down');
    await makeWorker().runOnce();
    expect(connections.mirrored).toEqual(['acc_1']);
    expect(await store.getResponse('acc_1', 'rsp_1')).toMatchObject({ status: 'synced' });
  });

  it('skips NOT_CONNECTED without calling the sync engine when the account is disconnected', async () => {
    await enqueue(1);
    await store.markDisconnected('acc_1', 'revoked', now);
    await makeWorker().runOnce();
    expect(sync.calls).toEqual([]);
    expect(await store.getResponse('acc_1', 'rsp_1')).toMatchObject({ status: 'skipped', errorCode: 'NOT_CONNECTED' });
  });

  it('turns a throwing sync engine and a missing outcome into retries, never a crash', async () => {
    await enqueue(1);
    await enqueue(2);
    sync.decide = () => ({ status: 'synced', object: 'Contact', recordId: '003', action: 'created' });
    const fn = sync.fn;
    const w1 = makeWorker(
      {},
      {
        syncResponses: async (ctx, rs) => {
          const m = await fn(ctx, rs);
          m.delete('rsp_2');
          return m;
        },
      },
    );
    await w1.runOnce();
    expect(await store.getResponse('acc_1', 'rsp_2')).toMatchObject({
      status: 'queued',
      errorCode: 'NO_OUTCOME',
      attempts: 1,
    });
    advance(60 * 60_000);
    const w2 = makeWorker(
      {},
      {
        owner: 'w2',
        syncResponses: async () => {
          throw new Error('boom');
        },
      },
    );
    await expect(w2.runOnce()).resolves.toBe(1);
    expect(await store.getResponse('acc_1', 'rsp_2')).toMatchObject({
      status: 'queued',
      errorCode: 'SYNC_ERROR',
      attempts: 2,
    });
  });

  it('runs at most `concurrency` accounts at once', async () => {
    for (let a = 0; a < 5; a++) {
      await connectAccount(store, `acc_c${a}`, `00D00000000010${a}`); // one org each: no org cap in play
      await enqueue(a, `acc_c${a}`);
    }
    const slow = slowSync(20);
    const w = makeWorker({ concurrency: 2 }, { syncResponses: slow.fn });
    expect(await w.runOnce()).toBe(2);
    expect(await w.runOnce()).toBe(2);
    expect(await w.runOnce()).toBe(1);
    expect(slow.peak()).toBe(2);
    expect(sync.calls).toHaveLength(5);
  });
});

describe('retries: exponential backoff with full jitter, maximum age', () => {
  const retry = {
    status: 'retry' as const,
    code: 'UNABLE_TO_LOCK_ROW',
    message: 'unable to obtain exclusive access to this record',
  };

  it('requeues with delay = random · min(cap, 5 s · 2^attempt), growing per attempt up to the 15 min cap', async () => {
    await enqueue(1);
    sync.decide = () => retry;
    random = 0.999;
    const delays: number[] = [];
    const w = makeWorker();
    for (let attempt = 0; attempt < 10; attempt++) {
      await w.runOnce();
      const r = await store.getResponse('acc_1', 'rsp_1');
      expect(r).toMatchObject({ status: 'queued', attempts: attempt + 1, errorCode: 'UNABLE_TO_LOCK_ROW' });
      delays.push(r!.nextAttemptAt.getTime() - now.getTime());
      // Not due a millisecond early.
      advance(delays[attempt] - 1);
      expect(await w.runOnce()).toBe(0);
      advance(1);
    }
    const expected = [5, 10, 20, 40, 80, 160, 320, 640, 900, 900].map((s) => Math.floor(0.999 * s * 1000));
    expect(delays).toEqual(expected);
  });

  it('uses full jitter: random 0 retries at once, random 0.5 halfway', async () => {
    await enqueue(1);
    sync.decide = () => retry;
    random = 0;
    await makeWorker().runOnce();
    expect((await store.getResponse('acc_1', 'rsp_1'))!.nextAttemptAt.getTime()).toBe(now.getTime());
    random = 0.5;
    await makeWorker().runOnce();
    expect((await store.getResponse('acc_1', 'rsp_1'))!.nextAttemptAt.getTime() - now.getTime()).toBe(5_000); // 0.5 · 10 s
  });

  it('honours retryAfterMs as a floor (REQUEST_LIMIT_EXCEEDED)', async () => {
    await enqueue(1);
    sync.decide = () => ({
      status: 'retry',
      code: 'REQUEST_LIMIT_EXCEEDED',
      message: 'limit',
      retryAfterMs: 3_600_000,
    });
    await makeWorker().runOnce();
    expect((await store.getResponse('acc_1', 'rsp_1'))!.nextAttemptAt.getTime() - now.getTime()).toBe(3_600_000);
  });

  it('fails with the last code once retried for 24 h, and an admin retry opens a new 24 h window', async () => {
    await enqueue(1);
    sync.decide = () => retry;
    random = 0; // every retry due at once: the clock alone decides
    const w = makeWorker();
    await w.runOnce();
    advance(24 * 60 * 60_000 - 1);
    await w.runOnce();
    expect(await store.getResponse('acc_1', 'rsp_1')).toMatchObject({ status: 'queued', attempts: 2 });
    advance(1);
    await w.runOnce();
    const failed = await store.getResponse('acc_1', 'rsp_1');
    expect(failed).toMatchObject({ status: 'failed', errorCode: 'UNABLE_TO_LOCK_ROW', attempts: 3 });
    expect(failed!.errorMessage).toMatch(/gave up after 3 attempts over 24 h/);
    expect(await store.requeueResponse('acc_1', 'rsp_1', now)).toBe(true);
    await w.runOnce();
    expect(await store.getResponse('acc_1', 'rsp_1')).toMatchObject({ status: 'queued', attempts: 4 });
  });
});

describe('leases', () => {
  it('takes over the work of a crashed instance once its lease expires', async () => {
    await enqueue(1);
    // Instance "dead" claimed and then crashed: it never records an outcome.
    expect(await store.claimResponses('acc_1', 'dead', now, DEFAULT_WORKER_CONFIG.leaseMs, 500)).toHaveLength(1);
    const w = makeWorker();
    expect(await w.runOnce()).toBe(0);
    advance(DEFAULT_WORKER_CONFIG.leaseMs - 1);
    expect(await w.runOnce()).toBe(0);
    advance(1);
    expect(await w.runOnce()).toBe(1);
    expect(await store.getResponse('acc_1', 'rsp_1')).toMatchObject({ status: 'synced' });
  });

  it('renews its leases while a long batch runs, so no other instance takes the work over', async () => {
    await enqueue(1);
    let stolen = -1;
    const scheduler = new ManualScheduler();
    const w = makeWorker(
      { leaseMs: 150 },
      {
        owner: 'long',
        scheduler,
        syncResponses: async (ctx, rs) => {
          for (let beat = 0; beat < 12; beat++) {
            advance(50); // a third of the lease: the heartbeat's period
            await scheduler.tick();
          }
          stolen = (await store.claimResponses('acc_1', 'thief', now, 150, 10)).length; // four lease lengths later
          return sync.fn(ctx, rs);
        },
      },
    );
    await w.runOnce();
    expect(stolen).toBe(0);
    expect(await store.getResponse('acc_1', 'rsp_1')).toMatchObject({ status: 'synced', attempts: 1 });
  });

  it('drops its outcome when its lease was taken over meanwhile (no double record)', async () => {
    await enqueue(1);
    const w = makeWorker(
      { leaseMs: 1000 },
      {
        owner: 'slow',
        syncResponses: async (ctx, rs) => {
          advance(2000); // the batch outlived its lease; another instance claims and syncs it
          await store.claimResponses('acc_1', 'other', now, 60_000, 10);
          await store.completeResponse(
            'acc_1',
            'rsp_1',
            'other',
            { status: 'synced', object: 'Lead', recordId: '00Q_other', action: 'created' },
            now,
          );
          return sync.fn(ctx, rs);
        },
      },
    );
    await w.runOnce();
    expect(await store.getResponse('acc_1', 'rsp_1')).toMatchObject({
      status: 'synced',
      recordId: '00Q_other',
      attempts: 1,
    });
  });
});

describe('loop', () => {
  it('wakes on new work instead of waiting for the poll, and stop() lets the batch in flight finish', async () => {
    // The poll never fires by itself (manual scheduler): only wake() can start these batches.
    const scheduler = new ManualScheduler();
    let entered = (): void => undefined;
    let release = (): void => undefined;
    const w = makeWorker(
      {},
      {
        scheduler,
        syncResponses: async (ctx, rs) => {
          entered();
          await new Promise<void>((r) => (release = r));
          return sync.fn(ctx, rs);
        },
      },
    );
    const batch = () => new Promise<void>((r) => (entered = r));
    let idle = scheduler.nextIdle();
    w.start();
    await idle; // nothing queued: the loop waits for a poll that never comes
    let running = batch();
    await enqueue(1);
    w.wake();
    await running;
    idle = scheduler.nextIdle();
    release();
    await idle; // batch 1 recorded, the queue empty again
    running = batch();
    await enqueue(2);
    w.wake();
    await running; // batch 2 is inside syncResponses now
    const stopped = w.stop();
    release();
    await stopped;
    expect(await store.getResponse('acc_1', 'rsp_2')).toMatchObject({ status: 'synced' });
  });

  it('keeps running when the store fails, and resumes when it recovers', async () => {
    now = new Date();
    const due = store.accountsWithDueWork.bind(store);
    let failures = 0;
    store.accountsWithDueWork = async (...args) => {
      if (failures++ < 2) throw new Error('SQLITE_BUSY');
      return due(...args);
    };
    await enqueue(1);
    const w = makeWorker({ pollMs: 10 }, { clock: undefined }); // real time
    w.start();
    const started = Date.now();
    while (sync.calls.length === 0 && Date.now() - started < 3000) await new Promise((r) => setTimeout(r, 10));
    await w.stop();
    expect(failures).toBeGreaterThanOrEqual(3);
    expect(await store.getResponse('acc_1', 'rsp_1')).toMatchObject({ status: 'synced' });
  });
  it('a batch whose claim fails on the store (SQLite locked) does not wake the loop into another claim: the loop goes idle and backs off', async () => {
    // Regression: the failed batch woke the loop, which claimed again at once; with SQLite each
    // claim blocks the event loop for busy_timeout, so requests (/readyz, webhooks) starved.
    const scheduler = new ManualScheduler();
    let claims = 0;
    store.claimResponses = async () => {
      claims++;
      throw new Error('SQLITE_BUSY: database is locked');
    };
    await enqueue(1);
    const w = makeWorker({ pollMs: 100 }, { scheduler });
    const idle = scheduler.nextIdle();
    w.start();
    await idle; // the first pass started the batch; the loop now waits
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    expect(claims).toBe(1);
    const next = scheduler.nextIdle();
    scheduler.fireIdle(); // the (backed-off) poll fires: one more pass, one more claim
    await next;
    await w.stop();
    expect(claims).toBe(2);
    expect(scheduler.idleWaits.at(-1)).toBeGreaterThan(100); // backed off beyond pollMs
  });
});

describe('per-org cap: concurrent Salesforce writes per org capped across instances', () => {
  /** Three accounts connected to ONE org, two worker instances sharing the store. */
  async function peakPerOrg(maxBatchesPerOrg: number | undefined): Promise<{ peak: number; calls: number }> {
    for (let a = 0; a < 3; a++) {
      await connectAccount(store, `acc_o${a}`, '00D0000000000SH');
      await enqueue(a, `acc_o${a}`);
    }
    const slow = slowSync(30);
    const make = (owner: string) => makeWorker({ concurrency: 4 }, { owner, maxBatchesPerOrg, syncResponses: slow.fn });
    const [w1, w2] = [make('i1'), make('i2')];
    for (let pass = 0; pass < 6 && sync.calls.length < 3; pass++) await Promise.all([w1.runOnce(), w2.runOnce()]);
    return { peak: slow.peak(), calls: sync.calls.length };
  }

  it('by default runs one batch per org at a time across two instances, and still syncs every account', async () => {
    expect(await peakPerOrg(undefined)).toEqual({ peak: 1, calls: 3 });
  });

  it('lets the cap be raised: with 2, two accounts of the org run together', async () => {
    expect(await peakPerOrg(2)).toEqual({ peak: 2, calls: 3 });
  });
});

describe('worker pause after a batch that failed as a whole', () => {
  it('REQUEST_LIMIT_EXCEEDED for the whole batch: new arrivals of that account wait until the first retry is due; other accounts go on', async () => {
    await enqueue(1, 'acc_1');
    sync.decide = () => ({
      status: 'retry',
      code: 'REQUEST_LIMIT_EXCEEDED',
      message: 'TotalRequests Limit exceeded.',
      retryAfterMs: 15 * 60_000,
    });
    const w = makeWorker();
    expect(await w.runOnce()).toBe(1);
    expect(sync.calls).toHaveLength(1);

    // A new response arrives during the limit window: due now, but the account is paused.
    await enqueue(2, 'acc_1');
    await enqueue(3, 'acc_2');
    sync.decide = () => ({ status: 'synced', object: 'Contact', recordId: '003', action: 'created' });
    advance(60_000);
    expect(await w.runOnce()).toBe(1);
    expect(sync.calls.map((c) => c.accountId)).toEqual(['acc_1', 'acc_2']); // acc_1 not tried again
    expect(await store.getResponse('acc_1', 'rsp_2')).toMatchObject({ status: 'queued', attempts: 0 });

    // Once the first retry is due, the account is worked again: both of its responses sync.
    advance(15 * 60_000);
    expect(await w.runOnce()).toBe(1);
    expect(await store.getResponse('acc_1', 'rsp_1')).toMatchObject({ status: 'synced' });
    expect(await store.getResponse('acc_1', 'rsp_2')).toMatchObject({ status: 'synced' });
  });

  it('a batch with any final outcome does not pause the account', async () => {
    await enqueue(1, 'acc_1');
    await enqueue(2, 'acc_1');
    sync.decide = (r) =>
      r.responseId === 'rsp_1'
        ? { status: 'retry', code: 'UNABLE_TO_LOCK_ROW', message: 'unable to obtain exclusive access to this record' }
        : { status: 'synced', object: 'Contact', recordId: '003', action: 'created' };
    const w = makeWorker();
    expect(await w.runOnce()).toBe(1);
    await enqueue(3, 'acc_1');
    expect(await w.runOnce()).toBe(1); // rsp_3 is due at once: no pause
    expect(sync.calls.at(-1)!.responseIds).toEqual(['rsp_3']);
  });
});
