// Waits for the outcome of a sync rule deployment: CredSparkDeployCallback publishes a
// CredSpark_Deployment__e platform event, received here through lightning/empApi. Field names come
// from @salesforce/schema so they carry the credspark__ prefix when packaged.
//
// The wait always ends (LWC Developer Guide, "lightning/empApi": isEmpEnabled() says whether streaming
// works in this context; onError() reports server-side streaming errors): without streaming, after a
// streaming error, or after TIMEOUT_MS without the event, the outcome is { status: 'unknown' }.
import { subscribe, unsubscribe, onError, isEmpEnabled } from 'lightning/empApi';
import DEPLOYMENT_EVENT from '@salesforce/schema/CredSpark_Deployment__e';
import JOB_ID_FIELD from '@salesforce/schema/CredSpark_Deployment__e.Job_Id__c';
import SUCCESS_FIELD from '@salesforce/schema/CredSpark_Deployment__e.Success__c';
import MESSAGE_FIELD from '@salesforce/schema/CredSpark_Deployment__e.Message__c';

export const CHANNEL = `/event/${DEPLOYMENT_EVENT.objectApiName}`;
export const TIMEOUT_MS = 60000;
export const STILL_SAVING = 'Still saving — refresh to see the result.';

const unknown = () => ({ status: 'unknown', message: STILL_SAVING });

export class DeploymentWatcher {
    outcomes = new Map();
    waiting = new Map();
    subscription;
    unavailable = false;
    startError;

    /** Subscribe before saving: the event can arrive before the Apex reply does. Never throws. */
    async start() {
        if (this.subscription || this.unavailable) return;
        try {
            if ((await isEmpEnabled()) !== true) {
                this.unavailable = true;
                return;
            }
            onError(() => this.giveUp());
            this.subscription = await subscribe(CHANNEL, -1, (msg) => this.receive(msg.data.payload));
        } catch (error) {
            // No streaming here (e.g. a failed handshake): the save goes on, the wait ends at once.
            this.startError = error;
            this.unavailable = true;
        }
    }

    receive(payload) {
        const id = payload[JOB_ID_FIELD.fieldApiName];
        const success = payload[SUCCESS_FIELD.fieldApiName] === true;
        const outcome = { status: success ? 'saved' : 'failed', message: payload[MESSAGE_FIELD.fieldApiName] };
        const waiter = this.waiting.get(id);
        if (waiter) {
            this.settle(id, outcome);
        } else {
            this.outcomes.set(id, outcome);
        }
    }

    /** Resolves with { status: 'saved' | 'failed' | 'unknown', message } — within timeoutMs at the latest. */
    outcomeOf(jobId, timeoutMs = TIMEOUT_MS) {
        if (this.outcomes.has(jobId)) return Promise.resolve(this.outcomes.get(jobId));
        if (this.unavailable) return Promise.resolve(unknown());
        return new Promise((resolve) => {
            // eslint-disable-next-line @lwc/lwc/no-async-operation -- the wait must end even if no event comes
            const timer = setTimeout(() => this.settle(jobId, unknown()), timeoutMs);
            this.waiting.set(jobId, { resolve, timer });
        });
    }

    settle(jobId, outcome) {
        const waiter = this.waiting.get(jobId);
        if (!waiter) return;
        this.waiting.delete(jobId);
        clearTimeout(waiter.timer);
        waiter.resolve(outcome);
    }

    /** A streaming error: nothing more will arrive, so every wait ends now. */
    giveUp() {
        this.unavailable = true;
        [...this.waiting.keys()].forEach((id) => this.settle(id, unknown()));
    }

    stop() {
        if (this.subscription) unsubscribe(this.subscription);
        this.subscription = null;
        [...this.waiting.keys()].forEach((id) => this.settle(id, unknown()));
    }
}
