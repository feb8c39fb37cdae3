import { createElement } from '@lwc/engine-dom';
import ErrorPanel from 'c/errorPanel';

describe('c-error-panel', () => {
    afterEach(() => {
        while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
    });

    it('lists every reduced message under the friendly message, in an alert region', async () => {
        const element = createElement('c-error-panel', { is: ErrorPanel });
        element.friendlyMessage = 'Could not load';
        element.errors = [{ body: { message: 'First' } }, new Error('Second')];
        document.body.appendChild(element);
        const alert = element.shadowRoot.querySelector('[role="alert"]');
        expect(alert).not.toBeNull();
        expect(alert.querySelector('.friendly').textContent).toBe('Could not load');
        expect([...alert.querySelectorAll('li')].map((li) => li.textContent)).toEqual(['First', 'Second']);
        await expect(element).toBeAccessible();
    });
});
