import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { signatureHeader } from '../../connector/src/intake/signature';
import { freePort } from '../../connector/test/app/processes';

export const ROOT = join(__dirname, '..', '..');
export const SECRET = 'whsec_bench_0123456789abcdef';
export const ADMIN_TOKEN = 'bench-admin-token-0123456789abcdef';
export const INTERACTION = { id: 'int_q4_webinar', name: 'Q4 Webinar Quiz' };

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export { freePort };

export interface Child {
  proc: ChildProcess;
  port: number;
  url: string;
  /** Peak resident set size so far (VmHWM), in MB. */
  peakRssMb(): number;
  rssMb(): number;
  /** RSS, and the V8 heap in use after a full collection when started with BENCH_EXPOSE_GC=1. */
  memory(): Promise<{ rssMb: number; heapMb: number }>;
  stop(): Promise<void>;
}

/**
 * The node flags of `npm start` (connector/package.json `tsx <flags> src/main.ts`, e.g. the V8 heap
 * sizing), so the process under test runs with the same heap settings as production.
 */
export function startFlags(): string[] {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'connector', 'package.json'), 'utf8')) as {
    scripts: { start: string };
  };
  return pkg.scripts.start.split(/\s+/).filter((t) => t.startsWith('--'));
}

/** Starts child.ts in its own process (its own core on a 2-core machine); stdout → /dev/null. */
export async function startChild(env: Record<string, string>, opts: { cpuProf?: string } = {}): Promise<Child> {
  const execArgv = [
    ...startFlags(),
    '--import',
    'tsx',
    ...(env.BENCH_EXPOSE_GC ? ['--expose-gc'] : []),
    ...(opts.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${opts.cpuProf}`] : []),
  ];
  const proc = spawn(process.execPath, [...execArgv, join(__dirname, 'child.ts')], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      NODE_ENV: 'production',
      // BENCH_CHILD_NODE_OPTIONS: V8 flags for the process under test (e.g. heap caps), for experiments.
      ...(process.env.BENCH_CHILD_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_CHILD_NODE_OPTIONS } : {}),
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  proc.stderr!.on('data', (d: Buffer) => (stderr += d.toString()).slice(-4000));
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`child did not start: ${stderr}`)), 60_000);
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`child exited (${code}): ${stderr}`));
    });
    proc.on('message', (m: { ready?: number }) => {
      if (m.ready !== undefined) {
        clearTimeout(timer);
        resolve(m.ready);
      }
    });
  });
  const status = (key: string) => {
    const line = readFileSync(`/proc/${proc.pid}/status`, 'utf8')
      .split('\n')
      .find((l) => l.startsWith(key));
    return line ? Number(/(\d+)/.exec(line)![1]) / 1024 : NaN;
  };
  return {
    proc,
    port,
    url: `http://127.0.0.1:${port}`,
    peakRssMb: () => status('VmHWM:'),
    rssMb: () => status('VmRSS:'),
    memory: () =>
      new Promise((resolve) => {
        const onMessage = (m: { memory?: { rssMb: number; heapMb: number } }) => {
          if (!m.memory) return;
          proc.off('message', onMessage);
          resolve(m.memory);
        };
        proc.on('message', onMessage);
        proc.send({ memory: true });
      }),
    async stop() {
      if (proc.exitCode === null) proc.kill('SIGTERM');
      const t = setTimeout(() => proc.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(t);
    },
  };
}

let seq = 0;
/** A SPEC §4 response.completed event with a unique event and response id. */
export function completedEvent(
  accountId: string,
  email: string,
  lastName = 'Bench',
): { id: string; responseId: string; body: string } {
  const n = `${process.pid}_${Date.now().toString(36)}_${++seq}`;
  const now = new Date().toISOString();
  const responseId = `rsp_${n}`;
  const event = {
    id: `evt_${n}`,
    type: 'response.completed',
    createdAt: now,
    accountId,
    data: {
      responseId,
      interaction: INTERACTION,
      completedAt: now,
      score: 80,
      answers: [
        { key: 'first_name', type: 'first_name', label: 'First Name', value: 'Ada' },
        { key: 'last_name', type: 'last_name', label: 'Last Name', value: lastName },
        { key: 'email', type: 'email', label: 'Email', value: email },
      ],
    },
  };
  return { id: event.id, responseId, body: JSON.stringify(event) };
}

export interface Signed {
  body: string;
  signature: string;
  responseId: string;
}

export function signed(ev: { body: string; responseId: string }): Signed {
  return { body: ev.body, responseId: ev.responseId, signature: signatureHeader([SECRET], ev.body) };
}

export async function postWebhook(url: string, s: Signed): Promise<number> {
  const r = await fetch(`${url}/webhooks/credspark`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'credspark-signature': s.signature },
    body: s.body,
  });
  await r.arrayBuffer();
  return r.status;
}

export interface LoadResult {
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  mean: number;
  codes: Record<string, number>;
  errors: number;
  timeouts: number;
  seconds: number;
}

/**
 * autocannon against POST /webhooks/credspark, each request a distinct event taken from `pool`
 * (pre-signed; when the pool runs out, `more()` signs another one on the spot).
 */
export async function load(
  url: string,
  opts: { connections: number; duration?: number; amount?: number; pool: Signed[]; more: () => Signed },
): Promise<LoadResult> {
  let i = 0;
  const next = () => (i < opts.pool.length ? opts.pool[i++] : opts.more());
  const codes: Record<string, number> = {};
  const instance = autocannon({
    url: `${url}/webhooks/credspark`,
    connections: opts.connections,
    ...(opts.amount ? { amount: opts.amount } : { duration: opts.duration ?? 10 }),
    timeout: 30,
    requests: [
      {
        method: 'POST',
        setupRequest: (req: any) => {
          const s = next();
          return {
            ...req,
            method: 'POST',
            body: s.body,
            headers: { 'content-type': 'application/json', 'credspark-signature': s.signature },
          };
        },
      },
    ],
  } as any);
  instance.on('response', (_client: unknown, statusCode: number) => {
    codes[statusCode] = (codes[statusCode] ?? 0) + 1;
  });
  const r: any = await instance;
  return {
    requests: r.requests.total,
    rps: r.requests.total / r.duration,
    p50: r.latency.p50,
    p99: r.latency.p99,
    mean: r.latency.average,
    codes,
    errors: r.errors,
    timeouts: r.timeouts,
    seconds: r.duration,
  };
}

export function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const idx = Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1);
  return s[Math.max(0, idx)];
}

export const fmt = (n: number, d = 0) =>
  Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }) : 'n/a';
