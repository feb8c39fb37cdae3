// Campaigns, member statuses and members. Sources: Salesforce Help "Campaign Member Statuses" (every
// campaign starts with Sent, the default, and Responded); Object Reference "Campaign",
// "CampaignMemberStatus" (one default, at least one responded; query and retrieve only),
// "CampaignMember" (ContactId or LeadId — with both only ContactId is kept; an existing membership is
// an error); SOAP API CampaignMember (a status that is not one of the campaign's becomes the default);
// error texts seen from the REST API ("Already a campaign member.", DUPLICATE_VALUE).
import type { Connection } from 'jsforce';
import type { LocalOrg } from '../src';
import { control, useRestOrg } from './helpers';

describe('campaigns and campaign members', () => {
  let org: LocalOrg;
  let conn: Connection;
  const rest = useRestOrg({ org: (o) => (org = o), conn: (c) => (conn = c) });
  const campaign = (body: Record<string, unknown>) =>
    control(org, 'POST', `/__local/orgs/${org.demo.orgId}/campaigns`, body);
  const contact = async () => (await rest('POST', '/sobjects/Contact', { LastName: 'Doe' })).body.id as string;
  const member = (body: Record<string, unknown>) => rest('POST', '/sobjects/CampaignMember', body);

  it('a new campaign has the member statuses Sent (default) and Responded (responded), queryable by SOQL', async () => {
    const c = await campaign({ name: 'Q4 Webinar', isActive: true });
    expect(c.statuses.map((s: any) => [s.label, s.isDefault, s.hasResponded])).toEqual([
      ['Sent', true, false],
      ['Responded', false, true],
    ]);
    const q = await conn.query<any>(
      `SELECT Label, IsDefault, HasResponded FROM CampaignMemberStatus WHERE CampaignId = '${c.id}' ORDER BY SortOrder`,
    );
    expect(q.records.map((r: any) => r.Label)).toEqual(['Sent', 'Responded']);
    const camp = await conn.query<any>(`SELECT Name, IsActive FROM Campaign WHERE Id = '${c.id}'`);
    expect(camp.records[0]).toMatchObject({ Name: 'Q4 Webinar', IsActive: true });
    // Created through the REST API, a campaign gets the same two statuses.
    const viaApi = await rest('POST', '/sobjects/Campaign', { Name: 'From API' });
    const s = await conn.query(`SELECT Id FROM CampaignMemberStatus WHERE CampaignId = '${viaApi.body.id}'`);
    expect(s.totalSize).toBe(2);
  });

  it('statuses added by control; a new default replaces the old; CampaignMemberStatus is read-only through the API', async () => {
    const c = await campaign({ name: 'Event', memberStatuses: [{ label: 'Attended', hasResponded: true }] });
    const after = await control(org, 'POST', `/__local/orgs/${org.demo.orgId}/campaigns/${c.id}/member-statuses`, [
      { label: 'Registered', isDefault: true },
    ]);
    expect(after.statuses.map((s: any) => [s.label, s.isDefault])).toEqual([
      ['Sent', false],
      ['Responded', false],
      ['Attended', false],
      ['Registered', true],
    ]);
    const refused = await rest('POST', '/sobjects/CampaignMemberStatus', { CampaignId: c.id, Label: 'X' });
    expect(refused.body[0].errorCode).toBe('INVALID_TYPE_FOR_OPERATION');
  });

  it('a member gets the given status, or the default for none or an unknown one; HasResponded follows the status', async () => {
    const c = await campaign({ name: 'Q4' });
    const [a, b, d] = [await contact(), await contact(), await contact()];
    expect((await member({ CampaignId: c.id, ContactId: a, Status: 'responded' })).status).toBe(201);
    await member({ CampaignId: c.id, ContactId: b });
    await member({ CampaignId: c.id, ContactId: d, Status: 'No such status' });
    const q = await conn.query<any>(
      `SELECT ContactId, Status, HasResponded FROM CampaignMember WHERE CampaignId = '${c.id}' ORDER BY CreatedDate, Id`,
    );
    const by = Object.fromEntries(q.records.map((r: any) => [r.ContactId, [r.Status, r.HasResponded]]));
    expect(by).toEqual({ [a]: ['Responded', true], [b]: ['Sent', false], [d]: ['Sent', false] });
  });

  it('a second membership of the same person is DUPLICATE_VALUE "Already a campaign member.", also within one collection', async () => {
    const c = await campaign({ name: 'Q4' });
    const a = await contact();
    await member({ CampaignId: c.id, ContactId: a });
    const again = await member({ CampaignId: c.id, ContactId: a, Status: 'Responded' });
    expect(again.status).toBe(400);
    expect(again.body).toEqual([{ message: 'Already a campaign member.', errorCode: 'DUPLICATE_VALUE', fields: [] }]);
    const b = await contact();
    const many = await rest('POST', '/composite/sobjects', {
      records: [
        { attributes: { type: 'CampaignMember' }, CampaignId: c.id, ContactId: b },
        { attributes: { type: 'CampaignMember' }, CampaignId: c.id, ContactId: b },
      ],
    });
    expect(many.body.map((r: any) => r.success)).toEqual([true, false]);
    expect(many.body[1].errors[0]).toEqual({
      statusCode: 'DUPLICATE_VALUE',
      message: 'Already a campaign member.',
      fields: [],
    });
  });

  it('campaign and person ids are checked: missing, malformed, of another object, unknown; a member needs a Contact or a Lead', async () => {
    const c = await campaign({ name: 'Q4' });
    const a = await contact();
    expect((await member({ ContactId: a })).body[0]).toMatchObject({
      errorCode: 'REQUIRED_FIELD_MISSING',
      fields: ['CampaignId'],
    });
    expect((await member({ CampaignId: 'nope', ContactId: a })).body[0].errorCode).toBe('MALFORMED_ID');
    expect((await member({ CampaignId: a, ContactId: a })).body[0].errorCode).toBe('FIELD_INTEGRITY_EXCEPTION');
    expect((await member({ CampaignId: '701bm000000ZZZZAAA', ContactId: a })).body[0].errorCode).toBe(
      'INVALID_CROSS_REFERENCE_KEY',
    );
    expect((await member({ CampaignId: c.id })).body[0].errorCode).toBe('REQUIRED_FIELD_MISSING');
  });

  it('with both ContactId and LeadId only the ContactId is kept; an inactive campaign takes members; a member moves to another status by update', async () => {
    const c = await campaign({ name: 'Old', isActive: false });
    const a = await contact();
    const leadId = (await rest('POST', '/sobjects/Lead', { LastName: 'L', Company: 'C' })).body.id;
    const m = await member({ CampaignId: c.id, ContactId: a, LeadId: leadId });
    expect(m.status).toBe(201);
    expect((await rest('PATCH', `/sobjects/CampaignMember/${m.body.id}`, { Status: 'Responded' })).status).toBe(204);
    const q = await conn.query<any>(
      `SELECT ContactId, LeadId, Status, HasResponded FROM CampaignMember WHERE Id = '${m.body.id}'`,
    );
    expect(q.records[0]).toMatchObject({ ContactId: a, LeadId: null, Status: 'Responded', HasResponded: true });
    expect((await rest('PATCH', `/sobjects/CampaignMember/${m.body.id}`, { ContactId: a })).body[0].errorCode).toBe(
      'INVALID_FIELD_FOR_INSERT_UPDATE',
    );
  });
});
