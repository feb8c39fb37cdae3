// Metadata API Developer Guide, "ReportFolder" (and "Folder"): https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_folder.htm
const { text, oneOf, any, list, req } = require('../schema');

module.exports = {
  type: 'ReportFolder',
  fields: {
    accessType: oneOf('Hidden', 'Public', 'Shared', 'PublicInternal'),
    folderShares: list(any()),
    name: req(text({ max: 40 })),
    publicFolderAccess: oneOf('ReadOnly', 'ReadWrite'),
    sharedTo: any(),
  },
};
