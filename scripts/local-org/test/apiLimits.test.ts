// The org's API allocation as the connector sees it: `Sforce-Limit-Info: api-usage=N/M` on every
// answer, /limits DailyApiRequests, 403 REQUEST_LIMIT_EXCEEDED "TotalRequests Limit exceeded." once
// the allocation is spent, and the concurrent-request limit ("ConcurrentPerOrgLongTxn Limit
// exceeded.") that clears by itself. Sources: REST API Developer Guide "Response Headers"
// (Sforce-Limit-Info), "Limits"; Salesforce Developer Limits and Allocations Quick Reference "API
// Request Limits and Allocations".
import type { Connection } from 'jsforce';
import type { LocalOrg } from '../src';
import { control, useRestOrg } from './helpers';

describe('API allocation controls', () => {
  let org: LocalOrg;
  let conn: Connection;
  const rest = useRestOrg({ org: (o) => (org = o), conn: (c) => (conn = c) });
  const usage = (body?: unknown) =>
    control(org, body ? 'POST' : 'GET', `/__local/orgs/${org.demo.orgId}/api-usage`, body);

  it('the org usage set by control shows in Sforce-Limit-Info and /limits, and grows by one per call', async () => {
    expect(await usage({ used: 88000, max: 100000 })).toEqual({ used: 88000, max: 100000 });
    const q = await rest('GET', '/query?q=SELECT+Id+FROM+Contact');
    expect(q.headers.get('sforce-limit-info')).toBe('api-usage=88001/100000');
    const limits = await rest('GET', '/limits');
    expect(limits.body.DailyApiRequests).toEqual({ Max: 100000, Remaining: 11998 });
    expect(await usage()).toEqual({ used: 88002, max: 100000 });
    // The test counters are separate from the allocation: resetting them leaves the usage alone.
    await control(org, 'POST', `/__local/orgs/${org.demo.orgId}/api-calls/reset`);
    expect((await rest('GET', '/limits')).headers.get('sforce-limit-info')).toBe('api-usage=88003/100000');
  });

  it('a spent allocation refuses every call with 403 REQUEST_LIMIT_EXCEEDED "TotalRequests Limit exceeded."; raising the max lets calls through', async () => {
    await usage({ used: 500, max: 500 });
    const refused = await rest('GET', '/limits');
    expect(refused.status).toBe(403);
    expect(refused.body).toEqual([{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }]);
    await expect(conn.query('SELECT Id FROM Contact')).rejects.toMatchObject({ errorCode: 'REQUEST_LIMIT_EXCEEDED' });
    await usage({ max: 1000 });
    expect((await rest('GET', '/limits')).status).toBe(200);
  });

  it('concurrentLimitExceededNext: N refuses the next N calls with "ConcurrentPerOrgLongTxn Limit exceeded.", then calls pass', async () => {
    await control(org, 'POST', `/__local/orgs/${org.demo.orgId}/faults`, { concurrentLimitExceededNext: 2 });
    for (let i = 0; i < 2; i++) {
      const r = await rest('POST', '/sobjects/Contact', { LastName: 'x' });
      expect(r.status).toBe(403);
      expect(r.body).toEqual([
        { message: 'ConcurrentPerOrgLongTxn Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' },
      ]);
    }
    expect((await rest('POST', '/sobjects/Contact', { LastName: 'x' })).status).toBe(201);
    // Refused calls did not run and are not counted.
    expect((await control(org, 'GET', `/__local/orgs/${org.demo.orgId}/api-calls`)).total).toBe(1);
  });

  it('validates the control body', async () => {
    await expect(usage({ used: -1 })).rejects.toThrow(/400/);
    await expect(usage({ max: 0 })).rejects.toThrow(/400/);
  });
});
