// LWC ESLint gate (Salesforce's @salesforce/eslint-config-lwc recommended rules, eslint.config.js).
const { spawnSync } = require('node:child_process');
const path = require('node:path');
const { REPO_ROOT } = require('./helpers');

jest.setTimeout(120000);

describe('ESLint', () => {
  it('reports no problem in the Lightning Web Components', () => {
    const bin = path.join(REPO_ROOT, 'node_modules', '.bin', 'eslint');
    const res = spawnSync(bin, ['--format', 'json', 'force-app/main/default/lwc', 'force-app/test'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    });
    const problems = JSON.parse(res.stdout || '[]').flatMap((file) =>
      file.messages.map((m) => `${path.relative(REPO_ROOT, file.filePath)}:${m.line} ${m.ruleId} ${m.message}`),
    );
    expect(problems).toEqual([]);
    expect(res.status).toBe(0);
  });
});
