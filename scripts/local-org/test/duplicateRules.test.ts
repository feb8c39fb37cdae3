// Duplicate rules on Contact and Lead, refusing creates and updates with DUPLICATES_DETECTED the way
// each REST resource answers. Sources: Salesforce Help "Duplicate Rules", "Matching Rules" (a rule
// compares records of its object or of one other object); REST API Developer Guide "Duplicate Rule
// Header"; SOAP API "DuplicateResult"/"MatchResult"/"MatchRecord"; REST API Developer Guide "Create
// Records Using sObject Collections" and "allOrNone Parameters in Composite and Collections Requests"
// (collection errors: statusCode, message, fields); production single-record answers quoted in
// gitlab-org/customers-gitlab-com#7138 (key "duplicateResut").
import type { LocalOrg } from '../src';
import { control, useRestOrg, VERSION } from './helpers';

describe('duplicate rules', () => {
  let org: LocalOrg;
  const rest = useRestOrg({ org: (o) => (org = o) });
  const rule = (body: Record<string, unknown>) =>
    control(org, 'POST', `/__local/orgs/${org.demo.orgId}/duplicate-rule`, body);
  const seed = async (sobject: string, rows: Record<string, unknown>[]) =>
    (await control(org, 'POST', `/__local/orgs/${org.demo.orgId}/records/${sobject}`, rows)).ids as string[];

  it('a single create answers [{duplicateResut, errorCode, message}] with the whole DuplicateResult', async () => {
    const [existing] = await seed('Contact', [{ FirstName: 'Jane', LastName: 'Doe', Email: 'jane@x.test' }]);
    await rule({ object: 'Contact', action: 'block' });
    const res = await rest('POST', '/sobjects/Contact', { LastName: 'Other', Email: 'JANE@x.test' });
    expect(res.status).toBe(400);
    const message = "You're creating a duplicate record. We recommend you use an existing record instead.";
    expect(res.body).toEqual([
      {
        duplicateResut: {
          allowSave: false,
          duplicateRule: 'Standard_Contact_Duplicate_Rule',
          duplicateRuleEntityType: 'Contact',
          errorMessage: message,
          matchResults: [
            {
              entityType: 'Contact',
              errors: [],
              matchEngine: 'FuzzyMatchEngine',
              matchRecords: [
                {
                  additionalInformation: [],
                  fieldDiffs: [],
                  matchConfidence: 100,
                  record: {
                    attributes: { type: 'Contact', url: `/services/data/v${VERSION}/sobjects/Contact/${existing}` },
                    Id: existing,
                  },
                },
              ],
              rule: 'Standard_Contact_Match_Rule_v1_1',
              size: 1,
              success: true,
            },
          ],
        },
        errorCode: 'DUPLICATES_DETECTED',
        message,
      },
    ]);
  });

  it('sObject Collections report DUPLICATES_DETECTED per record without the duplicate result; the other records are saved', async () => {
    await seed('Contact', [{ LastName: 'Doe', Email: 'jane@x.test' }]);
    await rule({ object: 'Contact', action: 'alert' });
    const res = await rest('POST', '/composite/sobjects', {
      records: [
        { attributes: { type: 'Contact' }, LastName: 'Dup', Email: 'jane@x.test' },
        { attributes: { type: 'Contact' }, LastName: 'New', Email: 'new@x.test' },
      ],
    });
    expect(res.body).toEqual([
      {
        success: false,
        errors: [{ statusCode: 'DUPLICATES_DETECTED', message: 'Use one of these records?', fields: [] }],
      },
      { id: expect.any(String), success: true, errors: [] },
    ]);
  });

  it('inside /composite a single-record subrequest carries the duplicate result in its body', async () => {
    const [existing] = await seed('Lead', [{ LastName: 'Doe', Company: 'Acme', Email: 'l@x.test' }]);
    await rule({ object: 'Lead', action: 'block' });
    const res = await rest('POST', '/composite', {
      compositeRequest: [
        {
          method: 'POST',
          url: `/services/data/v${VERSION}/sobjects/Lead`,
          referenceId: 'lead',
          body: { LastName: 'Doe', Company: 'Acme', Email: 'l@x.test' },
        },
      ],
    });
    expect(res.body.compositeResponse[0]).toMatchObject({
      httpStatusCode: 400,
      body: [
        {
          errorCode: 'DUPLICATES_DETECTED',
          duplicateResut: {
            duplicateRuleEntityType: 'Lead',
            matchResults: [{ matchRecords: [{ record: { Id: existing } }] }],
          },
        },
      ],
    });
  });

  it('match by first and last name (case-insensitive; blanks never match), and by email or name', async () => {
    await seed('Contact', [
      { FirstName: 'Ann', LastName: 'Lee', Email: 'ann@x.test' },
      { LastName: 'Nofirst', Email: 'n@x.test' },
    ]);
    await rule({ object: 'Contact', action: 'block', match: 'name' });
    expect(
      (await rest('POST', '/sobjects/Contact', { FirstName: 'ANN', LastName: 'lee', Email: 'other@x.test' })).status,
    ).toBe(400);
    expect(
      (await rest('POST', '/sobjects/Contact', { FirstName: 'Ann', LastName: 'Other', Email: 'ann@x.test' })).status,
    ).toBe(201);
    expect((await rest('POST', '/sobjects/Contact', { LastName: 'Nofirst' })).status).toBe(201);
    await rule({ object: 'Contact', action: 'block', match: 'email_or_name' });
    const both = await rest('POST', '/sobjects/Contact', { FirstName: 'Zed', LastName: 'Z', Email: 'ann@x.test' });
    expect(both.body[0].duplicateResut.matchResults[0].size).toBe(2);
  });

  it('a Lead rule can compare with Contacts: the match result names the Contact and its matching rule', async () => {
    const [c] = await seed('Contact', [{ LastName: 'Doe', Email: 'd@x.test' }]);
    const set = await rule({ object: 'Lead', action: 'alert', compareWith: 'Contact' });
    expect(set.duplicateRules[0].name).toBe('Standard_Rule_for_Leads_with_Duplicate_Contacts');
    const res = await rest('POST', '/sobjects/Lead', { LastName: 'Doe', Company: 'Acme', Email: 'd@x.test' });
    expect(res.body[0].duplicateResut).toMatchObject({
      allowSave: true,
      duplicateRule: 'Standard_Rule_for_Leads_with_Duplicate_Contacts',
      duplicateRuleEntityType: 'Lead',
      matchResults: [
        { entityType: 'Contact', rule: 'Standard_Contact_Match_Rule_v1_1', matchRecords: [{ record: { Id: c } }] },
      ],
    });
    const saved = await rest(
      'POST',
      '/sobjects/Lead',
      { LastName: 'Doe', Company: 'Acme', Email: 'd@x.test' },
      { 'Sforce-Duplicate-Rule-Header': 'allowSave=true' },
    );
    expect(saved.status).toBe(201);
  });

  it('updates are checked too (Action On Edit), unless the rule says onEdit: false; the record never matches itself', async () => {
    const [a, b] = await seed('Contact', [
      { LastName: 'A', Email: 'a@x.test' },
      { LastName: 'B', Email: 'b@x.test' },
    ]);
    await rule({ object: 'Contact', action: 'block' });
    expect((await rest('PATCH', `/sobjects/Contact/${a}`, { Title: 'CTO' })).status).toBe(204);
    const clash = await rest('PATCH', `/sobjects/Contact/${b}`, { Email: 'a@x.test' });
    expect(clash.body[0]).toMatchObject({
      errorCode: 'DUPLICATES_DETECTED',
      duplicateResut: { matchResults: [{ size: 1 }] },
    });
    await rule({ object: 'Contact', action: 'block', onEdit: false });
    expect((await rest('PATCH', `/sobjects/Contact/${b}`, { Email: 'a@x.test' })).status).toBe(204);
  });

  it('action null removes the rules of the object; bad bodies are refused', async () => {
    await rule({ object: 'Contact', action: 'block' });
    expect((await rule({ object: 'Contact', action: null })).duplicateRules).toEqual([]);
    await expect(rule({ object: 'Account', action: 'block' })).rejects.toThrow(/400/);
    await expect(rule({ object: 'Contact', action: 'block', match: 'phone' })).rejects.toThrow(/400/);
  });
});
