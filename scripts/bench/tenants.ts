/**
 * Issue 18's benchmarks — many tenants on one deployment, every org its own local-org org (one
 * local org server serves many org ids, each with its own records, counters and faults):
 * - fairness: a quiet org's lone responses (one a second) while a noisy org drains 20,000, next to
 *   a slow org (2 s per call) and a down org (every call 503), one connector at its defaults;
 * - fleet: 100 orgs × 100 responses drained by three connector processes on one Postgres, with
 *   the Postgres cost per response (WAL bytes, rows written, bytes stored);
 * - orgmemory: what 1,000 orgs' cached connections, settings and describes cost a process.
 */
import { readFileSync } from 'node:fs';
import { get } from 'node:http';
import Database from 'better-sqlite3';
import { Client } from 'pg';
import { seedDemoRule } from '../../connector/src/localMode/demoSeed';
import { ADMIN_TOKEN, completedEvent, fmt, load, percentile, postWebhook, signed, sleep, type Child } from './lib';
import { control, type LocalOrg } from './org';

export interface TenantOrg {
  accountId: string;
  orgId: string;
  username: string;
}

/** A new org in the local org server (POST /__local/orgs) with the demo Contact sync rule. */
export async function newOrg(org: LocalOrg, name: string): Promise<TenantOrg> {
  const username = `admin@${name}.local`;
  const created = (await control(org, 'POST', '/__local/orgs', { name, username })) as { orgId: string };
  await seedDemoRule(org.url, created.orgId, 'credspark', new Date(Date.now() - 3600_000));
  return { accountId: `acc_${name}`, orgId: created.orgId, username };
}

export const setFaults = (org: LocalOrg, orgId: string, faults: Record<string, unknown>) =>
  control(org, 'POST', `/__local/orgs/${orgId}/faults`, faults);

/**
 * Connects `t.accountId` to its org through the connector's real OAuth path: connect → the local
 * org's consent form submitted with Allow as the org's admin (the form names the user who logs
 * in, so each account lands in its own org) → /oauth/callback on the connector.
 */
export async function connectTenant(org: LocalOrg, connectorUrl: string, t: TenantOrg): Promise<void> {
  const start = await fetch(`${connectorUrl}/api/accounts/${t.accountId}/connect`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ loginUrl: org.url }),
  });
  if (start.status !== 200) throw new Error(`connect answered ${start.status}`);
  const { authorizeUrl } = (await start.json()) as { authorizeUrl: string };
  const params = new URL(authorizeUrl).searchParams;
  const allow = await fetch(`${org.url}/services/oauth2/authorize`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams([...params, ['username', t.username], ['decision', 'allow']]).toString(),
  });
  const location = allow.headers.get('location');
  if (allow.status !== 302 || !location) throw new Error(`consent answered ${allow.status}`);
  const status = await callbackFrom(new URL(location), `127.0.0.${2 + (++callbacks % 250)}`);
  if (status !== 200 && status !== 302) throw new Error(`callback answered ${status}`);
}

let callbacks = 0;
/**
 * GET of the OAuth callback from another loopback address: the connector limits callbacks per
 * client IP (30 a minute — a browser's admin, not a bench connecting 1,000 accounts), so the bench
 * spreads them over 127.0.0.2–251 as that many admins' browsers would come from their own addresses.
 */
function callbackFrom(url: URL, localAddress: string): Promise<number> {
  return new Promise((resolve, reject) => {
    get(url, { localAddress }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    }).on('error', reject);
  });
}

/** Runs `fn` over `items` with at most `n` in flight. */
export async function inParallel<T>(items: T[], n: number, fn: (t: T) => Promise<void>): Promise<void> {
  let i = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (i < items.length) await fn(items[i++]);
    }),
  );
}

const statusOf = async (url: string, accountId: string, responseId: string): Promise<string | undefined> => {
  const r = await fetch(`${url}/api/accounts/${accountId}/responses/${responseId}`, {
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
  });
  if (r.status !== 200) {
    await r.arrayBuffer();
    return undefined;
  }
  return ((await r.json()) as { status: string }).status;
};

const sqliteCount = (dbFile: string, sql: string, ...args: unknown[]): number => {
  const db = new Database(dbFile, { readonly: true });
  try {
    return (db.prepare(sql).get(...args) as { n: number }).n;
  } finally {
    db.close();
  }
};

// --- fairness ------------------------------------------------------------------------------------

export interface FairnessResult {
  noisyTotal: number;
  noisySeconds: number;
  noisyRate: number;
  noisyLeftAtEnd: number;
  quiet: { n: number; p50: number; p95: number; max: number };
  slowQueued: number;
  slowSynced: number;
  downQueued: number;
  downSynced: number;
}

/**
 * One connector (SQLite, WORKER_CONCURRENCY and WORKER_BATCH_SIZE at their defaults). Before the
 * worker starts, the noisy org has `noisyTotal` responses queued, the slow org (2 s per call) and
 * the down org (every call 503) `sideTotal` each. Then, while the noisy org drains at 150 ms per
 * call, a quiet org (150 ms per call) receives one response a second; each is timed from the
 * signed webhook to the status API answering `synced`.
 */
export async function fairness(
  org: LocalOrg,
  dbFile: string,
  start: (dbFile: string, extra?: Record<string, string>) => Promise<Child>,
  opts: { noisyTotal: number; sideTotal: number; quietN: number },
  log: (...a: unknown[]) => void,
): Promise<FairnessResult> {
  const noisy = await newOrg(org, 'noisy');
  const slow = await newOrg(org, 'slow');
  const down = await newOrg(org, 'down');
  const quiet = await newOrg(org, 'quiet');
  const filler = await start(dbFile, { BENCH_RUN_WORKER: '0' });
  try {
    for (const t of [noisy, slow, down, quiet]) await connectTenant(org, filler.url, t);
    const pool = [
      ...Array.from({ length: opts.noisyTotal }, (_, i) =>
        signed(completedEvent(noisy.accountId, `noisy.${i}@example.com`)),
      ),
      ...Array.from({ length: opts.sideTotal }, (_, i) =>
        signed(completedEvent(slow.accountId, `slow.${i}@example.com`)),
      ),
      ...Array.from({ length: opts.sideTotal }, (_, i) =>
        signed(completedEvent(down.accountId, `down.${i}@example.com`)),
      ),
    ];
    const fill = await load(filler.url, {
      connections: 50,
      amount: pool.length,
      pool,
      more: () => {
        throw new Error('pool exhausted');
      },
    });
    log(
      `  queued ${fmt(pool.length)} (noisy ${fmt(opts.noisyTotal)}, slow and down ${opts.sideTotal} each) at ${fmt(fill.rps)} req/s`,
    );
  } finally {
    await filler.stop();
  }
  for (const t of [noisy, quiet]) await setFaults(org, t.orgId, { latencyMs: 150 });
  await setFaults(org, slow.orgId, { latencyMs: 2000 });
  await setFaults(org, down.orgId, { http503Rate: 1 });

  const queuedOf = (accountId: string) =>
    sqliteCount(dbFile, "SELECT COUNT(*) AS n FROM responses WHERE account_id = ? AND status = 'queued'", accountId);
  const syncedOf = (accountId: string) =>
    sqliteCount(dbFile, "SELECT COUNT(*) AS n FROM responses WHERE account_id = ? AND status = 'synced'", accountId);
  const child = await start(dbFile);
  const t0 = performance.now();
  let noisySeconds = NaN;
  const times: number[] = [];
  try {
    // One quiet response a second for as long as the noisy org drains (at most quietN).
    for (let i = 0; i < opts.quietN && queuedOf(noisy.accountId) > 0; i++) {
      const s = signed(completedEvent(quiet.accountId, `quiet.${i}@example.com`));
      const sent = performance.now();
      const code = await postWebhook(child.url, s);
      if (code !== 202) throw new Error(`quiet webhook answered ${code}`);
      let status: string | undefined;
      while ((status = await statusOf(child.url, quiet.accountId, s.responseId)) === 'queued') await sleep(5);
      if (status !== 'synced') throw new Error(`quiet response ended ${status}`);
      const ms = performance.now() - sent;
      times.push(ms);
      if (Number.isNaN(noisySeconds) && queuedOf(noisy.accountId) === 0) noisySeconds = (performance.now() - t0) / 1000;
      await sleep(Math.max(0, 1000 - ms));
    }
    const noisyLeftAtEnd = queuedOf(noisy.accountId);
    const deadline = Date.now() + 300_000;
    while (Number.isNaN(noisySeconds) && Date.now() < deadline) {
      if (queuedOf(noisy.accountId) === 0) noisySeconds = (performance.now() - t0) / 1000;
      else await sleep(20);
    }
    const noisySynced = syncedOf(noisy.accountId);
    return {
      noisyTotal: opts.noisyTotal,
      noisySeconds,
      noisyRate: noisySynced / noisySeconds,
      noisyLeftAtEnd,
      quiet: { n: times.length, p50: percentile(times, 50), p95: percentile(times, 95), max: Math.max(...times) },
      slowQueued: queuedOf(slow.accountId),
      slowSynced: syncedOf(slow.accountId),
      downQueued: queuedOf(down.accountId),
      downSynced: syncedOf(down.accountId),
    };
  } finally {
    await child.stop();
    for (const t of [noisy, slow, down, quiet]) await setFaults(org, t.orgId, {});
  }
}

// --- fleet: 100 orgs × 100 responses, three instances, one Postgres ------------------------------

export interface FleetResult {
  orgs: number;
  perOrg: number;
  instances: number;
  total: number;
  synced: number;
  seconds: number;
  rate: number;
  fillRps: number;
  contactsPerOrg: { min: number; max: number };
  /** Batches (turns): one email query per batch per object, counted by the orgs. */
  turns: number;
  /** CPU over the drain: the three connector processes, and the Postgres backends serving them. */
  cpu: { connectorMsPerResponse: number; postgresMsPerResponse: number; connectorMsPerTurn: number };
  /** Postgres cost per response over fill + drain (pg_stat_*; WAL from pg_current_wal_lsn). */
  pg: {
    walBytesPerResponse: number;
    walBytesIntake: number;
    walBytesSync: number;
    rowsWrittenPerResponse: number;
    byTable: Record<string, { ins: number; upd: number; del: number }>;
    commitsPerResponse: number;
    bytesStoredPerResponse: number;
    tableBytes: Record<string, number>;
  };
}

async function pgSnapshot(c: Client, db: string) {
  const wal = (await c.query('SELECT pg_current_wal_lsn() AS lsn')).rows[0] as { lsn: string };
  const tables = (
    await c.query(
      'SELECT relname, n_tup_ins::bigint AS ins, n_tup_upd::bigint AS upd, n_tup_del::bigint AS del FROM pg_stat_user_tables',
    )
  ).rows as { relname: string; ins: string; upd: string; del: string }[];
  const commits = (
    (await c.query('SELECT xact_commit::bigint AS n FROM pg_stat_database WHERE datname = $1', [db])).rows[0] as {
      n: string;
    }
  ).n;
  return { lsn: wal.lsn, tables, commits: Number(commits) };
}

/** utime + stime of a process, in ms (Linux /proc; clock ticks at 100 Hz). */
function cpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
}

const lsnBytes = (lsn: string) => {
  const [hi, lo] = lsn.split('/').map((h) => BigInt(`0x${h}`));
  return (hi << 32n) + lo;
};

export async function fleet(
  org: LocalOrg,
  dbUrl: string,
  dbName: string,
  start: (extra?: Record<string, string>) => Promise<Child>,
  opts: { orgs: number; perOrg: number; instances: number },
  log: (...a: unknown[]) => void,
): Promise<FleetResult> {
  const tenants: TenantOrg[] = [];
  for (let i = 0; i < opts.orgs; i++) tenants.push(await newOrg(org, `fleet${i}`));
  const total = opts.orgs * opts.perOrg;
  const c = new Client({ connectionString: dbUrl });
  await c.connect();
  try {
    const filler = await start({ BENCH_RUN_WORKER: '0' });
    let fillRps: number;
    let before: Awaited<ReturnType<typeof pgSnapshot>>;
    try {
      for (const t of tenants) await connectTenant(org, filler.url, t);
      await c.query('SELECT pg_stat_force_next_flush()').catch(() => undefined);
      await sleep(1000); // pg_stat counters are flushed by backends at most once a second
      const pool = Array.from({ length: total }, (_, i) => {
        const t = tenants[i % opts.orgs];
        return signed(completedEvent(t.accountId, `fleet.${i}@example.com`));
      });
      before = await pgSnapshot(c, dbName);
      const fill = await load(filler.url, {
        connections: 50,
        amount: total,
        pool,
        more: () => {
          throw new Error('pool exhausted');
        },
      });
      fillRps = fill.rps;
    } finally {
      await filler.stop();
    }
    await sleep(1000);
    const afterFill = await pgSnapshot(c, dbName);
    for (const t of tenants) {
      await setFaults(org, t.orgId, { latencyMs: 150 });
      await control(org, 'POST', `/__local/orgs/${t.orgId}/api-calls/reset`);
    }
    const queued = async () =>
      Number(
        ((await c.query("SELECT COUNT(*)::int AS n FROM responses WHERE status = 'queued'")).rows[0] as { n: number })
          .n,
      );
    log(`  ${fmt(total)} queued at ${fmt(fillRps)} req/s; starting ${opts.instances} instances`);
    const children = await Promise.all(Array.from({ length: opts.instances }, () => start()));
    const cpuOfChildren = () => children.reduce((sum, ch) => sum + cpuMs(ch.proc.pid!), 0);
    const childCpu0 = cpuOfChildren();
    const t0 = performance.now();
    let seconds: number;
    let childCpu: number;
    let pgCpu: number;
    try {
      const deadline = Date.now() + 600_000;
      while ((await queued()) > 0 && Date.now() < deadline) await sleep(50);
      seconds = (performance.now() - t0) / 1000;
      childCpu = cpuOfChildren() - childCpu0;
      // The backends of this database were opened by the three instances' pools after they started
      // (the filler's are gone): their whole CPU time is the drain's, this monitor's own excepted.
      const backends = (
        await c.query('SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [dbName])
      ).rows as { pid: number }[];
      pgCpu = backends.reduce((sum, b) => sum + cpuMs(b.pid), 0);
    } finally {
      await Promise.all(children.map((ch) => ch.stop()));
    }
    await sleep(1000);
    const after = await pgSnapshot(c, dbName);
    const synced = Number(
      ((await c.query("SELECT COUNT(*)::int AS n FROM responses WHERE status = 'synced'")).rows[0] as { n: number }).n,
    );
    const contacts = await Promise.all(
      tenants.map(
        async (t) =>
          ((await control(org, 'GET', `/__local/orgs/${t.orgId}/records/Contact`)) as { records: unknown[] }).records
            .length,
      ),
    );
    let turns = 0;
    for (const t of tenants) {
      const calls = (await control(org, 'GET', `/__local/orgs/${t.orgId}/api-calls`)) as {
        byKind: Record<string, number>;
      };
      turns += calls.byKind.query ?? 0;
    }
    const byTable: Record<string, { ins: number; upd: number; del: number }> = {};
    for (const row of after.tables) {
      const b = before.tables.find((r) => r.relname === row.relname);
      const d = {
        ins: Number(row.ins) - Number(b?.ins ?? 0),
        upd: Number(row.upd) - Number(b?.upd ?? 0),
        del: Number(row.del) - Number(b?.del ?? 0),
      };
      if (d.ins + d.upd + d.del > 0) byTable[row.relname] = d;
    }
    const rowsWritten = Object.values(byTable).reduce((s, d) => s + d.ins + d.upd + d.del, 0);
    const tableBytes: Record<string, number> = {};
    for (const t of ['events', 'responses']) {
      tableBytes[t] = Number(
        ((await c.query('SELECT pg_total_relation_size($1::regclass)::bigint AS n', [t])).rows[0] as { n: string }).n,
      );
    }
    const walIntake = Number(lsnBytes(afterFill.lsn) - lsnBytes(before.lsn));
    const walSync = Number(lsnBytes(after.lsn) - lsnBytes(afterFill.lsn));
    return {
      ...opts,
      total,
      synced,
      seconds,
      rate: synced / seconds,
      fillRps,
      contactsPerOrg: { min: Math.min(...contacts), max: Math.max(...contacts) },
      turns,
      cpu: {
        connectorMsPerResponse: childCpu / total,
        postgresMsPerResponse: pgCpu / total,
        connectorMsPerTurn: childCpu / Math.max(1, turns),
      },
      pg: {
        walBytesPerResponse: (walIntake + walSync) / total,
        walBytesIntake: walIntake / total,
        walBytesSync: walSync / total,
        rowsWrittenPerResponse: rowsWritten / total,
        byTable,
        commitsPerResponse: (after.commits - before.commits) / total,
        bytesStoredPerResponse: (tableBytes.events + tableBytes.responses) / total,
        tableBytes,
      },
    };
  } finally {
    for (const t of tenants) await setFaults(org, t.orgId, {}).catch(() => undefined);
    await c.end();
  }
}

// --- orgmemory: cached orgs per process ----------------------------------------------------------

export interface OrgMemoryResult {
  orgs: number;
  synced: number;
  idle: { rssMb: number; heapMb: number };
  cached: { rssMb: number; heapMb: number };
  perThousand: { rssMb: number; heapMb: number };
  /** Connector CPU from the first webhook to the last response synced, per org: one lone-response
   *  batch each, with cold caches (token use, settings, describe, interaction metadata). */
  cpuMsPerTurn: number;
  seconds: number;
}

/**
 * One connector process (SQLite); `orgs` accounts each connected to its own org; one response
 * each, so every org's connection, settings and describe end up cached. Heap after a forced full
 * collection (the child runs with --expose-gc) and RSS, before the accounts connect and after
 * every response synced.
 */
export async function orgMemory(
  org: LocalOrg,
  dbFile: string,
  start: (dbFile: string, extra?: Record<string, string>) => Promise<Child>,
  opts: { orgs: number },
  log: (...a: unknown[]) => void,
): Promise<OrgMemoryResult> {
  const tenants: TenantOrg[] = [];
  for (let i = 0; i < opts.orgs; i++) tenants.push(await newOrg(org, `mem${i}`));
  const child = await start(dbFile, { BENCH_EXPOSE_GC: '1' });
  try {
    await sleep(2000);
    const idle = await child.memory();
    for (const t of tenants) await connectTenant(org, child.url, t);
    log(`  ${opts.orgs} accounts connected; one response each`);
    const cpu0 = cpuMs(child.proc.pid!);
    const t0 = performance.now();
    await inParallel(tenants, 20, async (t) => {
      const code = await postWebhook(child.url, signed(completedEvent(t.accountId, `mem.${t.accountId}@example.com`)));
      if (code !== 202) throw new Error(`webhook answered ${code}`);
    });
    const deadline = Date.now() + 300_000;
    let synced = 0;
    while (Date.now() < deadline) {
      synced = sqliteCount(dbFile, "SELECT COUNT(*) AS n FROM responses WHERE status = 'synced'");
      if (
        synced +
          sqliteCount(dbFile, "SELECT COUNT(*) AS n FROM responses WHERE status <> 'queued' AND status <> 'synced'") >=
        opts.orgs
      )
        break;
      await sleep(100);
    }
    const cpu = cpuMs(child.proc.pid!) - cpu0;
    const seconds = (performance.now() - t0) / 1000;
    await sleep(2000);
    const cached = await child.memory();
    const per = (a: number, b: number) => ((b - a) * 1000) / opts.orgs;
    return {
      orgs: opts.orgs,
      synced,
      idle,
      cached,
      perThousand: { rssMb: per(idle.rssMb, cached.rssMb), heapMb: per(idle.heapMb, cached.heapMb) },
      cpuMsPerTurn: cpu / opts.orgs,
      seconds,
    };
  } finally {
    await child.stop();
  }
}
