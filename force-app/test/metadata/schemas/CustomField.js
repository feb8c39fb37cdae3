// Metadata API Developer Guide, "CustomField": https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/customfield.htm
// Length rules: Text 1–255, Long Text Area 256–131,072 (Salesforce Help "Custom Field Types").
const { text, bool, int, oneOf, obj, any, list, req, values } = require('../schema');

const FIELD_TYPES = [
  'AutoNumber',
  'Checkbox',
  'Currency',
  'Date',
  'DateTime',
  'Email',
  'EncryptedText',
  'ExternalLookup',
  'File',
  'Hierarchy',
  'Html',
  'IndirectLookup',
  'Location',
  'LongTextArea',
  'Lookup',
  'MasterDetail',
  'MetadataRelationship',
  'MultiselectPicklist',
  'Number',
  'Percent',
  'Phone',
  'Picklist',
  'Summary',
  'Text',
  'TextArea',
  'Time',
  'Url',
];

const picklistValue = obj({
  color: text({ pattern: /^#[0-9A-Fa-f]{6}$/ }),
  default: req(bool()),
  description: text(),
  fullName: req(text()),
  isActive: bool(),
  label: req(text()),
});

module.exports = {
  type: 'CustomField',
  fields: {
    businessOwnerGroup: text(),
    businessOwnerUser: text(),
    businessStatus: text(),
    caseSensitive: bool(),
    complianceGroup: text(),
    defaultValue: text(),
    deleteConstraint: oneOf('Cascade', 'Restrict', 'SetNull'),
    deprecated: bool(),
    description: text({ max: 1000 }),
    displayFormat: text(),
    displayLocationInDecimal: bool(),
    encryptionScheme: oneOf(
      'None',
      'ProbabilisticEncryption',
      'CaseSensitiveDeterministicEncryption',
      'CaseInsensitiveDeterministicEncryption',
    ),
    escapeMarkup: bool(),
    externalDeveloperName: text(),
    externalId: bool(),
    fieldManageability: oneOf('DeveloperControlled', 'SubscriberControlled', 'Locked'),
    formula: text(),
    formulaTreatBlanksAs: oneOf('BlankAsBlank', 'BlankAsZero'),
    fullName: req(text({ pattern: /^\w+__c$/ })),
    globalPicklist: text(),
    indexed: bool(),
    inlineHelpText: text({ max: 510 }),
    isAIPredictionField: bool(),
    isConvertLeadDisabled: bool(),
    isFilteringDisabled: bool(),
    isNameField: bool(),
    isSortingDisabled: bool(),
    label: req(text({ max: 40 })),
    length: int({ min: 1, max: 131072 }),
    lookupFilter: obj({
      active: req(bool()),
      booleanFilter: text(),
      description: text(),
      errorMessage: text(),
      filterItems: list(obj({ field: req(text()), operation: req(text()), value: text(), valueField: text() })),
      infoMessage: text(),
      isOptional: req(bool()),
    }),
    maskChar: oneOf('asterisk', 'X'),
    maskType: text(),
    metadataRelationshipControllingField: text(),
    populateExistingRows: bool(),
    precision: int({ min: 1, max: 18 }),
    referenceTargetField: text(),
    referenceTo: text(),
    relationshipLabel: text(),
    relationshipName: text({ pattern: /^\w+$/ }),
    relationshipOrder: int({ min: 0, max: 1 }),
    reparentableMasterDetail: bool(),
    required: bool(),
    restrictedAdminField: bool(),
    scale: int({ min: 0, max: 17 }),
    securityClassification: text(),
    startingNumber: int({ min: 0 }),
    stripMarkup: bool(),
    summarizedField: text(),
    summaryFilterItems: list(any()),
    summaryForeignKey: text(),
    summaryOperation: oneOf('count', 'sum', 'min', 'max'),
    trackFeedHistory: bool(),
    trackHistory: bool(),
    trackTrending: bool(),
    trueValueIndexed: bool(),
    type: oneOf(...FIELD_TYPES),
    unique: bool(),
    valueSet: obj({
      controllingField: text(),
      restricted: bool(),
      valueSetDefinition: obj({ sorted: bool(), value: list(picklistValue) }),
      valueSetName: text(),
      valueSettings: list(any()),
    }),
    visibleLines: int({ min: 1, max: 50 }),
    writeRequiresMasterRead: bool(),
  },
  rules: [
    (root) => {
      const type = values(root, 'type')[0];
      const length = Number(values(root, 'length')[0]);
      const has = (n) => values(root, n).length > 0;
      const errs = [];
      if (!type) errs.push('<type> is missing (every custom field declares its type)');
      if (['Text', 'EncryptedText'].includes(type) && !(length >= 1 && length <= 255))
        errs.push(`${type} needs a <length> of 1–255`);
      if (['LongTextArea', 'Html'].includes(type) && !(length >= 256 && length <= 131072)) {
        errs.push(`${type} needs a <length> of 256–131,072`);
      }
      if (['LongTextArea', 'Html', 'MultiselectPicklist'].includes(type) && !has('visibleLines'))
        errs.push(`${type} needs <visibleLines>`);
      if (['Number', 'Currency', 'Percent'].includes(type) && !(has('precision') && has('scale'))) {
        errs.push(`${type} needs <precision> and <scale>`);
      }
      if (['Lookup', 'MasterDetail', 'MetadataRelationship'].includes(type) && !has('referenceTo'))
        errs.push(`${type} needs <referenceTo>`);
      if (['Lookup', 'MasterDetail'].includes(type) && !has('relationshipName'))
        errs.push(`${type} needs <relationshipName>`);
      if (['Picklist', 'MultiselectPicklist'].includes(type) && !has('valueSet')) errs.push(`${type} needs <valueSet>`);
      return errs;
    },
  ],
};
