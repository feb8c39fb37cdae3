// Metadata API Developer Guide, "ListView": https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_listview.htm
const { text, oneOf, obj, any, list, req } = require('../schema');

module.exports = {
  type: 'ListView',
  fields: {
    booleanFilter: text(),
    columns: list(text()),
    division: text(),
    filterScope: req(
      oneOf(
        'Everything',
        'Mine',
        'MineAndMyGroups',
        'Queue',
        'Delegated',
        'MyTerritory',
        'MyTeamTerritory',
        'Team',
        'SalesTeam',
        'AssignedToMe',
      ),
    ),
    filters: list(
      obj({
        field: req(text()),
        operation: req(
          oneOf(
            'equals',
            'notEqual',
            'lessThan',
            'greaterThan',
            'lessOrEqual',
            'greaterOrEqual',
            'contains',
            'notContain',
            'startsWith',
            'includes',
            'excludes',
            'within',
          ),
        ),
        value: text(),
      }),
    ),
    fullName: req(text({ pattern: /^\w+$/ })),
    label: req(text({ max: 40 })),
    language: text(),
    queue: text(),
    sharedTo: any(),
  },
};
