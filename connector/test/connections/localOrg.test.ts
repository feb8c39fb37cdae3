import { startLocalOrg, type LocalOrg } from '@credspark/local-org';
import { isInvalidGrant, NotConnectedError } from '../../src/connections';
import { OAuthError, refreshAccessToken } from '../../src/connections/oauthClient';
import { consent } from './consent';
import { openStore } from '../../src/store/openStore';
import type { OAuthStateRecord, Store } from '../../src/store/types';
import { callCount, queueResponse, startHarness, withStateHook, type Harness } from './harness';

/**
 * The whole connect / refresh / disconnect life cycle through the local org's consent page,
 * OAuth endpoints, REST and Metadata API, with real jsforce (Salesforce Help "OAuth 2.0 Web
 * Server Flow for Web App Integration").
 */
describe('connections through the local org', () => {
  let org: LocalOrg;
  let store: Store;
  let hook: { onInsertState?: (r: OAuthStateRecord) => OAuthStateRecord };
  let h: Harness;
  const RETURN = 'https://app.credspark.test/integrations/salesforce';

  beforeAll(async () => {
    org = await startLocalOrg({ quiet: true });
  });
  afterAll(async () => {
    await org.close();
  });
  beforeEach(async () => {
    await control('POST', '/__local/reset');
    ({ store, hook } = withStateHook(await openStore('sqlite::memory:')));
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
  const connectionOf = (accountId = 'acc_42') => store.getConnection(accountId);

  async function control(method: string, path: string, body?: unknown): Promise<any> {
    const res = await fetch(org.url + path, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${method} ${path} → ${res.status}`);
    const text = await res.text();
    return text ? JSON.parse(text) : undefined;
  }
  const apiCalls = async () =>
    (await control('GET', `/__local/orgs/${org.demo.orgId}/api-calls`)) as {
      total: number;
      byKind: Record<string, number>;
    };
  const connectionMdt = async () =>
    (
      (await control('GET', `/__local/orgs/${org.demo.orgId}/records/credspark__CredSpark_Connection__mdt`)) as {
        records: Record<string, unknown>[];
      }
    ).records;

  async function authorize(accountId = 'acc_42', body: unknown = { returnUrl: RETURN }): Promise<string> {
    const res = await h.api(`/api/accounts/${accountId}/connect`, { method: 'POST', body });
    expect(res.status).toBe(200);
    return ((await res.json()) as { authorizeUrl: string }).authorizeUrl;
  }
  async function connect(accountId = 'acc_42'): Promise<Response> {
    const redirect = await consent(await authorize(accountId), 'allow');
    expect(redirect.origin + redirect.pathname).toBe(`${h.url}/oauth/callback`);
    return fetch(redirect, { redirect: 'manual' });
  }

  it('Allow on the consent page connects: redirect to returnUrl, Connected shown, Connection record in the org', async () => {
    const res = await connect();
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe(RETURN);
    expect(await (await h.api('/api/accounts/acc_42/connection')).json()).toEqual({
      status: 'connected',
      orgId: org.demo.orgId,
      instanceUrl: org.url,
      username: org.demo.username,
      connectedAt: expect.any(String),
    });
    const { conn } = await h.service.getSalesforceConnection('acc_42');
    const soql = await conn.query<Record<string, unknown>>(
      "SELECT DeveloperName, credspark__Account_Id__c, credspark__Status__c, credspark__Connected_User__c FROM credspark__CredSpark_Connection__mdt WHERE DeveloperName = 'Default'",
    );
    expect(soql.records).toHaveLength(1);
    expect(soql.records[0]).toMatchObject({
      credspark__Account_Id__c: 'acc_42',
      credspark__Status__c: 'Connected',
      credspark__Connected_User__c: org.demo.username,
    });
  });

  it('connecting learns the username with one REST query of the User (api scope only), counted alike by both sides', async () => {
    // Salesforce Help "OAuth Tokens and Scopes": with `api refresh_token` the REST API answers, while the identity
    // URL needs `id` and UserInfo `openid`; the local org serves User like a real org, so no fallback is tried.
    await control('POST', `/__local/orgs/${org.demo.orgId}/api-calls/reset`);
    const oauthBefore = await callCount(h, org.demo.orgId, 'oauth');
    const queryBefore = await callCount(h, org.demo.orgId, 'query');
    expect((await connect()).status).toBe(302);
    expect((await connectionOf())!.username).toBe(org.demo.username);
    const calls = await apiCalls();
    // The org: the token exchange (OAuth, outside the allocation) and one query; no identity URL, no UserInfo.
    expect(calls.byKind.oauth).toBe(1);
    expect(calls.byKind.query).toBe(1);
    // The connector: the token exchange (oauth) and the User query (query: an API call), each once.
    expect((await callCount(h, org.demo.orgId, 'oauth')) - oauthBefore).toBe(1);
    expect((await callCount(h, org.demo.orgId, 'query')) - queryBefore).toBe(1);
    // Every call the org counts against the allocation, the connector counted too.
    const ours = (await h.metrics.salesforceCalls.get()).values
      .filter((v) => v.labels.org === org.demo.orgId)
      .reduce((n, v) => n + v.value, 0);
    expect(ours).toBe(calls.total + calls.byKind.oauth);
  });

  it('Deny on the consent page: a clear page, nothing stored, no metadata written', async () => {
    const redirect = await consent(await authorize(), 'deny');
    expect(redirect.searchParams.get('error')).toBe('access_denied');
    const res = await fetch(redirect, { redirect: 'manual' });
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/Connection cancelled/);
    expect(await connectionOf()).toBeUndefined();
    expect(await connectionMdt()).toHaveLength(0);
    expect((await (await h.api('/api/accounts/acc_42/connection')).json()) as object).toMatchObject({
      status: 'not_connected',
    });
  });

  it('a reused state is refused the second time', async () => {
    const redirect = await consent(await authorize(), 'allow');
    expect((await fetch(redirect, { redirect: 'manual' })).status).toBe(302);
    const again = await fetch(redirect, { redirect: 'manual' });
    expect(again.status).toBe(400);
    expect(await again.text()).toMatch(/already used/);
  });

  it('a forged state (valid code, unknown state) is refused and stores nothing', async () => {
    const redirect = await consent(await authorize(), 'allow');
    redirect.searchParams.set('state', 'forged' + redirect.searchParams.get('state')!.slice(6));
    const res = await fetch(redirect, { redirect: 'manual' });
    expect(res.status).toBe(400);
    expect(await connectionOf()).toBeUndefined();
  });

  it('an expired state (10 minutes) is refused and stores nothing', async () => {
    hook.onInsertState = (r) => ({ ...r, expiresAt: new Date(Date.now() - 1) });
    const redirect = await consent(await authorize(), 'allow');
    const res = await fetch(redirect, { redirect: 'manual' });
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/older than 10 minutes/);
    expect(await connectionOf()).toBeUndefined();
  });

  it('PKCE mismatch: a tampered stored verifier makes Salesforce refuse the code; nothing stored', async () => {
    hook.onInsertState = (r) => ({ ...r, codeVerifierEnc: h.service.cipher.encrypt('A'.repeat(86)) });
    const res = await fetch(await consent(await authorize(), 'allow'), { redirect: 'manual' });
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/did not accept the authorization/);
    expect(await connectionOf()).toBeUndefined();
  });

  it('open-redirect and foreign login hosts are rejected before any Salesforce call', async () => {
    for (const body of [
      { returnUrl: 'https://evil.example.com/' },
      { loginUrl: 'https://evil.example.com' },
      { loginUrl: `${org.url}/services` },
    ]) {
      const res = await h.api('/api/accounts/acc_42/connect', { method: 'POST', body });
      expect(res.status).toBe(400);
    }
  });

  it('expired sessions: concurrent calls cause ONE token refresh (api-calls oauth)', async () => {
    await connect();
    const { conn } = await h.service.getSalesforceConnection('acc_42');
    await conn.query('SELECT Id FROM Contact LIMIT 1');
    await control('POST', `/__local/orgs/${org.demo.orgId}/expire-sessions`);
    await control('POST', `/__local/orgs/${org.demo.orgId}/api-calls/reset`);
    const before = await callCount(h, org.demo.orgId, 'oauth');
    await Promise.all(
      Array.from({ length: 6 }, async () =>
        (await h.service.getSalesforceConnection('acc_42')).conn.query('SELECT Id FROM Contact LIMIT 1'),
      ),
    );
    expect((await apiCalls()).byKind.oauth).toBe(1);
    expect((await callCount(h, org.demo.orgId, 'oauth')) - before).toBe(1);
    expect((await connectionOf())!.status).toBe('connected');
  });

  it('a refresh token revoked by the org admin → disconnected (revoked), work skipped, NotConnectedError', async () => {
    await connect();
    await queueResponse(store, 'acc_42', 'rsp_1');
    const { conn } = await h.service.getSalesforceConnection('acc_42');
    await control('POST', `/__local/orgs/${org.demo.orgId}/revoke`);
    const err = await conn.query('SELECT Id FROM Contact LIMIT 1').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isInvalidGrant(err)).toBe(true);
    expect(await (await h.api('/api/accounts/acc_42/connection')).json()).toMatchObject({
      status: 'disconnected',
      reason: 'revoked',
    });
    expect(await store.getResponse('acc_42', 'rsp_1')).toMatchObject({ status: 'skipped', errorCode: 'NOT_CONNECTED' });
    await expect(h.service.getSalesforceConnection('acc_42')).rejects.toBeInstanceOf(NotConnectedError);
  });

  it('disconnect: Status__c Disconnected in the org, refresh token revoked at Salesforce, 204', async () => {
    await connect();
    const refreshToken = h.service.cipher.decrypt((await connectionOf())!.refreshTokenEnc);
    const res = await h.api('/api/accounts/acc_42/connection', { method: 'DELETE' });
    expect(res.status).toBe(204);
    const records = await connectionMdt();
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ credspark__Status__c: 'Disconnected', credspark__Account_Id__c: 'acc_42' });
    const cfg = {
      clientId: org.demo.clientId,
      clientSecret: org.demo.clientSecret,
      redirectUri: `${h.url}/oauth/callback`,
    };
    const refused = await refreshAccessToken(org.url, cfg, refreshToken).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(OAuthError);
    expect((refused as OAuthError).oauthError).toBe('invalid_grant');
    expect(await (await h.api('/api/accounts/acc_42/connection')).json()).toMatchObject({
      status: 'disconnected',
      reason: 'disconnected_by_admin',
    });
  });

  it('interaction metadata is written only when its content changed (api-calls metadata)', async () => {
    await connect();
    const add = (id: string, name: string, hash: string) =>
      store.upsertInteraction({
        accountId: 'acc_42',
        interactionId: id,
        name,
        fieldsJson: '[{"key":"email","label":"Email","type":"email"}]',
        contentHash: hash,
        updatedAt: new Date(),
      });
    await add('int_q4_webinar', 'Q4 Webinar Quiz', 'h1');
    await control('POST', `/__local/orgs/${org.demo.orgId}/api-calls/reset`);
    await h.mirror.write('acc_42');
    expect((await apiCalls()).byKind.metadata).toBe(1);
    await h.mirror.write('acc_42');
    await add('int_q4_webinar', 'Q4 Webinar Quiz', 'h1');
    await h.mirror.write('acc_42');
    expect((await apiCalls()).byKind.metadata).toBe(1);
    await add('int_q4_webinar', 'Q4 Webinar Quiz (final)', 'h2');
    await h.mirror.write('acc_42');
    expect((await apiCalls()).byKind.metadata).toBe(2);
    const { records } = (await control(
      'GET',
      `/__local/orgs/${org.demo.orgId}/records/credspark__CredSpark_Interaction__mdt`,
    )) as { records: Record<string, unknown>[] };
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      MasterLabel: 'Q4 Webinar Quiz (final)',
      credspark__Interaction_Id__c: 'int_q4_webinar',
    });
  });
});
