import { MATCHING_OPTIONS, SETTINGS } from 'c/credsparkRuleOptions';

describe('c-credspark-rule-options', () => {
    it('carries the SPEC §3 values and the defaults used when a field is empty', () => {
        expect(MATCHING_OPTIONS.duplicateHandling.values.map((v) => v.value)).toEqual(['Fail', 'Update_Match']);
        expect(MATCHING_OPTIONS.duplicateHandling.default).toBe('Fail');
        expect(MATCHING_OPTIONS.convertedLead.values.map((v) => v.value)).toEqual(['New_Lead', 'Update_Contact']);
        expect(SETTINGS.responseRecords.default).toBe('Failures');
        expect(SETTINGS.maxOrgApiUsagePercent.default).toBe(90);
    });

    it('is frozen: components cannot change the shared values', () => {
        expect(Object.isFrozen(MATCHING_OPTIONS)).toBe(true);
        expect(Object.isFrozen(SETTINGS)).toBe(true);
    });
});
