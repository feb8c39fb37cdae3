// The preview's door into the local org: a real jsforce Connection obtained with the OAuth web
// server flow (PKCE) through a preview connected app registered on the local org, so every read
// and write goes through the same REST / Metadata API paths Salesforce serves.
import { randomBytes } from 'node:crypto';
import { Connection, OAuth2 } from 'jsforce';

export const API_VERSION = '62.0';
const CALLBACK = 'http://127.0.0.1:9/oauth/callback';

export interface OrgTarget {
  url: string;
  orgId: string;
  username: string;
  namespace: string;
}

async function control<T>(url: string, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(url + path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`local org ${method} ${path} answered ${res.status}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

/** The org the preview works on: the demo org (namespace credspark), else the first one. */
export async function findDemoOrg(url: string): Promise<OrgTarget> {
  const { orgs } = await control<{ orgs: { orgId: string; username: string; namespace: string }[] }>(
    url,
    'GET',
    '/__local/orgs',
  );
  const org = orgs.find((o) => o.namespace === 'credspark') ?? orgs[0];
  if (!org) throw new Error('the local org has no org');
  return { url, orgId: org.orgId, username: org.username, namespace: org.namespace };
}

/**
 * Logs in as the org's admin: registers a "CredSpark Preview" connected app, then submits the
 * authorization page's form with Allow, as a browser would, and exchanges the code.
 */
export async function connect(target: OrgTarget): Promise<Connection> {
  const app = await control<{ clientId: string; clientSecret: string }>(target.url, 'POST', '/__local/connected-apps', {
    name: 'CredSpark Preview',
    callbackUrls: [CALLBACK],
  });
  const oauth2 = new OAuth2({
    loginUrl: target.url,
    clientId: app.clientId,
    clientSecret: app.clientSecret,
    redirectUri: CALLBACK,
    useVerifier: true,
  });
  const state = randomBytes(8).toString('hex');
  const authorize = new URL(oauth2.getAuthorizationUrl({ scope: 'api refresh_token', state }));
  const form = new URLSearchParams([...authorize.searchParams, ['username', target.username], ['decision', 'allow']]);
  const reply = await fetch(target.url + '/services/oauth2/authorize', {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
  });
  const location = reply.headers.get('location');
  const code = location ? new URL(location).searchParams.get('code') : null;
  if (reply.status !== 302 || !code) throw new Error(`authorization answered ${reply.status}`);
  const conn = new Connection({ oauth2, version: API_VERSION });
  await conn.authorize(code);
  return conn;
}

export { control };
