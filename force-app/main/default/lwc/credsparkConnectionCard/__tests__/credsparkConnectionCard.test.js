import { createElement } from '@lwc/engine-dom';
import CredsparkConnectionCard from 'c/credsparkConnectionCard';

const CONNECTED = {
    accountId: 'acc_42',
    status: 'Connected',
    connectedUser: 'admin@acme.example',
    connectedAt: '2026-11-28T19:00:00.000Z',
    connected: true
};

const flush = () => Promise.resolve();

function mount(connection) {
    const element = createElement('c-credspark-connection-card', { is: CredsparkConnectionCard });
    element.connection = connection;
    document.body.appendChild(element);
    return element;
}

describe('c-credspark-connection-card', () => {
    afterEach(() => {
        while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
    });

    it('shows the Connected badge, account, user and since', () => {
        const element = mount(CONNECTED);
        const root = element.shadowRoot;
        expect(root.querySelector('lightning-badge.status').label).toBe('Connected');
        expect(root.querySelector('.account').textContent).toBe('acc_42');
        expect(root.querySelector('.user').textContent).toBe('admin@acme.example');
        expect(root.querySelector('.since c-credspark-date-time').value).toBe(CONNECTED.connectedAt);
        expect(root.querySelector('.not-connected')).toBeNull();
    });

    it('Edit reveals the details and how to disconnect, and hides them again', async () => {
        const element = mount(CONNECTED);
        const button = element.shadowRoot.querySelector('lightning-button.edit');
        expect(element.shadowRoot.querySelector('.details')).toBeNull();
        button.click();
        await flush();
        expect(element.shadowRoot.querySelector('.details').textContent).toMatch(/To disconnect, open CredSpark/);
        expect(button.label).toBe('Hide details');
        button.click();
        await flush();
        expect(element.shadowRoot.querySelector('.details')).toBeNull();
    });

    it('explains how to connect when the org was never connected', () => {
        const element = mount(null);
        expect(element.shadowRoot.querySelector('.not-connected').textContent).toMatch(/choose Connect, then Allow/);
        expect(element.shadowRoot.querySelector('lightning-badge')).toBeNull();
    });

    it('shows a Disconnected badge after a disconnect', () => {
        const element = mount({ ...CONNECTED, status: 'Disconnected', connected: false });
        expect(element.shadowRoot.querySelector('lightning-badge.status').label).toBe('Disconnected');
    });

    it('is accessible: the card has a title and every description term has a visible label', async () => {
        const element = mount(CONNECTED);
        await expect(element).toBeAccessible();
        expect(element.shadowRoot.querySelector('lightning-card').title).toBe('CredSpark connection');
        const terms = [...element.shadowRoot.querySelectorAll('dt')].map((dt) => dt.textContent);
        expect(terms).toEqual(['Account', 'Connected user', 'Since']);
        expect(element.shadowRoot.querySelector('lightning-button.edit').label).toBe('Edit');
    });
});
