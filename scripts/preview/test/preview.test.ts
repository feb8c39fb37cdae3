// The preview server against a real local org over HTTP: the compiled page, the Apex stand-in
// (getSetup / saveSyncRule), UI API object info from describe, and the deployment event.
import type { Connection } from 'jsforce';
import type { Preview } from '../src/previewServer';
import { apex, listen, NS, ruleBySoql, usePreview } from './helpers';

jest.setTimeout(120_000);

let preview: Preview;
let conn: Connection;
usePreview((t) => ({ preview, conn } = t));

test('the page and the compiled force-app bundle are served (LWC compiler, real c/ components)', async () => {
  const page = await fetch(`${preview.url}/`);
  expect(page.status).toBe(200);
  const html = await page.text();
  expect(html).toContain('salesforce-lightning-design-system.min.css');
  expect(html).toContain('src="/app.js"');
  const app = await fetch(`${preview.url}/app.js`);
  expect(app.status).toBe(200);
  const code = await app.text();
  // Compiled from force-app/main/default/lwc: the container's tag and the modal's Save label.
  expect(code).toContain('c-credspark-setup');
  expect(code).toContain('Add new field mapping');
  const css = await fetch(`${preview.url}/slds/styles/salesforce-lightning-design-system.min.css`);
  expect(css.status).toBe(200);
  expect(preview.seeded).toBe(true);
});

test('getSetup answers like CredSparkSetupController.getSetup: connection and the seeded interactions', async () => {
  const { status, body } = await apex(preview, 'getSetup');
  expect(status).toBe(200);
  expect(body.result.connection).toMatchObject({
    accountId: 'acc_42',
    status: 'Connected',
    connected: true,
    connectedUser: preview.org.username,
  });
  expect(body.result.interactions.map((i: any) => i.label)).toEqual(['Product Fit Survey', 'Q4 Webinar Quiz']);
  const quiz = body.result.interactions.find((i: any) => i.label === 'Q4 Webinar Quiz');
  expect(quiz.rule).toBeNull();
  // The list carries no Fields__c catalogue (heap): the editor loads it with getInteractionDetails.
  expect(quiz.fields).toEqual([]);
  const details = await apex(preview, 'getInteractionDetails', { developerName: quiz.developerName });
  expect(details.status).toBe(200);
  expect(details.body.result.fields.map((f: any) => f.key)).toEqual([
    'first_name',
    'last_name',
    'email',
    'q7',
    'q8',
    'q9',
  ]);
  const unknown = await apex(preview, 'getInteractionDetails', { developerName: 'Nope' });
  expect(unknown.body.message).toBe('This interaction is not known to Salesforce yet.');
});

test('object info comes from the local org describe: Lead Company and LastName required, Status defaulted', async () => {
  const res = await fetch(`${preview.url}/preview-api/ui-api/object-info/Lead`);
  const info = (await res.json()) as any;
  expect(info.apiName).toBe('Lead');
  expect(info.fields.Company).toMatchObject({ required: true, createable: true, updateable: true });
  expect(info.fields.LastName.required).toBe(true);
  expect(info.fields.Email.required).toBe(false);
  const picklist = await fetch(
    `${preview.url}/preview-api/ui-api/object-info/Lead/picklist-values/${info.defaultRecordTypeId}/LeadSource`,
  );
  expect(((await picklist.json()) as any).values.length).toBeGreaterThan(0);
  expect((await fetch(`${preview.url}/preview-api/ui-api/object-info/Account`)).status).toBe(404);
});

test('an enabled Lead rule without Company is refused with the help article message (as Apex validates)', async () => {
  const { status, body } = await apex(preview, 'saveSyncRule', {
    input: {
      interactionDeveloperName: 'int_q4_webinar',
      enabled: true,
      targetObject: 'Lead',
      mappings: [{ sourceField: 'last_name', targetField: 'LastName' }],
    },
  });
  expect(status).toBe(400);
  expect(body.message).toBe('Leads require Last Name and Company');
  expect(await ruleBySoql(conn, 'int_q4_webinar')).toBeUndefined();
});

test('saving a rule deploys custom metadata the connector reads by SOQL, then publishes the outcome event', async () => {
  const events = await listen(preview);
  try {
    const before = Date.now();
    const input = {
      interactionDeveloperName: 'int_q4_webinar',
      enabled: true,
      targetObject: 'Lead',
      mappings: [
        { sourceField: 'first_name', targetField: 'FirstName' },
        { sourceField: 'last_name', targetField: 'LastName' },
        { sourceField: 'email', targetField: 'Email' },
        { sourceField: 'q7', targetField: 'Company' },
        { staticValue: 'CredSpark', targetField: 'LeadSource' },
      ],
    };
    const { status, body } = await apex(preview, 'saveSyncRule', { input });
    expect(status).toBe(200);
    const event = await events.next();
    expect(event.channel).toBe('/event/CredSpark_Deployment__e');
    expect(event.data.payload).toMatchObject({ Job_Id__c: body.result, Success__c: true });

    const saved = await ruleBySoql(conn, 'int_q4_webinar');
    expect(saved!.rule[`${NS}Enabled__c`]).toBe(true);
    expect(saved!.rule[`${NS}Target_Object__c`]).toBe('Lead');
    const enabledAt = Date.parse(saved!.rule[`${NS}Enabled_At__c`]);
    expect(enabledAt).toBeGreaterThanOrEqual(before - 1000);
    expect(
      saved!.mappings.map((m: any) => [
        m[`${NS}Source_Field__c`],
        m[`${NS}Target_Field__c`],
        m[`${NS}Static_Value__c`],
      ]),
    ).toEqual([
      ['first_name', 'FirstName', null],
      ['last_name', 'LastName', null],
      ['email', 'Email', null],
      ['q7', 'Company', null],
      [null, 'LeadSource', 'CredSpark'],
    ]);

    // Saving again while enabled keeps Enabled_At__c (SPEC §2: it marks when sync was switched on);
    // a removed mapping disappears for readers (blanked record: the Metadata API cannot delete).
    const again = await apex(preview, 'saveSyncRule', { input: { ...input, mappings: input.mappings.slice(0, 4) } });
    expect(again.status).toBe(200);
    expect((await events.next()).data.payload.Success__c).toBe(true);
    const resaved = await ruleBySoql(conn, 'int_q4_webinar');
    expect(Date.parse(resaved!.rule[`${NS}Enabled_At__c`])).toBe(enabledAt);
    expect(resaved!.mappings.map((m: any) => m[`${NS}Target_Field__c`])).toEqual([
      'FirstName',
      'LastName',
      'Email',
      'Company',
    ]);

    const setup = await apex(preview, 'getSetup');
    const quiz = setup.body.result.interactions.find((i: any) => i.developerName === 'int_q4_webinar');
    expect(quiz.rule).toMatchObject({ enabled: true, targetObject: 'Lead', mappingCount: 4, missingRequired: [] });
    const details = await apex(preview, 'getInteractionDetails', { developerName: 'int_q4_webinar' });
    expect(details.body.result.rule.mappings).toHaveLength(4);
  } finally {
    events.close();
  }
});

test('a malformed saveSyncRule body is a 400, not a crash', async () => {
  const { status, body } = await apex(preview, 'saveSyncRule', { input: { enabled: 'yes' } });
  expect(status).toBe(400);
  expect(body.message).toBe('The sync rule is not valid.');
});
