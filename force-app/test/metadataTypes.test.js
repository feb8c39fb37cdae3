// Offline packaging gate: every metadata file in force-app is a type Salesforce's source-deploy-retrieve
// registry knows (what `sf package version create` builds from), and none is a type a second-generation
// managed package cannot carry (see UNPACKAGEABLE in ./metadata/inventory.js for the documents).
const path = require('node:path');
const { registry } = require('@salesforce/source-deploy-retrieve');
const { MAIN, UNPACKAGEABLE, metadataFiles, metaXmlOnDisk } = require('./metadata/inventory');

describe('metadata types in force-app', () => {
  const files = metadataFiles();
  const types = [...new Set(files.map((f) => f.type))].sort();

  it('every *-meta.xml file resolves to a component of a registry type', () => {
    const resolved = new Set(files.map((f) => f.file));
    const stray = metaXmlOnDisk()
      .filter((f) => !resolved.has(f))
      .map((f) => path.relative(MAIN, f));
    expect(stray).toEqual([]);
    const known = new Set(
      Object.values(registry.types).flatMap((t) => [
        t.name,
        ...Object.values(t.children?.types ?? {}).map((c) => c.name),
      ]),
    );
    expect(types.filter((t) => !known.has(t))).toEqual([]);
  });

  it('holds no type a managed package cannot carry (connected app, ECA global OAuth settings, ECA policies)', () => {
    const offending = files
      .filter((f) => f.type in UNPACKAGEABLE)
      .map((f) => `${f.relative}: ${UNPACKAGEABLE[f.type]}`);
    expect(offending).toEqual([]);
  });

  it('ships the External Client App with its packaged OAuth settings, the app, tab and permission sets', () => {
    for (const t of [
      'ExternalClientApplication',
      'ExtlClntAppOauthSettings',
      'CustomApplication',
      'CustomTab',
      'PermissionSet',
    ]) {
      expect(types).toContain(t);
    }
  });

  it('the unpackageable list names only real registry types (so the check above cannot pass by a typo)', () => {
    const names = new Set(Object.values(registry.types).map((t) => t.name));
    expect(Object.keys(UNPACKAGEABLE).filter((t) => !names.has(t))).toEqual([]);
  });
});
