import { createElement } from '@lwc/engine-dom';
import CredsparkCountTable from 'c/credsparkCountTable';

const WINDOWS = [
    { key: 'day', label: 'Last 24 hours' },
    { key: 'week', label: 'Last 7 days' }
];
const ROWS = [
    {
        key: 'A',
        label: 'Alpha',
        actionTitle: 'Act on Alpha',
        cells: [
            { key: 'day', count: 1 },
            { key: 'week', count: 4 }
        ]
    },
    {
        key: 'B',
        label: 'Beta',
        actionTitle: 'Act on Beta',
        cells: [
            { key: 'day', count: 0 },
            { key: 'week', count: 2 }
        ]
    }
];

const flush = () => new Promise((resolve) => setTimeout(resolve));
const all = (element, selector) => [...element.shadowRoot.querySelectorAll(selector)];

function mount(props) {
    const element = createElement('c-credspark-count-table', { is: CredsparkCountTable });
    Object.assign(element, { label: 'Things by window', rowHeader: 'Thing', windows: WINDOWS, rows: ROWS }, props);
    document.body.appendChild(element);
    return element;
}

describe('c-credspark-count-table', () => {
    afterEach(() => {
        while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
    });

    it('a column per window after the row header, a count per row and window', () => {
        const element = mount({ rowClass: 'thing' });
        expect(all(element, 'thead th').map((th) => th.textContent)).toEqual(['Thing', 'Last 24 hours', 'Last 7 days']);
        expect(all(element, 'tbody th.label').map((th) => th.textContent)).toEqual(['Alpha', 'Beta']);
        expect(all(element, 'tr.thing td.count').map((td) => td.textContent)).toEqual(['1', '4', '0', '2']);
        expect(all(element, 'lightning-button')).toHaveLength(0);
    });

    it("with an action label, a titled button on each row that fires rowaction with the row's key", async () => {
        const element = mount({ actionLabel: 'Act' });
        const keys = [];
        element.addEventListener('rowaction', (e) => keys.push(e.detail.key));
        const buttons = all(element, 'lightning-button.action');
        expect(buttons.map((b) => [b.label, b.title])).toEqual([
            ['Act', 'Act on Alpha'],
            ['Act', 'Act on Beta']
        ]);
        buttons[1].click();
        await flush();
        expect(keys).toEqual(['B']);
    });

    it('is accessible: a labelled table with row and column headers, a named actions column', async () => {
        const element = mount({ actionLabel: 'Act' });
        expect(element.shadowRoot.querySelector('table').getAttribute('aria-label')).toBe('Things by window');
        await expect(element).toBeAccessible();
    });
});
