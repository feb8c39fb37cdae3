// Metadata API Developer Guide, "CustomMetadata" (records of custom metadata types, .md-meta.xml):
// https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_custommetadata.htm
const { text, bool, obj, any, list, req } = require('../schema');

module.exports = {
  type: 'CustomMetadata',
  fields: {
    description: text({ max: 1000 }),
    label: req(text({ max: 40 })),
    protected: bool(),
    values: list(obj({ field: req(text({ pattern: /^\w+__c$/ })), value: any() })),
  },
};
