// Minimal stand-in for lightning/modal (not stubbed by sfdx-lwc-jest): open() is a jest.fn the
// tests control; close(result) is observable through the 'close' event.
import { LightningElement, api } from 'lwc';

export default class LightningModal extends LightningElement {
  @api label;
  @api size;
  @api description;
  @api disableClose;

  static open = jest.fn(() => Promise.resolve());

  close(result) {
    this.dispatchEvent(new CustomEvent('close', { detail: result }));
  }
}
