// Permission sets that survive a managed install. A managed package installs, from its permission sets, only
// access to the package's own components; permissions on standard objects and standard fields and user
// permissions (API Enabled, Customize Application, …) are not installed (Second-Generation Managed Packaging
// Developer Guide / ISVforce Guide, "Permission Sets and Profile Settings in Packages"). So every entry below
// must name a component this package defines; the subscriber grants the rest (docs/admin-guide.md).
const path = require('node:path');
const { metadataFiles, parseFile } = require('./metadata/inventory');
const { values } = require('./metadata/schema');

const files = metadataFiles();
const own = (type) => new Set(files.filter((f) => f.type === type).map((f) => f.fullName));

/** permission set element → [the child naming the component, the package components it may name]. */
const GRANTS = {
  applicationVisibilities: ['application', own('CustomApplication')],
  classAccesses: ['apexClass', own('ApexClass')],
  customMetadataTypeAccesses: ['name', new Set([...own('CustomObject')].filter((n) => n.endsWith('__mdt')))],
  customPermissions: ['name', own('CustomPermission')],
  customSettingAccesses: ['name', own('CustomObject')],
  fieldPermissions: ['field', own('CustomField')],
  flowAccesses: ['flow', own('Flow')],
  objectPermissions: ['object', new Set([...own('CustomObject')].filter((n) => /__(c|e)$/.test(n)))],
  pageAccesses: ['apexPage', own('ApexPage')],
  recordTypeVisibilities: ['recordType', own('RecordType')],
  tabSettings: ['tab', own('CustomTab')],
};
/** Never installed from a managed package's permission set, whatever they name. */
const NOT_INSTALLED = ['userPermissions'];

/** Entries of a permission set that would be dropped at install (empty = it survives as written). */
function droppedAtInstall(root) {
  const dropped = [];
  for (const el of root.children) {
    if (NOT_INSTALLED.includes(el.name)) {
      dropped.push(`${el.name} ${values(el, 'name').join()}: user permissions are not installed`);
    } else if (GRANTS[el.name]) {
      const [key, allowed] = GRANTS[el.name];
      const target = values(el, key)[0];
      if (!allowed.has(target)) dropped.push(`${el.name} ${target}: not a component of this package`);
    }
  }
  return dropped;
}

const permissionSets = files.filter((f) => f.type === 'PermissionSet');
const byName = Object.fromEntries(permissionSets.map((f) => [f.fullName, parseFile(f.file)]));

describe('permission sets survive a managed install', () => {
  it.each(permissionSets.map((f) => [f.fullName]))('%s grants only access to package components', (name) => {
    expect(droppedAtInstall(byName[name])).toEqual([]);
  });

  it('the rule catches standard-object, standard-field and user permissions', () => {
    const { parseXml } = require('./metadata/xml');
    const bad = parseXml(`<PermissionSet xmlns="http://soap.sforce.com/2006/04/metadata">
      <fieldPermissions><editable>true</editable><field>Contact.Email</field><readable>true</readable></fieldPermissions>
      <objectPermissions><allowCreate>true</allowCreate><allowDelete>false</allowDelete><allowEdit>true</allowEdit>
        <allowRead>true</allowRead><modifyAllRecords>false</modifyAllRecords><object>Lead</object><viewAllRecords>false</viewAllRecords></objectPermissions>
      <userPermissions><enabled>true</enabled><name>ApiEnabled</name></userPermissions>
      <tabSettings><tab>CredSpark_Setup</tab><visibility>Visible</visibility></tabSettings>
      <label>Bad</label></PermissionSet>`);
    expect(droppedAtInstall(bad)).toEqual([
      'fieldPermissions Contact.Email: not a component of this package',
      'objectPermissions Lead: not a component of this package',
      'userPermissions ApiEnabled: user permissions are not installed',
    ]);
  });
});

describe('persona permission sets', () => {
  const admin = byName.CredSpark_Admin;
  const integration = byName.CredSpark_Integration;
  const granted = (root, el, key) => root.children.filter((c) => c.name === el).map((c) => values(c, key)[0]);
  const mdtTypes = [...GRANTS.customMetadataTypeAccesses[1]].filter((n) => n.startsWith('CredSpark_')).sort();

  it('CredSpark_Admin opens the CredSpark app and tab, runs the controller and holds the manage permission', () => {
    expect(granted(admin, 'applicationVisibilities', 'application')).toEqual(['CredSpark']);
    expect(granted(admin, 'tabSettings', 'tab')).toEqual(['CredSpark_Setup', 'CredSpark_Response__c']);
    expect(granted(admin, 'classAccesses', 'apexClass')).toEqual([
      'CredSparkSetupController',
      'CredSparkCampaignLookup',
      'CredSparkPersonResponsesController',
      'CredSparkSettingsController',
      'CredSparkSyncHealthController',
    ]);
    expect(granted(admin, 'customPermissions', 'name')).toEqual(['CredSpark_Manage_Sync']);
    expect(granted(admin, 'objectPermissions', 'object')).toContain('CredSpark_Deployment__e');
  });

  it.each([
    ['CredSpark_Admin', () => admin],
    ['CredSpark_Integration', () => integration],
  ])('%s reads every CredSpark custom metadata type', (_name, ps) => {
    expect(granted(ps(), 'customMetadataTypeAccesses', 'name').sort()).toEqual(mdtTypes);
  });

  it('CredSpark_Integration runs no Apex, holds no custom permission and never deletes (SPEC "Never delete")', () => {
    expect(granted(integration, 'classAccesses', 'apexClass')).toEqual([]);
    expect(granted(integration, 'customPermissions', 'name')).toEqual([]);
    const deletes = integration.children.filter(
      (c) => c.name === 'objectPermissions' && values(c, 'allowDelete')[0] === 'true',
    );
    expect(deletes).toEqual([]);
  });
});

describe('access to the CredSpark objects (SPEC §3b)', () => {
  const fieldAccess = (root) =>
    Object.fromEntries(
      root.children
        .filter((c) => c.name === 'fieldPermissions')
        .map((c) => [values(c, 'field')[0], { read: values(c, 'readable')[0], edit: values(c, 'editable')[0] }]),
    );
  const objectAccess = (root, object) => {
    const op = root.children.find((c) => c.name === 'objectPermissions' && values(c, 'object')[0] === object);
    return (
      op &&
      Object.fromEntries(['allowRead', 'allowCreate', 'allowEdit', 'allowDelete'].map((k) => [k, values(op, k)[0]]))
    );
  };
  const packageFields = [...own('CustomField')].filter((f) => /^CredSpark_(Response|Usage)__c\./.test(f)).sort();

  it('CredSpark_Admin reads every response and usage field and edits only Retry_Requested__c', () => {
    const access = fieldAccess(byName.CredSpark_Admin);
    expect(Object.keys(access).sort()).toEqual(packageFields);
    expect(
      Object.entries(access)
        .filter(([, a]) => a.edit === 'true')
        .map(([f]) => f),
    ).toEqual(['CredSpark_Response__c.Retry_Requested__c']);
    expect(objectAccess(byName.CredSpark_Admin, 'CredSpark_Response__c')).toEqual({
      allowRead: 'true',
      allowCreate: 'false',
      allowEdit: 'true',
      allowDelete: 'false',
    });
    expect(objectAccess(byName.CredSpark_Admin, 'CredSpark_Usage__c').allowEdit).toBe('false');
  });

  it('CredSpark_Integration creates and edits both objects and every field, and never deletes', () => {
    const access = fieldAccess(byName.CredSpark_Integration);
    expect(Object.keys(access).sort()).toEqual(packageFields);
    expect(Object.values(access).every((a) => a.read === 'true' && a.edit === 'true')).toBe(true);
    for (const object of ['CredSpark_Response__c', 'CredSpark_Usage__c']) {
      expect(objectAccess(byName.CredSpark_Integration, object)).toEqual({
        allowRead: 'true',
        allowCreate: 'true',
        allowEdit: 'true',
        allowDelete: 'false',
      });
    }
  });

  it('CredSpark_Response_Viewer only reads responses, for the record-page component', () => {
    const viewer = byName.CredSpark_Response_Viewer;
    const access = fieldAccess(viewer);
    expect(Object.values(access).every((a) => a.edit === 'false')).toBe(true);
    expect(objectAccess(viewer, 'CredSpark_Response__c')).toMatchObject({ allowRead: 'true', allowEdit: 'false' });
    expect(objectAccess(viewer, 'CredSpark_Usage__c')).toBeUndefined();
  });
});
