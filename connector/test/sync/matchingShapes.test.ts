import { createLogger } from '../../src/observability/logger';
import { readWarnings } from '../../src/store/rows';
import type { ClaimedResponse } from '../../src/store/types';
import { pack, type Subrequest } from '../../src/sync/composite';
import { decideDuplicate, duplicateMatches, duplicateResultOf } from '../../src/sync/duplicates';
import { pickConversion } from '../../src/sync/match';
import { recordInputs } from '../../src/sync/followUps';
import { covered, recordFields } from '../../src/sync/responseRecords';
import { parseSettings } from '../../src/sync/settings';

/**
 * The pure decisions of matching and sync health, fed with the shapes Salesforce documents:
 * - DuplicateError / DuplicateResult / MatchResult / MatchRecord (SOAP API Developer Guide,
 *   https://developer.salesforce.com/docs/platform/api/guide/sforce-api-objects-duplicateresult.html
 *   and …-matchresult.html; REST returns them as JSON in a save result's `errors`);
 * - Lead `ConvertedDate` (Date), `ConvertedContactId` (Object Reference, Lead);
 * - "Send Multiple Requests Using Composite": ≤ 25 subrequests, ≤ 5 sObject Collections or queries.
 */
const contactUrl = (id: string) => `/services/data/v62.0/sobjects/Contact/${id}`;
const duplicateResult = (records: { type: string; id: string }[], entityType = 'Contact') => ({
  allowSave: false,
  duplicateRule: 'Standard_Rule_for_Contacts_with_Duplicate_Leads',
  duplicateRuleEntityType: 'Contact',
  errorMessage: 'Use one of these records?',
  matchResults: [
    {
      entityType,
      errors: [],
      matchEngine: 'ExactMatchEngine',
      matchRecords: records.map((r) => ({
        additionalInformation: [],
        fieldDiffs: [],
        matchConfidence: 100,
        record: { attributes: { type: r.type, url: contactUrl(r.id) }, Id: r.id },
      })),
      rule: 'Standard_Contact_Match_Rule_v1_1',
      size: records.length,
      success: true,
    },
  ],
});

describe('duplicate results (DuplicateResult → MatchResult → MatchRecord)', () => {
  it('names the one matching record with its object', () => {
    expect(duplicateMatches(duplicateResult([{ type: 'Contact', id: '003000000000001AAA' }]))).toEqual([
      { object: 'Contact', id: '003000000000001AAA' },
    ]);
  });

  it('counts a record named by two matching rules (15- and 18-character Ids) once', () => {
    const two = duplicateResult([{ type: 'Contact', id: '003000000000001AAA' }]);
    two.matchResults.push({
      ...two.matchResults[0],
      matchRecords: [
        {
          ...two.matchResults[0].matchRecords[0],
          record: { attributes: { type: 'Contact', url: '' }, Id: '003000000000001' },
        },
      ],
    });
    expect(duplicateMatches(two)).toHaveLength(1);
  });

  it('skips a matching rule that did not run (success false) and unreadable shapes', () => {
    const failed = duplicateResult([{ type: 'Contact', id: '003000000000001AAA' }]);
    failed.matchResults[0].success = false;
    expect(duplicateMatches(failed)).toEqual([]);
    expect(duplicateMatches(undefined)).toEqual([]);
    expect(duplicateMatches({ matchResults: 'x' })).toEqual([]);
  });

  it('reads the result of a single-record create under the wire spelling "duplicateResut" and the documented one', () => {
    const result = duplicateResult([{ type: 'Lead', id: '00Q000000000001AAA' }], 'Lead');
    const wire = { errorCode: 'DUPLICATES_DETECTED', message: 'Use one of these records?', duplicateResut: result };
    expect(duplicateMatches(duplicateResultOf(wire))).toEqual([{ object: 'Lead', id: '00Q000000000001AAA' }]);
    expect(
      duplicateMatches(duplicateResultOf({ ...wire, duplicateResut: undefined, duplicateResult: result })),
    ).toHaveLength(1);
    // sObject Collections leave it out: nothing to read, the engine asks again with a single create.
    expect(duplicateResultOf({ statusCode: 'DUPLICATES_DETECTED', message: 'x', fields: [] })).toBeUndefined();
  });

  it('Update_Match: exactly one record of the target object is updated', () => {
    expect(decideDuplicate('Contact', [{ object: 'Contact', id: '003A' }], 'dup')).toEqual({ update: '003A' });
  });

  it("Update_Match: several matches, or a match of another object, fail with Salesforce's message and the reason", () => {
    const several = decideDuplicate(
      'Contact',
      [
        { object: 'Contact', id: '003A' },
        { object: 'Contact', id: '003B' },
      ],
      'Use one of these records?',
    );
    expect(several).toEqual({ fail: expect.stringMatching(/^Use one of these records\? .*2 records/) });
    const other = decideDuplicate('Lead', [{ object: 'Contact', id: '003A' }], 'Use one of these records?');
    expect(other).toEqual({ fail: expect.stringContaining('a Contact, not a Lead') });
    expect(decideDuplicate('Lead', [], 'x')).toHaveProperty('fail');
  });
});

describe('converted Leads: the most recent conversion', () => {
  const lead = (
    Id: string,
    ConvertedDate: string | null,
    LastModifiedDate: string,
    ConvertedContactId: string | null = `003${Id}`,
  ) => ({
    Id,
    IsConverted: true,
    ConvertedDate,
    LastModifiedDate,
    ConvertedContactId,
  });
  it('latest ConvertedDate wins', () => {
    const rows = [
      lead('A', '2026-01-01', '2026-11-01T00:00:00.000+0000'),
      lead('B', '2026-03-01', '2026-02-01T00:00:00.000+0000'),
    ];
    expect(pickConversion(rows)?.Id).toBe('B');
  });
  it('same ConvertedDate: latest LastModifiedDate, then the greatest Id', () => {
    const rows = [
      lead('A', '2026-03-01', '2026-03-02T00:00:00.000+0000'),
      lead('C', '2026-03-01', '2026-03-01T00:00:00.000+0000'),
      lead('B', '2026-03-01', '2026-03-02T00:00:00.000+0000'),
    ];
    expect(pickConversion(rows)?.Id).toBe('B');
  });
  it('passes over unconverted Leads and conversions without a Contact', () => {
    expect(
      pickConversion([{ ...lead('A', '2026-03-01', '2026-03-01T00:00:00.000+0000'), IsConverted: false }]),
    ).toBeUndefined();
    expect(
      pickConversion([
        lead('A', '2026-09-01', '2026-09-01T00:00:00.000+0000', null),
        lead('B', '2026-01-01', '2026-01-01T00:00:00.000+0000'),
      ])?.Id,
    ).toBe('B');
  });
});

describe('rule fields of SPEC §3 (Duplicate_Handling__c, Converted_Lead__c, Campaign_Id__c, Campaign_Status__c)', () => {
  const ctx = { namespace: 'credspark', orgId: '00D000000000001AAA', log: createLogger('silent') };
  const rule = (fields: Record<string, unknown>, target = 'Lead') => ({
    DeveloperName: 'R1',
    credspark__Enabled__c: true,
    credspark__Target_Object__c: target,
    credspark__Interaction__r: { credspark__Interaction_Id__c: 'int_1' },
    ...fields,
  });
  const maps = [
    {
      credspark__Sync_Rule__r: { DeveloperName: 'R1' },
      credspark__Source_Field__c: 'last_name',
      credspark__Target_Field__c: 'LastName',
    },
  ];
  const parse = (fields: Record<string, unknown>, target?: string) =>
    parseSettings(ctx, [rule(fields, target)], maps).get('int_1');

  it('empty fields are the defaults: Fail, New_Lead, no campaign', () => {
    const r = parse({ credspark__Duplicate_Handling__c: null, credspark__Converted_Lead__c: '' });
    expect(r).toMatchObject({ ok: true, duplicateHandling: 'Fail', convertedLead: 'New_Lead' });
    expect(r).not.toHaveProperty('campaign');
  });
  it('options are read whatever their case and blanks; Converted_Lead__c counts on Lead rules only', () => {
    expect(
      parse({ credspark__Duplicate_Handling__c: ' update_match ', credspark__Converted_Lead__c: 'UPDATE_CONTACT' }),
    ).toMatchObject({
      duplicateHandling: 'Update_Match',
      convertedLead: 'Update_Contact',
    });
    expect(parse({ credspark__Converted_Lead__c: 'Update_Contact' }, 'Contact')).toMatchObject({
      ok: true,
      convertedLead: 'New_Lead',
    });
  });
  it('an unknown option or a malformed Campaign Id makes the rule fail INVALID_MAPPING with what to fix', () => {
    expect(parse({ credspark__Duplicate_Handling__c: 'Merge' })).toMatchObject({
      ok: false,
      error: expect.stringContaining('Duplicate_Handling__c must be Fail or Update_Match'),
    });
    expect(parse({ credspark__Campaign_Id__c: '003000000000001AAA' })).toMatchObject({
      ok: false,
      error: expect.stringContaining('Campaign_Id__c'),
    });
  });
  it("a campaign with its member status, or with none (the campaign's default)", () => {
    expect(
      parse({ credspark__Campaign_Id__c: '701000000000001AAA', credspark__Campaign_Status__c: 'Responded' }),
    ).toMatchObject({
      campaign: { campaignId: '701000000000001AAA', status: 'Responded' },
    });
    expect(parse({ credspark__Campaign_Id__c: '701000000000001' })).toMatchObject({
      campaign: { campaignId: '701000000000001', status: undefined },
    });
  });
});

describe('warnings as SPEC §5 [{code, message}]', () => {
  it('reads rows written before codes existed (plain strings) with the code their wording implies', () => {
    expect(
      readWarnings(
        JSON.stringify([
          'Title truncated to 128 characters',
          'Email is not updateable; left out of the update',
          'other',
        ]),
      ),
    ).toEqual([
      { code: 'FIELD_TRUNCATED', message: 'Title truncated to 128 characters' },
      { code: 'FIELD_NOT_WRITTEN', message: 'Email is not updateable; left out of the update' },
      { code: 'WARNING', message: 'other' },
    ]);
    expect(readWarnings(JSON.stringify([{ code: 'CAMPAIGN_MEMBER_FAILED', message: 'm' }]))).toEqual([
      { code: 'CAMPAIGN_MEMBER_FAILED', message: 'm' },
    ]);
  });
});

describe('packing subrequests ("Send Multiple Requests Using Composite": ≤ 25, ≤ 5 collections or queries)', () => {
  const sub = (path: string): Subrequest => ({ referenceId: 'r', method: 'POST', path, done: () => undefined });
  const collection = () => sub('/composite/sobjects');
  const single = () => sub('/sobjects/Contact');
  it('six collection chunks take two calls; units are never split', () => {
    const calls = pack([
      [collection(), collection(), collection()],
      [collection(), collection(), collection()],
    ]);
    expect(calls.map((c) => c.length)).toEqual([3, 3]);
    expect(
      pack([[collection()], [collection()], [collection()], [collection()], [collection()], [collection()]]).map(
        (c) => c.length,
      ),
    ).toEqual([5, 1]);
  });
  it('queries count like collections; single-record subrequests only against the 25', () => {
    expect(
      pack([[sub('/query?q=x'), collection(), collection(), collection(), collection()], [single()]]).map(
        (c) => c.length,
      ),
    ).toEqual([6]);
    expect(pack(Array.from({ length: 26 }, () => [single()])).map((c) => c.length)).toEqual([25, 1]);
  });
  it('refuses a unit that could never fit one call', () => {
    expect(() => pack([Array.from({ length: 6 }, collection)])).toThrow(/cannot fit/);
  });
});

describe('CredSpark_Response__c records (SPEC §3b)', () => {
  const response = {
    responseId: 'rsp_1',
    interactionId: 'int_1',
    completedAt: new Date('2026-11-28T19:00:00Z'),
    attempts: 2,
  } as ClaimedResponse;
  it('Failures (default) covers failed responses and keeps an existing record up to date; All covers synced too; None nothing', () => {
    const failed = { status: 'failed' as const, code: 'X', message: 'm' };
    const synced = {
      status: 'synced' as const,
      object: 'Contact' as const,
      recordId: '003A',
      action: 'created' as const,
    };
    expect(covered('Failures', failed, false)).toBe(true);
    expect(covered('Failures', synced, false)).toBe(false);
    expect(covered('Failures', synced, true)).toBe(true);
    expect(covered('All', synced, false)).toBe(true);
    expect(covered('All', { status: 'skipped', code: 'SYNC_DISABLED', message: '' }, true)).toBe(false);
    expect(covered('None', failed, true)).toBe(false);
  });
  it('a retry the worker gives up for age gets its failure record; a retry it keeps gets none', () => {
    const r = (responseId: string) => ({ ...response, responseId }) as ClaimedResponse;
    const retry = { status: 'retry' as const, code: 'UNABLE_TO_LOCK_ROW', message: 'locked' };
    const out = new Map([
      ['rsp_old', retry],
      ['rsp_new', retry],
    ]);
    const givesUp = (c: ClaimedResponse, o: typeof retry) =>
      c.responseId === 'rsp_old'
        ? { status: 'failed' as const, code: o.code, message: `${o.message} (gave up)` }
        : undefined;
    const inputs = recordInputs('Failures', [r('rsp_old'), r('rsp_new')], out, { payloads: new Map() }, givesUp);
    expect(inputs.map((i) => [i.response.responseId, i.outcome])).toEqual([
      ['rsp_old', { status: 'failed', code: 'UNABLE_TO_LOCK_ROW', message: 'locked (gave up)' }],
    ]);
    expect(recordInputs('Failures', [r('rsp_old')], out, { payloads: new Map() })).toEqual([]);
  });

  it('a failure carries code and message cut to the field lengths, attempts counted, no lookup', () => {
    const f = recordFields(
      'credspark__',
      { response, outcome: { status: 'failed', code: 'C'.repeat(70), message: 'm'.repeat(5000), object: 'Lead' } },
      new Date('2026-11-29T00:00:00Z'),
    );
    expect(f).toMatchObject({
      credspark__Response_Id__c: 'rsp_1',
      credspark__Status__c: 'Failed',
      credspark__Action__c: null,
      credspark__Target_Object__c: 'Lead',
      credspark__Lead__c: null,
      credspark__Attempts__c: 3,
      credspark__Last_Attempt_At__c: '2026-11-29T00:00:00.000Z',
      credspark__Completed_At__c: '2026-11-28T19:00:00.000Z',
    });
    expect((f.credspark__Error_Code__c as string).length).toBe(64);
    expect((f.credspark__Error_Message__c as string).length).toBe(4000);
    expect(f).not.toHaveProperty('credspark__Retry_Requested__c');
  });
  it('a success clears the error and points the lookup at the record written', () => {
    const f = recordFields(
      '',
      { response, outcome: { status: 'synced', object: 'Contact', recordId: '003A', action: 'updated' } },
      new Date(),
    );
    expect(f).toMatchObject({
      Status__c: 'Synced',
      Action__c: 'Updated',
      Contact__c: '003A',
      Lead__c: null,
      Error_Code__c: null,
      Error_Message__c: null,
    });
  });
});
