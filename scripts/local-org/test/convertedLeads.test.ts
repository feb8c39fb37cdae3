// Converted Leads: POST /__local/orgs/:orgId/leads/:leadId/convert does what converting a Lead does
// (Salesforce Help "Convert Leads"; Object Reference "Lead": IsConverted, ConvertedDate,
// ConvertedAccountId, ConvertedContactId), after which the API refuses to update the Lead
// (CANNOT_UPDATE_CONVERTED_LEAD, "cannot reference converted lead") and SOQL filters and orders on
// the conversion fields (SOQL and SOSL Reference "ORDER BY").
import type { Connection } from 'jsforce';
import type { LocalOrg } from '../src';
import { control, useRestOrg } from './helpers';

describe('converted Leads', () => {
  let org: LocalOrg;
  let conn: Connection;
  const rest = useRestOrg({ org: (o) => (org = o), conn: (c) => (conn = c) });
  const convert = (leadId: string, body: Record<string, unknown> = {}) =>
    control(org, 'POST', `/__local/orgs/${org.demo.orgId}/leads/${leadId}/convert`, body);
  const lead = async (over: Record<string, unknown>) =>
    (await rest('POST', '/sobjects/Lead', { LastName: 'Doe', Company: 'Acme', ...over })).body.id as string;

  it('creates the Account and the Contact from the Lead and marks it converted', async () => {
    const id = await lead({ FirstName: 'Jane', Email: 'jane@x.test', Title: 'CTO', Quiz_Score__c: 80 });
    const out = await convert(id);
    expect(out).toEqual({
      leadId: id,
      contactId: expect.stringMatching(/^003/),
      accountId: expect.stringMatching(/^001/),
      convertedDate: new Date().toISOString().slice(0, 10),
    });
    const l = await conn.sobject('Lead').retrieve(id);
    expect(l).toMatchObject({
      IsConverted: true,
      Status: 'Closed - Converted',
      ConvertedContactId: out.contactId,
      ConvertedAccountId: out.accountId,
    });
    const c = await conn.query<any>(
      `SELECT FirstName, LastName, Email, Title, Quiz_Score__c, Account.Name FROM Contact WHERE Id = '${out.contactId}'`,
    );
    expect(c.records[0]).toMatchObject({
      FirstName: 'Jane',
      LastName: 'Doe',
      Email: 'jane@x.test',
      Title: 'CTO',
      Quiz_Score__c: 80,
      Account: { Name: 'Acme' },
    });
    await expect(convert(id)).rejects.toThrow(/already converted/);
  });

  it('into an existing Contact, on a given date; the Lead can then not be updated, alone or in a collection', async () => {
    const contactId = (await rest('POST', '/sobjects/Contact', { LastName: 'Existing' })).body.id;
    const id = await lead({ Email: 'x@x.test' });
    await convert(id, { contactId, convertedDate: '2026-01-15' });
    expect(await conn.sobject('Lead').retrieve(id)).toMatchObject({
      ConvertedContactId: contactId,
      ConvertedDate: '2026-01-15',
    });
    const single = await rest('PATCH', `/sobjects/Lead/${id}`, { Title: 'New' });
    expect(single.status).toBe(400);
    expect(single.body[0]).toMatchObject({
      errorCode: 'CANNOT_UPDATE_CONVERTED_LEAD',
      message: 'cannot reference converted lead',
    });
    const many = await rest('PATCH', '/composite/sobjects', {
      records: [{ attributes: { type: 'Lead' }, Id: id, Title: 'New' }],
    });
    expect(many.body[0].errors[0].statusCode).toBe('CANNOT_UPDATE_CONVERTED_LEAD');
  });

  it('SOQL selects, filters and orders on IsConverted, ConvertedDate, ConvertedContactId and LastModifiedDate', async () => {
    const a = await lead({ Email: 'same@x.test', LastName: 'A' });
    const b = await lead({ Email: 'same@x.test', LastName: 'B' });
    const open = await lead({ Email: 'same@x.test', LastName: 'Open' });
    const ca = await convert(a, { convertedDate: '2026-03-01' });
    const cb = await convert(b, { convertedDate: '2026-05-01' });
    const q = await conn.query<any>(
      "SELECT Id, ConvertedContactId, ConvertedContact.LastName, ConvertedDate FROM Lead WHERE Email = 'same@x.test' AND IsConverted = true ORDER BY ConvertedDate DESC, LastModifiedDate DESC",
    );
    expect(q.records.map((r: any) => [r.Id, r.ConvertedContactId, r.ConvertedContact.LastName])).toEqual([
      [b, cb.contactId, 'B'],
      [a, ca.contactId, 'A'],
    ]);
    const unconverted = await conn.query<any>(
      "SELECT Id FROM Lead WHERE Email = 'same@x.test' AND IsConverted = false",
    );
    expect(unconverted.records.map((r: any) => r.Id)).toEqual([open]);
    const recent = await conn.query<any>(
      'SELECT Id FROM Lead WHERE ConvertedDate > 2026-04-01 AND LastModifiedDate = TODAY',
    );
    expect(recent.records.map((r: any) => r.Id)).toEqual([b]);
  });

  it('refuses an unknown Lead or Contact', async () => {
    await expect(convert('00Qbm000000ZZZZAAA')).rejects.toThrow(/400.*no Lead/);
    const id = await lead({});
    await expect(convert(id, { contactId: '003bm000000ZZZZAAA' })).rejects.toThrow(/no Contact/);
  });
});
