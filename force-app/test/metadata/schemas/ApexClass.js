// Metadata API Developer Guide, "ApexClass": https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_classes.htm
const { text, num, int, oneOf, obj, list, req } = require('../schema');

module.exports = {
  type: 'ApexClass',
  fields: {
    apiVersion: req(num()),
    packageVersions: list(obj({ majorNumber: int({ min: 0 }), minorNumber: int({ min: 0 }), namespace: text() })),
    status: req(oneOf('Active', 'Deleted', 'Inactive')),
  },
};
