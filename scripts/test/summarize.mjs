#!/usr/bin/env node
// Prints `tests: N passed, N failed` from jest's --json output. A missing or unreadable
// results file counts as one failure: a run that produced no results did not pass.
// Suites that failed to run (syntax errors, crashed workers) count as failures too.
import { readFileSync } from 'node:fs';

const file = process.argv[2] ?? 'reports/jest.json';
let passed = 0;
let failed = 0;
try {
  const results = JSON.parse(readFileSync(file, 'utf8'));
  passed = results.numPassedTests;
  failed = results.numFailedTests;
  const brokenSuites = results.testResults.filter((s) => s.status === 'failed' && s.assertionResults.length === 0).length;
  failed += brokenSuites;
  if (results.numTotalTests === 0) failed += 1;
} catch (error) {
  console.error(`Could not read jest results from ${file}: ${error.message}`);
  failed += 1;
}
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
