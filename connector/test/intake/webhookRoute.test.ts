import Database from 'better-sqlite3';
import { signatureHeader } from '../../src/intake/signature';
import { completedEvent, connectAccount, postWebhook, SECRET, startHarness, type Harness } from '../app/harness';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
  await connectAccount(h.store, 'acc_42');
});
afterEach(async () => {
  await h.close();
});

describe('POST /webhooks/credspark replies (SPEC §4)', () => {
  it('202 queued for response.completed, stored with its response row and the raw body', async () => {
    const ev = completedEvent({ responseId: 'rsp_9a8b7c' });
    const res = await postWebhook(h.url, ev);
    expect(res).toMatchObject({ status: 202, json: { status: 'queued' } });
    const r = await h.store.getResponse('acc_42', 'rsp_9a8b7c');
    expect(r).toMatchObject({ status: 'queued', eventId: ev.id, interactionId: 'int_q4_webinar' });
    const [claimed] = await h.store.claimResponses('acc_42', 'test', new Date(), 1000, 1);
    expect(claimed.body).toBe(JSON.stringify(ev));
  });

  it('refreshes the interaction catalogue from the answers (key, label, type), then only when it changed', async () => {
    await postWebhook(h.url, completedEvent());
    const [owed] = await h.store.interactionsToMirror('acc_42', 10);
    expect(owed).toMatchObject({ interactionId: 'int_q4_webinar', name: 'Q4 Webinar Quiz' });
    expect(JSON.parse(owed.fieldsJson)).toEqual([
      { key: 'first_name', label: 'First Name', type: 'first_name' },
      { key: 'last_name', label: 'Last Name', type: 'last_name' },
      { key: 'email', label: 'Email', type: 'email' },
      { key: 'q7', label: 'Company', type: 'text' },
      { key: 'q8', label: 'Interests', type: 'multiple_choice' },
      { key: 'q9', label: 'Team size', type: 'number' },
    ]);
    await h.store.markInteractionMirrored('acc_42', 'int_q4_webinar', owed.contentHash);
    await postWebhook(h.url, completedEvent());
    expect(await h.store.interactionsToMirror('acc_42', 10)).toEqual([]);
    await postWebhook(
      h.url,
      completedEvent({ answers: [{ key: 'email', type: 'email', label: 'Work email', value: null }] }),
    );
    expect(await h.store.interactionsToMirror('acc_42', 10)).toHaveLength(1);
  });

  it('202 for interaction.updated, refreshing the catalogue without queueing a response', async () => {
    const ev = {
      id: 'evt_int_1',
      type: 'interaction.updated',
      createdAt: '2026-11-28T19:00:01Z',
      accountId: 'acc_42',
      data: {
        interaction: { id: 'int_new', name: 'New Quiz', fields: [{ key: 'email', label: 'Email', type: 'email' }] },
      },
    };
    expect(await postWebhook(h.url, ev)).toMatchObject({ status: 202, json: { status: 'queued' } });
    expect((await h.store.interactionsToMirror('acc_42', 10)).map((i) => i.interactionId)).toEqual(['int_new']);
    expect((await h.store.queueStats(new Date())).queued).toBe(0);
  });

  it('202 for response.deleted: recorded, nothing queued', async () => {
    const ev = {
      id: 'evt_del_1',
      type: 'response.deleted',
      createdAt: '2026-11-28T19:00:01Z',
      accountId: 'acc_42',
      data: { responseId: 'rsp_1' },
    };
    expect(await postWebhook(h.url, ev)).toMatchObject({ status: 202 });
    expect(await postWebhook(h.url, ev)).toMatchObject({ status: 200, json: { status: 'duplicate' } });
    expect((await h.store.queueStats(new Date())).queued).toBe(0);
  });

  it('answers 202 only once the event is committed: another connection to the database file sees it', async () => {
    const ev = completedEvent({ responseId: 'rsp_visible' });
    expect((await postWebhook(h.url, ev)).status).toBe(202);
    const other = new Database(h.config.databaseUrl.slice('sqlite:'.length), { readonly: true });
    try {
      expect(other.prepare('SELECT event_id FROM events WHERE event_id = ?').get(ev.id)).toEqual({ event_id: ev.id });
      expect(other.prepare('SELECT status FROM responses WHERE response_id = ?').get('rsp_visible')).toEqual({
        status: 'queued',
      });
    } finally {
      other.close();
    }
  });

  it('200 duplicate for an event id already stored', async () => {
    const ev = completedEvent();
    expect((await postWebhook(h.url, ev)).status).toBe(202);
    expect(await postWebhook(h.url, ev)).toMatchObject({ status: 200, json: { status: 'duplicate' } });
  });

  it('stores one event when two identical deliveries race', async () => {
    const ev = completedEvent();
    const replies = await Promise.all(Array.from({ length: 8 }, () => postWebhook(h.url, ev)));
    expect(replies.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 202]);
    expect((await h.store.queueStats(new Date())).queued).toBe(1);
  });

  it('200 ignored for an unknown event type (forward compatible), before its data is checked', async () => {
    const ev = {
      id: 'evt_x',
      type: 'interaction.archived',
      createdAt: '2026-11-28T19:00:01Z',
      accountId: 'acc_42',
      data: { anything: 1 },
    };
    expect(await postWebhook(h.url, ev)).toEqual(
      expect.objectContaining({ status: 200, json: { status: 'ignored', reason: 'unknown_event_type' } }),
    );
  });

  it('200 ignored for an account without an active connection (never connected, or disconnected)', async () => {
    expect(await postWebhook(h.url, completedEvent({ accountId: 'acc_unknown' }))).toMatchObject({
      status: 200,
      json: { status: 'ignored', reason: 'account_not_connected' },
    });
    await h.store.markDisconnected('acc_42', 'revoked', new Date());
    expect(await postWebhook(h.url, completedEvent())).toMatchObject({ status: 200, json: { status: 'ignored' } });
    expect((await h.store.queueStats(new Date())).queued).toBe(0);
  });

  it('400 for malformed JSON (validly signed)', async () => {
    expect(await postWebhook(h.url, '{"id": "evt_1",')).toMatchObject({
      status: 400,
      json: { error: { code: 'MALFORMED_JSON' } },
    });
  });

  it('400 naming every bad field', async () => {
    const ev = completedEvent();
    (ev as any).createdAt = 'yesterday';
    (ev.data.answers[2] as any).value = 42; // email must be a string
    (ev.data.answers[5] as any).value = 'twelve'; // number
    (ev.data as any).responseId = '';
    const res = await postWebhook(h.url, ev);
    expect(res.status).toBe(400);
    const fields = res.json.error.details.map((d: { field: string }) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['createdAt']));
    const ev2 = completedEvent();
    (ev2.data.answers[2] as any).value = 42;
    (ev2.data.answers[5] as any).value = 'twelve';
    (ev2.data as any).responseId = '';
    const res2 = await postWebhook(h.url, ev2);
    expect(res2.json.error.details.map((d: { field: string }) => d.field).sort()).toEqual([
      'data.answers.2.value',
      'data.answers.5.value',
      'data.responseId',
    ]);
  });

  it.each([
    ['date', '2026-02-30'],
    ['datetime', 'not a date'],
    ['boolean', 'yes'],
    ['multiple_choice', 'Pricing'],
    ['unknown_type', 'x'],
  ])('400 for an answer of type %s with value %j', async (type, value) => {
    const res = await postWebhook(h.url, completedEvent({ answers: [{ key: 'k', type, label: 'K', value }] }));
    expect(res.status).toBe(400);
    expect(res.json.error.details[0].field).toMatch(/^data\.answers\.0\./);
  });

  it('accepts every answer type with a valid value and with null', async () => {
    const answers = [
      ['first_name', 'Jane'],
      ['last_name', 'Doe'],
      ['email', 'j@x.io'],
      ['text', 't'],
      ['long_text', 'lt'],
      ['number', 1.5],
      ['boolean', true],
      ['date', '2026-11-28'],
      ['datetime', '2026-11-28T19:00:00+01:00'],
      ['single_choice', 'A'],
      ['multiple_choice', ['A', 'B']],
      ['phone', '+1 555'],
      ['url', 'https://x.io'],
    ].flatMap(([type, value], i) => [
      { key: `k${i}`, type, label: `L${i}`, value },
      { key: `n${i}`, type, label: `N${i}`, value: null },
    ]);
    expect((await postWebhook(h.url, completedEvent({ answers }))).status).toBe(202);
  });

  it('401 for a missing, wrong or stale signature — and nothing stored', async () => {
    const ev = completedEvent();
    const raw = JSON.stringify(ev);
    const missing = await fetch(`${h.url}/webhooks/credspark`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: raw,
    });
    expect(missing.status).toBe(401);
    expect(await postWebhook(h.url, ev, { secrets: ['not_the_secret_123456'] })).toMatchObject({
      status: 401,
      json: { error: { code: 'INVALID_SIGNATURE' } },
    });
    expect((await postWebhook(h.url, ev, { timestamp: Math.floor(Date.now() / 1000) - 301 })).status).toBe(401);
    expect((await postWebhook(h.url, ev, { header: 't=1,v1=zz' })).status).toBe(401);
    // Tampered: signed one body, sent another.
    const tampered = await postWebhook(h.url, raw.replace('Jane', 'Joan'), { header: signatureHeader([SECRET], raw) });
    expect(tampered.status).toBe(401);
    expect(await h.store.getResponse('acc_42', ev.data.responseId)).toBeUndefined();
  });

  it('401 rather than 400 for a malformed body without a valid signature', async () => {
    expect((await postWebhook(h.url, '{nope', { secrets: ['wrong_secret_123456789'] })).status).toBe(401);
  });

  it('accepts a signature from the second of several configured secrets (rotation)', async () => {
    h.config.webhookSecrets.unshift('new_secret_0123456789'); // the route reads the same array
    expect((await postWebhook(h.url, completedEvent(), { secrets: [SECRET] })).status).toBe(202);
  });

  it('415 for a body that is not application/json', async () => {
    for (const contentType of ['text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1']) {
      expect(await postWebhook(h.url, completedEvent(), { contentType })).toMatchObject({
        status: 415,
        json: { error: { code: 'UNSUPPORTED_MEDIA_TYPE' } },
      });
    }
    const noType = await fetch(`${h.url}/webhooks/credspark`, {
      method: 'POST',
      body: new Uint8Array(Buffer.from('{}')),
    });
    expect(noType.status).toBe(415);
    expect(
      (await postWebhook(h.url, completedEvent(), { contentType: 'application/json; charset=utf-8' })).status,
    ).toBe(202);
  });

  it('accepts a body of exactly 1 MiB and answers 413 above it', async () => {
    const ev = completedEvent();
    const base = JSON.stringify({ ...ev, padding: '' });
    const exact = JSON.stringify({ ...ev, padding: 'x'.repeat(1024 * 1024 - Buffer.byteLength(base)) });
    expect(Buffer.byteLength(exact)).toBe(1024 * 1024);
    expect((await postWebhook(h.url, exact)).status).toBe(202);
    const over = JSON.stringify({ ...completedEvent(), padding: 'x'.repeat(1024 * 1024) });
    expect(await postWebhook(h.url, over)).toMatchObject({
      status: 413,
      json: { error: { code: 'PAYLOAD_TOO_LARGE' } },
    });
  });

  it('413 for an oversized chunked body (no Content-Length)', async () => {
    const big = Buffer.alloc(1024 * 1024 + 10, 0x20);
    const stream = new ReadableStream({
      start(c) {
        c.enqueue(new Uint8Array(big));
        c.close();
      },
    });
    const res = await fetch(`${h.url}/webhooks/credspark`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'credspark-signature': 't=1,v1=00' },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
  });

  it('503 (never 202) when the store cannot commit, and 202 once it recovers', async () => {
    const insert = h.store.insertEvent.bind(h.store);
    h.store.insertEvent = async () => {
      throw new Error('SQLITE_FULL: database or disk is full');
    };
    const ev = completedEvent();
    const res = await postWebhook(h.url, ev);
    expect(res).toMatchObject({ status: 503, json: { error: { code: 'STORE_UNAVAILABLE' } } });
    h.store.insertEvent = insert;
    expect((await postWebhook(h.url, ev)).status).toBe(202);
  });

  it('counts replies by outcome in /metrics', async () => {
    const ev = completedEvent();
    await postWebhook(h.url, ev);
    await postWebhook(h.url, ev);
    await postWebhook(h.url, '{', { secrets: ['bad_secret_0123456789'] });
    const text = await (await fetch(`${h.url}/metrics`)).text();
    expect(text).toMatch(/credspark_webhooks_received_total\{outcome="queued"\} 1/);
    expect(text).toMatch(/credspark_webhooks_received_total\{outcome="duplicate"\} 1/);
    expect(text).toMatch(/credspark_webhooks_received_total\{outcome="rejected"\} 1/);
    expect(text).toMatch(/credspark_queue_depth 1/);
  });
});
