import { createElement } from '@lwc/engine-dom';
import CredsparkPersonResponses from 'c/credsparkPersonResponses';
import getResponses from '@salesforce/apex/CredSparkPersonResponsesController.getResponses';

const RESPONSES = require('./data/responses.json');

jest.mock(
    '@salesforce/apex/CredSparkPersonResponsesController.getResponses',
    () => {
        const { createApexTestWireAdapter } = require('@salesforce/sfdx-lwc-jest');
        return { default: createApexTestWireAdapter(jest.fn()) };
    },
    { virtual: true }
);

const flush = () => new Promise((resolve) => setTimeout(resolve));
const $ = (element, selector) => element.shadowRoot.querySelector(selector);
const all = (element, selector) => [...element.shadowRoot.querySelectorAll(selector)];

function mount() {
    const element = createElement('c-credspark-person-responses', { is: CredsparkPersonResponses });
    element.recordId = '00Q000000000001AAA';
    document.body.appendChild(element);
    return element;
}

describe('c-credspark-person-responses', () => {
    afterEach(() => {
        while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
    });

    it("asks for the page record's responses and lists them as Apex orders them, each linked", async () => {
        const element = mount();
        await flush();
        expect(getResponses.getLastConfig()).toEqual({ recordId: '00Q000000000001AAA' });
        getResponses.emit(RESPONSES);
        await flush();
        expect($(element, 'lightning-card').title).toBe('CredSpark responses (2)');
        const links = all(element, 'a.link');
        expect(links.map((a) => [a.textContent, a.getAttribute('href')])).toEqual([
            ['Q4 Webinar Quiz', '/lightning/r/a01000000000003AAA/view'],
            ['Product Fit Survey', '/lightning/r/a01000000000004AAA/view']
        ]);
        expect(all(element, 'td.score lightning-formatted-number').map((n) => n.value)).toEqual([85.5]);
        expect(all(element, 'tr.response span.slds-badge').map((s) => s.textContent)).toEqual(['Synced', 'Failed']);
        await expect(element).toBeAccessible();
    });

    it('says so when the person has no responses', async () => {
        const element = mount();
        getResponses.emit([]);
        await flush();
        expect($(element, '.empty').textContent).toBe('No CredSpark responses yet.');
    });

    it('shows an error through the error panel', async () => {
        const element = mount();
        getResponses.error({ message: 'CredSpark responses could not be read.' });
        await flush();
        expect($(element, 'c-error-panel').friendlyMessage).toBe('CredSpark responses could not be loaded');
    });

    it('shows a labelled spinner while loading', () => {
        const element = mount();
        expect($(element, 'lightning-spinner').alternativeText).toBe('Loading CredSpark responses');
    });
});
