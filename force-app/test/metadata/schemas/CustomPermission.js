// Metadata API Developer Guide, "CustomPermission": https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_custompermission.htm
const { text, bool, obj, list, req } = require('../schema');

module.exports = {
  type: 'CustomPermission',
  fields: {
    connectedApp: text(),
    customPermissionDependencyRequired: list(obj({ customPermission: text(), dependency: bool() })),
    description: text({ max: 255 }),
    isLicensed: bool(),
    label: req(text({ max: 80 })),
  },
};
