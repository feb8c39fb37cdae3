/**
 * Sends a signed sample `response.completed` webhook to a connector (SPEC §4) and prints the reply.
 *
 *   npm run send-webhook -- [--url http://127.0.0.1:3000] [--secret …] [--account acc_demo]
 *     [--email jane@example.com] [--first-name Jane] [--last-name Smith]
 *     [--interaction int_q4_webinar] [--interaction-name "Q4 Webinar Quiz"]
 *     [--response-id rsp_…] [--event-id evt_…] [--completed-at ISO] [--print]
 *
 * Without --url/--secret/--account it uses what local mode saved in connector/data/local-mode.json.
 * --print shows the body and signature header instead of sending.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { signatureHeader } from '../../connector/src/intake/signature';

const LOCAL_INFO = join(__dirname, '..', '..', 'connector', 'data', 'local-mode.json');

const { values: args } = parseArgs({
  options: {
    url: { type: 'string' },
    secret: { type: 'string' },
    account: { type: 'string' },
    email: { type: 'string', default: 'jane@example.com' },
    'first-name': { type: 'string', default: 'Jane' },
    'last-name': { type: 'string', default: 'Smith' },
    interaction: { type: 'string', default: 'int_q4_webinar' },
    'interaction-name': { type: 'string', default: 'Q4 Webinar Quiz' },
    'response-id': { type: 'string' },
    'event-id': { type: 'string' },
    'completed-at': { type: 'string' },
    print: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
  strict: true,
});

function fail(message: string): never {
  console.error(`send-webhook: ${message}`);
  process.exit(2);
}

async function main(): Promise<void> {
  if (args.help) {
    console.log(
      readFileSync(__filename, 'utf8')
        .split('*/')[0]
        .replace(/^\/\*\*?|^ \* ?/gm, ''),
    );
    return;
  }
  const local = existsSync(LOCAL_INFO) ? (JSON.parse(readFileSync(LOCAL_INFO, 'utf8')) as Record<string, string>) : {};
  const url = (args.url ?? local.connectorUrl ?? 'http://127.0.0.1:3000').replace(/\/+$/, '');
  const secret =
    args.secret ?? local.webhookSecret ?? fail('--secret is required (or start the connector in local mode first)');
  const accountId = args.account ?? local.accountId ?? 'acc_demo';
  const responseId = args['response-id'] ?? `rsp_${randomBytes(6).toString('hex')}`;
  const completedAt = args['completed-at'] ?? new Date().toISOString();
  if (Number.isNaN(Date.parse(completedAt))) fail('--completed-at must be an ISO 8601 date-time');

  const body = JSON.stringify({
    id: args['event-id'] ?? `evt_${randomBytes(8).toString('hex')}`,
    type: 'response.completed',
    createdAt: new Date().toISOString(),
    accountId,
    data: {
      responseId,
      interaction: { id: args.interaction, name: args['interaction-name'] },
      completedAt,
      score: 80,
      answers: [
        { key: 'first_name', type: 'first_name', label: 'First Name', value: args['first-name'] },
        { key: 'last_name', type: 'last_name', label: 'Last Name', value: args['last-name'] },
        { key: 'email', type: 'email', label: 'Email', value: args.email },
      ],
    },
  });
  const signature = signatureHeader(
    secret
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    body,
  );
  if (args.print) {
    console.log(`CredSpark-Signature: ${signature}\n\n${body}`);
    return;
  }
  let res: Response;
  try {
    res = await fetch(`${url}/webhooks/credspark`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'credspark-signature': signature },
      body,
    });
  } catch (err) {
    fail(`could not reach ${url}: ${err instanceof Error ? err.message : String(err)}`);
  }
  console.log(`POST ${url}/webhooks/credspark → ${res.status} ${await res.text()}`);
  console.log(`account ${accountId}, response ${responseId}`);
  if (local.adminToken && res.status === 202) {
    console.log(
      `status: curl -s -H "Authorization: Bearer ${local.adminToken}" ${url}/api/accounts/${accountId}/responses/${responseId}`,
    );
  }
  if (res.status >= 400) process.exitCode = 1;
}

void main();
