import { createElement } from '@lwc/engine-dom';
import CredsparkSyncHealth from 'c/credsparkSyncHealth';
import getSyncHealth from '@salesforce/apex/CredSparkSyncHealthController.getSyncHealth';
import requestRetry from '@salesforce/apex/CredSparkSyncHealthController.requestRetry';
import requestRetryForCode from '@salesforce/apex/CredSparkSyncHealthController.requestRetryForCode';
import { refreshApex } from '@salesforce/apex';

const HEALTH = require('./data/health.json');

jest.mock(
    '@salesforce/apex/CredSparkSyncHealthController.getSyncHealth',
    () => {
        const { createApexTestWireAdapter } = require('@salesforce/sfdx-lwc-jest');
        return { default: createApexTestWireAdapter(jest.fn()) };
    },
    { virtual: true }
);
jest.mock('@salesforce/apex/CredSparkSyncHealthController.requestRetry', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock('@salesforce/apex/CredSparkSyncHealthController.requestRetryForCode', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock('@salesforce/apex', () => ({ refreshApex: jest.fn(() => Promise.resolve()) }), { virtual: true });

const flush = () => new Promise((resolve) => setTimeout(resolve));
const $ = (element, selector) => element.shadowRoot.querySelector(selector);

async function mount() {
    const element = createElement('c-credspark-sync-health', { is: CredsparkSyncHealth });
    document.body.appendChild(element);
    getSyncHealth.emit(HEALTH);
    await flush();
    const toasts = [];
    element.addEventListener('lightning__showtoast', (e) => toasts.push(e.detail));
    return { element, toasts };
}

describe('c-credspark-sync-health', () => {
    afterEach(() => {
        while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
        jest.clearAllMocks();
    });

    it('shows a labelled spinner until the view arrives', () => {
        const element = createElement('c-credspark-sync-health', { is: CredsparkSyncHealth });
        document.body.appendChild(element);
        expect($(element, 'lightning-spinner').alternativeText).toBe('Loading sync health');
    });

    it('hands each child its part: windows (24 h first), usage, failures, settings', async () => {
        const { element } = await mount();
        const counts = $(element, 'c-credspark-health-counts');
        expect(counts.windows.map((w) => [w.label, w.failed])).toEqual([
            ['Last 24 hours', 3],
            ['Last 7 days', 9]
        ]);
        expect($(element, 'c-credspark-api-usage').usage.apiCallsToday).toBe(420);
        expect($(element, 'c-credspark-failure-list').failures).toHaveLength(2);
        expect($(element, 'c-credspark-settings-form').settings.responseRecords).toBe('Failures');
        await expect(element).toBeAccessible();
    });

    it('Retry on a failure asks Apex, toasts and refreshes', async () => {
        requestRetry.mockResolvedValue(1);
        const { element, toasts } = await mount();
        $(element, 'c-credspark-failure-list').dispatchEvent(
            new CustomEvent('retry', { detail: { id: 'a01000000000001AAA' } })
        );
        await flush();
        expect(requestRetry).toHaveBeenCalledWith({ responseRecordId: 'a01000000000001AAA' });
        expect(toasts[0]).toMatchObject({
            variant: 'success',
            message: 'CredSpark syncs this response again within a few minutes.'
        });
        expect(refreshApex).toHaveBeenCalled();
    });

    it('Retry all with this code says how many responses will be retried', async () => {
        requestRetryForCode.mockResolvedValueOnce(6).mockResolvedValueOnce(0);
        const { element, toasts } = await mount();
        const counts = $(element, 'c-credspark-health-counts');
        counts.dispatchEvent(new CustomEvent('retrycode', { detail: { code: 'REQUIRED_FIELD_MISSING' } }));
        await flush();
        counts.dispatchEvent(new CustomEvent('retrycode', { detail: { code: 'REQUIRED_FIELD_MISSING' } }));
        await flush();
        expect(requestRetryForCode).toHaveBeenCalledWith({ errorCode: 'REQUIRED_FIELD_MISSING' });
        expect(toasts.map((t) => t.message)).toEqual([
            'CredSpark syncs 6 responses with REQUIRED_FIELD_MISSING again within a few minutes.',
            'Every failure with REQUIRED_FIELD_MISSING already waits for its retry.'
        ]);
    });

    it('a refused retry shows the Apex message in an error toast', async () => {
        requestRetry.mockRejectedValue({ body: { message: 'You cannot request a retry: it needs edit access.' } });
        const { element, toasts } = await mount();
        $(element, 'c-credspark-failure-list').dispatchEvent(new CustomEvent('retry', { detail: { id: 'x' } }));
        await flush();
        expect(toasts[0]).toMatchObject({
            variant: 'error',
            title: 'Retry not requested',
            message: 'You cannot request a retry: it needs edit access.'
        });
        expect(refreshApex).not.toHaveBeenCalled();
    });

    it('shows a read error through the error panel', async () => {
        const element = createElement('c-credspark-sync-health', { is: CredsparkSyncHealth });
        document.body.appendChild(element);
        getSyncHealth.error({ message: 'Sync health could not be read.' });
        await flush();
        expect($(element, 'c-error-panel').friendlyMessage).toBe('Sync health could not be loaded');
    });

    it('the refresh button re-reads the view', async () => {
        const { element } = await mount();
        expect($(element, 'lightning-button-icon.refresh').alternativeText).toBe('Refresh sync health');
        $(element, 'lightning-button-icon.refresh').click();
        expect(refreshApex).toHaveBeenCalled();
    });
});
