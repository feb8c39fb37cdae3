import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { connectDemoAccount } from '../../src/localMode/connectDemo';
import { seedDemoRule } from '../../src/localMode/demoSeed';
import type { LocalOrg, StartLocalOrg } from '../../src/localMode/localOrgTypes';
import { ADMIN_TOKEN, postWebhook, SECRET } from './harness';
import { canLoad, CONNECTOR_DIR, type Spawned } from './processes';
import {
  burstEvent,
  lastNamesByEmail,
  realConnectorLauncher,
  seedEveryOtherContact,
  type RealConnectorLauncher,
} from './realConnectorProcess';

/**
 * Issue 3 "done when": a connector killed with SIGKILL during a burst and restarted ends with every
 * acknowledged response synced exactly once — here with the real sync engine, real jsforce and the
 * local org (half the emails exist as Contacts, half are new).
 */
const ready = canLoad('@credspark/local-org') && canLoad(join(CONNECTOR_DIR, 'src', 'sync', 'syncResponses'));
if (!ready)
  console.warn(
    'crash test against the local org SKIPPED: @credspark/local-org or src/sync/syncResponses.ts is not available yet',
  );
const maybe = ready ? describe : describe.skip;

maybe('SIGKILL mid-burst against the local org', () => {
  const dir = mkdtempSync(join(tmpdir(), 'crash-org-'));
  let org: LocalOrg;
  let launcher: RealConnectorLauncher | undefined;
  afterAll(async () => {
    await launcher?.killAll();
    await org?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('syncs every acknowledged response once and creates no duplicate Contact', async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { startLocalOrg } = require('@credspark/local-org') as { startLocalOrg: StartLocalOrg };
    org = await startLocalOrg({ port: 0, host: '127.0.0.1', autoApprove: true, quiet: true });
    launcher = await realConnectorLauncher({
      org,
      databaseUrl: `sqlite:${join(dir, 'connector.db')}`,
      webhookSecret: SECRET,
      adminToken: ADMIN_TOKEN,
      tokenKey: Buffer.alloc(32, 5).toString('base64'),
    });
    const { url } = launcher;
    let connector: Spawned = await launcher.start();
    await connectDemoAccount({ connectorUrl: url, adminToken: ADMIN_TOKEN, accountId: 'acc_crash', loginUrl: org.url });
    await seedDemoRule(org.url, org.demo.orgId, 'credspark', new Date(Date.now() - 60_000));

    const N = 400;
    const email = (i: number) => `crash.${i}@example.com`;
    await seedEveryOtherContact(org, N, email);
    const events = Array.from({ length: N }, (_, i) => burstEvent('acc_crash', i, email(i)));

    const acked = new Set<string>();
    let next = 0;
    let killed = false;
    const sender = async () => {
      while (next < N && !killed) {
        const ev = events[next++];
        try {
          const r = await postWebhook(url, ev);
          if (r.status === 202) acked.add(ev.id);
          if (acked.size >= N / 3 && !killed) {
            killed = true;
            connector.child.kill('SIGKILL');
          }
        } catch {
          // reset by the kill: unacknowledged, CredSpark redelivers
        }
      }
    };
    await Promise.all(Array.from({ length: 16 }, sender));
    await connector.exited;
    expect(acked.size).toBeLessThan(N);

    connector = await launcher.start();
    for (const ev of events) {
      const r = await postWebhook(url, ev);
      if (acked.has(ev.id)) expect(r).toMatchObject({ status: 200, json: { status: 'duplicate' } });
      else expect([200, 202]).toContain(r.status);
    }
    const db = new Database(launcher.env.DATABASE_URL.slice('sqlite:'.length), { readonly: true });
    const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline && count("SELECT COUNT(*) AS n FROM responses WHERE status = 'queued'") > 0)
      await new Promise((r) => setTimeout(r, 200));
    const byStatus = db.prepare('SELECT status, COUNT(*) AS n FROM responses GROUP BY status').all();
    db.close();
    expect(byStatus).toEqual([{ status: 'synced', n: N }]);

    const byEmail = await lastNamesByEmail(org, /^crash\.\d+@example\.com$/);
    expect([...byEmail.values()].flat()).toHaveLength(N); // N/2 updated in place + N/2 created, none twice
    for (let i = 0; i < N; i++) expect(byEmail.get(email(i))).toEqual([`After${i}`]);

    connector.child.kill('SIGTERM');
    expect(await connector.exited).toBe(0);
  }, 180_000);
});
