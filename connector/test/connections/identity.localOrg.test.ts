import { startLocalOrg, type LocalOrg } from '@credspark/local-org';
import { fetchIdentity, OAuthError } from '../../src/connections/oauthClient';
import { apiCalls, connectDemo, resetApiCalls } from '../sync/helpers';

/**
 * Who connected, against the local org: with a REST target, one query of the connected User (the local org
 * serves User like a real org, Object Reference "User"); without one, the identity URL, else the login host's
 * UserInfo endpoint (Salesforce Help "Identity URLs", "UserInfo Endpoint"). The fallback after a refused User
 * query is covered against a stub org in identityScopes.test.ts.
 */
describe('fetchIdentity', () => {
  let org: LocalOrg;
  let accessToken: string;

  beforeAll(async () => {
    org = await startLocalOrg({ quiet: true, autoApprove: true });
    accessToken = (await connectDemo(org)).accessToken!;
  });
  afterAll(() => org.close());

  it('reads the username, org and user from the identity URL', async () => {
    const conn = await connectDemo(org);
    const idUrl = `${org.url}/id/${org.demo.orgId}/${conn.userInfo!.id}`;
    const identity = await fetchIdentity(idUrl, conn.accessToken!, org.url);
    expect(identity).toEqual({
      organization_id: org.demo.orgId,
      user_id: conn.userInfo!.id,
      username: org.demo.username,
    });
  });

  it('with a REST target the username comes from the User query alone: one request, one query call', async () => {
    const conn = await connectDemo(org);
    const idUrl = `${org.url}/id/${org.demo.orgId}/${conn.userInfo!.id}`;
    await resetApiCalls(org);
    let requests = 0;
    const identity = await fetchIdentity(idUrl, conn.accessToken!, org.url, {
      instanceUrl: org.url,
      apiVersion: '62.0',
      onRequest: () => requests++,
    });
    expect(identity).toEqual({
      organization_id: org.demo.orgId,
      user_id: conn.userInfo!.id,
      username: org.demo.username,
    });
    expect(requests).toBe(1);
    // The org saw the query and no OAuth request (the identity URL and UserInfo count as `oauth`).
    expect(await apiCalls(org)).toEqual({ total: 1, byKind: { query: 1 } });
  });

  it('falls back to /services/oauth2/userinfo when the identity URL refuses', async () => {
    const identity = await fetchIdentity(`${org.url}/id/00D000000000000AAA/005000000000000AAA`, accessToken, org.url);
    expect(identity.organization_id).toBe(org.demo.orgId);
    expect(identity.username).toBe(org.demo.username);
  });

  it('fails with the HTTP status when neither answers for the token', async () => {
    await expect(fetchIdentity(`${org.url}/id/x/y`, 'not-a-token', org.url)).rejects.toBeInstanceOf(OAuthError);
  });
});
