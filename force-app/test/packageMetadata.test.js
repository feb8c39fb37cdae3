// External Client App, Lightning app, tab and app page: the settings the connector and admins rely on.
const { readdirSync } = require('node:fs');
const path = require('node:path');
const { DEFAULT_DIR, tag, tags, read } = require('./helpers');

describe('CredSpark_Connector External Client App', () => {
  const eca = read(DEFAULT_DIR, 'externalClientApps', 'CredSpark_Connector.eca-meta.xml');
  const oauth = read(DEFAULT_DIR, 'extlClntAppOauthSettings', 'CredSpark_Connector_oauth.ecaOauth-meta.xml');

  it('is built for distribution in the package (distributionState Packaged)', () => {
    // Metadata API Developer Guide "ExternalClientApplication": Local apps cannot be packaged.
    expect(tag(eca, 'distributionState')).toBe('Packaged');
    expect(tag(eca, 'label')).toBe('CredSpark Connector');
  });

  it('grants only the api and refresh_token scopes (SPEC §5 "scopes api refresh_token")', () => {
    const scopes = tag(oauth, 'commaSeparatedOauthScopes')
      .split(',')
      .map((s) => s.trim());
    expect(scopes.sort()).toEqual(['Api', 'RefreshToken']);
    expect(tag(oauth, 'externalClientApplication')).toBe('CredSpark_Connector');
  });

  it('keeps secrets and org-owned settings out of source (no consumer key/secret, callback URL or certificate)', () => {
    expect(`${eca}\n${oauth}`).not.toMatch(/<(consumerKey|consumerSecret|callbackUrl|certificate)>/);
  });
});

describe('CredSpark Lightning app, tab and app page', () => {
  const app = read(DEFAULT_DIR, 'applications', 'CredSpark.app-meta.xml');

  it('is a Lightning app holding the setup tab', () => {
    expect(tag(app, 'uiType')).toBe('Lightning');
    expect(tag(app, 'navType')).toBe('Standard');
    expect(tags(app, 'tabs')).toContain('CredSpark_Setup');
  });

  it('every tab it holds is a tab of this package or a standard one (standard-…), or the install fails', () => {
    const packageTabs = readdirSync(path.join(DEFAULT_DIR, 'tabs')).map((f) => f.replace('.tab-meta.xml', ''));
    const unknown = tags(app, 'tabs').filter((t) => !t.startsWith('standard-') && !packageTabs.includes(t));
    expect(unknown).toEqual([]);
  });

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
