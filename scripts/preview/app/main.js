// The preview page: mounts the package's real c-credspark-setup, as a Lightning App Builder page
// would, and shows Lightning-style toasts for lightning/platformShowToastEvent.
import '@lwc/synthetic-shadow';
import { createElement } from 'lwc';
import CredsparkSetup from 'c/credsparkSetup';
import CredsparkPersonResponses from 'c/credsparkPersonResponses';

const host = document.getElementById('main');
// /?record=<Contact or Lead Id>: the record-page component, as Lightning App Builder places it.
const recordId = new URLSearchParams(window.location.search).get('record');
if (recordId) {
  const responses = createElement('c-credspark-person-responses', { is: CredsparkPersonResponses });
  responses.recordId = recordId;
  host.appendChild(responses);
} else {
  host.appendChild(createElement('c-credspark-setup', { is: CredsparkSetup }));
}

const ICONS = { success: 'success', error: 'error', warning: 'warning', info: 'info' };

document.addEventListener('lightning__showtoast', (event) => {
  const { title, message, variant = 'info' } = event.detail || {};
  const container = document.getElementById('toasts');
  const toast = document.createElement('div');
  toast.className = `slds-notify slds-notify_toast slds-theme_${variant}`;
  toast.setAttribute('role', 'status');
  toast.dataset.variant = variant;
  const icon = ICONS[variant] || 'info';
  toast.innerHTML = `<span class="slds-icon_container slds-m-right_small slds-no-flex slds-align-top">
        <svg class="slds-icon slds-icon_small" aria-hidden="true"><use href="/slds/icons/utility-sprite/svg/symbols.svg#${icon}"></use></svg></span>
        <div class="slds-notify__content"><h2 class="slds-text-heading_small"></h2><p></p></div>`;
  toast.querySelector('h2').textContent = title || '';
  toast.querySelector('p').textContent = message || '';
  container.appendChild(toast);
  setTimeout(() => toast.remove(), 6000);
});
