/**
 * Issue 9 "Faults" and the SOQL-injection half of "Bad input": the real connector (worker, sync
 * engine, jsforce) against the local org with injected faults (`POST /__local/orgs/:id/faults`).
 * Salesforce behaviours emulated: 503 SERVER_UNAVAILABLE, per-record UNABLE_TO_LOCK_ROW
 * ("Record Locking Cheat Sheet"), INVALID_SESSION_ID after session expiry (refresh-token flow),
 * 403 REQUEST_LIMIT_EXCEEDED ("API Request Limits and Allocations").
 */
import Database from 'better-sqlite3';
import {
  apiCalls,
  orgRecords,
  postSigned,
  responseEvent,
  type SeededStack,
  setFaults,
  sleep,
  startSeededStack,
  waitUntil,
} from './stack';
import { writeFigures } from './figures';

const N = Number(process.env.RELIABILITY_FAULT_RESPONSES ?? 1000);
const LIMIT_WINDOW_MS = 30_000;
const ACCOUNT = 'acc_faults';

let s: SeededStack;
let db: Database.Database;
const figures: Record<string, unknown> = {};
const statusCounts = () =>
  Object.fromEntries(
    (
      db.prepare('SELECT status, COUNT(*) AS n FROM responses GROUP BY status').all() as { status: string; n: number }[]
    ).map((r) => [r.status, r.n]),
  );
/** credspark_salesforce_calls_total summed over labels, from the connector's /metrics. */
async function connectorCalls(): Promise<number> {
  const text = await (await fetch(`${s.url}/metrics`)).text();
  return text
    .split('\n')
    .filter((l) => l.startsWith('credspark_salesforce_calls_total{'))
    .reduce((n, l) => n + Number(l.split(' ').pop()), 0);
}
const queued = () =>
  (db.prepare("SELECT COUNT(*) AS n FROM responses WHERE status = 'queued'").get() as { n: number }).n;

beforeAll(async () => {
  // Small batches so the faults hit many calls.
  s = await startSeededStack(ACCOUNT, { logLevel: 'warn', worker: { batchSize: 25, concurrency: 2 } });
  db = s.db;
}, 60_000);
afterAll(async () => {
  writeFigures('faults', figures);
  await s?.close();
});

// SOQL-injection shapes (valid per RFC 5322 atext, so CredSpark and Salesforce accept them).
const INJECTION_LOCALS = ["o'brien", "x'or'1'='1", "a'+or+email!='", 'a_b', 'a%b', "'--", "x''y"];
const email = (i: number) =>
  i % 10 === 0 ? `${INJECTION_LOCALS[(i / 10) % INJECTION_LOCALS.length]}.${i}@example.com` : `fault.${i}@example.com`;
const lastName = (i: number) =>
  i % 7 === 0 ? `O'Hara' OR Name != '' --${i}` : i % 11 === 0 ? `\\'; DELETE FROM Contact; --${i}` : `Fault${i}`;
// Existing Contacts whose emails a widened (LIKE/unescaped) query would also match.
const decoy = (i: number) => email(i).replace(/['%_=!+]/g, 'x');

it(`syncs ${N} responses exactly once through 503s, UNABLE_TO_LOCK_ROW, expiring sessions and latency — injection shapes matched exactly`, async () => {
  const decoys = Array.from({ length: N }, (_, i) => i)
    .filter((i) => i % 10 === 0)
    .map((i) => ({ LastName: 'Decoy', Email: decoy(i) }));
  const existing = Array.from({ length: N }, (_, i) => i)
    .filter((i) => i % 10 !== 0 && i % 2 === 0)
    .map((i) => ({ LastName: 'Before', Email: email(i) }));
  await fetch(`${s.org.url}/__local/orgs/${s.org.demo.orgId}/records/Contact`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify([...decoys, ...existing]),
  });

  const faults = { http503Rate: 0.1, lockRowRate: 0.05, expireSessionEvery: 20, latencyMs: 300, seed: 42 };
  await setFaults(s.org, faults);
  const started = Date.now();
  const before = await apiCalls(s.org);
  for (let i = 0; i < N; i += 20) {
    const res = await Promise.all(
      Array.from({ length: Math.min(20, N - i) }, (_, k) =>
        postSigned(s, responseEvent(ACCOUNT, `rsp_f_${i + k}`, email(i + k), lastName(i + k))),
      ),
    );
    for (const r of res) expect(r.status).toBe(202);
  }
  expect(await waitUntil(() => queued() === 0, 150_000, 500)).toBe(true);
  await setFaults(s.org, {});
  expect(statusCounts()).toEqual({ synced: N });
  // attempts counts recorded outcomes: 1 = synced at the first try; more = retried after a fault.
  const { retried, attempts } = db
    .prepare('SELECT SUM(attempts > 1) AS retried, SUM(attempts) AS attempts FROM responses')
    .get() as { retried: number; attempts: number };
  expect(retried).toBeGreaterThan(0); // the faults did hit

  const contacts = await orgRecords<{ Email?: string; LastName: string }>(s.org, 'Contact');
  for (let i = 0; i < N; i++) {
    const mine = contacts.filter((c) => c.Email === email(i));
    expect({ i, names: mine.map((c) => c.LastName) }).toEqual({ i, names: [lastName(i)] });
  }
  for (const d of decoys) expect(contacts.filter((c) => c.Email === d.Email).map((c) => c.LastName)).toEqual(['Decoy']);
  Object.assign(figures, {
    faultPhase: {
      responses: N,
      faults,
      responsesRetried: retried,
      syncAttempts: attempts,
      apiCallsToOrg: (await apiCalls(s.org)) - before,
      seconds: Math.round((Date.now() - started) / 1000),
      injectionShapedEmails: decoys.length,
      lost: 0,
      duplicated: 0,
    },
  });
}, 200_000);

it('backs off during a REQUEST_LIMIT_EXCEEDED window (calls counted) and syncs everything after it', async () => {
  const M = 100;
  await setFaults(s.org, { requestLimitExceededForMs: LIMIT_WINDOW_MS });
  const windowStart = Date.now();
  const before = await apiCalls(s.org);
  const callsBefore = await connectorCalls();
  for (let i = 0; i < M; i++)
    expect(
      (await postSigned(s, responseEvent(ACCOUNT, `rsp_l_${i}`, `limit.${i}@example.com`, `Limit${i}`))).status,
    ).toBe(202);
  await sleep(Math.max(0, LIMIT_WINDOW_MS - (Date.now() - windowStart)));
  // The org counts only the calls it served (0 here); the connector counts every call it made.
  const duringWindow = (await connectorCalls()) - callsBefore;
  const attempts = (
    db.prepare("SELECT SUM(attempts) AS n FROM responses WHERE response_id LIKE 'rsp_l_%'").get() as { n: number }
  ).n;
  // The first refused batch pauses the account until its first retry is due (the hint: 15
  // minutes), so responses arriving during the window wait without costing calls. Without that
  // pause each new arrival would cost one refused call per batch; without any backoff the worker
  // (poll 100 ms) would retry every poll.
  expect(duringWindow).toBeGreaterThan(0);
  expect(duringWindow).toBeLessThanOrEqual(5);
  // "TotalRequests Limit exceeded." is the org's spent daily allocation (SPEC §7): the org is held
  // (waitingFor ORG_API_LIMIT) and the refused batch is released with its attempts untouched — a
  // hold is not a failed try, so it never eats into a response's retry window.
  expect(attempts).toBe(0);
  const waiting = db
    .prepare("SELECT COUNT(*) AS n FROM responses WHERE status = 'queued' AND response_id LIKE 'rsp_l_%'")
    .get() as { n: number };
  expect(waiting.n).toBe(M);
  await sleep(2_000);
  expect((await connectorCalls()) - callsBefore).toBe(duringWindow); // still waiting after the window
  expect((await apiCalls(s.org)) - before).toBe(0);
  // Skip the 15 minutes on the connector's clock (see stack.ts) instead of sleeping them.
  s.advance(16 * 60_000);
  s.app.worker.wake();
  expect(await waitUntil(() => queued() === 0, 60_000, 300)).toBe(true);
  expect(statusCounts()).toEqual({ synced: N + M });
  const contacts = await orgRecords<{ Email?: string }>(s.org, 'Contact');
  for (let i = 0; i < M; i++) expect(contacts.filter((c) => c.Email === `limit.${i}@example.com`)).toHaveLength(1);
  figures.limitWindow = {
    responses: M,
    windowMs: LIMIT_WINDOW_MS,
    connectorCallsDuringWindow: duringWindow,
    attemptsDuringWindow: attempts,
    retryHintMs: 15 * 60_000,
    lost: 0,
    duplicated: 0,
  };
}, 120_000);
