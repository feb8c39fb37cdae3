import { toRows, validate, typeHints, toInput, summarize, targetOptions, sourceFields } from 'c/credsparkRuleEditor';
import { MAX_MAPPINGS, MAX_MAPPINGS_MESSAGE } from 'c/credsparkSyncRules';

const LEAD = require('./data/objectInfoLead.json');

const row = (sourceField, targetField, staticValue = null, mode = staticValue ? 'fixed' : 'field') => ({
    id: `${targetField}`,
    mode,
    sourceField,
    targetField,
    staticValue
});

describe('c-credspark-rule-editor', () => {
    it('a new rule starts with the shared default mappings', () => {
        expect(toRows(null).map((r) => `${r.sourceField}>${r.targetField}`)).toEqual([
            'first_name>FirstName',
            'last_name>LastName',
            'email>Email'
        ]);
    });

    it('a fixed value satisfies a required field; a stale source in fixed mode is not sent', () => {
        const rows = [row('last_name', 'LastName'), { ...row('q7', 'Company', 'Acme'), mode: 'fixed' }];
        expect(validate({ enabled: true, targetObject: 'Lead', rows }).errors).toEqual([]);
        expect(toInput('X', { enabled: true, targetObject: 'Lead', rows }).mappings[1]).toEqual({
            sourceField: null,
            targetField: 'Company',
            staticValue: 'Acme'
        });
    });

    it('required fields block only an enabled rule', () => {
        const rows = [row('email', 'Email')];
        expect(validate({ enabled: false, targetObject: 'Contact', rows })).toEqual({
            errors: [],
            requiredWarning: 'Contacts require Last Name'
        });
        expect(validate({ enabled: true, targetObject: 'Contact', rows }).errors).toEqual([
            'Contacts require Last Name'
        ]);
    });

    it('only createable and updateable fields are targets', () => {
        const values = targetOptions(LEAD).map((o) => o.value);
        expect(values).toContain('Company');
        expect(values).not.toContain('IsConverted');
    });

    it('number answers fit number fields without a hint', () => {
        const fields = sourceFields({ fields: [{ key: 'q9', label: 'Team size', type: 'number' }] });
        expect(typeHints([row('q9', 'NumberOfEmployees')], fields, LEAD)).toEqual([]);
        expect(typeHints([row('$completed_at', 'NumberOfEmployees')], fields, LEAD)).toEqual([
            'Completed At (datetime) may not fit Employees (Int).'
        ]);
    });

    it('summarizes a Lead rule without Company as "Company not mapped" (from the Apex summary)', () => {
        const summary = summarize({
            rule: { enabled: false, targetObject: 'Lead', mappingCount: 1, missingRequired: ['Company'], mappings: [] }
        });
        expect(summary).toEqual({
            state: 'Disabled',
            objectName: 'Lead',
            mappingCount: 1,
            warnings: ['Company not mapped']
        });
    });

    it('refuses more mappings than the shared limit (MAX_MAPPINGS from syncRules.json), accepts the limit', () => {
        const rows = (n) => Array.from({ length: n }, (_, i) => row(`q${i}`, `Field${i}__c`));
        const atLimit = validate({ enabled: false, targetObject: 'Contact', rows: rows(MAX_MAPPINGS) });
        expect(atLimit.errors).not.toContain(MAX_MAPPINGS_MESSAGE);
        const over = validate({ enabled: false, targetObject: 'Contact', rows: rows(MAX_MAPPINGS + 1) });
        expect(over.errors).toContain('A sync rule can have at most 50 field mappings.');
        expect(MAX_MAPPINGS).toBe(50);
    });
});
