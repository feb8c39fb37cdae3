import type { Store } from './types';
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
    // Issue 7: a Postgres backend implementing the same Store contract (test/store/storeContract.ts).
    throw new Error('DATABASE_URL: the Postgres store is not available yet; use sqlite:<path>');
  }
  throw new Error('DATABASE_URL: must be sqlite:<path> or postgres://…');
}
