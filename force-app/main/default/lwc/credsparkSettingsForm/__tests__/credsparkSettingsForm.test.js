import { createElement } from '@lwc/engine-dom';
import CredsparkSettingsForm from 'c/credsparkSettingsForm';
import saveSettings from '@salesforce/apex/CredSparkSettingsController.saveSettings';
import { subscribe, isEmpEnabled } from 'lightning/empApi';

const { settings: SETTINGS } = require('../../credsparkSyncHealth/__tests__/data/health.json');

jest.mock('@salesforce/apex/CredSparkSettingsController.saveSettings', () => ({ default: jest.fn() }), {
    virtual: true
});

const flush = () => new Promise((resolve) => setTimeout(resolve));
const $ = (element, selector) => element.shadowRoot.querySelector(selector);
const change = (el, value) => el.dispatchEvent(new CustomEvent('change', { detail: { value } }));
const errors = (element) => [...element.shadowRoot.querySelectorAll('.error')].map((p) => p.textContent);

function mount(settings = SETTINGS) {
    const element = createElement('c-credspark-settings-form', { is: CredsparkSettingsForm });
    element.settings = settings;
    document.body.appendChild(element);
    const toasts = [];
    const saved = jest.fn();
    element.addEventListener('lightning__showtoast', (e) => toasts.push(e.detail));
    element.addEventListener('saved', saved);
    return { element, toasts, saved };
}

describe('c-credspark-settings-form', () => {
    beforeEach(() => isEmpEnabled.mockResolvedValue(true));
    afterEach(() => {
        while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
        jest.clearAllMocks();
    });

    it('shows the settings in force; Save waits for a change', () => {
        const { element } = mount();
        expect($(element, 'lightning-input.budget').value).toBe(5000);
        expect($(element, 'lightning-input.percent').value).toBe(90);
        expect($(element, 'lightning-radio-group.records').value).toBe('Failures');
        expect($(element, 'lightning-radio-group.records').options.map((o) => o.label)).toEqual([
            'None',
            'Failed responses',
            'All responses'
        ]);
        expect($(element, 'lightning-button.save').disabled).toBe(true);
    });

    it('refuses out-of-range values with the Apex words', async () => {
        const { element } = mount();
        change($(element, 'lightning-input.budget'), '-5');
        change($(element, 'lightning-input.percent'), '150');
        await flush();
        expect(errors(element)).toEqual([
            'The daily API budget is a whole number from 0 (no cap) to 999999999.',
            'The maximum org API usage is a whole number from 1 to 100 (percent).'
        ]);
        expect($(element, 'lightning-button.save').disabled).toBe(true);
        change($(element, 'lightning-input.percent'), '');
        await flush();
        expect(errors(element)).toEqual(['The daily API budget is a whole number from 0 (no cap) to 999999999.']);
    });

    it('saves numbers (empty as null), waits for the deployment, toasts and reports saved', async () => {
        saveSettings.mockResolvedValue('0Af000000000009AAA');
        const { element, toasts, saved } = mount();
        change($(element, 'lightning-input.budget'), '2500');
        change($(element, 'lightning-input.percent'), '');
        change($(element, 'lightning-radio-group.records'), 'All');
        await flush();
        $(element, 'lightning-button.save').click();
        await flush();
        expect(saveSettings).toHaveBeenCalledWith({
            input: { dailyApiBudget: 2500, maxOrgApiUsagePercent: null, responseRecords: 'All' }
        });
        expect($(element, 'lightning-spinner').alternativeText).toBe('Saving the settings');
        subscribe.mock.calls[0][2]({
            data: { payload: { Job_Id__c: '0Af000000000009AAA', Success__c: true, Message__c: 'Settings saved.' } }
        });
        await flush();
        expect(toasts[0]).toMatchObject({ variant: 'success', title: 'Settings saved', message: 'Settings saved.' });
        expect(saved).toHaveBeenCalled();
    });

    it('without streaming the save still ends: a warning toast, and the page refreshes', async () => {
        isEmpEnabled.mockResolvedValue(false);
        saveSettings.mockResolvedValue('0Af000000000010AAA');
        const { element, toasts, saved } = mount();
        change($(element, 'lightning-input.budget'), '100');
        await flush();
        $(element, 'lightning-button.save').click();
        await flush();
        expect(toasts[0]).toMatchObject({ variant: 'warning', message: 'Still saving — refresh to see the result.' });
        expect(saved).toHaveBeenCalled();
    });

    it('shows an Apex refusal in an error toast', async () => {
        saveSettings.mockRejectedValue({ body: { message: 'You need the CredSpark Admin permission set.' } });
        const { element, toasts, saved } = mount();
        change($(element, 'lightning-input.budget'), '100');
        await flush();
        $(element, 'lightning-button.save').click();
        await flush();
        expect(toasts[0]).toMatchObject({ variant: 'error', message: 'You need the CredSpark Admin permission set.' });
        expect(saved).not.toHaveBeenCalled();
    });

    it('is read-only without the CredSpark Admin permission set', () => {
        const { element } = mount({ ...SETTINGS, canManage: false });
        expect($(element, 'lightning-input.budget').disabled).toBe(true);
        expect($(element, '.read-only').textContent).toMatch(/Only holders of the CredSpark Admin permission set/);
    });

    it('is accessible: labelled fields with help and a live message region', async () => {
        const { element } = mount();
        expect($(element, '.messages').getAttribute('aria-live')).toBe('polite');
        await expect(element).toBeAccessible();
    });
});
