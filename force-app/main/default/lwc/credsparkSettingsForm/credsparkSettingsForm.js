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
// The number settings, in the order shown; bounds and messages come from the shared rules (as Apex's).
const NUMBER_FIELDS = [
    {
        field: 'dailyApiBudget',
        className: 'budget',
        label: 'Daily API budget',
        help: 'Most Salesforce API calls CredSpark may make for this org per UTC day. 0 or empty: no cap. When it is reached, responses wait until the next day.'
    },
    {
        field: 'maxOrgApiUsagePercent',
        className: 'percent',
        label: 'Maximum org API usage (%)',
        help: 'CredSpark pauses while the org has used more than this share of its daily API allocation, so other integrations keep theirs. Empty: 90.'
    }
];

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

    get numberFields() {
        return NUMBER_FIELDS.map((f) => {
            const { min, max } = SETTINGS[f.field];
            return { ...f, min, max, value: this.current[f.field] };
        });
    }

    get errors() {
        return NUMBER_FIELDS.filter((f) => !inRange(toNumber(this.current[f.field]), SETTINGS[f.field])).map(
            (f) => SETTINGS.messages[f.field]
        );
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
