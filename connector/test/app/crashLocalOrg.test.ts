import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { connectDemoAccount } from '../../src/localMode/connectDemo';
import { seedDemoRule } from '../../src/localMode/demoSeed';
import type { LocalOrg, StartLocalOrg } from '../../src/localMode/localOrgTypes';
import { ADMIN_TOKEN, completedEvent, postWebhook, SECRET } from './harness';
import { canLoad, CONNECTOR_DIR, freePort, spawnTs, type Spawned } from './processes';

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
  let connector: Spawned | undefined;
  afterAll(async () => {
    if (connector && connector.child.exitCode === null) {
      connector.child.kill('SIGKILL');
      await connector.exited;
    }
    await org?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('syncs every acknowledged response once and creates no duplicate Contact', async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { startLocalOrg } = require('@credspark/local-org') as { startLocalOrg: StartLocalOrg };
    org = await startLocalOrg({ port: 0, host: '127.0.0.1', autoApprove: true, quiet: true });
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const env = {
      PORT: String(port),
      PUBLIC_URL: url,
      DATABASE_URL: `sqlite:${join(dir, 'connector.db')}`,
      CREDSPARK_WEBHOOK_SECRET: SECRET,
      CONNECTOR_ADMIN_TOKEN: ADMIN_TOKEN,
      SF_CLIENT_ID: org.demo.clientId,
      SF_CLIENT_SECRET: org.demo.clientSecret,
      SF_LOGIN_URL: org.url,
      TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 5).toString('base64'),
      WORKER_LEASE_SECONDS: '2',
      LOG_LEVEL: 'info',
    };
    const main = join(__dirname, 'fixtures', 'realConnector.ts');
    connector = spawnTs(main, env);
    await connector.waitFor(/READY \d+/);
    await connectDemoAccount({ connectorUrl: url, adminToken: ADMIN_TOKEN, accountId: 'acc_crash', loginUrl: org.url });
    await seedDemoRule(org.url, org.demo.orgId, 'credspark', new Date(Date.now() - 60_000));

    const N = 400;
    const email = (i: number) => `crash.${i}@example.com`;
    const seeded = await fetch(`${org.url}/__local/orgs/${org.demo.orgId}/records/Contact`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(Array.from({ length: N / 2 }, (_, i) => ({ LastName: 'Before', Email: email(i * 2) }))),
    });
    expect(seeded.ok).toBe(true);
    const events = Array.from({ length: N }, (_, i) =>
      completedEvent({
        accountId: 'acc_crash',
        responseId: `rsp_${i}`,
        interactionId: 'int_q4_webinar',
        completedAt: new Date().toISOString(),
        answers: [
          { key: 'first_name', type: 'first_name', label: 'First Name', value: 'P' },
          { key: 'last_name', type: 'last_name', label: 'Last Name', value: `After${i}` },
          { key: 'email', type: 'email', label: 'Email', value: email(i) },
        ],
      }),
    );

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
            connector!.child.kill('SIGKILL');
          }
        } catch {
          // reset by the kill: unacknowledged, CredSpark redelivers
        }
      }
    };
    await Promise.all(Array.from({ length: 16 }, sender));
    await connector.exited;
    expect(acked.size).toBeLessThan(N);

    connector = spawnTs(main, env);
    await connector.waitFor(/READY \d+/);
    for (const ev of events) {
      const r = await postWebhook(url, ev);
      if (acked.has(ev.id)) expect(r).toMatchObject({ status: 200, json: { status: 'duplicate' } });
      else expect([200, 202]).toContain(r.status);
    }
    const db = new Database(env.DATABASE_URL.slice('sqlite:'.length), { readonly: true });
    const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline && count("SELECT COUNT(*) AS n FROM responses WHERE status = 'queued'") > 0)
      await new Promise((r) => setTimeout(r, 200));
    const byStatus = db.prepare('SELECT status, COUNT(*) AS n FROM responses GROUP BY status').all();
    db.close();
    expect(byStatus).toEqual([{ status: 'synced', n: N }]);

    const { records } = (await (await fetch(`${org.url}/__local/orgs/${org.demo.orgId}/records/Contact`)).json()) as {
      records: { Email: string; LastName: string }[];
    };
    const mine = records.filter((c) => /^crash\.\d+@example\.com$/.test(c.Email ?? ''));
    expect(mine).toHaveLength(N); // N/2 updated in place + N/2 created, none twice
    for (let i = 0; i < N; i++)
      expect(mine.filter((c) => c.Email === email(i)).map((c) => c.LastName)).toEqual([`After${i}`]);

    connector.child.kill('SIGTERM');
    expect(await connector.exited).toBe(0);
  }, 180_000);
});
