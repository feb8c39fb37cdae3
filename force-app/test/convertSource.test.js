// The package source converts to Metadata API format with the Salesforce CLI (offline), which fails
// on malformed or unknown metadata — the closest check to a deploy without an org.
const { spawnSync } = require('node:child_process');
const { mkdtempSync, readFileSync, rmSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { REPO_ROOT } = require('./helpers');

jest.setTimeout(120000);

describe('sf project convert source', () => {
  let out;
  afterAll(() => out && rmSync(out, { recursive: true, force: true }));

  it('converts force-app and lists every component type in package.xml', () => {
    out = path.join(mkdtempSync(path.join(os.tmpdir(), 'credspark-convert-')), 'mdapi');
    const sf = path.join(REPO_ROOT, 'node_modules', '.bin', 'sf');
    const res = spawnSync(sf, ['project', 'convert', 'source', '--root-dir', 'force-app', '--output-dir', out], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      env: { ...process.env, SF_DISABLE_TELEMETRY: 'true', SF_AUTOUPDATE_DISABLE: 'true' },
    });
    expect({ status: res.status, stderr: res.status === 0 ? '' : res.stderr }).toEqual({ status: 0, stderr: '' });
    expect(res.stdout).toMatch(/successfully converted/);
    const manifest = readFileSync(path.join(out, 'package.xml'), 'utf8');
    for (const type of [
      'ApexClass',
      'CustomApplication',
      'CustomField',
      'CustomObject',
      'CustomPermission',
      'CustomTab',
      'ExternalClientApplication',
      'ExtlClntAppOauthSettings',
      'FlexiPage',
      'LightningComponentBundle',
      'PermissionSet',
    ]) {
      expect(manifest).toContain(`<name>${type}</name>`);
    }
    expect(manifest).toContain('<members>CredSpark_Sync_Rule__mdt.Enabled_At__c</members>');
    expect(manifest).not.toMatch(/<name>(ConnectedApp|ExtlClntAppGlobalOauthSettings)<\/name>/);
  });
});
