import { LightningElement, api } from 'lwc';

/** Presentational: a moment as the package shows it everywhere (date with year, hour and minute). */
export default class CredsparkDateTime extends LightningElement {
    /** An ISO 8601 date-time (or anything lightning-formatted-date-time takes). */
    @api value;
}
