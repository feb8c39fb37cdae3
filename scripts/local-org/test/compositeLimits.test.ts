// REST API Developer Guide, "Send Multiple Requests Using Composite" (Note): up to 25 subrequests,
// of which up to 5 can be sObject Collections or query operations (Query and QueryAll included).
import type { Connection } from 'jsforce';
import type { LocalOrg } from '../src';
import { control, useResetOrg } from './helpers';

describe('composite: at most 5 sObject Collections or query subrequests', () => {
  let org: LocalOrg;
  let conn: Connection;
  useResetOrg({ org: (o) => (org = o), conn: (c) => (conn = c) });

  const post = (compositeRequest: unknown[]) =>
    fetch(`${org.url}/services/data/v62.0/composite`, {
      method: 'POST',
      headers: { authorization: `Bearer ${conn.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ allOrNone: false, compositeRequest }),
    });
  const query = (n: number, kind = 'query') => ({
    method: 'GET',
    url: `/services/data/v62.0/${kind}?q=${encodeURIComponent('SELECT Id FROM Contact')}`,
    referenceId: `q${n}`,
  });
  const collection = (n: number) => ({
    method: 'POST',
    url: '/services/data/v62.0/composite/sobjects',
    referenceId: `c${n}`,
    body: { allOrNone: false, records: [{ attributes: { type: 'Contact' }, LastName: `C${n}` }] },
  });
  const describeSub = (n: number) => ({
    method: 'GET',
    url: '/services/data/v62.0/sobjects/Contact/describe',
    referenceId: `d${n}`,
  });

  it('5 (queries, queryAll and collections mixed) plus other subrequests are accepted', async () => {
    const res = await post([
      query(1),
      query(2, 'queryAll'),
      collection(3),
      collection(4),
      query(5),
      describeSub(6),
      describeSub(7),
    ]);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { compositeResponse: { httpStatusCode: number }[] };
    expect(body.compositeResponse.map((r) => r.httpStatusCode)).toEqual([200, 200, 200, 200, 200, 200, 200]);
  });

  it('a sixth is refused as a whole (HTTP 400), nothing written, one API call counted', async () => {
    await control(org, 'POST', `/__local/orgs/${org.demo.orgId}/api-calls/reset`);
    const res = await post([collection(1), collection(2), query(3), query(4), query(5), query(6)]);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { errorCode: string; message: string }[];
    expect(body[0]!.errorCode).toBe('INVALID_BATCH_REQUEST');
    const contacts = await control(org, 'GET', `/__local/orgs/${org.demo.orgId}/records/Contact`);
    expect(contacts.records).toHaveLength(0);
    expect((await control(org, 'GET', `/__local/orgs/${org.demo.orgId}/api-calls`)).total).toBe(1);
  });
});
