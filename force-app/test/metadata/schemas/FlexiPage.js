// Metadata API Developer Guide, "FlexiPage": https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_flexipage.htm
const { text, oneOf, obj, any, list, req } = require('../schema');

const property = obj({ decorator: text(), name: req(text()), type: text(), value: text(), valueList: any() });
const visibilityRule = obj({
  booleanFilter: text(),
  criteria: list(obj({ leftValue: req(text()), operator: req(text()), rightValue: text() })),
});
const componentInstance = obj({
  componentInstanceProperties: list(property),
  componentName: req(text()),
  identifier: text(),
  visibilityRule,
});
const fieldInstance = obj({
  fieldInstanceProperties: list(obj({ name: req(text()), value: text() })),
  fieldItem: req(text()),
  identifier: text(),
  visibilityRule,
});

module.exports = {
  type: 'FlexiPage',
  fields: {
    description: text({ max: 255 }),
    flexiPageRegions: list(
      obj({
        appendable: text(),
        componentInstances: list(componentInstance),
        itemInstances: list(obj({ componentInstance, fieldInstance })),
        mode: oneOf('Append', 'Prepend', 'Replace'),
        name: req(text()),
        prependable: text(),
        replaceable: text(),
        type: req(oneOf('Region', 'Facet', 'Background')),
      }),
    ),
    masterLabel: req(text({ max: 255 })),
    parentFlexiPage: text(),
    platformActionlist: any(),
    quickActionList: any(),
    sobjectType: text(),
    template: req(obj({ name: req(text()), properties: list(property) })),
    type: req(
      oneOf(
        'AppPage',
        'CommAppPage',
        'CommForgotPasswordPage',
        'CommLoginPage',
        'CommObjectPage',
        'CommQuickActionCreatePage',
        'CommRecordPage',
        'CommRelatedListPage',
        'CommSearchResultPage',
        'CommSelfRegisterPage',
        'CommThemeLayoutPage',
        'EmbeddedServicePage',
        'HomePage',
        'MailAppAppPage',
        'RecordPage',
        'UtilityBar',
      ),
    ),
  },
};
