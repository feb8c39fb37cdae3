import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../src/store/openStore';
import type { Store } from '../../src/store/types';
import { startHarness } from './harness';
import { startStubSalesforce } from './stubSalesforce';

/**
 * With the real SQLite store: after connect, a rotated refresh, interaction mirroring and a
 * disconnect, the database files (main file and WAL) and the captured logs hold no token,
 * authorization code, PKCE verifier, state or client secret in clear text — while the ids are
 * there (proving the scan reads real data).
 */
it('the SQLite database file and the logs contain no clear-text token', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'connections-leak-'));
  const sf = await startStubSalesforce();
  let store: Store | undefined = await openStore(`sqlite:${join(dir, 'connector.db')}`);
  const h = await startHarness({ store, loginUrl: sf.url, clientId: sf.clientId, clientSecret: sf.clientSecret });
  try {
    sf.rotateRefreshTokens = true;
    const { authorizeUrl } = (await (
      await h.api('/api/accounts/acc_42/connect', { method: 'POST', body: {} })
    ).json()) as { authorizeUrl: string };
    const { code, state } = sf.approve(authorizeUrl);
    expect((await fetch(`${h.url}/oauth/callback?code=${code}&state=${state}`)).status).toBe(200);
    expect(await h.api('/api/accounts/acc_42/connection').then((r) => r.json())).toMatchObject({ status: 'connected' });
    sf.expireSessions();
    await (await h.service.getSalesforceConnection('acc_42')).conn.limits();
    expect(sf.calls.refresh).toBe(1);
    // A state that was started but never completed stays in the store: its verifier is sealed.
    const pending = new URL(
      (
        (await (await h.api('/api/accounts/acc_7/connect', { method: 'POST', body: {} })).json()) as {
          authorizeUrl: string;
        }
      ).authorizeUrl,
    );
    const pendingState = pending.searchParams.get('state')!;
    await store.upsertInteraction({
      accountId: 'acc_42',
      interactionId: 'int_1',
      name: 'Quiz',
      fieldsJson: '[]',
      contentHash: 'x',
      updatedAt: new Date(),
    });
    await h.mirror.write('acc_42');
    // Snapshot while connected (tokens present; SQLite keeps recent pages in the -wal file, read too).
    const whileConnected = readDb(dir);
    expect((await h.api('/api/accounts/acc_42/connection', { method: 'DELETE' })).status).toBe(204);
    await store.close();
    store = undefined;
    const afterDisconnect = readDb(dir);

    expect(whileConnected).toContain('acc_42');
    expect(whileConnected).toContain(sf.orgId);
    const secrets = [...sf.issued, sf.clientSecret, state, pendingState];
    const logs = h.logs.join('\n');
    for (const secret of secrets) {
      expect({
        secret: secret.slice(0, 6),
        inDb: whileConnected.includes(secret) || afterDisconnect.includes(secret),
        inLogs: logs.includes(secret),
      }).toEqual({
        secret: secret.slice(0, 6),
        inDb: false,
        inLogs: false,
      });
    }
  } finally {
    await h.close();
    await store?.close();
    await sf.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

function readDb(dir: string): string {
  return readdirSync(dir)
    .filter((f) => f.startsWith('connector.db'))
    .map((f) => readFileSync(join(dir, f)).toString('latin1'))
    .join('\n');
}
