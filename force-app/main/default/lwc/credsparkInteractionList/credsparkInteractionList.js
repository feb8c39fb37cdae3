import { LightningElement, api } from 'lwc';
import { summarize } from 'c/credsparkRuleEditor';

/** Presentational: one row per interaction; the Integrations button asks the container to edit it. */
export default class CredsparkInteractionList extends LightningElement {
    @api interactions = [];

    get rows() {
        return (this.interactions || []).map((i) => {
            const s = summarize(i);
            return {
                ...s,
                key: i.developerName,
                label: i.label,
                buttonLabel: `Integrations for ${i.label}`,
                stateClass: s.state === 'Enabled' ? 'slds-badge slds-theme_success' : 'slds-badge',
                hasWarnings: s.warnings.length > 0,
                warningText: s.warnings.join(', ')
            };
        });
    }

    get isEmpty() {
        return !this.interactions || this.interactions.length === 0;
    }

    handleIntegrations(event) {
        const developerName = event.currentTarget.dataset.key;
        this.dispatchEvent(new CustomEvent('integrations', { detail: { developerName } }));
    }
}
