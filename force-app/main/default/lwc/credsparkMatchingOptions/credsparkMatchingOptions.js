import { LightningElement, api } from 'lwc';
import { appliesConvertedLead, fromRule, DUPLICATE_OPTIONS, CONVERTED_LEAD_OPTIONS } from 'c/credsparkMatching';

/**
 * The sync rule's matching options inside the mapping modal (SPEC §2 "Duplicate rules", "Converted
 * Leads", "Campaigns"). Presentational: the modal owns the value; every edit fires `matchingchange`
 * with { value, errors } (errors: the campaign's problems, in the words Apex uses).
 */
export default class CredsparkMatchingOptions extends LightningElement {
    @api targetObject;
    @api value;
    duplicateOptions = DUPLICATE_OPTIONS;
    convertedLeadOptions = CONVERTED_LEAD_OPTIONS;
    campaignProblems = [];

    get current() {
        return this.value || fromRule(null);
    }

    get showConvertedLead() {
        return appliesConvertedLead(this.targetObject);
    }

    handleDuplicate(event) {
        this.emit({ duplicateHandling: event.detail.value });
    }

    handleConverted(event) {
        this.emit({ convertedLead: event.detail.value });
    }

    handleCampaign(event) {
        const { campaignId, campaignStatus, errors } = event.detail;
        this.campaignProblems = errors;
        this.emit({ campaignId, campaignStatus });
    }

    emit(patch) {
        const value = { ...this.current, ...patch };
        this.dispatchEvent(new CustomEvent('matchingchange', { detail: { value, errors: this.campaignProblems } }));
    }
}
