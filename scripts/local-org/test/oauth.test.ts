// OAuth 2.0 web server flow with PKCE against the local org, through jsforce 3.
// Sources: Salesforce Help "OAuth 2.0 Web Server Flow for Web App Integration", "OAuth 2.0
// Refresh Token Flow", "Revoke OAuth Tokens", "OAuth Error Codes".
import type { LocalOrg } from '../src';
import { connect, consent, control, oauth2, REDIRECT, useResetOrg, VERSION } from './helpers';

describe('OAuth 2.0 web server flow', () => {
  let org: LocalOrg;
  useResetOrg({ org: (o) => (org = o) });

  it('consent page names the connected app and its scopes; Allow gives a code and state', async () => {
    const url = oauth2(org).getAuthorizationUrl({ scope: 'api refresh_token', state: 'abc' });
    const html = await (await fetch(url)).text();
    expect(html).toContain('CredSpark Connector');
    expect(html).toContain('Manage user data via APIs (api)');
    expect(html).toContain('name="decision" value="allow"');
    const redirect = await consent(url, 'allow');
    expect(redirect.origin + redirect.pathname).toBe(REDIRECT);
    expect(redirect.searchParams.get('state')).toBe('abc');
    expect(redirect.searchParams.get('code')).toMatch(/^aPrx/);
  });

  it('token response has Salesforce fields, an opaque 00D…!… token and an identity URL', async () => {
    const o = oauth2(org);
    const code = (await consent(o.getAuthorizationUrl({ scope: 'api refresh_token' }), 'allow')).searchParams.get(
      'code',
    )!;
    const res: any = await o.requestToken(code);
    expect(res).toEqual({
      access_token: expect.stringMatching(/^00D[A-Za-z0-9]{12}![A-Za-z0-9]+$/),
      refresh_token: expect.any(String),
      signature: expect.any(String),
      scope: 'api refresh_token',
      instance_url: org.url,
      id: `${org.url}/id/${org.demo.orgId}/${res.id.split('/').pop()}`,
      token_type: 'Bearer',
      issued_at: expect.stringMatching(/^\d+$/),
    });
    expect(res.access_token.split('.')).toHaveLength(1);
    const identity: any = await (
      await fetch(res.id, { headers: { Authorization: `Bearer ${res.access_token}` } })
    ).json();
    expect(identity.username).toBe('admin@acme.local');
    expect(identity.organization_id).toBe(org.demo.orgId);
  });

  it('Deny redirects with error=access_denied and the state', async () => {
    const redirect = await consent(oauth2(org).getAuthorizationUrl({ scope: 'api', state: 's2' }), 'deny');
    expect(redirect.searchParams.get('error')).toBe('access_denied');
    expect(redirect.searchParams.get('state')).toBe('s2');
    expect(redirect.searchParams.get('code')).toBeNull();
  });

  it('autoApprove skips the consent page', async () => {
    await control(org, 'POST', '/__local/settings', { autoApprove: true });
    const res = await fetch(oauth2(org).getAuthorizationUrl({ scope: 'api', state: 'x' }), { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(new URL(res.headers.get('location')!).searchParams.get('code')).toBeTruthy();
  });

  it('a code is single use: the second exchange is invalid_grant', async () => {
    const o = oauth2(org);
    const code = (await consent(o.getAuthorizationUrl({ scope: 'api refresh_token' }), 'allow')).searchParams.get(
      'code',
    )!;
    await o.requestToken(code);
    await expect(o.requestToken(code)).rejects.toMatchObject({ name: 'invalid_grant' });
  });

  it('PKCE: a verifier that does not match the S256 challenge is invalid_grant', async () => {
    const o = oauth2(org);
    const code = (await consent(o.getAuthorizationUrl({ scope: 'api' }), 'allow')).searchParams.get('code')!;
    const other = oauth2(org); // its own, different verifier
    await expect(other.requestToken(code)).rejects.toMatchObject({
      name: 'invalid_grant',
      message: 'invalid code verifier',
    });
  });

  it('a redirect_uri other than the one authorized is redirect_uri_mismatch', async () => {
    const o = oauth2(org);
    const code = (await consent(o.getAuthorizationUrl({ scope: 'api' }), 'allow')).searchParams.get('code')!;
    const body = new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      client_id: org.demo.clientId,
      client_secret: org.demo.clientSecret,
      redirect_uri: 'http://127.0.0.1:10/oauth/callback',
      code_verifier: (o as any).codeVerifier,
    });
    const res = await fetch(`${org.url}/services/oauth2/token`, { method: 'POST', body });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: 'redirect_uri_mismatch',
      error_description: 'redirect_uri must match configuration',
    });
  });

  it('an unregistered callback URL is refused on the authorize page', async () => {
    const url = oauth2(org, { redirectUri: 'https://evil.example/cb' }).getAuthorizationUrl({ scope: 'api' });
    const res = await fetch(url, { redirect: 'manual' });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('redirect_uri_mismatch');
  });

  it('a wrong client secret is invalid_client', async () => {
    const o = oauth2(org, { clientSecret: 'wrong-secret-000' });
    const code = (await consent(o.getAuthorizationUrl({ scope: 'api' }), 'allow')).searchParams.get('code')!;
    const body = new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      client_id: org.demo.clientId,
      client_secret: 'wrong-secret-000',
      redirect_uri: REDIRECT,
      code_verifier: (o as any).codeVerifier,
    });
    const res = await fetch(`${org.url}/services/oauth2/token`, { method: 'POST', body });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'invalid_client', error_description: 'invalid client credentials' });
  });

  it('an expired session is refreshed by jsforce (refresh event) and the call succeeds', async () => {
    const conn = await connect(org);
    const first = conn.accessToken;
    const refreshed = jest.fn();
    conn.on('refresh', refreshed);
    await control(org, 'POST', `/__local/orgs/${org.demo.orgId}/expire-sessions`);
    const res = await conn.query('SELECT Id FROM Contact');
    expect(res.totalSize).toBe(0);
    expect(refreshed).toHaveBeenCalledTimes(1);
    expect(conn.accessToken).not.toBe(first);
  });

  it('after the admin revokes the app, refresh fails with expired access/refresh token', async () => {
    const conn = await connect(org);
    await control(org, 'POST', `/__local/orgs/${org.demo.orgId}/revoke`);
    await expect(conn.query('SELECT Id FROM Contact')).rejects.toThrow(/expired access\/refresh token/);
  });

  it('revoke endpoint kills the refresh token and its sessions', async () => {
    const conn = await connect(org);
    await oauth2(org).revokeToken(conn.refreshToken!);
    const res = await fetch(`${org.url}/services/data/v${VERSION}/limits`, {
      headers: { Authorization: `Bearer ${conn.accessToken}` },
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual([{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
    // Revoking it again: 400 invalid_token ("Revoking OAuth Tokens", Mobile SDK Developer Guide).
    const again = await fetch(`${org.url}/services/oauth2/revoke`, {
      method: 'POST',
      body: new URLSearchParams({ token: conn.refreshToken! }),
    });
    expect(again.status).toBe(400);
    expect(await again.json()).toMatchObject({ error: 'invalid_token' });
  });

  it('userinfo answers for a valid token', async () => {
    const conn = await connect(org);
    const res = await fetch(`${org.url}/services/oauth2/userinfo`, {
      headers: { Authorization: `Bearer ${conn.accessToken}` },
    });
    expect(await res.json()).toMatchObject({ preferred_username: 'admin@acme.local', organization_id: org.demo.orgId });
  });
});
