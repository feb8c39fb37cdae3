// The Sync health metadata parts (list views, compact layout, report types, reports) refer to each other by name only, which nothing checks before a deploy:
// list views and the compact layout name fields of CredSpark_Response__c; reports name a custom report
// type (with the __c suffix) and its fields as `BaseObject$Field` (Metadata API Developer Guide,
// "Report": custom report type columns); the record-page component names the objects it may sit on.
const { existsSync, readdirSync } = require('node:fs');
const path = require('node:path');
const { DEFAULT_DIR, tag, tags, read } = require('./helpers');

const OBJECT = 'CredSpark_Response__c';
const objectDir = path.join(DEFAULT_DIR, 'objects', OBJECT);
const fieldsOf = (object) =>
  new Set(
    readdirSync(path.join(DEFAULT_DIR, 'objects', object, 'fields')).map((f) => f.replace('.field-meta.xml', '')),
  );
const STANDARD = new Set(['Name', 'NAME', 'CreatedDate', 'LastModifiedDate']);

describe('CredSpark_Response__c list views and compact layout', () => {
  const fields = fieldsOf(OBJECT);
  const views = readdirSync(path.join(objectDir, 'listViews'));

  it('ships "Failed responses", "All responses" and "Retry requested"', () => {
    const labels = views.map((f) => tag(read(objectDir, 'listViews', f), 'label')).sort();
    expect(labels).toEqual(['All responses', 'Failed responses', 'Retry requested']);
  });

  it.each(views)('%s names only fields of the object, and filters on the contract values', (file) => {
    const xml = read(objectDir, 'listViews', file);
    for (const field of [...tags(xml, 'columns'), ...tags(xml, 'field')]) {
      expect([field, STANDARD.has(field) || fields.has(field)]).toEqual([field, true]);
    }
    expect(tag(xml, 'fullName')).toBe(file.replace('.listView-meta.xml', ''));
  });

  it('Failed responses filters Status__c = Failed; Retry requested filters the checkbox', () => {
    const failed = read(objectDir, 'listViews', 'Failed_Responses.listView-meta.xml');
    expect([tag(failed, 'field'), tag(failed, 'operation'), tag(failed, 'value')]).toEqual([
      'Status__c',
      'equals',
      'Failed',
    ]);
    const retry = read(objectDir, 'listViews', 'Retry_Requested.listView-meta.xml');
    expect([tag(retry, 'field'), tag(retry, 'value')]).toEqual(['Retry_Requested__c', '1']);
  });

  it('the object uses the compact layout, whose fields exist', () => {
    const assigned = tag(read(objectDir, `${OBJECT}.object-meta.xml`), 'compactLayoutAssignment');
    const xml = read(objectDir, 'compactLayouts', `${assigned}.compactLayout-meta.xml`);
    for (const field of tags(xml, 'fields'))
      expect([field, STANDARD.has(field) || fields.has(field)]).toEqual([field, true]);
  });
});

describe('report types and the CredSpark Sync Health reports', () => {
  const typesDir = path.join(DEFAULT_DIR, 'reportTypes');
  const reportsDir = path.join(DEFAULT_DIR, 'reports', 'CredSpark_Sync_Health');
  const reportTypes = Object.fromEntries(
    readdirSync(typesDir).map((f) => {
      const xml = read(typesDir, f);
      return [
        f.replace('.reportType-meta.xml', ''),
        { base: tag(xml, 'baseObject'), fields: new Set(tags(xml, 'field')) },
      ];
    }),
  );
  const reports = readdirSync(reportsDir);

  it.each(Object.entries(reportTypes))('report type %s lists only fields of its base object', (_name, rt) => {
    const fields = fieldsOf(rt.base);
    for (const field of rt.fields) expect([field, STANDARD.has(field) || fields.has(field)]).toEqual([field, true]);
  });

  it('covers responses by interaction, by status, by error code, and usage by day', () => {
    expect(reports.sort()).toEqual([
      'API_Usage_by_Day.report-meta.xml',
      'Failures_by_Error_Code.report-meta.xml',
      'Responses_by_Interaction.report-meta.xml',
      'Responses_by_Status.report-meta.xml',
    ]);
    expect(existsSync(path.join(DEFAULT_DIR, 'reports', 'CredSpark_Sync_Health.reportFolder-meta.xml'))).toBe(true);
  });

  it.each(reports)('%s uses a packaged report type and only its fields', (file) => {
    const xml = read(reportsDir, file);
    const typeName = tag(xml, 'reportType');
    expect(typeName).toMatch(/__c$/); // custom report types are referenced with the __c suffix
    const rt = reportTypes[typeName.replace(/__c$/, '')];
    expect(rt).toBeDefined();
    const refs = xml.match(/\b\w+\$\w+\b/g);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) {
      const [object, field] = ref.split('$');
      expect([ref, object === rt.base && rt.fields.has(field)]).toEqual([ref, true]);
    }
    // Ready for a dashboard: a summary report with a chart.
    expect(tag(xml, 'format')).toBe('Summary');
    expect(tag(xml, 'chartType')).toMatch(/\w+/);
  });
});

describe('CredSpark Responses record-page component', () => {
  it('is exposed to Lightning App Builder on Contact and Lead record pages', () => {
    const meta = read(DEFAULT_DIR, 'lwc', 'credsparkPersonResponses', 'credsparkPersonResponses.js-meta.xml');
    expect(tag(meta, 'isExposed')).toBe('true');
    expect(tags(meta, 'target')).toEqual(['lightning__RecordPage']);
    expect(tags(meta, 'object').sort()).toEqual(['Contact', 'Lead']);
  });
});
