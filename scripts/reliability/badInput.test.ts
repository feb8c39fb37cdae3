/**
 * Issue 9 "Bad input": property-based fuzzing (fast-check, fixed seed) of webhook bodies and
 * headers against the real connector over HTTP. Properties: only 2xx/4xx (never 5xx), /healthz
 * stays ok, and the store holds exactly one event per 202 (nothing stored for a rejected request).
 */
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { signatureHeader } from '../../connector/src/intake/signature';
import { ADMIN_TOKEN, post, postSigned, responseEvent, SECRET, type SeededStack, startSeededStack } from './stack';
import { writeFigures } from './figures';

const RUNS = Number(process.env.RELIABILITY_FUZZ_RUNS ?? 2500); // per property; 4 properties
const SEED = 20261129;
const ACCOUNT = 'acc_fuzz';

let s: SeededStack;
let db: Database.Database;
let accepted = 0;
let requests = 0;
const statuses = new Map<number, number>();
const countEvents = () => (db.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n;

beforeAll(async () => {
  s = await startSeededStack(ACCOUNT, { runWorker: false, logLevel: 'warn' });
  db = s.db;
}, 60_000);
afterAll(async () => {
  await s?.close();
});

async function check(res: { status: number }) {
  requests++;
  statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
  if (res.status === 202) accepted++;
  expect(res.status).toBeGreaterThanOrEqual(200);
  expect(res.status).toBeLessThan(500);
}

// Values that stress the schema: wrong types, huge and odd strings, nesting.
const weird = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.constantFrom(
    null,
    '',
    ' ',
    0,
    -1,
    1e308,
    true,
    [],
    {},
    '__proto__',
    "' OR Email != null OR Email = '",
    'x'.repeat(70_000),
  ),
);
const validEvent = fc
  .tuple(fc.integer({ min: 0, max: 1e9 }), fc.emailAddress())
  .map(([n, email]) => responseEvent(ACCOUNT, `rsp_fuzz_${n}`, email));
const mutated = fc
  .tuple(
    validEvent,
    fc.constantFrom(
      'id',
      'type',
      'createdAt',
      'accountId',
      'data',
      'data.responseId',
      'data.interaction',
      'data.completedAt',
      'data.answers',
      'data.score',
      'data.answers.0.value',
      'data.answers.2.value',
      'data.answers.1',
    ),
    weird,
  )
  .map(([ev, path, value]) => {
    const copy = JSON.parse(JSON.stringify(ev));
    const keys = path.split('.');
    let o = copy;
    for (const k of keys.slice(0, -1)) o = o[k];
    o[keys[keys.length - 1]] = value;
    return copy;
  });

describe('fuzzed webhooks never cause a 5xx and store nothing they reject', () => {
  const started = Date.now();
  afterAll(() => {
    writeFigures('bad-input', {
      runsPerProperty: RUNS,
      requests,
      accepted202: accepted,
      statuses: Object.fromEntries(statuses),
      seconds: Math.round((Date.now() - started) / 100) / 10,
    });
  });

  it('signed arbitrary JSON bodies', async () => {
    const before = countEvents();
    const before202 = accepted;
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 6 }), async (body) => {
        await check(await postSigned(s, JSON.stringify(body)));
      }),
      { numRuns: RUNS, seed: SEED },
    );
    expect(countEvents() - before).toBe(accepted - before202);
  });

  it('signed valid events with one field replaced by an odd value', async () => {
    const before = countEvents();
    const before202 = accepted;
    await fc.assert(
      fc.asyncProperty(mutated, async (body) => {
        await check(await postSigned(s, body));
      }),
      { numRuns: RUNS, seed: SEED + 1 },
    );
    // Only stored when the replacement happened to be valid; exactly one row per 202.
    expect(countEvents() - before).toBe(accepted - before202);
  });

  it('arbitrary bytes, content types and signature headers', async () => {
    const before = countEvents();
    const header = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc
        .tuple(fc.integer(), fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 64, maxLength: 64 }))
        .map(([t, h]) => `t=${t},v1=${h}`),
      fc.constant('t=,v1='),
      fc.constant('v1=' + 'a'.repeat(64)),
      fc.constant(`t=${'9'.repeat(400)},v1=00`),
    );
    const ct = fc.constantFrom(
      'application/json',
      'application/json; charset=utf-8',
      'application/json; charset=latin1',
      'text/plain',
      'application/x-www-form-urlencoded',
      '',
      'APPLICATION/JSON',
    );
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 2_000 }), header, ct, async (bytes, sig, type) => {
        const headers: Record<string, string> = { 'credspark-signature': sig };
        if (type) headers['content-type'] = type;
        const res = await post(s.url, Buffer.from(bytes), headers);
        await check(res);
        expect(res.status).not.toBe(202); // nothing forged gets in
      }),
      { numRuns: RUNS, seed: SEED + 2 },
    );
    expect(countEvents()).toBe(before);
  });

  it('valid events signed with a wrong secret or a stale timestamp (replays outside the 300 s tolerance) are 401', async () => {
    const before = countEvents();
    await fc.assert(
      fc.asyncProperty(
        validEvent,
        fc.oneof(fc.integer({ min: 301, max: 10_000_000 }), fc.integer({ min: -10_000_000, max: -301 })),
        fc.boolean(),
        async (ev, skew, wrongSecret) => {
          const raw = JSON.stringify(ev);
          const nowSec = Math.floor(s.now().getTime() / 1000);
          const sig = wrongSecret
            ? signatureHeader(['whsec_not_the_secret_0000'], raw, nowSec)
            : signatureHeader([SECRET], raw, nowSec + skew);
          const res = await post(s.url, raw, { 'content-type': 'application/json', 'credspark-signature': sig });
          await check(res);
          expect(res.status).toBe(401);
        },
      ),
      { numRuns: RUNS, seed: SEED + 3 },
    );
    expect(countEvents()).toBe(before);
  });
});

describe('hand-made hostile inputs', () => {
  it('a replay of a once-accepted delivery after the tolerance is refused; within it, it is a duplicate', async () => {
    const ev = responseEvent(ACCOUNT, 'rsp_replay', 'replay@example.com');
    const raw = JSON.stringify(ev);
    const t = Math.floor(s.now().getTime() / 1000);
    const header = signatureHeader([SECRET], raw, t);
    const send = () => post(s.url, raw, { 'content-type': 'application/json', 'credspark-signature': header });
    expect((await send()).status).toBe(202);
    expect((await send()).status).toBe(200); // same event id: duplicate, stored once
    s.advance(301_000);
    try {
      expect((await send()).status).toBe(401);
    } finally {
      s.advance(-301_000);
    }
  });

  it('oversized bodies (over 1 MiB) are 413, deeply nested JSON is a 400, invalid UTF-8 is a 4xx or a replacement character — never a 5xx', async () => {
    const before = countEvents();
    const big = JSON.stringify({
      ...responseEvent(ACCOUNT, 'rsp_big', 'big@example.com'),
      pad: 'x'.repeat(1024 * 1024 + 10),
    });
    expect((await postSigned(s, big)).status).toBe(413);
    const deep = '['.repeat(100_000) + ']'.repeat(100_000); // JSON.parse copes; the schema refuses
    expect((await postSigned(s, deep)).status).toBe(400);
    const deepObj = '{"a":'.repeat(50_000) + '1' + '}'.repeat(50_000);
    expect((await postSigned(s, deepObj)).status).toBe(400);
    const ev = JSON.stringify(responseEvent(ACCOUNT, 'rsp_utf8', 'utf8@example.com', 'PLACEHOLDER'));
    const bytes = Buffer.concat([
      Buffer.from(ev.split('PLACEHOLDER')[0]),
      Buffer.from([0xc3, 0x28, 0xff, 0xfe, 0xed, 0xa0, 0x80]),
      Buffer.from(ev.split('PLACEHOLDER')[1]),
    ]);
    const t = Math.floor(s.now().getTime() / 1000);
    const r = await post(s.url, bytes, {
      'content-type': 'application/json',
      'credspark-signature': signatureHeader([SECRET], bytes, t),
    });
    expect([202, 400]).toContain(r.status);
    expect(countEvents() - before).toBe(r.status === 202 ? 1 : 0);
    if (r.status === 202) {
      const body = (db.prepare("SELECT body FROM events WHERE event_id LIKE '%rsp_utf8'").get() as { body: string })
        .body;
      expect(() => JSON.parse(body)).not.toThrow(); // stored as well-formed text (U+FFFD), so the worker can read it
    }
    expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
  });

  it('the admin API refuses a missing, wrong, or almost-right bearer (401) on every route', async () => {
    const routes: [string, string][] = [
      ['GET', `/api/accounts/${ACCOUNT}/connection`],
      ['DELETE', `/api/accounts/${ACCOUNT}/connection`],
      ['POST', `/api/accounts/${ACCOUNT}/connect`],
      ['GET', `/api/accounts/${ACCOUNT}/responses`],
      ['GET', '/api/nope'],
    ];
    const bearers = [
      undefined,
      'Bearer ',
      'Bearer wrong',
      `Bearer ${ADMIN_TOKEN.slice(0, -1)}`,
      `Bearer ${ADMIN_TOKEN}x`,
      ADMIN_TOKEN,
      `Basic ${ADMIN_TOKEN}`,
      `bearer  ${ADMIN_TOKEN} extra`,
    ];
    for (const [method, path] of routes) {
      for (const b of bearers) {
        const res = await fetch(`${s.url}${path}`, { method, headers: b === undefined ? {} : { authorization: b } });
        expect({ method, path, b, status: res.status }).toEqual({ method, path, b, status: 401 });
      }
    }
    // Still connected: none of those DELETEs went through.
    const ok = await fetch(`${s.url}/api/accounts/${ACCOUNT}/connection`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(((await ok.json()) as { status: string }).status).toBe('connected');
  });

  it('OAuth callbacks with a forged or missing state are refused and connect nothing', async () => {
    for (const q of [
      'state=forged&code=abc',
      'code=abc',
      'state=&code=',
      `state=${'a'.repeat(5000)}&code=x`,
      'state[]=a&code=b',
    ]) {
      const res = await fetch(`${s.url}/oauth/callback?${q}`, { redirect: 'manual' });
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
    }
    expect((db.prepare('SELECT COUNT(*) AS n FROM connections').get() as { n: number }).n).toBe(1);
  });

  it('the process is still healthy and ready', async () => {
    expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${s.url}/readyz`)).status).toBe(200);
  });
});
