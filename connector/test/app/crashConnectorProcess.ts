/**
 * For the tests that SIGKILL a connector with a stand-in org (fixtures/crashConnector.ts) mid-burst:
 * crash.test.ts (one instance, SQLite) and multiInstance.test.ts (two instances, Postgres).
 */
import { join } from 'node:path';
import { TEST_ENV } from './harness';

export const CRASH_CONNECTOR = join(__dirname, 'fixtures', 'crashConnector.ts');

/** The crash connector's environment: the test variables, any free port, 1-second leases (a killed
 *  instance's batch is taken over quickly), the stand-in org's file, and `env` on top. */
export function crashConnectorEnv(opts: {
  databaseUrl: string;
  fakeOrgDb: string;
  env?: Record<string, string>;
}): Record<string, string> {
  return {
    ...TEST_ENV,
    DATABASE_URL: opts.databaseUrl,
    FAKE_ORG_DB: opts.fakeOrgDb,
    WORKER_LEASE_SECONDS: '1',
    PORT: '0',
    ...opts.env,
  };
}
