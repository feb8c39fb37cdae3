import { LightningElement, wire } from 'lwc';
import { refreshApex } from '@salesforce/apex';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import getSyncHealth from '@salesforce/apex/CredSparkSyncHealthController.getSyncHealth';
import requestRetry from '@salesforce/apex/CredSparkSyncHealthController.requestRetry';
import requestRetryForCode from '@salesforce/apex/CredSparkSyncHealthController.requestRetryForCode';
import { reduceErrors } from 'c/ldsUtils';

function retriedMessage(count, label) {
    if (count === 0) return `Every failure with ${label} already waits for its retry.`;
    const noun = count === 1 ? 'response' : 'responses';
    return `CredSpark syncs ${count} ${noun} with ${label} again within a few minutes.`;
}

/** Container of the Sync health section: reads the view, runs retries, refreshes after each write. */
export default class CredsparkSyncHealth extends LightningElement {
    wiredHealth;
    health;
    error;
    busy = false;

    @wire(getSyncHealth)
    wired(result) {
        this.wiredHealth = result;
        this.health = result.data;
        this.error = result.error;
    }

    get windows() {
        return [
            { key: 'day', label: 'Last 24 hours', ...this.health.last24Hours },
            { key: 'week', label: 'Last 7 days', ...this.health.last7Days }
        ];
    }

    handleRefresh() {
        return refreshApex(this.wiredHealth);
    }

    handleRetry(event) {
        return this.run(
            () => requestRetry({ responseRecordId: event.detail.id }),
            () => 'CredSpark syncs this response again within a few minutes.'
        );
    }

    handleRetryCode(event) {
        const code = event.detail.code;
        return this.run(
            () => requestRetryForCode({ errorCode: code }),
            (count) => retriedMessage(count, code || 'no error code')
        );
    }

    async run(call, describe) {
        this.busy = true;
        try {
            const count = await call();
            this.toast('Retry requested', describe(count), 'success');
            await refreshApex(this.wiredHealth);
        } catch (error) {
            this.toast('Retry not requested', reduceErrors(error).join(' '), 'error');
        } finally {
            this.busy = false;
        }
    }

    toast(title, message, variant) {
        this.dispatchEvent(new ShowToastEvent({ title, message, variant }));
    }
}
