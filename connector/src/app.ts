import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import helmet from 'helmet';
import type { AppConfig } from './config/appConfig';
import { ConnectionService, connectionRoutes, type OrgConnections } from './connections';
import { requireAdmin } from './http/adminAuth';
import { errorHandler, notFoundHandler } from './http/errors';
import { healthRoutes } from './http/health';
import { webhookRouter } from './intake/webhookRoute';
import type { Logger } from './observability/logger';
import type { Metrics } from './observability/metrics';
import type { Economy } from './budget/economy';
import { usageRoutes } from './budget/usageRoutes';
import { responseRoutes } from './responses/responseRoutes';
import type { Store } from './store/types';
import type { OrgSettings, OrgSettingsCache } from './orgSettings/orgSettings';
import { message } from './observability/errorText';
import { DEFAULT_CALL_TIMEOUT_MS } from './salesforce/calls';
import type { SyncContext, SyncResponses } from './sync/types';
import type { MirrorWriter } from './mirror/types';
import { Worker } from './worker/worker';

export interface AppDeps {
  config: AppConfig;
  store: Store;
  log: Logger;
  metrics: Metrics;
  /** The ConnectionService; its routes are mounted when it is one (tests may pass a narrower fake). */
  connections: ConnectionService | OrgConnections;
  /** Writes owed interaction metadata to an account's org (mirror/writer.ts; fakes in tests). */
  mirror: MirrorWriter;
  syncResponses: SyncResponses;
  /** Run the sync worker in this process (default true). */
  runWorker?: boolean;
  clock?: () => Date;
  /** The API economy (budget, headroom, usage): built by buildConnector; none in narrow tests. */
  economy?: Economy;
}

export interface ConnectorApp {
  app: express.Express;
  worker: Worker;
  /** Listens (port/host default to config.port and all interfaces) and starts the worker. */
  start(opts?: { port?: number; host?: string }): Promise<{ url: string; port: number }>;
  /** Stops intake (no new connections, in-flight requests finish), then the worker's batches. */
  stop(): Promise<void>;
}

/** The connector's HTTP app and in-process worker. The store is opened and closed by the caller. */
export function createApp(deps: AppDeps): ConnectorApp {
  const { config, store, log, metrics } = deps;
  const clock = deps.clock ?? (() => new Date());
  const admin = requireAdmin(config.adminToken);
  const worker = new Worker({
    store,
    log,
    metrics,
    clock,
    connections: deps.connections,
    mirror: deps.mirror,
    syncResponses: deps.syncResponses,
    config: config.worker,
    namespace: config.sfNamespace,
    maxBatchesPerOrg: config.worker.maxBatchesPerOrg,
    retentionDays: config.worker.retentionDays,
    batchFillMs: config.worker.batchFillMs,
    economy: deps.economy,
    ...(deps.economy ? { responseRecordsMode: responseRecordsFrom(deps.economy.settings) } : {}),
  });
  const wake = (accountId?: string) => worker.wake(accountId);

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.use(helmet());
  app.use(healthRoutes({ store, metrics, log, now: clock }));
  app.use(webhookRouter({ store, webhookSecrets: config.webhookSecrets, log, metrics, onQueued: wake, now: clock }));
  app.use(responseRoutes({ store, requireAdmin: admin, log, onQueued: wake, now: clock }));
  app.use(
    usageRoutes({
      store,
      requireAdmin: admin,
      settings: deps.economy?.settings,
      readSettings: settingsReader(deps, log),
      namespace: config.sfNamespace,
      now: clock,
    }),
  );
  if (deps.connections instanceof ConnectionService) {
    app.use(
      connectionRoutes({
        store,
        config,
        log,
        metrics,
        connections: deps.connections,
        requireAdmin: admin,
        afterConnect: (accountId) => deps.mirror.write(accountId),
      }),
    );
  }
  app.use('/api', admin); // unknown /api routes answer 401 before 404: no route discovery without the token
  app.use(notFoundHandler);
  app.use(errorHandler(log));

  let server: Server | undefined;
  return {
    app,
    worker,
    async start(opts = {}) {
      const port = opts.port ?? config.port;
      server = await new Promise<Server>((resolve, reject) => {
        const s = app.listen(port, opts.host ?? '::', (err?: Error) => (err ? reject(err) : resolve(s)));
        s.once('error', reject);
      });
      const address = server.address() as AddressInfo;
      if (deps.runWorker !== false) worker.start();
      const host = opts.host && opts.host !== '::' && opts.host !== '0.0.0.0' ? opts.host : 'localhost';
      const url = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
      log.info({ port: address.port, localMode: config.localMode }, 'connector listening');
      return { url, port: address.port };
    },
    async stop() {
      if (server) {
        const s = server;
        server = undefined;
        const closed = new Promise<void>((resolve) => s.close(() => resolve()));
        // Keep-alive sockets become idle as their last response is sent: close them as they do,
        // rather than waiting for the client's keep-alive timeout.
        const sweep = setInterval(() => s.closeIdleConnections(), 50);
        // Requests still running get a grace period, then their sockets are closed.
        const timer = setTimeout(() => s.closeAllConnections(), 10_000);
        timer.unref();
        await closed;
        clearInterval(sweep);
        clearTimeout(timer);
      }
      await worker.stop();
    },
  };
}

/** `Response_Records__c` of the batch's org, from the settings cache (SPEC §3). */
function responseRecordsFrom(orgSettings: OrgSettingsCache) {
  return async (ctx: SyncContext) =>
    (await orgSettings.get({ ...ctx, callTimeoutMs: DEFAULT_CALL_TIMEOUT_MS })).responseRecords;
}

/** The usage route's read of an org's settings (through the metered Connection: the call counts);
 *  undefined without an economy or a connection, or when the read fails (logged). */
function settingsReader(deps: AppDeps, log: Logger) {
  const { economy, connections, config, metrics } = deps;
  if (!economy || !(connections instanceof ConnectionService)) return undefined;
  return async (accountId: string): Promise<OrgSettings | undefined> => {
    try {
      const { conn, orgId } = await connections.getSalesforceConnection(accountId);
      return await economy.settings.get({
        conn,
        orgId,
        accountId,
        namespace: config.sfNamespace,
        log,
        metrics,
        callTimeoutMs: DEFAULT_CALL_TIMEOUT_MS,
      });
    } catch (err) {
      log.warn({ accountId, err: message(err) }, 'org settings not read for the usage route');
      return undefined;
    }
  };
}
