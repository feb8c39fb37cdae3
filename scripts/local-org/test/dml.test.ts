// sObject CRUD and Collections through jsforce 3, with Salesforce's validation errors.
// Sources: REST API Developer Guide "Create a Record", "Update a Record", "sObject Collections",
// "Status Codes and Error Responses"; SOAP API Developer Guide "StatusCode" for the error codes.
import type { Connection } from 'jsforce';
import type { LocalOrg } from '../src';
import { control, useResetOrg } from './helpers';

describe('records: CRUD, collections and validation', () => {
  let org: LocalOrg;
  let conn: Connection;
  useResetOrg({ org: (o) => (org = o), conn: (c) => (conn = c) });
  const rest = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${org.url}/services/data/v62.0${path}`, {
      method,
      headers: { Authorization: `Bearer ${conn.accessToken}`, 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
  };

  it('creates (201 {id, success, errors}), reads, updates (204) and deletes a Contact', async () => {
    const created = await rest('POST', '/sobjects/Contact', {
      FirstName: 'Jane',
      LastName: 'Doe',
      Email: 'jane@gmail.com',
    });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ id: expect.stringMatching(/^003[A-Za-z0-9]{15}$/), success: true, errors: [] });
    const id = created.body.id;
    await conn.sobject('Contact').update({ Id: id, LastName: 'Smith' });
    const rec: any = await conn.sobject('Contact').retrieve(id);
    expect(rec).toMatchObject({
      Id: id,
      Name: 'Jane Smith',
      LastName: 'Smith',
      Email: 'jane@gmail.com',
      CreatedDate: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/),
    });
    expect((await rest('PATCH', `/sobjects/Contact/${id}`, { Title: 'CTO' })).status).toBe(204);
    expect((await rest('DELETE', `/sobjects/Contact/${id}`)).status).toBe(204);
    expect((await rest('GET', `/sobjects/Contact/${id}`)).status).toBe(404);
  });

  it('a new Lead gets the default Status and IsConverted false', async () => {
    const r: any = await conn.sobject('Lead').create({ LastName: 'L', Company: 'Acme' });
    const rec: any = await conn.sobject('Lead').retrieve(r.id);
    expect(rec).toMatchObject({ Status: 'Open - Not Contacted', IsConverted: false });
    expect(r.id.startsWith('00Q')).toBe(true);
  });

  it.each([
    ['REQUIRED_FIELD_MISSING', 'Lead', { LastName: 'x' }, 'Required fields are missing: [Company]', ['Company']],
    ['REQUIRED_FIELD_MISSING', 'Contact', { FirstName: 'x' }, 'Required fields are missing: [LastName]', ['LastName']],
    [
      'STRING_TOO_LONG',
      'Contact',
      { LastName: 'x'.repeat(81) },
      expect.stringContaining('Last Name: data value too large'),
      ['LastName'],
    ],
    [
      'INVALID_EMAIL_ADDRESS',
      'Contact',
      { LastName: 'x', Email: 'not-an-email' },
      'Email: invalid email address: not-an-email',
      ['Email'],
    ],
    [
      'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
      'Lead',
      { LastName: 'x', Company: 'c', Status: 'Nope' },
      'Lead Status: bad value for restricted picklist field: Nope',
      ['Status'],
    ],
  ])('%s on %s create: 400 [{message, errorCode, fields}]', async (code, sobject, body, message, fields) => {
    const res = await rest('POST', `/sobjects/${sobject}`, body);
    expect(res.status).toBe(400);
    expect(res.body).toEqual([{ message, errorCode: code, fields }]);
  });

  it('INVALID_FIELD for an unknown field, JSON_PARSER_ERROR for a string in a number field, NOT_FOUND for an unknown sobject', async () => {
    expect(await rest('POST', '/sobjects/Contact', { LastName: 'x', Nope__c: 1 })).toMatchObject({
      status: 400,
      body: [{ errorCode: 'INVALID_FIELD', message: "No such column 'Nope__c' on sobject of type Contact" }],
    });
    expect(await rest('POST', '/sobjects/Contact', { LastName: 'x', Quiz_Score__c: 'high' })).toMatchObject({
      status: 400,
      body: [{ errorCode: 'JSON_PARSER_ERROR' }],
    });
    expect(await rest('POST', '/sobjects/Nope__c', { Name: 'x' })).toMatchObject({
      status: 404,
      body: [{ errorCode: 'NOT_FOUND' }],
    });
  });

  it('INVALID_FIELD_FOR_INSERT_UPDATE for read-only fields (IsConverted, Name)', async () => {
    const res = await rest('POST', '/sobjects/Lead', { LastName: 'x', Company: 'c', IsConverted: true });
    expect(res).toMatchObject({
      status: 400,
      body: [{ errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE', fields: ['IsConverted'] }],
    });
    const c = await rest('POST', '/composite/sobjects', {
      records: [{ attributes: { type: 'Contact' }, LastName: 'x', Name: 'Full' }],
    });
    expect(c.body[0]).toMatchObject({
      success: false,
      errors: [{ statusCode: 'INVALID_FIELD_FOR_INSERT_UPDATE', fields: ['Name'] }],
    });
  });

  it('CANNOT_UPDATE_CONVERTED_LEAD when updating a converted Lead', async () => {
    const { ids } = await control(org, 'POST', `/__local/orgs/${org.demo.orgId}/records/Lead`, [
      { LastName: 'x', Company: 'c', IsConverted: true },
    ]);
    const res = await rest('PATCH', `/sobjects/Lead/${ids[0]}`, { Title: 't' });
    expect(res).toMatchObject({
      status: 400,
      body: [{ errorCode: 'CANNOT_UPDATE_CONVERTED_LEAD', message: 'cannot reference converted lead' }],
    });
  });

  it('custom metadata refuses REST DML (write it with the Metadata API)', async () => {
    const res = await rest('POST', '/sobjects/credspark__CredSpark_Sync_Rule__mdt', { DeveloperName: 'x' });
    expect(res.status).toBe(400);
    expect(res.body[0]).toMatchObject({
      errorCode: 'INVALID_TYPE',
      message: 'DML operation INSERT not allowed on credspark__CredSpark_Sync_Rule__mdt',
    });
  });

  it('collections create: per-record results, statusCode errors, partial success without allOrNone', async () => {
    const res: any[] = await conn
      .sobject('Contact')
      .create([{ LastName: 'a' }, { FirstName: 'no last name' }, { LastName: 'c' }], { allOrNone: false });
    expect(res.map((r) => r.success)).toEqual([true, false, true]);
    expect(res[1].errors).toEqual([
      {
        statusCode: 'REQUIRED_FIELD_MISSING',
        message: 'Required fields are missing: [LastName]',
        fields: ['LastName'],
      },
    ]);
    const count = await conn.query('SELECT COUNT() FROM Contact');
    expect(count.totalSize).toBe(2);
  });

  it('collections with allOrNone roll everything back (ALL_OR_NONE_OPERATION_ROLLED_BACK)', async () => {
    const res = await rest('POST', '/composite/sobjects', {
      allOrNone: true,
      records: [
        { attributes: { type: 'Contact' }, LastName: 'a' },
        { attributes: { type: 'Contact' }, Email: 'bad' },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body[0]).toEqual({
      success: false,
      errors: [
        {
          statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
          message: 'Record rolled back because not all records were valid and the request was using AllOrNone header',
          fields: [],
        },
      ],
    });
    expect(res.body[1].errors[0].statusCode).toBe('REQUIRED_FIELD_MISSING');
    expect((await conn.query('SELECT COUNT() FROM Contact')).totalSize).toBe(0);
  });

  it('collections update and the 200-record limit (EXCEEDED_ID_LIMIT)', async () => {
    const { ids } = await control(org, 'POST', `/__local/orgs/${org.demo.orgId}/records/Contact`, [
      { LastName: 'a' },
      { LastName: 'b' },
    ]);
    const res: any[] = await conn.sobject('Contact').update(
      ids.map((Id: string) => ({ Id, Title: 'T' })),
      { allOrNone: true },
    );
    expect(res.every((r) => r.success)).toBe(true);
    const titles = (await conn.query<any>('SELECT Title FROM Contact')).records.map((r: any) => r.Title);
    expect(titles).toEqual(['T', 'T']);
    const tooMany = await rest('POST', '/composite/sobjects', {
      records: Array.from({ length: 201 }, () => ({ attributes: { type: 'Contact' }, LastName: 'x' })),
    });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body[0].errorCode).toBe('EXCEEDED_ID_LIMIT');
  });

  it('duplicate rule: block refuses even with allowSave; alert saves only with Sforce-Duplicate-Rule-Header allowSave=true', async () => {
    await control(org, 'POST', `/__local/orgs/${org.demo.orgId}/records/Contact`, [
      { LastName: 'a', Email: 'dup@x.test' },
    ]);
    const path = `/__local/orgs/${org.demo.orgId}/duplicate-rule`;
    await control(org, 'POST', path, { object: 'Contact', action: 'alert' });
    const refused = await rest('POST', '/sobjects/Contact', { LastName: 'b', Email: 'DUP@x.test' });
    expect(refused.status).toBe(400);
    // "duplicateResut": Salesforce's own spelling of the key in single-record answers (rules/duplicates.ts).
    expect(refused.body[0]).toMatchObject({
      errorCode: 'DUPLICATES_DETECTED',
      duplicateResut: { allowSave: true, matchResults: [{ matchRecords: [{ record: { Id: expect.any(String) } }] }] },
    });
    expect(
      (
        await rest(
          'POST',
          '/sobjects/Contact',
          { LastName: 'b', Email: 'dup@x.test' },
          { 'Sforce-Duplicate-Rule-Header': 'allowSave=true' },
        )
      ).status,
    ).toBe(201);
    await control(org, 'POST', path, { object: 'Contact', action: 'block' });
    const blocked = await rest(
      'POST',
      '/sobjects/Contact',
      { LastName: 'c', Email: 'dup@x.test' },
      { 'Sforce-Duplicate-Rule-Header': 'allowSave=true' },
    );
    expect(blocked.body[0]).toMatchObject({ errorCode: 'DUPLICATES_DETECTED', duplicateResut: { allowSave: false } });
  });

  it('composite: subrequests with @{ref.id} references, counted as one API call', async () => {
    await control(org, 'POST', `/__local/orgs/${org.demo.orgId}/api-calls/reset`);
    const res = await rest('POST', '/composite', {
      allOrNone: false,
      compositeRequest: [
        { method: 'POST', url: '/services/data/v62.0/sobjects/Contact', referenceId: 'c1', body: { LastName: 'Comp' } },
        { method: 'GET', url: '/services/data/v62.0/sobjects/Contact/@{c1.id}?fields=LastName', referenceId: 'g1' },
        {
          method: 'PATCH',
          url: '/services/data/v62.0/sobjects/Contact/@{c1.id}',
          referenceId: 'u1',
          body: { Title: 'X' },
        },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body.compositeResponse.map((r: any) => r.httpStatusCode)).toEqual([201, 200, 204]);
    expect(res.body.compositeResponse[1].body.LastName).toBe('Comp');
    expect(await control(org, 'GET', `/__local/orgs/${org.demo.orgId}/api-calls`)).toEqual({
      total: 1,
      byKind: { composite: 1 },
    });
    const tooMany = await rest('POST', '/composite', {
      compositeRequest: Array.from({ length: 26 }, (_, i) => ({
        method: 'GET',
        url: '/services/data/v62.0/limits',
        referenceId: `r${i}`,
      })),
    });
    expect(tooMany.status).toBe(400);
  });

  it('composite allOrNone rolls back earlier subrequests (PROCESSING_HALTED)', async () => {
    const res = await rest('POST', '/composite', {
      allOrNone: true,
      compositeRequest: [
        {
          method: 'POST',
          url: '/services/data/v62.0/sobjects/Contact',
          referenceId: 'ok',
          body: { LastName: 'Kept?' },
        },
        {
          method: 'POST',
          url: '/services/data/v62.0/sobjects/Lead',
          referenceId: 'bad',
          body: { LastName: 'No company' },
        },
      ],
    });
    expect(res.body.compositeResponse.map((r: any) => [r.httpStatusCode, r.body[0].errorCode])).toEqual([
      [400, 'PROCESSING_HALTED'],
      [400, 'REQUIRED_FIELD_MISSING'],
    ]);
    expect((await conn.query('SELECT COUNT() FROM Contact')).totalSize).toBe(0);
  });
});
