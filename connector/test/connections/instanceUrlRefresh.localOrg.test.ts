import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalOrg, type LocalOrg } from '@credspark/local-org';
import { ConnectionService } from '../../src/connections';
import { checkInstanceUrl } from '../../src/connections/connectionService';
import { createLogger } from '../../src/observability/logger';
import { createMetrics } from '../../src/observability/metrics';
import { openStore } from '../../src/store/openStore';
import type { Store } from '../../src/store/types';
import { consent } from './consent';
import { startHarness, type Harness } from './harness';

/**
 * Salesforce Help "OAuth 2.0 Refresh Token Flow": the refresh response carries the org's current
 * `instance_url`, which changes when the org moves to another instance. The connector keeps it in
 * the store with the refreshed tokens, so a restarted connector (a new ConnectionService on the
 * same database) talks to the new instance — and keeps the old one when the URL is not one it
 * would trust. The local org is told to answer refreshes with another instance URL
 * (POST /__local/orgs/:orgId/refresh-instance-url); `localhost` instead of `127.0.0.1` is another
 * origin served by the same local org.
 */
describe('instance URL moved by a token refresh (local org)', () => {
  let org: LocalOrg;
  let dir: string;
  let file: string;
  let store: Store;
  let h: Harness;

  beforeAll(async () => {
    org = await startLocalOrg({ quiet: true });
    dir = mkdtempSync(join(tmpdir(), 'instance-url-'));
  });
  afterAll(async () => {
    await org.close();
    rmSync(dir, { recursive: true, force: true });
  });
  let n = 0;
  beforeEach(async () => {
    await control('POST', '/__local/reset');
    file = join(dir, `c${n++}.db`);
    store = await openStore(`sqlite:${file}`);
    h = await startHarness({
      store,
      loginUrl: org.url,
      clientId: org.demo.clientId,
      clientSecret: org.demo.clientSecret,
    });
  });
  afterEach(async () => {
    await h.close();
    await store.close();
  });

  async function control(method: string, path: string, body?: unknown): Promise<unknown> {
    const res = await fetch(org.url + path, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${method} ${path} → ${res.status}`);
    return res.json();
  }
  async function connect(accountId = 'acc_42'): Promise<void> {
    const res = await h.api(`/api/accounts/${accountId}/connect`, {
      method: 'POST',
      body: { returnUrl: 'https://app.credspark.test/integrations/salesforce' },
    });
    const { authorizeUrl } = (await res.json()) as { authorizeUrl: string };
    const redirect = await consent(authorizeUrl, 'allow');
    expect((await fetch(redirect, { redirect: 'manual' })).status).toBe(302);
    expect((await store.getConnection(accountId))?.instanceUrl).toBe(org.url);
  }
  /** The org moves; the access token expires, so the next call refreshes it. */
  async function moveAndExpire(instanceUrl: string): Promise<void> {
    await control('POST', `/__local/orgs/${org.demo.orgId}/refresh-instance-url`, { instanceUrl });
    await control('POST', `/__local/orgs/${org.demo.orgId}/expire-sessions`);
  }
  const restarted = async () => {
    const again = await openStore(`sqlite:${file}`); // another process on the same database
    const service = new ConnectionService({
      store: again,
      config: h.config, // same token keys
      log: createLogger('silent'),
      metrics: createMetrics(),
    });
    return { service, close: () => again.close() };
  };

  it('keeps the new instance_url with the refreshed tokens; a new ConnectionService on the same store uses it', async () => {
    await connect();
    const moved = org.url.replace('127.0.0.1', 'localhost');
    expect(moved).not.toBe(org.url);
    await moveAndExpire(moved);
    const { conn } = await h.service.getSalesforceConnection('acc_42');
    await conn.query('SELECT Id FROM Contact LIMIT 1'); // 401 → refresh → retried on the new instance
    expect(conn.instanceUrl).toBe(moved);
    expect((await store.getConnection('acc_42'))?.instanceUrl).toBe(moved);

    const after = await restarted();
    try {
      const fresh = (await after.service.getSalesforceConnection('acc_42')).conn;
      expect(fresh.instanceUrl).toBe(moved);
      const result = await fresh.query<{ Id: string }>('SELECT Id FROM Contact LIMIT 1');
      expect(result.done).toBe(true);
    } finally {
      await after.close();
    }
  });

  it('an instance_url it would not trust (a path and query: not an origin) is ignored: the known instance stays, live and stored', async () => {
    await connect();
    await moveAndExpire(`${org.url.replace('127.0.0.1', 'localhost')}/services?x=1`);
    const { conn } = await h.service.getSalesforceConnection('acc_42');
    await conn.query('SELECT Id FROM Contact LIMIT 1');
    expect(conn.instanceUrl).toBe(org.url);
    expect((await store.getConnection('acc_42'))?.instanceUrl).toBe(org.url);
    expect(h.logs.join('')).toContain('instance_url that is not an https origin');
  });
});

describe('checkInstanceUrl (what a refresh response may move the org to)', () => {
  it('accepts an https origin, normalised; http only when the login URL is http', () => {
    expect(checkInstanceUrl('https://acme.my.salesforce.com', 'https://login.salesforce.com')).toBe(
      'https://acme.my.salesforce.com',
    );
    expect(checkInstanceUrl('https://acme.my.salesforce.com/', 'https://login.salesforce.com')).toBe(
      'https://acme.my.salesforce.com',
    );
    expect(checkInstanceUrl('http://acme.my.salesforce.com', 'https://login.salesforce.com')).toBeUndefined();
    expect(checkInstanceUrl('http://127.0.0.1:4500', 'http://127.0.0.1:4500')).toBe('http://127.0.0.1:4500');
  });

  it('refuses what is not an origin or not a web URL', () => {
    const login = 'https://login.salesforce.com';
    for (const bad of [
      'acme.my.salesforce.com',
      'ftp://acme.my.salesforce.com',
      'javascript:alert(1)',
      'https://user:pw@acme.my.salesforce.com',
      'https://acme.my.salesforce.com/services/data',
      'https://acme.my.salesforce.com?x=1',
      'https://acme.my.salesforce.com#f',
    ])
      expect(checkInstanceUrl(bad, login)).toBeUndefined();
  });
});
