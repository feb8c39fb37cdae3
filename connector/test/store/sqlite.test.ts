import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openStore } from '../../src/store/openStore';
import { SqliteStore } from '../../src/store/sqlite/sqliteStore';
import { mirrorContract } from './mirrorContract';
import { orgCapContract } from './orgCapContract';
import { pauseContract } from './pauseContract';
import { responseRecordsContract } from './responseRecordsContract';
import { retentionContract } from './retentionContract';
import { storeContract } from './storeContract';
import { turnContract } from './turnContract';
import { usageContract } from './usageContract';

const dir = mkdtempSync(join(tmpdir(), 'store-contract-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

// A file (not :memory:) so WAL, fsync and the IMMEDIATE transactions are the real ones.
storeContract('sqlite', () => openStore(`sqlite:${join(dir, `t${n++}.db`)}`));
orgCapContract('sqlite', () => openStore(`sqlite:${join(dir, `t${n++}.db`)}`));
pauseContract('sqlite', () => openStore(`sqlite:${join(dir, `t${n++}.db`)}`));
retentionContract('sqlite', () => openStore(`sqlite:${join(dir, `t${n++}.db`)}`));
mirrorContract('sqlite', () => openStore(`sqlite:${join(dir, `t${n++}.db`)}`));
// Two stores on one file: two processes sharing one budget.
let usageFile = '';
usageContract(
  'sqlite',
  () => openStore(`sqlite:${(usageFile = join(dir, `t${n++}.db`))}`),
  () => openStore(`sqlite:${usageFile}`),
);
// Two stores on one file: two instances taking poll turns.
let recordsFile = '';
responseRecordsContract(
  'sqlite',
  () => openStore(`sqlite:${(recordsFile = join(dir, `t${n++}.db`))}`),
  () => openStore(`sqlite:${recordsFile}`),
);
turnContract('sqlite', () => openStore(`sqlite:${join(dir, `t${n++}.db`)}`));

describe('SQLite specifics', () => {
  it('runs in WAL mode with synchronous=FULL and records applied migrations once', async () => {
    const file = join(dir, 'pragmas.db');
    const a = new SqliteStore(file);
    const b = new SqliteStore(file); // a second process-like opener on the same file
    await b.migrate();
    await a.close();
    await b.close();
    const db = new Database(file);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.prepare('SELECT version FROM schema_migrations').all()).toEqual([
      { version: 1 },
      { version: 2 },
      { version: 3 },
      { version: 4 },
      { version: 5 },
      { version: 6 },
      { version: 7 },
      { version: 8 },
    ]);
    db.close();
  });

  it('sees an event committed by another connection on the same file as a duplicate', async () => {
    const file = join(dir, 'shared.db');
    const a = new SqliteStore(file);
    const b = new SqliteStore(file);
    const ev = { eventId: 'evt_x', accountId: 'acc', type: 'response.deleted', body: '{}', receivedAt: new Date() };
    const results = await Promise.all([a.insertEvent(ev), b.insertEvent(ev)]);
    expect(results.sort()).toEqual(['duplicate', 'inserted']);
    await a.close();
    await b.close();
  });

  it('rejects intake after close instead of answering queued', async () => {
    const s = new SqliteStore(join(dir, 'closed.db'));
    await s.close();
    await expect(
      s.insertEvent({ eventId: 'e', accountId: 'a', type: 't', body: '{}', receivedAt: new Date() }),
    ).rejects.toThrow();
  });

  it('fails ping when the database is closed underneath', async () => {
    const s = new SqliteStore(join(dir, 'ping.db'));
    await s.close();
    await expect(s.ping()).rejects.toThrow();
  });
});
