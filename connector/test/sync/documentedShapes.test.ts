import { createLogger } from '../../src/observability/logger';
import { convertValue } from '../../src/sync/convert';
import type { FieldInfo } from '../../src/sync/describe';
import { parseSalesforceDateTime, parseSettings, pick } from '../../src/sync/settings';

/**
 * Response shapes Salesforce documents that our local org happens not to produce, fed to the pure
 * parsing steps of the sync engine. Sources: REST API Developer Guide "Execute a SOQL Query"
 * (records with `attributes`, parent relationships as nested objects or null), "Valid Date and
 * DateTime Formats" (`2026-11-29T03:04:48.000+0000`), SOQL and SOSL Reference "Understanding
 * Relationship Names, Custom Objects, and Custom Fields" (API names are case-insensitive).
 */
const ctx = (namespace = 'credspark') => ({ namespace, orgId: '00D000000000001AAA', log: createLogger('silent') });
const attrs = (type: string) => ({
  attributes: { type, url: `/services/data/v62.0/sobjects/${type}/m0200000000001AAA` },
});

function ruleRec(fields: Record<string, unknown>): Record<string, unknown> {
  return {
    ...attrs('credspark__CredSpark_Sync_Rule__mdt'),
    DeveloperName: 'Rule_1',
    credspark__Enabled__c: true,
    credspark__Target_Object__c: 'Contact',
    credspark__Enabled_At__c: '2026-11-29T03:04:48.000+0000',
    credspark__Interaction__r: {
      ...attrs('credspark__CredSpark_Interaction__mdt'),
      credspark__Interaction_Id__c: 'int_1',
    },
    ...fields,
  };
}
const mapRec = (source: string | null, target: string, staticValue: string | null = null) => ({
  ...attrs('credspark__CredSpark_Field_Mapping__mdt'),
  credspark__Sync_Rule__r: { ...attrs('credspark__CredSpark_Sync_Rule__mdt'), DeveloperName: 'Rule_1' },
  credspark__Source_Field__c: source,
  credspark__Target_Field__c: target,
  credspark__Static_Value__c: staticValue,
});

describe('settings from documented query result shapes ("Execute a SOQL Query")', () => {
  it('DateTime with a +0000 offset (no colon) is read as that instant', () => {
    expect(parseSalesforceDateTime('2026-11-29T03:04:48.000+0000').toISOString()).toBe('2026-11-29T03:04:48.000Z');
    expect(parseSalesforceDateTime('2026-11-29T05:04:48.000+0200').toISOString()).toBe('2026-11-29T03:04:48.000Z');
    const rules = parseSettings(ctx(), [ruleRec({})], [mapRec('last_name', 'LastName')]);
    const rule = rules.get('int_1');
    expect(rule).toMatchObject({ ok: true, enabled: true, target: 'Contact' });
    expect(rule!.ok && rule!.enabledAt!.toISOString()).toBe('2026-11-29T03:04:48.000Z');
  });

  it('reads fields whatever the case of their keys (SF_NAMESPACE "CredSpark" vs the schema\'s "credspark")', () => {
    const rules = parseSettings(
      ctx('CredSpark'),
      [ruleRec({})],
      [mapRec('email', 'Email'), mapRec(null, 'LeadSource', 'CredSpark')],
    );
    expect(rules.get('int_1')).toMatchObject({
      ok: true,
      mappings: [
        { sourceField: 'email', targetField: 'Email' },
        { targetField: 'LeadSource', staticValue: 'CredSpark' },
      ],
    });
    expect(pick({ Foo__c: 1 }, 'foo__C')).toBe(1);
    expect(pick(null, 'x')).toBeUndefined();
  });

  it('Checkbox as JSON boolean or as text; Target_Object__c in any case names the object', () => {
    const rules = parseSettings(
      ctx(),
      [
        ruleRec({ credspark__Enabled__c: 'true', credspark__Target_Object__c: ' lead ' }),
        ruleRec({
          DeveloperName: 'Rule_2',
          credspark__Enabled__c: false,
          credspark__Interaction__r: { ...attrs('x'), credspark__Interaction_Id__c: 'int_2' },
        }),
      ],
      [],
    );
    expect(rules.get('int_1')).toMatchObject({ ok: true, enabled: true, target: 'Lead' });
    expect(rules.get('int_2')).toMatchObject({ ok: true, enabled: false, target: 'Contact' });
  });

  it('a rule whose Metadata Relationship target is gone (Interaction__r: null) is ignored, not fatal', () => {
    const rules = parseSettings(ctx(), [ruleRec({ credspark__Interaction__r: null })], []);
    expect(rules.size).toBe(0);
  });

  it('an unpackaged org (SF_NAMESPACE empty) reads the unprefixed names', () => {
    const rec = {
      ...attrs('CredSpark_Sync_Rule__mdt'),
      DeveloperName: 'R',
      Enabled__c: true,
      Target_Object__c: 'Lead',
      Enabled_At__c: null,
      Interaction__r: { ...attrs('CredSpark_Interaction__mdt'), Interaction_Id__c: 'int_9' },
    };
    const map = {
      ...attrs('CredSpark_Field_Mapping__mdt'),
      Sync_Rule__r: { ...attrs('CredSpark_Sync_Rule__mdt'), DeveloperName: 'R' },
      Source_Field__c: 'company',
      Target_Field__c: 'Company',
      Static_Value__c: null,
    };
    expect(parseSettings(ctx(''), [rec], [map]).get('int_9')).toMatchObject({
      ok: true,
      target: 'Lead',
      enabledAt: undefined,
      mappings: [{ sourceField: 'company', targetField: 'Company' }],
    });
  });
});

describe('text truncation to the describe length (STRING_TOO_LONG otherwise)', () => {
  const field: FieldInfo = {
    name: 'Title',
    type: 'string',
    length: 5,
    createable: true,
    updateable: true,
    nillable: true,
    restrictedPicklist: false,
    picklistValues: [],
  };
  it('never splits a surrogate pair: half an emoji is not valid text', () => {
    const c = convertValue(field, 'abcd🎉xyz');
    expect(c).toEqual({ ok: true, value: 'abcd', warning: 'Title truncated to 5 characters' });
    expect(convertValue(field, 'abc🎉xyz')).toMatchObject({ value: 'abc🎉' });
  });
});

describe('Email fields (describe type "email", length 80)', () => {
  const email: FieldInfo = {
    name: 'Email',
    type: 'email',
    length: 80,
    createable: true,
    updateable: true,
    nillable: true,
    restrictedPicklist: false,
    picklistValues: [],
  };
  it('an address longer than the field fails INVALID_FIELD_VALUE instead of being cut into another address', () => {
    const long = `${'a'.repeat(75)}@example.com`;
    expect(convertValue(email, long)).toMatchObject({ ok: false, code: 'INVALID_FIELD_VALUE' });
    expect(convertValue(email, ' Jane@Example.com ')).toEqual({ ok: true, value: 'Jane@Example.com' });
  });
});
