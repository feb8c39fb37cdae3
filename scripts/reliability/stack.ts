/**
 * The real connector wiring (config, SQLite store, ConnectionService, sync engine, app, worker)
 * in this process, against a local org on 127.0.0.1, with its logs captured and a movable clock.
 * The clock lets a test skip a long server-requested wait (REQUEST_LIMIT_EXCEEDED asks the
 * worker to wait 15 minutes) without changing the connector: everything time-based in the
 * connector (leases, due retries, signature tolerance) reads this one clock.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import Database from 'better-sqlite3';
import { startLocalOrg, type LocalOrg } from '@credspark/local-org';
import type { ConnectorApp } from '../../connector/src/app';
import { buildConnector } from '../../connector/src/buildConnector';
import { loadConfig, type AppConfig } from '../../connector/src/config/appConfig';
import { signatureHeader } from '../../connector/src/intake/signature';
import { connectDemoAccount } from '../../connector/src/localMode/connectDemo';
import { seedDemoRule } from '../../connector/src/localMode/demoSeed';
import type { Store } from '../../connector/src/store/types';
import { completedEvent } from '../../connector/test/app/harness';

export const SECRET = 'whsec_reliability_0123456789abcdef';
export const ADMIN_TOKEN = 'admin-reliability-0123456789abcdef';
export const CLIENT_KEY = Buffer.alloc(32, 9).toString('base64');

export interface Stack {
  org: LocalOrg;
  url: string;
  dbFile: string;
  store: Store;
  config: AppConfig;
  app: ConnectorApp;
  logs: string[];
  /** Moves the connector's clock forward (ms). */
  advance(ms: number): void;
  now(): Date;
  close(): Promise<void>;
}

export async function startStack(
  opts: { org?: LocalOrg; logLevel?: string; worker?: Partial<AppConfig['worker']>; runWorker?: boolean } = {},
): Promise<Stack> {
  const org = opts.org ?? (await startLocalOrg({ port: 0, host: '127.0.0.1', autoApprove: true, quiet: true }));
  const dir = mkdtempSync(join(tmpdir(), 'reliability-'));
  const dbFile = join(dir, 'connector.db');
  let offset = 0;
  const now = () => new Date(Date.now() + offset);
  const config = {
    ...loadConfig({
      DATABASE_URL: `sqlite:${dbFile}`,
      CREDSPARK_WEBHOOK_SECRET: SECRET,
      CONNECTOR_ADMIN_TOKEN: ADMIN_TOKEN,
      SF_CLIENT_ID: org.demo.clientId,
      SF_CLIENT_SECRET: org.demo.clientSecret,
      SF_LOGIN_URL: org.url,
      TOKEN_ENCRYPTION_KEY: CLIENT_KEY,
      LOG_LEVEL: opts.logLevel ?? 'info',
      PUBLIC_URL: 'http://127.0.0.1:1',
    }),
    localMode: true, // accepts the http://127.0.0.1 login URL (as connector/test/app/fixtures/realConnector.ts)
  };
  config.worker = { ...config.worker, pollMs: 100, backoffBaseMs: 200, backoffCapMs: 2_000, ...opts.worker };
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      logs.push(chunk.toString());
      cb();
    },
  });
  const connector = await buildConnector({ config, logSink: sink, clock: now, runWorker: opts.runWorker });
  const { store, app } = connector;
  const { port } = await app.start({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${port}`;
  // The OAuth redirect_uri is PUBLIC_URL + /oauth/callback: now that the port is known, point it here.
  config.publicUrl = url;
  return {
    org,
    url,
    dbFile,
    store,
    config,
    app,
    logs,
    now,
    advance: (ms) => {
      offset += ms;
    },
    async close() {
      await connector.close();
      if (!opts.org) await org.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Connects `accountId` through the consent flow and seeds the demo Contact rule in the org. */
export async function connectAndSeed(s: Stack, accountId: string): Promise<void> {
  await connectDemoAccount({ connectorUrl: s.url, adminToken: ADMIN_TOKEN, accountId, loginUrl: s.org.url });
  await seedDemoRule(s.org.url, s.org.demo.orgId, 'credspark', new Date(s.now().getTime() - 60_000));
}

export type SeededStack = Stack & { db: Database.Database };

/**
 * A stack with `accountId` connected and the demo rule seeded, and a read-only handle on the
 * connector's SQLite database; close() closes both.
 */
export async function startSeededStack(
  accountId: string,
  opts: Parameters<typeof startStack>[0] = {},
): Promise<SeededStack> {
  const s = await startStack(opts);
  await connectAndSeed(s, accountId);
  const db = new Database(s.dbFile, { readonly: true });
  return {
    ...s,
    db,
    async close() {
      db.close();
      await s.close();
    },
  };
}

let seq = 0;
export function responseEvent(
  accountId: string,
  responseId: string,
  email: string,
  lastName = 'Fuzz',
  extra: object[] = [],
) {
  seq++;
  return completedEvent({
    id: `evt_rel_${process.pid}_${seq}_${responseId}`,
    accountId,
    responseId,
    completedAt: new Date().toISOString(),
    answers: [
      { key: 'first_name', type: 'first_name', label: 'First Name', value: 'R' },
      { key: 'last_name', type: 'last_name', label: 'Last Name', value: lastName },
      { key: 'email', type: 'email', label: 'Email', value: email },
      ...extra,
    ],
  });
}

export async function post(
  url: string,
  raw: string | Buffer,
  headers: Record<string, string>,
): Promise<{ status: number; text: string }> {
  const res = await fetch(`${url}/webhooks/credspark`, { method: 'POST', headers, body: raw });
  return { status: res.status, text: await res.text() };
}

/** POSTs `body` signed with the test secret at the connector's clock time (or `timestampSec`). */
export async function postSigned(s: { url: string; now(): Date }, body: unknown, timestampSec?: number) {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  const ts = timestampSec ?? Math.floor(s.now().getTime() / 1000);
  return post(s.url, raw, {
    'content-type': 'application/json',
    'credspark-signature': signatureHeader([SECRET], raw, ts),
  });
}

export async function orgRecords<T = Record<string, unknown>>(org: LocalOrg, sobject: string): Promise<T[]> {
  const r = await fetch(`${org.url}/__local/orgs/${org.demo.orgId}/records/${sobject}`);
  return ((await r.json()) as { records: T[] }).records;
}

export async function setFaults(org: LocalOrg, faults: object): Promise<void> {
  const r = await fetch(`${org.url}/__local/orgs/${org.demo.orgId}/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(faults),
  });
  if (!r.ok) throw new Error(`faults answered ${r.status}`);
}

export async function apiCalls(org: LocalOrg): Promise<number> {
  const r = await fetch(`${org.url}/__local/orgs/${org.demo.orgId}/api-calls`);
  return ((await r.json()) as { total: number }).total;
}

/** Polls until `done()` or the deadline; returns whether it became true. */
export async function waitUntil(
  done: () => Promise<boolean> | boolean,
  timeoutMs: number,
  stepMs = 200,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await done()) return true;
    await new Promise((r) => setTimeout(r, stepMs));
  }
  return done();
}

export function sleep(ms: number) {
  return new Promise((r) => setTimeout(r, ms));
}
