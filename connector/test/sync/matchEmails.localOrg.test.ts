import type { LocalOrg } from '@credspark/local-org';
import { matchByEmail } from '../../src/sync/match';
import { apiCalls, control, demoContext, resetApiCalls, seed, useLocalOrg } from './helpers';

/**
 * matchByEmail against documented SOQL behaviour: string comparison on non-unique fields is
 * case-insensitive (SOQL and SOSL Reference, "Comparison Operators"); literals are escaped per
 * "Quoted String Escape Sequences"; each string in a WHERE clause stays under 4,000 characters and
 * each query's GET URL under the request-line bound, so a large batch is split into several IN
 * lists ("SOQL and SOSL Limits for Search Queries"). Records are seeded past the org's own email
 * validation, as data imported into Salesforce may be.
 */
describe('matchByEmail (local org)', () => {
  let org: LocalOrg;
  useLocalOrg((o) => (org = o));

  it('finds records whatever the case, with quotes, backslashes and non-ASCII characters in the address', async () => {
    await control(org, 'POST', '/__local/reset');
    const emails = ['Jane.Doe@Example.COM', "o'neil@x.com", 'back\\slash@x.com', 'josé@exämple.com', 'd"q@x.com'];
    const ids = await seed(
      org,
      'Contact',
      emails.map((Email, i) => ({ LastName: `C${i}`, Email })),
    );
    const ctx = await demoContext(org);
    const found = await matchByEmail(ctx, 'Contact', [
      'jane.doe@example.com',
      "O'Neil@X.com",
      'BACK\\SLASH@x.com',
      'JOSÉ@exämple.com',
      'd"q@x.com',
      'nobody@x.com',
    ]);
    expect(found.get('jane.doe@example.com')).toBe(ids[0]);
    expect(found.get("o'neil@x.com")).toBe(ids[1]);
    expect(found.get('back\\slash@x.com')).toBe(ids[2]);
    expect(found.get('josé@exämple.com')).toBe(ids[3]);
    expect(found.get('d"q@x.com')).toBe(ids[4]);
    expect(found.has('nobody@x.com')).toBe(false);
  });

  it('200 long addresses are split into several queries and every one is found', async () => {
    await control(org, 'POST', '/__local/reset');
    const emails = Array.from({ length: 200 }, (_, i) => `${String(i).padStart(3, '0')}.${'x'.repeat(60)}@example.com`);
    await seed(
      org,
      'Contact',
      emails.map((Email, i) => ({ LastName: `C${i}`, Email })),
    );
    const ctx = await demoContext(org);
    await resetApiCalls(org);
    const found = await matchByEmail(ctx, 'Contact', emails);
    expect(found.size).toBe(200);
    const queries = (await apiCalls(org)).byKind.query ?? 0;
    expect(queries).toBeGreaterThan(1);
    expect(queries).toBeLessThanOrEqual(3);
  });
});
