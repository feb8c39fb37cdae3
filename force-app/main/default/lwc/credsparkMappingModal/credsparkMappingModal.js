import { api, wire } from 'lwc';
import LightningModal from 'lightning/modal';
import { getObjectInfo } from 'lightning/uiObjectInfoApi';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import getInteractionDetails from '@salesforce/apex/CredSparkSetupController.getInteractionDetails';
import saveSyncRule from '@salesforce/apex/CredSparkSetupController.saveSyncRule';
import { reduceErrors } from 'c/ldsUtils';
import { DeploymentWatcher } from 'c/credsparkDeploymentWatcher';
import { MAX_MAPPINGS } from 'c/credsparkSyncRules';
import { toRows, newRow, sourceFields, targetOptions, validate, typeHints, toInput } from 'c/credsparkRuleEditor';
import { fromRule, toMatchingInput } from 'c/credsparkMatching';

const OBJECTS = [
    { label: 'Contact', value: 'Contact' },
    { label: 'Lead', value: 'Lead' }
];
const TOASTS = {
    saved: { title: 'Sync rule saved', variant: 'success' },
    failed: { title: 'Sync rule not saved', variant: 'error' },
    unknown: { title: 'Sync rule still saving', variant: 'warning', mode: 'sticky' }
};

/**
 * Edits one interaction's sync rule. Loads the interaction's fields and mappings when it opens (the list
 * carries neither); while a save runs it cannot be closed (disableClose) and always ends: 'saved' closes it,
 * 'failed' keeps it open with the reason, 'unknown' (no event within a minute) closes it with 'pending'.
 */
export default class CredsparkMappingModal extends LightningModal {
    @api interaction;
    details;
    loadError;
    saveError;
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

    async connectedCallback() {
        try {
            this.details = await getInteractionDetails({ developerName: this.interaction.developerName });
            const rule = this.details.rule;
            this.enabled = Boolean(rule && rule.enabled);
            this.targetObject = (rule && rule.targetObject) || 'Contact';
            this.rows = toRows(rule);
            this.matching = fromRule(rule);
        } catch (error) {
            this.loadError = error;
        }
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

    get loading() {
        return !this.details && !this.loadError;
    }

    get fields() {
        return sourceFields(this.details);
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
        return !this.details || this.deploying || this.errors.length > 0;
    }

    get addDisabled() {
        return this.deploying || this.rows.length >= MAX_MAPPINGS;
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
        if (!this.deploying) this.close('cancel');
    }

    async handleSave() {
        this.deploying = true;
        // LightningModal: disableClose blocks Esc, the X button and close() while the save runs.
        this.disableClose = true;
        this.saveError = null;
        try {
            await this.watcher.start();
            const input = {
                ...toInput(this.interaction.developerName, this),
                ...toMatchingInput(this.targetObject, this.matching)
            };
            const jobId = await saveSyncRule({ input });
            const outcome = await this.watcher.outcomeOf(jobId);
            this.finish(outcome.status, outcome.message);
        } catch (error) {
            this.finish('failed', reduceErrors(error).join(' '));
        }
    }

    finish(status, message) {
        this.deploying = false;
        this.disableClose = false;
        this.dispatchEvent(new ShowToastEvent({ ...TOASTS[status], message }));
        if (status === 'saved') this.close('saved');
        else if (status === 'unknown') this.close('pending');
        else this.saveError = message;
    }
}
