// Metadata API (SOAP) upsertMetadata / readMetadata of CustomMetadata through jsforce 3's
// conn.metadata, then SOQL on the records. Sources: Metadata API Developer Guide "CustomMetadata",
// "upsertMetadata()" (≤ 10 components per call), "readMetadata()"; jsforce src/api/metadata.ts, src/soap.ts.
import type { Connection } from 'jsforce';
import type { LocalOrg } from '../src';
import { control, useResetOrg } from './helpers';

describe('Metadata API: CustomMetadata', () => {
  let org: LocalOrg;
  let conn: Connection;
  useResetOrg({ org: (o) => (org = o), conn: (c) => (conn = c) });

  const interaction = (dev: string, id: string, label = 'Q4 Webinar Quiz') => ({
    fullName: `credspark__CredSpark_Interaction.${dev}`,
    label,
    values: [
      { field: 'credspark__Interaction_Id__c', value: id },
      { field: 'credspark__Fields__c', value: '[{"key":"email","label":"Email","type":"email"}]' },
    ],
  });

  it('upsert creates then updates; the records are visible to SOQL at once', async () => {
    const created: any = await conn.metadata.upsert('CustomMetadata', [interaction('Int_q4', 'int_q4')] as any);
    expect(created).toEqual([
      { created: true, fullName: 'credspark__CredSpark_Interaction.Int_q4', success: true, errors: [] },
    ]);
    const again: any = await conn.metadata.upsert('CustomMetadata', interaction('Int_q4', 'int_q4', 'Renamed') as any);
    expect(again).toEqual({
      created: false,
      fullName: 'credspark__CredSpark_Interaction.Int_q4',
      success: true,
      errors: [],
    });
    const res = await conn.query<any>(
      "SELECT DeveloperName, MasterLabel, QualifiedApiName, credspark__Interaction_Id__c FROM credspark__CredSpark_Interaction__mdt WHERE credspark__Interaction_Id__c = 'INT_Q4'",
    );
    expect(res.records).toEqual([
      expect.objectContaining({
        DeveloperName: 'Int_q4',
        MasterLabel: 'Renamed',
        QualifiedApiName: 'Int_q4',
        credspark__Interaction_Id__c: 'int_q4',
      }),
    ]);
  });

  it('nulls (xsi:nil), booleans, datetimes and metadata relationships round-trip; SOQL traverses them', async () => {
    await conn.metadata.upsert('CustomMetadata', interaction('Int_q4', 'int_q4') as any);
    const rule = {
      fullName: 'credspark__CredSpark_Sync_Rule.Rule_q4',
      label: 'Rule q4',
      values: [
        { field: 'credspark__Interaction__c', value: 'Int_q4' },
        { field: 'credspark__Enabled__c', value: true },
        { field: 'credspark__Target_Object__c', value: 'Contact' },
        { field: 'credspark__Enabled_At__c', value: '2026-11-28T19:00:00.000Z' },
      ],
    };
    const conn2 = {
      fullName: 'credspark__CredSpark_Connection.Default',
      label: 'Default',
      values: [
        { field: 'credspark__Account_Id__c', value: 'acc_42' },
        { field: 'credspark__Connected_At__c', value: null },
      ],
    };
    const out: any = await conn.metadata.upsert('CustomMetadata', [rule, conn2] as any);
    expect(out.map((r: any) => r.success)).toEqual([true, true]);
    const q = await conn.query<any>(
      'SELECT DeveloperName, credspark__Enabled__c, credspark__Enabled_At__c, credspark__Interaction__r.credspark__Interaction_Id__c FROM credspark__CredSpark_Sync_Rule__mdt WHERE credspark__Enabled__c = true',
    );
    expect(q.records[0]).toMatchObject({
      credspark__Enabled__c: true,
      credspark__Enabled_At__c: '2026-11-28T19:00:00.000+0000',
      credspark__Interaction__r: { credspark__Interaction_Id__c: 'int_q4' },
    });
    const read: any = await conn.metadata.read('CustomMetadata', ['credspark__CredSpark_Connection.Default']);
    expect(read[0].fullName).toBe('credspark__CredSpark_Connection.Default');
    const values = Object.fromEntries(read[0].values.map((v: any) => [v.field, v.value]));
    expect(values.credspark__Account_Id__c).toEqual({ _: 'acc_42', $: { 'xsi:type': 'xsd:string' } });
    expect(values.credspark__Connected_At__c).toEqual({ $: { 'xsi:nil': 'true' } });
  });

  it('per-record errors: unknown field, unknown relationship target', async () => {
    const out: any = await conn.metadata.upsert('CustomMetadata', [
      {
        fullName: 'credspark__CredSpark_Interaction.Bad',
        label: 'Bad',
        values: [{ field: 'credspark__Nope__c', value: 'x' }],
      },
      {
        fullName: 'credspark__CredSpark_Sync_Rule.R',
        label: 'R',
        values: [{ field: 'credspark__Interaction__c', value: 'Missing' }],
      },
    ] as any);
    expect(out.map((r: any) => r.success)).toEqual([false, false]);
    expect(out[0].errors).toEqual([
      expect.objectContaining({
        statusCode: 'INVALID_CROSS_REFERENCE_KEY',
        message: expect.stringContaining('credspark__Nope__c'),
      }),
    ]);
    expect(out[1].errors[0].statusCode).toBe('INVALID_CROSS_REFERENCE_KEY');
  });

  it('reading a name that does not exist gives an empty record, not an error', async () => {
    const read: any = await conn.metadata.read('CustomMetadata', 'credspark__CredSpark_Connection.Missing');
    expect(read.fullName).toBeUndefined();
    expect(read.values).toEqual([]);
  });

  it('more than 10 records in one call is refused', async () => {
    const many = Array.from({ length: 11 }, (_, i) => interaction(`I${i}`, `i${i}`));
    await expect(conn.metadata.upsert('CustomMetadata', many as any)).rejects.toThrow(/LIMIT_EXCEEDED/);
  });

  it('an expired session is a SOAP fault sf:INVALID_SESSION_ID (HTTP 500) and jsforce refreshes', async () => {
    const refreshed = jest.fn();
    conn.on('refresh', refreshed);
    await control(org, 'POST', `/__local/orgs/${org.demo.orgId}/expire-sessions`);
    const raw = await fetch(`${org.url}/services/Soap/m/62.0`, {
      method: 'POST',
      headers: { 'content-type': 'text/xml', SOAPAction: '""' },
      body: `<?xml version="1.0"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Header><SessionHeader xmlns="http://soap.sforce.com/2006/04/metadata"><sessionId>${conn.accessToken}</sessionId></SessionHeader></soapenv:Header><soapenv:Body><readMetadata xmlns="http://soap.sforce.com/2006/04/metadata"><type>CustomMetadata</type><fullNames>x.y</fullNames></readMetadata></soapenv:Body></soapenv:Envelope>`,
    });
    expect(raw.status).toBe(500);
    expect(raw.headers.get('content-type')).toMatch(/^text\/xml/);
    expect(await raw.text()).toContain('<faultcode>sf:INVALID_SESSION_ID</faultcode>');
    const out: any = await conn.metadata.upsert('CustomMetadata', interaction('Int_a', 'a') as any);
    expect(out.success).toBe(true);
    expect(refreshed).toHaveBeenCalledTimes(1);
    expect((await control(org, 'GET', `/__local/orgs/${org.demo.orgId}/api-calls`)).byKind.metadata).toBe(1);
  });
});
