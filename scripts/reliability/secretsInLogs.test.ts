/**
 * Issue 9 "Security review": tokens and secrets never in logs. The connector's logs are captured
 * at `trace` (everything it can log) over a full flow against the local org: connect (OAuth web
 * server flow with PKCE), webhooks, sync with an expired session (refresh-token flow), a rejected
 * forged webhook, a wrong admin bearer, disconnect (token revoked). Then no secret, token, OAuth
 * code/state, email or answer value appears in them (connector/test/connections/
 * noClearTextTokens.test.ts covers the same for the OAuth part against a stub).
 */
import Database from 'better-sqlite3';
import { TokenCipher } from '../../connector/src/connections/tokenCipher';
import { ADMIN_TOKEN, orgRecords, postSigned, responseEvent, SECRET, startStack, waitUntil, type Stack } from './stack';
import { seedDemoRule } from '../../connector/src/localMode/demoSeed';
import { signatureHeader } from '../../connector/src/intake/signature';
import { writeFigures } from './figures';

const ACCOUNT = 'acc_logs';
let s: Stack;
afterAll(async () => {
  await s?.close();
});

it('a connect + sync + refresh + disconnect flow logs ids only: no token, secret, code, state, email or answer', async () => {
  s = await startStack({ logLevel: 'trace' });
  const admin = { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' };
  // Connect like a browser, keeping the code and state the flow exposes.
  const start = await fetch(`${s.url}/api/accounts/${ACCOUNT}/connect`, {
    method: 'POST',
    headers: admin,
    body: JSON.stringify({ loginUrl: s.org.url }),
  });
  expect(start.status).toBe(200);
  const { authorizeUrl } = (await start.json()) as { authorizeUrl: string };
  const approved = await fetch(authorizeUrl, { redirect: 'manual' });
  expect(approved.status).toBe(302);
  const callback = new URL(approved.headers.get('location')!);
  const code = callback.searchParams.get('code')!;
  const state = callback.searchParams.get('state')!;
  expect((await fetch(callback, { redirect: 'manual' })).status).toBeLessThan(400);
  await seedDemoRule(s.org.url, s.org.demo.orgId, 'credspark', new Date(Date.now() - 60_000));

  const cipher = new TokenCipher(s.config.tokenKeys);
  const db = new Database(s.dbFile, { readonly: true });
  const tokens = () =>
    db.prepare('SELECT access_token_enc AS a, refresh_token_enc AS r FROM connections').all() as {
      a: string;
      r: string;
    }[];
  const issued = new Set<string>();
  const collect = () =>
    tokens().forEach((t) => {
      issued.add(cipher.decrypt(t.a));
      issued.add(cipher.decrypt(t.r));
    });
  collect();

  const emails = ['secret.person@example.com', "o'leak@example.com"];
  const answerValue = 'My-Private-Answer-7f3a';
  for (const [i, e] of emails.entries()) {
    const ev = responseEvent(ACCOUNT, `rsp_log_${i}`, e, `Surname${answerValue}`, [
      { key: 'q7', type: 'text', label: 'Company', value: answerValue },
    ]);
    expect((await postSigned(s, ev)).status).toBe(202);
  }
  expect(
    await waitUntil(
      async () =>
        (await orgRecords<{ Email?: string }>(s.org, 'Contact')).filter((c) => emails.includes(c.Email ?? ''))
          .length === 2,
      30_000,
    ),
  ).toBe(true);
  // Expired session → refresh; a forged webhook; a wrong bearer.
  await fetch(`${s.org.url}/__local/orgs/${s.org.demo.orgId}/expire-sessions`, { method: 'POST' });
  expect((await postSigned(s, responseEvent(ACCOUNT, 'rsp_log_2', emails[0], 'Again'))).status).toBe(202);
  expect(
    await waitUntil(
      async () => (await orgRecords<{ LastName?: string }>(s.org, 'Contact')).some((c) => c.LastName === 'Again'),
      30_000,
    ),
  ).toBe(true);
  collect();
  const forgedRaw = JSON.stringify(responseEvent(ACCOUNT, 'rsp_forged', 'forged@example.com'));
  const forgedSig = signatureHeader(['whsec_attacker_guess_000000'], forgedRaw);
  await fetch(`${s.url}/webhooks/credspark`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'credspark-signature': forgedSig },
    body: forgedRaw,
  });
  await fetch(`${s.url}/api/accounts/${ACCOUNT}/connection`, {
    headers: { authorization: 'Bearer not-the-admin-token-guess-0000' },
  });
  expect(
    (await fetch(`${s.url}/api/accounts/${ACCOUNT}/connection`, { method: 'DELETE', headers: admin })).status,
  ).toBe(204);
  db.close();

  const logs = s.logs.join('');
  expect(logs.length).toBeGreaterThan(1000);
  expect(logs).toContain(ACCOUNT); // ids are logged
  expect(logs).toContain('rsp_log_0');
  expect(issued.size).toBeGreaterThanOrEqual(3); // initial access + refresh, refreshed access
  const secrets: Record<string, string> = {
    webhookSecret: SECRET,
    adminToken: ADMIN_TOKEN,
    clientSecret: s.org.demo.clientSecret,
    oauthCode: code,
    oauthState: state,
    forgedSignature: forgedSig.split('v1=')[1],
    answer: answerValue,
    ...Object.fromEntries(emails.map((e, i) => [`email${i}`, e])),
    ...Object.fromEntries([...issued].map((t, i) => [`token${i}`, t])),
  };
  for (const [name, value] of Object.entries(secrets))
    expect({ name, leaked: logs.includes(value) }).toEqual({ name, leaked: false });
  writeFigures('secrets-in-logs', { logLines: s.logs.length, secretsChecked: Object.keys(secrets).length, leaked: 0 });
}, 120_000);
