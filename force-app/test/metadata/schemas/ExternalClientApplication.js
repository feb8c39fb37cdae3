// Metadata API Developer Guide, "ExternalClientApplication" (API 59.0+):
// https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_externalclientapplication.htm
const { text, bool, oneOf, req } = require('../schema');

module.exports = {
  type: 'ExternalClientApplication',
  fields: {
    contactEmail: req(text({ pattern: /^[^@\s]+@[^@\s]+\.[^@\s]+$/ })),
    contactPhone: text(),
    description: text(),
    distributionState: oneOf('AutoInstalled', 'Local', 'Managed', 'Packaged'),
    iconUrl: text({ pattern: /^https:\/\// }),
    infoUrl: text(),
    isProtected: bool(),
    label: req(text()),
    logoUrl: text({ pattern: /^https:\/\// }),
    managedType: text(),
    // "[org ID]:[external client app name]", set by the owning org on first deployment.
    orgScopedExternalApp: text({ pattern: /^00D[0-9A-Za-z]{12,15}:\w+$/ }),
  },
};
