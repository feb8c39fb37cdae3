import { createElement } from '@lwc/engine-dom';
import CredsparkSetup from 'c/credsparkSetup';
import CredsparkMappingModal from 'c/credsparkMappingModal';
import getSetup from '@salesforce/apex/CredSparkSetupController.getSetup';
import { refreshApex } from '@salesforce/apex';

const SETUP = require('./data/setup.json');

jest.mock(
    '@salesforce/apex/CredSparkSetupController.getSetup',
    () => {
        const { createApexTestWireAdapter } = require('@salesforce/sfdx-lwc-jest');
        return { default: createApexTestWireAdapter(jest.fn()) };
    },
    { virtual: true }
);
jest.mock('@salesforce/apex/CredSparkSetupController.saveSyncRule', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex', () => ({ refreshApex: jest.fn(() => Promise.resolve()) }), { virtual: true });

const flush = () => new Promise((resolve) => setTimeout(resolve));

function mount() {
    const element = createElement('c-credspark-setup', { is: CredsparkSetup });
    document.body.appendChild(element);
    return element;
}

describe('c-credspark-setup', () => {
    afterEach(() => {
        while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
        jest.clearAllMocks();
    });

    it('shows a labelled spinner until the settings arrive', () => {
        const element = mount();
        const spinner = element.shadowRoot.querySelector('lightning-spinner');
        expect(spinner.alternativeText).toBe('Loading CredSpark settings');
    });

    it('passes the connection and interactions to its children', async () => {
        const element = mount();
        getSetup.emit(SETUP);
        await flush();
        const card = element.shadowRoot.querySelector('c-credspark-connection-card');
        expect(card.connection.accountId).toBe('acc_42');
        const list = element.shadowRoot.querySelector('c-credspark-interaction-list');
        expect(list.interactions.map((i) => i.developerName)).toEqual(['Q4_Webinar_Quiz', 'Product_Survey']);
        await expect(element).toBeAccessible();
    });

    it('shows the Apex error through the error panel (role alert)', async () => {
        const element = mount();
        getSetup.error({ message: 'CredSpark settings could not be read.' });
        await flush();
        const panel = element.shadowRoot.querySelector('c-error-panel');
        expect(panel.friendlyMessage).toBe('CredSpark settings could not be loaded');
        expect(panel.shadowRoot.querySelector('[role="alert"]').textContent).toContain(
            'CredSpark settings could not be read.'
        );
    });

    it('opens the mapping modal for the chosen interaction and refreshes after a save', async () => {
        CredsparkMappingModal.open.mockResolvedValue('saved');
        const element = mount();
        getSetup.emit(SETUP);
        await flush();
        const list = element.shadowRoot.querySelector('c-credspark-interaction-list');
        list.dispatchEvent(new CustomEvent('integrations', { detail: { developerName: 'Product_Survey' } }));
        await flush();
        expect(CredsparkMappingModal.open).toHaveBeenCalledWith(
            expect.objectContaining({ size: 'medium', label: 'Sync Product Survey to Salesforce' })
        );
        expect(CredsparkMappingModal.open.mock.calls[0][0].interaction.interactionId).toBe('int_product_survey');
        expect(refreshApex).toHaveBeenCalledTimes(1);
    });

    it('also refreshes when the save was still running as the modal closed (pending)', async () => {
        CredsparkMappingModal.open.mockResolvedValue('pending');
        const element = mount();
        getSetup.emit(SETUP);
        await flush();
        const list = element.shadowRoot.querySelector('c-credspark-interaction-list');
        list.dispatchEvent(new CustomEvent('integrations', { detail: { developerName: 'Q4_Webinar_Quiz' } }));
        await flush();
        expect(refreshApex).toHaveBeenCalledTimes(1);
    });

    it('does not refresh when the modal is cancelled', async () => {
        CredsparkMappingModal.open.mockResolvedValue('cancel');
        const element = mount();
        getSetup.emit(SETUP);
        await flush();
        element.shadowRoot
            .querySelector('c-credspark-interaction-list')
            .dispatchEvent(new CustomEvent('integrations', { detail: { developerName: 'Q4_Webinar_Quiz' } }));
        await flush();
        expect(refreshApex).not.toHaveBeenCalled();
    });
});
