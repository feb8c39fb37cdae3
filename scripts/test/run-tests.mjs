#!/usr/bin/env node
// `npm test`: type-checks the TypeScript workspaces, lints (eslint.config.js) and checks formatting (Prettier),
// then runs every jest project once and writes jest's machine-readable results to
// reports/jest.json (read by .ci/run).
// Extra arguments go to jest, e.g. `npm test -- --selectProjects connector`.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';

const run = (cmd, args) => spawnSync(cmd, args, { stdio: 'inherit' }).status ?? 1;
const workspaces = ['scripts/local-org', 'connector', 'scripts/preview', 'scripts/bench'];

mkdirSync('reports', { recursive: true });
let typecheck = 0;
for (const ws of workspaces) {
  const status = run('npx', ['tsc', '-p', `${ws}/tsconfig.json`, '--noEmit']);
  if (status !== 0) {
    console.error(`Type check failed in ${ws} (see above).`);
    typecheck = status;
  }
}
// Lint and formatting failures fail the run, like type errors, but the tests still run so all are reported.
const eslint = run('npx', ['eslint', '.']);
const prettier = run('npx', ['prettier', '--check', '--log-level', 'warn', '.']);
const lint = eslint || prettier;
if (lint !== 0) console.error('Lint or format check failed (see above): `npm run lint`, `npm run format`.');
const jest = run('npx', ['jest', '--json', '--outputFile=reports/jest.json', ...process.argv.slice(2)]);
process.exit(typecheck || lint || jest);
