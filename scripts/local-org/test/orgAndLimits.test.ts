// Describe, limits, the Sforce-Limit-Info header, API-call counting, fault injection and several
// orgs in one server. Sources: REST API Developer Guide "sObject Describe", "Describe Global",
// "Limits", "Response Headers" (Sforce-Limit-Info); Salesforce Developer Limits and Allocations
// Quick Reference ("API Request Limits and Allocations": REQUEST_LIMIT_EXCEEDED, 403).
import { Connection } from 'jsforce';
import type { LocalOrg } from '../src';
import { consent, control, oauth2, useResetOrg, VERSION } from './helpers';

describe('describe, limits, counters, faults, orgs', () => {
  let org: LocalOrg;
  let conn: Connection;
  useResetOrg({ org: (o) => (org = o), conn: (c) => (conn = c) });
  const calls = (orgId = org.demo.orgId) => control(org, 'GET', `/__local/orgs/${orgId}/api-calls`);
  const get = (path: string, token = conn.accessToken) =>
    fetch(`${org.url}/services/data/v62.0${path}`, { headers: { Authorization: `Bearer ${token}` } });

  it('describes Lead with realistic field metadata', async () => {
    const d = await conn.sobject('Lead').describe();
    const f = Object.fromEntries(d.fields.map((x) => [x.name, x]));
    expect(d).toMatchObject({ name: 'Lead', keyPrefix: '00Q', createable: true });
    expect(f.Status).toMatchObject({
      type: 'picklist',
      restrictedPicklist: true,
      nillable: false,
      defaultedOnCreate: true,
      defaultValue: 'Open - Not Contacted',
    });
    expect(f.Company).toMatchObject({ type: 'string', length: 255, nillable: false, createable: true });
    expect(f.IsConverted).toMatchObject({ type: 'boolean', createable: false, updateable: false });
    expect((f.LeadSource.picklistValues ?? []).map((p) => p.value)).toContain('Web');
    expect(f.Interests__c).toMatchObject({ type: 'multipicklist', custom: true });
    expect(f.NumberOfEmployees.type).toBe('int');
    expect(f.AnnualRevenue.type).toBe('currency');
  });

  it('describes the namespaced custom metadata types; global describe lists them', async () => {
    const d = await conn.sobject('credspark__CredSpark_Field_Mapping__mdt').describe();
    const names = d.fields.map((x) => x.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'DeveloperName',
        'MasterLabel',
        'QualifiedApiName',
        'NamespacePrefix',
        'credspark__Sync_Rule__c',
        'credspark__Source_Field__c',
        'credspark__Target_Field__c',
        'credspark__Static_Value__c',
      ]),
    );
    expect(d.fields.find((x) => x.name === 'credspark__Sync_Rule__c')).toMatchObject({
      relationshipName: 'credspark__Sync_Rule__r',
      referenceTo: ['credspark__CredSpark_Sync_Rule__mdt'],
    });
    const g = await conn.describeGlobal();
    expect(g.sobjects.map((s) => s.name)).toEqual(
      expect.arrayContaining(['Contact', 'Lead', 'credspark__CredSpark_Sync_Rule__mdt']),
    );
  });

  it('an unpackaged org (namespace "") names the types without prefix', async () => {
    const made = await control(org, 'POST', '/__local/orgs', { namespace: '', username: 'dev@plain.local' });
    const o = oauth2(org);
    const url = o.getAuthorizationUrl({ scope: 'api refresh_token', login_hint: 'dev@plain.local' } as any);
    const c = new Connection({ oauth2: o, version: VERSION });
    await c.authorize((await consent(url, 'allow')).searchParams.get('code')!);
    expect(c.userInfo?.organizationId).toBe(made.orgId);
    const res = await c.query('SELECT DeveloperName, Enabled__c FROM CredSpark_Sync_Rule__mdt');
    expect(res.totalSize).toBe(0);
    expect((await calls(made.orgId)).total).toBe(1);
    expect((await calls()).total).toBe(0);
  });

  it('every REST response carries Sforce-Limit-Info; /limits reports DailyApiRequests', async () => {
    const res = await get('/limits');
    expect(res.headers.get('sforce-limit-info')).toBe('api-usage=1/100000');
    expect(await res.json()).toMatchObject({ DailyApiRequests: { Max: 100000, Remaining: 99999 } });
    expect((await get('/query?q=SELECT+Id+FROM+Contact')).headers.get('sforce-limit-info')).toBe('api-usage=2/100000');
  });

  it('counts calls by kind; OAuth token requests are listed but do not use the allocation', async () => {
    await conn.query('SELECT Id FROM Contact');
    await conn.sobject('Contact').describe();
    await conn.sobject('Contact').create({ LastName: 'x' });
    await conn.sobject('Contact').create([{ LastName: 'y' }, { LastName: 'z' }]);
    expect(await calls()).toEqual({
      total: 4,
      byKind: { oauth: 1, query: 1, describe: 1, sobject: 1, collections: 1 },
    });
  });

  it('REQUEST_LIMIT_EXCEEDED (403) once the daily allocation is used up', async () => {
    const small = await control(org, 'POST', '/__local/orgs', { dailyApiLimit: 2, username: 'small@org.local' });
    const o = oauth2(org);
    const c = new Connection({ oauth2: o, version: VERSION });
    await c.authorize(
      (
        await consent(
          o.getAuthorizationUrl({ scope: 'api refresh_token', login_hint: 'small@org.local' } as any),
          'allow',
        )
      ).searchParams.get('code')!,
    );
    await c.sobject('Contact').create({ LastName: 'a' });
    await c.sobject('Contact').create({ LastName: 'b' });
    const res = await get('/limits', c.accessToken!);
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual([
      { message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' },
    ]);
    expect((await calls(small.orgId)).total).toBe(2);
  });

  describe('fault injection', () => {
    const faults = (body: unknown) => control(org, 'POST', `/__local/orgs/${org.demo.orgId}/faults`, body);
    afterEach(() => faults({}));

    it('http503Rate 1 answers 503 to every call', async () => {
      await faults({ http503Rate: 1 });
      await expect(conn.sobject('Contact').create({ LastName: 'x' })).rejects.toMatchObject({
        errorCode: 'SERVER_UNAVAILABLE',
      });
    });

    it('lockRowRate 1 fails creates and updates per record with UNABLE_TO_LOCK_ROW', async () => {
      const { ids } = await control(org, 'POST', `/__local/orgs/${org.demo.orgId}/records/Contact`, [
        { LastName: 'a' },
      ]);
      await faults({ lockRowRate: 1 });
      const res: any[] = await conn.sobject('Contact').update([{ Id: ids[0], Title: 't' }], { allOrNone: false });
      expect(res[0]).toMatchObject({ success: false, errors: [{ statusCode: 'UNABLE_TO_LOCK_ROW' }] });
      await expect(conn.sobject('Contact').create({ LastName: 'x' })).rejects.toMatchObject({
        errorCode: 'UNABLE_TO_LOCK_ROW',
      });
    });

    it('lockRowRate 0.5 with a seed fails some records, repeatably', async () => {
      const run = async () => {
        await faults({ lockRowRate: 0.5, seed: 7 });
        const res: any[] = await conn.sobject('Contact').create(
          Array.from({ length: 20 }, (_, i) => ({ LastName: `n${i}` })),
          { allOrNone: false },
        );
        return res.map((r) => r.success);
      };
      const a = await run();
      expect(a.filter(Boolean).length).toBeGreaterThan(0);
      expect(a.filter((x) => !x).length).toBeGreaterThan(0);
      expect(await run()).toEqual(a);
    });

    it('requestLimitExceededForMs answers 403 for that long', async () => {
      await faults({ requestLimitExceededForMs: 60_000 });
      await expect(conn.sobject('Contact').create({ LastName: 'x' })).rejects.toMatchObject({
        errorCode: 'REQUEST_LIMIT_EXCEEDED',
      });
    });

    it('expireSessionEvery N makes jsforce refresh every N+1 calls', async () => {
      await faults({ expireSessionEvery: 2 });
      const refreshed = jest.fn();
      conn.on('refresh', refreshed);
      for (let i = 0; i < 6; i++) await conn.query('SELECT Id FROM Contact');
      expect(refreshed.mock.calls.length).toBeGreaterThanOrEqual(2);
    });

    it('latencyMs delays each call', async () => {
      await faults({ latencyMs: 150 });
      const t = Date.now();
      await conn.query('SELECT Id FROM Contact');
      expect(Date.now() - t).toBeGreaterThanOrEqual(140);
    });
  });

  it('connected apps registered through the control API authorize with their own callbacks', async () => {
    const app = await control(org, 'POST', '/__local/connected-apps', {
      name: 'Other App',
      callbackUrls: ['https://other.example/cb'],
    });
    const res = await fetch(
      `${org.url}/services/oauth2/authorize?response_type=code&client_id=${app.clientId}&redirect_uri=${encodeURIComponent('https://other.example/cb')}&scope=api`,
    );
    expect(await res.text()).toContain('Other App');
  });
});
