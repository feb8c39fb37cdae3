import { createElement } from '@lwc/engine-dom';
import CredsparkDateTime from 'c/credsparkDateTime';

function mount(value) {
    const element = createElement('c-credspark-date-time', { is: CredsparkDateTime });
    element.value = value;
    document.body.appendChild(element);
    return element;
}

describe('c-credspark-date-time', () => {
    afterEach(() => {
        while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
    });

    it('formats the value with date, year, hour and minute', () => {
        const element = mount('2026-11-28T19:00:00.000Z');
        const formatted = element.shadowRoot.querySelector('lightning-formatted-date-time');
        expect(formatted.value).toBe('2026-11-28T19:00:00.000Z');
        expect([formatted.year, formatted.month, formatted.day, formatted.hour, formatted.minute]).toEqual([
            'numeric',
            'short',
            'numeric',
            '2-digit',
            '2-digit'
        ]);
    });

    it('is accessible', async () => {
        const element = mount('2026-11-28T19:00:00.000Z');
        await expect(element).toBeAccessible();
    });
});
