/**
 * The connector's public API, for whatever runs it in-process (tests, benchmarks, the preview):
 * the wiring main.ts uses, the configuration it reads, and the store it opens.
 */
export { buildConnector, type BuildConnectorOptions, type Connector } from './buildConnector';
export { createApp, type AppDeps, type ConnectorApp } from './app';
export { ConfigError, loadConfig, type AppConfig } from './config/appConfig';
export { openStore } from './store/openStore';
export type { Store } from './store/types';
export { createSyncEngine, type SyncEngine, type SyncEngineOptions } from './sync/syncResponses';
export type { SyncContext, SyncOutcome, SyncResponses } from './sync/types';
