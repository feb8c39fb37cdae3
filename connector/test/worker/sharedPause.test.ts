import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { DEFAULT_WORKER_CONFIG, type WorkerConfig } from '../../src/config/appConfig';
import { createLogger } from '../../src/observability/logger';
import { createMetrics } from '../../src/observability/metrics';
import { PgStore } from '../../src/store/postgres/pgStore';
import { SqliteStore } from '../../src/store/sqlite/sqliteStore';
import type { Store } from '../../src/store/types';
import { MAX_PAUSE_MS, Worker } from '../../src/worker/worker';
import { connectAccount, FakeConnections, RecordingSync } from '../app/harness';
import { postgresReachable, TEST_PG_URL } from '../store/postgresAvailability';
import { storedEvent } from '../fixtures/events';

/**
 * The pause after a batch that came back `retry` as a whole lives in the store, so every instance
 * honours it: two workers, each with its OWN store connection to one database (as two processes
 * would have), on SQLite (one file) and, when reachable, Postgres (one schema).
 */
interface Backend {
  name: string;
  /** Two connections to one fresh, migrated database, and how to drop it. */
  open(): Promise<{ a: Store; b: Store; drop: () => Promise<void> }>;
}

const sqlite: Backend = {
  name: 'sqlite',
  async open() {
    const dir = mkdtempSync(join(tmpdir(), 'shared-pause-'));
    const file = join(dir, 'db.sqlite');
    return { a: new SqliteStore(file), b: new SqliteStore(file), drop: async () => rmSync(dir, { recursive: true }) };
  },
};

let schemas = 0;
const postgres: Backend = {
  name: 'postgres',
  async open() {
    const schema = `shared_pause_${process.pid}_${schemas++}`;
    const admin = async (sql: string) => {
      const c = new Client({ connectionString: TEST_PG_URL });
      await c.connect();
      await c.query(sql).finally(() => c.end());
    };
    await admin(`CREATE SCHEMA ${schema}`);
    const open = () => new PgStore({ connectionString: TEST_PG_URL, options: `-c search_path=${schema}`, max: 3 });
    const [a, b] = [open(), open()];
    await a.migrate();
    return { a, b, drop: () => admin(`DROP SCHEMA ${schema} CASCADE`) };
  },
};

// Postgres unreachable: postgres.test.ts reports it (and fails in CI); this file runs on SQLite.
const backends = postgresReachable() ? [sqlite, postgres] : [sqlite];

describe.each(backends)('pause shared by two worker instances ($name)', (backend) => {
  const t0 = new Date('2026-11-28T19:00:00.000Z');
  const minutes = (n: number) => n * 60_000;
  let storeA: Store;
  let storeB: Store;
  let drop: () => Promise<void>;
  let now: Date;
  let sync: RecordingSync;
  /** Accounts each instance asked for a Salesforce connection (the first API call of a batch). */
  let connectionCalls: { instance: string; accountId: string }[];
  let connectionDown: Error | undefined;

  function makeWorker(instance: string, store: Store, config: Partial<WorkerConfig> = {}): Worker {
    const fake = new FakeConnections(store);
    return new Worker({
      store,
      connections: {
        getSalesforceConnection: async (accountId) => {
          connectionCalls.push({ instance, accountId });
          if (connectionDown) throw connectionDown;
          return fake.getSalesforceConnection(accountId);
        },
      },
      mirror: fake,
      syncResponses: sync.fn,
      namespace: 'credspark',
      config: { ...DEFAULT_WORKER_CONFIG, ...config }, // backoff base 5 s, cap 15 min
      log: createLogger('silent'),
      metrics: createMetrics(),
      clock: () => now,
      random: () => 0.5,
      owner: instance,
    });
  }
  const advance = (ms: number) => (now = new Date(now.getTime() + ms));
  async function arrives(store: Store, n: number, accountId = 'acc_1'): Promise<void> {
    const ev = storedEvent(n, {
      accountId,
      body: JSON.stringify({ n }),
      receivedAt: now,
      completedAt: new Date(t0.getTime() + n * 1000),
    });
    expect(await store.insertEvent(ev)).toBe('inserted');
  }
  const calledFor = (accountId: string) => connectionCalls.filter((c) => c.accountId === accountId);
  // REST API Developer Guide, "Status Codes and Error Responses": 403 REQUEST_LIMIT_EXCEEDED when the
  // org's API request limit is exceeded; the sync engine hints a 15-minute wait for it.
  const limitExceeded = () =>
    ({
      status: 'retry',
      code: 'REQUEST_LIMIT_EXCEEDED',
      message: 'TotalRequests Limit exceeded.',
      retryAfterMs: minutes(15),
    }) as const;
  const synced = () => ({ status: 'synced', object: 'Contact', recordId: '003', action: 'created' }) as const;

  beforeEach(async () => {
    ({ a: storeA, b: storeB, drop } = await backend.open());
    now = t0;
    sync = new RecordingSync();
    connectionCalls = [];
    connectionDown = undefined;
    await connectAccount(storeA, 'acc_1', '00D000000000001');
    await connectAccount(storeA, 'acc_2', '00D000000000002');
  });
  afterEach(async () => {
    await storeA.close();
    await storeB.close();
    await drop();
  });

  it("after A's whole batch came back REQUEST_LIMIT_EXCEEDED, B does not call Salesforce for a new arrival of that account until the pause ends, then syncs it", async () => {
    const [a, b] = [makeWorker('A', storeA), makeWorker('B', storeB)];
    await arrives(storeA, 1);
    sync.decide = limitExceeded;
    expect(await a.runOnce()).toBe(1);
    expect(calledFor('acc_1')).toEqual([{ instance: 'A', accountId: 'acc_1' }]);

    // During the limit window a response arrives at B's intake; another account has work too.
    sync.decide = synced;
    advance(minutes(1));
    await arrives(storeB, 2);
    await arrives(storeB, 3, 'acc_2');
    expect(await b.runOnce()).toBe(1);
    expect(await a.runOnce()).toBe(0);
    advance(minutes(14) - 1); // one millisecond before the earliest retry is due
    expect(await b.runOnce()).toBe(0);
    expect(calledFor('acc_1')).toHaveLength(1); // B never asked for acc_1's org
    expect(calledFor('acc_2')).toEqual([{ instance: 'B', accountId: 'acc_2' }]);
    expect(await storeB.getResponse('acc_1', 'rsp_2')).toMatchObject({ status: 'queued', attempts: 0 });

    // The pause ends with the earliest retry: B takes the retried and the new response in one batch.
    advance(1);
    expect(await b.runOnce()).toBe(1);
    expect(calledFor('acc_1').map((c) => c.instance)).toEqual(['A', 'B']);
    expect(sync.calls.at(-1)).toMatchObject({ accountId: 'acc_1', responseIds: ['rsp_1', 'rsp_2'] });
    expect(await storeA.getResponse('acc_1', 'rsp_1')).toMatchObject({ status: 'synced', attempts: 2 });
    expect(await storeA.getResponse('acc_1', 'rsp_2')).toMatchObject({ status: 'synced', attempts: 1 });

    // The org answers again: the next arrival goes at once, on either instance.
    await arrives(storeB, 4);
    expect(await a.runOnce()).toBe(1);
    expect(sync.calls.at(-1)).toMatchObject({ accountId: 'acc_1', responseIds: ['rsp_4'] });
  });

  it('an org unreachable for A (token endpoint down) pauses B too, for the backoff of the first retry', async () => {
    const [a, b] = [makeWorker('A', storeA), makeWorker('B', storeB)];
    await arrives(storeA, 1);
    connectionDown = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    expect(await a.runOnce()).toBe(1);
    const retry = await storeA.getResponse('acc_1', 'rsp_1');
    expect(retry).toMatchObject({ status: 'queued', errorCode: 'CONNECTION_UNAVAILABLE' });
    const pauseMs = retry!.nextAttemptAt.getTime() - now.getTime(); // random 0.5 × 5 s base = 2.5 s
    expect(pauseMs).toBe(2500);

    connectionDown = undefined;
    await arrives(storeB, 2);
    advance(pauseMs - 1);
    expect(await b.runOnce()).toBe(0);
    expect(connectionCalls).toHaveLength(1);
    advance(1);
    expect(await b.runOnce()).toBe(1);
    expect(sync.calls).toEqual([expect.objectContaining({ accountId: 'acc_1', responseIds: ['rsp_1', 'rsp_2'] })]);
  });

  it('a pause lasts until the hinted retry even when the backoff cap is shorter (the refused responses are not due before it)', async () => {
    const cap = { backoffCapMs: minutes(5) };
    const [a, b] = [makeWorker('A', storeA, cap), makeWorker('B', storeB, cap)];
    await arrives(storeA, 1);
    sync.decide = limitExceeded; // hinted 15 min: rsp_1 itself waits that long
    expect(await a.runOnce()).toBe(1);
    sync.decide = synced;
    await arrives(storeB, 2);
    advance(minutes(5));
    expect(await b.runOnce()).toBe(0); // past the cap, still inside the hinted window
    advance(minutes(10) - 1);
    expect(await b.runOnce()).toBe(0);
    advance(1);
    expect(await b.runOnce()).toBe(1);
    expect(sync.calls.at(-1)).toMatchObject({ accountId: 'acc_1', responseIds: ['rsp_1', 'rsp_2'] });
  });

  it('a pause never outlasts MAX_PAUSE_MS, even when a hinted wait is longer', async () => {
    const [a, b] = [makeWorker('A', storeA), makeWorker('B', storeB)];
    await arrives(storeA, 1);
    sync.decide = () => ({ ...limitExceeded(), retryAfterMs: 2 * MAX_PAUSE_MS });
    expect(await a.runOnce()).toBe(1);
    sync.decide = synced;
    await arrives(storeB, 2);
    advance(MAX_PAUSE_MS - 1);
    expect(await b.runOnce()).toBe(0);
    advance(1);
    expect(await b.runOnce()).toBe(1);
    expect(sync.calls.at(-1)).toMatchObject({ accountId: 'acc_1', responseIds: ['rsp_2'] });
    expect(await storeA.getResponse('acc_1', 'rsp_1')).toMatchObject({ status: 'queued', attempts: 1 });
  });

  it("two accounts connected to the same org: acc_1's batch refused with REQUEST_LIMIT_EXCEEDED (the org's allocation) keeps acc_3's new arrival from costing a call, on either instance, until the pause ends", async () => {
    // Salesforce "API Request Limits and Allocations": the total API request allocation is the org's,
    // shared by every client of the org — acc_3's call would be refused like acc_1's.
    await connectAccount(storeA, 'acc_3', '00D000000000001'); // acc_1's org
    const [a, b] = [makeWorker('A', storeA), makeWorker('B', storeB)];
    await arrives(storeA, 1);
    sync.decide = limitExceeded;
    expect(await a.runOnce()).toBe(1);

    sync.decide = synced;
    advance(minutes(1));
    await arrives(storeB, 2, 'acc_3');
    await arrives(storeB, 3, 'acc_2'); // another org: not held up
    expect(await b.runOnce()).toBe(1);
    expect(await a.runOnce()).toBe(0);
    advance(minutes(14) - 1);
    expect(await a.runOnce()).toBe(0);
    expect(await b.runOnce()).toBe(0);
    expect(calledFor('acc_3')).toEqual([]);
    expect(calledFor('acc_2')).toEqual([{ instance: 'B', accountId: 'acc_2' }]);
    expect(await storeB.getResponse('acc_3', 'rsp_2')).toMatchObject({ status: 'queued', attempts: 0 });

    // The pause ends with acc_1's earliest retry: both accounts of the org are worked (one batch of
    // the org at a time, the default cap), each with one call.
    advance(1);
    for (let pass = 0; pass < 4; pass++) await (pass % 2 ? a : b).runOnce();
    expect(await storeA.getResponse('acc_3', 'rsp_2')).toMatchObject({ status: 'synced', attempts: 1 });
    expect(await storeA.getResponse('acc_1', 'rsp_1')).toMatchObject({ status: 'synced', attempts: 2 });
    expect(calledFor('acc_3')).toHaveLength(1);
  });

  it('a whole batch refused with 503 SERVER_UNAVAILABLE (the instance serving the org) pauses the other account of the org too, for the first retry only', async () => {
    // REST API Developer Guide, "Status Codes and Error Responses": 503 — the server is unavailable.
    await connectAccount(storeA, 'acc_3', '00D000000000001');
    const [a, b] = [makeWorker('A', storeA), makeWorker('B', storeB)];
    await arrives(storeA, 1);
    sync.decide = () => ({ status: 'retry', code: 'SERVER_UNAVAILABLE', message: 'Service Unavailable' });
    expect(await a.runOnce()).toBe(1);
    const pauseMs = (await storeA.getResponse('acc_1', 'rsp_1'))!.nextAttemptAt.getTime() - now.getTime();
    expect(pauseMs).toBe(2500); // no hint: random 0.5 × 5 s base
    sync.decide = synced;
    await arrives(storeB, 2, 'acc_3');
    advance(pauseMs - 1);
    expect(await b.runOnce()).toBe(0);
    expect(calledFor('acc_3')).toEqual([]);
    advance(1);
    for (let pass = 0; pass < 4; pass++) await (pass % 2 ? a : b).runOnce();
    expect(await storeA.getResponse('acc_3', 'rsp_2')).toMatchObject({ status: 'synced', attempts: 1 });
    expect(calledFor('acc_3')).toHaveLength(1);
  });

  it('a whole batch to retry for a reason of its own (INVALID_SESSION_ID: its session) pauses that account only, not the other account of its org', async () => {
    await connectAccount(storeA, 'acc_3', '00D000000000001');
    const [a, b] = [makeWorker('A', storeA), makeWorker('B', storeB)];
    await arrives(storeA, 1);
    sync.decide = () => ({ status: 'retry', code: 'INVALID_SESSION_ID', message: 'Session expired or invalid' });
    expect(await a.runOnce()).toBe(1);
    sync.decide = synced;
    await arrives(storeB, 2, 'acc_3');
    await arrives(storeB, 4); // acc_1 itself waits for its retry
    expect(await b.runOnce()).toBe(1);
    expect(sync.calls.at(-1)).toMatchObject({ accountId: 'acc_3', responseIds: ['rsp_2'] });
    expect(await storeB.getResponse('acc_1', 'rsp_4')).toMatchObject({ status: 'queued', attempts: 0 });
  });

  it('the org answering for one of its accounts lifts the org pause for the others (a requeue through instance B)', async () => {
    await connectAccount(storeA, 'acc_3', '00D000000000001');
    const [a, b] = [makeWorker('A', storeA), makeWorker('B', storeB)];
    await arrives(storeA, 1, 'acc_3');
    sync.decide = () => ({ status: 'failed', code: 'INVALID_EMAIL_ADDRESS', message: 'Email: invalid email address' });
    expect(await a.runOnce()).toBe(1);
    await arrives(storeA, 2);
    sync.decide = limitExceeded;
    expect(await a.runOnce()).toBe(1); // acc_1's rsp_2 refused: the org is paused for 15 min
    await arrives(storeB, 3, 'acc_3');
    advance(minutes(1));
    expect(await b.runOnce()).toBe(0);

    // The admin retries acc_3's failed response: tried at once; the org answers (synced), which
    // lifts the pause for acc_1's new arrival too.
    sync.decide = synced;
    expect(await storeB.requeueResponse('acc_3', 'rsp_1', now)).toBe(true);
    expect(await b.runOnce()).toBe(1);
    expect(sync.calls.at(-1)).toMatchObject({ accountId: 'acc_3', responseIds: ['rsp_1', 'rsp_3'] });
    await arrives(storeA, 5);
    expect(await a.runOnce()).toBe(1);
    expect(sync.calls.at(-1)).toMatchObject({ accountId: 'acc_1', responseIds: ['rsp_5'] }); // rsp_2 waits its retry
  });

  it('an admin retry (requeue of a failed response) through one instance is worked at once by the other, pause or not', async () => {
    const [a, b] = [makeWorker('A', storeA), makeWorker('B', storeB)];
    await arrives(storeA, 1);
    sync.decide = () => ({ status: 'failed', code: 'INVALID_EMAIL_ADDRESS', message: 'Email: invalid email address' });
    expect(await a.runOnce()).toBe(1);
    await arrives(storeA, 2);
    sync.decide = limitExceeded;
    expect(await a.runOnce()).toBe(1); // rsp_2 alone, retry as a whole: paused for 15 min

    sync.decide = synced;
    advance(minutes(1));
    expect(await b.runOnce()).toBe(0);
    // POST /api/accounts/acc_1/responses/rsp_1/retry on instance B (responseRoutes → requeueResponse).
    expect(await storeB.requeueResponse('acc_1', 'rsp_1', now)).toBe(true);
    expect(await a.runOnce()).toBe(1);
    expect(sync.calls.at(-1)).toMatchObject({ accountId: 'acc_1', responseIds: ['rsp_1'] }); // rsp_2 waits its retry
    expect(await storeB.getResponse('acc_1', 'rsp_1')).toMatchObject({ status: 'synced' });
  });
});
