import { createElement } from '@lwc/engine-dom';
import CredsparkInteractionList from 'c/credsparkInteractionList';

const SETUP = require('../../credsparkSetup/__tests__/data/setup.json');

function mount(interactions) {
    const element = createElement('c-credspark-interaction-list', { is: CredsparkInteractionList });
    element.interactions = interactions;
    document.body.appendChild(element);
    return element;
}

const cells = (row) => [...row.querySelectorAll('th, td')].map((c) => c.textContent.trim());

describe('c-credspark-interaction-list', () => {
    afterEach(() => {
        while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
    });

    it('shows sync state, object, mapping count and a Company warning for a Lead rule', () => {
        const element = mount(SETUP.interactions);
        const rows = element.shadowRoot.querySelectorAll('tr.interaction');
        expect(rows).toHaveLength(2);
        // LeadSource is a fixed value; Company is not mapped.
        expect(cells(rows[0]).slice(0, 5)).toEqual(['Q4 Webinar Quiz', 'Enabled', 'Lead', '3', 'Company not mapped']);
        expect(cells(rows[1]).slice(0, 4)).toEqual(['Product Survey', 'Not set up', '—', '0']);
    });

    it('Integrations asks the container to edit that interaction', () => {
        const element = mount(SETUP.interactions);
        const handler = jest.fn();
        element.addEventListener('integrations', handler);
        element.shadowRoot.querySelectorAll('lightning-button.integrations')[1].click();
        expect(handler).toHaveBeenCalledTimes(1);
        expect(handler.mock.calls[0][0].detail).toEqual({ developerName: 'Product_Survey' });
    });

    it('says so when there are no interactions yet', () => {
        const element = mount([]);
        expect(element.shadowRoot.querySelector('.empty').textContent).toMatch(/No interactions yet/);
        expect(element.shadowRoot.querySelector('table')).toBeNull();
    });

    it('is accessible: labelled table, column headers, row headers and distinct button titles', async () => {
        const element = mount(SETUP.interactions);
        await expect(element).toBeAccessible();
        const table = element.shadowRoot.querySelector('table');
        expect(table.getAttribute('aria-label')).toBe('CredSpark interactions');
        expect(table.querySelectorAll('th[scope="col"]')).toHaveLength(6);
        expect(table.querySelectorAll('th[scope="row"]')).toHaveLength(2);
        const titles = [...element.shadowRoot.querySelectorAll('lightning-button.integrations')].map((b) => b.title);
        expect(titles).toEqual(['Integrations for Q4 Webinar Quiz', 'Integrations for Product Survey']);
        expect(element.shadowRoot.querySelector('lightning-icon').alternativeText).toBe('Warning');
    });
});
