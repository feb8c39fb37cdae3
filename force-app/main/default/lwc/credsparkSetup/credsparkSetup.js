import { LightningElement, wire } from 'lwc';
import { refreshApex } from '@salesforce/apex';
import getSetup from '@salesforce/apex/CredSparkSetupController.getSetup';
import CredsparkMappingModal from 'c/credsparkMappingModal';

/** Container: reads the connection and interactions, opens the rule editor, refreshes after a save. */
export default class CredsparkSetup extends LightningElement {
    wiredSetup;
    setup;
    error;

    @wire(getSetup)
    wired(result) {
        this.wiredSetup = result;
        this.setup = result.data;
        this.error = result.error;
    }

    get connection() {
        return this.setup ? this.setup.connection : null;
    }

    get interactions() {
        return this.setup ? this.setup.interactions : [];
    }

    async handleIntegrations(event) {
        const interaction = this.interactions.find((i) => i.developerName === event.detail.developerName);
        const result = await CredsparkMappingModal.open({
            size: 'medium',
            label: `Sync ${interaction.label} to Salesforce`,
            description: 'Enable sync, choose Contact or Lead, and map CredSpark fields to Salesforce fields',
            interaction
        });
        // 'pending': the save outlived the wait; refreshing now shows it if it has landed meanwhile.
        if (result === 'saved' || result === 'pending') {
            await refreshApex(this.wiredSetup);
        }
    }
}
