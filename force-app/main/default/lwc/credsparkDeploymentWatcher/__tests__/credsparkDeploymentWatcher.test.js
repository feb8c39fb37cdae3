import { DeploymentWatcher, CHANNEL, TIMEOUT_MS, STILL_SAVING } from 'c/credsparkDeploymentWatcher';
import { subscribe, unsubscribe, onError, isEmpEnabled } from 'lightning/empApi';

const event = (id, success, message) => ({
    data: { payload: { Job_Id__c: id, Success__c: success, Message__c: message } }
});
const STILL = { status: 'unknown', message: STILL_SAVING };

describe('c-credspark-deployment-watcher', () => {
    beforeEach(() => {
        isEmpEnabled.mockResolvedValue(true);
        subscribe.mockResolvedValue({ id: 'sub-1' });
    });
    afterEach(() => {
        jest.clearAllMocks();
        jest.useRealTimers();
    });

    it('subscribes once to the deployment event channel, only for new events (replay -1)', async () => {
        const watcher = new DeploymentWatcher();
        await watcher.start();
        await watcher.start();
        expect(subscribe).toHaveBeenCalledTimes(1);
        expect(subscribe.mock.calls[0].slice(0, 2)).toEqual([CHANNEL, -1]);
        expect(CHANNEL).toBe('/event/CredSpark_Deployment__e');
        expect(onError).toHaveBeenCalledTimes(1);
    });

    it('resolves with the outcome of the awaited job and ignores other jobs', async () => {
        const watcher = new DeploymentWatcher();
        await watcher.start();
        const onMessage = subscribe.mock.calls[0][2];
        const pending = watcher.outcomeOf('job-2');
        onMessage(event('job-1', true, 'other org admin'));
        onMessage(event('job-2', false, 'Sync rule not saved: x'));
        await expect(pending).resolves.toEqual({ status: 'failed', message: 'Sync rule not saved: x' });
    });

    it('keeps an outcome that arrived before it was asked for', async () => {
        const watcher = new DeploymentWatcher();
        await watcher.start();
        subscribe.mock.calls[0][2](event('job-3', true, 'Sync rule saved.'));
        await expect(watcher.outcomeOf('job-3')).resolves.toEqual({ status: 'saved', message: 'Sync rule saved.' });
    });

    it('gives up after 60 seconds without the event: "Still saving — refresh to see the result"', async () => {
        jest.useFakeTimers();
        const watcher = new DeploymentWatcher();
        await watcher.start();
        const settled = jest.fn();
        watcher.outcomeOf('job-4').then(settled);
        jest.advanceTimersByTime(TIMEOUT_MS - 1);
        await Promise.resolve();
        expect(settled).not.toHaveBeenCalled();
        jest.advanceTimersByTime(1);
        await Promise.resolve();
        expect(settled).toHaveBeenCalledWith(STILL);
        expect(TIMEOUT_MS).toBe(60000);
        expect(STILL_SAVING).toBe('Still saving — refresh to see the result.');
    });

    it('an event before the deadline settles the wait and clears its timer', async () => {
        jest.useFakeTimers();
        const watcher = new DeploymentWatcher();
        await watcher.start();
        const pending = watcher.outcomeOf('job-5');
        subscribe.mock.calls[0][2](event('job-5', true, 'Sync rule saved.'));
        await expect(pending).resolves.toEqual({ status: 'saved', message: 'Sync rule saved.' });
        expect(jest.getTimerCount()).toBe(0);
    });

    it('a streaming error (onError) ends every wait at once', async () => {
        const watcher = new DeploymentWatcher();
        await watcher.start();
        const pending = watcher.outcomeOf('job-6');
        onError.mock.calls[0][0]({ error: '403::Unknown client' });
        await expect(pending).resolves.toEqual(STILL);
        await expect(watcher.outcomeOf('job-7')).resolves.toEqual(STILL);
    });

    it('does not subscribe where streaming is unavailable (isEmpEnabled false) and never waits', async () => {
        isEmpEnabled.mockResolvedValue(false);
        const watcher = new DeploymentWatcher();
        await watcher.start();
        expect(subscribe).not.toHaveBeenCalled();
        await expect(watcher.outcomeOf('job-8')).resolves.toEqual(STILL);
    });

    it('a failing subscribe does not throw: the save goes on and the wait ends at once', async () => {
        subscribe.mockRejectedValue(new Error('handshake failed'));
        const watcher = new DeploymentWatcher();
        await expect(watcher.start()).resolves.toBeUndefined();
        await expect(watcher.outcomeOf('job-9')).resolves.toEqual(STILL);
    });

    it('unsubscribes on stop and ends pending waits', async () => {
        const watcher = new DeploymentWatcher();
        await watcher.start();
        const pending = watcher.outcomeOf('job-10');
        watcher.stop();
        expect(unsubscribe).toHaveBeenCalledWith({ id: 'sub-1' });
        await expect(pending).resolves.toEqual(STILL);
    });
});
