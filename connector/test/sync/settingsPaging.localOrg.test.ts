import type { LocalOrg } from '@credspark/local-org';
import { loadSettings } from '../../src/sync/settings';
import { apiCalls, control, demoContext, resetApiCalls, seed, useLocalOrg } from './helpers';

/**
 * REST API Developer Guide "Execute a SOQL Query": a result larger than one batch (2,000 rows by
 * default) comes back with `done: false` and a `nextRecordsUrl` — also inside a `/composite`
 * query subrequest ("Composite"); every page must be read, or rules lose mappings. Custom
 * metadata queries page the same way ("SOQL Object Limits and Limitations": standard relationship
 * queries are supported on metadata relationship fields).
 */
describe('settings with more mappings than one query batch', () => {
  let org: LocalOrg;
  useLocalOrg((o) => (org = o));

  it('follows nextRecordsUrl of the composite subrequest: 900 rules × 3 mappings (2,700 rows) all read', async () => {
    await control(org, 'POST', '/__local/reset');
    const n = 900;
    const ids = Array.from({ length: n }, (_, i) => i);
    await seed(
      org,
      'credspark__CredSpark_Interaction__mdt',
      ids.map((i) => ({ DeveloperName: `I_${i}`, MasterLabel: `I ${i}`, credspark__Interaction_Id__c: `int_${i}` })),
    );
    await seed(
      org,
      'credspark__CredSpark_Sync_Rule__mdt',
      ids.map((i) => ({
        DeveloperName: `R_${i}`,
        MasterLabel: `R ${i}`,
        credspark__Interaction__c: `I_${i}`,
        credspark__Enabled__c: true,
        credspark__Target_Object__c: 'Contact',
        credspark__Enabled_At__c: '2026-01-01T00:00:00.000Z',
      })),
    );
    await seed(
      org,
      'credspark__CredSpark_Field_Mapping__mdt',
      ids.flatMap((i) =>
        ['LastName', 'Email', 'Title'].map((target, j) => ({
          DeveloperName: `M_${i}_${j}`,
          MasterLabel: `M ${i} ${j}`,
          credspark__Sync_Rule__c: `R_${i}`,
          credspark__Source_Field__c: target.toLowerCase(),
          credspark__Target_Field__c: target,
        })),
      ),
    );
    const ctx = await demoContext(org);
    await resetApiCalls(org);
    const s = await loadSettings(ctx);
    expect(s.rules.size).toBe(n);
    for (const i of [0, 450, n - 1]) {
      const rule = s.rules.get(`int_${i}`);
      expect(rule).toMatchObject({ ok: true, ruleName: `R_${i}` });
      expect(rule!.ok && rule!.mappings.map((m) => m.targetField)).toEqual(['LastName', 'Email', 'Title']);
    }
    // One composite call for both queries, one more page of mappings (2,700 rows = 2,000 + 700).
    expect((await apiCalls(org)).byKind).toEqual({ composite: 1, query: 1 });
  });
});
