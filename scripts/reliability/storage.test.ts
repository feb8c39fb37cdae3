/**
 * Issue 9 "Storage faults": the SQLite database made unwritable while the connector runs.
 * Tests run as root, where chmod does not stop writes, and a read-only remount needs
 * privileges CI does not have; so another connection takes SQLite's write lock with
 * `BEGIN EXCLUSIVE` (SQLite "Locking And Concurrency", WAL mode: writers need the one write
 * lock). Every write of the connector then fails with SQLITE_BUSY after its busy_timeout (5 s):
 * the same code path as a full disk or an I/O error (the write throws).
 */
import Database from 'better-sqlite3';
import { orgRecords, postSigned, responseEvent, type SeededStack, startSeededStack, waitUntil } from './stack';
import { writeFigures } from './figures';

const ACCOUNT = 'acc_storage';
let s: SeededStack;
let db: Database.Database;

beforeAll(async () => {
  s = await startSeededStack(ACCOUNT, { logLevel: 'silent' });
  db = s.db;
}, 60_000);
afterAll(async () => {
  await s?.close();
});

it('an unwritable store: /readyz 503 and webhooks 503 (never 202); once writable again everything is accepted and synced, nothing lost', async () => {
  const before = Array.from({ length: 10 }, (_, i) =>
    responseEvent(ACCOUNT, `rsp_s_before_${i}`, `storage.before.${i}@example.com`),
  );
  for (const ev of before) expect((await postSigned(s, ev)).status).toBe(202);

  const locker = new Database(s.dbFile);
  locker.pragma('busy_timeout = 10000');
  locker.exec('BEGIN EXCLUSIVE');
  const during = Array.from({ length: 3 }, (_, i) =>
    responseEvent(ACCOUNT, `rsp_s_during_${i}`, `storage.during.${i}@example.com`),
  );
  const statuses: number[] = [];
  try {
    expect((await fetch(`${s.url}/readyz`)).status).toBe(503);
    for (const ev of during) {
      const r = await postSigned(s, ev);
      statuses.push(r.status);
      expect(r.status).toBe(503);
    }
    expect((await fetch(`${s.url}/healthz`)).status).toBe(200); // alive, just not ready
  } finally {
    locker.exec('ROLLBACK');
    locker.close();
  }

  expect((await fetch(`${s.url}/readyz`)).status).toBe(200);
  // CredSpark delivers the refused events again (SPEC §4: 503 → retried).
  for (const ev of during) expect((await postSigned(s, ev)).status).toBe(202);
  const all = [...before, ...during];
  expect(
    await waitUntil(
      () =>
        (db.prepare("SELECT COUNT(*) AS n FROM responses WHERE status = 'synced'").get() as { n: number }).n ===
        all.length,
      60_000,
      300,
    ),
  ).toBe(true);
  const contacts = await orgRecords<{ Email?: string }>(s.org, 'Contact');
  for (const ev of all)
    expect(contacts.filter((c) => c.Email === (ev.data.answers[2] as { value: string }).value)).toHaveLength(1);
  writeFigures('storage', {
    acceptedBefore: before.length,
    refusedWhileLocked: statuses.length,
    statusesWhileLocked: statuses,
    redeliveredAndSynced: during.length,
    lost: 0,
    duplicated: 0,
  });
}, 120_000);
