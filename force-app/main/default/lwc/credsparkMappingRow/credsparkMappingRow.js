import { LightningElement, api, wire } from 'lwc';
import { getPicklistValues } from 'lightning/uiObjectInfoApi';

const MODES = [
    { label: 'CredSpark field', value: 'field' },
    { label: 'Fixed value', value: 'fixed' }
];

/** One mapping row. Reports edits with 'rowchange' {id, patch} and removal with 'rowremove' {id}. */
export default class CredsparkMappingRow extends LightningElement {
    @api row;
    @api index = 0;
    @api sourceOptions = [];
    @api targetOptions = [];
    @api objectInfo;
    modes = MODES;
    picklistValues;

    // Picklist values only when a fixed value targets a picklist field (UI API, per record type).
    @wire(getPicklistValues, { recordTypeId: '$recordTypeId', fieldApiName: '$picklistField' })
    wiredPicklist({ data }) {
        this.picklistValues = data ? data.values.map((v) => ({ label: v.label, value: v.value })) : undefined;
    }

    get targetInfo() {
        return this.objectInfo && this.row.targetField ? this.objectInfo.fields[this.row.targetField] : undefined;
    }

    get recordTypeId() {
        return this.objectInfo ? this.objectInfo.defaultRecordTypeId : undefined;
    }

    get picklistField() {
        const info = this.targetInfo;
        return this.isFixed && info && info.dataType === 'Picklist'
            ? `${this.objectInfo.apiName}.${info.apiName}`
            : undefined;
    }

    get isFixed() {
        return this.row.mode === 'fixed';
    }

    get usePicklist() {
        return Boolean(this.picklistField && this.picklistValues);
    }

    get position() {
        return this.index + 1;
    }

    get removeLabel() {
        return `Remove mapping ${this.position}`;
    }

    /** Moves keyboard focus to the row's first control (after "Add new field mapping"). */
    @api focus() {
        this.template.querySelector('lightning-combobox.mode').focus();
    }

    notify(patch) {
        this.dispatchEvent(new CustomEvent('rowchange', { detail: { id: this.row.id, patch } }));
    }

    handleMode(event) {
        this.notify({ mode: event.detail.value });
    }

    handleSource(event) {
        this.notify({ sourceField: event.detail.value });
    }

    handleTarget(event) {
        this.notify({ targetField: event.detail.value });
    }

    handleStatic(event) {
        this.notify({ staticValue: event.detail.value });
    }

    handleRemove() {
        this.dispatchEvent(new CustomEvent('rowremove', { detail: { id: this.row.id } }));
    }
}
