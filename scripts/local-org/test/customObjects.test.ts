// The package's custom objects in the local org: read from force-app (one definition), named under
// the org's namespace (SPEC §3/§3b), written with upsert by external id, lookups and restricted
// picklists validated. Sources: REST API Developer Guide "Insert or Update (Upsert) a Record Using an
// External ID", "Upsert Records Using sObject Collections", "Composite"; Salesforce Help 000387915
// (invalid ids); SOAP API "StatusCode" (DUPLICATE_VALUE, INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST).
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { Connection } from 'jsforce';
import type { LocalOrg } from '../src';
import { PACKAGE_OBJECTS_DIR, packageObjects } from '../src/schema';
import { consent, control, oauth2, useRestOrg, VERSION } from './helpers';

const RESPONSE = 'credspark__CredSpark_Response__c';
const RID = 'credspark__Response_Id__c';

describe('the package custom objects', () => {
  let org: LocalOrg;
  let conn: Connection;
  const rest = useRestOrg({ org: (o) => (org = o), conn: (c) => (conn = c) });
  const contact = async (over: Record<string, unknown> = {}) =>
    (await rest('POST', '/sobjects/Contact', { LastName: 'Doe', Email: 'jane@x.test', ...over })).body.id as string;

  it('describes every field of force-app, namespaced, with external id, auto-number name, restricted picklist and lookups', async () => {
    const d = await conn.sobject(RESPONSE).describe();
    const byName = Object.fromEntries(d.fields.map((x) => [x.name, x]));
    const shipped = readdirSync(path.join(PACKAGE_OBJECTS_DIR, 'CredSpark_Response__c', 'fields')).map(
      (n) => 'credspark__' + n.replace('.field-meta.xml', ''),
    );
    expect(shipped.length).toBeGreaterThan(10);
    for (const n of shipped) expect(Object.keys(byName)).toContain(n);
    expect(d).toMatchObject({ name: RESPONSE, custom: true, createable: true, label: 'CredSpark Response' });
    expect(byName[RID]).toMatchObject({ type: 'string', length: 64, externalId: true, unique: true, idLookup: true });
    expect(byName.Name).toMatchObject({ autoNumber: true, createable: false, updateable: false });
    expect(byName['credspark__Status__c']).toMatchObject({ type: 'picklist', restrictedPicklist: true });
    expect(byName['credspark__Status__c'].picklistValues!.map((p) => p.value)).toEqual(['Synced', 'Failed']);
    expect(byName['credspark__Contact__c']).toMatchObject({
      type: 'reference',
      referenceTo: ['Contact'],
      relationshipName: 'credspark__Contact__r',
    });
    expect(byName['credspark__Score__c']).toMatchObject({ type: 'double', precision: 18, scale: 2 });
    expect(byName['credspark__Retry_Requested__c']).toMatchObject({
      type: 'boolean',
      defaultValue: false,
      nillable: false,
    });
    const usage = await conn.sobject('credspark__CredSpark_Usage__c').describe();
    expect(usage.fields.find((x) => x.name === 'credspark__Day_Key__c')).toMatchObject({
      externalId: true,
      length: 10,
    });
    const settings = await conn.sobject('credspark__CredSpark_Settings__mdt').describe();
    expect(settings.fields.map((x) => x.name)).toEqual(
      expect.arrayContaining(['credspark__Daily_API_Budget__c', 'credspark__Response_Records__c']),
    );
    const rule = await conn.sobject('credspark__CredSpark_Sync_Rule__mdt').describe();
    expect(rule.fields.map((x) => x.name)).toEqual(
      expect.arrayContaining(['credspark__Duplicate_Handling__c', 'credspark__Campaign_Id__c']),
    );
  });

  it('serves every custom object and custom metadata type of force-app with every field, and no other', async () => {
    const shipped = packageObjects().map((o) => o.name);
    expect(shipped).toEqual(
      expect.arrayContaining(['CredSpark_Response__c', 'CredSpark_Usage__c', 'CredSpark_Settings__mdt']),
    );
    const served = (await conn.describeGlobal()).sobjects.map((s) => s.name).filter((n) => n.startsWith('credspark__'));
    expect(served.sort()).toEqual(shipped.map((n) => 'credspark__' + n).sort());
    for (const o of packageObjects()) {
      const d = await conn.sobject('credspark__' + o.name).describe();
      const names = d.fields.map((x) => x.name);
      for (const f of o.fields) expect([o.name, names.includes('credspark__' + f.name)]).toEqual([o.name, true]);
    }
  });

  it('PATCH /sobjects/{object}/{externalId}/{value}: 201 created:true, then 200 created:false (API 46.0+), 204 before 46.0', async () => {
    const first = await rest('PATCH', `/sobjects/${RESPONSE}/${RID}/rsp_1`, { credspark__Status__c: 'Failed' });
    expect(first.status).toBe(201);
    expect(first.body).toEqual({ id: expect.stringMatching(/^a00/), success: true, errors: [], created: true });
    const again = await rest('PATCH', `/sobjects/${RESPONSE}/${RID}/rsp_1`, { credspark__Status__c: 'Synced' });
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ id: first.body.id, success: true, errors: [], created: false });
    const old = await rest('PATCH', `/sobjects/${RESPONSE}/${RID}/rsp_1`, { credspark__Attempts__c: 2 }, {}, '45.0');
    expect([old.status, old.body]).toEqual([204, undefined]);
    const rec = await rest('GET', `/sobjects/${RESPONSE}/${RID}/rsp_1`);
    expect(rec.body).toMatchObject({
      Id: first.body.id,
      Name: 'R-0000000001',
      [RID]: 'rsp_1',
      credspark__Status__c: 'Synced',
      credspark__Attempts__c: 2,
      credspark__Retry_Requested__c: false,
    });
  });

  it('upsert by a field that is not an external id answers 404 NOT_FOUND, as the Guide shows', async () => {
    const res = await rest('PATCH', `/sobjects/${RESPONSE}/credspark__Error_Code__c/x`, {});
    expect(res.status).toBe(404);
    expect(res.body[0].errorCode).toBe('NOT_FOUND');
  });

  it('sObject Collections upsert: per-record created flags; one value twice in a request fails both rows', async () => {
    await rest('PATCH', `/sobjects/${RESPONSE}/${RID}/rsp_old`, { credspark__Status__c: 'Failed' });
    const rec = (id: string, status = 'Synced') => ({
      attributes: { type: RESPONSE },
      [RID]: id,
      credspark__Status__c: status,
    });
    const res = await rest('PATCH', `/composite/sobjects/${RESPONSE}/${RID}`, {
      allOrNone: false,
      records: [rec('rsp_old'), rec('rsp_new'), rec('rsp_twice'), rec('rsp_twice'), rec('rsp_bad', 'Bogus')],
    });
    expect(res.status).toBe(200);
    expect(res.body[0]).toEqual({ id: expect.any(String), success: true, errors: [], created: false });
    expect(res.body[1]).toEqual({ id: expect.any(String), success: true, errors: [], created: true });
    for (const i of [2, 3])
      expect(res.body[i]).toMatchObject({
        success: false,
        created: false,
        errors: [{ statusCode: 'DUPLICATE_VALUE', message: 'Duplicate external id specified: rsp_twice' }],
      });
    expect(res.body[4].errors[0].statusCode).toBe('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST');
    const rows = await conn.query<any>(`SELECT ${RID}, credspark__Status__c FROM ${RESPONSE} ORDER BY ${RID}`);
    expect(rows.records.map((r: any) => [r[RID], r.credspark__Status__c])).toEqual([
      ['rsp_new', 'Synced'],
      ['rsp_old', 'Synced'],
    ]);
  });

  it('collection upsert with allOrNone rolls back and refuses more than 200 records; jsforce upsert uses it', async () => {
    const rec = (id: string, status = 'Synced') => ({
      attributes: { type: RESPONSE },
      [RID]: id,
      credspark__Status__c: status,
    });
    const rolled = await rest('PATCH', `/composite/sobjects/${RESPONSE}/${RID}`, {
      allOrNone: true,
      records: [rec('a'), rec('b', 'Nope')],
    });
    expect(rolled.body[0].errors[0].statusCode).toBe('ALL_OR_NONE_OPERATION_ROLLED_BACK');
    expect((await conn.query(`SELECT Id FROM ${RESPONSE}`)).totalSize).toBe(0);
    const tooMany = await rest('PATCH', `/composite/sobjects/${RESPONSE}/${RID}`, {
      records: Array.from({ length: 201 }, (_, i) => rec(`r${i}`)),
    });
    expect([tooMany.status, tooMany.body[0].errorCode]).toEqual([400, 'EXCEEDED_ID_LIMIT']);
    const viaJsforce = await conn.sobject(RESPONSE).upsert(
      [
        { [RID]: 'j1', credspark__Status__c: 'Failed' },
        { [RID]: 'j2', credspark__Status__c: 'Synced' },
      ],
      RID,
    );
    expect(viaJsforce.map((r) => [r.success, r.created])).toEqual([
      [true, true],
      [true, true],
    ]);
  });

  it('a collection upsert inside /composite: the subrequest answers as the collection does, one API call', async () => {
    await control(org, 'POST', `/__local/orgs/${org.demo.orgId}/api-calls/reset`);
    const res = await rest('POST', '/composite', {
      allOrNone: false,
      compositeRequest: [
        {
          method: 'PATCH',
          url: `/services/data/v${VERSION}/composite/sobjects/${RESPONSE}/${RID}`,
          referenceId: 'responses',
          body: { records: [{ attributes: { type: RESPONSE }, [RID]: 'c1', credspark__Status__c: 'Failed' }] },
        },
        {
          method: 'PATCH',
          url: `/services/data/v${VERSION}/sobjects/${RESPONSE}/${RID}/c2`,
          referenceId: 'single',
          body: { credspark__Status__c: 'Synced' },
        },
      ],
    });
    expect(res.body.compositeResponse[0]).toMatchObject({
      httpStatusCode: 200,
      body: [{ success: true, created: true, errors: [] }],
    });
    expect(res.body.compositeResponse[1]).toMatchObject({ httpStatusCode: 201, body: { created: true } });
    expect((await control(org, 'GET', `/__local/orgs/${org.demo.orgId}/api-calls`)).total).toBe(1);
  });

  it('lookups: MALFORMED_ID, FIELD_INTEGRITY_EXCEPTION (another object), INVALID_CROSS_REFERENCE_KEY (no such record), ENTITY_IS_DELETED', async () => {
    const contactId = await contact();
    const leadId = (await rest('POST', '/sobjects/Lead', { LastName: 'L', Company: 'C' })).body.id;
    const put = (value: string) =>
      rest('PATCH', `/sobjects/${RESPONSE}/${RID}/rsp_l`, { credspark__Contact__c: value });
    expect((await put('not-an-id')).body[0]).toMatchObject({
      errorCode: 'MALFORMED_ID',
      fields: ['credspark__Contact__c'],
    });
    expect((await put(leadId)).body[0].errorCode).toBe('FIELD_INTEGRITY_EXCEPTION');
    expect((await put('003bm000000ZZZZAAA')).body[0]).toMatchObject({
      errorCode: 'INVALID_CROSS_REFERENCE_KEY',
      message: 'invalid cross reference id',
    });
    const ok = await put(contactId.slice(0, 15));
    expect(ok.status).toBe(201);
    const linked = await conn.query<any>(
      `SELECT credspark__Contact__c, credspark__Contact__r.Email FROM ${RESPONSE} WHERE ${RID} = 'rsp_l'`,
    );
    expect(linked.records[0]).toMatchObject({
      credspark__Contact__c: contactId,
      credspark__Contact__r: { Email: 'jane@x.test' },
    });
    // deleteConstraint SetNull: deleting the Contact clears the lookup; pointing at it again is refused.
    expect((await rest('DELETE', `/sobjects/Contact/${contactId}`)).status).toBe(204);
    const after = await conn.query<any>(`SELECT credspark__Contact__c FROM ${RESPONSE}`);
    expect(after.records[0].credspark__Contact__c).toBeNull();
    expect((await put(contactId)).body[0].errorCode).toBe('ENTITY_IS_DELETED');
  });

  it('a unique external id refuses a second record with DUPLICATE_VALUE naming the first', async () => {
    const first = await rest('POST', `/sobjects/${RESPONSE}`, { [RID]: 'rsp_u' });
    const second = await rest('POST', `/sobjects/${RESPONSE}`, { [RID]: 'rsp_u' });
    expect(second.status).toBe(400);
    expect(second.body[0]).toEqual({
      errorCode: 'DUPLICATE_VALUE',
      message: `duplicate value found: ${RID} duplicates value on record with id: ${first.body.id}`,
      fields: [RID],
    });
  });

  it('an unpackaged org (namespace "") has the objects without prefix', async () => {
    await control(org, 'POST', '/__local/orgs', { namespace: '', username: 'dev@plain.local' });
    const o = oauth2(org);
    const url = o.getAuthorizationUrl({ scope: 'api refresh_token', login_hint: 'dev@plain.local' } as any);
    const c = new Connection({ oauth2: o, version: VERSION });
    await c.authorize((await consent(url, 'allow')).searchParams.get('code')!);
    const res = await c
      .sobject('CredSpark_Response__c')
      .upsert({ Response_Id__c: 'p1', Status__c: 'Failed' }, 'Response_Id__c');
    expect(res).toMatchObject({ success: true, created: true });
    const q = await c.query<any>('SELECT Name, Status__c FROM CredSpark_Response__c');
    expect(q.records[0]).toMatchObject({ Name: 'R-0000000001', Status__c: 'Failed' });
  });
});
