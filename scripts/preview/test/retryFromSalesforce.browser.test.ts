// Issue 14, end to end in headless Chromium: the real connector (buildConnector, in-process, its
// worker running) and the preview share ONE local org, as `npm start` (local mode) and
// `npm run preview -- --org-url <local org>` do. A webhook whose rule maps to a field that does not
// exist fails (INVALID_MAPPING, SPEC §2), the connector writes its CredSpark_Response__c, the Sync
// health card shows it; the mapping is fixed in the page's mapping dialog, Retry is clicked in the page (Retry_Requested__c = true, SPEC §3b),
// the connector's retry-request poll requeues it, and the Contact is created.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startLocalOrg, type LocalOrg } from '@credspark/local-org';
import type { Page } from 'playwright-core';
import { buildConnector, type Connector } from '../../../connector/src/buildConnector';
import { loadConfig } from '../../../connector/src/config/appConfig';
import { connectDemoAccount } from '../../../connector/src/localMode/connectDemo';
import { createSyncEngine } from '../../../connector/src/sync/syncResponses';
import { freePort } from '../../../connector/test/app/processes';
import { ADMIN_TOKEN, completedEvent, postWebhook, TEST_ENV } from '../../../connector/test/app/harness';
import { CHROMIUM, type Chromium } from '../src/browser';
import { ruleNameFor } from '../src/setupApi';
import { startPreview, type Preview } from '../src/previewServer';
import { launchPage, NS } from './helpers';

jest.setTimeout(180_000);

const ACCOUNT = 'acc_retry_e2e';
const INTERACTION = 'int_product_fit'; // seeded by the preview (seed.ts), no rule yet
const RULE = ruleNameFor(INTERACTION);
const RESPONSE = 'rsp_retry_e2e_1';
const EMAIL = 'retry.from.salesforce@example.com';

let dir: string;
let org: LocalOrg;
let connector: Connector;
let connectorUrl: string;
let preview: Preview;
let browser: Chromium;
let page: Page;

async function until<T>(what: string, probe: () => Promise<T | undefined>, tries = 100, everyMs = 200): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`gave up waiting for ${what}`);
}

interface ResponseStatus {
  status: string;
  error?: { code: string; message: string };
  recordId?: string;
}

async function responseStatus(): Promise<ResponseStatus> {
  const res = await fetch(`${connectorUrl}/api/accounts/${ACCOUNT}/responses/${RESPONSE}`, {
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
  });
  return (await res.json()) as ResponseStatus;
}

/** Records of an sObject through the local org's control endpoint (what the test inspects). */
async function records(sobject: string): Promise<Record<string, unknown>[]> {
  const res = await fetch(`${org.url}/__local/orgs/${org.demo.orgId}/records/${sobject}`);
  return ((await res.json()) as { records: Record<string, unknown>[] }).records;
}

/** Writes custom metadata the way an admin's deployment would (REST DML cannot, as in Salesforce). */
async function seed(sobject: string, rows: object[]) {
  const res = await fetch(`${org.url}/__local/orgs/${org.demo.orgId}/records/${sobject}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(rows),
  });
  if (!res.ok) throw new Error(`seeding ${sobject}: ${res.status} ${await res.text()}`);
}

const mapping = (n: number, source: string, target: string) => ({
  DeveloperName: `${RULE}_M00${n}`,
  MasterLabel: `${source} to ${target}`,
  [`${NS}Sync_Rule__c`]: RULE,
  [`${NS}Source_Field__c`]: source,
  [`${NS}Target_Field__c`]: target,
});

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run scripts/ci/install-browser.sh`);
  org = await startLocalOrg({ port: 0, host: '127.0.0.1', autoApprove: true, quiet: true });
  preview = await startPreview({ port: 0, orgUrl: org.url, quiet: true });
  await preview.ready;

  dir = mkdtempSync(path.join(tmpdir(), 'retry-e2e-'));
  const port = await freePort(); // known before listening: the OAuth redirect_uri names it
  const config = {
    ...loadConfig({
      ...TEST_ENV,
      DATABASE_URL: `sqlite:${path.join(dir, 'connector.db')}`,
      RETRY_REQUEST_POLL_SECONDS: '10', // the minimum (SPEC §6)
      PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
    }),
    sfClientId: org.demo.clientId,
    sfClientSecret: org.demo.clientSecret,
    sfLoginUrl: org.url,
    localMode: true, // accepts the local org's http:// login URL, as `npm start` without credentials does
  };
  config.worker.pollMs = 50;
  // Rules are read fresh on every batch (not the 60 s cache), so the fixed mapping applies at once.
  connector = await buildConnector({ config, syncResponses: createSyncEngine({ settingsTtlMs: 0 }).sync });
  connectorUrl = (await connector.app.start({ port, host: '127.0.0.1' })).url;
  await connectDemoAccount({ connectorUrl, adminToken: ADMIN_TOKEN, accountId: ACCOUNT, loginUrl: org.url });

  // The rule as a newcomer might have left it: Email etc. fine, but one mapping to a Contact field
  // that does not exist in this org (e.g. one deleted after the rule was saved).
  await seed(`${NS}CredSpark_Sync_Rule__mdt`, [
    {
      DeveloperName: RULE,
      MasterLabel: 'Product Fit Survey',
      [`${NS}Interaction__c`]: INTERACTION,
      [`${NS}Enabled__c`]: true,
      [`${NS}Target_Object__c`]: 'Contact',
      [`${NS}Enabled_At__c`]: new Date(Date.now() - 60_000).toISOString(),
    },
  ]);
  await seed(`${NS}CredSpark_Field_Mapping__mdt`, [
    mapping(1, 'first_name', 'FirstName'),
    mapping(2, 'last_name', 'LastName'),
    mapping(3, 'email', 'Email'),
    mapping(4, 'fit', 'Product_Fit__c'),
  ]);

  ({ browser, page } = await launchPage({ width: 1280, height: 1000 }));
});
afterAll(async () => {
  await browser?.close();
  await preview?.close();
  await connector?.close();
  await org?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const health = () => page.locator('c-credspark-sync-health');
const failureRow = () => health().locator('tr.failure', { hasText: 'INVALID_MAPPING' });

test('a failed mapping shows in Sync health; after the fix, Retry in the page syncs the Contact', async () => {
  const event = completedEvent({
    accountId: ACCOUNT,
    responseId: RESPONSE,
    interactionId: INTERACTION,
    completedAt: new Date().toISOString(),
    answers: [
      { key: 'first_name', type: 'first_name', label: 'First Name', value: 'Robin' },
      { key: 'last_name', type: 'last_name', label: 'Last Name', value: 'Retry' },
      { key: 'email', type: 'email', label: 'Email', value: EMAIL },
      { key: 'phone', type: 'phone', label: 'Phone', value: '+1 555 0100' },
      { key: 'fit', type: 'single_choice', label: 'How well does the product fit?', value: 'Very well' },
    ],
  });
  (event.data.interaction as { name: string }).name = 'Product Fit Survey';
  expect((await postWebhook(connectorUrl, event)).status).toBe(202);

  // 1. The connector fails it and says what to fix.
  const failed = await until('the response to fail', async () => {
    const s = await responseStatus();
    return s.status === 'queued' ? undefined : s;
  });
  expect(failed).toMatchObject({ status: 'failed', error: { code: 'INVALID_MAPPING' } });

  // 2. The failure shows in the preview's Sync health card (its CredSpark_Response__c record).
  await until(
    'the failure in Sync health',
    async () => {
      await page.goto(`${preview.url}/`);
      await health().locator('tr.failure').first().waitFor();
      return (await failureRow().count()) > 0 ? true : undefined;
    },
    30,
  );
  expect(await failureRow().locator('.message').textContent()).toContain('Contact.Product_Fit__c does not exist');

  // 3. Fix the mapping in the rule's mapping dialog: the fit answer goes to Description instead.
  await page
    // The row with the rule: the connector's interaction mirror wrote its own
    // CredSpark_Interaction__mdt (named by interactionDeveloperName) beside the preview's seeded
    // int_product_fit, so a second, not set up "Product Fit Survey" row is listed too.
    .locator('tr.interaction', { hasText: 'Product Fit Survey' })
    .filter({ hasText: 'Enabled' })
    .locator('lightning-button.integrations button')
    .click();
  const modal = page.locator('lightning-modal');
  const rows = modal.locator('c-credspark-mapping-row');
  await rows.nth(3).waitFor();
  const target = rows.nth(3).locator('lightning-combobox.target');
  await target.locator('[role="combobox"]').first().click();
  await target
    .locator('[role="option"]', { hasText: /^\s*Description\s*$/ })
    .first()
    .click();
  await modal.locator('lightning-button.save button').click();
  await modal.waitFor({ state: 'detached' });
  await until('the fixed mapping in the org', async () => {
    const m = await records(`${NS}CredSpark_Field_Mapping__mdt`);
    const targets = m.filter((r) => r[`${NS}Sync_Rule__c`] === RULE).map((r) => r[`${NS}Target_Field__c`]);
    return targets.includes('Description') && !targets.includes('Product_Fit__c') ? true : undefined;
  });

  // 4. Retry in the page: sets Retry_Requested__c on the record.
  await page.goto(`${preview.url}/`);
  await failureRow().locator('lightning-button.retry button').click();
  await failureRow().locator('lightning-badge.requested').waitFor();

  // 5. The connector's retry-request poll requeues it, and the worker syncs it with the fixed rule.
  //    The poll runs every RETRY_REQUEST_POLL_SECONDS; the test asks for a tick now and then
  //    (pollOnce) — the store's poll turn still lets at most one poll per org and interval through.
  const synced = await until('the retried response to sync', async () => {
    await connector.app.worker.retryRequests.pollOnce();
    const s = await responseStatus();
    return s.status === 'synced' ? s : s.status === 'failed' && s.error?.code !== 'INVALID_MAPPING' ? s : undefined;
  });
  expect(synced).toMatchObject({ status: 'synced' });
  const contacts = (await records('Contact')).filter((c) => c.Email === EMAIL);
  expect(contacts).toEqual([
    expect.objectContaining({ Id: synced.recordId, LastName: 'Retry', Description: 'Very well' }),
  ]);

  // 6. After a refresh the failure is gone from the card.
  await until(
    'the failure to leave Sync health',
    async () => {
      await page.goto(`${preview.url}/`);
      await health().locator('tr.failure').first().waitFor();
      return (await failureRow().count()) === 0 ? true : undefined;
    },
    30,
  );
});
