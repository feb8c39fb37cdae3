// `npm run local-org`: starts the local org alone and prints how to reach it.
import { startLocalOrg } from './index';

function portArg(): number {
  const i = process.argv.indexOf('--port');
  const raw = i >= 0 ? process.argv[i + 1] : process.env.PORT;
  const n = raw === undefined ? 4500 : Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    process.stderr.write(`invalid port: ${raw}\n`);
    process.exit(2);
  }
  return n;
}

async function main(): Promise<void> {
  const snap = process.argv.indexOf('--snapshot');
  const org = await startLocalOrg({
    port: portArg(),
    quiet: true,
    snapshotFile: snap >= 0 ? process.argv[snap + 1] : process.env.LOCAL_ORG_SNAPSHOT,
    autoApprove: process.argv.includes('--auto-approve'),
  });
  const lines = [
    `Local Salesforce org running at ${org.url} (login URL and instance URL)`,
    `  demo org:        ${org.demo.orgId}  user ${org.demo.username}  namespace credspark`,
    `  connected app:   "CredSpark Connector"  callbacks http://127.0.0.1:*/oauth/callback, http://localhost:*/oauth/callback`,
    `  SF_CLIENT_ID=${org.demo.clientId}`,
    `  SF_CLIENT_SECRET=${org.demo.clientSecret}`,
    `  SF_LOGIN_URL=${org.url}`,
    `  control endpoints under ${org.url}/__local (see scripts/local-org/README.md)`,
  ];
  process.stdout.write(lines.join('\n') + '\n');
  const stop = () => {
    void org.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main();
