/**
 * Issue 9 "Crash": SIGKILL the real connector process (main.ts's wiring: SQLite store, worker,
 * sync engine, jsforce) at seeded-random moments — twice during the webhook burst, once while the
 * worker is syncing — restarting it each time. Unacknowledged deliveries are sent again, as
 * CredSpark does. Then: every acknowledged response synced exactly once, no duplicate Contact.
 * Reuses connector/test/app's realConnector fixture and its launcher (realConnectorProcess.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { startLocalOrg, type LocalOrg } from '@credspark/local-org';
import { connectDemoAccount } from '../../connector/src/localMode/connectDemo';
import { seedDemoRule } from '../../connector/src/localMode/demoSeed';
import type { Spawned } from '../../connector/test/app/processes';
import {
  lastNamesByEmail,
  realConnectorLauncher,
  seedEveryOtherContact,
  type RealConnectorLauncher,
} from '../../connector/test/app/realConnectorProcess';
import { ADMIN_TOKEN, CLIENT_KEY, postSigned, responseEvent, SECRET, sleep, waitUntil } from './stack';
import { writeFigures } from './figures';

const N = Number(process.env.RELIABILITY_CRASH_RESPONSES ?? 5000);
const ACCOUNT = 'acc_crash_rel';
const email = (i: number) => `crash.rel.${i}@example.com`;

const dir = mkdtempSync(join(tmpdir(), 'reliability-crash-'));
let org: LocalOrg;
let launcher: RealConnectorLauncher | undefined;
let connector: Spawned | undefined;
afterAll(async () => {
  await launcher?.killAll();
  await org?.close();
  rmSync(dir, { recursive: true, force: true });
});

it(`every acknowledged response of a ${N}-response burst is synced exactly once across 3 SIGKILLs`, async () => {
  const started = Date.now();
  // Seeded "random moments": two kill points during intake, one during the sync, and a delay each.
  const [killA, killB, killSync, delays] = fc.sample(
    fc.tuple(
      fc.integer({ min: 10, max: 35 }),
      fc.integer({ min: 45, max: 80 }),
      fc.integer({ min: 20, max: 70 }),
      fc.array(fc.integer({ min: 0, max: 250 }), { minLength: 3, maxLength: 3 }),
    ),
    { seed: 20261129, numRuns: 1 },
  )[0];
  org = await startLocalOrg({ port: 0, host: '127.0.0.1', autoApprove: true, quiet: true });
  const dbFile = join(dir, 'connector.db');
  launcher = await realConnectorLauncher({
    org,
    databaseUrl: `sqlite:${dbFile}`,
    webhookSecret: SECRET,
    adminToken: ADMIN_TOKEN,
    tokenKey: CLIENT_KEY,
    env: { WORKER_BATCH_SIZE: '50', LOG_LEVEL: 'warn' },
  });
  const { url } = launcher;
  const start = async () => {
    connector = await launcher!.start();
  };
  const kill = async () => {
    expect(connector!.child.kill('SIGKILL')).toBe(true);
    expect(await connector!.exited).toBeNull(); // died of the signal
  };
  await start();
  await connectDemoAccount({ connectorUrl: url, adminToken: ADMIN_TOKEN, accountId: ACCOUNT, loginUrl: org.url });
  await seedDemoRule(org.url, org.demo.orgId, 'credspark', new Date(Date.now() - 60_000));
  // Half the emails exist as Contacts already (updated in place), half are new (created).
  await seedEveryOtherContact(org, N, email);
  // A Salesforce round trip of ~60 ms per call, so the sync is still running when kill 3 comes.
  await fetch(`${org.url}/__local/orgs/${org.demo.orgId}/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ latencyMs: 60 }),
  });

  const events = Array.from({ length: N }, (_, i) => responseEvent(ACCOUNT, `rsp_crash_${i}`, email(i), `After${i}`));
  const clock = { url, now: () => new Date() };
  const acked = new Set<number>();
  const tried = new Set<number>();
  let resets = 0;
  let redeliveries = 0;
  /** Sends `indexes` with 16 concurrent senders until done or `stopWhen` says kill. */
  const burst = async (indexes: number[], killAt?: number, delay = 0) => {
    let next = 0;
    let killing = false;
    let scheduled = false;
    const sender = async () => {
      while (next < indexes.length && !killing) {
        const i = indexes[next++];
        tried.add(i);
        try {
          const r = await postSigned(clock, events[i]);
          if (r.status === 202 || r.status === 200) acked.add(i);
          else throw new Error(`status ${r.status}`);
        } catch {
          resets++; // connection reset by the kill: not acknowledged, CredSpark delivers again
        }
        if (killAt !== undefined && !scheduled && acked.size >= killAt) {
          // The other senders keep sending while the kill is pending: requests in flight are cut.
          scheduled = true;
          await sleep(delay);
          await kill();
          killing = true;
        }
      }
    };
    await Promise.all(Array.from({ length: 16 }, sender));
    if (killing && connector!.child.exitCode === null) await connector!.exited;
  };
  const unacked = () => [...tried].filter((i) => !acked.has(i));
  const untried = () => events.map((_, i) => i).filter((i) => !tried.has(i));

  await burst(untried(), Math.floor((N * killA) / 100), delays[0]); // kill 1, mid-burst
  await start();
  redeliveries += unacked().length;
  await burst([...unacked(), ...untried()], Math.floor((N * killB) / 100), delays[1]); // kill 2
  await start();
  redeliveries += unacked().length;
  await burst([...unacked(), ...untried()]);
  expect(acked.size).toBe(N);

  const db = new Database(dbFile, { readonly: true });
  const synced = () =>
    (db.prepare("SELECT COUNT(*) AS n FROM responses WHERE status = 'synced'").get() as { n: number }).n;
  try {
    // Kill 3: while the worker is syncing (part of the queue synced).
    const target = Math.floor((N * killSync) / 100);
    await waitUntil(() => synced() >= target, 120_000, 5);
    const syncedAtKill3 = synced();
    await sleep(delays[2]);
    await kill();
    await start();
    expect(await waitUntil(() => synced() === N, 180_000, 300)).toBe(true);
    const byStatus = db.prepare('SELECT status, COUNT(*) AS n FROM responses GROUP BY status').all();
    expect(byStatus).toEqual([{ status: 'synced', n: N }]);

    // Every event again: each is a duplicate now (stored once).
    for (let i = 0; i < N; i += 50) {
      const rs = await Promise.all(events.slice(i, i + 50).map((ev) => postSigned(clock, ev)));
      for (const r of rs) expect(r.status).toBe(200);
    }
    expect((db.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n).toBe(N);

    const byEmail = await lastNamesByEmail(org, /^crash\.rel\.\d+@example\.com$/);
    let duplicated = 0;
    let lost = 0;
    for (let i = 0; i < N; i++) {
      const names = byEmail.get(email(i)) ?? [];
      if (names.length === 0 || names[0] !== `After${i}`) lost++;
      if (names.length > 1) duplicated++;
    }
    expect({ lost, duplicated, contacts: [...byEmail.values()].flat().length }).toEqual({
      lost: 0,
      duplicated: 0,
      contacts: N,
    });
    writeFigures('crash', {
      responses: N,
      crashes: 3,
      killPoints: {
        afterAcked1: Math.floor((N * killA) / 100),
        afterAcked2: Math.floor((N * killB) / 100),
        duringSyncAfterSynced: syncedAtKill3,
      },
      deliveriesCutByKills: resets,
      redelivered: redeliveries,
      acknowledged: acked.size,
      synced: N,
      lost,
      duplicated,
      seconds: Math.round((Date.now() - started) / 1000),
    });
  } finally {
    db.close();
  }
  connector!.child.kill('SIGTERM');
  expect(await connector!.exited).toBe(0);
}, 420_000);
