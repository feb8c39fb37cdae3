// Metadata API Developer Guide, "ExtlClntAppOauthSettings" (API 59.0+):
// https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_extlclntappoauthsettings.htm
const { text, bool, obj, list, req, values } = require('../schema');

module.exports = {
  type: 'ExtlClntAppOauthSettings',
  fields: {
    areAttributesIncludedInAssetToken: bool(),
    areCustomPermsIncludedInAssetToken: bool(),
    assetTokenAudiences: text(),
    commaSeparatedOauthScopes: text({ pattern: /^[A-Za-z]+(\s*,\s*[A-Za-z]+)*$/ }),
    customAttributes: list(obj({ formula: req(text()), key: req(text()) })),
    externalClientApplication: req(text({ pattern: /^\w+$/ })),
    isFirstPartyAppEnabled: bool(),
    label: text(),
    // "An auto-generated value that combines the org ID and the OAuth consumer ID".
    oauthLink: text({ pattern: /^00D[0-9A-Za-z]{12,15}:\w+$/ }),
    singleLogoutUrl: text({ pattern: /^https:\/\// }),
    trustedIpRanges: list(obj({ description: text(), endIpAddress: req(text()), startIpAddress: req(text()) })),
  },
  rules: [
    (root) => {
      const scopes = values(root, 'commaSeparatedOauthScopes')
        .join(',')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      const dupes = scopes.filter((s, i) => scopes.indexOf(s) !== i);
      return dupes.length ? [`commaSeparatedOauthScopes repeats ${dupes.join(', ')}`] : [];
    },
  ],
};
