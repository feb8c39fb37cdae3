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
    jobId;
    focusTarget;
    outcomes = new Map();

    connectedCallback() {
        const rule = this.interaction && this.interaction.rule;
        this.enabled = Boolean(rule && rule.enabled);
        this.targetObject = (rule && rule.targetObject) || 'Contact';
        this.rows = toRows(rule);
    }

    // Keyboard focus follows the edit: into a new row, or to "Add new field mapping" after a removal.
    renderedCallback() {
        if (!this.focusTarget) return;
        const selector =
            this.focusTarget === 'add'
                ? 'lightning-button.add'
                : `c-credspark-mapping-row[data-id="${this.focusTarget}"]`;
        const el = this.template.querySelector(selector);
        this.focusTarget = null;
        if (el) el.focus();
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
        this.focusTarget = 'add';
    }

    handleAdd() {
        const row = newRow();
        this.rows = [...this.rows, row];
        this.focusTarget = row.id;
    }

    handleCancel() {
        this.close('cancel');
    }

    async handleSave() {
        this.deploying = true;
        this.outcomes = new Map();
        this.jobId = null;
        try {
            // Subscribe first: the deployment can finish before saveSyncRule's reply reaches the browser.
            if (!this.subscription) {
                const channel = `/event/${DEPLOYMENT_EVENT.objectApiName}`;
                this.subscription = await subscribe(channel, -1, (msg) => this.handleDeployment(msg.data.payload));
            }
            this.jobId = await saveSyncRule({ input: toInput(this.interaction.developerName, this) });
            const early = this.outcomes.get(this.jobId);
            if (early) this.finish(early.success, early.message);
        } catch (error) {
            this.finish(false, reduceErrors(error).join(' '));
        }
    }

    handleDeployment(payload) {
        const outcome = {
            success: payload[SUCCESS_FIELD.fieldApiName] === true,
            message: payload[MESSAGE_FIELD.fieldApiName]
        };
        const id = payload[JOB_ID_FIELD.fieldApiName];
        if (!this.deploying) return;
        if (this.jobId === id) this.finish(outcome.success, outcome.message);
        else if (!this.jobId) this.outcomes.set(id, outcome);
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
