import { LightningElement, api } from 'lwc';

const NO_CODE = '(no error code)';

/** Presentational: synced and failed counts per window, failures by error code with "Retry all"
 *  (two c-credspark-count-table). */
export default class CredsparkHealthCounts extends LightningElement {
    /** [{ key, label, synced, failed, byCode: [{ code, count }] }], shortest window first. */
    @api windows = [];

    get totals() {
        return ['Synced', 'Failed'].map((status) => ({
            key: status,
            label: status,
            cells: this.windows.map((w) => ({ key: w.key, count: status === 'Synced' ? w.synced : w.failed }))
        }));
    }

    get codes() {
        const codes = [];
        this.windows.forEach((w) =>
            (w.byCode || []).forEach((c) => {
                if (!codes.includes(c.code || null)) codes.push(c.code || null);
            })
        );
        return codes.map((code) => ({
            key: code || NO_CODE,
            label: code || NO_CODE,
            code,
            actionTitle: `Retry all failures with ${code || 'no error code'}`,
            cells: this.windows.map((w) => {
                const found = (w.byCode || []).find((c) => (c.code || null) === code);
                return { key: w.key, count: found ? found.count : 0 };
            })
        }));
    }

    get hasCodes() {
        return this.codes.length > 0;
    }

    handleRetryCode(event) {
        const { code } = this.codes.find((row) => row.key === event.detail.key);
        this.dispatchEvent(new CustomEvent('retrycode', { detail: { code } }));
    }
}
