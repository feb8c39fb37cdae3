import { ADMIN_TOKEN, completedEvent, connectAccount, postWebhook, startHarness, type Harness } from '../app/harness';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
  await connectAccount(h.store, 'acc_42');
});
afterEach(async () => {
  await h.close();
});

const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };
const get = (path: string, headers: Record<string, string> = auth) => fetch(`${h.url}${path}`, { headers });
const post = (path: string, headers: Record<string, string> = auth) =>
  fetch(`${h.url}${path}`, { method: 'POST', headers });

async function finish(responseId: string, outcome: Parameters<Harness['store']['completeResponse']>[3]) {
  const claimed = await h.store.claimResponses('acc_42', 'test', new Date(), 60_000, 100);
  expect(claimed.map((c) => c.responseId)).toContain(responseId);
  await h.store.completeResponse('acc_42', responseId, 'test', outcome, new Date());
}

describe('admin bearer (SPEC §5)', () => {
  it.each([
    ['no header', {}],
    ['wrong token', { authorization: 'Bearer wrong-token-0123456789abcdef' }],
    ['token as Basic', { authorization: `Basic ${ADMIN_TOKEN}` }],
    ['token prefix', { authorization: `Bearer ${ADMIN_TOKEN.slice(0, -1)}` }],
  ])('401 JSON with %s', async (_name, headers) => {
    const res = await get('/api/accounts/acc_42/responses/rsp_1', headers as Record<string, string>);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: { code: 'UNAUTHORIZED', message: expect.any(String) } });
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
  });

  it('401 for unknown /api routes without a token, 404 JSON with it', async () => {
    expect((await get('/api/nothing', {})).status).toBe(401);
    const res = await get('/api/nothing');
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
  });
});

describe('GET /api/accounts/:accountId/responses/:responseId', () => {
  it('404 for an unknown response, and for a known response id under another account', async () => {
    await postWebhook(h.url, completedEvent({ responseId: 'rsp_1' }));
    expect((await get('/api/accounts/acc_42/responses/rsp_unknown')).status).toBe(404);
    expect((await get('/api/accounts/acc_other/responses/rsp_1')).status).toBe(404);
  });

  it('queued right after intake', async () => {
    await postWebhook(h.url, completedEvent({ responseId: 'rsp_1' }));
    const body = await (await get('/api/accounts/acc_42/responses/rsp_1')).json();
    expect(body).toEqual({ status: 'queued', attempts: 0, updatedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/) });
  });

  it('synced with object, recordId and action', async () => {
    await postWebhook(h.url, completedEvent({ responseId: 'rsp_1' }));
    await finish('rsp_1', { status: 'synced', object: 'Contact', recordId: '003000000000001AAA', action: 'updated' });
    expect(await (await get('/api/accounts/acc_42/responses/rsp_1')).json()).toEqual({
      status: 'synced',
      object: 'Contact',
      recordId: '003000000000001AAA',
      action: 'updated',
      attempts: 1,
      updatedAt: expect.any(String),
    });
  });

  it('synced with warnings as [{code, message}] (SPEC §5), e.g. CAMPAIGN_MEMBER_FAILED', async () => {
    await postWebhook(h.url, completedEvent({ responseId: 'rsp_1' }));
    const warnings = [
      { code: 'FIELD_TRUNCATED', message: 'Title truncated to 128 characters' },
      { code: 'CAMPAIGN_MEMBER_FAILED', message: 'Campaign 701000000000001AAA does not exist or is not active' },
    ];
    await finish('rsp_1', {
      status: 'synced',
      object: 'Lead',
      recordId: '00Q000000000001AAA',
      action: 'created',
      warnings,
    });
    expect(await (await get('/api/accounts/acc_42/responses/rsp_1')).json()).toEqual({
      status: 'synced',
      object: 'Lead',
      recordId: '00Q000000000001AAA',
      action: 'created',
      warnings,
      attempts: 1,
      updatedAt: expect.any(String),
    });
  });

  it('failed and skipped with error {code, message}', async () => {
    await postWebhook(h.url, completedEvent({ responseId: 'rsp_f' }));
    await postWebhook(h.url, completedEvent({ responseId: 'rsp_s' }));
    await finish('rsp_f', {
      status: 'failed',
      code: 'REQUIRED_FIELD_NOT_MAPPED',
      message: 'Leads require Last Name and Company',
      object: 'Lead',
    });
    await h.store.completeResponse(
      'acc_42',
      'rsp_s',
      'test',
      { status: 'skipped', code: 'NOT_RETROACTIVE', message: 'completed before sync was enabled' },
      new Date(),
    );
    expect(await (await get('/api/accounts/acc_42/responses/rsp_f')).json()).toEqual({
      status: 'failed',
      object: 'Lead',
      error: { code: 'REQUIRED_FIELD_NOT_MAPPED', message: 'Leads require Last Name and Company' },
      attempts: 1,
      updatedAt: expect.any(String),
    });
    expect(await (await get('/api/accounts/acc_42/responses/rsp_s')).json()).toMatchObject({
      status: 'skipped',
      error: { code: 'NOT_RETROACTIVE' },
    });
  });

  it('400 for an invalid account id', async () => {
    const res = await get(`/api/accounts/${'x'.repeat(65)}/responses/rsp_1`);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'INVALID_PARAMETER' } });
  });
});

describe('POST /api/accounts/:accountId/responses/:responseId/retry', () => {
  it('202 requeues a failed response, which the worker then picks up', async () => {
    await postWebhook(h.url, completedEvent({ responseId: 'rsp_1' }));
    await finish('rsp_1', { status: 'failed', code: 'INVALID_FIELD', message: 'No such column Foo__c' });
    const res = await post('/api/accounts/acc_42/responses/rsp_1/retry');
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ status: 'queued' });
    expect(await (await get('/api/accounts/acc_42/responses/rsp_1')).json()).toEqual({
      status: 'queued',
      attempts: 1,
      updatedAt: expect.any(String),
    });
    await h.app.worker.runOnce();
    expect(h.sync.calls.map((c) => c.responseIds)).toEqual([['rsp_1']]);
    expect(await (await get('/api/accounts/acc_42/responses/rsp_1')).json()).toMatchObject({
      status: 'synced',
      attempts: 2,
    });
  });

  it('202 and nothing changed when the response is already queued (retry is idempotent)', async () => {
    await postWebhook(h.url, completedEvent({ responseId: 'rsp_1' }));
    const before = await (await get('/api/accounts/acc_42/responses/rsp_1')).json();
    const queued = await post('/api/accounts/acc_42/responses/rsp_1/retry');
    expect(queued.status).toBe(202);
    expect(await queued.json()).toEqual({ status: 'queued' });
    expect(await (await get('/api/accounts/acc_42/responses/rsp_1')).json()).toEqual(before);
  });

  it('409 with a clear message when the response is synced or skipped by rule', async () => {
    await postWebhook(h.url, completedEvent({ responseId: 'rsp_1' }));
    await postWebhook(h.url, completedEvent({ responseId: 'rsp_2' }));
    await finish('rsp_1', { status: 'synced', object: 'Contact', recordId: '003', action: 'created' });
    const synced = await post('/api/accounts/acc_42/responses/rsp_1/retry');
    expect(synced.status).toBe(409);
    expect(await synced.json()).toEqual({
      error: { code: 'NOT_RETRYABLE', message: expect.stringMatching(/is synced; only failed/) },
    });
    await h.store.completeResponse(
      'acc_42',
      'rsp_2',
      'test',
      { status: 'skipped', code: 'SYNC_DISABLED', message: 'sync is off for this interaction' },
      new Date(),
    );
    const skipped = await post('/api/accounts/acc_42/responses/rsp_2/retry');
    expect(skipped.status).toBe(409);
    expect(((await skipped.json()) as { error: { message: string } }).error.message).toMatch(
      /is skipped \(SYNC_DISABLED\)/,
    );
  });

  it('404 for an unknown response; 401 without the token', async () => {
    expect((await post('/api/accounts/acc_42/responses/nope/retry')).status).toBe(404);
    expect((await post('/api/accounts/acc_42/responses/nope/retry', {})).status).toBe(401);
  });
});

describe('health, readiness, metrics (no bearer)', () => {
  it('/healthz answers ok', async () => {
    const res = await fetch(`${h.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('/readyz is 200 while the store is writable and 503 once it is not', async () => {
    expect((await fetch(`${h.url}/readyz`)).status).toBe(200);
    h.store.ping = async () => {
      throw new Error('SQLITE_READONLY');
    };
    const res = await fetch(`${h.url}/readyz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ status: 'unavailable', reason: 'store_unavailable' });
  });

  it('/metrics reports queue depth and oldest age from the store on scrape', async () => {
    await postWebhook(h.url, completedEvent());
    await postWebhook(h.url, completedEvent());
    const res = await fetch(`${h.url}/metrics`);
    expect(res.headers.get('content-type')).toMatch(/text\/plain/);
    const text = await res.text();
    expect(text).toMatch(/^credspark_queue_depth 2$/m);
    expect(text).toMatch(/^credspark_queue_oldest_age_seconds [0-9.]+$/m);
    expect(text).toMatch(/process_cpu_user_seconds_total/);
  });

  it('never answers with a stack trace', async () => {
    h.store.getResponse = async () => {
      throw new Error('secret internals at /work/x.ts:1');
    };
    const res = await get('/api/accounts/acc_42/responses/rsp_1');
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ error: { code: 'INTERNAL', message: 'Internal error' } });
    expect(text).not.toMatch(/work|\.ts/);
  });
});
