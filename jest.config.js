// One jest run for every suite: each workspace and the Salesforce package is a jest "project".
// Suites register here as they appear; `npm test` runs them all (scripts/test/run-tests.mjs).
const tsProject = (name, rootDir) => ({
  displayName: name,
  rootDir,
  testEnvironment: 'node',
  testMatch: ['<rootDir>/test/**/*.test.ts', '<rootDir>/src/**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { isolatedModules: true, tsconfig: '<rootDir>/tsconfig.json' }],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  setupFiles: [require.resolve('./scripts/test/loopbackOnly.cjs')],
});

module.exports = {
  projects: [
    tsProject('local-org', '<rootDir>/scripts/local-org'),
    tsProject('connector', '<rootDir>/connector'),
    tsProject('preview', '<rootDir>/scripts/preview'),
    tsProject('bench', '<rootDir>/scripts/bench'),
    ...require('./force-app/jest.projects.js'),
  ],
};
