// SPEC §3 (contract): the five custom metadata types, their fields, types and lengths, exactly.
const { existsSync, readdirSync } = require('node:fs');
const path = require('node:path');
const { DEFAULT_DIR, tag, read } = require('./helpers');

const CONTRACT = {
  CredSpark_Connection__mdt: {
    Account_Id__c: { type: 'Text', length: '64' },
    Status__c: { type: 'Text', length: '16' },
    Connected_User__c: { type: 'Text', length: '255' },
    Connected_At__c: { type: 'DateTime' },
  },
  CredSpark_Interaction__mdt: {
    Interaction_Id__c: { type: 'Text', length: '64' },
    Fields__c: { type: 'LongTextArea' },
  },
  CredSpark_Sync_Rule__mdt: {
    Interaction__c: { type: 'MetadataRelationship', referenceTo: 'CredSpark_Interaction__mdt' },
    Enabled__c: { type: 'Checkbox' },
    Target_Object__c: { type: 'Text', length: '16' },
    Enabled_At__c: { type: 'DateTime' },
    Duplicate_Handling__c: { type: 'Text', length: '16' },
    Converted_Lead__c: { type: 'Text', length: '16' },
    Campaign_Id__c: { type: 'Text', length: '18' },
    Campaign_Status__c: { type: 'Text', length: '40' },
  },
  CredSpark_Settings__mdt: {
    Daily_API_Budget__c: { type: 'Number', precision: '9', scale: '0' },
    Max_Org_API_Usage_Percent__c: { type: 'Number', precision: '3', scale: '0' },
    Response_Records__c: { type: 'Text', length: '16' },
  },
  CredSpark_Field_Mapping__mdt: {
    Sync_Rule__c: { type: 'MetadataRelationship', referenceTo: 'CredSpark_Sync_Rule__mdt' },
    Source_Field__c: { type: 'Text', length: '255' },
    Target_Field__c: { type: 'Text', length: '255' },
    Static_Value__c: { type: 'Text', length: '255' },
  },
};

const objectsDir = path.join(DEFAULT_DIR, 'objects');

describe('custom metadata types (SPEC §3)', () => {
  it('ships exactly the contract types of §3 and objects of §3b, plus only the deployment-outcome platform event', () => {
    const objects = ['CredSpark_Response__c', 'CredSpark_Usage__c', 'CredSpark_Deployment__e'];
    expect(readdirSync(objectsDir).sort()).toEqual([...Object.keys(CONTRACT), ...objects].sort());
  });

  describe.each(Object.entries(CONTRACT))('%s', (typeName, fields) => {
    const typeDir = path.join(objectsDir, typeName);
    const objectXml = read(typeDir, `${typeName}.object-meta.xml`);

    it('is Public so the connector can query it over the API, and is described', () => {
      // Protected types are visible only to Apex in the package namespace (Custom Metadata Types
      // Implementation Guide, "Protected Custom Metadata Types"); the connector is an API client.
      expect(tag(objectXml, 'visibility')).toBe('Public');
      expect(tag(objectXml, 'description')).toMatch(/\w{3,}/);
    });

    it('has exactly the contract fields', () => {
      const files = readdirSync(path.join(typeDir, 'fields')).map((f) => f.replace('.field-meta.xml', ''));
      expect(files.sort()).toEqual(Object.keys(fields).sort());
    });

    it.each(Object.entries(fields))('%s has the contract type, length and a description', (field, want) => {
      const file = path.join(typeDir, 'fields', `${field}.field-meta.xml`);
      expect(existsSync(file)).toBe(true);
      const xml = read(file);
      expect(tag(xml, 'fullName')).toBe(field);
      expect(tag(xml, 'type')).toBe(want.type);
      expect(tag(xml, 'length')).toBe(want.length ?? (want.type === 'LongTextArea' ? tag(xml, 'length') : undefined));
      if (want.referenceTo) expect(tag(xml, 'referenceTo')).toBe(want.referenceTo);
      if (want.precision) expect([tag(xml, 'precision'), tag(xml, 'scale')]).toEqual([want.precision, want.scale]);
      expect(tag(xml, 'description')).toMatch(/\w{3,}/);
    });
  });
});
