import { LightningElement, api } from 'lwc';
import { reduceErrors } from 'c/ldsUtils';

export default class ErrorPanel extends LightningElement {
    /** Generic message shown above the details. */
    @api friendlyMessage = 'Error retrieving data';
    @api errors;

    get messages() {
        return reduceErrors(this.errors);
    }
}
