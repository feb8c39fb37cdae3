import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The test run's network guard (scripts/test/loopbackOnly.cjs, a jest setup file). */
describe('test runs reach loopback only', () => {
  it('refuses a connection to any other host, naming it', async () => {
    const err = await fetch('http://192.0.2.10:80/').then(
      () => undefined,
      (e: unknown) => e as Error & { cause?: Error },
    );
    expect(err?.cause?.message).toBe('test run: only loopback may be reached, not 192.0.2.10');
  });

  it('lets loopback through', async () => {
    const server = createServer((_req, res) => res.end('ok'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const { port } = server.address() as AddressInfo;
      expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe('ok');
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
