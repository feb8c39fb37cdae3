import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fetchIdentity, idsFromIdentityUrl, OAuthError } from '../../src/connections/oauthClient';

/**
 * With the scopes the app asks for (SPEC §5: `api refresh_token`), Salesforce answers the REST API but not
 * the identity URL (needs `id`) nor UserInfo (needs `openid`) — Salesforce Help "OAuth Tokens and Scopes".
 * This server behaves like such an org: the REST query answers as the REST API Developer Guide documents
 * ("Execute a SOQL Query": { totalSize, done, records: [{ attributes, …fields }] }), the identity URL and
 * UserInfo refuse with 403.
 */
describe('fetchIdentity with only the api scope', () => {
  let server: Server;
  let base: string;
  let seen: { path: string; q: string | null; auth: string | undefined }[];
  let queryStatus: number;
  /** When true the identity URL answers (a token that also has the `id` scope), as "Identity URLs" documents. */
  let identityAnswers: boolean;

  const ORG = '00D000000000001AAA';
  const USER = '005000000000001AAA';
  const idUrl = () => `${base}/id/${ORG}/${USER}`;

  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res) => {
      const url = new URL(req.url ?? '/', base);
      seen.push({ path: url.pathname, q: url.searchParams.get('q'), auth: req.headers.authorization });
      if (url.pathname === '/services/data/v62.0/query' && queryStatus === 200) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            totalSize: 1,
            done: true,
            records: [
              {
                attributes: { type: 'User', url: `/services/data/v62.0/sobjects/User/${USER}` },
                Username: 'ada@acme.example',
              },
            ],
          }),
        );
        return;
      }
      if (url.pathname === '/services/data/v62.0/query') {
        res.writeHead(queryStatus, { 'content-type': 'application/json' });
        res.end(JSON.stringify([{ errorCode: 'INVALID_TYPE', message: "sObject type 'User' is not supported." }]));
        return;
      }
      if (url.pathname === `/id/${ORG}/${USER}` && identityAnswers) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ user_id: USER, organization_id: ORG, username: 'ada.identity@acme.example' }));
        return;
      }
      res.writeHead(403, { 'content-type': 'text/plain' });
      res.end('Bad_OAuth_Token');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  beforeEach(() => {
    seen = [];
    queryStatus = 200;
    identityAnswers = false;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('takes the org and user from the identity URL and the username from a REST query of that User', async () => {
    const onRequest = jest.fn();
    const identity = await fetchIdentity(idUrl(), 'AT', base, { instanceUrl: base, apiVersion: '62.0', onRequest });
    expect(identity).toEqual({ organization_id: ORG, user_id: USER, username: 'ada@acme.example' });
    expect(onRequest).toHaveBeenCalledTimes(1);
    expect(seen).toEqual([
      {
        path: '/services/data/v62.0/query',
        q: `SELECT Username FROM User WHERE Id = '${USER}' LIMIT 1`,
        auth: 'Bearer AT',
      },
    ]);
  });

  it('when the org has no User object to query (400 INVALID_TYPE), falls back to the identity URL', async () => {
    queryStatus = 400;
    identityAnswers = true;
    let requests = 0;
    const identity = await fetchIdentity(idUrl(), 'AT', base, {
      instanceUrl: base,
      apiVersion: '62.0',
      onRequest: () => requests++,
    });
    expect(identity).toEqual({ organization_id: ORG, user_id: USER, username: 'ada.identity@acme.example' });
    expect(seen.map((s) => s.path)).toEqual(['/services/data/v62.0/query', `/id/${ORG}/${USER}`]);
    // Both requests reached the org, and both are counted.
    expect(requests).toBe(2);
  });

  it('when the query cannot be answered, tries the identity URL and UserInfo, and says both refused', async () => {
    queryStatus = 400;
    const err = await fetchIdentity(idUrl(), 'AT', base, { instanceUrl: base, apiVersion: '62.0' }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(OAuthError);
    expect(err).toMatchObject({ oauthError: 'http_403' });
    expect(seen.map((s) => s.path)).toEqual([
      '/services/data/v62.0/query',
      `/id/${ORG}/${USER}`,
      '/services/oauth2/userinfo',
    ]);
  });

  it('reads 15- and 18-character Ids from identity URLs and nothing else', () => {
    expect(idsFromIdentityUrl(`https://login.salesforce.com/id/${ORG}/${USER}`)).toEqual({
      organization_id: ORG,
      user_id: USER,
    });
    expect(idsFromIdentityUrl('https://login.salesforce.com/id/00D000000000001/005000000000001')).toEqual({
      organization_id: '00D000000000001',
      user_id: '005000000000001',
    });
    expect(idsFromIdentityUrl(`https://login.salesforce.com/id/${ORG}/${USER}' OR Id != '`)).toBeUndefined();
    expect(idsFromIdentityUrl('https://login.salesforce.com/services/oauth2/userinfo')).toBeUndefined();
  });
});
