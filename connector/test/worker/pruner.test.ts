import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../../src/observability/logger';
import { openStore } from '../../src/store/openStore';
import type { Store } from '../../src/store/types';
import { Pruner } from '../../src/worker/pruner';
import { storedEvent } from '../fixtures/events';
import { ManualScheduler } from './manualScheduler';

const day = 24 * 60 * 60_000;
const t0 = new Date('2026-10-01T00:00:00.000Z');
let dir: string;
let store: Store;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pruner-'));
  store = await openStore(`sqlite:${join(dir, 'db.sqlite')}`);
  for (const [n, at] of [
    [1, t0],
    [2, new Date(t0.getTime() + 20 * day)],
  ] as const) {
    await store.insertEvent(
      storedEvent(n, { accountId: 'acc', eventId: `evt_${n}`, interactionId: 'int', receivedAt: at }),
    );
    await store.claimResponses('acc', 'w', at, 60_000, 10);
    await store.completeResponse(
      'acc',
      `rsp_${n}`,
      'w',
      { status: 'synced', object: 'Contact', recordId: '003', action: 'created' },
      at,
    );
  }
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('Pruner (retention of finished responses)', () => {
  it('deletes what finished more than retentionDays ago and keeps the rest', async () => {
    const now = new Date(t0.getTime() + 45 * day);
    await new Pruner({ store, log: createLogger('silent'), clock: () => now, retentionDays: 30 }).pruneOnce();
    expect(await store.getResponse('acc', 'rsp_1')).toBeUndefined(); // finished 45 days ago
    expect((await store.getResponse('acc', 'rsp_2'))?.status).toBe('synced'); // 25 days ago
  });

  it('keeps everything with retentionDays 0', async () => {
    const now = new Date(t0.getTime() + 400 * day);
    await new Pruner({ store, log: createLogger('silent'), clock: () => now, retentionDays: 0 }).pruneOnce();
    expect(await store.getResponse('acc', 'rsp_1')).toBeDefined();
  });

  it('prunes on its timer once started, and stops', async () => {
    const now = new Date(t0.getTime() + 100 * day);
    const scheduler = new ManualScheduler();
    const p = new Pruner({ store, log: createLogger('silent'), clock: () => now, everyMs: 20, scheduler });
    await scheduler.tick(); // not started: no timer to fire
    expect(await store.getResponse('acc', 'rsp_1')).toBeDefined();
    p.start();
    await scheduler.tick();
    await p.stop();
    expect(await store.getResponse('acc', 'rsp_1')).toBeUndefined();
    expect(await store.getResponse('acc', 'rsp_2')).toBeUndefined();
    // Stopped: a tick prunes nothing more.
    await store.insertEvent(
      storedEvent(3, { accountId: 'acc', eventId: 'evt_3', interactionId: 'int', receivedAt: t0 }),
    );
    await store.claimResponses('acc', 'w', t0, 60_000, 10);
    await store.completeResponse(
      'acc',
      'rsp_3',
      'w',
      { status: 'skipped', code: 'NO_SYNC_RULE', message: 'no rule' },
      t0,
    );
    await scheduler.tick();
    expect((await store.getResponse('acc', 'rsp_3'))?.status).toBe('skipped');
  });

  it('logs and survives a failing store', async () => {
    await store.close();
    const now = new Date(t0.getTime() + 100 * day);
    await expect(
      new Pruner({ store, log: createLogger('silent'), clock: () => now }).pruneOnce(),
    ).resolves.toBeUndefined();
    store = await openStore(`sqlite:${join(dir, 'db.sqlite')}`);
  });
});
