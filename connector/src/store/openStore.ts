import type { Store } from './types';
import { PgStore } from './postgres/pgStore';
import { SqliteStore } from './sqlite/sqliteStore';

/**
 * Opens the store named by DATABASE_URL (`sqlite:<path>`, `sqlite::memory:`, or `postgres://…`)
 * and applies its migrations.
 */
export async function openStore(databaseUrl: string): Promise<Store> {
  if (databaseUrl.startsWith('sqlite:')) {
    const store = new SqliteStore(databaseUrl.slice('sqlite:'.length));
    await store.migrate();
    return store;
  }
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) {
    const store = new PgStore(databaseUrl);
    await store.migrate();
    return store;
  }
  throw new Error('DATABASE_URL: must be sqlite:<path> or postgres://…');
}
