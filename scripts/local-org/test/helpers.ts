// Test helpers: a started local org, the browser side of the consent page, and a jsforce
// Connection obtained through the real OAuth 2.0 web server flow with PKCE.
import { Connection } from 'jsforce';
import { startLocalOrg, type LocalOrg } from '../src';
import { control, oauth2, VERSION } from './client';

export { control, oauth2, REDIRECT, VERSION } from './client';

/** Reads the consent form like a browser and submits it with the given decision; returns the redirect. */
export async function consent(authorizeUrl: string, decision: 'allow' | 'deny'): Promise<URL> {
  const page = await fetch(authorizeUrl, { redirect: 'manual' });
  if (page.status === 302) return new URL(page.headers.get('location')!);
  const html = await page.text();
  const action = /<form[^>]*action="([^"]+)"/.exec(html)![1];
  const form = new URLSearchParams();
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g))
    form.set(m[1], unescapeHtml(m[2]));
  form.set('username', unescapeHtml(/name="username" value="([^"]*)"/.exec(html)![1]));
  form.set('decision', decision);
  const res = await fetch(new URL(action, authorizeUrl), { method: 'POST', body: form, redirect: 'manual' });
  if (res.status !== 302) throw new Error(`consent POST → ${res.status}`);
  return new URL(res.headers.get('location')!);
}

function unescapeHtml(s: string): string {
  return s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** A connected jsforce Connection for the demo org (OAuth web server flow, PKCE, Allow). */
export async function connect(org: LocalOrg): Promise<Connection> {
  const o = oauth2(org);
  const conn = new Connection({ oauth2: o, version: VERSION });
  const redirect = await consent(o.getAuthorizationUrl({ scope: 'api refresh_token', state: 'st1' }), 'allow');
  await conn.authorize(redirect.searchParams.get('code')!);
  return conn;
}

export async function started(): Promise<LocalOrg> {
  return startLocalOrg({ quiet: true });
}

/**
 * The hooks the org test files share (call inside `describe`): one org started for the file and
 * closed after it; before each test the org is reset (/__local/reset) and, when `conn` is given,
 * a fresh Connection is made through the OAuth flow. The callbacks hand them to the test's variables.
 */
export function useResetOrg(set: { org?: (org: LocalOrg) => void; conn?: (conn: Connection) => void }): void {
  let org: LocalOrg;
  beforeAll(async () => {
    org = await started();
    set.org?.(org);
  });
  afterAll(async () => {
    await org.close();
  });
  beforeEach(async () => {
    await control(org, 'POST', '/__local/reset');
    if (set.conn) set.conn(await connect(org));
  });
}

/**
 * useResetOrg with a connection made before each test, and the `rest` function calling the org with
 * that connection's token (restWith), for the tests that look at raw REST replies.
 */
export function useRestOrg(set: { org?: (org: LocalOrg) => void; conn?: (conn: Connection) => void } = {}) {
  let org: LocalOrg;
  let conn: Connection;
  useResetOrg({
    org: (o) => {
      org = o;
      set.org?.(o);
    },
    conn: (c) => {
      conn = c;
      set.conn?.(c);
    },
  });
  return restWith(
    () => org,
    () => conn,
  );
}

export interface RestReply {
  status: number;
  body: any;
  headers: Headers;
}

/** Raw REST calls with the connection's token, to see statuses, headers and bodies as Salesforce sends them. */
export function restWith(getOrg: () => LocalOrg, getConn: () => Connection) {
  return async (
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
    version = VERSION,
  ): Promise<RestReply> => {
    const res = await fetch(`${getOrg().url}/services/data/v${version}${path}`, {
      method,
      headers: { Authorization: `Bearer ${getConn().accessToken}`, 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
  };
}
