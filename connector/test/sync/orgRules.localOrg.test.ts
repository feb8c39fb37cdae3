import type { LocalOrg } from '@credspark/local-org';
import type { ClaimedResponse } from '../../src/store/types';
import type { EngineContext } from '../../src/sync/types';
import { claimed, control, DEFAULTS, records, seed, seedRule, useSyncOnLocalOrg } from './helpers';

/**
 * Matching that respects the org (SPEC §2 "Duplicate rules", "Converted Leads"), through real
 * jsforce against the local org, whose duplicate rules answer as Salesforce's do (Salesforce Help
 * "Duplicate Rules"; REST API Developer Guide "Sforce-Duplicate-Rule-Header"; DuplicateResult in the
 * SOAP API Developer Guide) and whose Lead conversion sets ConvertedContactId and ConvertedDate
 * (Object Reference "Lead").
 */
describe('duplicate rules and converted Leads (local org)', () => {
  let org: LocalOrg;
  let ctx: EngineContext;
  const { syncResponses } = useSyncOnLocalOrg((t) => ({ org, ctx } = t));
  const orgPath = (p: string) => `/__local/orgs/${org.demo.orgId}${p}`;
  const byName = (object: 'Contact' | 'Lead', compareWith?: 'Contact' | 'Lead') =>
    control(org, 'POST', orgPath('/duplicate-rule'), { object, action: 'block', match: 'name', compareWith });
  /** The one outcome of syncing `r` alone. */
  const syncOne = async (r: ClaimedResponse) => (await syncResponses(ctx, [r])).get(r.responseId);

  describe('duplicate rules', () => {
    const updateMatch = { Duplicate_Handling__c: 'Update_Match' };
    /** int_q4's rule: Contacts, the default mappings unless given, duplicate handling as `options` say. */
    const contactRule = (options?: Record<string, unknown>, mappings = DEFAULTS) =>
      seedRule(org, { interactionId: 'int_q4', target: 'Contact', options, mappings });
    /** Jane Doe answering int_q4 with a new email (and `more` answers): a name-rule duplicate of any Jane Doe. */
    const janeDoe = (more: Record<string, unknown> = {}) =>
      claimed({
        interactionId: 'int_q4',
        answers: { first_name: 'Jane', last_name: 'Doe', email: 'jane@new.example', ...more },
      });

    it("default (Fail): a create the org blocks fails DUPLICATES_DETECTED with Salesforce's message; nothing written", async () => {
      await contactRule();
      await seed(org, 'Contact', [{ FirstName: 'Jane', LastName: 'Doe', Email: 'jane.doe@old.example' }]);
      await byName('Contact');
      expect(await syncOne(janeDoe())).toEqual({
        status: 'failed',
        code: 'DUPLICATES_DETECTED',
        message: expect.stringContaining("You're creating a duplicate record"),
        object: 'Contact',
      });
      expect(await records(org, 'Contact')).toHaveLength(1);
    });

    it('Update_Match: the one matching record of the target object is updated instead (mapped fields, action updated)', async () => {
      await contactRule(updateMatch, [...DEFAULTS, { source: 'q7', target: 'Title' }]);
      const [jane] = await seed(org, 'Contact', [
        { FirstName: 'Jane', LastName: 'Doe', Email: 'jane.doe@old.example', Phone: '555-0100' },
      ]);
      await byName('Contact');
      expect(await syncOne(janeDoe({ q7: 'CFO' }))).toEqual({
        status: 'synced',
        object: 'Contact',
        recordId: jane,
        action: 'updated',
      });
      const contacts = await records(org, 'Contact');
      expect(contacts).toHaveLength(1);
      expect(contacts[0]).toMatchObject({ Id: jane, Title: 'CFO', Email: 'jane@new.example', Phone: '555-0100' });
    });

    it('Update_Match: several matching records fail DUPLICATES_DETECTED, none is updated', async () => {
      await contactRule(updateMatch);
      await seed(org, 'Contact', [
        { FirstName: 'Jane', LastName: 'Doe', Email: 'a@old.example' },
        { FirstName: 'Jane', LastName: 'Doe', Email: 'b@old.example' },
      ]);
      await byName('Contact');
      expect(await syncOne(janeDoe())).toEqual({
        status: 'failed',
        code: 'DUPLICATES_DETECTED',
        message: expect.stringMatching(/duplicate record.*2 records/),
        object: 'Contact',
      });
      expect((await records(org, 'Contact')).map((c) => c.Email).sort()).toEqual(['a@old.example', 'b@old.example']);
    });

    it('Update_Match: a match of another object (a Lead rule matching Contacts) fails DUPLICATES_DETECTED', async () => {
      await seedRule(org, {
        interactionId: 'int_lead',
        target: 'Lead',
        options: { Duplicate_Handling__c: 'Update_Match' },
        mappings: [...DEFAULTS, { static: 'Acme', target: 'Company' }],
      });
      await seed(org, 'Contact', [{ FirstName: 'Jane', LastName: 'Doe', Email: 'jane.doe@old.example' }]);
      await byName('Lead', 'Contact');
      const r = claimed({
        interactionId: 'int_lead',
        answers: { first_name: 'Jane', last_name: 'Doe', email: 'jane@new.example' },
      });
      expect(await syncOne(r)).toMatchObject({
        status: 'failed',
        code: 'DUPLICATES_DETECTED',
        message: expect.stringContaining('a Contact, not a Lead'),
      });
      expect(await records(org, 'Lead')).toHaveLength(0);
    });

    it('Update_Match in a batch: blocked creates and plain ones together, each with its own outcome', async () => {
      await contactRule(updateMatch);
      const [jane, max] = await seed(org, 'Contact', [
        { FirstName: 'Jane', LastName: 'Doe', Email: 'jane.doe@old.example' },
        { FirstName: 'Max', LastName: 'Roe', Email: 'max.roe@old.example' },
      ]);
      await byName('Contact');
      const rs = [
        janeDoe(),
        claimed({
          interactionId: 'int_q4',
          answers: { first_name: 'New', last_name: 'Person', email: 'new@x.example' },
        }),
        claimed({
          interactionId: 'int_q4',
          answers: { first_name: 'Max', last_name: 'Roe', email: 'max@new.example' },
        }),
      ];
      const out = await syncResponses(ctx, rs);
      expect(rs.map((r) => out.get(r.responseId))).toEqual([
        { status: 'synced', object: 'Contact', recordId: jane, action: 'updated' },
        { status: 'synced', object: 'Contact', recordId: expect.stringMatching(/^003/), action: 'created' },
        { status: 'synced', object: 'Contact', recordId: max, action: 'updated' },
      ]);
      expect(await records(org, 'Contact')).toHaveLength(3);
    });
  });

  describe('converted Leads', () => {
    const leadRule = (options?: Record<string, unknown>) =>
      seedRule(org, {
        interactionId: 'int_lead',
        target: 'Lead',
        options,
        mappings: [...DEFAULTS, { source: 'q7', target: 'Company' }, { source: 'q8', target: 'Title' }],
      });
    const convert = (leadId: string, convertedDate: string) =>
      control(org, 'POST', orgPath(`/leads/${leadId}/convert`), { convertedDate });
    const answers = { first_name: 'Jane', last_name: 'Smith', email: 'jane@x.example', q7: 'Globex', q8: 'VP' };

    it('Update_Contact: the Contact of the only (converted) Lead is updated with the fields Contact has; Company named in a warning', async () => {
      await leadRule({ Converted_Lead__c: 'Update_Contact' });
      const [lead] = await seed(org, 'Lead', [
        { FirstName: 'Jane', LastName: 'Doe', Company: 'Acme', Email: 'jane@x.example' },
      ]);
      const { contactId } = await convert(lead, '2026-06-01');
      const outcome = await syncOne(claimed({ interactionId: 'int_lead', answers }));
      expect(outcome).toEqual({
        status: 'synced',
        object: 'Contact',
        recordId: contactId,
        action: 'updated',
        warnings: [
          { code: 'FIELD_NOT_WRITTEN', message: expect.stringContaining('Company is not a writable Contact field') },
        ],
      });
      const contact = (await records(org, 'Contact')).find((c) => c.Id === contactId);
      expect(contact).toMatchObject({ LastName: 'Smith', Title: 'VP' });
      expect(await records(org, 'Lead')).toHaveLength(1); // no new Lead
    });

    it('Update_Contact: several converted Leads → the Contact of the latest ConvertedDate', async () => {
      await leadRule({ Converted_Lead__c: 'Update_Contact' });
      const [older, newer] = await seed(org, 'Lead', [
        { LastName: 'Doe', Company: 'Acme', Email: 'jane@x.example' },
        { LastName: 'Doe', Company: 'Acme', Email: 'JANE@x.example' },
      ]);
      const latest = await convert(newer, '2026-09-01');
      await convert(older, '2026-03-01'); // converted later in time, but an earlier ConvertedDate
      expect(await syncOne(claimed({ interactionId: 'int_lead', answers }))).toMatchObject({
        object: 'Contact',
        recordId: latest.contactId,
        action: 'updated',
      });
    });

    it('default (New_Lead): a converted Lead with the email leads to a new Lead', async () => {
      await leadRule();
      const [lead] = await seed(org, 'Lead', [{ LastName: 'Doe', Company: 'Acme', Email: 'jane@x.example' }]);
      await convert(lead, '2026-06-01');
      const outcome = await syncOne(claimed({ interactionId: 'int_lead', answers }));
      expect(outcome).toMatchObject({ status: 'synced', object: 'Lead', action: 'created' });
      expect(outcome).not.toMatchObject({ recordId: lead });
      expect(await records(org, 'Lead')).toHaveLength(2);
    });

    it('Update_Contact: an unconverted Lead with the email is still the one updated', async () => {
      await leadRule({ Converted_Lead__c: 'Update_Contact' });
      const [converted, open] = await seed(org, 'Lead', [
        { LastName: 'Doe', Company: 'Acme', Email: 'jane@x.example' },
        { LastName: 'Open', Company: 'Acme', Email: 'jane@x.example' },
      ]);
      await convert(converted, '2026-06-01');
      expect(await syncOne(claimed({ interactionId: 'int_lead', answers }))).toMatchObject({
        object: 'Lead',
        recordId: open,
        action: 'updated',
      });
    });
  });
});
