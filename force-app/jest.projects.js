// The Salesforce package's two jest projects, shared by force-app/jest.config.js and the root
// jest.config.js (projects: [...require('./force-app/jest.projects.js')]).
//   lwc              — Lightning Web Component tests (sfdx-lwc-jest, jsdom)
//   package-metadata — offline gates: SPEC §3 metadata, sf convert, registry types (no unpackageable ones), a
//                      schema per metadata type, permission sets that survive install, Apex parse/format/PMD,
//                      ESLint, generated rules
const path = require('node:path');
const { jestConfig } = require('@salesforce/sfdx-lwc-jest/config');

const root = __dirname;

module.exports = [
  {
    ...jestConfig,
    displayName: 'lwc',
    rootDir: root,
    roots: ['<rootDir>/main'],
    testMatch: ['**/__tests__/**/*.test.js'],
    setupFilesAfterEnv: [...(jestConfig.setupFilesAfterEnv || []), '<rootDir>/test/jest-setup/sa11y.js'],
    // sfdx-lwc-jest derives coverage paths from the repository root; ours is force-app.
    collectCoverageFrom: ['<rootDir>/main/default/lwc/**/*.js', '!**/__tests__/**'],
    // lightning/modal has no sfdx-lwc-jest stub: map it to ours (as lwc-recipes does for its extra stubs).
    moduleNameMapper: {
      '^lightning/modal$': path.join(root, 'test/jest-mocks/lightning/modal'),
    },
  },
  {
    displayName: 'package-metadata',
    rootDir: root,
    testEnvironment: 'node',
    testMatch: ['<rootDir>/test/**/*.test.js'],
    transform: {},
  },
];
