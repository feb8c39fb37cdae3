// Metadata API Developer Guide, "Report": https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_report.htm
const { text, bool, int, oneOf, obj, any, list, req } = require('../schema');

const SORT = oneOf('Asc', 'Desc');

module.exports = {
  type: 'Report',
  fields: {
    aggregates: list(any()),
    block: list(any()),
    blockInfo: any(),
    buckets: list(any()),
    chart: any(),
    colorRanges: list(any()),
    columns: list(
      obj({
        aggregateTypes: list(oneOf('Sum', 'Average', 'Maximum', 'Minimum', 'Unique', 'Median', 'RowCount')),
        field: req(text()),
        reverseColors: bool(),
        showChanges: bool(),
      }),
    ),
    crossFilters: list(any()),
    currency: text(),
    customDetailFormulas: list(any()),
    dataCategoryFilters: list(any()),
    description: text({ max: 255 }),
    division: text(),
    filter: obj({
      booleanFilter: text(),
      criteriaItems: list(
        obj({
          column: req(text()),
          columnToColumn: bool(),
          isUnlocked: bool(),
          operator: req(text()),
          snapshot: text(),
          value: text(),
        }),
      ),
      language: text(),
    }),
    folderName: text(),
    format: req(oneOf('Tabular', 'Summary', 'Matrix', 'MultiBlock')),
    formattingRules: list(any()),
    groupingsAcross: list(any()),
    groupingsDown: list(
      obj({
        aggregateType: text(),
        dateGranularity: text(),
        field: req(text()),
        sortByName: text(),
        sortOrder: req(SORT),
        sortType: text(),
      }),
    ),
    historicalSelector: any(),
    name: req(text({ max: 40 })),
    numSubscriptions: int({ min: 0 }),
    params: list(obj({ name: req(text()), value: req(text()) })),
    reportType: req(text()),
    roleHierarchyFilter: text(),
    rowLimit: int({ min: 1 }),
    scope: text(),
    showCurrentDate: bool(),
    showDetails: bool(),
    showGrandTotal: bool(),
    showSubTotals: bool(),
    sortColumn: text(),
    sortOrder: SORT,
    territoryHierarchyFilter: text(),
    timeFrameFilter: obj({ dateColumn: req(text()), endDate: text(), interval: req(text()), startDate: text() }),
    userFilter: text(),
  },
};
