import { startHarness } from './harness';
import { openScratchSqlite } from '../store/sqliteForTests';
import { startStubSalesforce } from './stubSalesforce';

/**
 * Tokens never rest or log in clear text: after a full life cycle (connect, rotated refresh,
 * metadata writes, disconnect) neither the stored data nor the captured logs contain any token,
 * authorization code, PKCE verifier or the client secret.
 */
it('no token, code, verifier or client secret appears in the store or the logs', async () => {
  const sf = await startStubSalesforce();
  const db = await openScratchSqlite();
  const h = await startHarness({
    store: db.store,
    loginUrl: sf.url,
    clientId: sf.clientId,
    clientSecret: sf.clientSecret,
  });
  try {
    sf.rotateRefreshTokens = true;
    const res = await h.api('/api/accounts/acc_42/connect', { method: 'POST', body: {} });
    const { authorizeUrl } = (await res.json()) as { authorizeUrl: string };
    const verifier = h.service.cipher.decrypt(db.states()[0]!.codeVerifierEnc);
    const { code, state } = sf.approve(authorizeUrl);
    expect((await fetch(`${h.url}/oauth/callback?code=${code}&state=${state}`)).status).toBe(200);
    const storedStates = JSON.stringify(db.rows('oauth_states'));
    sf.expireSessions();
    await (await h.service.getSalesforceConnection('acc_42')).conn.limits();
    const storedWhileConnected = JSON.stringify(db.rows('connections'));
    expect((await h.api('/api/accounts/acc_42/connection', { method: 'DELETE' })).status).toBe(204);

    const secrets = [...sf.issued, verifier, sf.clientSecret, state];
    expect(secrets.length).toBeGreaterThanOrEqual(6);
    const haystacks = {
      logs: h.logs.join('\n'),
      store: storedStates + storedWhileConnected + JSON.stringify(db.rows('connections')),
    };
    expect(haystacks.logs.length).toBeGreaterThan(100); // the flow did log (ids)
    expect(haystacks.logs).toContain('acc_42');
    for (const [where, text] of Object.entries(haystacks)) {
      for (const secret of secrets) expect({ where, leaked: text.includes(secret) }).toEqual({ where, leaked: false });
    }
  } finally {
    await h.close();
    await sf.close();
    await db.close();
  }
});
