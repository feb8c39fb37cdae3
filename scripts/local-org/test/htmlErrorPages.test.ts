// Fault injection: an unavailable instance answers 503 with an HTML page rather than Salesforce's
// JSON error body (REST API Developer Guide "Status Codes and Error Responses": 503 when the
// server is down for maintenance or overloaded; the body format is not promised). jsforce 3
// (http-api.js getError) then reports errorCode ERROR_HTTP_503 with the page as message.
import type { Connection } from 'jsforce';
import type { LocalOrg } from '../src';
import { connect, control, started } from './helpers';

describe('faults: htmlErrorPages', () => {
  let org: LocalOrg;
  let conn: Connection;
  beforeAll(async () => {
    org = await started();
    conn = await connect(org);
  });
  afterAll(async () => {
    await org.close();
  });

  it('an injected 503 is a text/html page; without the flag it is the JSON SERVER_UNAVAILABLE body', async () => {
    const post = () =>
      fetch(`${org.url}/services/data/v62.0/composite`, {
        method: 'POST',
        headers: { authorization: `Bearer ${conn.accessToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          compositeRequest: [{ method: 'GET', url: '/services/data/v62.0/limits', referenceId: 'l' }],
        }),
      });
    await control(org, 'POST', `/__local/orgs/${org.demo.orgId}/faults`, { http503Rate: 1, htmlErrorPages: true });
    const html = await post();
    expect(html.status).toBe(503);
    expect(html.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await html.text()).toContain('Service Unavailable');
    const viaJsforce = await conn
      .request({ method: 'POST', url: '/composite', body: '{}', headers: { 'content-type': 'application/json' } })
      .catch((e: unknown) => e);
    expect(viaJsforce).toMatchObject({ errorCode: 'ERROR_HTTP_503' });

    await control(org, 'POST', `/__local/orgs/${org.demo.orgId}/faults`, { http503Rate: 1 });
    const json = await post();
    expect(json.status).toBe(503);
    expect(await json.json()).toEqual([
      { errorCode: 'SERVER_UNAVAILABLE', message: 'Server Unavailable: the local org injected a 503 fault.' },
    ]);
    await control(org, 'POST', `/__local/orgs/${org.demo.orgId}/faults`, {});
  });
});
