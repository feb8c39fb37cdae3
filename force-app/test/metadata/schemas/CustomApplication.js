// Metadata API Developer Guide, "CustomApplication": https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_customapplication.htm
const { text, bool, int, oneOf, obj, any, list, req } = require('../schema');

module.exports = {
  type: 'CustomApplication',
  fields: {
    actionOverrides: list(any()),
    brand: obj({
      footerColor: text({ pattern: /^#[0-9A-Fa-f]{6}$/ }),
      headerColor: text({ pattern: /^#[0-9A-Fa-f]{6}$/ }),
      logo: text(),
      logoVersion: int({ min: 0 }),
      shouldOverrideOrgTheme: bool(),
    }),
    consoleConfig: any(),
    defaultLandingTab: text(),
    description: text({ max: 255 }),
    formFactors: list(oneOf('Small', 'Medium', 'Large')),
    isNavAutoTempTabsDisabled: bool(),
    isNavPersonalizationDisabled: bool(),
    isNavTabPersistenceDisabled: bool(),
    isOverrideOrgTheme: bool(),
    label: req(text({ max: 255 })),
    logo: text(),
    navType: oneOf('Standard', 'Console'),
    preferences: any(),
    profileActionOverrides: list(any()),
    setupExperience: text(),
    subscriberTabs: list(text()),
    tabs: list(text()),
    uiType: oneOf('Aloha', 'Lightning'),
    utilityBar: text(),
    workspaceConfig: any(),
  },
};
