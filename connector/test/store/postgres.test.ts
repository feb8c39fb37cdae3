import { Client } from 'pg';
import { openStore } from '../../src/store/openStore';
import { PgStore } from '../../src/store/postgres/pgStore';
import type { Store } from '../../src/store/types';
import { postgresReachable, redactedUrl, TEST_PG_URL } from './postgresAvailability';
import { appliedMigrations } from './contractSetup';
import { storeContracts } from './contracts';

/**
 * The Store contract on a real Postgres server: TEST_DATABASE_URL, else the project machines'
 * postgres://postgres@127.0.0.1:5432/postgres. Each test gets its own schema, dropped afterwards.
 * Unreachable: a failure in CI (CI=true), a printed warning and a skip elsewhere.
 */
const url = TEST_PG_URL;

const available = postgresReachable(url);
if (!available && process.env.CI) {
  it('needs a reachable Postgres in CI', () => {
    throw new Error(`Postgres at ${redactedUrl(url)} is unreachable`);
  });
} else if (!available) {
  console.warn(`Postgres store contract SKIPPED: ${redactedUrl(url)} unreachable (set TEST_DATABASE_URL)`);
  it.skip('Postgres store contract (Postgres unreachable)', () => undefined);
} else {
  let n = 0;
  const schemaName = () => `store_test_${process.pid}_${n++}`;

  async function admin<T>(fn: (c: Client) => Promise<T>): Promise<T> {
    const c = new Client({ connectionString: url });
    await c.connect();
    try {
      return await fn(c);
    } finally {
      await c.end();
    }
  }

  let lastSchema = '';
  async function isolatedStore(): Promise<Store> {
    const schema = (lastSchema = schemaName());
    await admin((c) => c.query(`CREATE SCHEMA ${schema}`));
    const store = new PgStore({ connectionString: url, options: `-c search_path=${schema}`, max: 5 });
    await store.migrate();
    const close = store.close.bind(store);
    store.close = async () => {
      await close();
      await admin((c) => c.query(`DROP SCHEMA ${schema} CASCADE`));
    };
    return store;
  }

  /** Another store on the last isolated store's schema: another instance on the same database. */
  async function sameSchemaStore(): Promise<Store> {
    const store = new PgStore({ connectionString: url, options: `-c search_path=${lastSchema}`, max: 5 });
    await store.migrate();
    return store;
  }

  storeContracts('postgres', isolatedStore, sameSchemaStore);

  describe('Postgres specifics', () => {
    it('applies migrations once when two instances start together', async () => {
      const schema = schemaName();
      await admin((c) => c.query(`CREATE SCHEMA ${schema}`));
      const a = new PgStore({ connectionString: url, options: `-c search_path=${schema}` });
      const b = new PgStore({ connectionString: url, options: `-c search_path=${schema}` });
      await Promise.all([a.migrate(), b.migrate()]);
      const rows = await admin((c) => c.query(`SELECT version FROM ${schema}.schema_migrations ORDER BY version`));
      expect(rows.rows).toEqual(appliedMigrations);
      await a.close();
      await b.close();
      await admin((c) => c.query(`DROP SCHEMA ${schema} CASCADE`));
    });

    it('two instances racing the same event id store it once', async () => {
      const a = await isolatedStore();
      const schema = `store_test_${process.pid}_${n - 1}`;
      const b = new PgStore({ connectionString: url, options: `-c search_path=${schema}` });
      const ev = {
        eventId: 'evt_race',
        accountId: 'acc',
        type: 'response.deleted',
        body: '{}',
        receivedAt: new Date(),
      };
      const results = await Promise.all([a.insertEvent(ev), b.insertEvent(ev), a.insertEvent(ev), b.insertEvent(ev)]);
      expect(results.filter((r) => r === 'inserted')).toHaveLength(1);
      await b.close();
      await a.close();
    });

    it('openStore selects the Postgres backend for postgres:// URLs and migrates it', async () => {
      const db = `store_test_db_${process.pid}`;
      await admin((c) => c.query(`CREATE DATABASE ${db}`));
      try {
        const dbUrl = new URL(url);
        dbUrl.pathname = `/${db}`;
        const store = await openStore(dbUrl.toString());
        expect(store).toBeInstanceOf(PgStore);
        expect(await store.queueStats(new Date())).toEqual({ queued: 0, oldestQueuedAgeSeconds: 0 });
        await store.close();
      } finally {
        await admin((c) => c.query(`DROP DATABASE ${db}`));
      }
    }, 30_000); // CREATE/DROP DATABASE wait for a checkpoint: seconds on a busy shared Postgres
  });
}
