import { DEFAULT_ORG_SETTINGS, orgSettingsSoql, parseOrgSettings } from '../../src/orgSettings/orgSettings';

/** SPEC §3 CredSpark_Settings__mdt: absent = all defaults; empty or 0 budget = no cap; empty
 *  percentage = 90; empty Response_Records__c = Failures. Typos fall back to the default. */
describe('CredSpark_Settings__mdt parsing', () => {
  const ns = 'credspark';
  const rec = (o: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(o).map(([k, v]) => [`credspark__${k}`, v]));

  it('an absent record gives every default', () => {
    expect(parseOrgSettings(undefined, ns)).toEqual({
      dailyApiBudget: null,
      maxOrgApiUsagePercent: 90,
      responseRecords: 'Failures',
    });
  });

  it('reads the three fields as REST returns them (numbers as JSON numbers)', () => {
    expect(
      parseOrgSettings(
        rec({ Daily_API_Budget__c: 5000, Max_Org_API_Usage_Percent__c: 75, Response_Records__c: 'All' }),
        ns,
      ),
    ).toEqual({ dailyApiBudget: 5000, maxOrgApiUsagePercent: 75, responseRecords: 'All' });
  });

  it('empty or 0 budget means no cap; empty percentage 90; empty records Failures', () => {
    expect(
      parseOrgSettings(
        rec({ Daily_API_Budget__c: 0, Max_Org_API_Usage_Percent__c: null, Response_Records__c: '' }),
        ns,
      ),
    ).toEqual(DEFAULT_ORG_SETTINGS);
    expect(parseOrgSettings(rec({ Daily_API_Budget__c: null }), ns).dailyApiBudget).toBeNull();
  });

  it('is tolerant: strings, odd case, out-of-range values fall back and are named in a warning', () => {
    const warned: string[] = [];
    const s = parseOrgSettings(
      {
        CREDSPARK__DAILY_API_BUDGET__C: '120.0',
        credspark__Max_Org_API_Usage_Percent__c: 250,
        credspark__Response_Records__c: ' none ',
      },
      ns,
      (f) => warned.push(f),
    );
    expect(s).toEqual({ dailyApiBudget: 120, maxOrgApiUsagePercent: 100, responseRecords: 'None' });
    expect(warned).toEqual([]);
    const bad = parseOrgSettings(
      rec({ Daily_API_Budget__c: 'lots', Max_Org_API_Usage_Percent__c: -5, Response_Records__c: 'Some' }),
      ns,
      (f) => warned.push(f),
    );
    expect(bad).toEqual(DEFAULT_ORG_SETTINGS);
    expect(warned).toEqual(['Daily_API_Budget__c', 'Max_Org_API_Usage_Percent__c', 'Response_Records__c']);
  });

  it('an unpackaged org has no prefix', () => {
    expect(orgSettingsSoql('')).toBe(
      "SELECT Daily_API_Budget__c, Max_Org_API_Usage_Percent__c, Response_Records__c FROM CredSpark_Settings__mdt WHERE DeveloperName = 'Default' LIMIT 1",
    );
    expect(parseOrgSettings({ Daily_API_Budget__c: 7 }, '').dailyApiBudget).toBe(7);
  });
});
