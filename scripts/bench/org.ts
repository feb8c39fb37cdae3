import { Connection, OAuth2 } from 'jsforce';
import { startLocalOrg, type LocalOrg } from '@credspark/local-org';
import { seedDemoRule } from '../../connector/src/localMode/demoSeed';
import { createLogger } from '../../connector/src/observability/logger';
import { createMetrics } from '../../connector/src/observability/metrics';
import type { ClaimedResponse } from '../../connector/src/store/types';
import type { SyncContext } from '../../connector/src/sync/types';
import { completedEvent } from './lib';

export const API_VERSION = '62.0';
export { startLocalOrg, type LocalOrg };

/** JSON control call to the local org (free: not counted as an API call). */
export async function control(org: LocalOrg, method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(org.url + path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : undefined;
}

export const apiCalls = (org: LocalOrg): Promise<{ total: number; byKind: Record<string, number> }> =>
  control(org, 'GET', `/__local/orgs/${org.demo.orgId}/api-calls`);
export const resetApiCalls = (org: LocalOrg) => control(org, 'POST', `/__local/orgs/${org.demo.orgId}/api-calls/reset`);
export const setLatency = (org: LocalOrg, latencyMs: number) =>
  control(org, 'POST', `/__local/orgs/${org.demo.orgId}/faults`, latencyMs ? { latencyMs } : {});

/** jsforce connected to the demo org by the web server flow with PKCE (local org auto-approves). */
export async function connectJsforce(org: LocalOrg): Promise<Connection> {
  await control(org, 'POST', '/__local/settings', { autoApprove: true });
  const oauth2 = new OAuth2({
    loginUrl: org.url,
    clientId: org.demo.clientId,
    clientSecret: org.demo.clientSecret,
    redirectUri: 'http://127.0.0.1:9/oauth/callback',
    useVerifier: true,
  });
  const reply = await fetch(oauth2.getAuthorizationUrl({ scope: 'api refresh_token', state: 'bench' }), {
    redirect: 'manual',
  });
  const code = new URL(reply.headers.get('location') ?? 'http://x/').searchParams.get('code');
  if (!code) throw new Error(`authorize answered ${reply.status}`);
  const conn = new Connection({ oauth2, version: API_VERSION });
  await conn.authorize(code);
  return conn;
}

export async function seedRule(org: LocalOrg): Promise<void> {
  await seedDemoRule(org.url, org.demo.orgId, 'credspark', new Date(Date.now() - 3600_000));
}

export async function seedContacts(org: LocalOrg, emails: string[]): Promise<void> {
  for (let i = 0; i < emails.length; i += 500) {
    await control(
      org,
      'POST',
      `/__local/orgs/${org.demo.orgId}/records/Contact`,
      emails.slice(i, i + 500).map((Email) => ({ LastName: 'Existing', Email })),
    );
  }
}

export function syncContext(conn: Connection, org: LocalOrg): SyncContext {
  return {
    conn,
    accountId: 'acc_bench',
    orgId: org.demo.orgId,
    namespace: 'credspark',
    log: createLogger('silent'),
    metrics: createMetrics(),
  };
}

/** Responses as the worker hands them to syncResponses (claimed, with the raw webhook body). */
export function claimedResponses(emails: string[]): ClaimedResponse[] {
  const now = new Date();
  return emails.map((email) => {
    const ev = completedEvent('acc_bench', email, 'Synced');
    const completedAt = new Date(JSON.parse(ev.body).data.completedAt);
    return {
      accountId: 'acc_bench',
      responseId: ev.responseId,
      eventId: ev.id,
      interactionId: 'int_q4_webinar',
      completedAt,
      status: 'queued',
      attempts: 0,
      nextAttemptAt: now,
      createdAt: now,
      updatedAt: now,
      body: ev.body,
      leaseOwner: 'bench',
      leaseExpiresAt: new Date(now.getTime() + 600_000),
    };
  });
}

/**
 * The comparison path, written here only for the benchmark: what a straightforward integration
 * does — per response one SOQL query by email, then one create or one update (2 API calls each).
 */
export async function naiveSync(conn: Connection, responses: ClaimedResponse[]): Promise<number> {
  let written = 0;
  for (const r of responses) {
    const answers = JSON.parse(r.body).data.answers as { key: string; value: string }[];
    const value = (k: string) => answers.find((a) => a.key === k)?.value;
    const email = value('email')!;
    const found = await conn.query<{ Id: string }>(
      `SELECT Id FROM Contact WHERE Email = '${email.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}' ORDER BY LastModifiedDate DESC LIMIT 1`,
    );
    const fields = { FirstName: value('first_name'), LastName: value('last_name'), Email: email };
    const res = found.records[0]
      ? await conn.sobject('Contact').update({ Id: found.records[0].Id, ...fields })
      : await conn.sobject('Contact').create(fields);
    if ((res as { success: boolean }).success) written++;
  }
  return written;
}
