// Salesforce Code Analyzer's PMD gate, offline: the PMD 7 engine Code Analyzer v5 ships
// (@salesforce/code-analyzer-pmd-engine, run on this machine's Java 17) with every standard Apex
// category, and Code Analyzer's own severity for each rule (its RULE_MAPPINGS). Fails on any
// violation of severity 1 (Critical) or 2 (High), as the CI of lwc-recipes does.
// The sf plugin itself (@salesforce/plugin-code-analyzer) is not used: it installs outside package.json.
const { spawnSync } = require('node:child_process');
const { mkdtempSync, writeFileSync, readFileSync, rmSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { apexClasses } = require('./helpers');

jest.setTimeout(120000);

const ENGINE = path.dirname(require.resolve('@salesforce/code-analyzer-pmd-engine/package.json'));
const { RULE_MAPPINGS } = require('@salesforce/code-analyzer-pmd-engine/dist/pmd-rule-mappings.js');
const CATEGORIES = ['security', 'bestpractices', 'errorprone', 'performance', 'design', 'codestyle', 'documentation'];

function runPmd(files) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'credspark-pmd-'));
  try {
    const ruleset = path.join(dir, 'rules.xml');
    writeFileSync(
      ruleset,
      `<?xml version="1.0"?>\n<ruleset name="CredSpark" xmlns="http://pmd.sourceforge.net/ruleset/2.0.0">\n` +
        `<description>Standard PMD Apex categories</description>\n` +
        CATEGORIES.map((c) => `<rule ref="category/apex/${c}.xml"/>`).join('\n') +
        '\n</ruleset>\n',
    );
    const input = path.join(dir, 'in.json');
    const output = path.join(dir, 'out.json');
    writeFileSync(
      input,
      JSON.stringify({ ruleSetInputFile: ruleset, runDataPerLanguage: { apex: { filesToScan: files } } }),
    );
    const res = spawnSync(
      'java',
      [
        '-cp',
        path.join(ENGINE, 'dist', 'java-lib', '*'),
        'com.salesforce.sfca.pmdwrapper.PmdWrapper',
        'run',
        input,
        output,
      ],
      { encoding: 'utf8' },
    );
    if (res.error || res.status !== 0) throw new Error(`PMD did not run (Java 11+ needed): ${res.error || res.stderr}`);
    return JSON.parse(readFileSync(output, 'utf8'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const severityOf = (rule) => (RULE_MAPPINGS[rule] ? RULE_MAPPINGS[rule].severity : 3);

describe('Code Analyzer PMD rules (severity 1-2)', () => {
  it('finds no Critical or High violation in the Apex classes', () => {
    const result = runPmd(apexClasses());
    expect(result.processingErrors).toEqual([]);
    const serious = result.violations
      .filter((v) => severityOf(v.rule) <= 2)
      .map((v) => `${path.basename(v.codeLocation.file)}:${v.codeLocation.startLine} ${v.rule} ${v.message}`);
    expect(serious).toEqual([]);
  });

  it('does report a High violation (the gate is not vacuous)', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'credspark-pmd-bad-'));
    const file = path.join(dir, 'Bad.cls');
    writeFileSync(
      file,
      "public class Bad { public static void run() { for (Integer i = 0; i < 2; i++) { insert new Account(Name = 'x'); } } }",
    );
    try {
      const rules = runPmd([file])
        .violations.filter((v) => severityOf(v.rule) <= 2)
        .map((v) => v.rule);
      expect(rules).toContain('ApexCRUDViolation'); // DML without a CRUD check
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
