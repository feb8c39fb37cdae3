// ESLint flat config for the whole repository.
// - force-app: Salesforce's recommended LWC rules.
// - TypeScript production code (connector/src, scripts/*/src): typescript-eslint's type-checked
//   recommended set — it catches floating promises, unsafe `any` flowing out of parsed JSON/XML,
//   and base-to-string mistakes that the compiler lets through.
// - TypeScript tests, benchmarks and tools: the syntactic recommended set plus the promise rules
//   (a forgotten await in a test passes silently); `any` is allowed there, where response bodies
//   are asserted on rather than typed.
const lwcConfig = require('@salesforce/eslint-config-lwc/recommended');
const globals = require('globals');
const tseslint = require('typescript-eslint');

const PRODUCTION_TS = ['connector/src/**/*.ts', 'scripts/local-org/src/**/*.ts', 'scripts/preview/src/**/*.ts'];
const TOOLING_TS = ['connector/test/**/*.ts', 'scripts/**/*.ts'];
const promiseRules = {
  '@typescript-eslint/no-floating-promises': 'error',
  '@typescript-eslint/no-misused-promises': 'error',
  '@typescript-eslint/await-thenable': 'error',
};
const unusedVars = ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }];

module.exports = [
  { ignores: ['**/node_modules/**', 'coverage/**', 'reports/**', '**/dist/**', '.sfdx/**', '.sf/**'] },
  ...[].concat(lwcConfig).map((c) => ({
    ...c,
    files: ['force-app/main/default/lwc/**/*.js', 'force-app/test/jest-mocks/**/*.js'],
    ignores: ['**/__tests__/**'],
  })),
  {
    files: ['force-app/main/default/lwc/**/__tests__/**/*.js', 'force-app/test/**/*.js', 'force-app/*.js'],
    languageOptions: { globals: { ...globals.node, ...globals.jest } },
  },
  ...tseslint.configs.recommendedTypeChecked.map((c) => ({ ...c, files: PRODUCTION_TS })),
  ...tseslint.configs.recommended.map((c) => ({ ...c, files: TOOLING_TS, ignores: PRODUCTION_TS })),
  {
    files: [...PRODUCTION_TS, ...TOOLING_TS],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: __dirname } },
    rules: { ...promiseRules, '@typescript-eslint/no-unused-vars': unusedVars },
  },
  {
    files: PRODUCTION_TS,
    rules: {
      // The SQLite store implements the async Store interface over a synchronous driver: `async`
      // keeps a thrown driver error a rejected promise, as callers of the interface expect.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    files: TOOLING_TS,
    ignores: PRODUCTION_TS,
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
];
