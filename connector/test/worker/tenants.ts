import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { LocalOrg } from '@credspark/local-org';
import { connectAutoApproved, control } from '../../../scripts/local-org/test/client';
import { loadConfig, type AppConfig } from '../../src/config/appConfig';
import { ConnectionService } from '../../src/connections';
import { seedDemoRule } from '../../src/localMode/demoSeed';
import { createLogger } from '../../src/observability/logger';
import { createMetrics } from '../../src/observability/metrics';
import { openStore } from '../../src/store/openStore';
import type { ClaimedResponse, Store } from '../../src/store/types';
import { InteractionWriter } from '../../src/mirror/writer';
import { createSyncEngine, type SyncEngine } from '../../src/sync/syncResponses';
import { Worker, type WorkerDeps } from '../../src/worker/worker';
import { completedEvent } from '../app/harness';

/**
 * Many tenants against one local org server: every CredSpark account connected (real OAuth web
 * server flow with PKCE, as the org's own admin) to its own org, with the demo Contact sync rule.
 * Used by the fairness and many-tenants tests.
 */
export interface Tenant {
  accountId: string;
  orgId: string;
}

/** Connector config pointed at the local org's demo connected app. */
export function tenantConfig(org: LocalOrg, databaseUrl: string): AppConfig {
  return loadConfig({
    CREDSPARK_WEBHOOK_SECRET: 'whsec_tenants_0123456789abcdef',
    CONNECTOR_ADMIN_TOKEN: 'tenants-admin-token-0123456789abcdef',
    SF_CLIENT_ID: org.demo.clientId,
    SF_CLIENT_SECRET: org.demo.clientSecret,
    SF_LOGIN_URL: org.url,
    TOKEN_ENCRYPTION_KEY: TOKEN_KEY,
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: 'silent',
  });
}
/** One key for every instance of a test: they share the stored (sealed) tokens. */
const TOKEN_KEY = randomBytes(32).toString('base64');

/** A SQLite file in a fresh directory; `cleanup` removes it. */
export function sqliteFile(): { url: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'tenants-'));
  return { url: `sqlite:${join(dir, 'connector.db')}`, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * A new org in the local org server, the demo sync rule in it, and `accountId` connected to it: the
 * authorization code flow is run as the org's admin (the consent form names the user), and the
 * tokens are sealed into the store as the OAuth callback would (ConnectionService's cipher).
 */
export async function connectTenant(
  org: LocalOrg,
  store: Store,
  svc: ConnectionService,
  name: string,
): Promise<Tenant> {
  const username = `admin@${name}.local`;
  const { orgId } = (await control(org, 'POST', '/__local/orgs', { name, username })) as { orgId: string };
  await seedDemoRule(org.url, orgId, 'credspark', new Date('2026-11-01T00:00:00Z'));
  const conn = await connectAutoApproved(org, { username });
  const now = new Date();
  const accountId = `acc_${name}`;
  await store.upsertConnection({
    accountId,
    status: 'connected',
    orgId,
    userId: conn.userInfo!.id,
    username,
    instanceUrl: conn.instanceUrl,
    loginUrl: org.url,
    accessTokenEnc: svc.cipher.encrypt(conn.accessToken!),
    refreshTokenEnc: svc.cipher.encrypt(conn.refreshToken!),
    connectedAt: now,
    updatedAt: now,
  });
  return { accountId, orgId };
}

/** `n` responses of the tenant stored as intake stores them (signed-webhook bodies, SPEC §4). */
export async function enqueue(store: Store, t: Tenant, n: number, tag = 'r'): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const responseId = `rsp_${t.accountId}_${tag}_${i}`;
    const event = completedEvent({
      id: `evt_${t.accountId}_${tag}_${i}`,
      accountId: t.accountId,
      responseId,
      answers: [
        { key: 'first_name', type: 'first_name', label: 'First Name', value: 'Ada' },
        { key: 'last_name', type: 'last_name', label: 'Last Name', value: `L${i}` },
        { key: 'email', type: 'email', label: 'Email', value: `${tag}.${i}.${t.accountId}@example.com` },
      ],
    });
    await store.insertEvent({
      eventId: event.id,
      accountId: t.accountId,
      type: event.type,
      body: JSON.stringify(event),
      receivedAt: new Date(),
      response: { responseId, interactionId: event.data.interaction.id, completedAt: new Date(event.data.completedAt) },
    });
    ids.push(responseId);
  }
  return ids;
}

export const setFaults = (org: LocalOrg, orgId: string, faults: Record<string, unknown>) =>
  control(org, 'POST', `/__local/orgs/${orgId}/faults`, faults);

/** What happened to the batches: every claim and every recorded outcome, in order. */
export class BatchLog {
  readonly claims: { accountId: string; n: number; inFlight: string[] }[] = [];
  /** Accounts with a claimed batch not yet fully recorded. */
  private readonly open = new Map<string, number>();
  maxInFlight = 0;

  /** The store, with claims and outcomes noted here on their way through. */
  wrap(store: Store): Store {
    return new Proxy(store, {
      get: (target, prop, receiver) => {
        const value = Reflect.get(target, prop, receiver) as unknown;
        if (prop === 'claimResponses') {
          return async (...args: Parameters<Store['claimResponses']>) => {
            const claimed: ClaimedResponse[] = await target.claimResponses(...args);
            if (claimed.length > 0) {
              this.open.set(args[0], claimed.length);
              this.maxInFlight = Math.max(this.maxInFlight, this.open.size);
              this.claims.push({ accountId: args[0], n: claimed.length, inFlight: [...this.open.keys()] });
            }
            return claimed;
          };
        }
        if (prop === 'completeResponse') {
          return async (...args: Parameters<Store['completeResponse']>) => {
            const kept = await target.completeResponse(...args);
            const left = (this.open.get(args[0]) ?? 1) - 1;
            if (left <= 0) this.open.delete(args[0]);
            else this.open.set(args[0], left);
            return kept;
          };
        }
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
  }

  /** Accounts in claim order. */
  order(): string[] {
    return this.claims.map((c) => c.accountId);
  }
}

/** A worker on `store` with the real ConnectionService and sync engine. */
export function tenantWorker(
  store: Store,
  svc: ConnectionService,
  config: AppConfig,
  over: Partial<WorkerDeps> & { concurrency?: number; batchSize?: number; engine?: SyncEngine } = {},
): Worker {
  const { concurrency, batchSize, engine, ...deps } = over;
  const log = createLogger('silent');
  const metrics = createMetrics();
  return new Worker({
    store,
    connections: svc,
    mirror: new InteractionWriter({ store, connections: svc, namespace: config.sfNamespace, log, metrics }),
    syncResponses: (engine ?? createSyncEngine()).sync,
    config: {
      ...config.worker,
      ...(concurrency ? { concurrency } : {}),
      ...(batchSize ? { batchSize } : {}),
    },
    namespace: config.sfNamespace,
    log,
    metrics,
    ...deps,
  });
}

export function connectionService(
  store: Store,
  config: AppConfig,
  over: { maxCachedConnections?: number } = {},
): ConnectionService {
  return new ConnectionService({ store, config, log: createLogger('silent'), metrics: createMetrics(), ...over });
}

export { openStore };

/** Polls `check` until it is true (no timing asserted: the deadline only ends a hung test). */
export async function until(check: () => Promise<boolean> | boolean, what: string, ms = 120_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
