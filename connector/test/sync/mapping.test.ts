import { DEFAULT_MAPPINGS, SYSTEM_FIELDS } from '../../src/rules';
import { toObjectInfo } from '../../src/sync/describe';
import { checkRule, mapResponse, missingRequired } from '../../src/sync/mapping';
import { sourceValue, type ResponsePayload } from '../../src/sync/payload';
import type { SyncRule } from '../../src/sync/settings';

type OkRule = Extract<SyncRule, { ok: true }>;
const f = (name: string, type = 'string', extra: Record<string, unknown> = {}) => ({
  name,
  type,
  length: 80,
  createable: true,
  updateable: true,
  nillable: true,
  picklistValues: [],
  ...extra,
});
const lead = toObjectInfo('Lead', {
  fields: [
    f('Id', 'id', { createable: false, updateable: false }),
    f('FirstName'),
    f('LastName'),
    f('Email', 'email'),
    f('Company'),
    f('LeadSource', 'picklist'),
    f('Title', 'string', { length: 10 }),
    f('NumberOfEmployees', 'int'),
  ],
} as never);
const rule = (over: Partial<OkRule> = {}): OkRule => ({
  ok: true,
  ruleName: 'R',
  interactionId: 'int_1',
  enabled: true,
  target: 'Lead',
  mappings: [...DEFAULT_MAPPINGS, { sourceField: 'q7', targetField: 'Company' }],
  duplicateHandling: 'Fail',
  convertedLead: 'New_Lead',
  ...over,
});
const payload = (answers: Record<string, unknown>): ResponsePayload => ({
  responseId: 'rsp_1',
  interactionId: 'int_1',
  interactionName: 'Q4 Webinar Quiz',
  completedAt: new Date('2026-11-28T19:00:00Z'),
  score: 80,
  answers: new Map(Object.entries(answers)) as ResponsePayload['answers'],
});

describe('sync rule checks (SPEC §2 required fields, INVALID_MAPPING)', () => {
  it('a Lead rule without Company fails REQUIRED_FIELD_NOT_MAPPED naming it', () => {
    const r = checkRule(rule({ mappings: DEFAULT_MAPPINGS }), lead);
    expect(r).toMatchObject({ status: 'failed', code: 'REQUIRED_FIELD_NOT_MAPPED' });
    expect(r!.message).toContain('Company');
  });
  it('a mapping to a field that does not exist or is read-only fails INVALID_MAPPING', () => {
    expect(
      checkRule(rule({ mappings: [...rule().mappings, { sourceField: 'q1', targetField: 'Nope__c' }] }), lead),
    ).toMatchObject({ code: 'INVALID_MAPPING' });
    expect(
      checkRule(rule({ mappings: [...rule().mappings, { sourceField: 'q1', targetField: 'Id' }] }), lead),
    ).toMatchObject({ code: 'INVALID_MAPPING' });
  });
  it('accepts field names case-insensitively', () => {
    expect(
      checkRule(
        rule({
          mappings: [
            { sourceField: 'last_name', targetField: 'lastname' },
            { sourceField: 'q7', targetField: 'COMPANY' },
          ],
        }),
        lead,
      ),
    ).toBeUndefined();
  });
});

describe('mapResponse', () => {
  it('omits unanswered values, writes static values, lower-cases the match key, records truncation', () => {
    const r = rule({
      mappings: [
        ...rule().mappings,
        { targetField: 'LeadSource', staticValue: 'CredSpark' },
        { sourceField: '$interaction_name', targetField: 'Title' },
      ],
    });
    const m = mapResponse(r, lead, payload({ first_name: null, last_name: 'Smith', email: 'Jane@Gmail.com', q7: '' }));
    expect(m).toEqual({
      responseId: 'rsp_1',
      fields: { LastName: 'Smith', Email: 'Jane@Gmail.com', LeadSource: 'CredSpark', Title: 'Q4 Webinar' },
      matchKey: 'jane@gmail.com',
      warnings: [{ code: 'FIELD_TRUNCATED', message: 'Title truncated to 10 characters' }],
    });
  });
  it('fails INVALID_FIELD_VALUE naming the field when a value cannot be converted', () => {
    const r = rule({ mappings: [...rule().mappings, { sourceField: 'q9', targetField: 'NumberOfEmployees' }] });
    expect(mapResponse(r, lead, payload({ last_name: 'S', q9: 'many' }))).toMatchObject({
      status: 'failed',
      code: 'INVALID_FIELD_VALUE',
      message: expect.stringContaining('NumberOfEmployees'),
    });
  });
  it('REQUIRED_FIELD_MISSING when a create lacks a required value', () => {
    expect(missingRequired(rule(), { LastName: 'S' })).toMatchObject({
      code: 'REQUIRED_FIELD_MISSING',
      message: expect.stringContaining('Company'),
    });
    expect(missingRequired(rule(), { LastName: 'S', Company: 'Acme' })).toBeUndefined();
  });
});

describe('system $ fields (SPEC §4)', () => {
  it('resolves every system field of the shared rules', () => {
    const p = payload({});
    const values = Object.fromEntries(SYSTEM_FIELDS.map((s) => [s.key, sourceValue(p, s.key)]));
    expect(values).toEqual({
      $response_id: 'rsp_1',
      $interaction_name: 'Q4 Webinar Quiz',
      $completed_at: '2026-11-28T19:00:00.000Z',
      $score: 80,
    });
  });
});
