import { api, wire } from 'lwc';
import LightningModal from 'lightning/modal';
import { getObjectInfo } from 'lightning/uiObjectInfoApi';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import { subscribe, unsubscribe } from 'lightning/empApi';
import saveSyncRule from '@salesforce/apex/CredSparkSetupController.saveSyncRule';
import DEPLOYMENT_EVENT from '@salesforce/schema/CredSpark_Deployment__e';
import JOB_ID_FIELD from '@salesforce/schema/CredSpark_Deployment__e.Job_Id__c';
import SUCCESS_FIELD from '@salesforce/schema/CredSpark_Deployment__e.Success__c';
import MESSAGE_FIELD from '@salesforce/schema/CredSpark_Deployment__e.Message__c';
import { reduceErrors } from 'c/ldsUtils';
import { toRows, newRow, sourceFields, targetOptions, validate, typeHints, toInput } from 'c/credsparkRuleEditor';

const OBJECTS = [
    { label: 'Contact', value: 'Contact' },
    { label: 'Lead', value: 'Lead' }
];

/** Edits one interaction's sync rule; closes with 'saved' once the deployment succeeded. */
export default class CredsparkMappingModal extends LightningModal {
    @api interaction;
    enabled = false;
    targetObject = 'Contact';
    rows = [];
    objectInfo;
    deploying = false;
    objects = OBJECTS;
    subscription;

    connectedCallback() {
        const rule = this.interaction && this.interaction.rule;
        this.enabled = Boolean(rule && rule.enabled);
        this.targetObject = (rule && rule.targetObject) || 'Contact';
        this.rows = toRows(rule);
    }

    disconnectedCallback() {
        if (this.subscription) unsubscribe(this.subscription);
    }

    @wire(getObjectInfo, { objectApiName: '$targetObject' })
    wiredObject({ data }) {
        this.objectInfo = data;
    }

    get heading() {
        return `Sync ${this.interaction ? this.interaction.label : ''} to Salesforce`;
    }

    get fields() {
        return sourceFields(this.interaction);
    }

    get sourceOptions() {
        return this.fields.map((f) => ({ label: f.label, value: f.key }));
    }

    get targetOptions() {
        return targetOptions(this.objectInfo);
    }

    get validation() {
        return validate(this);
    }

    get hints() {
        return typeHints(this.rows, this.fields, this.objectInfo);
    }

    get saveDisabled() {
        return this.deploying || this.validation.errors.length > 0;
    }

    handleEnabled(event) {
        this.enabled = event.detail.checked;
    }

    handleObject(event) {
        this.targetObject = event.detail.value;
    }

    handleRowChange(event) {
        const { id, patch } = event.detail;
        this.rows = this.rows.map((r) => (r.id === id ? { ...r, ...patch } : r));
    }

    handleRowRemove(event) {
        this.rows = this.rows.filter((r) => r.id !== event.detail.id);
    }

    handleAdd() {
        this.rows = [...this.rows, newRow()];
    }

    handleCancel() {
        this.close('cancel');
    }

    async handleSave() {
        this.deploying = true;
        try {
            const jobId = await saveSyncRule({ input: toInput(this.interaction.developerName, this) });
            // The deployment is asynchronous: wait for CredSparkDeployCallback's platform event.
            this.subscription = await subscribe(`/event/${DEPLOYMENT_EVENT.objectApiName}`, -1, (msg) =>
                this.handleDeployment(jobId, msg.data.payload)
            );
        } catch (error) {
            this.finish(false, reduceErrors(error).join(' '));
        }
    }

    handleDeployment(jobId, payload) {
        if (payload[JOB_ID_FIELD.fieldApiName] !== jobId) return;
        this.finish(payload[SUCCESS_FIELD.fieldApiName] === true, payload[MESSAGE_FIELD.fieldApiName]);
    }

    finish(success, message) {
        this.deploying = false;
        this.dispatchEvent(
            new ShowToastEvent({
                title: success ? 'Sync rule saved' : 'Sync rule not saved',
                message,
                variant: success ? 'success' : 'error'
            })
        );
        if (success) this.close('saved');
    }
}
