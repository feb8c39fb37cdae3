import { randomBytes } from 'node:crypto';
import { buildConnector } from '../../src/buildConnector';
import { loadConfig } from '../../src/config/appConfig';

/** The routes as createApp mounts them (through buildConnector, main.ts's wiring): admin bearer, central JSON errors, callback headers. */
it('createApp mounts the connection routes behind requireAdmin, the callback without it', async () => {
  const adminToken = randomBytes(24).toString('base64url');
  const config = loadConfig({
    PORT: '0',
    PUBLIC_URL: 'https://connector.credspark.test',
    DATABASE_URL: 'sqlite::memory:',
    CREDSPARK_WEBHOOK_SECRET: randomBytes(24).toString('base64url'),
    CONNECTOR_ADMIN_TOKEN: adminToken,
    SF_CLIENT_ID: 'client-id',
    SF_CLIENT_SECRET: 'client-secret',
    TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    ALLOWED_RETURN_ORIGINS: 'https://app.credspark.test',
    LOG_LEVEL: 'silent',
  });
  const connector = await buildConnector({ config, syncResponses: async () => new Map(), runWorker: false });
  const { app } = connector;
  const { port } = await app.start({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${port}`;
  const post = (body: unknown, token?: string) =>
    fetch(`${base}/api/accounts/acc_42/connect`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
  try {
    expect((await post({})).status).toBe(401);
    const ok = await post({ returnUrl: 'https://app.credspark.test/done' }, adminToken);
    expect(ok.status).toBe(200);
    const authorizeUrl = new URL(((await ok.json()) as { authorizeUrl: string }).authorizeUrl);
    expect(authorizeUrl.origin).toBe('https://login.salesforce.com');
    expect(authorizeUrl.searchParams.get('redirect_uri')).toBe('https://connector.credspark.test/oauth/callback');
    const bad = await post({ returnUrl: 'https://evil.example.com/' }, adminToken);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('INVALID_RETURN_URL');
    const malformed = await fetch(`${base}/api/accounts/acc_42/connect`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
      body: '{"loginUrl":',
    });
    expect(malformed.status).toBe(400);
    const page = await fetch(`${base}/oauth/callback?state=unknown&code=x`);
    expect(page.status).toBe(400);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(page.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    expect(
      await (
        await fetch(`${base}/api/accounts/acc_42/connection`, { headers: { authorization: `Bearer ${adminToken}` } })
      ).json(),
    ).toMatchObject({
      status: 'not_connected',
    });
  } finally {
    await connector.close();
  }
});
