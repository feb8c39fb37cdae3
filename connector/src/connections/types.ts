import type { Store } from '../store/types';
import type { Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';

/**
 * The part of AppConfig (config/appConfig.ts) this feature reads. AppConfig is a structural
 * superset, so `new ConnectionService({ config: appConfig, … })` type-checks as is.
 */
export interface ConnectionsConfig {
  /** The connector's external base URL; redirect_uri = publicUrl + /oauth/callback. */
  publicUrl: string;
  sfClientId: string;
  sfClientSecret: string;
  /** Default login host when a connect request names none. */
  sfLoginUrl: string;
  sfApiVersion: string;
  /** '' for an unpackaged org, else e.g. 'credspark'. */
  sfNamespace: string;
  /** TOKEN_ENCRYPTION_KEY entries: the first encrypts, all decrypt. */
  tokenKeys: Buffer[];
  allowedReturnOrigins: string[];
  /** Local mode allows plain-http loopback login URLs and returning to the connector itself. */
  localMode: boolean;
}

export interface ConnectionsDeps {
  store: Store;
  config: ConnectionsConfig;
  log: Logger;
  metrics: Metrics;
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
