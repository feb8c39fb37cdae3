// ESLint flat config. Owned by the Salesforce package: lints the Lightning Web Components with
// Salesforce's recommended LWC rules. The TypeScript workspaces are linted by their own tooling.
const lwcConfig = require('@salesforce/eslint-config-lwc/recommended');
const globals = require('globals');

module.exports = [
  { ignores: ['**/node_modules/**', 'connector/**', 'scripts/local-org/**', 'coverage/**', 'reports/**', 'dist/**'] },
  ...[].concat(lwcConfig).map((c) => ({
    ...c,
    files: ['force-app/main/default/lwc/**/*.js', 'force-app/test/jest-mocks/**/*.js'],
    ignores: ['**/__tests__/**'],
  })),
  {
    files: ['force-app/main/default/lwc/**/__tests__/**/*.js', 'force-app/test/**/*.js', 'force-app/*.js'],
    languageOptions: { globals: { ...globals.node, ...globals.jest } },
  },
];
