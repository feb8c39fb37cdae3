import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Connection } from 'jsforce';
import { createApp, type ConnectorApp } from '../../src/app';
import { loadConfig, type AppConfig } from '../../src/config/appConfig';
import { createEconomy } from '../../src/budget/economy';
import { ConnectionService } from '../../src/connections';
import { NotConnectedError } from '../../src/connections/errors';
import { signatureHeader } from '../../src/intake/signature';
import { InteractionWriter } from '../../src/mirror/writer';
import type { MirrorWriter } from '../../src/mirror/types';
import { createLogger } from '../../src/observability/logger';
import { createMetrics, type Metrics } from '../../src/observability/metrics';
import { openStore } from '../../src/store/openStore';
import type { ClaimedResponse, Store } from '../../src/store/types';
import type { SyncOutcome, SyncResponses } from '../../src/sync/types';

export const SECRET = 'whsec_test_0123456789abcdef';
export const ADMIN_TOKEN = 'admin-token-0123456789abcdef';

/** The SPEC §6 variables of a test connector (DATABASE_URL aside). */
export const TEST_ENV: Record<string, string> = {
  CREDSPARK_WEBHOOK_SECRET: SECRET,
  CONNECTOR_ADMIN_TOKEN: ADMIN_TOKEN,
  SF_CLIENT_ID: 'client',
  SF_CLIENT_SECRET: 'secret',
  TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
  LOG_LEVEL: 'silent',
};

export function testConfig(databaseUrl: string, extra: Record<string, string> = {}): AppConfig {
  return loadConfig({ ...TEST_ENV, DATABASE_URL: databaseUrl, ...extra });
}

/** Records what the worker handed to the sync engine and answers with a scripted outcome. */
export class RecordingSync {
  calls: { accountId: string; orgId: string; responseIds: string[]; bodies: string[] }[] = [];
  decide: (r: ClaimedResponse) => SyncOutcome = (r) => ({
    status: 'synced',
    object: 'Contact',
    recordId: `003${r.responseId}`,
    action: 'created',
  });
  readonly fn: SyncResponses = async (ctx, responses) => {
    this.calls.push({
      accountId: ctx.accountId,
      orgId: ctx.orgId,
      responseIds: responses.map((r) => r.responseId),
      bodies: responses.map((r) => r.body),
    });
    return new Map(responses.map((r) => [r.responseId, this.decide(r)]));
  };
}

/** Connections for accounts whose store row says connected, and a mirror writer that counts its
 *  calls, writes nothing and fails with `mirrorError` when set. */
export class FakeConnections {
  mirrored: string[] = [];
  mirrorError: Error | undefined;
  constructor(private readonly store: Store) {}
  async getSalesforceConnection(accountId: string) {
    const c = await this.store.getConnection(accountId);
    if (c?.status !== 'connected') throw new NotConnectedError(accountId, c?.reason);
    return { conn: {} as Connection, orgId: c.orgId };
  }
  async write(accountId: string) {
    this.mirrored.push(accountId);
    if (this.mirrorError) throw this.mirrorError;
    return { written: 0, failed: 0, more: false };
  }
}

export async function connectAccount(store: Store, accountId: string, orgId = '00D000000000001') {
  const now = new Date();
  await store.upsertConnection({
    accountId,
    status: 'connected',
    orgId,
    userId: '005000000000001',
    username: 'admin@acme.local',
    instanceUrl: 'http://127.0.0.1:1',
    loginUrl: 'http://127.0.0.1:1',
    accessTokenEnc: 'x',
    refreshTokenEnc: 'y',
    connectedAt: now,
    updatedAt: now,
  });
}

export interface Harness {
  url: string;
  store: Store;
  config: AppConfig;
  metrics: Metrics;
  sync: RecordingSync;
  connections: FakeConnections;
  app: ConnectorApp;
  close(): Promise<void>;
}

export async function startHarness(
  opts: { runWorker?: boolean; store?: Store; clock?: () => Date; pollMs?: number } = {},
): Promise<Harness> {
  const t = await startTestApp({ env: TEST_ENV, ...opts, pollMs: opts.pollMs ?? 50 });
  return { ...t, connections: t.connections as FakeConnections };
}

export interface TestApp extends Omit<Harness, 'connections'> {
  connections: FakeConnections | ConnectionService;
  mirror: MirrorWriter;
}

/** The connector's parts a test runs: the real HTTP app and worker with fake or real connections. */
export interface TestParts {
  app: ConnectorApp;
  connections: FakeConnections | ConnectionService;
  mirror: MirrorWriter;
  metrics: Metrics;
}

/**
 * The one wiring of a test connector, in-process (startTestApp) or in a child process
 * (fixtures/crashConnector.ts): createApp on `config` and `store` with `syncResponses`, fake
 * connections (or the real ConnectionService and interaction mirror).
 */
export function createTestApp(opts: {
  config: AppConfig;
  store: Store;
  syncResponses: SyncResponses;
  clock?: () => Date;
  runWorker?: boolean;
  realConnections?: boolean;
}): TestParts {
  const { config, store } = opts;
  const log = createLogger(config.logLevel);
  const metrics = createMetrics();
  // Real connections come with the API economy, as buildConnector wires them: every call metered.
  const economy = opts.realConnections
    ? createEconomy({ usage: store, namespace: config.sfNamespace, metrics, log, clock: opts.clock })
    : undefined;
  const real = economy ? new ConnectionService({ store, config, log, metrics, meter: economy.meter }) : undefined;
  const fake = new FakeConnections(store);
  const mirror = real
    ? new InteractionWriter({ store, connections: real, namespace: config.sfNamespace, log, metrics })
    : fake;
  const app = createApp({
    config,
    store,
    log,
    metrics,
    connections: real ?? fake,
    mirror,
    syncResponses: opts.syncResponses,
    runWorker: opts.runWorker,
    clock: opts.clock,
    economy,
  });
  return { app, connections: real ?? fake, mirror, metrics };
}

/**
 * The one way tests start the connector in-process: createTestApp on 127.0.0.1 with a SQLite file
 * store in a scratch folder (or the store given), configured from `env`, and a recording sync engine.
 */
export async function startTestApp(opts: {
  env: Record<string, string>;
  store?: Store;
  clock?: () => Date;
  runWorker?: boolean;
  pollMs?: number;
  port?: number;
  realConnections?: boolean;
}): Promise<TestApp> {
  const dir = mkdtempSync(join(tmpdir(), 'connector-'));
  const config = loadConfig({ DATABASE_URL: `sqlite:${join(dir, 'connector.db')}`, ...opts.env });
  if (opts.pollMs !== undefined) config.worker.pollMs = opts.pollMs;
  const store = opts.store ?? (await openStore(config.databaseUrl));
  const sync = new RecordingSync();
  const parts = createTestApp({
    config,
    store,
    syncResponses: sync.fn,
    clock: opts.clock,
    runWorker: opts.runWorker ?? false,
    realConnections: opts.realConnections,
  });
  const { url } = await parts.app.start({ port: opts.port ?? 0, host: '127.0.0.1' });
  return {
    ...parts,
    url,
    store,
    config,
    sync,
    async close() {
      await parts.app.stop();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

let seq = 0;
export function completedEvent(
  over: {
    id?: string;
    accountId?: string;
    responseId?: string;
    interactionId?: string;
    answers?: unknown[];
    completedAt?: string;
  } = {},
) {
  seq++;
  return {
    id: over.id ?? `evt_${process.pid}_${seq}`,
    type: 'response.completed',
    createdAt: '2026-11-28T19:00:01Z',
    accountId: over.accountId ?? 'acc_42',
    data: {
      responseId: over.responseId ?? `rsp_${seq}`,
      interaction: { id: over.interactionId ?? 'int_q4_webinar', name: 'Q4 Webinar Quiz' },
      completedAt: over.completedAt ?? '2026-11-28T19:00:00Z',
      score: 80,
      answers: over.answers ?? [
        { key: 'first_name', type: 'first_name', label: 'First Name', value: 'Jane' },
        { key: 'last_name', type: 'last_name', label: 'Last Name', value: 'Smith' },
        { key: 'email', type: 'email', label: 'Email', value: 'jane@gmail.com' },
        { key: 'q7', type: 'text', label: 'Company', value: 'Acme' },
        { key: 'q8', type: 'multiple_choice', label: 'Interests', value: ['Pricing', 'Demo'] },
        { key: 'q9', type: 'number', label: 'Team size', value: 12 },
      ],
    },
  };
}

/** POSTs a body signed with `secrets` (default: the test secret). */
export async function postWebhook(
  url: string,
  body: unknown,
  opts: { secrets?: string[]; header?: string; contentType?: string; timestamp?: number } = {},
) {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  const signature = opts.header ?? signatureHeader(opts.secrets ?? [SECRET], raw, opts.timestamp);
  const res = await fetch(`${url}/webhooks/credspark`, {
    method: 'POST',
    headers: { 'content-type': opts.contentType ?? 'application/json', 'credspark-signature': signature },
    body: raw,
  });
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, json, text };
}
