// The package's copies of the shared sync rules are generated from connector/src/rules/syncRules.json;
// this fails while they are stale (fix: npm run generate:rules).
const { readFileSync } = require('node:fs');
const path = require('node:path');
const { REPO_ROOT } = require('./helpers');

const { spawnSync } = require('node:child_process');

describe('generated shared rules', () => {
  it('every generated file equals what scripts/shared-rules/generate.mjs produces now', () => {
    const res = spawnSync(process.execPath, [path.join(REPO_ROOT, 'scripts/shared-rules/generate.mjs'), '--check'], {
      encoding: 'utf8',
    });
    expect({ status: res.status, stale: res.stderr.trim() }).toEqual({ status: 0, stale: '' });
  });

  it('the Apex and LWC copies carry the required-field messages in the help article words', () => {
    const apex = readFileSync(path.join(REPO_ROOT, 'force-app/main/default/classes/CredSparkSyncRules.cls'), 'utf8');
    expect(apex).toContain("'Leads require Last Name and Company'");
    expect(apex).toContain('do not edit');
    const lwc = readFileSync(
      path.join(REPO_ROOT, 'force-app/main/default/lwc/credsparkSyncRules/credsparkSyncRules.js'),
      'utf8',
    );
    expect(lwc).toContain("Contact: 'Contacts require Last Name'");
  });
});
