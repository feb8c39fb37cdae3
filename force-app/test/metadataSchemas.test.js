// Each metadata file is held to the documented elements of its type (a schema per type in ./metadata/schemas,
// written from the Metadata API Developer Guide): an unknown element, a value outside the element's type or
// enumeration, a repeated single element or a missing required one fails. The negative cases below prove the
// checker catches each of those.
const { SCHEMAS, metadataFiles, parseFile } = require('./metadata/inventory');
const { parseXml } = require('./metadata/xml');
const { validate } = require('./metadata/schema');

describe('metadata files match their type schema', () => {
  const files = metadataFiles();

  it('every type present in force-app has a schema (add force-app/test/metadata/schemas/<Type>.js)', () => {
    const missing = [...new Set(files.map((f) => f.type))].filter((t) => !SCHEMAS[t]);
    expect(missing).toEqual([]);
  });

  it.each(files.filter((f) => SCHEMAS[f.type]).map((f) => [f.relative, f]))('%s', (_rel, f) => {
    expect(validate(parseFile(f.file), SCHEMAS[f.type])).toEqual([]);
  });
});

describe('the schema checker rejects bad files', () => {
  const ns = 'xmlns="http://soap.sforce.com/2006/04/metadata"';
  const check = (type, body) =>
    validate(parseXml(`<?xml version="1.0" encoding="UTF-8"?>\n<${type} ${ns}>${body}</${type}>`), SCHEMAS[type]);
  const TAB_OK = '<flexiPage>CredSpark_Setup</flexiPage><label>CredSpark</label><motif>Custom19: Wrench</motif>';

  it('accepts a well-formed file (the baseline of the cases below)', () => {
    expect(check('CustomTab', TAB_OK)).toEqual([]);
  });

  it('an unknown element', () => {
    expect(check('CustomTab', `${TAB_OK}<colour>blue</colour>`)).toEqual([
      expect.stringMatching(/unknown element <colour>/),
    ]);
  });

  it('a value outside the enumeration', () => {
    const errs = check('CustomApplication', '<label>X</label><navType>Sideways</navType>');
    expect(errs).toEqual([expect.stringMatching(/navType.*"Sideways" is not one of Standard, Console/)]);
  });

  it('a bad boolean, a bad integer and a value that breaks its pattern', () => {
    expect(check('CustomPermission', '<isLicensed>yes</isLicensed><label>X</label>')).toEqual([
      expect.stringMatching(/not a boolean/),
    ]);
    expect(check('CustomTab', `${TAB_OK}<frameHeight>tall</frameHeight>`)).toEqual([
      expect.stringMatching(/not an integer/),
    ]);
    expect(check('ExternalClientApplication', '<contactEmail>nobody</contactEmail><label>X</label>')).toEqual([
      expect.stringMatching(/contactEmail.*does not match/),
    ]);
  });

  it('a repeated single element and a missing required one', () => {
    expect(check('CustomTab', `${TAB_OK}<label>Again</label>`)).toEqual([
      expect.stringMatching(/label.*appears more than once/),
    ]);
    expect(check('ApexClass', '<status>Active</status>')).toEqual([
      expect.stringMatching(/required element <apiVersion> is missing/),
    ]);
  });

  it('nested elements are checked too, and type rules apply (a Text field without a length)', () => {
    const ps = check(
      'PermissionSet',
      '<label>P</label><tabSettings><tab>T</tab><visibility>Shown</visibility></tabSettings>',
    );
    expect(ps).toEqual([expect.stringMatching(/tabSettings\.visibility.*"Shown"/)]);
    const field = validate(
      parseXml(`<CustomField ${ns}><fullName>A__c</fullName><label>A</label><type>Text</type></CustomField>`),
      SCHEMAS.CustomField,
    );
    expect(field).toEqual([expect.stringMatching(/Text needs a <length> of 1–255/)]);
  });

  it('the wrong root element, a missing namespace and malformed XML', () => {
    expect(validate(parseXml(`<CustomTab ${ns}/>`), SCHEMAS.CustomApplication)).toEqual([
      expect.stringMatching(/root element is <CustomTab>/),
    ]);
    expect(
      validate(parseXml('<CustomPermission><label>X</label></CustomPermission>'), SCHEMAS.CustomPermission),
    ).toEqual([expect.stringMatching(/must declare xmlns/)]);
    expect(() => parseXml(`<CustomTab ${ns}><label>X</CustomTab>`)).toThrow(/closes <label>/);
    expect(() => parseXml(`<CustomTab ${ns}><label>A & B</label></CustomTab>`)).toThrow(/bare "&"/);
  });
});
