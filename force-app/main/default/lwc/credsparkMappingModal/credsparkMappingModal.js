import { api, wire } from 'lwc';
import LightningModal from 'lightning/modal';
import { getObjectInfo } from 'lightning/uiObjectInfoApi';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import saveSyncRule from '@salesforce/apex/CredSparkSetupController.saveSyncRule';
import { reduceErrors } from 'c/ldsUtils';
import { DeploymentWatcher } from 'c/credsparkDeploymentWatcher';
import { toRows, newRow, sourceFields, targetOptions, validate, typeHints, toInput } from 'c/credsparkRuleEditor';
import { fromRule, toMatchingInput } from 'c/credsparkMatching';

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
    matching = fromRule(null);
    matchingErrors = [];
    objectInfo;
    deploying = false;
    objects = OBJECTS;
    focusTarget;
    watcher = new DeploymentWatcher();

    connectedCallback() {
        const rule = this.interaction && this.interaction.rule;
        this.enabled = Boolean(rule && rule.enabled);
        this.targetObject = (rule && rule.targetObject) || 'Contact';
        this.rows = toRows(rule);
        this.matching = fromRule(rule);
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
        this.watcher.stop();
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

    get errors() {
        return [...this.validation.errors, ...this.matchingErrors];
    }

    get hints() {
        return typeHints(this.rows, this.fields, this.objectInfo);
    }

    get saveDisabled() {
        return this.deploying || this.errors.length > 0;
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

    handleMatching(event) {
        this.matching = event.detail.value;
        this.matchingErrors = event.detail.errors;
    }

    handleCancel() {
        this.close('cancel');
    }

    async handleSave() {
        this.deploying = true;
        try {
            await this.watcher.start();
            const input = {
                ...toInput(this.interaction.developerName, this),
                ...toMatchingInput(this.targetObject, this.matching)
            };
            const jobId = await saveSyncRule({ input });
            const outcome = await this.watcher.outcomeOf(jobId);
            this.finish(outcome.success, outcome.message);
        } catch (error) {
            this.finish(false, reduceErrors(error).join(' '));
        }
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
