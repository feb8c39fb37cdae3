import type { Connection } from 'jsforce';
import { startLocalOrg, type LocalOrg } from '@credspark/local-org';
import { apiCalls, connectAutoApproved, control, resetApiCalls } from '@credspark/local-org/client';
import { seedDemoRule } from '../../connector/src/localMode/demoSeed';
import { createLogger } from '../../connector/src/observability/logger';
import { createMetrics } from '../../connector/src/observability/metrics';
import type { ClaimedResponse } from '../../connector/src/store/types';
import type { SyncContext } from '../../connector/src/sync/types';
import { completedEvent } from './lib';

export { startLocalOrg, type LocalOrg };
export { apiCalls, control, resetApiCalls };

export const setLatency = (org: LocalOrg, latencyMs: number) =>
  control(org, 'POST', `/__local/orgs/${org.demo.orgId}/faults`, latencyMs ? { latencyMs } : {});

/** jsforce connected to the demo org by the web server flow with PKCE (local org auto-approves). */
export const connectJsforce = (org: LocalOrg): Promise<Connection> => connectAutoApproved(org, { state: 'bench' });

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
