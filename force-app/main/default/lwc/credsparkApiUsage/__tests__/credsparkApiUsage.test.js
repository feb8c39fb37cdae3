import { createElement } from '@lwc/engine-dom';
import CredsparkApiUsage from 'c/credsparkApiUsage';

const { usage: USAGE } = require('../../credsparkSyncHealth/__tests__/data/health.json');

const $ = (element, selector) => element.shadowRoot.querySelector(selector);

function mount(usage) {
    const element = createElement('c-credspark-api-usage', { is: CredsparkApiUsage });
    element.usage = usage;
    document.body.appendChild(element);
    return element;
}

describe('c-credspark-api-usage', () => {
    afterEach(() => {
        while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
    });

    it("shows today's calls against the budget with a bar", () => {
        const element = mount(USAGE);
        expect($(element, '.budget').textContent).toBe('420 of 5,000 API calls today (8 %)');
        expect($(element, 'lightning-progress-bar.budget-bar').value).toBe(8);
    });

    it('says "no daily cap" when the budget is 0 or empty', () => {
        const element = mount({ ...USAGE, dailyApiBudget: 0 });
        expect($(element, '.budget').textContent).toBe('420 API calls today (no daily cap)');
        expect($(element, 'lightning-progress-bar.budget-bar')).toBeNull();
    });

    it("shows the org's own daily usage and the pause threshold", () => {
        const element = mount(USAGE);
        expect($(element, '.org').textContent).toBe('1,200 of 15,000 daily API requests used (8 %)');
        expect($(element, '.org-note').textContent).toBe('CredSpark pauses syncing while the org is above 90 %.');
        expect($(element, '.org-paused')).toBeNull();
    });

    it('says when the org is above the threshold now', () => {
        const element = mount({ ...USAGE, orgApiUsed: 14000 });
        expect($(element, '.org-paused').textContent).toMatch(/CredSpark waits, and no response is lost/);
    });

    it('says so when Salesforce does not report the limit', () => {
        const element = mount({ ...USAGE, orgApiUsed: null, orgApiMax: null });
        expect($(element, '.org-unknown').textContent).toBe("Salesforce did not report the org's API usage.");
    });

    it('is accessible: each bar follows the sentence that names it', async () => {
        const element = mount(USAGE);
        await expect(element).toBeAccessible();
    });
});
