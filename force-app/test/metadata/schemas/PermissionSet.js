// Metadata API Developer Guide, "PermissionSet": https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_permissionset.htm
const { text, bool, oneOf, obj, list, req } = require('../schema');

const enabledName = obj({ enabled: req(bool()), name: req(text()) });

module.exports = {
  type: 'PermissionSet',
  fields: {
    applicationVisibilities: list(obj({ application: req(text()), visible: req(bool()) })),
    classAccesses: list(obj({ apexClass: req(text()), enabled: req(bool()) })),
    customMetadataTypeAccesses: list(enabledName),
    customPermissions: list(enabledName),
    customSettingAccesses: list(enabledName),
    description: text({ max: 255 }),
    emailRoutingAddressAccesses: list(enabledName),
    externalCredentialPrincipalAccesses: list(obj({ enabled: req(bool()), externalCredentialPrincipal: req(text()) })),
    externalDataSourceAccesses: list(obj({ enabled: req(bool()), externalDataSource: req(text()) })),
    fieldPermissions: list(
      obj({ editable: req(bool()), field: req(text({ pattern: /^\w+\.\w+$/ })), readable: req(bool()) }),
    ),
    flowAccesses: list(obj({ enabled: req(bool()), flow: req(text()) })),
    hasActivationRequired: bool(),
    label: req(text({ max: 80 })),
    license: text(),
    objectPermissions: list(
      obj({
        allowCreate: req(bool()),
        allowDelete: req(bool()),
        allowEdit: req(bool()),
        allowRead: req(bool()),
        modifyAllRecords: req(bool()),
        object: req(text({ pattern: /^\w+$/ })),
        viewAllFields: bool(),
        viewAllRecords: req(bool()),
      }),
    ),
    pageAccesses: list(obj({ apexPage: req(text()), enabled: req(bool()) })),
    recordTypeVisibilities: list(obj({ recordType: req(text()), visible: req(bool()) })),
    tabSettings: list(obj({ tab: req(text()), visibility: req(oneOf('Available', 'None', 'Visible')) })),
    userPermissions: list(enabledName),
  },
  rules: [
    // Every object permission must be coherent: edit/delete need read, modify-all needs view-all.
    (root) =>
      root.children
        .filter((c) => c.name === 'objectPermissions')
        .flatMap((op) => {
          const v = Object.fromEntries(op.children.map((c) => [c.name, c.text.trim() === 'true']));
          const name = (op.children.find((c) => c.name === 'object') || { text: '?' }).text;
          const errs = [];
          if ((v.allowEdit || v.allowDelete || v.allowCreate) && !v.allowRead)
            errs.push(`${name}: create/edit/delete without read`);
          if (v.modifyAllRecords && !v.viewAllRecords) errs.push(`${name}: modifyAllRecords without viewAllRecords`);
          if (v.allowDelete && !v.allowEdit) errs.push(`${name}: delete without edit`);
          return errs;
        }),
  ],
};
