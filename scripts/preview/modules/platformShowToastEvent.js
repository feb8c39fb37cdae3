// Preview-only lightning/platformShowToastEvent. In Lightning Experience the container shows the
// toast; here the preview page (app/main.js) listens for 'lightning__showtoast' and renders an
// SLDS toast.
export const ShowToastEventName = 'lightning__showtoast';

export class ShowToastEvent extends CustomEvent {
  constructor(toast) {
    super(ShowToastEventName, { composed: true, cancelable: true, bubbles: true, detail: toast });
  }
}
