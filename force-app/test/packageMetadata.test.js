// Connected app, permission sets, tab and app page: the settings the connector and admins rely on.
const path = require('node:path');
const { DEFAULT_DIR, tag, tags, read } = require('./helpers');

describe('CredSpark_Connector connected app', () => {
  const xml = read(DEFAULT_DIR, 'connectedApps', 'CredSpark_Connector.connectedApp-meta.xml');

  it('grants only the api and refresh_token scopes (SPEC §5 "scopes api refresh_token")', () => {
    expect(tags(xml, 'scopes').sort()).toEqual(['Api', 'RefreshToken']);
  });

  it('requires PKCE and the consumer secret', () => {
    expect(tag(xml, 'isPkceRequired')).toBe('true');
    expect(tag(xml, 'isConsumerSecretOptional')).toBe('false');
  });

  it('uses an https callback ending in /oauth/callback', () => {
    expect(tag(xml, 'callbackUrl')).toMatch(/^https:\/\/[^\s]+\/oauth\/callback$/);
  });
});

describe('permission sets', () => {
  const admin = read(DEFAULT_DIR, 'permissionsets', 'CredSpark_Admin.permissionset-meta.xml');
  const integration = read(DEFAULT_DIR, 'permissionsets', 'CredSpark_Integration.permissionset-meta.xml');
  const mdtTypes = [
    'CredSpark_Connection__mdt',
    'CredSpark_Field_Mapping__mdt',
    'CredSpark_Interaction__mdt',
    'CredSpark_Sync_Rule__mdt',
  ];

  it('CredSpark_Admin grants the manage custom permission, the controller and the tab', () => {
    expect(admin).toMatch(/<name>CredSpark_Manage_Sync<\/name>/);
    expect(admin).toMatch(/<apexClass>CredSparkSetupController<\/apexClass>/);
    expect(admin).toMatch(/<tab>CredSpark_Setup<\/tab>/);
  });

  it.each([
    ['CredSpark_Admin', admin],
    ['CredSpark_Integration', integration],
  ])('%s reads every CredSpark custom metadata type', (_name, xml) => {
    const names = [...xml.matchAll(/<customMetadataTypeAccesses>[\s\S]*?<name>(\w+)<\/name>/g)].map((m) => m[1]);
    expect(names.sort()).toEqual(mdtTypes);
  });

  it('CredSpark_Integration never deletes (SPEC "Never delete") and has no Apex or custom permission', () => {
    expect(tags(integration, 'allowDelete')).toEqual(['false', 'false']);
    expect(tags(integration, 'object').sort()).toEqual(['Contact', 'Lead']);
    expect(integration).not.toMatch(/<classAccesses>|<customPermissions>|modifyAllRecords>true/);
    expect(integration).toMatch(/<name>ApiEnabled<\/name>/);
  });
});

describe('CredSpark tab and app page', () => {
  it('the tab opens the app page that hosts credsparkSetup', () => {
    const tab = read(DEFAULT_DIR, 'tabs', 'CredSpark_Setup.tab-meta.xml');
    const page = read(DEFAULT_DIR, 'flexipages', `${tag(tab, 'flexiPage')}.flexipage-meta.xml`);
    expect(tag(tab, 'label')).toBe('CredSpark');
    expect(page).toMatch(/<type>AppPage<\/type>\s*<\/FlexiPage>/);
    expect(tag(page, 'componentName')).toBe('credsparkSetup');
    const meta = read(DEFAULT_DIR, 'lwc', 'credsparkSetup', 'credsparkSetup.js-meta.xml');
    expect(meta).toMatch(/<target>lightning__AppPage<\/target>/);
    expect(tag(meta, 'isExposed')).toBe('true');
  });
});
