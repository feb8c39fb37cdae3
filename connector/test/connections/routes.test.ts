import { queueResponse, startHarness, useStubStack, type Harness } from './harness';
import type { Store } from '../../src/store/types';
import { openScratchSqlite, type ScratchSqlite } from '../store/sqliteForTests';
import type { StubSalesforce } from './stubSalesforce';

/** SPEC §5 connection routes: validation, state handling, shapes, disconnect. */
describe('connection routes', () => {
  let sf: StubSalesforce;
  let store: Store;
  let db: ScratchSqlite;
  let h: Harness;

  useStubStack((s) => ({ sf, store, db, h } = s));

  const start = async (accountId = 'acc_42', body: unknown = {}) => {
    const res = await h.api(`/api/accounts/${accountId}/connect`, { method: 'POST', body });
    expect(res.status).toBe(200);
    return ((await res.json()) as { authorizeUrl: string }).authorizeUrl;
  };
  const callback = (query: string) => fetch(`${h.url}/oauth/callback?${query}`, { redirect: 'manual' });

  it('every /api route needs the admin bearer (401 otherwise)', async () => {
    for (const [method, path] of [
      ['POST', '/connect'],
      ['GET', '/connection'],
      ['DELETE', '/connection'],
    ] as const) {
      expect((await h.api(`/api/accounts/acc_42${path}`, { method, token: null })).status).toBe(401);
      expect(
        (await h.api(`/api/accounts/acc_42${path}`, { method, token: 'wrong-token-wrong-token-wrong' })).status,
      ).toBe(401);
    }
  });

  it('builds the authorize URL: web server flow, PKCE S256 (43–128 char verifier), scopes, redirect_uri, fresh state', async () => {
    const url = new URL(await start());
    expect(url.origin + url.pathname).toBe(`${sf.url}/services/oauth2/authorize`);
    const p = url.searchParams;
    expect(p.get('response_type')).toBe('code');
    expect(p.get('client_id')).toBe(sf.clientId);
    expect(p.get('redirect_uri')).toBe(`${h.url}/oauth/callback`);
    expect(p.get('scope')).toBe('api refresh_token');
    expect(p.get('code_challenge_method')).toBe('S256');
    expect(p.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(p.get('state')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const saved = db.states()[0]!;
    // Only the hash of the state is stored; the verifier is sealed and within RFC 7636 length.
    expect(saved.stateHash).not.toContain(p.get('state'));
    const verifier = h.service.cipher.decrypt(saved.codeVerifierEnc);
    expect(verifier.length).toBeGreaterThanOrEqual(43);
    expect(verifier.length).toBeLessThanOrEqual(128);
    expect(saved.expiresAt.getTime() - Date.now()).toBeGreaterThan(9 * 60_000);
    expect(saved.expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(10 * 60_000);
    expect(new URL(await start()).searchParams.get('state')).not.toBe(p.get('state'));
  });

  it.each([
    [{ loginUrl: 'https://evil.example.com' }, 'INVALID_LOGIN_URL'],
    [{ loginUrl: 'https://login.salesforce.com/path' }, 'INVALID_LOGIN_URL'],
    [{ loginUrl: 'https://user@login.salesforce.com' }, 'INVALID_LOGIN_URL'],
    [{ returnUrl: 'https://evil.example.com/phish' }, 'INVALID_RETURN_URL'],
    [{ returnUrl: 'https://app.credspark.test.evil.example/' }, 'INVALID_RETURN_URL'],
    [{ returnUrl: '//evil.example.com' }, 'INVALID_RETURN_URL'],
    [{ returnUrl: 42 }, 'INVALID_BODY'],
  ])('rejects %j with 400 %s and stores no state', async (body, code) => {
    const res = await h.api('/api/accounts/acc_42/connect', { method: 'POST', body });
    expect(res.status).toBe(400);
    const json = (await res.json()) as { error: { code: string; message: string } };
    expect(json.error.code).toBe(code);
    expect(json.error.message.length).toBeGreaterThan(10);
    expect(db.states()).toHaveLength(0);
  });

  it('rejects an account id that could not be an Account_Id__c (Text(64))', async () => {
    const res = await h.api(`/api/accounts/${'a'.repeat(65)}/connect`, { method: 'POST', body: {} });
    expect(res.status).toBe(400);
  });

  it('GET connection: not_connected, then connected with the SPEC §5 shape', async () => {
    expect(await (await h.api('/api/accounts/acc_42/connection')).json()).toEqual({
      status: 'not_connected',
      orgId: null,
      instanceUrl: null,
      username: null,
      connectedAt: null,
    });
    const { code, state } = sf.approve(await start());
    const cb = await callback(`code=${code}&state=${state}`);
    expect(cb.status).toBe(200);
    expect(await cb.text()).toMatch(/Connected/);
    const body = (await (await h.api('/api/accounts/acc_42/connection')).json()) as Record<string, unknown>;
    expect(body).toEqual({
      status: 'connected',
      orgId: sf.orgId,
      instanceUrl: sf.url,
      username: 'admin@stub.local',
      connectedAt: expect.any(String),
    });
    expect(Number.isNaN(Date.parse(body.connectedAt as string))).toBe(false);
  });

  it('a state works once: reusing it shows the expired page and changes nothing', async () => {
    const { code, state } = sf.approve(await start());
    expect((await callback(`code=${code}&state=${state}`)).status).toBe(200);
    const before = await store.getConnection('acc_42');
    expect(before).toBeDefined();
    const again = await callback(`code=${code}&state=${state}`);
    expect(again.status).toBe(400);
    expect(await again.text()).toMatch(/start the connection again/);
    expect(await store.getConnection('acc_42')).toEqual(before);
    expect(sf.calls.token).toBe(1);
  });

  it('an unknown (forged) or missing state: 400 page, no token call, nothing stored', async () => {
    await start();
    for (const q of ['code=abc&state=forged-state-value', 'code=abc', '']) {
      const res = await callback(q);
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/text\/html/);
    }
    expect(sf.calls.token).toBe(0);
    expect(db.connections()).toHaveLength(0);
  });

  it('an expired state (older than 10 minutes): 400 page, nothing stored', async () => {
    const { code, state } = sf.approve(await start());
    db.run('UPDATE oauth_states SET expires_at = ?', Date.now() - 1000);
    const res = await callback(`code=${code}&state=${state}`);
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/older than 10 minutes/);
    expect(sf.calls.token).toBe(0);
    expect(db.connections()).toHaveLength(0);
  });

  it('error=access_denied: friendly page with a way back, state consumed, nothing stored', async () => {
    const url = new URL(await start('acc_42', { returnUrl: 'https://app.credspark.test/settings' }));
    const state = url.searchParams.get('state')!;
    const res = await callback(`error=access_denied&error_description=end-user+denied+authorization&state=${state}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toMatch(/Connection cancelled/);
    expect(html).toContain('href="https://app.credspark.test/settings"');
    expect(db.connections()).toHaveLength(0);
    expect(db.states()).toHaveLength(0);
  });

  it('callback pages carry security headers (CSP, no-referrer, no-store, nosniff)', async () => {
    const res = await callback('state=nope');
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('escapes everything it prints', async () => {
    const { escapeHtml, page } = await import('../../src/connections/pages');
    expect(escapeHtml(`<script>"'&`)).toBe('&lt;script&gt;&quot;&#39;&amp;');
    expect(page({ title: '<b>', message: 'x', link: { href: 'https://a/?"><script>', text: 't' } })).not.toContain(
      '<script>',
    );
  });

  it('DELETE connection: Status__c Disconnected written, token revoked, disconnected_by_admin, queued work skipped, 204', async () => {
    const { code, state } = sf.approve(await start());
    await callback(`code=${code}&state=${state}`);
    await queueResponse(store, 'acc_42', 'rsp_1');
    const res = await h.api('/api/accounts/acc_42/connection', { method: 'DELETE' });
    expect(res.status).toBe(204);
    const last = sf.upserted.at(-1)!;
    expect(last.fullName).toBe('credspark__CredSpark_Connection.Default');
    expect(last.values.credspark__Status__c).toBe('Disconnected');
    expect(sf.calls.revoke).toBe(1);
    expect(sf.refreshTokens.size).toBe(0);
    expect(await store.getResponse('acc_42', 'rsp_1')).toMatchObject({ status: 'skipped', errorCode: 'NOT_CONNECTED' });
    expect(await (await h.api('/api/accounts/acc_42/connection')).json()).toMatchObject({
      status: 'disconnected',
      reason: 'disconnected_by_admin',
      orgId: sf.orgId,
    });
    expect((await store.getConnection('acc_42'))!.refreshTokenEnc).toBe('');
    // Idempotent.
    expect((await h.api('/api/accounts/acc_42/connection', { method: 'DELETE' })).status).toBe(204);
    expect(sf.calls.revoke).toBe(1);
  });

  it('DELETE still disconnects locally when Salesforce is unreachable (failures logged with ids only)', async () => {
    const { code, state } = sf.approve(await start());
    await callback(`code=${code}&state=${state}`);
    await sf.close();
    const res = await h.api('/api/accounts/acc_42/connection', { method: 'DELETE' });
    expect(res.status).toBe(204);
    expect(await store.getConnection('acc_42')).toMatchObject({
      status: 'disconnected',
      reason: 'disconnected_by_admin',
    });
    expect(h.logs.join('\n')).toMatch(/token revocation at Salesforce failed/);
  });

  it('reconnecting replaces the tokens (one account ↔ one org)', async () => {
    let a = sf.approve(await start());
    await callback(`code=${a.code}&state=${a.state}`);
    const first = (await store.getConnection('acc_42'))!;
    a = sf.approve(await start());
    await callback(`code=${a.code}&state=${a.state}`);
    const second = (await store.getConnection('acc_42'))!;
    expect(second.refreshTokenEnc).not.toBe(first.refreshTokenEnc);
    expect(h.service.cipher.decrypt(second.refreshTokenEnc)).not.toBe(h.service.cipher.decrypt(first.refreshTokenEnc));
    const { conn } = await h.service.getSalesforceConnection('acc_42');
    expect(conn.accessToken).toBe(h.service.cipher.decrypt(second.accessTokenEnc));
  });
});

describe('callback rate limit', () => {
  it('answers 429 with a friendly page beyond the per-minute limit', async () => {
    const scratch = await openScratchSqlite();
    const h = await startHarness({
      store: scratch.store,
      loginUrl: 'https://login.salesforce.com',
      clientId: 'id',
      clientSecret: 's',
      allowedReturnOrigins: [],
      localMode: false,
      callbackRateLimitPerMinute: 2,
    });
    const url = `${h.url}/oauth/callback?state=x`;
    try {
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await fetch(url)).status);
      expect(statuses).toEqual([400, 400, 429]);
      expect(await (await fetch(url)).text()).toMatch(/Too many attempts/);
    } finally {
      await h.close();
      await scratch.close();
    }
  });
});
