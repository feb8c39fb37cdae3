import { completedEvent, connectAccount, postWebhook, startHarness } from './harness';

it('stop() answers the intake requests already in flight, then refuses new connections', async () => {
  const h = await startHarness();
  await connectAccount(h.store, 'acc_42');
  // Slow the store down so requests are still in flight when stop() begins.
  const insert = h.store.insertEvent.bind(h.store);
  let arrived = 0;
  h.store.insertEvent = async (e) => {
    arrived++;
    await new Promise((r) => setTimeout(r, 100));
    return insert(e);
  };
  const inFlight = Array.from({ length: 5 }, (_, i) =>
    postWebhook(h.url, completedEvent({ responseId: `rsp_sd_${i}` })),
  );
  while (arrived < 5) await new Promise((r) => setTimeout(r, 2));
  const stopped = h.app.stop();
  const replies = await Promise.all(inFlight);
  expect(replies.map((r) => r.status)).toEqual([202, 202, 202, 202, 202]);
  await stopped;
  await expect(fetch(`${h.url}/healthz`)).rejects.toThrow();
  expect((await h.store.queueStats(new Date())).queued).toBe(5);
  await h.close();
});
