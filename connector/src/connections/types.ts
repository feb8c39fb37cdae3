import type { Connection } from 'jsforce';
import type { AppConfig } from '../config/appConfig';
import type { ConnectionStore, QueueStore } from '../store/types';
import type { Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';

/**
 * The part of AppConfig (config/appConfig.ts) this feature reads — picked from it, so the two
 * cannot drift. Local mode allows plain-http loopback login URLs and returning to the connector.
 */
export type ConnectionsConfig = Pick<
  AppConfig,
  | 'publicUrl'
  | 'sfClientId'
  | 'sfClientSecret'
  | 'sfLoginUrl'
  | 'sfApiVersion'
  | 'sfNamespace'
  | 'tokenKeys'
  | 'allowedReturnOrigins'
  | 'localMode'
>;

export interface ConnectionsDeps {
  /** Connections and OAuth states; skipping queued work on disconnect. */
  store: ConnectionStore & Pick<QueueStore, 'skipQueuedResponses'>;
  config: ConnectionsConfig;
  log: Logger;
  metrics: Metrics;
  /** Most jsforce Connections kept in memory (least recently used dropped first; rebuilt from the
   *  stored tokens without a call). Default DEFAULT_MAX_CACHED_CONNECTIONS. */
  maxCachedConnections?: number;
  /** Counts and gates every API call of the Connections it builds (budget/callMeter.ts). */
  meter?: {
    attach(conn: import('jsforce').Connection, orgId: string): void;
    run<T>(scope: { beyondCap?: boolean; probe?: boolean }, fn: () => Promise<T>): Promise<T>;
    recordOutside(orgId: string, kind: string): Promise<void>;
  };
}

/** ≈ 8 KB each (a jsforce Connection and its sealed-token bookkeeping): at most ≈ 16 MB. */
export const DEFAULT_MAX_CACHED_CONNECTIONS = 2_000;

/** An authenticated jsforce Connection for an account's org (ConnectionService; fakes in tests). */
export interface OrgConnections {
  /** Throws NotConnectedError when the account has no active connection. */
  getSalesforceConnection(accountId: string): Promise<{ conn: Connection; orgId: string }>;
}

export const CALLBACK_PATH = '/oauth/callback';
export const STATE_TTL_MS = 10 * 60 * 1000;
/** Reasons recorded with a disconnected connection (GET …/connection `reason`). */
export const REASON_REVOKED = 'revoked';
export const REASON_DISCONNECTED_BY_ADMIN = 'disconnected_by_admin';

export function redirectUri(config: Pick<ConnectionsConfig, 'publicUrl'>): string {
  // PUBLIC_URL + "/oauth/callback" (SPEC §5), keeping any path prefix PUBLIC_URL has.
  return config.publicUrl.replace(/\/+$/, '') + CALLBACK_PATH;
}
