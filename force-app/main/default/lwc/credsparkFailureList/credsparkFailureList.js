import { LightningElement, api } from 'lwc';

// Lightning Experience opens any record by its Id at this address.
const recordUrl = (id) => `/lightning/r/${id}/view`;

/** Presentational: the latest failures with Salesforce's message, links, and a Retry on each. */
export default class CredsparkFailureList extends LightningElement {
    @api failures = [];

    get rows() {
        return (this.failures || []).map((f) => ({
            ...f,
            url: recordUrl(f.id),
            recordUrl: f.recordId ? recordUrl(f.recordId) : null,
            recordLabel: `${f.targetObject || 'Record'} ${f.recordId || ''}`.trim(),
            code: f.errorCode || '(no error code)',
            retryTitle: `Retry ${f.name}`
        }));
    }

    get isEmpty() {
        return !this.failures || this.failures.length === 0;
    }

    handleRetry(event) {
        this.dispatchEvent(new CustomEvent('retry', { detail: { id: event.currentTarget.dataset.id } }));
    }
}
