// Metadata API Developer Guide, "CompactLayout": https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_compactlayout.htm
const { text, list, req } = require('../schema');

module.exports = {
  type: 'CompactLayout',
  fields: {
    fields: list(text()),
    fullName: req(text({ pattern: /^\w+$/ })),
    label: req(text()),
  },
  // "The first field in the layout is the record's primary field; up to ten fields in total."
  rules: [
    (root) =>
      root.children.filter((c) => c.name === 'fields').length > 10 ? ['a compact layout holds at most 10 fields'] : [],
  ],
};
