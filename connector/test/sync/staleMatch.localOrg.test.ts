import type { LocalOrg } from '@credspark/local-org';
import type { EngineContext } from '../../src/sync/types';
import { writeRecords } from '../../src/sync/write';
import { claimed, DEFAULTS, records, seed, seedRule, useSyncOnLocalOrg } from './helpers';

/**
 * A record matched by email can change before the write lands: deleted or merged away
 * (ENTITY_IS_DELETED) or converted (CANNOT_UPDATE_CONVERTED_LEAD) — SOAP API "StatusCode", returned
 * per record by sObject Collections. Those updates are retried (the next attempt matches again)
 * instead of failing the response.
 */
describe('an update whose matched record changed under us', () => {
  let org: LocalOrg;
  let ctx: EngineContext;
  const { syncResponses } = useSyncOnLocalOrg((t) => ({ org, ctx } = t));

  it('ENTITY_IS_DELETED → retry; the retried response then creates a new Contact', async () => {
    const [id] = await seed(org, 'Contact', [{ LastName: 'Gone', Email: 'gone@x.com' }]);
    await ctx.conn.sobject('Contact').destroy(id!);
    const [res] = await writeRecords(ctx, [{ object: 'Contact', kind: 'update', id, fields: { LastName: 'Back' } }]);
    expect(res).toMatchObject({ ok: false, retryable: true, code: 'ENTITY_IS_DELETED' });

    await seedRule(org, { interactionId: 'int_q4', target: 'Contact', mappings: DEFAULTS });
    const r = claimed({ interactionId: 'int_q4', answers: { last_name: 'Back', email: 'gone@x.com' } });
    expect((await syncResponses(ctx, [r])).get(r.responseId)).toMatchObject({ status: 'synced', action: 'created' });
    expect((await records(org, 'Contact')).map((c) => c.LastName)).toEqual(['Back']);
  });

  it('CANNOT_UPDATE_CONVERTED_LEAD → retry; a create of the same kind still fails as before', async () => {
    const [id] = await seed(org, 'Lead', [
      { LastName: 'Conv', Company: 'Acme', Email: 'conv@x.com', IsConverted: true },
    ]);
    const [update, create] = await writeRecords(ctx, [
      { object: 'Lead', kind: 'update', id, fields: { LastName: 'New' } },
      { object: 'Lead', kind: 'create', fields: { LastName: 'NoCompany' } },
    ]);
    expect(update).toMatchObject({ ok: false, retryable: true, code: 'CANNOT_UPDATE_CONVERTED_LEAD' });
    expect(create).toMatchObject({ ok: false, retryable: false, code: 'REQUIRED_FIELD_MISSING' });
  });
});
