import { reduceErrors } from 'c/ldsUtils';

describe('c-lds-utils', () => {
    it('reduces Apex, UI API, JS and string errors to messages', () => {
        expect(
            reduceErrors([
                { body: { message: 'Apex says no' } },
                { body: [{ message: 'a' }, { message: 'b' }] },
                { body: { pageErrors: [{ message: 'page' }] } },
                { body: { fieldErrors: { Email: [{ message: 'bad email' }] } } },
                new Error('js'),
                'plain',
                { statusText: 'Server Error' },
                null
            ])
        ).toEqual(['Apex says no', 'a', 'b', 'page', 'bad email', 'js', 'plain', 'Server Error']);
    });

    it('accepts a single error', () => {
        expect(reduceErrors({ body: { message: 'one' } })).toEqual(['one']);
    });
});
