import { Connection } from 'jsforce';
import type { ConnectionRecord } from '../store/types';
import { NotConnectedError } from './errors';
import { MetadataWriteError, upsertCustomMetadata } from '../salesforce/customMetadata';
import { connectionRecord } from './connectionRecord';
import { OAuthError, refreshAccessToken, revokeToken, type RefreshResponse } from './oauthClient';
import { TokenCipher } from './tokenCipher';
import {
  DEFAULT_MAX_CACHED_CONNECTIONS,
  REASON_DISCONNECTED_BY_ADMIN,
  REASON_REVOKED,
  redirectUri,
  type ConnectionsDeps,
  type OrgConnections,
} from './types';

interface CachedConnection {
  conn: Connection;
  accountId: string;
  orgId: string;
  loginUrl: string;
  connectedAtMs: number;
  /** Every sealed refresh token this entry has held: a stale store read must not force a rebuild. */
  refreshTokenEncs: Set<string>;
}

/**
 * Hands out authenticated jsforce Connections per account and keeps their tokens fresh.
 *
 * Refresh: we pass jsforce our own `refreshFn` instead of relying on its built-in one plus a
 * `conn.on('refresh')` listener, because (1) jsforce drops a rotated `refresh_token` from the
 * refresh response and the next refresh would use a dead one, (2) its failure is a plain Error
 * without the OAuth error code, and (3) we want one token call in flight per account even when
 * two Connection objects exist for it (a cache rebuild during a running batch). jsforce still
 * serialises refreshes per Connection and retries the failed call once (REST 401, SOAP
 * INVALID_SESSION_ID).
 *
 * Concurrency is per process: several connector instances each refresh on their own; a refresh
 * token rotated by another instance is picked up from the store before declaring it revoked.
 */
export class ConnectionService implements OrgConnections {
  readonly cipher: TokenCipher;
  private readonly cache = new Map<string, CachedConnection>();
  private readonly refreshes = new Map<string, Promise<RefreshResponse>>();

  constructor(private readonly deps: ConnectionsDeps) {
    this.cipher = new TokenCipher(deps.config.tokenKeys);
  }

  /** Throws NotConnectedError when the account has no active connection. */
  async getSalesforceConnection(accountId: string): Promise<{ conn: Connection; orgId: string }> {
    const record = await this.deps.store.getConnection(accountId);
    if (!record || record.status !== 'connected') {
      this.evict(accountId);
      throw new NotConnectedError(accountId, record?.reason);
    }
    const entry = this.entryFor(record);
    return { conn: entry.conn, orgId: entry.orgId };
  }

  /** Writes the org's CredSpark_Connection.Default record (connect: Connected; disconnect: Disconnected). */
  async writeConnectionRecord(record: ConnectionRecord, status: 'Connected' | 'Disconnected'): Promise<void> {
    const entry = this.entryFor(record);
    // An admin's connect or disconnect is counted like every call but never held by the org's
    // budget or headroom (those hold sync, not the admin's own actions).
    const write = () =>
      upsertCustomMetadata(
        entry.conn,
        [
          connectionRecord(this.deps.config.sfNamespace, {
            accountId: record.accountId,
            status,
            username: record.username,
            connectedAt: record.connectedAt,
          }),
        ],
        () => this.countCall(record.orgId, 'metadata'),
      );
    const meter = this.deps.meter;
    const outcome = meter ? await meter.run({ beyondCap: true, probe: true }, write) : await write();
    if (outcome.failures.length) throw new MetadataWriteError(outcome.failures);
  }

  /**
   * Admin disconnect: stops syncing at once (connection disconnected, queued work skipped
   * NOT_CONNECTED), then — best effort, failures logged — writes Status__c = Disconnected while
   * the token still works and revokes the refresh token at Salesforce (which also revokes its
   * access tokens: Salesforce Help "Revoke OAuth Tokens"). Idempotent.
   */
  async disconnect(accountId: string): Promise<void> {
    const { store, log } = this.deps;
    const record = await store.getConnection(accountId);
    if (!record || record.status !== 'connected') return;
    const now = new Date();
    await store.markDisconnected(accountId, REASON_DISCONNECTED_BY_ADMIN, now);
    const skipped = await store.skipQueuedResponses(
      accountId,
      'NOT_CONNECTED',
      'The Salesforce connection was disconnected by an admin',
      now,
    );
    log.info({ accountId, orgId: record.orgId, skipped }, 'connection disconnected by admin');
    try {
      await this.writeConnectionRecord(record, 'Disconnected');
    } catch (err) {
      log.warn({ accountId, orgId: record.orgId, err: describe(err) }, 'could not write Status__c = Disconnected');
    }
    try {
      this.countCall(record.orgId, 'oauth');
      const entry = this.cache.get(accountId);
      const refreshToken = entry?.conn.refreshToken ?? this.cipher.decrypt(record.refreshTokenEnc);
      await revokeToken(record.loginUrl, refreshToken);
    } catch (err) {
      log.warn({ accountId, orgId: record.orgId, err: describe(err) }, 'token revocation at Salesforce failed');
    }
    this.evict(accountId);
    // Dead tokens serve no purpose; keep nothing secret for a disconnected account.
    await store.updateConnectionTokens(accountId, '', '', new Date());
  }

  /** Forgets the cached Connection (after reconnect or disconnect). */
  evict(accountId: string): void {
    this.cache.delete(accountId);
  }

  countCall(orgId: string, kind: string): void {
    this.deps.metrics.salesforceCalls.inc({ org: orgId, kind });
  }

  /** A REST API call made without a jsforce Connection (the connect flow's User query): it counts
   *  against the org's day like every API call (CallMeter.recordOutside). */
  async countApiCall(orgId: string, kind: string): Promise<void> {
    this.countCall(orgId, kind);
    await this.deps.meter?.recordOutside(orgId, kind);
  }

  /** jsforce Connections held in memory (bounded: maxCachedConnections). */
  get cachedConnections(): number {
    return this.cache.size;
  }

  /**
   * The account's Connection, least recently used dropped first beyond maxCachedConnections, so
   * memory follows the accounts being synced, not every account ever connected
   * (docs/architecture.md, "Fairness across tenants"). A dropped one is rebuilt from the stored
   * tokens (refreshed ones are persisted), without a call to Salesforce.
   */
  private entryFor(record: ConnectionRecord): CachedConnection {
    const cached = this.cache.get(record.accountId);
    this.cache.delete(record.accountId); // re-inserted last: the Map's order is recency
    const entry =
      cached &&
      cached.orgId === record.orgId &&
      cached.connectedAtMs === record.connectedAt.getTime() &&
      cached.refreshTokenEncs.has(record.refreshTokenEnc)
        ? cached
        : this.build(record);
    this.cache.set(record.accountId, entry);
    const max = this.deps.maxCachedConnections ?? DEFAULT_MAX_CACHED_CONNECTIONS;
    for (const oldest of this.cache.keys()) {
      if (this.cache.size <= max) break;
      this.cache.delete(oldest);
    }
    return entry;
  }

  private build(record: ConnectionRecord): CachedConnection {
    const { config } = this.deps;
    const entry: CachedConnection = {
      accountId: record.accountId,
      orgId: record.orgId,
      loginUrl: record.loginUrl,
      connectedAtMs: record.connectedAt.getTime(),
      refreshTokenEncs: new Set([record.refreshTokenEnc]),
      conn: undefined as unknown as Connection,
    };
    entry.conn = new Connection({
      version: config.sfApiVersion,
      loginUrl: record.loginUrl,
      instanceUrl: record.instanceUrl,
      accessToken: this.cipher.decrypt(record.accessTokenEnc),
      refreshToken: this.cipher.decrypt(record.refreshTokenEnc),
      oauth2: {
        loginUrl: record.loginUrl,
        clientId: config.sfClientId,
        clientSecret: config.sfClientSecret,
        redirectUri: redirectUri(config),
      },
      refreshFn: (conn, callback) => {
        this.refreshFor(entry, conn.refreshToken ?? '').then(
          (res) => {
            // What jsforce's own refresh does (connection.js oauthRefreshFn), plus the rotated token.
            conn._establish({
              instanceUrl: res.instance_url,
              accessToken: res.access_token,
              refreshToken: res.refresh_token,
            });
            callback(null, res.access_token, res as never);
          },
          (err: unknown) => {
            callback(err instanceof Error ? err : new Error(String(err)));
          },
        );
      },
    });
    this.deps.meter?.attach(entry.conn, record.orgId);
    return entry;
  }

  /** One token call in flight per account; concurrent callers share its result. */
  private refreshFor(entry: CachedConnection, refreshToken: string): Promise<RefreshResponse> {
    const inFlight = this.refreshes.get(entry.accountId);
    if (inFlight) return inFlight;
    const p = this.doRefresh(entry, refreshToken).finally(() => this.refreshes.delete(entry.accountId));
    this.refreshes.set(entry.accountId, p);
    return p;
  }

  private async doRefresh(
    entry: CachedConnection,
    refreshToken: string,
    allowStoreRetry = true,
  ): Promise<RefreshResponse> {
    const { store, config, log } = this.deps;
    const oauthCfg = {
      clientId: config.sfClientId,
      clientSecret: config.sfClientSecret,
      redirectUri: redirectUri(config),
    };
    try {
      this.countCall(entry.orgId, 'oauth');
      const raw = await refreshAccessToken(entry.loginUrl, oauthCfg, refreshToken);
      // "OAuth 2.0 Refresh Token Flow" (Salesforce Help): the response carries the org's current
      // `instance_url` — it changes when the org moved (instance refresh, My Domain change). Kept
      // only when it is a URL we would have accepted at connect time; else the known one stays.
      const instanceUrl =
        raw.instance_url === undefined ? undefined : checkInstanceUrl(raw.instance_url, entry.loginUrl);
      if (raw.instance_url !== undefined && instanceUrl === undefined) {
        log.warn(
          { accountId: entry.accountId, orgId: entry.orgId },
          'refresh response carried an instance_url that is not an https origin: ignored',
        );
      }
      const res: RefreshResponse = { ...raw, instance_url: instanceUrl };
      const accessEnc = this.cipher.encrypt(res.access_token);
      const refreshEnc = res.refresh_token ? this.cipher.encrypt(res.refresh_token) : undefined;
      if (refreshEnc) entry.refreshTokenEncs.add(refreshEnc);
      try {
        // The instance URL too: a restart (or another instance) builds its Connection from the store.
        await store.updateConnectionTokens(entry.accountId, accessEnc, refreshEnc, new Date(), instanceUrl);
      } catch (err) {
        log.error(
          { accountId: entry.accountId, orgId: entry.orgId, err: describe(err) },
          'could not persist refreshed tokens',
        );
      }
      log.debug(
        { accountId: entry.accountId, orgId: entry.orgId, rotated: Boolean(refreshEnc) },
        'access token refreshed',
      );
      return res;
    } catch (err) {
      if (!(err instanceof OAuthError) || err.oauthError !== 'invalid_grant') throw err;
      const latest = await store.getConnection(entry.accountId);
      if (!latest || latest.status !== 'connected' || latest.orgId !== entry.orgId) throw err;
      // Another instance may have rotated the refresh token: try the stored one before giving up.
      if (allowStoreRetry && !entry.refreshTokenEncs.has(latest.refreshTokenEnc) && latest.refreshTokenEnc) {
        entry.refreshTokenEncs.add(latest.refreshTokenEnc);
        return this.doRefresh(entry, this.cipher.decrypt(latest.refreshTokenEnc), false);
      }
      await this.markRevoked(entry);
      throw err;
    }
  }

  /** SPEC §5: a refresh token Salesforce rejects turns the connection disconnected, reason revoked. */
  private async markRevoked(entry: CachedConnection): Promise<void> {
    const now = new Date();
    await this.deps.store.markDisconnected(entry.accountId, REASON_REVOKED, now);
    const skipped = await this.deps.store.skipQueuedResponses(
      entry.accountId,
      'NOT_CONNECTED',
      'Salesforce access was revoked (invalid_grant); reconnect the account, then retry',
      now,
    );
    this.evict(entry.accountId);
    this.deps.log.warn(
      { accountId: entry.accountId, orgId: entry.orgId, skipped },
      'refresh token revoked: connection disconnected',
    );
  }
}

/**
 * The `instance_url` of a refresh response, checked before the connector sends the org's data and
 * tokens there: an absolute https origin (no user info, path, query or fragment), or http only when
 * the login URL itself is http (the local test org). Returns the normalised origin, or undefined.
 */
export function checkInstanceUrl(raw: string, loginUrl: string): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  let loginProtocol: string;
  try {
    loginProtocol = new URL(loginUrl).protocol;
  } catch {
    return undefined;
  }
  const protocolOk = url.protocol === 'https:' || (url.protocol === 'http:' && loginProtocol === 'http:');
  if (!protocolOk || url.username || url.password) return undefined;
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash || /[?#]/.test(raw)) return undefined;
  return url.origin;
}

/** Error text safe for logs: our OAuth errors never carry tokens; others keep name and message only. */
export function describe(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}
