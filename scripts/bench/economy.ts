/**
 * The API-economy benchmarks (BENCH_ONLY=economy): what the connector spends of an org's API allocation
 * under a stream, how fast a restarted process resumes after kill -9, and that a daily budget holds —
 * once with a cap the backlog never reaches (the figure) and once with one it does (the hold).
 * Every figure is counted by the local org (what Salesforce would count), at 150 ms per call.
 *   BENCH_FILL_MS=<ms>          WORKER_BATCH_FILL_MS of the streaming connector (default: its default)
 *   BENCH_ECONOMY_PARTS=stream  only the stream and latency scenarios (E1, E2)
 */
import Database from 'better-sqlite3';
import { connectDemoAccount } from '../../connector/src/localMode/connectDemo';
import {
  ADMIN_TOKEN,
  fmt,
  freePort,
  load,
  percentile,
  postWebhook,
  sleep,
  startChild,
  type Child,
  type Signed,
} from './lib';
import { apiCalls, connectJsforce, resetApiCalls, setLatency, type LocalOrg } from './org';

export interface BudgetRun {
  n: number;
  budget: number;
  /** API calls the org counted while the connector drained or held (settings re-reads included;
   *  OAuth token requests left out: they are not API calls of the allocation, nor of the budget). */
  calls: number;
  byKind: Record<string, number>;
  /** The connector's own count for the org's day (the store), which the budget gates on. */
  counted: number;
  synced: number;
  failed: number;
  /** Still queued at the end: waiting with API_BUDGET when the cap was reached. */
  queued: number;
  waitedSeconds: number;
}

export interface EconomyResults {
  stream: { n: number; seconds: number; calls: number; synced: number; byKind: Record<string, number> };
  latency: { n: number; p50: number; p95: number; max: number };
  recovery?: { backlog: number; leaseSeconds: number; firstSyncSeconds: number; syncedBeforeKill: number };
  /** E4: a cap the backlog does not reach; E5: one it does (the hold). */
  budgets?: BudgetRun[];
}

export interface EconomyDeps {
  quick: boolean;
  account: string;
  dir: string;
  connectorEnv: (
    port: number,
    databaseUrl: string,
    org?: LocalOrg,
    extra?: Record<string, string>,
  ) => Record<string, string>;
  newSigned: (email?: string) => Signed;
  statusOf: (child: Child, responseId: string) => Promise<string | undefined>;
  log: (...a: unknown[]) => void;
}

export async function economy(org: LocalOrg, d: EconomyDeps): Promise<EconomyResults> {
  const count = (db: string, status: string) => {
    const h = new Database(db, { readonly: true });
    try {
      return (h.prepare('SELECT COUNT(*) AS n FROM responses WHERE status = ?').get(status) as { n: number }).n;
    } finally {
      h.close();
    }
  };
  const start = async (db: string, extra: Record<string, string> = {}, connect = true) => {
    const port = await freePort();
    const child = await startChild(d.connectorEnv(port, `sqlite:${db}`, org, extra));
    if (connect) {
      await connectDemoAccount({
        connectorUrl: child.url,
        adminToken: ADMIN_TOKEN,
        accountId: d.account,
        loginUrl: org.url,
      });
    }
    return child;
  };
  const fill = async (db: string, n: number, tag: string) => {
    const filler = await start(db, { BENCH_RUN_WORKER: '0' });
    try {
      const pool = Array.from({ length: n }, (_, i) => d.newSigned(`${tag}.${i}.${Date.now()}@example.com`));
      await load(filler.url, {
        connections: 50,
        amount: n,
        pool,
        more: () => {
          throw new Error('pool exhausted');
        },
      });
    } finally {
      await filler.stop();
    }
  };

  /** Daily_API_Budget__c of the demo org, saved as the package's LWC saves it (Metadata API
   *  upsert of CustomMetadata; 0 = no cap). Its one call happens before the counters are reset. */
  const setBudget = async (budget: number) => {
    const sf = await connectJsforce(org);
    const saved = await sf.metadata.upsert('CustomMetadata', {
      fullName: 'credspark__CredSpark_Settings.Default',
      label: 'Default',
      values: [{ field: 'credspark__Daily_API_Budget__c', value: budget }],
    } as never);
    if (![saved].flat().every((x: { success?: unknown }) => String(x.success) === 'true'))
      throw new Error(`settings upsert refused: ${JSON.stringify(saved)}`);
  };
  /** `total` responses queued, a fresh connector under a daily cap of `budget`: until the org stops
   *  receiving calls for 10 s (held, or done) or nothing is left. */
  const budgetRun = async (total: number, budget: number, tag: string): Promise<BudgetRun> => {
    d.log(`${tag}. Daily_API_Budget__c = ${budget} with ${fmt(total)} responses`);
    const db = `${d.dir}/budget-${tag}.db`;
    await fill(db, total, `budget${tag}`);
    await setBudget(budget);
    await resetApiCalls(org);
    const t1 = performance.now();
    const worker = await start(db, {}, false);
    let last = -1;
    let stable = 0;
    try {
      while (stable < 100 && count(db, 'queued') > 0 && performance.now() - t1 < 300_000) {
        await sleep(100);
        const now = (await apiCalls(org)).total;
        stable = now === last ? stable + 1 : 0;
        last = now;
      }
    } finally {
      await worker.stop();
    }
    const { byKind } = await apiCalls(org);
    delete byKind.oauth;
    const h = new Database(db, { readonly: true });
    const counted = (h.prepare('SELECT COALESCE(SUM(api_calls), 0) AS n FROM org_api_usage').get() as { n: number }).n;
    h.close();
    const result: BudgetRun = {
      n: total,
      budget,
      calls: Object.values(byKind).reduce((a, b) => a + b, 0),
      byKind,
      counted,
      synced: count(db, 'synced'),
      failed: count(db, 'failed'),
      queued: count(db, 'queued'),
      waitedSeconds: (performance.now() - t1) / 1000,
    };
    d.log(
      `  ${fmt(result.calls)} calls (${JSON.stringify(byKind)}; the store counted ${fmt(counted)}), ${fmt(result.synced)} synced, ${fmt(result.failed)} failed, ${fmt(result.queued)} waiting (API_BUDGET)`,
    );
    return result;
  };

  await setLatency(org, 150);
  try {
    // 1. A stream: n responses spread evenly over `seconds`, through a running connector.
    const n = d.quick ? 200 : 1000;
    const seconds = d.quick ? 12 : 60;
    d.log(
      `E1. API calls for ${fmt(n)} responses streamed over ${seconds} s (150 ms per call; WORKER_BATCH_FILL_MS ${process.env.BENCH_FILL_MS ?? 'default'})`,
    );
    const streamDb = `${d.dir}/stream.db`;
    const fillMs = process.env.BENCH_FILL_MS;
    const child = await start(streamDb, fillMs ? { WORKER_BATCH_FILL_MS: fillMs } : {});
    let stream: EconomyResults['stream'];
    let latency: EconomyResults['latency'];
    try {
      await resetApiCalls(org);
      const events = Array.from({ length: n }, (_, i) => d.newSigned(`stream.${i}.${Date.now()}@example.com`));
      const t0 = performance.now();
      for (let i = 0; i < n; i++) {
        const due = t0 + (i * seconds * 1000) / n;
        const wait = due - performance.now();
        if (wait > 0) await sleep(wait);
        const code = await postWebhook(child.url, events[i]);
        if (code !== 202) throw new Error(`webhook answered ${code}`);
      }
      const deadline = Date.now() + 120_000;
      while (count(streamDb, 'queued') > 0 && Date.now() < deadline) await sleep(50);
      const calls = await apiCalls(org);
      stream = { n, seconds, calls: calls.total, synced: count(streamDb, 'synced'), byKind: calls.byKind };
      d.log(`  ${fmt(calls.total)} calls (${JSON.stringify(calls.byKind)}), ${fmt(stream.synced)} synced`);

      // 2. Latency at 1 response/s on the same connector (a lone response must not wait for a fill).
      const m = d.quick ? 8 : 30;
      d.log(`E2. Latency at 1 response/s — webhook sent → status API says synced (${m} responses)`);
      const times: number[] = [];
      for (let i = 0; i < m; i++) {
        const s = d.newSigned(`lat1.${i}.${Date.now()}@example.com`);
        const t = performance.now();
        if ((await postWebhook(child.url, s)) !== 202) throw new Error('webhook refused');
        let status: string | undefined;
        while ((status = await d.statusOf(child, s.responseId)) === 'queued') await sleep(5);
        const ms = performance.now() - t;
        if (status !== 'synced') throw new Error(`response ended ${status}`);
        times.push(ms);
        await sleep(Math.max(0, 1000 - ms));
      }
      latency = { n: m, p50: percentile(times, 50), p95: percentile(times, 95), max: Math.max(...times) };
      d.log(`  p50 ${fmt(latency.p50)} ms  p95 ${fmt(latency.p95)} ms  max ${fmt(latency.max)} ms`);
    } finally {
      await child.stop();
    }

    if (process.env.BENCH_ECONOMY_PARTS === 'stream') return { stream, latency };
    // 3. kill -9 mid-backlog, restart: how long until the restarted process syncs its first response.
    const backlog = d.quick ? 500 : 2000;
    d.log(`E3. Recovery after kill -9 with a ${fmt(backlog)}-response backlog (WORKER_LEASE_SECONDS default)`);
    const crashDb = `${d.dir}/crash.db`;
    await fill(crashDb, backlog, 'crash');
    const victim = await start(crashDb, { WORKER_BATCH_SIZE: '200' }, false);
    const deadline = Date.now() + 60_000;
    while (count(crashDb, 'synced') === 0 && Date.now() < deadline) await sleep(10);
    await sleep(100); // a batch in flight: claimed, not recorded
    victim.proc.kill('SIGKILL');
    await victim.stop().catch(() => undefined);
    const before = count(crashDb, 'synced');
    const t0 = performance.now();
    const restarted = await start(crashDb, { WORKER_BATCH_SIZE: '200' }, false);
    let firstSyncSeconds = NaN;
    try {
      const until = Date.now() + 120_000;
      while (Date.now() < until) {
        if (count(crashDb, 'synced') > before) {
          firstSyncSeconds = (performance.now() - t0) / 1000;
          break;
        }
        await sleep(10);
      }
    } finally {
      await restarted.stop();
    }
    const recovery = { backlog, leaseSeconds: 10, firstSyncSeconds, syncedBeforeKill: before };
    d.log(
      `  first response synced by the restarted process ${fmt(firstSyncSeconds, 1)} s after it started (${fmt(before)} synced before the kill)`,
    );

    // 4 and 5. A daily budget with a backlog: the figure (100 calls, 10,000 responses: the
    // backlog needs fewer calls than that), then a cap the backlog does reach (the hold).
    const budgets = [
      await budgetRun(d.quick ? 2000 : 10_000, 100, 'E4'),
      await budgetRun(d.quick ? 1000 : 5000, 20, 'E5'),
    ];
    return { stream, latency, recovery, budgets };
  } finally {
    await setLatency(org, 0);
    if (process.env.BENCH_ECONOMY_PARTS !== 'stream') await setBudget(0); // the phases after this one run uncapped
  }
}
