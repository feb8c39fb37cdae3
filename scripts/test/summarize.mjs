#!/usr/bin/env node
// Prints `tests: N passed, N failed` summed over jest --json result files (npm test's and the
// reliability suite's). A missing or unreadable results file counts as one failure: a run that
// produced no results did not pass. Suites that failed to run (syntax errors, crashed workers)
// count as failures too, as does a file with no test at all.
import { readFileSync } from 'node:fs';

const files = process.argv.slice(2);
if (files.length === 0) files.push('reports/jest.json');
let passed = 0;
let failed = 0;
for (const file of files) {
  try {
    const results = JSON.parse(readFileSync(file, 'utf8'));
    passed += results.numPassedTests;
    failed += results.numFailedTests;
    failed += results.testResults.filter((s) => s.status === 'failed' && s.assertionResults.length === 0).length;
    if (results.numTotalTests === 0) failed += 1;
  } catch (error) {
    console.error(`Could not read jest results from ${file}: ${error.message}`);
    failed += 1;
  }
}
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
