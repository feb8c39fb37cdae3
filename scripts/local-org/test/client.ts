// A client for the local org shared by its own tests, the connector's tests and the benchmark:
// the JSON control API (/__local/…, free: not counted as API calls) and the demo connected app's
// OAuth 2.0 web server flow with PKCE. No test-framework globals here (the benchmark imports it).
import { Connection, OAuth2 } from 'jsforce';
import type { LocalOrg } from '../src';

export const VERSION = '62.0';
export const REDIRECT = 'http://127.0.0.1:9/oauth/callback';

/** A JSON control call; throws with the status and (the start of) the body when it is not 2xx. */
export async function control(org: LocalOrg, method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(org.url + path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${text.slice(0, 2000)}`);
  return text ? JSON.parse(text) : undefined;
}

/** The demo org's API-call counters (every REST/SOAP call the org counted, by kind). */
export const apiCalls = (org: LocalOrg): Promise<{ total: number; byKind: Record<string, number> }> =>
  control(org, 'GET', `/__local/orgs/${org.demo.orgId}/api-calls`);
export const resetApiCalls = (org: LocalOrg) => control(org, 'POST', `/__local/orgs/${org.demo.orgId}/api-calls/reset`);

/** jsforce's OAuth2 for the org's demo connected app, with PKCE. */
export function oauth2(org: LocalOrg, over: Partial<{ clientSecret: string; redirectUri: string }> = {}): OAuth2 {
  return new OAuth2({
    loginUrl: org.url,
    clientId: org.demo.clientId,
    clientSecret: over.clientSecret ?? org.demo.clientSecret,
    redirectUri: over.redirectUri ?? REDIRECT,
    useVerifier: true,
  });
}

/**
 * A jsforce Connection to the demo org with the consent page in auto-approve mode
 * (authorize → 302 with code → token exchange). With `username`, the consent form is submitted
 * as that user (another org's), since auto-approve logs in the demo user.
 */
export async function connectAutoApproved(org: LocalOrg, opts: { username?: string; state?: string } = {}) {
  await control(org, 'POST', '/__local/settings', { autoApprove: true });
  const o = oauth2(org);
  const authorize = o.getAuthorizationUrl({ scope: 'api refresh_token', state: opts.state ?? 'test' });
  const reply = opts.username
    ? await fetch(org.url + '/services/oauth2/authorize', {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams([
          ...new URL(authorize).searchParams,
          ['username', opts.username],
          ['decision', 'allow'],
        ]).toString(),
      })
    : await fetch(authorize, { redirect: 'manual' });
  const location = reply.headers.get('location');
  if (reply.status !== 302 || !location) throw new Error(`authorize answered ${reply.status}`);
  const code = new URL(location).searchParams.get('code');
  if (!code) throw new Error(`no code in ${location}`);
  const conn = new Connection({ oauth2: o, version: VERSION });
  await conn.authorize(code);
  return conn;
}
