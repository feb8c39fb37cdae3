// Typed CustomMetadata values through upsertMetadata. Metadata API Developer Guide "CustomMetadata"
// (declarative sample: every `<value>` carries an `xsi:type`, e.g. `xsd:boolean` for a Checkbox);
// a value typed for another kind of field is refused ("<Label>: value not of required type: …").
// Untyped values stay accepted: upsertMetadata resolves the field from the record's fullName.
import type { Connection } from 'jsforce';
import { xsiTypeFits } from '../src/soap/customMetadata';
import { useResetOrg } from './helpers';

/** jsforce soap.js toXML: `@` keys are attributes, an empty key is the element's text. */
const typed = (xsiType: string, text: string) => ({ '@xsi:type': xsiType, '': text });

describe('Metadata API: typed CustomMetadata values (xsi:type)', () => {
  let conn: Connection;
  useResetOrg({ conn: (c) => (conn = c) });

  it('accepts values typed as the fields are (xsd:string, xsd:dateTime, xsd:boolean) and stores them', async () => {
    const out: any = await conn.metadata.upsert('CustomMetadata', [
      {
        fullName: 'credspark__CredSpark_Connection.Default',
        label: 'Default',
        values: [
          { field: 'credspark__Account_Id__c', value: typed('xsd:string', 'acc_<&>') },
          { field: 'credspark__Status__c', value: typed('xsd:string', 'Connected') },
          { field: 'credspark__Connected_At__c', value: typed('xsd:dateTime', '2026-11-28T19:00:00.000Z') },
        ],
      },
      {
        fullName: 'credspark__CredSpark_Interaction.Int_1',
        label: 'Int 1',
        values: [{ field: 'credspark__Interaction_Id__c', value: typed('xsd:string', 'int_1') }],
      },
      {
        fullName: 'credspark__CredSpark_Sync_Rule.Rule_1',
        label: 'Rule 1',
        values: [
          { field: 'credspark__Interaction__c', value: typed('xsd:string', 'Int_1') },
          { field: 'credspark__Enabled__c', value: typed('xsd:boolean', 'true') },
        ],
      },
    ] as any);
    expect(out.map((r: any) => r.success)).toEqual([true, true, true]);
    const c = await conn.query<any>(
      'SELECT credspark__Account_Id__c, credspark__Connected_At__c FROM credspark__CredSpark_Connection__mdt',
    );
    expect(c.records[0].credspark__Account_Id__c).toBe('acc_<&>');
    expect(c.records[0].credspark__Connected_At__c).toBe('2026-11-28T19:00:00.000+0000');
    const r = await conn.query<any>(
      'SELECT credspark__Enabled__c, credspark__Interaction__r.credspark__Interaction_Id__c FROM credspark__CredSpark_Sync_Rule__mdt',
    );
    expect(r.records[0].credspark__Enabled__c).toBe(true);
    expect(r.records[0].credspark__Interaction__r.credspark__Interaction_Id__c).toBe('int_1');
  });

  it('stores a Number field as a number (CredSpark_Settings__mdt.Daily_API_Budget__c) and refuses a non-number', async () => {
    const ok: any = await conn.metadata.upsert('CustomMetadata', {
      fullName: 'credspark__CredSpark_Settings.Default',
      label: 'Default',
      values: [{ field: 'credspark__Daily_API_Budget__c', value: 5000 }],
    } as any);
    expect(ok.success).toBe(true);
    const q = await conn.query<any>('SELECT credspark__Daily_API_Budget__c FROM credspark__CredSpark_Settings__mdt');
    expect(q.records[0].credspark__Daily_API_Budget__c).toBe(5000);
    const bad: any = await conn.metadata.upsert('CustomMetadata', {
      fullName: 'credspark__CredSpark_Settings.Default',
      label: 'Default',
      values: [{ field: 'credspark__Daily_API_Budget__c', value: 'lots' }],
    } as any);
    expect(bad.success).toBe(false);
    expect(bad.errors.statusCode ?? bad.errors[0]?.statusCode).toBe('FIELD_INTEGRITY_EXCEPTION');
  });

  it('refuses a value typed for another kind of field: "value not of required type"', async () => {
    const out: any = await conn.metadata.upsert('CustomMetadata', [
      {
        fullName: 'credspark__CredSpark_Connection.Default',
        label: 'Default',
        values: [{ field: 'credspark__Connected_At__c', value: typed('xsd:string', '2026-11-28T19:00:00.000Z') }],
      },
      {
        fullName: 'credspark__CredSpark_Connection.Other',
        label: 'Other',
        values: [{ field: 'credspark__Status__c', value: typed('xsd:double', '42.5') }],
      },
    ] as any);
    expect(out.map((r: any) => r.success)).toEqual([false, false]);
    expect([out[0].errors].flat()[0].message).toBe(
      'Connected At: value not of required type: 2026-11-28T19:00:00.000Z',
    );
    expect([out[1].errors].flat()[0].message).toBe('Status: value not of required type: 42.5');
  });

  it('Fields__c is a LongTextArea(32768) as the package defines it: a longer value is refused (data value too large)', async () => {
    const rec = (fields: string) => ({
      fullName: 'credspark__CredSpark_Interaction.Int_big',
      label: 'Big',
      values: [
        { field: 'credspark__Interaction_Id__c', value: typed('xsd:string', 'int_big') },
        { field: 'credspark__Fields__c', value: typed('xsd:string', fields) },
      ],
    });
    const tooLong: any = await conn.metadata.upsert('CustomMetadata', rec('x'.repeat(32769)) as any);
    expect(tooLong.success).toBe(false);
    expect([tooLong.errors].flat()[0]).toMatchObject({ statusCode: 'STRING_TOO_LONG' });
    const fits: any = await conn.metadata.upsert('CustomMetadata', rec('x'.repeat(32768)) as any);
    expect(fits.success).toBe(true);
  });

  it('a character XML 1.0 cannot carry (here U+000B) fails the whole call with a client fault', async () => {
    const err: any = await conn.metadata
      .upsert('CustomMetadata', {
        fullName: 'credspark__CredSpark_Interaction.Int_vt',
        label: 'Line\u000Bbreak',
        values: [{ field: 'credspark__Interaction_Id__c', value: typed('xsd:string', 'int_vt') }],
      } as any)
      .catch((e: unknown) => e);
    expect(err.errorCode).toBe('soapenv:Client');
    expect(err.message).toBe(
      'An invalid XML character (Unicode: 0xb) was found in the element content of the document.',
    );
    const res = await conn.query('SELECT Id FROM credspark__CredSpark_Interaction__mdt');
    expect(res.totalSize).toBe(0);
  });

  it('the type table: Checkbox and Text are strict, Date/DateTime interchange, numbers take strings', () => {
    expect(xsiTypeFits('boolean', 'xsd:boolean')).toBe(true);
    expect(xsiTypeFits('boolean', 'xsd:string')).toBe(false);
    expect(xsiTypeFits('string', 'xsd:string')).toBe(true);
    expect(xsiTypeFits('string', 'xsd:double')).toBe(false);
    expect(xsiTypeFits('datetime', 'xsd:date')).toBe(true);
    expect(xsiTypeFits('datetime', 'xsd:string')).toBe(false);
    expect(xsiTypeFits('double', 'xsd:string')).toBe(true);
    expect(xsiTypeFits('reference', 'xsd:string')).toBe(true);
    expect(xsiTypeFits('textarea', undefined)).toBe(true);
  });

  it('stores a Number field as a number, empty as null, and refuses text (CredSpark_Settings__mdt)', async () => {
    const settings = (budget: unknown) => ({
      fullName: 'credspark__CredSpark_Settings.Default',
      label: 'Default',
      values: [
        { field: 'credspark__Daily_API_Budget__c', value: budget },
        { field: 'credspark__Max_Org_API_Usage_Percent__c', value: null },
        { field: 'credspark__Response_Records__c', value: 'All' },
      ],
    });
    const [ok]: any = await conn.metadata.upsert('CustomMetadata', [settings(5000)] as any);
    expect(ok.success).toBe(true);
    const row = await conn.query<any>(
      'SELECT credspark__Daily_API_Budget__c, credspark__Max_Org_API_Usage_Percent__c FROM credspark__CredSpark_Settings__mdt',
    );
    expect(row.records[0]).toMatchObject({
      credspark__Daily_API_Budget__c: 5000,
      credspark__Max_Org_API_Usage_Percent__c: null,
    });
    const [bad]: any = await conn.metadata.upsert('CustomMetadata', [settings('lots')] as any);
    expect(bad.success).toBe(false);
    expect([bad.errors].flat()[0].message).toBe('Daily API Budget: value not of required type: lots');
  });
});
