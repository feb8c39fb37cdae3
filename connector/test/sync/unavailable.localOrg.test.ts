import type { LocalOrg } from '@credspark/local-org';
import type { EngineContext } from '../../src/sync/types';
import { claimed, control, DEFAULTS, records, seedRule, useSyncOnLocalOrg } from './helpers';

/**
 * REST API Developer Guide "Status Codes and Error Responses": 503 means the instance is down for
 * maintenance or overloaded, and the body need not be Salesforce's JSON error list — an HTML page
 * arrives too. Either way the batch is retried later and nothing is written.
 */
describe('Salesforce unavailable (503)', () => {
  let org: LocalOrg;
  let ctx: EngineContext;
  const { syncResponses } = useSyncOnLocalOrg((t) => ({ org, ctx } = t));

  it.each([
    ['an HTML page', { http503Rate: 1, htmlErrorPages: true }, 'ERROR_HTTP_503'],
    ['the JSON SERVER_UNAVAILABLE body', { http503Rate: 1 }, 'SERVER_UNAVAILABLE'],
  ])('a 503 answered with %s → retry %s, nothing written', async (_what, faults, code) => {
    await seedRule(org, { interactionId: 'int_q4', target: 'Contact', mappings: DEFAULTS });
    await control(org, 'POST', `/__local/orgs/${org.demo.orgId}/faults`, faults);
    const r = claimed({ interactionId: 'int_q4', answers: { last_name: 'X', email: 'x@x.com' } });
    const out = await syncResponses(ctx, [r]);
    await control(org, 'POST', `/__local/orgs/${org.demo.orgId}/faults`, {});
    expect(out.get(r.responseId)).toMatchObject({ status: 'retry', code });
    expect(await records(org, 'Contact')).toHaveLength(0);
  });
});
