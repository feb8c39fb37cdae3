import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openStore } from '../../src/store/openStore';
import { SqliteStore } from '../../src/store/sqlite/sqliteStore';
import { appliedMigrations } from './contractSetup';
import { storeContracts } from './contracts';

const dir = mkdtempSync(join(tmpdir(), 'store-contract-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

// A file (not :memory:) so WAL, fsync and the IMMEDIATE transactions are the real ones.
let lastFile = '';
const freshStore = () => openStore(`sqlite:${(lastFile = join(dir, `t${n++}.db`))}`);
// Another store on the last fresh store's file: another process on the same database.
const sameFileStore = () => openStore(`sqlite:${lastFile}`);

storeContracts('sqlite', freshStore, sameFileStore);

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
    expect(db.prepare('SELECT version FROM schema_migrations').all()).toEqual(appliedMigrations);
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
