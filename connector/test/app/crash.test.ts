import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openStore } from '../../src/store/openStore';
import { CRASH_CONNECTOR, crashConnectorEnv } from './crashConnectorProcess';
import { completedEvent, connectAccount, postWebhook } from './harness';
import { killAll, startConnectorProcess, type Spawned } from './processes';

/**
 * SIGKILL during a burst, then restart: every delivery CredSpark got a 202 for ends synced, and
 * no record is created twice (redeliveries of unacknowledged events included).
 */
const procs: Spawned[] = [];
afterAll(() => killAll(procs));
const dir = mkdtempSync(join(tmpdir(), 'crash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const env = crashConnectorEnv({
  databaseUrl: `sqlite:${join(dir, 'connector.db')}`,
  fakeOrgDb: join(dir, 'org.db'),
  env: { WORKER_BATCH_SIZE: '50' },
});

async function startConnector(): Promise<{ child: ChildProcess; url: string; exited: Promise<unknown> }> {
  const { p, url } = await startConnectorProcess(CRASH_CONNECTOR, env, { started: procs });
  return { child: p.child, url, exited: p.exited };
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
