import type { LocalOrg } from '@credspark/local-org';
import { createSyncEngine } from '../../src/sync/syncResponses';
import type { SyncResponses } from '../../src/sync/types';
import { claimed, control, DEFAULTS, demoContext, records, resetOrg, seedRule, useLocalOrg } from './helpers';

/** A new engine per test (empty settings and describe caches). */
let engine = createSyncEngine();
const syncResponses: SyncResponses = (ctx, rs) => engine.sync(ctx, rs);

/**
 * REST API Developer Guide "Status Codes and Error Responses": 503 means the instance is down for
 * maintenance or overloaded, and the body need not be Salesforce's JSON error list — an HTML page
 * arrives too. Either way the batch is retried later and nothing is written.
 */
describe('Salesforce unavailable (503)', () => {
  let org: LocalOrg;
  useLocalOrg((o) => (org = o));

  it.each([
    ['an HTML page', { http503Rate: 1, htmlErrorPages: true }, 'ERROR_HTTP_503'],
    ['the JSON SERVER_UNAVAILABLE body', { http503Rate: 1 }, 'SERVER_UNAVAILABLE'],
  ])('a 503 answered with %s → retry %s, nothing written', async (_what, faults, code) => {
    await resetOrg(org);
    engine = createSyncEngine();
    await seedRule(org, { interactionId: 'int_q4', target: 'Contact', mappings: DEFAULTS });
    const ctx = await demoContext(org);
    await control(org, 'POST', `/__local/orgs/${org.demo.orgId}/faults`, faults);
    const r = claimed({ interactionId: 'int_q4', answers: { last_name: 'X', email: 'x@x.com' } });
    const out = await syncResponses(ctx, [r]);
    await control(org, 'POST', `/__local/orgs/${org.demo.orgId}/faults`, {});
    expect(out.get(r.responseId)).toMatchObject({ status: 'retry', code });
    expect(await records(org, 'Contact')).toHaveLength(0);
  });
});
