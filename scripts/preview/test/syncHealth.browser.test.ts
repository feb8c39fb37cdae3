// Sync health and the matching options in headless Chromium through the real components: the Sync health card (counts,
// latest failures, Retry writing Retry_Requested__c in the local org), the matching options of the
// mapping modal (duplicate rules, converted Leads, a campaign found by name and one of its member
// statuses, saved with the rule), and the record-page component on a Lead. UPDATE_SCREENSHOTS=1
// writes the screenshots to docs/images (otherwise to a temporary folder).
import path from 'node:path';
import type { Connection } from 'jsforce';
import type { Locator, Page } from 'playwright-core';
import type { Preview } from '../src/previewServer';
import { NS, screenshotDir, usePreviewInBrowser } from './helpers';

jest.setTimeout(180_000);

const SHOTS = screenshotDir('health');

let preview: Preview;
let conn: Connection;
let page: Page;
usePreviewInBrowser((t) => ({ preview, conn, page } = t), { width: 1280, height: 1000 });

const health = () => page.locator('c-credspark-sync-health');
const modal = () => page.locator('lightning-modal');
const texts = async (locator: Locator) => (await locator.allTextContents()).map((t) => t.trim());

/** Picks a combobox option as a mouse user does. */
async function choose(scope: Locator, combobox: string, option: string) {
  await scope.locator(`lightning-combobox.${combobox} [role="combobox"]`).first().click();
  const items = scope.locator(`lightning-combobox.${combobox} [role="option"]`);
  await items.first().waitFor();
  await items
    .filter({ hasText: new RegExp(`^\\s*${option}\\s*$`) })
    .first()
    .click();
}

test('Sync health shows counts by status and code, the latest failures and the API usage', async () => {
  await page.goto(`${preview.url}/`);
  await health().locator('tr.failure').first().waitFor();
  expect(await texts(health().locator('tr.total td.count'))).toEqual(['1', '2', '3', '4']);
  expect(await texts(health().locator('tr.code th.label'))).toEqual([
    'REQUIRED_FIELD_MISSING',
    'INVALID_EMAIL_ADDRESS',
    'DUPLICATES_DETECTED',
  ]);
  expect(await health().locator('tr.failure').count()).toBe(4);
  expect(await health().locator('tr.failure .message').first().textContent()).toBe(
    'Email: invalid email address: sam@example',
  );
  expect((await health().locator('c-credspark-api-usage .budget').textContent())!.trim()).toBe(
    '6 API calls today (no daily cap)',
  );
  await page.waitForTimeout(300);
  await health().screenshot({ path: path.join(SHOTS, 'sync-health.png') });
});

test('Retry on a failure sets Retry_Requested__c in the org and the row shows it', async () => {
  const row = health().locator('tr.failure', { hasText: 'DUPLICATES_DETECTED' });
  await row.locator('lightning-button.retry button').click();
  await expect(page.locator('#toasts .slds-notify').first().textContent()).resolves.toContain('Retry requested');
  await row.locator('lightning-badge.requested').waitFor();
  const flagged = await conn.query<any>(
    `SELECT ${NS}Retry_Requested__c FROM ${NS}CredSpark_Response__c WHERE ${NS}Error_Code__c = 'DUPLICATES_DETECTED'`,
  );
  expect(flagged.records[0][`${NS}Retry_Requested__c`]).toBe(true);
});

test('the mapping modal saves the matching options: update the match, update the Contact, a campaign and status', async () => {
  await page
    .locator('tr.interaction', { hasText: 'Q4 Webinar Quiz' })
    .locator('lightning-button.integrations button')
    .click();
  await modal().locator('c-credspark-mapping-row').first().waitFor();
  await modal().locator('lightning-radio-group.object label', { hasText: 'Lead' }).click();
  const options = modal().locator('c-credspark-matching-options');
  await options.locator('lightning-radio-group.duplicates label', { hasText: 'Update the match' }).click();
  await options.locator('lightning-radio-group.converted label', { hasText: 'Update the Contact' }).click();
  await options.locator('lightning-input.search input').fill('webinar');
  const result = options.locator('li.result lightning-button button', { hasText: 'Q4 Webinar' });
  await result.waitFor();
  expect(await options.locator('li.result').count()).toBe(1); // the inactive "Q3 Webinar (closed)" is not offered
  await result.click();
  await options.locator('lightning-pill.campaign').waitFor();
  await choose(options, 'status', 'Attended');
  await expect(modal().locator('p.error').count()).resolves.toBe(0);
  await options.scrollIntoViewIfNeeded();
  // The earlier Retry's toast would cover the dialog's title in the screenshot.
  await page.evaluate("document.getElementById('toasts')?.replaceChildren()");
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(SHOTS, 'mapping-modal-matching.png') });

  await modal().locator('lightning-button.save button').click();
  await modal().waitFor({ state: 'detached' });
  const rule = await conn.query<any>(
    `SELECT ${NS}Target_Object__c, ${NS}Duplicate_Handling__c, ${NS}Converted_Lead__c, ${NS}Campaign_Id__c, ${NS}Campaign_Status__c FROM ${NS}CredSpark_Sync_Rule__mdt WHERE DeveloperName = 'R_int_q4_webinar'`,
  );
  const campaign = await conn.query<any>(`SELECT Id FROM Campaign WHERE Name = 'Q4 Webinar'`);
  expect(rule.records[0]).toMatchObject({
    [`${NS}Target_Object__c`]: 'Lead',
    [`${NS}Duplicate_Handling__c`]: 'Update_Match',
    [`${NS}Converted_Lead__c`]: 'Update_Contact',
    [`${NS}Campaign_Id__c`]: campaign.records[0].Id,
    [`${NS}Campaign_Status__c`]: 'Attended',
  });
});

test("the CredSpark Responses record-page component lists the Lead's responses, newest first", async () => {
  const lead = await conn.query<any>(`SELECT Id FROM Lead WHERE Email = 'jane@example.com' LIMIT 1`);
  await page.goto(`${preview.url}/?record=${lead.records[0].Id}`);
  const component = page.locator('c-credspark-person-responses');
  await component.locator('tr.response').first().waitFor();
  expect(await texts(component.locator('a.link'))).toEqual(['Product Fit Survey', 'Q4 Webinar Quiz']);
  await page.waitForTimeout(300);
  await component.screenshot({ path: path.join(SHOTS, 'person-responses.png') });
});
