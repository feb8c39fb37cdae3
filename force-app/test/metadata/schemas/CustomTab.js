// Metadata API Developer Guide, "CustomTab": https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_customtab.htm
const { text, bool, int, oneOf, any, list } = require('../schema');

module.exports = {
  type: 'CustomTab',
  fields: {
    actionOverrides: list(any()),
    auraComponent: text(),
    customObject: bool(),
    description: text({ max: 255 }),
    flexiPage: text(),
    frameHeight: int({ min: 0 }),
    hasSidebar: bool(),
    icon: text(),
    label: text({ max: 255 }),
    lwcComponent: text(),
    mobileReady: bool(),
    motif: text({ pattern: /^Custom\d+: .+$/ }),
    page: text(),
    scontrol: text(),
    splashPageLink: text(),
    url: text(),
    urlEncodingKey: oneOf(
      'UTF-8',
      'ISO-8859-1',
      'Shift_JIS',
      'ISO-2022-JP',
      'EUC-JP',
      'ks_c_5601-1987',
      'Big5',
      'GB2312',
    ),
  },
};
