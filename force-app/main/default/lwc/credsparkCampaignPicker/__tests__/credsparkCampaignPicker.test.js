import { createElement } from '@lwc/engine-dom';
import CredsparkCampaignPicker from 'c/credsparkCampaignPicker';
import searchCampaigns from '@salesforce/apex/CredSparkCampaignLookup.searchCampaigns';
import getCampaign from '@salesforce/apex/CredSparkCampaignLookup.getCampaign';

const CAMPAIGNS = require('./data/campaigns.json');
const CAMPAIGN = require('./data/campaign.json');

jest.mock(
    '@salesforce/apex/CredSparkCampaignLookup.searchCampaigns',
    () => {
        const { createApexTestWireAdapter } = require('@salesforce/sfdx-lwc-jest');
        return { default: createApexTestWireAdapter(jest.fn()) };
    },
    { virtual: true }
);
jest.mock(
    '@salesforce/apex/CredSparkCampaignLookup.getCampaign',
    () => {
        const { createApexTestWireAdapter } = require('@salesforce/sfdx-lwc-jest');
        return { default: createApexTestWireAdapter(jest.fn()) };
    },
    { virtual: true }
);

const flush = () => new Promise((resolve) => setTimeout(resolve));
const $ = (element, selector) => element.shadowRoot.querySelector(selector);

function mount(props = {}) {
    const element = createElement('c-credspark-campaign-picker', { is: CredsparkCampaignPicker });
    Object.assign(element, props);
    const changes = [];
    element.addEventListener('campaignchange', (e) => changes.push(e.detail));
    document.body.appendChild(element);
    return { element, changes };
}

describe('c-credspark-campaign-picker', () => {
    afterEach(() => {
        while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
        jest.clearAllMocks();
        jest.useRealTimers();
    });

    it('searches active campaigns once typing pauses, and choosing one reports its Id', async () => {
        jest.useFakeTimers();
        const { element, changes } = mount();
        const search = $(element, 'lightning-input.search');
        search.dispatchEvent(new CustomEvent('change', { detail: { value: 'web' } }));
        search.dispatchEvent(new CustomEvent('change', { detail: { value: 'webinar' } }));
        jest.advanceTimersByTime(300);
        await Promise.resolve();
        expect(searchCampaigns.getLastConfig()).toEqual({ searchTerm: 'webinar' });
        searchCampaigns.emit(CAMPAIGNS);
        await Promise.resolve();
        const buttons = [...element.shadowRoot.querySelectorAll('li.result lightning-button')];
        expect(buttons.map((b) => b.label)).toEqual(['Q4 Webinar', 'Q4 Webinar Follow-up']);
        buttons[0].click();
        expect(changes.at(-1)).toEqual({ campaignId: '701000000000001AAA', campaignStatus: null, errors: [] });
    });

    it('says so when no active campaign has the name', async () => {
        jest.useFakeTimers();
        const { element } = mount();
        $(element, 'lightning-input.search').dispatchEvent(new CustomEvent('change', { detail: { value: 'zzz' } }));
        jest.advanceTimersByTime(300);
        await Promise.resolve();
        searchCampaigns.emit([]);
        await Promise.resolve();
        expect($(element, '.no-results').textContent).toBe('No active campaign has that name.');
    });

    it('offers the chosen campaign statuses, the default marked, and an empty choice for the default', async () => {
        const { element, changes } = mount({ campaignId: '701000000000001AAA' });
        getCampaign.emit(CAMPAIGN);
        await flush();
        expect(getCampaign.getLastConfig()).toEqual({ campaignId: '701000000000001AAA' });
        expect($(element, 'lightning-pill.campaign').label).toBe('Q4 Webinar');
        const status = $(element, 'lightning-combobox.status');
        expect(status.options.map((o) => o.label)).toEqual([
            "The campaign's default status",
            'Sent (default)',
            'Attended'
        ]);
        status.dispatchEvent(new CustomEvent('change', { detail: { value: 'Attended' } }));
        expect(changes.at(-1)).toEqual({
            campaignId: '701000000000001AAA',
            campaignStatus: 'Attended',
            errors: []
        });
        await expect(element).toBeAccessible();
    });

    it('reports an inactive or vanished campaign, and removing it clears the choice', async () => {
        const { element, changes } = mount({ campaignId: '701000000000001AAA', campaignStatus: 'Attended' });
        getCampaign.emit({ ...CAMPAIGN, isActive: false });
        await flush();
        expect(changes.at(-1).errors).toEqual(['Q4 Webinar is not active. Choose an active campaign, or none.']);
        getCampaign.emit(null);
        await flush();
        expect(changes.at(-1).errors).toEqual([
            'The campaign does not exist, or you cannot see it. Choose another campaign.'
        ]);
        $(element, 'lightning-pill.campaign').dispatchEvent(new CustomEvent('remove'));
        expect(changes.at(-1)).toEqual({ campaignId: null, campaignStatus: null, errors: [] });
    });

    it('is accessible before a campaign is chosen: a labelled search in a fieldset', async () => {
        const { element } = mount();
        expect($(element, 'legend').textContent).toBe('Campaign');
        expect($(element, 'lightning-input.search').label).toBe('Search active campaigns by name');
        await expect(element).toBeAccessible();
    });
});
