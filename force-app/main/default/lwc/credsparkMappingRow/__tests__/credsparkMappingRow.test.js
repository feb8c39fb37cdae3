import { createElement } from '@lwc/engine-dom';
import CredsparkMappingRow from 'c/credsparkMappingRow';
import { getPicklistValues } from 'lightning/uiObjectInfoApi';

const LEAD = require('./data/objectInfoLead.json');
const LEAD_SOURCE = require('./data/leadSourcePicklist.json');

const flush = () => Promise.resolve();

function mount(row) {
    const element = createElement('c-credspark-mapping-row', { is: CredsparkMappingRow });
    Object.assign(element, {
        row: { id: 'row-1', mode: 'field', sourceField: null, targetField: null, staticValue: null, ...row },
        index: 0,
        sourceOptions: [{ label: 'Email', value: 'email' }],
        targetOptions: [{ label: 'Lead Source', value: 'LeadSource' }],
        objectInfo: LEAD
    });
    document.body.appendChild(element);
    return element;
}

describe('c-credspark-mapping-row', () => {
    afterEach(() => {
        while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
        jest.clearAllMocks();
    });

    it('reports edits as rowchange patches with the row id', () => {
        const element = mount({});
        const handler = jest.fn();
        element.addEventListener('rowchange', handler);
        const target = element.shadowRoot.querySelector('lightning-combobox.target');
        target.dispatchEvent(new CustomEvent('change', { detail: { value: 'LeadSource' } }));
        expect(handler.mock.calls[0][0].detail).toEqual({ id: 'row-1', patch: { targetField: 'LeadSource' } });
    });

    it('the trash button asks to remove the row', () => {
        const element = mount({});
        const handler = jest.fn();
        element.addEventListener('rowremove', handler);
        element.shadowRoot.querySelector('lightning-button-icon.remove').click();
        expect(handler.mock.calls[0][0].detail).toEqual({ id: 'row-1' });
    });

    it('a fixed value for a picklist field offers the picklist values (getPicklistValues)', async () => {
        const element = mount({ mode: 'fixed', targetField: 'LeadSource', staticValue: 'CredSpark' });
        await flush();
        expect(getPicklistValues.getLastConfig()).toEqual({
            recordTypeId: '012000000000000AAA',
            fieldApiName: 'Lead.LeadSource'
        });
        getPicklistValues.emit(LEAD_SOURCE);
        await flush();
        const combo = element.shadowRoot.querySelector('lightning-combobox.static');
        expect(combo.options.map((o) => o.value)).toEqual(['Web', 'CredSpark']);
        expect(combo.value).toBe('CredSpark');
        expect(element.shadowRoot.querySelector('lightning-combobox.source')).toBeNull();
    });

    it('a fixed value for a text field is a free input limited to 255 characters', async () => {
        const element = mount({ mode: 'fixed', targetField: 'Company', staticValue: 'Acme' });
        await flush();
        const input = element.shadowRoot.querySelector('lightning-input.static');
        expect(input.value).toBe('Acme');
        expect(Number(input.maxLength)).toBe(255);
    });

    it('is accessible: every control is labelled and the row is a fieldset with a legend', async () => {
        const element = mount({});
        await expect(element).toBeAccessible();
        const root = element.shadowRoot;
        expect(root.querySelector('fieldset legend').textContent).toBe('Mapping 1');
        expect(root.querySelector('lightning-combobox.mode').label).toBe('Value from');
        expect(root.querySelector('lightning-combobox.source').label).toBe('CredSpark field');
        expect(root.querySelector('lightning-combobox.target').label).toBe('Salesforce field');
        expect(root.querySelector('lightning-button-icon.remove').alternativeText).toBe('Remove mapping 1');
    });
});
