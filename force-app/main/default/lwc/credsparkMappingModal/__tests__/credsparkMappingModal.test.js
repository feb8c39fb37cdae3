import { createElement } from '@lwc/engine-dom';
import CredsparkMappingModal from 'c/credsparkMappingModal';
import { getObjectInfo } from 'lightning/uiObjectInfoApi';
import { subscribe, isEmpEnabled } from 'lightning/empApi';
import saveSyncRule from '@salesforce/apex/CredSparkSetupController.saveSyncRule';
import getInteractionDetails from '@salesforce/apex/CredSparkSetupController.getInteractionDetails';

// What getInteractionDetails returns: the interaction's fields and its rule's mappings.
const DETAILS = require('./data/details.json');
const CONTACT = require('./data/objectInfoContact.json');
const LEAD = require('./data/objectInfoLead.json');

jest.mock('@salesforce/apex/CredSparkSetupController.saveSyncRule', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/CredSparkSetupController.getInteractionDetails', () => ({ default: jest.fn() }), {
    virtual: true
});

const flush = () => new Promise((resolve) => setTimeout(resolve));
const [WITH_RULE, NEW_RULE] = DETAILS.interactions;

function mount(interaction, objectInfo) {
    getInteractionDetails.mockResolvedValue(interaction);
    const element = createElement('c-credspark-mapping-modal', { is: CredsparkMappingModal });
    // The list passes its row (no fields, no mappings); the modal loads the details itself.
    element.interaction = { developerName: interaction.developerName, label: interaction.label };
    document.body.appendChild(element);
    getObjectInfo.emit(objectInfo);
    return element;
}

const $ = (element, selector) => element.shadowRoot.querySelector(selector);
const rows = (element) => [...element.shadowRoot.querySelectorAll('c-credspark-mapping-row')];
const errors = (element) => [...element.shadowRoot.querySelectorAll('.error')].map((p) => p.textContent);
const change = (el, detail) => el.dispatchEvent(new CustomEvent('change', { detail }));
const rowCombo = (row, cls) => row.shadowRoot.querySelector(`lightning-combobox.${cls}`);

describe('c-credspark-mapping-modal', () => {
    beforeEach(() => isEmpEnabled.mockResolvedValue(true));
    afterEach(() => {
        while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
        jest.clearAllMocks();
    });

    it('pre-fills a new rule with the default mappings, disabled, for Contact', async () => {
        const element = mount(NEW_RULE, CONTACT);
        await flush();
        expect($(element, 'lightning-input.enabled').checked).toBe(false);
        expect($(element, 'lightning-radio-group.object').value).toBe('Contact');
        expect(rows(element).map((r) => [r.row.sourceField, r.row.targetField])).toEqual([
            ['first_name', 'FirstName'],
            ['last_name', 'LastName'],
            ['email', 'Email']
        ]);
        expect($(element, 'lightning-button.save').disabled).toBe(false);
    });

    it('offers the interaction fields plus the $ system fields, and writable targets with required marked', async () => {
        const element = mount(NEW_RULE, CONTACT);
        await flush();
        const row = rows(element)[0];
        expect(row.sourceOptions.map((o) => o.value)).toEqual([
            'email',
            '$response_id',
            '$interaction_name',
            '$completed_at',
            '$score'
        ]);
        const targets = row.targetOptions.map((o) => o.label);
        expect(targets).toContain('Last Name *');
        expect(targets).not.toContain('Created Date');
    });

    it('switching to Lead says "Leads require Last Name and Company" and disables Save once enabled', async () => {
        const element = mount(NEW_RULE, CONTACT);
        await flush();
        change($(element, 'lightning-radio-group.object'), { value: 'Lead' });
        getObjectInfo.emit(LEAD);
        await flush();
        expect($(element, '.required-warning').textContent).toMatch(/^Leads require Last Name and Company/);
        change($(element, 'lightning-input.enabled'), { checked: true });
        await flush();
        expect(errors(element)).toEqual(['Leads require Last Name and Company']);
        expect($(element, 'lightning-button.save').disabled).toBe(true);
    });

    it('removing Last Name from an enabled Contact rule says "Contacts require Last Name"', async () => {
        const element = mount(NEW_RULE, CONTACT);
        await flush();
        change($(element, 'lightning-input.enabled'), { checked: true });
        rows(element)[1].shadowRoot.querySelector('lightning-button-icon.remove').click();
        await flush();
        expect(rows(element)).toHaveLength(2);
        expect(errors(element)).toEqual(['Contacts require Last Name']);
    });

    it('adds a row, flags it until complete, and rejects duplicate targets', async () => {
        const element = mount(NEW_RULE, CONTACT);
        await flush();
        $(element, 'lightning-button.add').click();
        await flush();
        expect(rows(element)).toHaveLength(4);
        expect(errors(element)).toContain('Choose a Salesforce field for every mapping.');
        const added = rows(element)[3];
        change(rowCombo(added, 'target'), { value: 'Email' });
        change(rowCombo(added, 'source'), { value: '$response_id' });
        await flush();
        expect(errors(element)).toEqual(['Email is mapped more than once.']);
        expect($(element, 'lightning-button.save').disabled).toBe(true);
    });

    it('hints when a CredSpark field type may not fit the Salesforce field', async () => {
        const element = mount(WITH_RULE, LEAD);
        await flush();
        $(element, 'lightning-button.add').click();
        await flush();
        const added = rows(element)[3];
        change(rowCombo(added, 'target'), { value: 'NumberOfEmployees' });
        change(rowCombo(added, 'source'), { value: 'email' });
        await flush();
        expect($(element, '.hint').textContent).toBe('Email (email) may not fit Employees (Int).');
    });

    it('saves the rule payload, waits for the deployment event, toasts and closes with saved', async () => {
        saveSyncRule.mockResolvedValue('0Af000000000001AAA');
        const element = mount(WITH_RULE, LEAD);
        await flush();
        const toast = jest.fn();
        const closed = jest.fn();
        element.addEventListener('lightning__showtoast', toast);
        element.addEventListener('close', closed);
        $(element, 'lightning-button.add').click();
        await flush();
        const added = rows(element)[3];
        change(rowCombo(added, 'target'), { value: 'Company' });
        change(rowCombo(added, 'source'), { value: 'q7' });
        await flush();
        $(element, 'lightning-button.save').click();
        await flush();
        expect(saveSyncRule).toHaveBeenCalledWith({
            input: {
                interactionDeveloperName: 'Q4_Webinar_Quiz',
                enabled: true,
                targetObject: 'Lead',
                mappings: [
                    { sourceField: 'last_name', targetField: 'LastName', staticValue: null },
                    { sourceField: 'email', targetField: 'Email', staticValue: null },
                    { sourceField: null, targetField: 'LeadSource', staticValue: 'CredSpark' },
                    { sourceField: 'q7', targetField: 'Company', staticValue: null }
                ],
                duplicateHandling: 'Fail',
                convertedLead: 'New_Lead',
                campaignId: null,
                campaignStatus: null
            }
        });
        expect($(element, 'lightning-spinner').alternativeText).toBe('Saving the sync rule');
        expect(subscribe.mock.calls[0][0]).toBe('/event/CredSpark_Deployment__e');
        const onMessage = subscribe.mock.calls[0][2];
        onMessage({ data: { payload: { Job_Id__c: 'other', Success__c: false } } });
        expect(toast).not.toHaveBeenCalled();
        onMessage({
            data: { payload: { Job_Id__c: '0Af000000000001AAA', Success__c: true, Message__c: 'Sync rule saved.' } }
        });
        await flush();
        expect(toast.mock.calls[0][0].detail).toMatchObject({ variant: 'success', title: 'Sync rule saved' });
        expect(closed.mock.calls[0][0].detail).toBe('saved');
        expect($(element, 'lightning-spinner')).toBeNull();
    });

    it('handles a deployment event that arrives before saveSyncRule replies', async () => {
        saveSyncRule.mockImplementation(() => {
            subscribe.mock.calls[0][2]({
                data: {
                    payload: {
                        Job_Id__c: '0Af000000000002AAA',
                        Success__c: false,
                        Message__c: 'Sync rule not saved: x'
                    }
                }
            });
            return Promise.resolve('0Af000000000002AAA');
        });
        const element = mount(WITH_RULE, LEAD);
        await flush();
        change($(element, 'lightning-input.enabled'), { checked: false });
        await flush();
        const toast = jest.fn();
        element.addEventListener('lightning__showtoast', toast);
        $(element, 'lightning-button.save').click();
        await flush();
        expect(toast.mock.calls[0][0].detail).toMatchObject({ variant: 'error', message: 'Sync rule not saved: x' });
        expect($(element, 'lightning-spinner')).toBeNull();
    });

    it('shows the Apex error in an error toast and stays open', async () => {
        saveSyncRule.mockRejectedValue({ body: { message: 'You need the CredSpark Admin permission set.' } });
        const element = mount(WITH_RULE, LEAD);
        await flush();
        change($(element, 'lightning-input.enabled'), { checked: false });
        await flush();
        const toast = jest.fn();
        const closed = jest.fn();
        element.addEventListener('lightning__showtoast', toast);
        element.addEventListener('close', closed);
        $(element, 'lightning-button.save').click();
        await flush();
        expect(toast.mock.calls[0][0].detail).toMatchObject({
            variant: 'error',
            message: 'You need the CredSpark Admin permission set.'
        });
        expect(closed).not.toHaveBeenCalled();
        expect($(element, 'lightning-button.save').disabled).toBe(false);
    });

    it('a saved fixed-value mapping opens in fixed mode', async () => {
        const element = mount(WITH_RULE, LEAD);
        await flush();
        const fixed = rows(element)[2];
        expect(fixed.row).toMatchObject({ mode: 'fixed', staticValue: 'CredSpark', targetField: 'LeadSource' });
    });

    it('moves focus into a new row, and to "Add new field mapping" after a removal', async () => {
        const focus = jest.spyOn(HTMLElement.prototype, 'focus');
        const element = mount(NEW_RULE, CONTACT);
        await flush();
        $(element, 'lightning-button.add').click();
        await flush();
        const added = rows(element)[3];
        expect(focus.mock.contexts).toContain(rowCombo(added, 'mode'));
        added.shadowRoot.querySelector('lightning-button-icon.remove').click();
        await flush();
        expect(focus.mock.contexts).toContain($(element, 'lightning-button.add'));
        focus.mockRestore();
    });

    it('is accessible: labelled toggle, object group, row controls, spinner-free footer and a live message region', async () => {
        const element = mount(NEW_RULE, CONTACT);
        await flush();
        await expect(element).toBeAccessible();
        expect($(element, 'lightning-modal-header').label).toBe('Sync Product Survey to Salesforce');
        expect($(element, 'lightning-input.enabled').label).toBe('Enabled');
        expect($(element, 'lightning-radio-group.object').label).toBe('Salesforce object');
        expect($(element, '.messages').getAttribute('aria-live')).toBe('polite');
        const row = rows(element)[0];
        expect(rowCombo(row, 'source').label).toBe('CredSpark field');
        expect(rowCombo(row, 'target').label).toBe('Salesforce field');
        expect(row.shadowRoot.querySelector('lightning-button-icon.remove').alternativeText).toBe('Remove mapping 1');
        expect(row.shadowRoot.querySelector('legend').textContent).toBe('Mapping 1');
    });

    it('embeds the matching options with the rule values and saves them with the rule', async () => {
        saveSyncRule.mockResolvedValue('0Af000000000003AAA');
        const element = mount(WITH_RULE, LEAD);
        await flush();
        const options = $(element, 'c-credspark-matching-options');
        expect(options.targetObject).toBe('Lead');
        expect(options.value).toEqual({
            duplicateHandling: 'Fail',
            convertedLead: 'New_Lead',
            campaignId: null,
            campaignStatus: null
        });
        const value = {
            duplicateHandling: 'Update_Match',
            convertedLead: 'Update_Contact',
            campaignId: '701000000000001AAA',
            campaignStatus: 'Attended'
        };
        options.dispatchEvent(new CustomEvent('matchingchange', { detail: { value, errors: [] } }));
        change($(element, 'lightning-input.enabled'), { checked: false });
        await flush();
        $(element, 'lightning-button.save').click();
        await flush();
        expect(saveSyncRule.mock.calls[0][0].input).toMatchObject(value);
    });

    it('a campaign problem is shown with the other errors and blocks Save', async () => {
        const element = mount(WITH_RULE, LEAD);
        await flush();
        const message = 'Q4 Webinar is not active. Choose an active campaign, or none.';
        $(element, 'c-credspark-matching-options').dispatchEvent(
            new CustomEvent('matchingchange', {
                detail: { value: { duplicateHandling: 'Fail', campaignId: '701000000000001AAA' }, errors: [message] }
            })
        );
        await flush();
        expect(errors(element)).toContain(message);
        expect($(element, 'lightning-button.save').disabled).toBe(true);
    });

    describe('a save never hangs', () => {
        // Microtask-only flush: the fake timers below own setTimeout.
        const settle = async () => {
            for (let i = 0; i < 20; i++) await Promise.resolve();
        };
        afterEach(() => jest.useRealTimers());

        async function startSave(element) {
            saveSyncRule.mockResolvedValue('0Af000000000007AAA');
            jest.useFakeTimers();
            $(element, 'lightning-button.save').click();
            await settle();
        }

        it('cannot be closed while saving, then gives up after 60 s: warning toast and close with pending', async () => {
            const element = mount(NEW_RULE, CONTACT);
            await flush();
            const toast = jest.fn();
            const closed = jest.fn();
            element.addEventListener('lightning__showtoast', toast);
            element.addEventListener('close', closed);
            await startSave(element);
            expect(element.disableClose).toBe(true);
            expect($(element, 'lightning-button.cancel').disabled).toBe(true);
            $(element, 'lightning-button.cancel').click();
            jest.advanceTimersByTime(59999);
            await settle();
            expect(closed).not.toHaveBeenCalled();
            expect(toast).not.toHaveBeenCalled();
            jest.advanceTimersByTime(1);
            await settle();
            expect(toast.mock.calls[0][0].detail).toMatchObject({
                variant: 'warning',
                message: 'Still saving — refresh to see the result.'
            });
            expect(closed.mock.calls[0][0].detail).toBe('pending');
            expect(element.disableClose).toBe(false);
        });

        it('a streaming error ends the wait at once with the same message', async () => {
            const { onError } = require('lightning/empApi');
            const element = mount(NEW_RULE, CONTACT);
            await flush();
            const toast = jest.fn();
            element.addEventListener('lightning__showtoast', toast);
            await startSave(element);
            onError.mock.calls[0][0]({ error: 'connection lost' });
            await settle();
            expect(toast.mock.calls[0][0].detail.message).toBe('Still saving — refresh to see the result.');
            expect($(element, 'lightning-spinner')).toBeNull();
        });
    });

    it('shows why Salesforce refused the save in the page (role alert), e.g. the Apex setting of a beta org', async () => {
        const message =
            'Salesforce blocked the save because this CredSpark version is not security-reviewed yet. In Setup, open ' +
            'Apex Settings, select "Deploy Metadata from Non-Certified Package Versions via Apex", save, then save this rule again.';
        saveSyncRule.mockRejectedValue({ body: { message } });
        const element = mount(NEW_RULE, CONTACT);
        await flush();
        $(element, 'lightning-button.save').click();
        await flush();
        const alert = $(element, '.save-error');
        expect(alert.getAttribute('role')).toBe('alert');
        expect(alert.textContent).toBe(message);
        expect(element.disableClose).toBe(false);
        await expect(element).toBeAccessible();
    });

    it('loads the interaction when it opens: spinner first, the error panel if it cannot', async () => {
        getInteractionDetails.mockReturnValue(new Promise(() => {}));
        const loading = createElement('c-credspark-mapping-modal', { is: CredsparkMappingModal });
        loading.interaction = { developerName: 'Slow', label: 'Slow' };
        document.body.appendChild(loading);
        await flush();
        expect($(loading, 'lightning-spinner').alternativeText).toBe('Loading the interaction');
        expect($(loading, 'lightning-button.save').disabled).toBe(true);
        expect(getInteractionDetails).toHaveBeenCalledWith({ developerName: 'Slow' });

        getInteractionDetails.mockRejectedValue({
            body: { message: 'This interaction is not known to Salesforce yet.' }
        });
        const failed = createElement('c-credspark-mapping-modal', { is: CredsparkMappingModal });
        failed.interaction = { developerName: 'Gone', label: 'Gone' };
        document.body.appendChild(failed);
        await flush();
        expect($(failed, 'c-error-panel').friendlyMessage).toBe('This interaction could not be loaded');
        expect($(failed, 'lightning-button.save').disabled).toBe(true);
    });

    it('stops adding mappings at the shared limit of 50', async () => {
        const element = mount(NEW_RULE, CONTACT);
        await flush();
        for (let i = rows(element).length; i < 50; i++) $(element, 'lightning-button.add').click();
        await flush();
        expect(rows(element)).toHaveLength(50);
        expect($(element, 'lightning-button.add').disabled).toBe(true);
    });
});
