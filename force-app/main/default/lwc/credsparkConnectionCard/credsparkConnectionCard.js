import { LightningElement, api } from 'lwc';

/** Presentational: the CredSpark connection (written by the connector into CredSpark_Connection__mdt). */
export default class CredsparkConnectionCard extends LightningElement {
    /** ConnectionView or null when CredSpark never connected this org. */
    @api connection;
    showDetails = false;

    get connected() {
        return Boolean(this.connection && this.connection.connected);
    }

    get disconnected() {
        return Boolean(this.connection && !this.connection.connected);
    }

    get editLabel() {
        return this.showDetails ? 'Hide details' : 'Edit';
    }

    handleToggle() {
        this.showDetails = !this.showDetails;
    }
}
