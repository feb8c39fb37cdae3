/**
 * For the tests that SIGKILL the real connector (fixtures/realConnector.ts: main.ts's wiring in a
 * child process) while it syncs a burst into the local org: crashLocalOrg, multiInstanceLocalOrg
 * and scripts/reliability/crash.
 */
import { join } from 'node:path';
import type { LocalOrg } from '../../src/localMode/localOrgTypes';
import { completedEvent } from './harness';
import { freePort, killAll, startConnectorProcess, type Spawned } from './processes';

export const REAL_CONNECTOR = join(__dirname, 'fixtures', 'realConnector.ts');

export interface RealConnectorLauncher {
  /** http://127.0.0.1:<port>: every process this launcher starts listens there. */
  url: string;
  env: Record<string, string>;
  /** Spawns a connector process and resolves once it listens (READY <port> on stdout). */
  start(): Promise<Spawned>;
  /** SIGKILLs the processes it started that are still running, and waits for them (afterAll). */
  killAll(): Promise<void>;
}

/**
 * A free port and the connector's environment for it: the local org's demo connected app, 2-second
 * worker leases (a killed process's batch is taken over quickly), and `env` on top (batch size, log level).
 */
export async function realConnectorLauncher(opts: {
  org: LocalOrg;
  databaseUrl: string;
  webhookSecret: string;
  adminToken: string;
  /** TOKEN_ENCRYPTION_KEY (32 bytes, base64). */
  tokenKey: string;
  env?: Record<string, string>;
}): Promise<RealConnectorLauncher> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env = {
    PORT: String(port),
    PUBLIC_URL: url,
    DATABASE_URL: opts.databaseUrl,
    CREDSPARK_WEBHOOK_SECRET: opts.webhookSecret,
    CONNECTOR_ADMIN_TOKEN: opts.adminToken,
    SF_CLIENT_ID: opts.org.demo.clientId,
    SF_CLIENT_SECRET: opts.org.demo.clientSecret,
    SF_LOGIN_URL: opts.org.url,
    TOKEN_ENCRYPTION_KEY: opts.tokenKey,
    WORKER_LEASE_SECONDS: '2',
    LOG_LEVEL: 'info',
    ...opts.env,
  };
  const started: Spawned[] = [];
  return {
    url,
    env,
    async start() {
      return (await startConnectorProcess(REAL_CONNECTOR, env, { started, timeoutMs: 60_000 })).p;
    },
    killAll: () => killAll(started),
  };
}

/**
 * Contacts for every other email of the burst (i = 0, 2, 4, …; LastName 'Before'): half the
 * responses then update a Contact in place, half create one.
 */
export async function seedEveryOtherContact(org: LocalOrg, n: number, email: (i: number) => string): Promise<void> {
  const res = await fetch(`${org.url}/__local/orgs/${org.demo.orgId}/records/Contact`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(Array.from({ length: n / 2 }, (_, i) => ({ LastName: 'Before', Email: email(i * 2) }))),
  });
  if (!res.ok) throw new Error(`seeding Contacts answered ${res.status}`);
}

/** The org's Contacts whose Email matches `pattern`, their last names by email (several if duplicated). */
export async function lastNamesByEmail(org: LocalOrg, pattern: RegExp): Promise<Map<string, string[]>> {
  const { records } = (await (await fetch(`${org.url}/__local/orgs/${org.demo.orgId}/records/Contact`)).json()) as {
    records: { Email?: string; LastName: string }[];
  };
  const byEmail = new Map<string, string[]>();
  for (const c of records)
    if (pattern.test(c.Email ?? '')) byEmail.set(c.Email!, [...(byEmail.get(c.Email!) ?? []), c.LastName]);
  return byEmail;
}

/** Response `i` of a burst: respondent P After<i> <email>, completed now. */
export function burstEvent(accountId: string, i: number, email: string) {
  return completedEvent({
    accountId,
    responseId: `rsp_${i}`,
    interactionId: 'int_q4_webinar',
    completedAt: new Date().toISOString(),
    answers: [
      { key: 'first_name', type: 'first_name', label: 'First Name', value: 'P' },
      { key: 'last_name', type: 'last_name', label: 'Last Name', value: `After${i}` },
      { key: 'email', type: 'email', label: 'Email', value: email },
    ],
  });
}
