// The reliability suite (issue 9): its own jest run, bounded, run by .ci/run as
// `npm run test:reliability` (writes reports/reliability.json). Tests run one file at a time
// (they spawn servers and processes; the machine has 2 shared cores).
const path = require('node:path');

module.exports = {
  rootDir: path.join(__dirname, '..', '..'),
  displayName: 'reliability',
  testEnvironment: 'node',
  testMatch: ['<rootDir>/scripts/reliability/**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { isolatedModules: true, tsconfig: '<rootDir>/connector/tsconfig.json' }],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  maxWorkers: 1,
  testTimeout: 240_000,
};
