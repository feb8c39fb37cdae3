import { Client } from 'pg';
import { TEST_PG_URL } from '../store/postgresAvailability';

async function withClient<T>(url: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/**
 * A scratch database on the test Postgres for one test file (call inside `describe`): created
 * before its tests, dropped after them (WITH (FORCE): connections still open are ended).
 * Returns its connection URL.
 */
export function useScratchPostgres(dbName: string, adminUrl = TEST_PG_URL): string {
  const u = new URL(adminUrl);
  u.pathname = `/${dbName}`;
  // CREATE/DROP DATABASE wait for a checkpoint: seconds on a busy shared Postgres, past jest's 5 s.
  beforeAll(() => withClient(adminUrl, (c) => c.query(`CREATE DATABASE ${dbName}`)), 30_000);
  afterAll(() => withClient(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`)), 30_000);
  return u.toString();
}

/**
 * Polls the connector's responses table until all `n` responses are synced or `timeoutMs` has
 * passed; returns the last count per status (`[{ status: 'synced', n }]` when done).
 */
export async function waitForAllSynced(
  databaseUrl: string,
  n: number,
  timeoutMs: number,
): Promise<{ status: string; n: number }[]> {
  return withClient(databaseUrl, async (c) => {
    const deadline = Date.now() + timeoutMs;
    let rows: { status: string; n: number }[] = [];
    while (Date.now() < deadline) {
      rows = (await c.query('SELECT status, COUNT(*)::int AS n FROM responses GROUP BY status')).rows;
      if (rows.length === 1 && rows[0].status === 'synced' && rows[0].n === n) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    return rows;
  });
}
