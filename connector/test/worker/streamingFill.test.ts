import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_WORKER_CONFIG, type WorkerConfig } from '../../src/config/appConfig';
import { createLogger } from '../../src/observability/logger';
import { createMetrics } from '../../src/observability/metrics';
import { openStore } from '../../src/store/openStore';
import type { Store } from '../../src/store/types';
import type { Scheduler } from '../../src/worker/scheduler';
import { FIRST_FILL_MS, StreamingFill } from '../../src/worker/streamingFill';
import { Worker } from '../../src/worker/worker';
import { storedEvent } from '../fixtures/events';
import { connectAccount, FakeConnections, RecordingSync } from '../app/harness';
import { ManualScheduler } from './manualScheduler';

// Streaming batches (worker/streamingFill.ts), driven through the worker with the test's clock and a
// manual scheduler: no real sleeps, no timing asserts — the clock decides when a fill is over.

const t0 = new Date('2026-12-04T08:00:00.000Z');
let dir: string;
let store: Store;
let now: Date;
let sync: RecordingSync;
let next: number;

const advance = (ms: number) => (now = new Date(now.getTime() + ms));

/** Queues `n` responses of acc_1 as intake does: stored, then the worker woken with the account. */
async function arrive(w: Worker, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const ev = storedEvent(next++, { accountId: 'acc_1', receivedAt: now, completedAt: now });
    expect(await store.insertEvent(ev)).toBe('inserted');
    w.wake('acc_1');
  }
}

/**
 * A worker whose batches receive `during[k]` new responses while batch k is in flight (a stream);
 * `fill` is WORKER_BATCH_FILL_MS, `batchSize` WORKER_BATCH_SIZE.
 */
function streamingWorker(during: number[], config: Partial<WorkerConfig> = {}, fill?: number): Worker {
  let batch = 0;
  const w: Worker = new Worker({
    store,
    connections: new FakeConnections(store),
    mirror: new FakeConnections(store),
    syncResponses: async (ctx, rs) => {
      await arrive(w, during[batch++] ?? 0);
      return sync.fn(ctx, rs);
    },
    namespace: 'credspark',
    config: { ...DEFAULT_WORKER_CONFIG, ...config },
    log: createLogger('silent'),
    metrics: createMetrics(),
    clock: () => now,
    scheduler: new ManualScheduler(),
    owner: 'w1',
    ...(fill === undefined ? {} : { batchFillMs: fill }),
  });
  return w;
}

const sizes = () => sync.calls.map((c) => c.responseIds.length);

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fill-'));
  store = await openStore(`sqlite:${join(dir, 'db.sqlite')}`);
  now = t0;
  next = 1;
  sync = new RecordingSync();
  await connectAccount(store, 'acc_1', '00D000000000001');
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('streaming fill through the worker', () => {
  it('claims a lone response at once, and one that arrived while a batch ran too (no stream)', async () => {
    const w = streamingWorker([1]);
    await arrive(w, 1);
    expect(await w.runOnce()).toBe(1);
    expect(w.fill.remaining('acc_1')).toBe(0);
    expect(await w.runOnce()).toBe(1); // the one arrival: claimed at once, the clock never moved
    expect(sizes()).toEqual([1, 1]);
  });

  it('lets the next batch fill while the org streams, then claims everything that arrived in one batch', async () => {
    const w = streamingWorker([4]);
    await arrive(w, 1);
    await w.runOnce();
    expect(w.fill.remaining('acc_1')).toBe(FIRST_FILL_MS);
    await arrive(w, 3); // more of the stream during the fill
    expect(await w.runOnce()).toBe(0);
    advance(FIRST_FILL_MS - 1);
    expect(await w.runOnce()).toBe(0);
    advance(1);
    expect(await w.runOnce()).toBe(1);
    expect(sizes()).toEqual([1, 7]);
    expect(await store.getResponse('acc_1', 'rsp_8')).toMatchObject({ status: 'synced' });
  });

  it('doubles the wait with each batch that streamed again, up to the bound, and starts over after a quiet batch', async () => {
    const w = streamingWorker([3, 3, 3, 3, 0, 3], {}, 8_000);
    await arrive(w, 1);
    const waits: number[] = [];
    for (let batch = 0; batch < 6; batch++) {
      expect(await w.runOnce()).toBe(1);
      const wait = w.fill.remaining('acc_1');
      waits.push(wait);
      advance(wait);
      if (batch === 4) await arrive(w, 1); // after the quiet batch, the stream picks up again
    }
    expect(waits).toEqual([2_000, 4_000, 8_000, 8_000, 0, 2_000]);
  });

  it('ends the fill early once a full batch has arrived: waiting longer would not save a call', async () => {
    const w = streamingWorker([3], { batchSize: 6 });
    await arrive(w, 1);
    await w.runOnce();
    expect(w.fill.remaining('acc_1')).toBe(FIRST_FILL_MS);
    await arrive(w, 2);
    expect(await w.runOnce()).toBe(0); // 5 arrived: one short of a full batch
    await arrive(w, 1);
    expect(w.fill.remaining('acc_1')).toBe(0);
    expect(await w.runOnce()).toBe(1); // the clock never moved
    expect(sizes()).toEqual([1, 6]);
  });

  it('never fills with WORKER_BATCH_FILL_MS = 0', async () => {
    const w = streamingWorker([5], {}, 0);
    await arrive(w, 1);
    await w.runOnce();
    expect(await w.runOnce()).toBe(1);
    expect(sizes()).toEqual([1, 5]);
  });
});

describe('StreamingFill timer', () => {
  it('asks the scheduler to wake the loop when the fill ends, once, and cancels it when the batch goes early', () => {
    const timers: { ms: number; fn: () => void; cancelled: boolean }[] = [];
    const scheduler: Scheduler = {
      every: () => () => undefined,
      after: (ms, fn) => {
        const t = { ms, fn, cancelled: false };
        timers.push(t);
        return () => (t.cancelled = true);
      },
    };
    let clock = 1_000;
    let wakes = 0;
    const fill = new StreamingFill({
      boundMs: 8_000,
      batchSize: 500,
      clock: () => clock,
      scheduler,
      wake: () => wakes++,
    });
    fill.claiming('a');
    for (let i = 0; i < 3; i++) fill.arrived('a', true);
    fill.finished('a', 1_000, 1);
    clock = 1_500;
    expect(fill.holds('a')).toBe(true);
    expect(fill.holds('a')).toBe(true);
    expect(timers.map((t) => t.ms)).toEqual([1_500]); // one timer, for what is left of the wait
    timers[0].fn();
    expect(wakes).toBe(1);
    clock = 3_000;
    expect(fill.holds('a')).toBe(false);

    // Next stream: the fill's timer is cancelled when the full batch arrives and wakes the loop itself.
    fill.claiming('a');
    for (let i = 0; i < 3; i++) fill.arrived('a', true);
    fill.finished('a', 3_000, 3);
    expect(fill.holds('a')).toBe(true);
    for (let i = 0; i < 197; i++) fill.arrived('a', false); // 200: a full write chunk
    expect(timers[1]).toMatchObject({ ms: 4_000, cancelled: true });
    expect(wakes).toBe(2);
    expect(fill.holds('a')).toBe(false);
  });
});
