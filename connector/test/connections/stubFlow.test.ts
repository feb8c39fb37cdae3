import { isInvalidGrant, NotConnectedError } from '../../src/connections';
import { MetadataWriteError } from '../../src/salesforce/customMetadata';
import { callCount, queueResponse, startHarness, useStubStack, type Harness } from './harness';
import type { Store } from '../../src/store/types';
import type { ScratchSqlite } from '../store/sqliteForTests';
import type { StubSalesforce } from './stubSalesforce';

/**
 * Token refresh and metadata behaviours against a stub Salesforce speaking the documented wire
 * formats, through real HTTP and real jsforce (rotation and per-record Metadata API refusals are
 * not offered by the shared local org).
 */
describe('connections against a stub Salesforce (refresh rotation, metadata results)', () => {
  let sf: StubSalesforce;
  let store: Store;
  let db: ScratchSqlite;
  let h: Harness;

  useStubStack((s) => ({ sf, store, db, h } = s));

  async function connect(accountId = 'acc_42'): Promise<Response> {
    const res = await h.api(`/api/accounts/${accountId}/connect`, {
      method: 'POST',
      body: { returnUrl: 'https://app.credspark.test/salesforce?done=1' },
    });
    expect(res.status).toBe(200);
    const { authorizeUrl } = (await res.json()) as { authorizeUrl: string };
    const { code, state, redirectUri } = sf.approve(authorizeUrl);
    expect(redirectUri).toBe(`${h.url}/oauth/callback`);
    return fetch(`${redirectUri}?code=${encodeURIComponent(code)}&state=${encodeURIComponent(state)}`, {
      redirect: 'manual',
    });
  }

  it('connects, stores tokens encrypted, writes the Connection record and redirects to returnUrl', async () => {
    const res = await connect();
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('https://app.credspark.test/salesforce?done=1');
    const rec = (await store.getConnection('acc_42'))!;
    expect(rec).toMatchObject({
      status: 'connected',
      orgId: sf.orgId,
      userId: sf.userId,
      username: 'admin@stub.local',
      instanceUrl: sf.url,
    });
    expect(rec.accessTokenEnc).toMatch(/^v1:/);
    expect([...sf.accessTokens].some((t) => rec.accessTokenEnc.includes(t))).toBe(false);
    expect(sf.upserted).toEqual([
      {
        fullName: 'credspark__CredSpark_Connection.Default',
        values: expect.objectContaining({
          credspark__Account_Id__c: 'acc_42',
          credspark__Status__c: 'Connected',
          credspark__Connected_User__c: 'admin@stub.local',
        }),
      },
    ]);
  });

  it('concurrent calls after the session expired make ONE refresh call and keep the rotated refresh token', async () => {
    await connect();
    sf.rotateRefreshTokens = true;
    const { conn } = await h.service.getSalesforceConnection('acc_42');
    await conn.limits();
    sf.expireSessions();
    const results = await Promise.all(
      [1, 2, 3, 4, 5].map(async () => (await h.service.getSalesforceConnection('acc_42')).conn.limits()),
    );
    expect(results).toHaveLength(5);
    expect(sf.calls.refresh).toBe(1);
    expect(await callCount(h, sf.orgId, 'oauth')).toBe(2); // code exchange + one refresh
    expect(await callCount(h, sf.orgId, 'query')).toBe(1); // the identity's User query (a REST API call)
    // The rotated refresh token was persisted (sealed) and is the only one Salesforce still honours.
    const stored = h.service.cipher.decrypt((await store.getConnection('acc_42'))!.refreshTokenEnc);
    expect([...sf.refreshTokens]).toEqual([stored]);
    // A second expiry refreshes again with the rotated token (the old one would be invalid_grant).
    sf.expireSessions();
    await (await h.service.getSalesforceConnection('acc_42')).conn.limits();
    expect(sf.calls.refresh).toBe(2);
    expect((await store.getConnection('acc_42'))!.status).toBe('connected');
  });

  it('a rotated refresh token survives a restart: a new service instance refreshes from the store', async () => {
    await connect();
    sf.rotateRefreshTokens = true;
    sf.expireSessions();
    await (await h.service.getSalesforceConnection('acc_42')).conn.limits();
    const h2 = await startHarness({
      store,
      loginUrl: sf.url,
      clientId: sf.clientId,
      clientSecret: sf.clientSecret,
      tokenKeys: h.config.tokenKeys,
    });
    try {
      sf.expireSessions();
      await (await h2.service.getSalesforceConnection('acc_42')).conn.limits();
      expect(sf.calls.refresh).toBe(2);
    } finally {
      await h2.close();
    }
  });

  it('invalid_grant on refresh → disconnected/revoked, queued work skipped NOT_CONNECTED, NotConnectedError after', async () => {
    await connect();
    await queueResponse(store, 'acc_42', 'rsp_1');
    sf.revokeAll();
    const { conn } = await h.service.getSalesforceConnection('acc_42');
    const err = await conn.limits().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isInvalidGrant(err)).toBe(true);
    expect(await store.getConnection('acc_42')).toMatchObject({ status: 'disconnected', reason: 'revoked' });
    expect(await store.getResponse('acc_42', 'rsp_1')).toMatchObject({ status: 'skipped', errorCode: 'NOT_CONNECTED' });
    await expect(h.service.getSalesforceConnection('acc_42')).rejects.toBeInstanceOf(NotConnectedError);
    const body = await (await h.api('/api/accounts/acc_42/connection')).json();
    expect(body).toMatchObject({ status: 'disconnected', reason: 'revoked', orgId: sf.orgId });
  });

  it('mirrors interactions only when their content changed, ≤ 10 records a call', async () => {
    await connect();
    const add = (i: number, name = `Quiz ${i}`) =>
      store.upsertInteraction({
        accountId: 'acc_42',
        interactionId: `int_${i}`,
        name,
        fieldsJson: '[{"key":"email","label":"Email","type":"email"}]',
        contentHash: `h-${i}-${name}`,
        updatedAt: new Date(),
      });
    for (let i = 0; i < 12; i++) await add(i);
    const before = sf.calls.metadata;
    await h.mirror.write('acc_42');
    expect(sf.calls.metadata - before).toBe(2);
    const int0 = sf.upserted.find((u) => u.values.credspark__Interaction_Id__c === 'int_0')!;
    expect(int0.fullName).toMatch(/^credspark__CredSpark_Interaction\.int_0_[0-9a-f]{10}$/);
    expect(JSON.parse(int0.values.credspark__Fields__c!)).toEqual([{ key: 'email', label: 'Email', type: 'email' }]);
    await h.mirror.write('acc_42');
    expect(sf.calls.metadata - before).toBe(2); // nothing changed → no call
    await add(3, 'Quiz 3 renamed');
    await h.mirror.write('acc_42');
    expect(sf.calls.metadata - before).toBe(3);
    expect(await callCount(h, sf.orgId, 'metadata')).toBe(1 + 3);
  });

  it('surfaces records the Metadata API refused and keeps them owed; the others are marked mirrored', async () => {
    await connect();
    await store.upsertInteraction({
      accountId: 'acc_42',
      interactionId: 'ok',
      name: 'Fine',
      fieldsJson: '[]',
      contentHash: 'a',
      updatedAt: new Date(),
    });
    await store.upsertInteraction({
      accountId: 'acc_42',
      interactionId: 'bad',
      name: 'Refused',
      fieldsJson: '[]',
      contentHash: 'b',
      updatedAt: new Date(),
    });
    const { interactionRecord } = await import('../../src/mirror/interactionRecord');
    sf.refuseFullNames.add(
      interactionRecord('credspark', { interactionId: 'bad', name: 'Refused', fieldsJson: '[]' }).fullName,
    );
    const err = await h.mirror.write('acc_42').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(MetadataWriteError);
    expect((err as MetadataWriteError).failures[0]!.message).toMatch(/FIELD_INTEGRITY_EXCEPTION/);
    expect((await store.interactionsToMirror('acc_42', 10)).map((i) => i.interactionId)).toEqual(['bad']);
  });

  it('a forged code (PKCE verifier tampered in the store) stores nothing and shows a page, not a trace', async () => {
    const res = await h.api('/api/accounts/acc_9/connect', { method: 'POST', body: {} });
    const { authorizeUrl } = (await res.json()) as { authorizeUrl: string };
    expect(db.states()).toHaveLength(1);
    db.run('UPDATE oauth_states SET code_verifier_enc = ?', h.service.cipher.encrypt('x'.repeat(64)));
    const { code, state } = sf.approve(authorizeUrl);
    const cb = await fetch(`${h.url}/oauth/callback?code=${code}&state=${state}`, { redirect: 'manual' });
    expect(cb.status).toBe(400);
    const html = await cb.text();
    expect(html).toMatch(/did not accept the authorization/);
    expect(html).not.toMatch(/at .*\.ts:\d+/);
    expect(await store.getConnection('acc_9')).toBeUndefined();
  });
});
