import { createElement } from '@lwc/engine-dom';
import CredsparkFailureList from 'c/credsparkFailureList';

const { failures: FAILURES } = require('../../credsparkSyncHealth/__tests__/data/health.json');

const flush = () => new Promise((resolve) => setTimeout(resolve));
const all = (element, selector) => [...element.shadowRoot.querySelectorAll(selector)];

function mount(failures) {
    const element = createElement('c-credspark-failure-list', { is: CredsparkFailureList });
    element.failures = failures;
    document.body.appendChild(element);
    return element;
}

describe('c-credspark-failure-list', () => {
    afterEach(() => {
        while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
    });

    it("shows each failure's code, Salesforce's message, interaction and a link to its record", () => {
        const element = mount(FAILURES);
        expect(all(element, 'td .code').map((e) => e.textContent)).toEqual([
            'REQUIRED_FIELD_MISSING',
            'INVALID_EMAIL_ADDRESS'
        ]);
        expect(all(element, 'td .message')[0].textContent).toBe('Required fields are missing: [Company]');
        expect(all(element, 'td.interaction').map((e) => e.textContent)).toEqual([
            'Q4 Webinar Quiz',
            'Product Fit Survey'
        ]);
        const links = all(element, 'a.response');
        expect(links.map((a) => a.getAttribute('href'))).toEqual([
            '/lightning/r/a01000000000001AAA/view',
            '/lightning/r/a01000000000002AAA/view'
        ]);
        expect(all(element, 'a.record').map((a) => [a.textContent, a.getAttribute('href')])).toEqual([
            ['Contact 003000000000001AAA', '/lightning/r/003000000000001AAA/view']
        ]);
    });

    it('offers Retry where none was requested yet, and asks for that response', async () => {
        const element = mount(FAILURES);
        const asked = [];
        element.addEventListener('retry', (e) => asked.push(e.detail.id));
        const buttons = all(element, 'lightning-button.retry');
        expect(buttons).toHaveLength(1);
        expect(all(element, 'lightning-badge.requested')[0].label).toBe('Retry requested');
        buttons[0].click();
        await flush();
        expect(asked).toEqual(['a01000000000001AAA']);
    });

    it('says so when nothing failed', () => {
        const element = mount([]);
        expect(all(element, '.empty')[0].textContent).toBe('No failed responses. Everything synced.');
    });

    it('is accessible: a labelled table, named links and buttons', async () => {
        const element = mount(FAILURES);
        expect(all(element, 'lightning-button.retry')[0].title).toBe('Retry R-0000000012');
        await expect(element).toBeAccessible();
    });
});
