import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { PgStore } from '../../src/store/postgres/pgStore';
import type { Store } from '../../src/store/types';
import { connectAccount } from '../app/harness';
import { postgresReachable, TEST_PG_URL } from '../store/postgresAvailability';
import {
  api,
  deliver,
  nowSeconds,
  sampleEvent,
  SECRET,
  sign,
  startContractApp,
  type ContractApp,
  type Reply,
} from './harness';

/**
 * SPEC §4 "Webhooks from CredSpark (contract)", clause by clause, through the real HTTP server.
 * What a test checks is what CredSpark (or an acceptance test) can observe: status codes, reply
 * bodies, and the admin API; the store is read only where §4 promises an internal effect
 * ("recorded", "refresh the interaction's catalogue").
 */
const MiB = 1024 * 1024;

let h: ContractApp;
afterEach(async () => {
  await h?.close();
});
async function start(opts: Parameters<typeof startContractApp>[0] = {}) {
  h = await startContractApp(opts);
  await connectAccount(h.store, 'acc_42');
  return h;
}
const responseStatus = (responseId: string, accountId = 'acc_42') =>
  api(h.url, `/api/accounts/${accountId}/responses/${responseId}`);

/** Bodies of exactly `size` bytes: the sample event plus padding. */
function eventOfSize(size: number) {
  const ev = sampleEvent();
  const base = JSON.stringify({ ...ev, padding: '' });
  const raw = JSON.stringify({ ...ev, padding: 'x'.repeat(size - Buffer.byteLength(base)) });
  expect(Buffer.byteLength(raw)).toBe(size);
  return { ev, raw };
}

describe('§4 "POST /webhooks/credspark, Content-Type: application/json, body at most 1 MiB"', () => {
  beforeEach(() => start());

  it.each([
    'application/json',
    'application/json; charset=utf-8',
    'application/json;charset=UTF-8',
    'Application/JSON',
  ])('accepts Content-Type %j: 202 {"status":"queued"}', async (contentType) => {
    const r = await deliver(h.url, sampleEvent(), { contentType });
    expect(r.status).toBe(202);
    expect(r.json).toEqual({ status: 'queued' });
  });

  it.each([
    'text/plain',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'text/json',
    'application/jsonp',
    'application/json; charset=latin1',
    'application/json; charset=utf-16',
  ])('"415 not JSON": Content-Type %j, a JSON error body, nothing stored', async (contentType) => {
    const ev = sampleEvent();
    const r = await deliver(h.url, ev, { contentType });
    expect(r.status).toBe(415);
    expect(r.json).toEqual({ error: { code: 'UNSUPPORTED_MEDIA_TYPE', message: expect.any(String) } });
    expect((await responseStatus(ev.data.responseId)).status).toBe(404);
  });

  it('"415 not JSON": no Content-Type at all', async () => {
    expect((await deliver(h.url, sampleEvent(), { contentType: null })).status).toBe(415);
  });

  it('"body at most 1 MiB": exactly 1,048,576 bytes is accepted (202)', async () => {
    const { ev, raw } = eventOfSize(MiB);
    expect(await deliver(h.url, raw)).toMatchObject({ status: 202, json: { status: 'queued' } });
    expect((await responseStatus(ev.data.responseId)).json).toMatchObject({ status: 'queued' });
  });

  it('"413 too large": 1 MiB + 1 byte, validly signed, answers 413 with a JSON error and stores nothing', async () => {
    const { ev, raw } = eventOfSize(MiB + 1);
    const r = await deliver(h.url, raw);
    expect(r.status).toBe(413);
    expect(r.json).toEqual({ error: { code: 'PAYLOAD_TOO_LARGE', message: expect.any(String) } });
    expect((await responseStatus(ev.data.responseId)).status).toBe(404);
  });

  it('"413 too large": an oversized chunked body without Content-Length', async () => {
    const big = new Uint8Array(MiB + 10).fill(0x20);
    const res = await fetch(`${h.url}/webhooks/credspark`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: new ReadableStream({
        start(c) {
          c.enqueue(big);
          c.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
  });
});

describe('§4 "CredSpark-Signature: t=<unix seconds>,v1=<hex> where hex = HMAC-SHA256(secret, "<t>.<raw request body>")"', () => {
  it('accepts a header computed from the formula over the raw bytes (whitespace kept as sent)', async () => {
    await start();
    const raw = JSON.stringify(sampleEvent(), null, 2); // not the connector's own serialisation
    const t = nowSeconds();
    expect((await deliver(h.url, raw, { signature: `t=${t},v1=${sign(SECRET, t, raw)}` })).status).toBe(202);
  });

  it('"401 missing, bad or stale signature": each answered 401 with a JSON error, and nothing stored', async () => {
    await start();
    const ev = sampleEvent();
    const raw = JSON.stringify(ev);
    const t = nowSeconds();
    const good = sign(SECRET, t, raw);
    const cases: [string, Reply][] = [
      ['no header', await deliver(h.url, raw, { signature: null })],
      ['empty header', await deliver(h.url, raw, { signature: '' })],
      ['no v1', await deliver(h.url, raw, { signature: `t=${t}` })],
      ['no t', await deliver(h.url, raw, { signature: `v1=${good}` })],
      ['wrong secret', await deliver(h.url, raw, { secret: 'whsec_someone_else_0123456789' })],
      [
        'signed over other bytes',
        await deliver(h.url, raw.replace('Jane', 'Joan'), { signature: `t=${t},v1=${good}` }),
      ],
      ['t changed after signing', await deliver(h.url, raw, { signature: `t=${t - 1},v1=${good}` })],
      ['stale: 301 s old', await deliver(h.url, raw, { t: t - 301 })],
      ['from the future: 301 s ahead', await deliver(h.url, raw, { t: t + 301 })],
      ['garbage', await deliver(h.url, raw, { signature: 'hello' })],
    ];
    for (const [name, r] of cases) {
      expect({ name, status: r.status }).toEqual({ name, status: 401 });
      expect(r.json).toEqual({ error: { code: 'INVALID_SIGNATURE', message: expect.any(String) } });
    }
    expect((await responseStatus(ev.data.responseId)).status).toBe(404);
  });

  it('"Several v1= entries may appear (secret rotation)": valid when any of them matches', async () => {
    await start();
    for (const order of ['wrong-first', 'right-first'] as const) {
      const raw = JSON.stringify(sampleEvent());
      const t = nowSeconds();
      const right = sign(SECRET, t, raw);
      const wrong = sign('whsec_retired_0123456789', t, raw);
      const v1s = order === 'wrong-first' ? [wrong, right] : [right, wrong];
      const r = await deliver(h.url, raw, { signature: `t=${t},${v1s.map((v) => `v1=${v}`).join(',')}` });
      expect({ order, status: r.status }).toEqual({ order, status: 202 });
    }
  });

  it('"any v1 matches any configured secret": CREDSPARK_WEBHOOK_SECRET with two comma-separated secrets', async () => {
    await start({ env: { CREDSPARK_WEBHOOK_SECRET: 'whsec_new_0123456789, whsec_old_0123456789' } });
    expect((await deliver(h.url, sampleEvent(), { secret: 'whsec_new_0123456789' })).status).toBe(202);
    expect((await deliver(h.url, sampleEvent(), { secret: 'whsec_old_0123456789' })).status).toBe(202);
    expect((await deliver(h.url, sampleEvent(), { secret: SECRET })).status).toBe(401);
    // The separator is not part of a secret: neither the whole string nor a padded one signs.
    expect((await deliver(h.url, sampleEvent(), { secret: 'whsec_new_0123456789, whsec_old_0123456789' })).status).toBe(
      401,
    );
    expect((await deliver(h.url, sampleEvent(), { secret: ' whsec_old_0123456789' })).status).toBe(401);
  });

  describe('"|now − t| ≤ 300 s" (the connector\'s clock fixed; t in whole unix seconds)', () => {
    const T = 1_795_000_000;
    it.each([
      ['on a second boundary', 0],
      ['late in the second', 999],
    ])('%s: t = now − 300 and now + 300 accepted, now − 301 and now + 301 refused', async (_name, ms) => {
      await start({ clock: () => new Date(T * 1000 + ms) });
      expect((await deliver(h.url, sampleEvent(), { t: T - 300 })).status).toBe(202);
      expect((await deliver(h.url, sampleEvent(), { t: T + 300 })).status).toBe(202);
      expect((await deliver(h.url, sampleEvent(), { t: T - 301 })).status).toBe(401);
      expect((await deliver(h.url, sampleEvent(), { t: T + 301 })).status).toBe(401);
    });
  });
});

describe('§4 event types', () => {
  beforeEach(() => start());

  it('"response.completed (sync it)": 202 queued, visible as queued through the admin API, then handed to sync', async () => {
    const ev = sampleEvent({ responseId: 'rsp_9a8b7c' });
    expect(await deliver(h.url, ev)).toMatchObject({ status: 202, json: { status: 'queued' } });
    expect((await responseStatus('rsp_9a8b7c')).json).toEqual({
      status: 'queued',
      attempts: 0,
      updatedAt: expect.any(String),
    });
    await h.app.worker.runOnce();
    expect(h.sync.calls.flatMap((c) => c.responseIds)).toEqual(['rsp_9a8b7c']);
    expect((await responseStatus('rsp_9a8b7c')).json).toMatchObject({ status: 'synced' });
  });

  it('"response.deleted (acknowledged and recorded, never changes Salesforce)"', async () => {
    const completed = sampleEvent({ responseId: 'rsp_del' });
    await deliver(h.url, completed);
    await h.app.worker.runOnce();
    expect(h.sync.calls).toHaveLength(1);
    const before = (await responseStatus('rsp_del')).json;
    const deleted = {
      id: 'evt_deleted_1',
      type: 'response.deleted',
      createdAt: '2026-11-28T19:05:00Z',
      accountId: 'acc_42',
      data: { responseId: 'rsp_del' },
    };
    expect(await deliver(h.url, deleted)).toMatchObject({ status: 202, json: { status: 'queued' } });
    // Recorded: the same event id again is a duplicate.
    expect(await deliver(h.url, deleted)).toMatchObject({ status: 200, json: { status: 'duplicate' } });
    await h.app.worker.runOnce();
    expect(h.sync.calls).toHaveLength(1); // nothing sent to Salesforce
    expect((await responseStatus('rsp_del')).json).toEqual(before);
  });

  it('"interaction.updated (data.interaction with id, name and fields: [{key,label,type}]: refresh the interaction\'s catalogue)"', async () => {
    const ev = (id: string, fields: { key: string; label: string; type: string }[]) => ({
      id,
      type: 'interaction.updated',
      createdAt: '2026-11-28T19:00:01Z',
      accountId: 'acc_42',
      data: { interaction: { id: 'int_new', name: 'New Quiz', fields } },
    });
    const fields = [
      { key: 'email', label: 'Email', type: 'email' },
      { key: 'q1', label: 'Rating', type: 'number' },
    ];
    expect(await deliver(h.url, ev('evt_iu_1', fields))).toMatchObject({ status: 202, json: { status: 'queued' } });
    const [owed] = await h.store.interactionsToMirror('acc_42', 10);
    expect(owed).toMatchObject({ interactionId: 'int_new', name: 'New Quiz' });
    expect(JSON.parse(owed.fieldsJson)).toEqual(fields);
    expect((await h.store.queueStats(new Date())).queued).toBe(0); // no response to sync
    const bad = await deliver(h.url, ev('evt_iu_2', undefined as never));
    expect(bad.status).toBe(400);
    expect(bad.json.error.details.map((d: { field: string }) => d.field)).toEqual(['data.interaction.fields']);
  });

  it('"Any other type: 200 {"status":"ignored"} — forward compatible" (with a reason), whatever its data', async () => {
    const r = await deliver(h.url, {
      id: 'evt_future',
      type: 'interaction.archived',
      createdAt: '2026-11-28T19:00:01Z',
      accountId: 'acc_42',
      data: { whatever: [1, 2, 3] },
    });
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ status: 'ignored', reason: expect.any(String) });
  });
});

describe('§4 "Answer types … value may be null"', () => {
  beforeEach(() => start());
  const valid: [string, unknown][] = [
    ['first_name', 'Jane'],
    ['last_name', 'Smith'],
    ['email', 'jane@gmail.com'],
    ['text', 'Acme'],
    ['long_text', 'a\nlonger\ntext'],
    ['number', 12.5],
    ['boolean', false],
    ['date', '2026-11-28'],
    ['datetime', '2026-11-28T19:00:00Z'],
    ['single_choice', 'Demo'],
    ['multiple_choice', ['Pricing', 'Demo']],
    ['phone', '+1 555 0100'],
    ['url', 'https://example.com/x'],
  ];

  it.each(valid)('%s with value %j, and with value null: 202', async (type, value) => {
    const answers = [
      { key: 'a', type, label: 'A', value },
      { key: 'b', type, label: 'B', value: null },
    ];
    expect(await deliver(h.url, sampleEvent({ answers }))).toMatchObject({ status: 202 });
  });

  it.each([
    ['number', 'twelve'],
    ['boolean', 'yes'],
    ['date', '28/11/2026'],
    ['date', '2026-02-30'],
    ['datetime', 'tomorrow'],
    ['multiple_choice', 'Pricing'],
    ['multiple_choice', [1, 2]],
    ['email', 42],
  ])('%s with value %j: 400 naming data.answers.0.value (or its elements)', async (type, value) => {
    const r = await deliver(h.url, sampleEvent({ answers: [{ key: 'a', type, label: 'A', value }] }));
    expect(r.status).toBe(400);
    const fields: string[] = r.json.error.details.map((d: { field: string }) => d.field);
    expect(fields.length).toBeGreaterThan(0);
    for (const f of fields) expect(f).toMatch(/^data\.answers\.0\.value(\.\d+)?$/);
  });
});

describe('§4 Replies', () => {
  it('"202 {"status":"queued"} only after the event is durably stored": a restarted connector on the same database still has it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'contract-durable-'));
    const env = { DATABASE_URL: `sqlite:${join(dir, 'connector.db')}` };
    try {
      await start({ env });
      const ev = sampleEvent({ responseId: 'rsp_durable' });
      expect((await deliver(h.url, ev)).status).toBe(202);
      await h.close();
      h = await startContractApp({ env });
      expect((await responseStatus('rsp_durable')).json).toMatchObject({ status: 'queued' });
      expect(await deliver(h.url, ev)).toMatchObject({ status: 200, json: { status: 'duplicate' } });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('"200 {"status":"duplicate"} for an event id already stored (deliveries repeat)", exactly that body', async () => {
    await start();
    const ev = sampleEvent();
    expect((await deliver(h.url, ev)).json).toEqual({ status: 'queued' });
    const again = await deliver(h.url, ev);
    expect(again.status).toBe(200);
    expect(again.json).toEqual({ status: 'duplicate' });
    // Keyed by the event id: a redelivery re-signed later is still the same event.
    expect((await deliver(h.url, ev, { t: nowSeconds() - 60 })).json).toEqual({ status: 'duplicate' });
  });

  it('"200 {"status":"ignored","reason":…} for … an account with no active connection": never connected, or disconnected; every event type; nothing queued', async () => {
    await start();
    const events = (accountId: string) => [
      sampleEvent({ accountId }),
      {
        id: `evt_d_${accountId}`,
        type: 'response.deleted',
        createdAt: '2026-11-28T19:00:01Z',
        accountId,
        data: { responseId: 'rsp_1' },
      },
      {
        id: `evt_i_${accountId}`,
        type: 'interaction.updated',
        createdAt: '2026-11-28T19:00:01Z',
        accountId,
        data: { interaction: { id: 'int_1', name: 'Quiz', fields: [] } },
      },
    ];
    await h.store.markDisconnected('acc_42', 'disconnected_by_admin', new Date());
    for (const accountId of ['acc_never_connected', 'acc_42']) {
      for (const ev of events(accountId)) {
        const r = await deliver(h.url, ev);
        expect({ accountId, type: ev.type, status: r.status }).toEqual({ accountId, type: ev.type, status: 200 });
        expect(r.json).toEqual({ status: 'ignored', reason: expect.any(String) });
      }
    }
    expect((await h.store.queueStats(new Date())).queued).toBe(0);
    expect(await h.store.interactionsToMirror('acc_42', 10)).toEqual([]);
  });

  it('"200 {"status":"duplicate"} for an event id already stored (deliveries repeat)": also when the account was disconnected since the first delivery; a new event is ignored', async () => {
    await start();
    const ev = sampleEvent({ accountId: 'acc_42' });
    expect((await deliver(h.url, ev)).json).toEqual({ status: 'queued' });
    await h.store.markDisconnected('acc_42', 'disconnected_by_admin', new Date());
    expect((await deliver(h.url, ev)).json).toEqual({ status: 'duplicate' });
    const fresh = sampleEvent({ accountId: 'acc_42', id: 'evt_after_disconnect' });
    expect((await deliver(h.url, fresh)).json).toEqual({ status: 'ignored', reason: expect.any(String) });
  });

  it('"400 malformed JSON": a validly signed body that is not JSON', async () => {
    await start();
    for (const raw of ['{"id": "evt_1",', '', 'nope', '\uFEFF{}']) {
      const r = await deliver(h.url, raw);
      expect({ raw, status: r.status }).toEqual({ raw, status: 400 });
      expect(r.json).toEqual({ error: { code: 'MALFORMED_JSON', message: expect.any(String) } });
    }
  });

  it('"400 … schema (body names the bad fields)": every bad field named in error.details', async () => {
    await start();
    const ev = sampleEvent() as any;
    delete ev.id;
    ev.createdAt = 'yesterday';
    ev.data.completedAt = 42;
    ev.data.interaction.id = '';
    ev.data.answers[2].value = 42;
    const r = await deliver(h.url, ev);
    expect(r.status).toBe(400);
    expect(r.json).toEqual({
      error: {
        code: 'INVALID_EVENT',
        message: expect.any(String),
        details: expect.arrayContaining([{ field: expect.any(String), message: expect.any(String) }]),
      },
    });
    // The envelope is checked first (so an unknown type can be ignored): its bad fields come first.
    expect(r.json.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['createdAt', 'id']);
    ev.id = 'evt_schema_1';
    ev.createdAt = '2026-11-28T19:00:01Z';
    const r2 = await deliver(h.url, ev);
    expect(r2.json.error.details.map((d: { field: string }) => d.field).sort()).toEqual([
      'data.answers.2.value',
      'data.completedAt',
      'data.interaction.id',
    ]);
  });

  it.each([
    ['a JSON array', '[]'],
    ['null', 'null'],
    ['a string', '"event"'],
    ['an empty object', '{}'],
  ])('"400 … schema": %s names the missing envelope fields', async (_name, raw) => {
    await start();
    const r = await deliver(h.url, raw);
    expect(r.status).toBe(400);
    expect(r.json.error.details.length).toBeGreaterThan(0);
  });
});

/** Bad input of every kind, validly signed unless the case is about the signature. */
function badInputs(): { name: string; body: string | Buffer; opts?: Parameters<typeof deliver>[2] }[] {
  const withData = (patch: (ev: any) => void) => {
    const ev = sampleEvent() as any;
    patch(ev);
    return JSON.stringify(ev);
  };
  let deep = '1';
  for (let i = 0; i < 20_000; i++) deep = `[${deep}]`;
  return [
    { name: 'NUL in data.responseId', body: withData((ev) => (ev.data.responseId = 'rsp\u0000x')) },
    { name: 'NUL in the event id', body: withData((ev) => (ev.id = 'evt\u0000x')) },
    { name: 'NUL in the interaction id', body: withData((ev) => (ev.data.interaction.id = 'int\u0000x')) },
    { name: 'NUL in the interaction name', body: withData((ev) => (ev.data.interaction.name = 'Quiz\u0000')) },
    { name: 'a 300-character event id', body: withData((ev) => (ev.id = 'e'.repeat(300))) },
    { name: 'a 65-character accountId', body: withData((ev) => (ev.accountId = 'a'.repeat(65))) },
    { name: 'accountId with a slash', body: withData((ev) => (ev.accountId = '../acc')) },
    { name: 'type is a number', body: withData((ev) => (ev.type = 7)) },
    { name: 'score 1e400 (Infinity)', body: JSON.stringify(sampleEvent()).replace('"score":80', '"score":1e400') },
    { name: 'completedAt 30 February', body: withData((ev) => (ev.data.completedAt = '2026-02-30T00:00:00Z')) },
    { name: 'answers is an object', body: withData((ev) => (ev.data.answers = { a: 1 })) },
    { name: 'an unknown answer type', body: withData((ev) => (ev.data.answers[0].type = 'rating')) },
    { name: '__proto__ as data', body: withData((ev) => (ev.data = JSON.parse('{"__proto__":{"x":1}}'))) },
    { name: 'JSON nested 20,000 deep', body: deep },
    { name: 'invalid UTF-8 bytes', body: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]) },
    {
      name: 'Content-Encoding gzip that is not gzip',
      body: JSON.stringify(sampleEvent()),
      opts: { headers: { 'content-encoding': 'gzip' } },
    },
    {
      name: 'an unknown Content-Encoding',
      body: JSON.stringify(sampleEvent()),
      opts: { headers: { 'content-encoding': 'snappy' } },
    },
    {
      name: 'a 20-digit timestamp',
      body: JSON.stringify(sampleEvent()),
      opts: { signature: `t=${'9'.repeat(20)},v1=00` },
    },
  ];
}

function neverFiveHundred(storeName: string, openTestStore?: () => Promise<Store>) {
  describe(`§4 "Never 5xx for bad input" (${storeName} store)`, () => {
    beforeEach(async () => {
      await start(openTestStore ? { store: await openTestStore() } : {});
    });

    it.each(badInputs().map((c) => [c.name, c] as const))('%s: a 4xx with a JSON error body', async (_name, c) => {
      const r = await deliver(h.url, c.body, c.opts);
      expect(r.status).toBeGreaterThanOrEqual(400);
      expect(r.status).toBeLessThan(500);
      expect(r.json).toEqual({ error: expect.objectContaining({ code: expect.any(String) }) });
    });

    it('a NUL character in an id is a 400 naming the field (Postgres text cannot hold it)', async () => {
      const ev = sampleEvent() as any;
      ev.data.responseId = 'rsp\u0000x';
      const r = await deliver(h.url, ev);
      expect(r.status).toBe(400);
      expect(r.json.error.details.map((d: { field: string }) => d.field)).toEqual(['data.responseId']);
    });

    it('the admin API answers 4xx, not 5xx, for a control character in a response id', async () => {
      const r = await api(h.url, '/api/accounts/acc_42/responses/rsp%00x');
      expect(r.status).toBe(400);
      expect((await api(h.url, '/api/accounts/acc_42/responses/rsp%00x/retry', { method: 'POST' })).status).toBe(400);
    });
  });
}

neverFiveHundred('SQLite');

// The same on Postgres when one is reachable (CI starts one; .ci/run). Each run gets its own schema.
if (postgresReachable(TEST_PG_URL)) {
  let n = 0;
  neverFiveHundred('Postgres', async () => {
    const schema = `contract_${process.pid}_${n++}`;
    const admin = async (sql: string) => {
      const c = new Client({ connectionString: TEST_PG_URL });
      await c.connect();
      try {
        await c.query(sql);
      } finally {
        await c.end();
      }
    };
    await admin(`CREATE SCHEMA ${schema}`);
    const store = new PgStore({ connectionString: TEST_PG_URL, options: `-c search_path=${schema}`, max: 3 });
    await store.migrate();
    const close = store.close.bind(store);
    store.close = async () => {
      await close();
      await admin(`DROP SCHEMA ${schema} CASCADE`);
    };
    return store;
  });
} else {
  if (process.env.CI) throw new Error(`Postgres at ${TEST_PG_URL.replace(/:[^:@/]*@/, ':***@')} is unreachable`);
  console.warn('§4 never-5xx on Postgres not run: Postgres unreachable (set TEST_DATABASE_URL)');
}
