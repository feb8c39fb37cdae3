// The preview's stand-ins for the Sync health, settings, campaign and record-page Apex against a real
// local org over HTTP: counts from aggregate SOQL over the seeded CredSpark_Response__c
// records, retries written to Retry_Requested__c, settings written to CredSpark_Settings.Default,
// campaigns and their member statuses, and the matching options saved with the rule.
import type { Connection } from 'jsforce';
import { likeContains } from '../src/campaignApi';
import type { Preview } from '../src/previewServer';
import { apexCall, listen, NS, usePreview } from './helpers';

jest.setTimeout(120_000);

let preview: Preview;
let conn: Connection;
usePreview((t) => ({ preview, conn } = t));

const call = (method: string, params: unknown = {}) => apexCall(preview, method, params);

async function failureWithCode(code: string) {
  const rows = await conn.query<any>(
    `SELECT Id, ${NS}Retry_Requested__c FROM ${NS}CredSpark_Response__c WHERE ${NS}Error_Code__c = '${code}'`,
  );
  return rows.records;
}

test('getSyncHealth counts the seeded outcomes by status and by code for 24 hours and 7 days', async () => {
  const { status, body } = await call('CredSparkSyncHealthController.getSyncHealth');
  expect(status).toBe(200);
  const view = body.result;
  expect(view.last24Hours).toEqual({
    synced: 1,
    failed: 3,
    byCode: [
      { code: 'REQUIRED_FIELD_MISSING', count: 2 },
      { code: 'INVALID_EMAIL_ADDRESS', count: 1 },
    ],
  });
  expect(view.last7Days.synced).toBe(2);
  expect(view.last7Days.failed).toBe(4);
  expect(view.failures.map((f: any) => f.errorCode)).toEqual([
    'INVALID_EMAIL_ADDRESS',
    'REQUIRED_FIELD_MISSING',
    'REQUIRED_FIELD_MISSING',
    'DUPLICATES_DETECTED',
  ]);
  expect(view.failures[0]).toMatchObject({
    interactionName: 'Product Fit Survey',
    errorMessage: 'Email: invalid email address: sam@example',
    retryRequested: false,
  });
  expect(view.usage).toMatchObject({ apiCallsToday: 6, dailyApiBudget: 0, maxOrgApiUsagePercent: 90 });
  expect(view.usage.orgApiMax).toBeGreaterThan(0);
  expect(view.settings).toMatchObject({ responseRecords: 'Failures', canManage: true });
});

test('Retry flags one failed response in the org; a synced one is refused with the Apex message', async () => {
  const [failed] = await failureWithCode('DUPLICATES_DETECTED');
  const { body } = await call('CredSparkSyncHealthController.requestRetry', { responseRecordId: failed.Id });
  expect(body.result).toBe(1);
  expect((await failureWithCode('DUPLICATES_DETECTED'))[0][`${NS}Retry_Requested__c`]).toBe(true);

  const synced = await conn.query<any>(
    `SELECT Id FROM ${NS}CredSpark_Response__c WHERE ${NS}Status__c = 'Synced' LIMIT 1`,
  );
  const refused = await call('CredSparkSyncHealthController.requestRetry', {
    responseRecordId: synced.records[0].Id,
  });
  expect(refused).toEqual({
    status: 400,
    body: { message: 'This response has synced since: there is nothing to retry.' },
  });
});

test('Retry all with this code flags every failure with the code once', async () => {
  const first = await call('CredSparkSyncHealthController.requestRetryForCode', {
    errorCode: 'REQUIRED_FIELD_MISSING',
  });
  const again = await call('CredSparkSyncHealthController.requestRetryForCode', {
    errorCode: 'REQUIRED_FIELD_MISSING',
  });
  expect([first.body.result, again.body.result]).toEqual([2, 0]);
  const rows = await failureWithCode('REQUIRED_FIELD_MISSING');
  expect(rows.map((r: any) => r[`${NS}Retry_Requested__c`])).toEqual([true, true]);
  expect((await failureWithCode('INVALID_EMAIL_ADDRESS'))[0][`${NS}Retry_Requested__c`]).toBe(false);
});

test('saveSettings writes CredSpark_Settings.Default and publishes the deployment outcome', async () => {
  const events = await listen(preview);
  try {
    const { body } = await call('CredSparkSettingsController.saveSettings', {
      input: { dailyApiBudget: 5000, maxOrgApiUsagePercent: null, responseRecords: 'All' },
    });
    const event = await events.next();
    expect(event.data.payload).toMatchObject({
      Job_Id__c: body.result,
      Success__c: true,
      Message__c: 'Settings saved.',
    });
  } finally {
    events.close();
  }
  const settings = await conn.query<any>(
    `SELECT ${NS}Daily_API_Budget__c, ${NS}Max_Org_API_Usage_Percent__c, ${NS}Response_Records__c FROM ${NS}CredSpark_Settings__mdt WHERE DeveloperName = 'Default'`,
  );
  expect(settings.records[0]).toMatchObject({
    [`${NS}Daily_API_Budget__c`]: 5000,
    [`${NS}Max_Org_API_Usage_Percent__c`]: null,
    [`${NS}Response_Records__c`]: 'All',
  });
  const view = (await call('CredSparkSyncHealthController.getSyncHealth')).body.result;
  expect(view.settings).toMatchObject({ dailyApiBudget: 5000, maxOrgApiUsagePercent: 90, responseRecords: 'All' });
});

test('saveSettings refuses out-of-range values with the shared messages', async () => {
  const { status, body } = await call('CredSparkSettingsController.saveSettings', {
    input: { dailyApiBudget: -1, maxOrgApiUsagePercent: 150, responseRecords: 'Some' },
  });
  expect(status).toBe(400);
  expect(body.message).toBe(
    'The daily API budget is a whole number from 0 (no cap) to 999999999. ' +
      'The maximum org API usage is a whole number from 1 to 100 (percent). ' +
      'Choose which responses get a record: none, failed responses, or all responses.',
  );
});

test('searchCampaigns offers active campaigns by name only; getCampaign lists its member statuses', async () => {
  const found = (await call('CredSparkCampaignLookup.searchCampaigns', { searchTerm: 'webinar' })).body.result;
  expect(found.map((c: any) => c.name)).toEqual(['Q4 Webinar']);
  const all = (await call('CredSparkCampaignLookup.searchCampaigns', { searchTerm: '' })).body.result;
  expect(all.map((c: any) => c.name)).toEqual(['Q4 Webinar', 'Spring Fair 2027']);
  const detail = (await call('CredSparkCampaignLookup.getCampaign', { campaignId: found[0].id })).body.result;
  expect(detail.isActive).toBe(true);
  expect(detail.statuses.map((s: any) => [s.label, s.isDefault])).toEqual([
    ['Sent', true],
    ['Responded', false],
    ['Registered', false],
    ['Attended', false],
  ]);
  const missing = await call('CredSparkCampaignLookup.getCampaign', { campaignId: '701000000000000AAA' });
  expect(missing.body.result).toBeNull();
});

test('a search term with % or _ matches literally (LIKE wildcards escaped)', async () => {
  expect(likeContains("100%_o'k")).toBe("'%100\\%\\_o\\'k%'");
  const found = (await call('CredSparkCampaignLookup.searchCampaigns', { searchTerm: 'Q_ W' })).body.result;
  expect(found).toEqual([]);
});

test('saveSyncRule validates the campaign and saves the matching options with the rule', async () => {
  const [q4] = (await call('CredSparkCampaignLookup.searchCampaigns', { searchTerm: 'Q4 Webinar' })).body.result;
  const input = {
    interactionDeveloperName: 'int_product_fit',
    enabled: false,
    targetObject: 'Lead',
    mappings: [{ sourceField: 'last_name', targetField: 'LastName', staticValue: null }],
    duplicateHandling: 'Update_Match',
    convertedLead: 'Update_Contact',
    campaignId: q4.id,
    campaignStatus: 'Nope',
  };
  const refused = await call('CredSparkSetupController.saveSyncRule', { input });
  expect(refused).toEqual({
    status: 400,
    body: { message: 'Nope is not a member status of Q4 Webinar. Choose one of its member statuses.' },
  });
  const events = await listen(preview);
  try {
    await call('CredSparkSetupController.saveSyncRule', { input: { ...input, campaignStatus: 'Attended' } });
    expect((await events.next()).data.payload.Success__c).toBe(true);
  } finally {
    events.close();
  }
  const rule = await conn.query<any>(
    `SELECT ${NS}Duplicate_Handling__c, ${NS}Converted_Lead__c, ${NS}Campaign_Id__c, ${NS}Campaign_Status__c FROM ${NS}CredSpark_Sync_Rule__mdt WHERE DeveloperName = 'R_int_product_fit'`,
  );
  expect(rule.records[0]).toMatchObject({
    [`${NS}Duplicate_Handling__c`]: 'Update_Match',
    [`${NS}Converted_Lead__c`]: 'Update_Contact',
    [`${NS}Campaign_Id__c`]: q4.id,
    [`${NS}Campaign_Status__c`]: 'Attended',
  });
  const setup = (await call('CredSparkSetupController.getSetup')).body.result;
  const fit = setup.interactions.find((i: any) => i.developerName === 'int_product_fit');
  expect(fit.rule).toMatchObject({ duplicateHandling: 'Update_Match', campaignStatus: 'Attended' });
});

test("getResponses lists the Lead's responses newest first", async () => {
  const lead = await conn.query<any>(`SELECT Id FROM Lead WHERE Email = 'jane@example.com' LIMIT 1`);
  const rows = (await call('CredSparkPersonResponsesController.getResponses', { recordId: lead.records[0].Id })).body
    .result;
  expect(rows.map((r: any) => [r.interactionName, r.score, r.status])).toEqual([
    ['Product Fit Survey', 88.5, 'Synced'],
    ['Q4 Webinar Quiz', 72, 'Synced'],
  ]);
});
