import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openStore } from '../../src/store/openStore';
import { ADMIN_TOKEN, completedEvent, connectAccount, postWebhook, SECRET } from './harness';

/**
 * SIGKILL during a burst, then restart: every delivery CredSpark got a 202 for ends synced, and
 * no record is created twice (redeliveries of unacknowledged events included).
 */
const root = join(__dirname, '..', '..', '..');
const pids: number[] = [];
afterAll(() => {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});
const dir = mkdtempSync(join(tmpdir(), 'crash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const env = {
  PATH: process.env.PATH ?? '',
  HOME: process.env.HOME ?? '',
  DATABASE_URL: `sqlite:${join(dir, 'connector.db')}`,
  FAKE_ORG_DB: join(dir, 'org.db'),
  CREDSPARK_WEBHOOK_SECRET: SECRET,
  CONNECTOR_ADMIN_TOKEN: ADMIN_TOKEN,
  SF_CLIENT_ID: 'id',
  SF_CLIENT_SECRET: 'secret',
  TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 3).toString('base64'),
  WORKER_LEASE_SECONDS: '1',
  WORKER_BATCH_SIZE: '50',
  LOG_LEVEL: 'silent',
  PORT: '0',
};

function startConnector(): Promise<{ child: ChildProcess; url: string; exited: Promise<unknown> }> {
  // node with tsx's loader, not the tsx CLI: the CLI runs the program in a child process, so a
  // SIGKILL sent to it would not reach the connector itself.
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'fixtures', 'crashConnector.ts')], {
    cwd: join(root, 'connector'),
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  // Listen from the start: the exit may happen before anyone awaits it.
  const exited = new Promise((r) => child.once('exit', r));
  if (child.pid) pids.push(child.pid);
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /READY (\d+)/.exec(out);
      if (m) resolve({ child, url: `http://127.0.0.1:${m[1]}`, exited });
    });
    child.once('exit', (code) => reject(new Error(`connector exited early (${code})`)));
  });
}

it('loses no acknowledged response and creates no record twice across a SIGKILL mid-burst', async () => {
  const setup = await openStore(env.DATABASE_URL);
  await connectAccount(setup, 'acc_42');
  await setup.close();

  const events = Array.from({ length: 400 }, (_, i) =>
    completedEvent({
      responseId: `rsp_crash_${i}`,
      answers: [
        { key: 'email', type: 'email', label: 'Email', value: `person${i}@example.com` },
        { key: 'last_name', type: 'last_name', label: 'Last Name', value: `P${i}` },
      ],
    }),
  );
  const acked = new Set<string>();

  let { child, url, exited } = await startConnector();
  let next = 0;
  let killed = false;
  const sender = async () => {
    while (next < events.length && !killed) {
      const ev = events[next++];
      try {
        const r = await postWebhook(url, ev);
        if (r.status === 202 || (r.status === 200 && r.json?.status === 'duplicate')) acked.add(ev.id);
        if (acked.size >= 150 && !killed) {
          killed = true;
          child.kill('SIGKILL');
        }
      } catch {
        // connection reset by the kill: not acknowledged, CredSpark delivers it again
      }
    }
  };
  await Promise.all(Array.from({ length: 16 }, sender));
  await exited;
  expect(acked.size).toBeGreaterThanOrEqual(150);
  expect(acked.size).toBeLessThan(400);

  ({ child, url, exited } = await startConnector());
  try {
    // CredSpark redelivers everything it has no 2xx for (and may repeat acknowledged ones).
    for (const ev of events) {
      const r = await postWebhook(url, ev);
      expect([200, 202]).toContain(r.status);
      if (acked.has(ev.id)) expect(r.json).toEqual({ status: 'duplicate' });
    }
    const db = new Database(env.DATABASE_URL.slice('sqlite:'.length), { readonly: true });
    const deadline = Date.now() + 30_000;
    let pending = Infinity;
    while (Date.now() < deadline) {
      pending = (db.prepare("SELECT COUNT(*) AS n FROM responses WHERE status <> 'synced'").get() as { n: number }).n;
      if (pending === 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const synced = (db.prepare("SELECT COUNT(*) AS n FROM responses WHERE status = 'synced'").get() as { n: number }).n;
    db.close();
    expect(pending).toBe(0);
    expect(synced).toBe(400);
    const org = new Database(env.FAKE_ORG_DB, { readonly: true });
    const contacts = (org.prepare('SELECT COUNT(*) AS n FROM contacts').get() as { n: number }).n;
    org.close();
    expect(contacts).toBe(400);
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}, 90_000);
