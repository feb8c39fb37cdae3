import { createElement } from '@lwc/engine-dom';
import CredsparkHealthCounts from 'c/credsparkHealthCounts';

const HEALTH = require('../../credsparkSyncHealth/__tests__/data/health.json');
const WINDOWS = [
    { key: 'day', label: 'Last 24 hours', ...HEALTH.last24Hours },
    { key: 'week', label: 'Last 7 days', ...HEALTH.last7Days }
];

const flush = () => new Promise((resolve) => setTimeout(resolve));
/** The count table (`totals` or `codes`) the component renders, where its rows are. */
const table = (element, which) => element.shadowRoot.querySelector(`c-credspark-count-table.${which}`).shadowRoot;
const texts = (root, selector) => [...root.querySelectorAll(selector)].map((e) => e.textContent);

function mount(windows) {
    const element = createElement('c-credspark-health-counts', { is: CredsparkHealthCounts });
    element.windows = windows;
    document.body.appendChild(element);
    return element;
}

describe('c-credspark-health-counts', () => {
    afterEach(() => {
        while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
    });

    it('counts synced and failed per window', () => {
        const element = mount(WINDOWS);
        expect(texts(table(element, 'totals'), 'tr.total td.count')).toEqual(['41', '280', '3', '9']);
    });

    it('lists each error code once, with zero where a window has none', () => {
        const element = mount(WINDOWS);
        expect(texts(table(element, 'codes'), 'tr.code th.label')).toEqual([
            'REQUIRED_FIELD_MISSING',
            'INVALID_EMAIL_ADDRESS',
            'DUPLICATES_DETECTED'
        ]);
        expect(texts(table(element, 'codes'), 'tr.code td.count')).toEqual(['2', '6', '1', '1', '0', '2']);
    });

    it('"Retry all with this code" asks for that code, and for failures without a code', async () => {
        const windows = [
            { ...WINDOWS[0], byCode: [{ code: null, count: 1 }] },
            { ...WINDOWS[1], byCode: [{ code: 'DUPLICATES_DETECTED', count: 2 }] }
        ];
        const element = mount(windows);
        const asked = [];
        element.addEventListener('retrycode', (e) => asked.push(e.detail.code));
        const buttons = table(element, 'codes').querySelectorAll('lightning-button.action');
        expect([...buttons].map((b) => b.title)).toEqual([
            'Retry all failures with no error code',
            'Retry all failures with DUPLICATES_DETECTED'
        ]);
        buttons.forEach((b) => b.click());
        await flush();
        expect(asked).toEqual([null, 'DUPLICATES_DETECTED']);
    });

    it('says so when nothing failed', () => {
        const element = mount(WINDOWS.map((w) => ({ ...w, failed: 0, byCode: [] })));
        expect(texts(element.shadowRoot, '.no-failures')).toEqual(['No failures in the last 7 days.']);
    });

    it('is accessible: labelled tables with row and column headers', async () => {
        const element = mount(WINDOWS);
        await expect(element).toBeAccessible();
    });
});
