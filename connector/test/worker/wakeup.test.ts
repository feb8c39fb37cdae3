import { ADMIN_TOKEN, completedEvent, connectAccount, postWebhook, startHarness, type Harness } from '../app/harness';

let h: Harness;
afterEach(async () => {
  await h.close();
});

// The poll interval is a minute and each wait below gives up after 5 s: a response synced within that
// window was started by the wake-up, not by a poll — no elapsed time is asserted (speed figures are
// in `npm run bench`, docs/benchmarks.md).
it('syncs each webhook without waiting for the poll: the 202 wakes the worker', async () => {
  h = await startHarness({ runWorker: true, pollMs: 60_000 });
  await connectAccount(h.store, 'acc_42');
  await new Promise((r) => setTimeout(r, 50)); // the worker's first pass found nothing; it now sleeps
  for (let i = 0; i < 3; i++) {
    const ev = completedEvent({ responseId: `rsp_wake_${i}` });
    expect((await postWebhook(h.url, ev)).status).toBe(202);
    const acked = Date.now();
    let status = 'queued';
    while (status === 'queued' && Date.now() - acked < 5000) {
      const r = await fetch(`${h.url}/api/accounts/acc_42/responses/rsp_wake_${i}`, {
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      });
      status = ((await r.json()) as { status: string }).status;
      if (status === 'queued') await new Promise((r) => setTimeout(r, 5));
    }
    expect(status).toBe('synced');
  }
});

it('an admin retry wakes the worker too (no poll in between)', async () => {
  h = await startHarness({ runWorker: true, pollMs: 60_000 });
  await connectAccount(h.store, 'acc_42');
  h.sync.decide = () => ({ status: 'failed', code: 'INVALID_FIELD', message: 'bad' });
  await postWebhook(h.url, completedEvent({ responseId: 'rsp_r' }));
  const get = async () =>
    (await (
      await fetch(`${h.url}/api/accounts/acc_42/responses/rsp_r`, {
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      })
    ).json()) as { status: string };
  for (let i = 0; i < 100 && (await get()).status === 'queued'; i++) await new Promise((r) => setTimeout(r, 10));
  expect((await get()).status).toBe('failed');
  h.sync.decide = (r) => ({ status: 'synced', object: 'Contact', recordId: `003${r.responseId}`, action: 'created' });
  const retry = await fetch(`${h.url}/api/accounts/acc_42/responses/rsp_r/retry`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
  });
  expect(retry.status).toBe(202);
  const started = Date.now();
  while ((await get()).status !== 'synced' && Date.now() - started < 5000) await new Promise((r) => setTimeout(r, 5));
  expect((await get()).status).toBe('synced');
});
