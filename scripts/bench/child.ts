/**
 * The process under test, started by run.ts on its own (node + tsx loader, IPC channel):
 * - BENCH_TARGET=bare: an Express app whose webhook route answers 200 at once (the ceiling).
 * - BENCH_TARGET=connector: main.ts's wiring (buildConnector: real config, store, ConnectionService,
 *   sync engine, createApp) with `localMode` forced on so the local org's http:// login URL is accepted.
 *   BENCH_RUN_WORKER=0 starts no worker; BENCH_FAKE_CONNECTION=<accountId> then stores a
 *   connection row so intake accepts that account's events (no token is ever used).
 * Logs go to stdout, which run.ts points at /dev/null: pino's serialisation and write still happen.
 * Ready → process.send({ ready: port }).
 */
import express from 'express';
import { buildConnector } from '../../connector/src/buildConnector';
import { loadConfig } from '../../connector/src/config/appConfig';

async function bare(): Promise<void> {
  const app = express();
  app.disable('x-powered-by');
  app.post('/webhooks/credspark', (_req, res) => {
    res.status(200).json({ status: 'ok' });
  });
  const server = app.listen(0, '127.0.0.1', () => {
    const { port } = server.address() as { port: number };
    process.send!({ ready: port });
  });
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}

async function connector(): Promise<void> {
  const config = { ...loadConfig(process.env), localMode: true };
  const { store, app, close } = await buildConnector({ config, runWorker: process.env.BENCH_RUN_WORKER !== '0' });
  const fake = process.env.BENCH_FAKE_CONNECTION;
  if (fake) {
    const now = new Date();
    await store.upsertConnection({
      accountId: fake,
      status: 'connected',
      orgId: '00D000000000001AAA',
      userId: '005000000000001AAA',
      username: 'bench@example.invalid',
      instanceUrl: 'http://127.0.0.1:9',
      loginUrl: 'http://127.0.0.1:9',
      accessTokenEnc: 'unused',
      refreshTokenEnc: 'unused',
      connectedAt: now,
      updatedAt: now,
    });
  }
  const { port } = await app.start({ port: config.port, host: '127.0.0.1' });
  process.send!({ ready: port });
  // { memory: true } → RSS and the heap in use after a full collection (run with --expose-gc).
  process.on('message', (m: { memory?: boolean }) => {
    if (!m.memory) return;
    (globalThis as { gc?: () => void }).gc?.();
    const u = process.memoryUsage();
    process.send!({ memory: { rssMb: u.rss / 2 ** 20, heapMb: u.heapUsed / 2 ** 20 } });
  });
  process.on('SIGTERM', () => {
    void close().then(() => process.exit(0));
  });
}

(process.env.BENCH_TARGET === 'bare' ? bare() : connector()).catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
