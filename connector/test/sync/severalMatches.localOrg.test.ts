import type { LocalOrg } from '@credspark/local-org';
import type { EngineContext } from '../../src/sync/types';
import { claimed, DEFAULTS, records, seed, seedRule, useSyncOnLocalOrg } from './helpers';

/**
 * Several records with one email (no duplicate rule stopped them; SPEC §2 matching): the one
 * updated is the most recently modified (LastModifiedDate), then the greatest Id — the same data
 * always updates the same record. Through real jsforce against the local org; LastModifiedDate is
 * seeded, as records imported into Salesforce carry their own history.
 */
describe('several records with the same email (local org)', () => {
  let org: LocalOrg;
  let ctx: EngineContext;
  const { syncResponses } = useSyncOnLocalOrg((t) => ({ org, ctx } = t));

  it('updates the most recently modified Contact and leaves the others as they are', async () => {
    await seedRule(org, { interactionId: 'int_q4', target: 'Contact', mappings: DEFAULTS });
    const [older, newest, oldest] = await seed(org, 'Contact', [
      { LastName: 'Older', Email: 'jane@x.com', LastModifiedDate: '2026-05-01T00:00:00.000+0000' },
      { LastName: 'Newest', Email: 'JANE@x.com', LastModifiedDate: '2026-09-01T00:00:00.000+0000' },
      { LastName: 'Oldest', Email: 'jane@x.com', LastModifiedDate: '2026-01-01T00:00:00.000+0000' },
    ]);
    const r = claimed({ interactionId: 'int_q4', answers: { last_name: 'Smith', email: 'jane@x.com' } });
    expect((await syncResponses(ctx, [r])).get(r.responseId)).toEqual({
      status: 'synced',
      object: 'Contact',
      recordId: newest,
      action: 'updated',
    });
    const byId = new Map((await records(org, 'Contact')).map((c) => [c.Id, c.LastName]));
    expect([byId.get(older), byId.get(newest), byId.get(oldest)]).toEqual(['Older', 'Smith', 'Oldest']);
  });

  it('same LastModifiedDate: the greatest Id, on every run', async () => {
    await seedRule(org, { interactionId: 'int_q4', target: 'Contact', mappings: DEFAULTS });
    const same = '2026-09-01T00:00:00.000+0000';
    const ids = await seed(org, 'Contact', [
      { LastName: 'A', Email: 'max@x.com', LastModifiedDate: same },
      { LastName: 'B', Email: 'max@x.com', LastModifiedDate: same },
      { LastName: 'C', Email: 'max@x.com', LastModifiedDate: same },
    ]);
    const greatest = [...ids].sort().at(-1);
    for (const name of ['Max', 'Maxine']) {
      // The update moves the record's LastModifiedDate forward: it stays the one chosen.
      const r = claimed({ interactionId: 'int_q4', answers: { last_name: name, email: 'max@x.com' } });
      expect((await syncResponses(ctx, [r])).get(r.responseId)).toMatchObject({
        recordId: greatest,
        action: 'updated',
      });
    }
  });

  it('Leads: an unconverted Lead is preferred to a more recently modified converted one', async () => {
    await seedRule(org, {
      interactionId: 'int_lead',
      target: 'Lead',
      mappings: [...DEFAULTS, { source: 'q7', target: 'Company' }],
    });
    const [open] = await seed(org, 'Lead', [
      { LastName: 'Open', Company: 'Acme', Email: 'lee@x.com', LastModifiedDate: '2026-01-01T00:00:00.000+0000' },
      {
        LastName: 'Converted',
        Company: 'Acme',
        Email: 'lee@x.com',
        IsConverted: true,
        ConvertedDate: '2026-10-01',
        LastModifiedDate: '2026-10-01T00:00:00.000+0000',
      },
    ]);
    const r = claimed({ interactionId: 'int_lead', answers: { last_name: 'Lee', email: 'lee@x.com', q7: 'Acme' } });
    expect((await syncResponses(ctx, [r])).get(r.responseId)).toMatchObject({
      object: 'Lead',
      recordId: open,
      action: 'updated',
    });
  });
});
