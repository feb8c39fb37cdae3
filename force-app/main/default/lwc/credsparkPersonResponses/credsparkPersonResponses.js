import { LightningElement, api, wire } from 'lwc';
import getResponses from '@salesforce/apex/CredSparkPersonResponsesController.getResponses';

/**
 * Record-page component for Contacts and Leads (added in Lightning App Builder): the person's
 * CredSpark responses — interaction, completed, score, status — newest first, each linked to its
 * CredSpark Response record.
 */
export default class CredsparkPersonResponses extends LightningElement {
    @api recordId;
    responses;
    error;

    @wire(getResponses, { recordId: '$recordId' })
    wired({ data, error }) {
        this.responses = data;
        this.error = error;
    }

    get rows() {
        return (this.responses || []).map((r) => ({
            ...r,
            url: `/lightning/r/${r.id}/view`,
            linkTitle: `Open ${r.name}`,
            hasScore: r.score !== null && r.score !== undefined,
            statusClass: r.status === 'Failed' ? 'slds-badge slds-theme_error' : 'slds-badge slds-theme_success'
        }));
    }

    get isEmpty() {
        return Array.isArray(this.responses) && this.responses.length === 0;
    }

    get title() {
        return Array.isArray(this.responses) ? `CredSpark responses (${this.responses.length})` : 'CredSpark responses';
    }
}
