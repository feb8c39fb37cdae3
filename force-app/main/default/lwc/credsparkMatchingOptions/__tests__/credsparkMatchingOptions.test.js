import { createElement } from '@lwc/engine-dom';
import CredsparkMatchingOptions from 'c/credsparkMatchingOptions';

const flush = () => new Promise((resolve) => setTimeout(resolve));
const $ = (element, selector) => element.shadowRoot.querySelector(selector);
const DEFAULTS = { duplicateHandling: 'Fail', convertedLead: 'New_Lead', campaignId: null, campaignStatus: null };

function mount(targetObject, value = DEFAULTS) {
    const element = createElement('c-credspark-matching-options', { is: CredsparkMatchingOptions });
    element.targetObject = targetObject;
    element.value = value;
    const changes = [];
    element.addEventListener('matchingchange', (e) => changes.push(e.detail));
    document.body.appendChild(element);
    return { element, changes };
}

describe('c-credspark-matching-options', () => {
    afterEach(() => {
        while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
    });

    it('asks what happens on a duplicate-rule match, in the admin words', () => {
        const { element } = mount('Contact');
        const group = $(element, 'lightning-radio-group.duplicates');
        expect(group.label).toBe("When Salesforce's duplicate rules find a match");
        expect(group.options.map((o) => o.label)).toEqual(['Fail the response', 'Update the match']);
        expect(group.value).toBe('Fail');
    });

    it('asks about converted Leads on Lead rules only', async () => {
        const { element } = mount('Contact');
        expect($(element, 'lightning-radio-group.converted')).toBeNull();
        element.targetObject = 'Lead';
        await flush();
        const group = $(element, 'lightning-radio-group.converted');
        expect(group.label).toBe('When the Lead was converted');
        expect(group.options.map((o) => o.value)).toEqual(['New_Lead', 'Update_Contact']);
    });

    it('reports each change with the whole value', () => {
        const { element, changes } = mount('Lead');
        $(element, 'lightning-radio-group.duplicates').dispatchEvent(
            new CustomEvent('change', { detail: { value: 'Update_Match' } })
        );
        expect(changes.at(-1)).toEqual({ value: { ...DEFAULTS, duplicateHandling: 'Update_Match' }, errors: [] });
        $(element, 'lightning-radio-group.converted').dispatchEvent(
            new CustomEvent('change', { detail: { value: 'Update_Contact' } })
        );
        expect(changes.at(-1).value.convertedLead).toBe('Update_Contact');
    });

    it('passes the campaign to the picker and forwards its choice and problems', () => {
        const value = { ...DEFAULTS, campaignId: '701000000000001AAA', campaignStatus: 'Attended' };
        const { element, changes } = mount('Lead', value);
        const picker = $(element, 'c-credspark-campaign-picker');
        expect(picker.campaignId).toBe('701000000000001AAA');
        expect(picker.campaignStatus).toBe('Attended');
        const problem = 'Q4 Webinar is not active. Choose an active campaign, or none.';
        // A composed change event of an inner input (the search box) is not a campaign choice.
        picker.dispatchEvent(
            new CustomEvent('change', { detail: { value: 'webinar' }, bubbles: true, composed: true })
        );
        expect(changes).toEqual([]);
        picker.dispatchEvent(
            new CustomEvent('campaignchange', {
                detail: { campaignId: '701000000000001AAA', campaignStatus: null, errors: [problem] }
            })
        );
        expect(changes.at(-1)).toEqual({ value: { ...value, campaignStatus: null }, errors: [problem] });
    });

    it('is accessible: labelled radio groups and campaign fieldset', async () => {
        const { element } = mount('Lead');
        await expect(element).toBeAccessible();
    });
});
