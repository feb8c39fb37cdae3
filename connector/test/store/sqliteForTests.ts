import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openStore } from '../../src/store/openStore';
import { toConnection, toOAuthState, type Row } from '../../src/store/rows';
import type { ConnectionRecord, OAuthStateRecord, Store } from '../../src/store/types';

/** The real SQLite store on a scratch file, and a second connection to read (or tamper with) what
 *  it keeps at rest — for tests that assert on stored rows the store API does not hand out. */
export interface ScratchSqlite {
  store: Store;
  /** Every row of a table, as stored. */
  rows(table: 'connections' | 'oauth_states'): Row[];
  states(): OAuthStateRecord[];
  connections(): ConnectionRecord[];
  /** Runs a statement on the file directly (e.g. to expire a state, which the store never edits). */
  run(sql: string, ...params: unknown[]): void;
  close(): Promise<void>;
}

export async function openScratchSqlite(): Promise<ScratchSqlite> {
  const dir = mkdtempSync(join(tmpdir(), 'scratch-sqlite-'));
  const file = join(dir, 'connector.db');
  const store = await openStore(`sqlite:${file}`);
  const raw = new Database(file);
  const rows = (table: string) => raw.prepare(`SELECT * FROM ${table}`).all() as Row[];
  return {
    store,
    rows,
    states: () => rows('oauth_states').map(toOAuthState),
    connections: () => rows('connections').map(toConnection),
    run: (sql, ...params) => void raw.prepare(sql).run(...params),
    close: async () => {
      raw.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
