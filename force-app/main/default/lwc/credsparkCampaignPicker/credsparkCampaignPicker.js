import { LightningElement, api, wire } from 'lwc';
import searchCampaigns from '@salesforce/apex/CredSparkCampaignLookup.searchCampaigns';
import getCampaign from '@salesforce/apex/CredSparkCampaignLookup.getCampaign';
import { campaignErrors } from 'c/credsparkMatching';

const SEARCH_DELAY_MS = 300;

/**
 * The rule's Campaign (SPEC §2 "Campaigns"): search active campaigns by name, choose one, then a
 * member status of that campaign (empty = the campaign's default). Fires `campaignchange` with
 * { campaignId, campaignStatus, errors } whenever the choice or what is known about it changes (not
 * `change`: the search box's own composed `change` events bubble out of this component too).
 */
export default class CredsparkCampaignPicker extends LightningElement {
    @api campaignId;
    @api campaignStatus;
    searchTerm;
    results;
    searchError;
    detail;
    detailError;
    delay;

    @wire(searchCampaigns, { searchTerm: '$searchTerm' })
    wiredResults({ data, error }) {
        this.results = data;
        this.searchError = error;
    }

    @wire(getCampaign, { campaignId: '$campaignId' })
    wiredCampaign({ data, error }) {
        // A cacheable method answering null (no such campaign) delivers data === null.
        this.detail = error ? undefined : data;
        this.detailError = error;
        this.notify(this.campaignId, this.campaignStatus);
    }

    get hasCampaign() {
        return Boolean(this.campaignId);
    }

    get campaignName() {
        return this.detail ? this.detail.campaign.name : this.campaignId;
    }

    get statusOptions() {
        const statuses = this.detail ? this.detail.statuses : [];
        return [
            { label: "The campaign's default status", value: '' },
            ...statuses.map((s) => ({ label: s.isDefault ? `${s.label} (default)` : s.label, value: s.label }))
        ];
    }

    get statusValue() {
        return this.campaignStatus || '';
    }

    get options() {
        return (this.results || []).map((c) => ({ ...c, buttonLabel: `Choose ${c.name}` }));
    }

    get noResults() {
        return Boolean(this.searchTerm) && Array.isArray(this.results) && this.results.length === 0;
    }

    handleSearch(event) {
        const term = event.detail.value;
        window.clearTimeout(this.delay);
        // Debounced, as ebikes' product filter does: one Apex call once typing pauses.
        // eslint-disable-next-line @lwc/lwc/no-async-operation
        this.delay = setTimeout(() => {
            this.searchTerm = term && term.trim() ? term.trim() : undefined;
        }, SEARCH_DELAY_MS);
    }

    handleChoose(event) {
        this.searchTerm = undefined;
        this.notify(event.currentTarget.dataset.id, null);
    }

    handleRemove() {
        this.notify(null, null);
    }

    handleStatus(event) {
        this.notify(this.campaignId, event.detail.value || null);
    }

    notify(campaignId, campaignStatus) {
        const detail = campaignId === this.campaignId ? this.detail : undefined;
        const errors = campaignErrors(campaignId, campaignStatus, detail);
        this.dispatchEvent(new CustomEvent('campaignchange', { detail: { campaignId, campaignStatus, errors } }));
    }
}
