#!/usr/bin/env node
// Start time and idle memory of the connector as production starts it: through tsx (TypeScript at
// run time) and as compiled JavaScript (`npm run build` first), both with npm start's heap flag.
// Start time: from spawn to the "connector listening" log line. Idle RSS: the whole process tree
// (tsx runs the app in a child node process) 3 s after that line. Median of 5 starts each.
// Usage: node scripts/bench/startup.mjs   (from the repository root, after `npm run build`)
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const RUNS = 5;
const IDLE_MS = 3000;
const connector = join(import.meta.dirname, '../../connector');
const variants = {
  'tsx src/main.ts': [join(connector, '../node_modules/.bin/tsx'), ['--heap-growing-percent=50', 'src/main.ts']],
  'node dist/main.js': [process.execPath, ['--heap-growing-percent=50', 'dist/main.js']],
};

/** RSS in kB of a process and all its descendants (Linux /proc). */
function treeRssKb(pid) {
  let kb = 0;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    kb += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const children = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
      for (const child of children ? children.split(/\s+/) : []) kb += treeRssKb(Number(child));
    }
  } catch {
    // The process ended meanwhile.
  }
  return kb;
}

function startOnce(cmd, args) {
  const dir = mkdtempSync(join(tmpdir(), 'startup-'));
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    DATABASE_URL: `sqlite:${join(dir, 'c.db')}`,
    CREDSPARK_WEBHOOK_SECRET: 'whsec_startup_0123456789abcdef',
    CONNECTOR_ADMIN_TOKEN: 'startup-admin-token-0123456789',
    SF_CLIENT_ID: 'client',
    SF_CLIENT_SECRET: 'secret',
    TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
    ALLOWED_RETURN_ORIGINS: 'https://app.credspark.test',
    PORT: '0',
  };
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(cmd, args, { cwd: connector, env, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      if (!out.includes('connector listening')) return;
      const startMs = performance.now() - t0;
      child.stdout.removeAllListeners('data');
      child.stdout.resume();
      setTimeout(() => {
        const rssMb = treeRssKb(child.pid) / 1024;
        child.once('exit', () => {
          rmSync(dir, { recursive: true, force: true });
          resolve({ startMs, rssMb });
        });
        child.kill('SIGTERM');
      }, IDLE_MS);
    });
    child.once('exit', (code) => {
      if (!out.includes('connector listening')) reject(new Error(`exited ${code} before listening:\n${out}`));
    });
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (const [name, [cmd, args]] of Object.entries(variants)) {
  const runs = [];
  for (let i = 0; i < RUNS; i++) runs.push(await startOnce(cmd, args));
  const start = median(runs.map((r) => r.startMs));
  const rss = median(runs.map((r) => r.rssMb));
  console.log(`${name.padEnd(20)} start ${start.toFixed(0)} ms   idle RSS ${rss.toFixed(0)} MB   (median of ${RUNS})`);
}
