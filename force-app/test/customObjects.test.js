// SPEC §3b (contract): CredSpark_Response__c and CredSpark_Usage__c, their fields, types and lengths, exactly.
// Number(p,s) in the SPEC is Salesforce's "Number(length, decimal places)" notation (Object Manager shows the
// standard Amount field as Currency(16, 2)); the Metadata API's precision is the total digit count, so
// Number(16,2) is precision 18, scale 2 (Metadata API Developer Guide, "CustomField": precision, scale).
const { readdirSync } = require('node:fs');
const path = require('node:path');
const { DEFAULT_DIR, tag, tags, read } = require('./helpers');

const text = (length, extra = {}) => ({ type: 'Text', length, ...extra });
const number = (precision, scale) => ({ type: 'Number', precision, scale });
const lookup = (referenceTo) => ({ type: 'Lookup', referenceTo });

const CONTRACT = {
  CredSpark_Response__c: {
    Response_Id__c: text('64', { externalId: 'true', unique: 'true' }),
    Interaction_Id__c: text('64'),
    Interaction_Name__c: text('255'),
    Completed_At__c: { type: 'DateTime' },
    Score__c: number('18', '2'),
    Status__c: { type: 'Picklist', values: ['Synced', 'Failed'] },
    Action__c: { type: 'Picklist', values: ['Created', 'Updated'] },
    Target_Object__c: text('16'),
    Contact__c: lookup('Contact'),
    Lead__c: lookup('Lead'),
    Error_Code__c: text('64'),
    Error_Message__c: { type: 'LongTextArea', length: '4000' },
    Attempts__c: number('6', '0'),
    Last_Attempt_At__c: { type: 'DateTime' },
    Retry_Requested__c: { type: 'Checkbox' },
  },
  CredSpark_Usage__c: {
    Day_Key__c: text('10', { externalId: 'true', unique: 'true' }),
    Day__c: { type: 'Date' },
    API_Calls__c: number('9', '0'),
    Synced__c: number('9', '0'),
    Failed__c: number('9', '0'),
  },
};

describe.each(Object.entries(CONTRACT))('custom object %s (SPEC §3b)', (objectName, fields) => {
  const dir = path.join(DEFAULT_DIR, 'objects', objectName);
  const objectXml = read(dir, `${objectName}.object-meta.xml`);

  it('is deployed, reportable, described, and named by an auto-number (the connector upserts by external id)', () => {
    expect(tag(objectXml, 'deploymentStatus')).toBe('Deployed');
    expect(tag(objectXml, 'enableReports')).toBe('true');
    expect(tag(objectXml, 'sharingModel')).toMatch(/^(ReadWrite|Read)$/);
    expect(tag(objectXml, 'description')).toMatch(/\w{3,}/);
    const nameField = tag(objectXml, 'nameField');
    expect(tag(nameField, 'type')).toBe('AutoNumber');
    expect(tag(nameField, 'displayFormat')).toMatch(/\{0+\}/);
  });

  it('has exactly the contract fields', () => {
    const files = readdirSync(path.join(dir, 'fields')).map((f) => f.replace('.field-meta.xml', ''));
    expect(files.sort()).toEqual(Object.keys(fields).sort());
  });

  it.each(Object.entries(fields))('%s has the contract type, size, a description and help text', (field, want) => {
    const xml = read(dir, 'fields', `${field}.field-meta.xml`);
    expect(tag(xml, 'fullName')).toBe(field);
    expect(tag(xml, 'type')).toBe(want.type);
    expect(tag(xml, 'description')).toMatch(/\w{3,}/);
    expect(tag(xml, 'inlineHelpText')).toMatch(/\w{3,}/);
    for (const key of ['length', 'precision', 'scale', 'referenceTo', 'externalId', 'unique']) {
      if (want[key] !== undefined) expect([key, tag(xml, key)]).toEqual([key, want[key]]);
    }
    if (want.type === 'Lookup') expect(tag(xml, 'deleteConstraint')).toBe('SetNull');
    if (want.values) {
      // Restricted: the API refuses any other value (INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST).
      expect(tag(xml, 'restricted')).toBe('true');
      expect(tags(xml, 'fullName').slice(1)).toEqual(want.values);
    }
    if (want.type === 'Checkbox') expect(tag(xml, 'defaultValue')).toBe('false');
  });
});
