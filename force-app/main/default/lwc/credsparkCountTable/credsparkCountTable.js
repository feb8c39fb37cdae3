import { LightningElement, api } from 'lwc';

/**
 * Presentational: one table of counts, a row per thing counted and a column per window, with an
 * optional button on each row (`actionLabel`) that fires `rowaction` with the row's key.
 */
export default class CredsparkCountTable extends LightningElement {
    /** The table's accessible name. */
    @api label;
    /** The first column's header: what a row is. */
    @api rowHeader;
    /** [{ key, label }]: one count column each. */
    @api windows = [];
    /** [{ key, label, cells: [{ key, count }], actionTitle }]. */
    @api rows = [];
    /** The class of every body row (what a row is, for styling and tests). */
    @api rowClass;
    /** The rows' button label; none: no button column. */
    @api actionLabel;

    handleAction(event) {
        this.dispatchEvent(new CustomEvent('rowaction', { detail: { key: event.currentTarget.dataset.key } }));
    }
}
