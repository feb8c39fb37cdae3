import type { LocalOrg } from '@credspark/local-org';
import type { EngineContext } from '../../src/sync/types';
import { claimed, DEFAULTS, records, seedRule, useSyncOnLocalOrg } from './helpers';

/**
 * sObject Collections per-record errors `{ success: false, errors: [{ statusCode, message, fields }] }`
 * (REST API Developer Guide "sObject Collections"; codes from SOAP API "StatusCode"): the response
 * fails with Salesforce's code and a message naming the fields; its batch mates still sync.
 */
describe('per-record Salesforce refusals', () => {
  let org: LocalOrg;
  let ctx: EngineContext;
  const { syncResponses } = useSyncOnLocalOrg((t) => ({ org, ctx } = t));

  it('NUMBER_OUTSIDE_VALID_RANGE on Quiz_Score__c (18, 2) fails that response alone, fields named', async () => {
    await seedRule(org, {
      interactionId: 'int_q4',
      target: 'Contact',
      mappings: [...DEFAULTS, { source: 'score', target: 'Quiz_Score__c' }],
    });
    const big = claimed({ interactionId: 'int_q4', answers: { last_name: 'Big', email: 'big@x.com', score: 1e17 } });
    const ok = claimed({ interactionId: 'int_q4', answers: { last_name: 'Ok', email: 'ok@x.com', score: 87.5 } });
    const out = await syncResponses(ctx, [big, ok]);
    expect(out.get(big.responseId)).toMatchObject({
      status: 'failed',
      code: 'NUMBER_OUTSIDE_VALID_RANGE',
      object: 'Contact',
      message: expect.stringContaining('(fields: Quiz_Score__c)'),
    });
    expect(out.get(ok.responseId)).toMatchObject({ status: 'synced', action: 'created' });
    expect((await records(org, 'Contact')).map((c) => [c.LastName, c.Quiz_Score__c])).toEqual([['Ok', 87.5]]);
  });
});
