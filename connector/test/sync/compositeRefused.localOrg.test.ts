import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startLocalOrg, type LocalOrg } from '@credspark/local-org';
import { Connection } from 'jsforce';
import { createSyncEngine } from '../../src/sync/syncResponses';
import type { SyncResponses } from '../../src/sync/types';
import { API_VERSION, claimed, connectDemo, DEFAULTS, records, resetOrg, seed, seedRule, syncContext } from './helpers';

/** A new engine per test (empty settings and describe caches). */
let engine = createSyncEngine();
const syncResponses: SyncResponses = (ctx, rs) => engine.sync(ctx, rs);

/**
 * The engine bundles queries and collection writes in `/composite` to save API calls. An org (or
 * a proxy in front of it) that refuses that bundle must cost calls, never the sync: here a proxy
 * answers every `/composite` POST as Salesforce answers an unknown resource
 * (REST API Developer Guide "Status Codes and Error Responses": 404 NOT_FOUND).
 */
describe('sync when /composite is refused', () => {
  let org: LocalOrg;
  let proxy: Server;
  let proxyUrl: string;
  let refused = 0;

  beforeAll(async () => {
    org = await startLocalOrg({ quiet: true, autoApprove: true });
    const target = new URL(org.url);
    proxy = createServer((req, res) => {
      if (req.method === 'POST' && /^\/services\/data\/v[\d.]+\/composite\/?(\?|$)/.test(req.url ?? '')) {
        refused += 1;
        req.resume();
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify([{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }]));
        return;
      }
      const upstream = httpRequest(
        { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        },
      );
      req.pipe(upstream);
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((r) => proxy.close(r));
    await org.close();
  });

  it('falls back to plain queries and sObject Collections calls, and syncs every response', async () => {
    await resetOrg(org);
    engine = createSyncEngine();
    const direct = await connectDemo(org);
    const conn = new Connection({ instanceUrl: proxyUrl, accessToken: direct.accessToken!, version: API_VERSION });
    const ctx = syncContext(conn, org);
    await seedRule(org, { interactionId: 'int_q4', target: 'Contact', mappings: DEFAULTS });
    const [existing] = await seed(org, 'Contact', [{ LastName: 'Doe', Email: 'jane@gmail.com' }]);

    // One update and one create: two collection chunks, which the engine would bundle.
    const update = claimed({
      interactionId: 'int_q4',
      answers: { first_name: 'Jane', last_name: 'Smith', email: 'jane@gmail.com' },
    });
    const create = claimed({
      interactionId: 'int_q4',
      answers: { first_name: 'Max', last_name: 'New', email: 'max@example.com' },
    });
    const out = await syncResponses(ctx, [update, create]);

    expect(refused).toBeGreaterThanOrEqual(2); // the settings bundle and the write bundle were tried
    expect(out.get(update.responseId)).toEqual({
      status: 'synced',
      object: 'Contact',
      recordId: existing,
      action: 'updated',
    });
    expect(out.get(create.responseId)).toMatchObject({ status: 'synced', object: 'Contact', action: 'created' });
    const contacts = await records(org, 'Contact');
    expect(contacts.map((c) => c.LastName).sort()).toEqual(['New', 'Smith']);
  });
});
