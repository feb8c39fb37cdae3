// SOQL over REST through jsforce 3: paging with nextRecordsUrl (REST API Developer Guide "Query":
// batches of up to 2,000 records), case-insensitive string comparison, escaped literals (SOQL and
// SOSL Reference "Quoted String Escape Sequences"), ORDER BY/LIMIT/OFFSET, relationship paths.
import type { Connection } from 'jsforce';
import type { LocalOrg } from '../src';
import { control, useResetOrg } from './helpers';

describe('SOQL query', () => {
  let org: LocalOrg;
  let conn: Connection;
  useResetOrg({ org: (o) => (org = o), conn: (c) => (conn = c) });
  const seed = (sobject: string, records: unknown[]) =>
    control(org, 'POST', `/__local/orgs/${org.demo.orgId}/records/${sobject}`, records);

  it('pages 4,500 rows in batches of 2,000 and autoFetch follows nextRecordsUrl', async () => {
    await seed(
      'Contact',
      Array.from({ length: 4500 }, (_, i) => ({ LastName: `L${i}`, Email: `p${i}@x.test` })),
    );
    const first = await conn.query('SELECT Id, Email FROM Contact');
    expect(first.totalSize).toBe(4500);
    expect(first.records).toHaveLength(2000);
    expect(first.done).toBe(false);
    expect(first.nextRecordsUrl).toMatch(/\/services\/data\/v62\.0\/query\/01g[A-Za-z0-9]+-2000$/);
    const all = await conn.query('SELECT Id FROM Contact', { autoFetch: true, maxFetch: 10000 });
    expect(all.records).toHaveLength(4500);
    expect(new Set(all.records.map((r: any) => r.Id)).size).toBe(4500);
  });

  it('honours Sforce-Query-Options batchSize (200..2000)', async () => {
    await seed(
      'Contact',
      Array.from({ length: 450 }, (_, i) => ({ LastName: `L${i}` })),
    );
    const res = await fetch(`${org.url}/services/data/v62.0/query?q=SELECT+Id+FROM+Contact`, {
      headers: { Authorization: `Bearer ${conn.accessToken}`, 'Sforce-Query-Options': 'batchSize=200' },
    });
    const body: any = await res.json();
    expect(body.records).toHaveLength(200);
    const next: any = await (
      await fetch(org.url + body.nextRecordsUrl, { headers: { Authorization: `Bearer ${conn.accessToken}` } })
    ).json();
    expect(next.records).toHaveLength(200);
    expect(next.nextRecordsUrl).toMatch(/-400$/);
  });

  it('compares strings case-insensitively and returns records with attributes', async () => {
    const { ids } = await seed('Contact', [
      { FirstName: 'Jane', LastName: 'Doe', Email: 'Jane@Gmail.com' },
      { LastName: 'Other', Email: 'x@y.test' },
    ]);
    const res = await conn.query<any>("SELECT Id, Name, Email FROM Contact WHERE Email = 'jane@gmail.com'");
    expect(res.records).toEqual([
      {
        attributes: { type: 'Contact', url: `/services/data/v62.0/sobjects/Contact/${ids[0]}` },
        Id: ids[0],
        Name: 'Jane Doe',
        Email: 'Jane@Gmail.com',
      },
    ]);
  });

  it("unescapes \\' and \\\\ in string literals", async () => {
    await seed('Contact', [{ LastName: "O'Brien", Email: "o'b\\r@x.test" }, { LastName: 'B' }]);
    const res = await conn.query<any>("SELECT LastName FROM Contact WHERE Email = 'o\\'b\\\\r@x.test'");
    expect(res.records.map((r: any) => r.LastName)).toEqual(["O'Brien"]);
  });

  it('IN / NOT IN, LIKE, AND/OR/NOT with parentheses, null, booleans and dates', async () => {
    await seed('Lead', [
      {
        LastName: 'A',
        Company: 'Acme',
        Email: 'a@x.test',
        Industry: 'Banking',
        NumberOfEmployees: 10,
        Last_Quiz_Date__c: '2026-01-05',
      },
      { LastName: 'B', Company: 'Beta', Email: 'b@x.test', IsConverted: true, NumberOfEmployees: 50 },
      { LastName: 'C', Company: 'Acme Corp', Email: null, Webinar_Attended__c: true },
    ]);
    const names = async (where: string) =>
      (await conn.query<any>(`SELECT LastName FROM Lead WHERE ${where} ORDER BY LastName`)).records.map(
        (r: any) => r.LastName,
      );
    expect(await names("Email IN ('A@x.test', 'b@x.test')")).toEqual(['A', 'B']);
    expect(await names("Email NOT IN ('a@x.test')")).toEqual(['B', 'C']);
    expect(await names("Company LIKE 'acme%'")).toEqual(['A', 'C']);
    expect(await names('Email = null')).toEqual(['C']);
    expect(await names('IsConverted = false AND (NumberOfEmployees > 5 OR Webinar_Attended__c = true)')).toEqual([
      'A',
      'C',
    ]);
    expect(await names("NOT Company = 'Beta'")).toEqual(['A', 'C']);
    expect(await names('Last_Quiz_Date__c >= 2026-01-01')).toEqual(['A']);
    expect(await names('CreatedDate < 2100-01-01T00:00:00Z')).toEqual(['A', 'B', 'C']);
  });

  it('ORDER BY several fields with DESC and NULLS LAST, LIMIT and OFFSET; COUNT()', async () => {
    await seed('Contact', [
      { LastName: 'a', Title: 'x' },
      { LastName: 'b', Title: null },
      { LastName: 'c', Title: 'x' },
      { LastName: 'd', Title: 'y' },
    ]);
    const res = await conn.query<any>(
      'SELECT LastName FROM Contact ORDER BY Title DESC NULLS LAST, LastName ASC LIMIT 3 OFFSET 1',
    );
    expect(res.records.map((r: any) => r.LastName)).toEqual(['a', 'c', 'b']);
    const count = await conn.query("SELECT COUNT() FROM Contact WHERE Title = 'x'");
    expect(count.totalSize).toBe(2);
    expect(count.records).toEqual([]);
  });

  it('traverses metadata relationships (credspark__Sync_Rule__r.DeveloperName) as nested records', async () => {
    await seed('credspark__CredSpark_Interaction__mdt', [
      { DeveloperName: 'Int_q4', MasterLabel: 'Q4 Webinar Quiz', credspark__Interaction_Id__c: 'int_q4' },
    ]);
    await seed('credspark__CredSpark_Sync_Rule__mdt', [
      {
        DeveloperName: 'Rule_q4',
        credspark__Interaction__c: 'Int_q4',
        credspark__Enabled__c: true,
        credspark__Target_Object__c: 'Lead',
      },
    ]);
    await seed('credspark__CredSpark_Field_Mapping__mdt', [
      {
        DeveloperName: 'Map_1',
        credspark__Sync_Rule__c: 'Rule_q4',
        credspark__Source_Field__c: 'email',
        credspark__Target_Field__c: 'Email',
      },
    ]);
    const res = await conn.query<any>(
      'SELECT DeveloperName, credspark__Sync_Rule__r.DeveloperName, credspark__Sync_Rule__r.credspark__Interaction__r.credspark__Interaction_Id__c FROM credspark__CredSpark_Field_Mapping__mdt WHERE credspark__Sync_Rule__r.credspark__Enabled__c = true',
    );
    expect(res.records).toHaveLength(1);
    const r = res.records[0];
    expect(r.DeveloperName).toBe('Map_1');
    expect(r.credspark__Sync_Rule__r).toMatchObject({
      attributes: { type: 'credspark__CredSpark_Sync_Rule__mdt' },
      DeveloperName: 'Rule_q4',
    });
    expect(r.credspark__Sync_Rule__r.credspark__Interaction__r).toMatchObject({
      attributes: { type: 'credspark__CredSpark_Interaction__mdt' },
      credspark__Interaction_Id__c: 'int_q4',
    });
    const rule = await conn.query<any>('SELECT credspark__Interaction__c FROM credspark__CredSpark_Sync_Rule__mdt');
    expect(rule.records[0].credspark__Interaction__c).toMatch(/^m01/);
  });

  it('MALFORMED_QUERY, INVALID_FIELD and INVALID_TYPE with status 400 and Salesforce bodies', async () => {
    const raw = async (q: string) => {
      const res = await fetch(`${org.url}/services/data/v62.0/query?q=${encodeURIComponent(q)}`, {
        headers: { Authorization: `Bearer ${conn.accessToken}` },
      });
      return { status: res.status, body: (await res.json()) as any[] };
    };
    const bad = await raw('SELECT Id FROM Contact WHERE');
    expect(bad.status).toBe(400);
    expect(bad.body[0].errorCode).toBe('MALFORMED_QUERY');
    const field = await raw('SELECT Nope__c FROM Contact');
    expect(field.status).toBe(400);
    expect(field.body[0]).toEqual({
      errorCode: 'INVALID_FIELD',
      message: expect.stringContaining("No such column 'Nope__c' on entity 'Contact'"),
    });
    const type = await raw('SELECT Id FROM Nope__c');
    expect(type.body[0]).toEqual({
      errorCode: 'INVALID_TYPE',
      message: expect.stringContaining("sObject type 'Nope__c' is not supported"),
    });
    await expect(conn.query("SELECT Id FROM Contact WHERE Email = 'unterminated")).rejects.toMatchObject({
      errorCode: 'MALFORMED_QUERY',
    });
  });

  it('a request URI over 16 KB is 414 (chunk long IN lists); a statement over 100,000 chars is MALFORMED_QUERY', async () => {
    const emails = Array.from({ length: 800 }, (_, i) => `'person${i}@example.test'`).join(',');
    const res = await fetch(
      `${org.url}/services/data/v62.0/query?q=${encodeURIComponent(`SELECT Id FROM Contact WHERE Email IN (${emails})`)}`,
      { headers: { Authorization: `Bearer ${conn.accessToken}` } },
    );
    expect(res.status).toBe(414);
    const long = await fetch(`${org.url}/services/data/v62.0/query`, {
      headers: { Authorization: `Bearer ${conn.accessToken}` },
    });
    expect(long.status).toBe(400);
  });
});
