import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { ConnectionService, connectionRoutes } from '../../src/connections';
import type { ConnectionsConfig, ConnectionsDeps } from '../../src/connections/types';
import { errorHandler } from '../../src/http/errors';
import { requireAdmin } from '../../src/http/adminAuth';
import { createLogger } from '../../src/observability/logger';
import { InteractionWriter, type InteractionWriterDeps } from '../../src/mirror/writer';
import { createMetrics } from '../../src/observability/metrics';
import type { OAuthStateRecord, Store } from '../../src/store/types';
import { openScratchSqlite, type ScratchSqlite } from '../store/sqliteForTests';
import { startStubSalesforce, type StubSalesforce } from './stubSalesforce';
import { storedEvent } from '../fixtures/events';

export const ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';

export interface Harness {
  url: string;
  config: ConnectionsConfig;
  service: ConnectionService;
  /** The interaction mirror writing through `service` (also run after each connect, as in createApp). */
  mirror: InteractionWriter;
  metrics: ReturnType<typeof createMetrics>;
  logs: string[];
  api(path: string, init?: { method?: string; body?: unknown; token?: string | null }): Promise<Response>;
  close(): Promise<void>;
}

/** A minimal app: express + the connections router, on 127.0.0.1:0 (createApp mounts it the same way). */
export async function startHarness(opts: {
  store: ConnectionsDeps['store'] & InteractionWriterDeps['store'];
  loginUrl: string;
  clientId: string;
  clientSecret: string;
  namespace?: string;
  allowedReturnOrigins?: string[];
  localMode?: boolean;
  tokenKeys?: Buffer[];
  /** OAuth callbacks per minute per client (default 1000: no limit in the way of a test). */
  callbackRateLimitPerMinute?: number;
}): Promise<Harness> {
  const logs: string[] = [];
  const log = createLogger('debug', { write: (s: string) => void logs.push(s) } as never);
  const metrics = createMetrics();
  const config: ConnectionsConfig = {
    publicUrl: 'http://127.0.0.1:0',
    sfClientId: opts.clientId,
    sfClientSecret: opts.clientSecret,
    sfLoginUrl: opts.loginUrl,
    sfApiVersion: '62.0',
    sfNamespace: opts.namespace ?? 'credspark',
    tokenKeys: opts.tokenKeys ?? [randomBytes(32)],
    allowedReturnOrigins: opts.allowedReturnOrigins ?? ['https://app.credspark.test'],
    localMode: opts.localMode ?? true,
  };
  const deps = { store: opts.store, config, log, metrics };
  const service = new ConnectionService(deps);
  const mirror = new InteractionWriter({ ...deps, connections: service, namespace: config.sfNamespace });
  const app = express();
  app.use(
    connectionRoutes({
      ...deps,
      connections: service,
      afterConnect: (accountId) => mirror.write(accountId),
      requireAdmin: requireAdmin(ADMIN_TOKEN),
      callbackRateLimitPerMinute: opts.callbackRateLimitPerMinute ?? 1000,
    }),
  );
  app.use(errorHandler(log));
  const server: Server = app.listen(0, '127.0.0.1');
  await new Promise<void>((r) => server.once('listening', () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  config.publicUrl = url;
  return {
    url,
    config,
    service,
    mirror,
    metrics,
    logs,
    api: (path, init = {}) =>
      fetch(url + path, {
        method: init.method ?? 'GET',
        redirect: 'manual',
        headers: {
          ...(init.token === null ? {} : { authorization: `Bearer ${init.token ?? ADMIN_TOKEN}` }),
          ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
      }),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

export interface StubStack {
  sf: StubSalesforce;
  store: Store;
  /** The same store's rows at rest. */
  db: ScratchSqlite;
  h: Harness;
}

/**
 * Per test (call inside `describe`): a stub Salesforce, an empty SQLite store and the harness app
 * signing in to that stub, closed after the test; `set` hands them to the test's variables.
 */
export function useStubStack(set: (s: StubStack) => void): void {
  let s: StubStack;
  beforeEach(async () => {
    const sf = await startStubSalesforce();
    const db = await openScratchSqlite();
    const store = db.store;
    const h = await startHarness({ store, loginUrl: sf.url, clientId: sf.clientId, clientSecret: sf.clientSecret });
    s = { sf, store, db, h };
    set(s);
  });
  afterEach(async () => {
    await s.h.close();
    await s.sf.close();
    await s.db.close();
  });
}

/** Reads one counter value from the registry (salesforceCalls{org,kind}). */
export async function callCount(h: Harness, org: string, kind: string): Promise<number> {
  const m = await h.metrics.salesforceCalls.get();
  return m.values.find((v) => v.labels.org === org && v.labels.kind === kind)?.value ?? 0;
}

/**
 * Wraps a real store so a test can alter an OAuth state on its way in (expire it, swap the PKCE
 * verifier) — the store itself offers no way to edit a state, by design.
 */
export function withStateHook(store: Store): {
  store: Store;
  hook: { onInsertState?: (r: OAuthStateRecord) => OAuthStateRecord };
} {
  const hook: { onInsertState?: (r: OAuthStateRecord) => OAuthStateRecord } = {};
  const wrapped = new Proxy(store, {
    get(target, prop) {
      if (prop === 'insertOAuthState')
        return (r: OAuthStateRecord) => target.insertOAuthState(hook.onInsertState ? hook.onInsertState(r) : r);
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { store: wrapped, hook };
}

/** Queues one response for the account through the real intake path of the store. */
export async function queueResponse(store: Store, accountId: string, responseId: string): Promise<void> {
  await store.insertEvent(storedEvent(responseId, { accountId, responseId, eventId: `evt_${responseId}` }));
}
