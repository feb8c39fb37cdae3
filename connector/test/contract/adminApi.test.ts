import { startLocalOrg, type LocalOrg } from '@credspark/local-org';
import { consent } from '../connections/consent';
import { api, deliver, sampleEvent, startContractAppOnOrg, type ContractApp } from './harness';

/**
 * SPEC §5 "Connector admin API (contract)", route by route, through the real HTTP app with the
 * real ConnectionService, a SQLite file store and the local Salesforce org (OAuth consent page,
 * token, revoke, Metadata API). The sync engine is replaced by a scripted one (RecordingSync): §5
 * is about what the API reports, the engine has its own tests.
 */
let org: LocalOrg;
let h: ContractApp;
const RETURN = 'https://app.credspark.test/integrations/salesforce';

beforeAll(async () => {
  org = await startLocalOrg({ quiet: true });
});
afterAll(async () => {
  await org.close();
});
beforeEach(async () => {
  await fetch(`${org.url}/__local/reset`, { method: 'POST' });
  h = await startContractAppOnOrg(org, { ALLOWED_RETURN_ORIGINS: 'https://app.credspark.test' });
});
afterEach(async () => {
  await h.close();
});

async function authorizeUrl(accountId = 'acc_42', body: unknown = { returnUrl: RETURN }): Promise<URL> {
  const r = await api(h.url, `/api/accounts/${accountId}/connect`, { method: 'POST', body });
  expect(r.status).toBe(200);
  return new URL(r.json.authorizeUrl);
}
/** Connect through the consent page; returns the callback's reply. */
async function connect(accountId = 'acc_42', body: unknown = { returnUrl: RETURN }) {
  const redirect = await consent((await authorizeUrl(accountId, body)).toString(), 'allow');
  return fetch(redirect, { redirect: 'manual' });
}
const connection = async (accountId = 'acc_42') => (await api(h.url, `/api/accounts/${accountId}/connection`)).json;
const connectionMdt = async () =>
  (
    (await (
      await fetch(`${org.url}/__local/orgs/${org.demo.orgId}/records/credspark__CredSpark_Connection__mdt`)
    ).json()) as { records: Record<string, unknown>[] }
  ).records;

describe('§5 "Every /api/* route needs Authorization: Bearer <CONNECTOR_ADMIN_TOKEN> (else 401)"', () => {
  const routes: [string, string][] = [
    ['POST', '/api/accounts/acc_42/connect'],
    ['GET', '/api/accounts/acc_42/connection'],
    ['DELETE', '/api/accounts/acc_42/connection'],
    ['GET', '/api/accounts/acc_42/responses/rsp_1'],
    ['POST', '/api/accounts/acc_42/responses/rsp_1/retry'],
    ['GET', '/api/no/such/route'],
  ];
  const wrong: [string, string | undefined][] = [
    ['no Authorization header', undefined],
    ['a wrong token', 'Bearer contract-admin-token-0123456789abcdeX'],
    ['the token one character short', 'Bearer contract-admin-token-0123456789abcde'],
    ['the token under Basic', 'Basic contract-admin-token-0123456789abcdef'],
    ['Bearer without a token', 'Bearer '],
  ];

  it.each(routes)('%s %s: 401 JSON for a missing or wrong bearer (WWW-Authenticate: Bearer)', async (method, path) => {
    for (const [name, authorization] of wrong) {
      const r = await api(h.url, path, {
        method,
        ...(authorization === undefined ? { token: null } : { authorization }),
        ...(method === 'POST' ? { body: {} } : {}),
      });
      expect({ name, status: r.status }).toEqual({ name, status: 401 });
      expect(r.json).toEqual({ error: { code: 'UNAUTHORIZED', message: expect.any(String) } });
      expect(r.headers.get('www-authenticate')).toBe('Bearer');
    }
    const ok = await api(h.url, path, { method, ...(method === 'POST' ? { body: {} } : {}) });
    expect(ok.status).not.toBe(401);
  });
});

describe('§5 POST /api/accounts/{accountId}/connect', () => {
  it('"200 {"authorizeUrl"}": web server flow, PKCE S256, single-use state, scopes api refresh_token, redirect_uri = PUBLIC_URL + "/oauth/callback", loginUrl defaulting to SF_LOGIN_URL', async () => {
    const r = await api(h.url, '/api/accounts/acc_42/connect', { method: 'POST', body: {} });
    expect(r.status).toBe(200);
    expect(Object.keys(r.json)).toEqual(['authorizeUrl']);
    const url = new URL(r.json.authorizeUrl);
    expect(url.origin + url.pathname).toBe(`${org.url}/services/oauth2/authorize`);
    const p = url.searchParams;
    expect(p.get('response_type')).toBe('code');
    expect(p.get('client_id')).toBe(org.demo.clientId);
    expect(p.get('redirect_uri')).toBe(`${h.config.publicUrl}/oauth/callback`);
    expect(p.get('scope')!.split(' ').sort()).toEqual(['api', 'refresh_token']);
    expect(p.get('code_challenge_method')).toBe('S256');
    expect(p.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/); // base64url(SHA-256)
    expect(p.get('state')!.length).toBeGreaterThanOrEqual(16);
    expect((await authorizeUrl()).searchParams.get('state')).not.toBe(p.get('state'));
  });

  it('"loginUrl defaults to SF_LOGIN_URL": a given loginUrl (a Salesforce host) is used instead', async () => {
    for (const loginUrl of ['https://test.salesforce.com', 'https://acme.my.salesforce.com']) {
      expect((await authorizeUrl('acc_42', { loginUrl })).origin).toBe(loginUrl);
    }
  });

  it('a body that is not the documented shape is a 400 JSON error, not a 5xx', async () => {
    for (const body of [{ loginUrl: 42 }, { returnUrl: ['x'] }, { loginUrl: 'https://evil.example.com' }]) {
      const r = await api(h.url, '/api/accounts/acc_42/connect', { method: 'POST', body });
      expect(r.status).toBe(400);
      expect(r.json).toEqual({ error: { code: expect.any(String), message: expect.any(String) } });
    }
  });
});

describe('§5 GET /oauth/callback?code&state (no bearer)', () => {
  it('"exchanges the code, stores the connection, writes the Connection metadata record, then redirects to returnUrl"', async () => {
    const res = await connect();
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe(RETURN);
    expect(await connection()).toMatchObject({ status: 'connected', orgId: org.demo.orgId });
    expect(await connectionMdt()).toEqual([
      expect.objectContaining({
        DeveloperName: 'Default',
        credspark__Account_Id__c: 'acc_42',
        credspark__Status__c: 'Connected',
        credspark__Connected_User__c: org.demo.username,
      }),
    ]);
  });

  it('"(or shows a small "Connected" page)" without a returnUrl', async () => {
    const res = await connect('acc_42', {});
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(await res.text()).toMatch(/Connected/);
  });

  it('"error=access_denied … → nothing stored, a clear page"', async () => {
    const redirect = await consent((await authorizeUrl()).toString(), 'deny');
    expect(redirect.searchParams.get('error')).toBe('access_denied');
    const res = await fetch(redirect, { redirect: 'manual' });
    expect(res.status).toBeLessThan(500);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(await res.text()).toMatch(/not allowed|cancelled/i);
    expect((await connection()).status).toBe('not_connected');
    expect(await connectionMdt()).toEqual([]);
  });

  it('"a bad/expired state → nothing stored, a clear page": forged, missing, and reused states', async () => {
    const redirect = await consent((await authorizeUrl()).toString(), 'allow');
    const forged = new URL(redirect);
    forged.searchParams.set('state', 'forged-state-0123456789abcdef0123456789');
    for (const url of [forged.toString(), `${h.url}/oauth/callback?code=abc`]) {
      const res = await fetch(url, { redirect: 'manual' });
      expect(res.status).toBe(400);
      expect(await res.text()).toMatch(/start the connection again/i);
    }
    expect((await connection()).status).toBe('not_connected');
    expect((await fetch(redirect, { redirect: 'manual' })).status).toBe(302); // the real one still works once
    const reused = await fetch(redirect, { redirect: 'manual' });
    expect(reused.status).toBe(400);
    // The 10-minute expiry is driven by a clock: connector/test/connections/routes.test.ts
    // "an expired state (older than 10 minutes): 400 page, nothing stored".
  });
});

describe('§5 GET /api/accounts/{accountId}/connection', () => {
  it('"not_connected" for an account never connected: every documented member present', async () => {
    expect(await connection('acc_never')).toEqual({
      status: 'not_connected',
      orgId: null,
      instanceUrl: null,
      username: null,
      connectedAt: null,
    });
  });

  it('"connected" with orgId, instanceUrl, username, connectedAt (ISO 8601)', async () => {
    const before = Date.now();
    await connect();
    const body = await connection();
    expect(body).toEqual({
      status: 'connected',
      orgId: org.demo.orgId,
      instanceUrl: org.url,
      username: org.demo.username,
      connectedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/),
    });
    expect(Date.parse(body.connectedAt)).toBeGreaterThanOrEqual(before - 1000);
  });
});

describe('§5 DELETE /api/accounts/{accountId}/connection', () => {
  it('"revokes the token at Salesforce, marks the connection disconnected, sets Status__c to Disconnected; 204" — and webhooks are then ignored', async () => {
    await connect();
    const res = await api(h.url, '/api/accounts/acc_42/connection', { method: 'DELETE' });
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expect(await connection()).toEqual({
      status: 'disconnected',
      orgId: org.demo.orgId,
      instanceUrl: org.url,
      username: org.demo.username,
      connectedAt: expect.any(String),
      reason: 'disconnected_by_admin',
    });
    expect((await connectionMdt())[0]).toMatchObject({ credspark__Status__c: 'Disconnected' });
    expect((await deliver(h.url, sampleEvent())).json).toEqual({ status: 'ignored', reason: expect.any(String) });
    // "revoked" (invalid_grant on refresh) is covered with the local org in
    // connector/test/connections/localOrg.test.ts "a refresh token revoked by the org admin → disconnected (revoked)".
  });
});

describe('§5 GET /api/accounts/{accountId}/responses/{responseId} and POST …/retry', () => {
  const status = (responseId: string, accountId = 'acc_42') =>
    api(h.url, `/api/accounts/${accountId}/responses/${responseId}`);
  const retry = (responseId: string) =>
    api(h.url, `/api/accounts/acc_42/responses/${responseId}/retry`, { method: 'POST' });
  const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

  beforeEach(async () => {
    expect((await connect()).status).toBe(302);
  });

  it('"404 if unknown": an unknown id, and a known id under another account (JSON error body)', async () => {
    await deliver(h.url, sampleEvent({ responseId: 'rsp_known' }));
    for (const [accountId, responseId] of [
      ['acc_42', 'rsp_unknown'],
      ['acc_other', 'rsp_known'],
    ]) {
      const r = await status(responseId, accountId);
      expect(r.status).toBe(404);
      expect(r.json).toEqual({ error: { code: 'NOT_FOUND', message: expect.any(String) } });
    }
    expect((await retry('rsp_unknown')).status).toBe(404);
  });

  it('queued → failed (error {code,message}) → retry 202 → synced (object, recordId, action), attempts and updatedAt moving', async () => {
    let outcome: 'fail' | 'sync' = 'fail';
    h.sync.decide = (r) =>
      outcome === 'fail'
        ? {
            status: 'failed',
            code: 'REQUIRED_FIELD_NOT_MAPPED',
            message: 'Leads need LastName and Company',
            object: 'Lead',
          }
        : { status: 'synced', object: 'Lead', recordId: `00Q${r.responseId}`, action: 'created' };
    await deliver(h.url, sampleEvent({ responseId: 'rsp_life' }));
    const queued = await status('rsp_life');
    expect(queued.json).toEqual({ status: 'queued', attempts: 0, updatedAt: expect.stringMatching(ISO) });

    await h.app.worker.runOnce();
    const failed = (await status('rsp_life')).json;
    expect(failed).toEqual({
      status: 'failed',
      object: 'Lead',
      error: { code: 'REQUIRED_FIELD_NOT_MAPPED', message: 'Leads need LastName and Company' },
      attempts: 1,
      updatedAt: expect.stringMatching(ISO),
    });

    const r = await retry('rsp_life');
    expect(r.status).toBe(202);
    expect(r.json).toEqual({ status: 'queued' });
    expect((await status('rsp_life')).json).toEqual({
      status: 'queued',
      attempts: 1,
      updatedAt: expect.stringMatching(ISO),
    });

    outcome = 'sync';
    await h.app.worker.runOnce();
    const synced = (await status('rsp_life')).json;
    expect(synced).toEqual({
      status: 'synced',
      object: 'Lead',
      recordId: '00Qrsp_life',
      action: 'created',
      attempts: 2,
      updatedAt: expect.stringMatching(ISO),
    });
    expect(Date.parse(synced.updatedAt)).toBeGreaterThanOrEqual(Date.parse(failed.updatedAt));
  });

  it('a response waiting on a transient Salesforce error stays "queued", with that error, its attempts and waitingFor BACKOFF', async () => {
    h.sync.decide = () => ({
      status: 'retry',
      code: 'UNABLE_TO_LOCK_ROW',
      message: 'unable to obtain exclusive access',
    });
    await deliver(h.url, sampleEvent({ responseId: 'rsp_wait' }));
    await h.app.worker.runOnce();
    expect((await status('rsp_wait')).json).toEqual({
      status: 'queued',
      error: { code: 'UNABLE_TO_LOCK_ROW', message: 'unable to obtain exclusive access' },
      // SPEC §5 waitingFor: its retry is not due yet (the backoff), so it is not being synced now.
      waitingFor: 'BACKOFF',
      attempts: 1,
      updatedAt: expect.stringMatching(ISO),
    });
  });

  it.each(['SYNC_DISABLED', 'NOT_RETROACTIVE', 'UNKNOWN_INTERACTION'] as const)(
    '"skipped" with error.code %s; retry of a response skipped by rule is a 409, not a requeue',
    async (code) => {
      h.sync.decide = () => ({ status: 'skipped', code, message: `skipped: ${code}` });
      await deliver(h.url, sampleEvent({ responseId: 'rsp_skip' }));
      await h.app.worker.runOnce();
      expect((await status('rsp_skip')).json).toEqual({
        status: 'skipped',
        error: { code, message: `skipped: ${code}` },
        attempts: 1,
        updatedAt: expect.stringMatching(ISO),
      });
      const r = await retry('rsp_skip');
      expect(r.status).toBe(409);
      expect(r.json).toEqual({ error: { code: 'NOT_RETRYABLE', message: expect.stringMatching(/skipped/) } });
      expect((await status('rsp_skip')).json.status).toBe('skipped');
    },
  );

  it('retry of a response already queued: 202 {"status":"queued"}, left as it was (idempotent); of a synced one: 409', async () => {
    await deliver(h.url, sampleEvent({ responseId: 'rsp_q' }));
    const before = (await status('rsp_q')).json;
    const r = await retry('rsp_q');
    expect(r.status).toBe(202);
    expect(r.json).toEqual({ status: 'queued' });
    expect((await status('rsp_q')).json).toEqual(before);
    await h.app.worker.runOnce();
    expect((await status('rsp_q')).json.status).toBe('synced');
    expect((await retry('rsp_q')).status).toBe(409);
  });

  it('NOT_CONNECTED: queued work is skipped on disconnect, and retry after reconnecting requeues it (202)', async () => {
    await deliver(h.url, sampleEvent({ responseId: 'rsp_nc' }));
    expect((await api(h.url, '/api/accounts/acc_42/connection', { method: 'DELETE' })).status).toBe(204);
    expect((await status('rsp_nc')).json).toMatchObject({ status: 'skipped', error: { code: 'NOT_CONNECTED' } });
    expect((await connect()).status).toBe(302);
    expect((await retry('rsp_nc')).status).toBe(202);
    await h.app.worker.runOnce();
    expect((await status('rsp_nc')).json).toMatchObject({ status: 'synced' });
  });
});

describe('§5 "GET /healthz, GET /readyz, GET /metrics (no bearer)"', () => {
  it.each([
    ['no Authorization header', {}],
    ['a wrong bearer (ignored)', { authorization: 'Bearer wrong' }],
  ])('%s: liveness 200, readiness 200 (store reachable), Prometheus metrics', async (_name, headers) => {
    const healthz = await fetch(`${h.url}/healthz`, { headers });
    expect(healthz.status).toBe(200);
    const readyz = await fetch(`${h.url}/readyz`, { headers });
    expect(readyz.status).toBe(200);
    const metrics = await fetch(`${h.url}/metrics`, { headers });
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await metrics.text();
    expect(text).toMatch(/^# TYPE credspark_webhooks_received_total counter$/m);
    expect(text).toMatch(/^credspark_queue_depth \d+$/m);
  });

  it('"readiness (store reachable)": 503 once the store is not', async () => {
    await h.store.close();
    const r = await fetch(`${h.url}/readyz`);
    expect(r.status).toBe(503);
    expect((await fetch(`${h.url}/healthz`)).status).toBe(200); // liveness does not depend on the store
    h.store.close = async () => undefined; // already closed; afterEach closes again
  });
});
