// npm run preview [-- --port 4600] [--org-url http://127.0.0.1:PORT]
// Serves the package's setup page outside Salesforce, backed by a local org (started here unless
// --org-url or PREVIEW_ORG_URL points at a running one, e.g. the connector's local mode).
import { parseArgs } from 'node:util';
import { startPreview } from './src/previewServer';

async function main() {
  const { values } = parseArgs({
    options: { port: { type: 'string' }, 'org-url': { type: 'string' }, host: { type: 'string' } },
  });
  const port = Number(values.port ?? process.env.PREVIEW_PORT ?? 4600);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error('--port must be a port number');
  const orgUrl = values['org-url'] ?? process.env.PREVIEW_ORG_URL;
  if (orgUrl && !/^https?:\/\/(127\.0\.0\.1|localhost)(:\d+)?\/?$/.test(orgUrl))
    throw new Error('--org-url must be a local org URL (http://127.0.0.1:PORT)');
  const preview = await startPreview({ port, orgUrl: orgUrl?.replace(/\/$/, ''), host: values.host });
  process.stdout.write(
    `local Salesforce org: ${preview.org.url} (org ${preview.org.orgId})${preview.seeded ? ', demo data seeded' : ''}\n`,
  );
  process.stdout.write('compiling the force-app components…\n');
  await preview.ready;
  process.stdout.write(`CredSpark setup preview: ${preview.url}/\n`);
  const stop = () => void preview.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: Error) => {
  process.stderr.write(`preview: ${err.message}\n`);
  process.exit(1);
});
