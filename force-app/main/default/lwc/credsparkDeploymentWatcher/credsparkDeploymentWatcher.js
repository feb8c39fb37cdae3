// Waits for the outcome of a sync rule deployment: CredSparkDeployCallback publishes a
// CredSpark_Deployment__e platform event, received here through lightning/empApi. Field names come
// from @salesforce/schema so they carry the credspark__ prefix when packaged.
import { subscribe, unsubscribe } from 'lightning/empApi';
import DEPLOYMENT_EVENT from '@salesforce/schema/CredSpark_Deployment__e';
import JOB_ID_FIELD from '@salesforce/schema/CredSpark_Deployment__e.Job_Id__c';
import SUCCESS_FIELD from '@salesforce/schema/CredSpark_Deployment__e.Success__c';
import MESSAGE_FIELD from '@salesforce/schema/CredSpark_Deployment__e.Message__c';

export const CHANNEL = `/event/${DEPLOYMENT_EVENT.objectApiName}`;

export class DeploymentWatcher {
    outcomes = new Map();
    waiting = new Map();
    subscription;

    /** Subscribe before saving: the event can arrive before the Apex reply does. */
    async start() {
        if (!this.subscription) {
            this.subscription = await subscribe(CHANNEL, -1, (msg) => this.receive(msg.data.payload));
        }
    }

    receive(payload) {
        const id = payload[JOB_ID_FIELD.fieldApiName];
        const outcome = {
            success: payload[SUCCESS_FIELD.fieldApiName] === true,
            message: payload[MESSAGE_FIELD.fieldApiName]
        };
        const resolve = this.waiting.get(id);
        if (resolve) {
            this.waiting.delete(id);
            resolve(outcome);
        } else {
            this.outcomes.set(id, outcome);
        }
    }

    /** Resolves with { success, message } once the deployment's event arrived (or had arrived). */
    outcomeOf(jobId) {
        if (this.outcomes.has(jobId)) return Promise.resolve(this.outcomes.get(jobId));
        return new Promise((resolve) => this.waiting.set(jobId, resolve));
    }

    stop() {
        if (this.subscription) unsubscribe(this.subscription);
        this.subscription = null;
    }
}
