import type { DestinationStream } from 'pino';
import { createApp, type ConnectorApp } from './app';
import { createEconomy } from './budget/economy';
import type { AppConfig } from './config/appConfig';
import { ConnectionService } from './connections';
import { InteractionWriter } from './mirror/writer';
import { createLogger, type Logger } from './observability/logger';
import { createMetrics, type Metrics } from './observability/metrics';
import { openStore } from './store/openStore';
import type { Store } from './store/types';
import { createSyncEngine } from './sync/syncResponses';
import type { SyncResponses } from './sync/types';

export interface BuildConnectorOptions {
  config: AppConfig;
  /** The logger to use; by default one at config.logLevel writing to `logSink` (stdout if unset). */
  log?: Logger;
  /** Where the default logger writes (ignored when `log` is given). */
  logSink?: DestinationStream;
  /** The sync engine (default: a real one with its own caches, createSyncEngine). */
  syncResponses?: SyncResponses;
  /** Run the sync worker in this process once started (default true). */
  runWorker?: boolean;
  /** The clock for everything time-based (leases, due retries, signature tolerance). */
  clock?: () => Date;
}

export interface Connector {
  config: AppConfig;
  store: Store;
  log: Logger;
  metrics: Metrics;
  connections: ConnectionService;
  mirror: InteractionWriter;
  /** Not yet listening: call app.start(). */
  app: ConnectorApp;
  /** Stops the app (intake, then the worker's batches), then closes the store. */
  close(): Promise<void>;
}

/**
 * The connector's production wiring, shared by main.ts and everything that runs the real
 * connector in-process (tests, bench, reliability, preview): opens the store (running its
 * migrations), then the ConnectionService, the interaction mirror and the HTTP app with its worker.
 */
export async function buildConnector(opts: BuildConnectorOptions): Promise<Connector> {
  const { config } = opts;
  const log = opts.log ?? createLogger(config.logLevel, opts.logSink);
  const metrics = createMetrics();
  const store = await openStore(config.databaseUrl);
  const economy = createEconomy({ usage: store, namespace: config.sfNamespace, metrics, log, clock: opts.clock });
  const connections = new ConnectionService({ store, config, log, metrics, meter: economy.meter });
  const mirror = new InteractionWriter({ store, connections, namespace: config.sfNamespace, log, metrics });
  const app = createApp({
    config,
    store,
    log,
    metrics,
    connections,
    mirror,
    syncResponses: opts.syncResponses ?? createSyncEngine().sync,
    runWorker: opts.runWorker,
    clock: opts.clock,
    economy,
  });
  return {
    config,
    store,
    log,
    metrics,
    connections,
    mirror,
    app,
    async close() {
      await app.stop();
      await store.close();
    },
  };
}
