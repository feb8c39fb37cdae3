import { DeploymentWatcher, CHANNEL } from 'c/credsparkDeploymentWatcher';
import { subscribe, unsubscribe } from 'lightning/empApi';

const event = (id, success, message) => ({
    data: { payload: { Job_Id__c: id, Success__c: success, Message__c: message } }
});

describe('c-credspark-deployment-watcher', () => {
    afterEach(() => jest.clearAllMocks());

    it('subscribes once to the deployment event channel, only for new events (replay -1)', async () => {
        const watcher = new DeploymentWatcher();
        await watcher.start();
        await watcher.start();
        expect(subscribe).toHaveBeenCalledTimes(1);
        expect(subscribe.mock.calls[0].slice(0, 2)).toEqual([CHANNEL, -1]);
        expect(CHANNEL).toBe('/event/CredSpark_Deployment__e');
    });

    it('resolves with the outcome of the awaited job and ignores other jobs', async () => {
        const watcher = new DeploymentWatcher();
        await watcher.start();
        const onMessage = subscribe.mock.calls[0][2];
        const pending = watcher.outcomeOf('job-2');
        onMessage(event('job-1', true, 'other org admin'));
        onMessage(event('job-2', false, 'Sync rule not saved: x'));
        await expect(pending).resolves.toEqual({ success: false, message: 'Sync rule not saved: x' });
    });

    it('keeps an outcome that arrived before it was asked for', async () => {
        const watcher = new DeploymentWatcher();
        await watcher.start();
        subscribe.mock.calls[0][2](event('job-3', true, 'Sync rule saved.'));
        await expect(watcher.outcomeOf('job-3')).resolves.toEqual({ success: true, message: 'Sync rule saved.' });
    });

    it('unsubscribes on stop', async () => {
        subscribe.mockResolvedValueOnce({ id: 'sub-1' });
        const watcher = new DeploymentWatcher();
        await watcher.start();
        watcher.stop();
        expect(unsubscribe).toHaveBeenCalledWith({ id: 'sub-1' });
    });
});
