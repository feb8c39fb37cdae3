// The admin's path through the real setup page in headless Chromium (Debian's chromium driven by
// playwright-core): Connected; the Integrations modal with the default mappings (SPEC §2);
// Lead's required-field message with Save disabled; a Company mapping; enable, save; the rule is
// in the local org's custom metadata by SOQL; then signed webhooks through the running connector. Screenshots go to docs/images with
// UPDATE_SCREENSHOTS=1 (otherwise to a temporary folder, so test runs leave the tree clean).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Connection } from 'jsforce';
import type { Page } from 'playwright-core';
import type { Preview } from '../src/previewServer';
import { NS, ruleBySoql, screenshotDir, usePreviewInBrowser } from './helpers';
import { buildConnector } from '../../../connector/src/buildConnector';
import { loadConfig } from '../../../connector/src/config/appConfig';
import { connectDemoAccount } from '../../../connector/src/localMode/connectDemo';
import { control } from '../src/orgClient';
import { completedEvent, postWebhook } from '../../../connector/test/app/harness';

jest.setTimeout(180_000);

const SHOTS = screenshotDir('preview');

let preview: Preview;
let conn: Connection;
let page: Page;
usePreviewInBrowser((t) => ({ preview, conn, page } = t));

// LightningModal.open() mounts the component as <lightning-modal> inside lightning-overlay-container.
const modal = () => page.locator('lightning-modal');
const rows = () => modal().locator('c-credspark-mapping-row');
const saveButton = () => modal().locator('lightning-button.save button');

/** Picks an option as a mouse user does: open the combobox, click the option with that label. */
async function choose(row: ReturnType<typeof rows>, combobox: string, option: string) {
  // [role=combobox]: the Salesforce field combobox also has a help-text button.
  const trigger = row.locator(`lightning-combobox.${combobox} [role="combobox"]`).first();
  await trigger.click();
  // The dropdown renders its options after it opens.
  await row.locator(`lightning-combobox.${combobox} [role="option"]`).first().waitFor();
  const items = row.locator(`lightning-combobox.${combobox} [role="option"]`);
  await items
    .filter({ hasText: new RegExp(`^\\s*${option.replace(/[*]/g, '\\$&')}\\s*$`) })
    .first()
    .click();
}

test('the setup page shows the connection as Connected and lists the interactions', async () => {
  await page.goto(`${preview.url}/`);
  await expect(page.locator('c-credspark-connection-card lightning-badge').textContent()).resolves.toContain(
    'Connected',
  );
  await page.locator('c-credspark-interaction-list tr.interaction').first().waitFor();
  const labels = await page.locator('c-credspark-interaction-list tr.interaction th.label').allTextContents();
  expect(labels.map((l) => l.trim())).toEqual(['Product Fit Survey', 'Q4 Webinar Quiz']);
  await expect(page.locator('c-credspark-connection-card dd.user').textContent()).resolves.toBe(preview.org.username);
  await page.screenshot({ path: path.join(SHOTS, 'setup-page.png') });
});

test('Integrations opens the modal with the default mappings (first_name, last_name, email)', async () => {
  await page
    .locator('tr.interaction', { hasText: 'Q4 Webinar Quiz' })
    .locator('lightning-button.integrations button')
    .click();
  await expect(modal().locator('lightning-modal-header').textContent()).resolves.toContain(
    'Sync Q4 Webinar Quiz to Salesforce',
  );
  await rows().nth(2).waitFor();
  expect(await rows().count()).toBe(3);
  // Synthetic shadow hides a component's template from querySelector; Playwright locators pierce it.
  const value = (i: number, css: string) =>
    rows()
      .nth(i)
      .locator(css)
      .evaluate((el: any) => el.value);
  const pairs = [];
  for (let i = 0; i < 3; i++)
    pairs.push([await value(i, 'lightning-combobox.source'), await value(i, 'lightning-combobox.target')]);
  expect(pairs).toEqual([
    ['first_name', 'FirstName'],
    ['last_name', 'LastName'],
    ['email', 'Email'],
  ]);
  // The object's writable fields come from the local org's describe (required ones marked with *).
  await modal().locator('lightning-combobox.target').nth(1).locator('[role="combobox"]').first().waitFor();
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(SHOTS, 'mapping-modal-contact.png') });
});

test('Lead with sync enabled says "Leads require Last Name and Company" and disables Save', async () => {
  await modal().locator('lightning-input.enabled input').check({ force: true });
  expect(await saveButton().isDisabled()).toBe(false); // Contact: Last Name is mapped
  await modal().locator('lightning-radio-group.object label', { hasText: 'Lead' }).click();
  await expect(modal().locator('p.error').first().textContent()).resolves.toBe('Leads require Last Name and Company');
  expect(await saveButton().isDisabled()).toBe(true);
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(SHOTS, 'mapping-modal-lead-required.png') });
});

test('mapping Company enables Save; saving writes the rule into the local org (SOQL)', async () => {
  await modal().locator('lightning-button.add button').click();
  const row = rows().nth(3);
  await row.waitFor();
  await choose(row, 'source', 'Company');
  expect(await row.locator('lightning-combobox.source').evaluate((el: any) => el.value)).toBe('q7');
  await choose(row, 'target', 'Company *');
  expect(await row.locator('lightning-combobox.target').evaluate((el: any) => el.value)).toBe('Company');
  await expect(modal().locator('p.error').count()).resolves.toBe(0);
  expect(await saveButton().isDisabled()).toBe(false);
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(SHOTS, 'mapping-modal-lead-company.png') });
  await saveButton().click();
  // The modal closes once the CredSpark_Deployment__e event reports success; a toast confirms.
  await modal().waitFor({ state: 'detached' });
  await expect(page.locator('#toasts .slds-notify').first().textContent()).resolves.toContain('Sync rule saved');

  const saved = await ruleBySoql(conn, 'int_q4_webinar');
  expect(saved!.rule[`${NS}Enabled__c`]).toBe(true);
  expect(saved!.rule[`${NS}Target_Object__c`]).toBe('Lead');
  expect(saved!.rule[`${NS}Enabled_At__c`]).toBeTruthy();
  expect(saved!.mappings.map((m: any) => `${m[`${NS}Source_Field__c`]}→${m[`${NS}Target_Field__c`]}`)).toEqual([
    'first_name→FirstName',
    'last_name→LastName',
    'email→Email',
    'q7→Company',
  ]);

  // refreshApex: the list shows the saved rule without a reload.
  const quiz = page.locator('tr.interaction', { hasText: 'Q4 Webinar Quiz' });
  await quiz.filter({ hasText: 'Enabled' }).locator('td.object', { hasText: 'Lead' }).waitFor();
  expect((await quiz.locator('td.count').textContent())!.trim()).toBe('4');
  await page.screenshot({ path: path.join(SHOTS, 'setup-page-saved.png') });
});

// The whole product end to end: the connector runs (real HTTP, SQLite store, worker, OAuth
// connection through the local org's consent page, real sync engine); a signed webhook creates the
// Lead with the mapped values under the rule the admin just saved in the browser, and the same
// respondent with a new last name updates that Lead instead of creating a second one.
test('end to end: signed webhooks through the running connector create the Lead, then update it (SPEC §2, §4)', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'credspark-e2e-'));
  const config = loadConfig({
    DATABASE_URL: `sqlite:${path.join(dir, 'connector.db')}`,
    PORT: '0',
    LOG_LEVEL: 'silent',
  });
  const connector = await buildConnector({ config });
  const { port } = await connector.app.start();
  const url = `http://127.0.0.1:${port}`;
  try {
    config.publicUrl = url;
    const app = await control<{ clientId: string; clientSecret: string }>(
      preview.org.url,
      'POST',
      '/__local/connected-apps',
      {
        name: 'CredSpark Connector (e2e)',
        callbackUrls: [`${url}/oauth/callback`],
      },
    );
    config.sfClientId = app.clientId;
    config.sfClientSecret = app.clientSecret;
    await connectDemoAccount({
      connectorUrl: url,
      adminToken: config.adminToken,
      accountId: 'acc_e2e',
      loginUrl: preview.org.url,
    });

    const send = async (responseId: string, lastName: string) => {
      const event = completedEvent({
        id: `evt_${responseId}`,
        accountId: 'acc_e2e',
        responseId,
        completedAt: new Date().toISOString(),
        answers: [
          { key: 'first_name', type: 'first_name', label: 'First Name', value: 'Jane' },
          { key: 'last_name', type: 'last_name', label: 'Last Name', value: lastName },
          { key: 'email', type: 'email', label: 'Email', value: 'jane.e2e@gmail.com' },
          { key: 'q7', type: 'text', label: 'Company', value: 'Acme' },
        ],
      });
      const reply = await postWebhook(url, event, { secrets: config.webhookSecrets });
      expect(reply.status).toBe(202);
      // Bounded wait for the worker: GET /api/accounts/{id}/responses/{responseId} (SPEC §5).
      for (let i = 0; i < 100; i++) {
        const status = (await (
          await fetch(`${url}/api/accounts/acc_e2e/responses/${responseId}`, {
            headers: { authorization: `Bearer ${config.adminToken}` },
          })
        ).json()) as { status: string; recordId?: string };
        if (status.status !== 'queued') return status;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`response ${responseId} still queued after 10 s`);
    };
    const leads = async () =>
      (
        await control<{ records: any[] }>(preview.org.url, 'GET', `/__local/orgs/${preview.org.orgId}/records/Lead`)
      ).records.filter((l) => String(l.Email).toLowerCase() === 'jane.e2e@gmail.com');

    const created = await send('rsp_e2e_1', 'Doe');
    expect(created).toMatchObject({ status: 'synced', object: 'Lead', action: 'created' });
    expect(await leads()).toEqual([
      expect.objectContaining({ Id: created.recordId, FirstName: 'Jane', LastName: 'Doe', Company: 'Acme' }),
    ]);

    const updated = await send('rsp_e2e_2', 'Smith');
    expect(updated).toMatchObject({ status: 'synced', object: 'Lead', action: 'updated', recordId: created.recordId });
    expect(await leads()).toEqual([
      expect.objectContaining({ Id: created.recordId, LastName: 'Smith', Company: 'Acme' }),
    ]);
  } finally {
    await connector.close();
  }
});
