// Metadata API Developer Guide, "LightningComponentBundle" and the LWC Developer Guide, "XML Configuration File
// Elements": https://developer.salesforce.com/docs/platform/lwc/guide/reference-configuration-tags.html
const { text, bool, num, obj, any, list, req } = require('../schema');

module.exports = {
  type: 'LightningComponentBundle',
  fields: {
    apiVersion: req(num()),
    capabilities: obj({ capability: list(text({ pattern: /^lightning__\w+$/ })) }),
    description: text({ max: 255 }),
    isExplicitImport: bool(),
    isExposed: req(bool()),
    masterLabel: text({ max: 255 }),
    runtimeNamespace: text(),
    targets: obj({ target: list(text({ pattern: /^[a-zA-Z]+__\w+$/ })) }),
    targetConfigs: any(),
  },
};
