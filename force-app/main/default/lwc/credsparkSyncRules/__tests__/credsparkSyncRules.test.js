import { missingRequiredFields, duplicateTargets, defaultMappings, DEFAULT_MAPPINGS } from 'c/credsparkSyncRules';

describe('c-credspark-sync-rules', () => {
    it('missingRequiredFields ignores mappings without a source or fixed value', () => {
        const mappings = [
            { sourceField: 'last_name', targetField: 'LastName' },
            { sourceField: null, staticValue: null, targetField: 'Company' }
        ];
        expect(missingRequiredFields('Lead', mappings).map((f) => f.field)).toEqual(['Company']);
        expect(missingRequiredFields('Contact', mappings)).toEqual([]);
        expect(missingRequiredFields('Account', mappings)).toEqual([]);
    });

    it('duplicateTargets lists each target written twice, once', () => {
        const m = (t) => ({ sourceField: 'x', targetField: t });
        expect(duplicateTargets([m('Email'), m('Email'), m('Email'), m('Title'), m(null), m(null)])).toEqual(['Email']);
    });

    it('defaultMappings returns fresh copies', () => {
        const copy = defaultMappings();
        copy[0].targetField = 'Changed';
        expect(DEFAULT_MAPPINGS[0].targetField).toBe('FirstName');
    });
});
