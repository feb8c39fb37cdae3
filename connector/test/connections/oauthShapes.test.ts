import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OAuthError, refreshAccessToken } from '../../src/connections/oauthClient';

/**
 * Token endpoint answers as Salesforce Help documents them, served by a bare HTTP server:
 * "OAuth 2.0 Refresh Token Flow" — the response carries a new access_token (refresh_token only
 * when rotation is on; instance_url, id, issued_at, signature, scope, token_type alongside);
 * failures are `{ error, error_description }`, and an unavailable instance may answer with a page.
 */
describe('refreshAccessToken against documented token endpoint answers', () => {
  let server: Server;
  let url: string;
  let reply: { status: number; type: string; body: string };

  beforeAll(async () => {
    server = createServer((_req, res) => {
      res.writeHead(reply.status, { 'content-type': reply.type });
      res.end(reply.body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const cfg = { clientId: 'cid', clientSecret: 'secret', redirectUri: 'https://x/oauth/callback' };
  const json = (status: number, body: unknown) => ({ status, type: 'application/json', body: JSON.stringify(body) });

  it('the full documented response: access token, no refresh_token, instance_url and id read', async () => {
    reply = json(200, {
      access_token: 'AT2',
      signature: 'c2ln',
      scope: 'refresh_token api',
      instance_url: 'https://acme.my.salesforce.com',
      id: 'https://login.salesforce.com/id/00D000000000001AAA/005000000000001AAA',
      token_type: 'Bearer',
      issued_at: '1764385488000',
    });
    const res = await refreshAccessToken(url, cfg, 'RT');
    expect(res).toMatchObject({ access_token: 'AT2', instance_url: 'https://acme.my.salesforce.com' });
    expect(res.refresh_token).toBeUndefined();
  });

  it('only an access_token is needed to go on (instance_url and id optional on refresh)', async () => {
    reply = json(200, { access_token: 'AT3', token_type: 'Bearer' });
    expect(await refreshAccessToken(url, cfg, 'RT')).toEqual({ access_token: 'AT3' });
  });

  it('a rotated refresh_token is passed on', async () => {
    reply = json(200, { access_token: 'AT4', refresh_token: 'RT2', instance_url: 'https://acme.my.salesforce.com' });
    expect((await refreshAccessToken(url, cfg, 'RT')).refresh_token).toBe('RT2');
  });

  it('{ error, error_description } becomes an OAuthError named by the OAuth error', async () => {
    reply = json(400, { error: 'invalid_grant', error_description: 'expired access/refresh token' });
    const err = await refreshAccessToken(url, cfg, 'RT').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OAuthError);
    expect(err).toMatchObject({ oauthError: 'invalid_grant', status: 400 });
  });

  it('an HTML 503 page becomes http_503 (retryable once classified)', async () => {
    reply = { status: 503, type: 'text/html', body: '<html><body>Service Unavailable</body></html>' };
    const err = await refreshAccessToken(url, cfg, 'RT').catch((e: unknown) => e);
    expect(err).toMatchObject({ oauthError: 'http_503', status: 503 });
  });
});
