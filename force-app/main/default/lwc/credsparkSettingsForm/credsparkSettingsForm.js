import { LightningElement, api } from 'lwc';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import saveSettings from '@salesforce/apex/CredSparkSettingsController.saveSettings';
import { reduceErrors } from 'c/ldsUtils';
import { DeploymentWatcher } from 'c/credsparkDeploymentWatcher';
import { SETTINGS } from 'c/credsparkRuleOptions';

// '' (an emptied field) means "empty": no cap, or 90 % (SPEC §3).
const toNumber = (value) => (value === '' || value === null || value === undefined ? null : Number(value));
const TOASTS = {
    saved: { title: 'Settings saved', variant: 'success' },
    failed: { title: 'Settings not saved', variant: 'error' },
    unknown: { title: 'Settings saving', variant: 'warning' }
};
const inRange = (n, { min, max }) => n === null || (Number.isInteger(n) && n >= min && n <= max);

/**
 * The org's CredSpark settings (CredSpark_Settings__mdt Default): daily API budget, maximum org API
 * usage, which responses get records. Saved like a sync rule (Metadata API deployment, outcome by
 * platform event); fires `saved` so the container refreshes.
 */
export default class CredsparkSettingsForm extends LightningElement {
    @api settings;
    edits = {};
    saving = false;
    recordOptions = SETTINGS.responseRecords.values;
    budgetBounds = SETTINGS.dailyApiBudget;
    percentBounds = SETTINGS.maxOrgApiUsagePercent;
    watcher = new DeploymentWatcher();

    disconnectedCallback() {
        this.watcher.stop();
    }

    get current() {
        return { ...this.settings, ...this.edits };
    }

    get readOnly() {
        return !this.settings.canManage || this.saving;
    }

    get readOnlyNote() {
        return !this.settings.canManage;
    }

    get errors() {
        const { dailyApiBudget, maxOrgApiUsagePercent } = this.current;
        const errors = [];
        if (!inRange(toNumber(dailyApiBudget), this.budgetBounds)) errors.push(SETTINGS.messages.dailyApiBudget);
        if (!inRange(toNumber(maxOrgApiUsagePercent), this.percentBounds)) {
            errors.push(SETTINGS.messages.maxOrgApiUsagePercent);
        }
        return errors;
    }

    get saveDisabled() {
        return this.readOnly || Object.keys(this.edits).length === 0 || this.errors.length > 0;
    }

    handleChange(event) {
        this.edits = { ...this.edits, [event.target.dataset.field]: event.detail.value };
    }

    async handleSave() {
        const { dailyApiBudget, maxOrgApiUsagePercent, responseRecords } = this.current;
        const input = {
            dailyApiBudget: toNumber(dailyApiBudget),
            maxOrgApiUsagePercent: toNumber(maxOrgApiUsagePercent),
            responseRecords
        };
        this.saving = true;
        try {
            await this.watcher.start();
            const jobId = await saveSettings({ input });
            const outcome = await this.watcher.outcomeOf(jobId);
            this.finish(outcome.status, outcome.message);
        } catch (error) {
            this.finish('failed', reduceErrors(error).join(' '));
        }
    }

    /** status: 'saved' | 'failed' | 'unknown' (no event in time: the deployment may still finish). */
    finish(status, message) {
        this.saving = false;
        this.dispatchEvent(new ShowToastEvent({ ...TOASTS[status], message }));
        if (status !== 'failed') {
            this.edits = {};
            this.dispatchEvent(new CustomEvent('saved'));
        }
    }
}
