/**
 * `npm run bench` — the benchmarks of issue 8, side by side in one run; prints the figures and
 * writes docs/benchmarks.md. Not part of `npm test` (no timed assertions anywhere).
 *   BENCH_QUICK=1         shorter runs (smoke test of the script itself; figures not comparable)
 *   BENCH_ONLY=intake,cost,throughput,latency,memory,economy,fairness,fleet,pgscale,orgmemory   run a
 *                         subset (the report keeps the other sections' figures from the file it replaces)
 *   BENCH_CPU_PROF=<dir>  write a V8 CPU profile of the SQLite intake child into <dir>
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Client } from 'pg';
import { connectDemoAccount } from '../../connector/src/localMode/connectDemo';
import { createSyncEngine } from '../../connector/src/sync/syncResponses';
import {
  ADMIN_TOKEN,
  completedEvent,
  freePort,
  load,
  percentile,
  postWebhook,
  SECRET,
  signed,
  sleep,
  startChild,
  fmt,
  type Child,
  type LoadResult,
  type Signed,
} from './lib';
import {
  apiCalls,
  claimedResponses,
  connectJsforce,
  control,
  naiveSync,
  resetApiCalls,
  seedContacts,
  seedRule,
  setLatency,
  startLocalOrg,
  syncContext,
  type LocalOrg,
} from './org';
import { economy } from './economy';
import { writeReport, type Results } from './report';
import { fairness, fleet, orgMemory } from './tenants';
import { pgScale } from './pgScale';

const QUICK = process.env.BENCH_QUICK === '1';
/** BENCH_ONLY=intake,cost,throughput,latency,memory runs a subset (report marks the rest not measured). */
const ONLY = process.env.BENCH_ONLY?.split(',').map((s) => s.trim());
const only = (phase: string) => !ONLY || ONLY.includes(phase);
const PG_ADMIN_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DURATION = QUICK ? 3 : 10;
const CONNECTIONS = 50;
const ACCOUNT = 'acc_bench';
const log = (...a: unknown[]) => console.log(...a);

const dir = mkdtempSync(join(tmpdir(), 'credspark-bench-'));
const results: Results = {
  startedAt: new Date(),
  quick: QUICK,
  notes: [],
  loadAverage: loadavg(),
  only: ONLY,
} as Results;

function connectorEnv(
  port: number,
  databaseUrl: string,
  org?: LocalOrg,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    BENCH_TARGET: 'connector',
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    DATABASE_URL: databaseUrl,
    CREDSPARK_WEBHOOK_SECRET: SECRET,
    CONNECTOR_ADMIN_TOKEN: ADMIN_TOKEN,
    SF_CLIENT_ID: org?.demo.clientId ?? 'bench-client',
    SF_CLIENT_SECRET: org?.demo.clientSecret ?? 'bench-secret',
    SF_LOGIN_URL: org?.url ?? 'http://127.0.0.1:9',
    TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 9).toString('base64'),
    LOG_LEVEL: 'info',
    ...extra,
  };
}

const newSigned = (email = `load.${Math.random().toString(36).slice(2)}@example.com`) =>
  signed(completedEvent(ACCOUNT, email));
const pool = (n: number): Signed[] =>
  Array.from({ length: n }, (_, i) => newSigned(`load.${i}.${Date.now()}@example.com`));

// --- 1. intake ---------------------------------------------------------------------------------
async function intakeRun(name: string, child: Child): Promise<LoadResult> {
  await load(child.url, { connections: CONNECTIONS, duration: QUICK ? 1 : 3, pool: [], more: () => newSigned() }); // warm-up (JIT, pools)
  const r = await load(child.url, {
    connections: CONNECTIONS,
    duration: DURATION,
    pool: pool(QUICK ? 15_000 : 60_000),
    more: () => newSigned(),
  });
  log(
    `  ${name.padEnd(9)} ${fmt(r.rps)} req/s  p50 ${r.p50} ms  p99 ${r.p99} ms  codes ${JSON.stringify(r.codes)}  errors ${r.errors}  peak RSS ${fmt(child.peakRssMb())} MB`,
  );
  return r;
}

async function intake(): Promise<void> {
  log(
    `1. Intake — autocannon, ${CONNECTIONS} connections, ${DURATION} s each, distinct pre-signed response.completed events`,
  );
  const bare = await startChild({ BENCH_TARGET: 'bare' });
  results.intakeBare = await intakeRun('bare', bare);
  await bare.stop();

  const port = await freePort();
  const sqlite = await startChild(
    connectorEnv(port, `sqlite:${join(dir, 'intake.db')}`, undefined, {
      BENCH_RUN_WORKER: '0',
      BENCH_FAKE_CONNECTION: ACCOUNT,
    }),
    { cpuProf: process.env.BENCH_CPU_PROF && join(process.env.BENCH_CPU_PROF, 'sqlite') },
  );
  results.intakeSqlite = await intakeRun('sqlite', sqlite);
  results.intakeSqlitePeakRssMb = sqlite.peakRssMb();
  await sqlite.stop();

  const dbName = `credspark_bench_${process.pid}`;
  const admin = new Client({ connectionString: PG_ADMIN_URL });
  try {
    await admin.connect();
    results.postgresVersion = (
      (await admin.query('SHOW server_version')).rows[0] as { server_version: string }
    ).server_version;
    await admin.query(`CREATE DATABASE ${dbName}`);
    const pgPort = await freePort();
    const pg = await startChild(
      connectorEnv(pgPort, PG_ADMIN_URL.replace(/\/[^/]*$/, `/${dbName}`), undefined, {
        BENCH_RUN_WORKER: '0',
        BENCH_FAKE_CONNECTION: ACCOUNT,
      }),
      { cpuProf: process.env.BENCH_CPU_PROF && join(process.env.BENCH_CPU_PROF, 'postgres') },
    );
    results.intakePostgres = await intakeRun('postgres', pg);
    await pg.stop();
  } catch (err) {
    results.notes.push(`Postgres intake not measured: ${err instanceof Error ? err.message : String(err)}`);
    log(`  postgres  not measured: ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch(() => undefined);
    await admin.end().catch(() => undefined);
  }
}

// --- 2 and 3. Salesforce API cost and throughput (syncResponses in this process) -----------------
const emailsFor = (tag: string, n: number) => Array.from({ length: n }, (_, i) => `${tag}.${i}@example.com`);

/** Half the emails exist as Contacts before the run. */
async function halfExisting(org: LocalOrg, tag: string, n: number): Promise<string[]> {
  const emails = emailsFor(tag, n);
  await seedContacts(
    org,
    emails.filter((_, i) => i % 2 === 0),
  );
  return emails;
}

async function batched(
  org: LocalOrg,
  tag: string,
  n: number,
  batchSize: number,
): Promise<{ calls: number; byKind: Record<string, number>; seconds: number; synced: number }> {
  const conn = await connectJsforce(org);
  const ctx = syncContext(conn, org);
  const responses = claimedResponses(await halfExisting(org, tag, n));
  const { sync: syncResponses } = createSyncEngine(); // cold caches: the first batch pays for settings and describe
  await resetApiCalls(org);
  const t0 = performance.now();
  let synced = 0;
  for (let i = 0; i < responses.length; i += batchSize) {
    const out = await syncResponses(ctx, responses.slice(i, i + batchSize));
    for (const o of out.values()) if (o.status === 'synced') synced++;
  }
  const seconds = (performance.now() - t0) / 1000;
  const { total, byKind } = await apiCalls(org);
  return { calls: total, byKind, seconds, synced };
}

async function naive(
  org: LocalOrg,
  tag: string,
  n: number,
): Promise<{ calls: number; seconds: number; synced: number }> {
  const conn = await connectJsforce(org);
  const responses = claimedResponses(await halfExisting(org, tag, n));
  await resetApiCalls(org);
  const t0 = performance.now();
  const synced = await naiveSync(conn, responses);
  const seconds = (performance.now() - t0) / 1000;
  return { calls: (await apiCalls(org)).total, seconds, synced };
}

async function apiCost(org: LocalOrg): Promise<void> {
  log('2. Salesforce API cost — 1,000 responses, one org, half new / half existing emails, cold caches');
  const b1000 = await batched(org, 'cost.b1000', 1000, 1000);
  const b500 = await batched(org, 'cost.b500', 1000, 500);
  const nv = await naive(org, 'cost.naive', 1000);
  results.apiCost = { batched1000: b1000, batched500: b500, naive: nv };
  log(`  batched (1 batch of 1,000)    ${b1000.calls} calls  ${JSON.stringify(b1000.byKind)}  synced ${b1000.synced}`);
  log(`  batched (2 batches of 500)    ${b500.calls} calls  ${JSON.stringify(b500.byKind)}  synced ${b500.synced}`);
  log(`  naive (query + write each)    ${nv.calls} calls  synced ${nv.synced}`);
}

async function throughput(org: LocalOrg): Promise<void> {
  const n = QUICK ? 1000 : 5000;
  const nNaive = QUICK ? 10 : 30;
  log(
    `3. Throughput at 150 ms per Salesforce call — syncResponses in batches of 500 (${fmt(n)} responses) vs naive (${nNaive})`,
  );
  await setLatency(org, 150);
  try {
    const b = await batched(org, 'tp.b', n, 500);
    const nv = await naive(org, 'tp.naive', nNaive);
    results.throughput = {
      batched: { ...b, n, rate: b.synced / b.seconds },
      naive: { ...nv, n: nNaive, rate: nv.synced / nv.seconds },
    };
    log(
      `  batched  ${fmt(b.synced / b.seconds)} responses/s (${b.synced} in ${fmt(b.seconds, 1)} s, ${b.calls} calls)`,
    );
    log(
      `  naive    ${fmt(nv.synced / nv.seconds, 1)} responses/s (${nv.synced} in ${fmt(nv.seconds, 1)} s, ${nv.calls} calls)`,
    );
  } finally {
    await setLatency(org, 0);
  }
}

// --- 3b, 4, 5. Through the whole connector (child process, real worker) -------------------------
async function connectedConnector(org: LocalOrg, dbFile: string, extra: Record<string, string> = {}): Promise<Child> {
  const port = await freePort();
  const child = await startChild(connectorEnv(port, `sqlite:${dbFile}`, org, extra));
  await connectDemoAccount({ connectorUrl: child.url, adminToken: ADMIN_TOKEN, accountId: ACCOUNT, loginUrl: org.url });
  return child;
}

async function statusOf(child: Child, responseId: string): Promise<string | undefined> {
  const r = await fetch(`${child.url}/api/accounts/${ACCOUNT}/responses/${responseId}`, {
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
  });
  if (r.status !== 200) {
    await r.arrayBuffer();
    return undefined;
  }
  return ((await r.json()) as { status: string }).status;
}

async function latencyAndPipeline(org: LocalOrg): Promise<void> {
  const dbFile = join(dir, 'e2e.db');
  const total = QUICK ? 1000 : 5000;
  log(
    `3b. Through the whole connector at 150 ms per call — ${fmt(total)} responses queued by signed webhooks, then drained by the worker`,
  );
  const countIn = (status: string) => {
    const db = new Database(dbFile, { readonly: true });
    try {
      return (db.prepare('SELECT COUNT(*) AS n FROM responses WHERE status = ?').get(status) as { n: number }).n;
    } finally {
      db.close();
    }
  };
  // Fill: worker off, so the queue is complete before the drain is timed.
  const filler = await connectedConnector(org, dbFile, { BENCH_RUN_WORKER: '0' });
  let fill: LoadResult;
  try {
    const events = (await halfExisting(org, 'e2e', total)).map((e) => newSigned(e));
    fill = await load(filler.url, {
      connections: CONNECTIONS,
      amount: total,
      pool: events,
      more: () => {
        throw new Error('pool exhausted');
      },
    });
  } finally {
    await filler.stop();
  }
  await setLatency(org, 150);
  const port = await freePort();
  const t0 = performance.now();
  const child = await startChild(connectorEnv(port, `sqlite:${dbFile}`, org));
  try {
    const ready = (performance.now() - t0) / 1000;
    const deadline = Date.now() + 300_000;
    while (countIn('queued') > 0 && Date.now() < deadline) await sleep(20);
    const seconds = (performance.now() - t0) / 1000 - ready; // from the worker's start (process ready)
    const synced = countIn('synced');
    results.pipeline = { total, synced, seconds, fillRps: fill.rps, fillCodes: fill.codes, rate: synced / seconds };
    log(
      `  ${fmt(synced / seconds)} responses/s (${fmt(synced)} synced in ${fmt(seconds, 1)} s after the worker started; queue filled at ${fmt(fill.rps)} req/s ${JSON.stringify(fill.codes)})`,
    );

    const n = QUICK ? 8 : 30;
    log(
      `4. Latency at 1 response/s, 150 ms per Salesforce call — webhook sent → status API says synced (${n} responses)`,
    );
    const emails = await halfExisting(org, 'lat', n);
    const times: number[] = [];
    for (const email of emails) {
      const s = newSigned(email);
      const started = performance.now();
      const code = await postWebhook(child.url, s);
      if (code !== 202) throw new Error(`webhook answered ${code}`);
      let status: string | undefined;
      while ((status = await statusOf(child, s.responseId)) === 'queued') await sleep(5);
      const ms = performance.now() - started;
      if (status !== 'synced') throw new Error(`response ended ${status}`);
      times.push(ms);
      await sleep(Math.max(0, 1000 - ms));
    }
    results.latency = {
      n,
      p50: percentile(times, 50),
      p95: percentile(times, 95),
      max: Math.max(...times),
      first: times[0],
    };
    log(
      `  p50 ${fmt(results.latency.p50)} ms  p95 ${fmt(results.latency.p95)} ms  max ${fmt(results.latency.max)} ms (first: ${fmt(times[0])} ms)`,
    );
  } finally {
    await setLatency(org, 0);
    await child.stop();
  }
}

async function memory(org: LocalOrg): Promise<void> {
  const total = QUICK ? 10_000 : 100_000;
  log(
    `5. Memory — ${fmt(total)} events queued (filled with the worker off), then held while every Salesforce call answers 503`,
  );
  const dbFile = join(dir, 'memory.db');
  const child = await connectedConnector(org, dbFile, { BENCH_RUN_WORKER: '0' });
  const queuedCount = () => {
    const db = new Database(dbFile, { readonly: true });
    try {
      return (db.prepare("SELECT COUNT(*) AS n FROM responses WHERE status = 'queued'").get() as { n: number }).n;
    } finally {
      db.close();
    }
  };
  let burst: { baselineMb: number; peakMb: number; intakeRps: number; codes: Record<string, number> };
  try {
    const baselineMb = child.rssMb();
    const r = await load(child.url, { connections: CONNECTIONS, amount: total, pool: [], more: () => newSigned() });
    burst = { baselineMb, peakMb: child.peakRssMb(), intakeRps: r.rps, codes: r.codes };
    log(
      `  (a) filling the queue at full speed: peak RSS ${fmt(burst.peakMb)} MB (idle before ${fmt(baselineMb)} MB); intake ${fmt(r.rps)} req/s ${JSON.stringify(r.codes)}`,
    );
  } finally {
    await child.stop();
  }
  // (b) A fresh process on the same database: what holding the backlog costs, without the burst.
  await control(org, 'POST', `/__local/orgs/${org.demo.orgId}/faults`, { http503Rate: 1 });
  const port = await freePort();
  const held = await startChild(connectorEnv(port, `sqlite:${dbFile}`, org));
  try {
    const holdSeconds = Number(process.env.BENCH_HOLD_SECONDS ?? (QUICK ? 3 : 20));
    // The worker claims batches of 500 and puts them back (503 → retry with backoff); RSS sampled
    // every second shows whether memory plateaus (heap sizing) or keeps growing (a leak).
    const samples: number[] = [];
    for (let i = 0; i < holdSeconds; i++) {
      await sleep(1000);
      samples.push(Math.round(held.rssMb()));
    }
    const queued = queuedCount();
    results.memory = {
      total,
      queued,
      holdSeconds,
      heldPeakMb: held.peakRssMb(),
      heldEndMb: held.rssMb(),
      burst,
      samples,
    };
    log(
      `  (b) restarted with ${fmt(queued)} queued, worker retrying for ${holdSeconds} s: peak RSS ${fmt(held.peakRssMb())} MB, now ${fmt(held.rssMb())} MB; RSS each second ${samples.join(' ')}`,
    );
  } finally {
    await control(org, 'POST', `/__local/orgs/${org.demo.orgId}/faults`, {});
    await held.stop();
  }
}

// --- 6. Many tenants (issue 18) -------------------------------------------------------------------
async function tenants(org: LocalOrg): Promise<void> {
  const startSqlite = async (dbFile: string, extra: Record<string, string> = {}) =>
    startChild(connectorEnv(await freePort(), `sqlite:${dbFile}`, org, extra));
  if (only('fairness')) {
    const noisyTotal = QUICK ? 3000 : 20_000;
    log(
      `6a. Fairness — a quiet org's lone responses (1/s) while a noisy org drains ${fmt(noisyTotal)}, next to a slow org (2 s per call) and a down org (503)`,
    );
    results.fairness = await fairness(
      org,
      join(dir, 'fairness.db'),
      startSqlite,
      { noisyTotal, sideTotal: 300, quietN: QUICK ? 5 : 120 },
      log,
    );
    const f = results.fairness;
    log(
      `  quiet p50 ${fmt(f.quiet.p50)} ms  p95 ${fmt(f.quiet.p95)} ms  max ${fmt(f.quiet.max)} ms; noisy drained at ${fmt(f.noisyRate)}/s in ${fmt(f.noisySeconds, 1)} s; slow synced ${f.slowSynced}, down synced ${f.downSynced}`,
    );
  }
  if (only('fleet')) {
    const orgs = QUICK ? 20 : 100;
    log(`6b. Fleet — ${orgs} orgs × 100 responses, three connector processes on one Postgres, 150 ms per call`);
    const dbName = `credspark_bench_fleet_${process.pid}`;
    const admin = new Client({ connectionString: PG_ADMIN_URL });
    await admin.connect();
    try {
      results.postgresVersion ??= (
        (await admin.query('SHOW server_version')).rows[0] as { server_version: string }
      ).server_version;
      await admin.query(`CREATE DATABASE ${dbName}`);
      const dbUrl = PG_ADMIN_URL.replace(/\/[^/]*$/, `/${dbName}`);
      results.fleet = await fleet(
        org,
        dbUrl,
        dbName,
        async (extra = {}) => startChild(connectorEnv(await freePort(), dbUrl, org, extra)),
        { orgs, perOrg: 100, instances: 3 },
        log,
      );
      const r = results.fleet;
      log(
        `  ${fmt(r.rate)} responses/s (${fmt(r.synced)} synced in ${fmt(r.seconds, 1)} s); Contacts per org ${r.contactsPerOrg.min}–${r.contactsPerOrg.max}; CPU per response: connector ${fmt(r.cpu.connectorMsPerResponse, 2)} ms, Postgres ${fmt(r.cpu.postgresMsPerResponse, 2)} ms; ${fmt(r.turns)} batches; Postgres per response: ${fmt(r.pg.walBytesPerResponse)} WAL bytes, ${fmt(r.pg.rowsWrittenPerResponse, 1)} rows written, ${fmt(r.pg.commitsPerResponse, 2)} commits, ${fmt(r.pg.bytesStoredPerResponse)} bytes stored`,
      );
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch(() => undefined);
      await admin.end().catch(() => undefined);
    }
  }
  if (only('pgscale')) {
    const opts = QUICK
      ? { accounts: 1000, backlog: 2000, finished: 100_000 }
      : { accounts: 10_000, backlog: 20_000, finished: 1_000_000 };
    log(
      `6d. The claim path's Postgres statements at ${fmt(opts.accounts)} accounts, a ${fmt(opts.backlog)} backlog and ${fmt(opts.finished)} finished responses`,
    );
    const dbName = `credspark_bench_scale_${process.pid}`;
    const admin = new Client({ connectionString: PG_ADMIN_URL });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE ${dbName}`);
      results.pgScale = await pgScale(PG_ADMIN_URL.replace(/\/[^/]*$/, `/${dbName}`), opts);
      const r = results.pgScale;
      log(
        `  median ms: list due accounts ${fmt(r.list.p50, 2)}, claim one ${fmt(r.claimOne.p50, 2)}, complete one ${fmt(r.complete.p50, 2)}, claim 500 of the backlog (+ put back) ${fmt(r.claimBacklog500.p50, 1)}, insert one event ${fmt(r.insertEvent.p50, 2)}`,
      );
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch(() => undefined);
      await admin.end().catch(() => undefined);
    }
  }
  if (only('orgmemory')) {
    const orgs = QUICK ? 200 : 1000;
    log(`6c. Memory per cached org — ${fmt(orgs)} accounts, each its own org, one response each`);
    results.orgMemory = await orgMemory(org, join(dir, 'orgmemory.db'), startSqlite, { orgs }, log);
    const m = results.orgMemory;
    log(
      `  per 1,000 orgs: heap ${fmt(m.perThousand.heapMb, 1)} MB, RSS ${fmt(m.perThousand.rssMb, 1)} MB (idle heap ${fmt(m.idle.heapMb, 1)} → ${fmt(m.cached.heapMb, 1)} MB; RSS ${fmt(m.idle.rssMb)} → ${fmt(m.cached.rssMb)} MB; ${m.synced} synced); ${fmt(m.cpuMsPerTurn, 1)} ms CPU per lone-response batch`,
    );
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  if (only('intake')) await intake();
  const org = await startLocalOrg({ port: 0, host: '127.0.0.1', autoApprove: true, quiet: true });
  try {
    await seedRule(org);
    if (only('cost')) await apiCost(org);
    if (only('throughput')) await throughput(org);
    if (only('latency')) await latencyAndPipeline(org);
    if (only('memory')) await memory(org);
    if (only('economy')) {
      results.economy = await economy(org, {
        quick: QUICK,
        account: ACCOUNT,
        dir,
        connectorEnv,
        newSigned,
        statusOf,
        log,
      });
    }
    await tenants(org);
  } finally {
    await org.close();
  }
  results.totalSeconds = (Date.now() - started) / 1000;
  writeFileSync(join(tmpdir(), 'credspark-bench-results.json'), JSON.stringify(results, null, 1));
  const file = writeReport(results);
  log(`\nWrote ${file} (whole run ${fmt(results.totalSeconds)} s)`);
}

main()
  .catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(() => rmSync(dir, { recursive: true, force: true }));
