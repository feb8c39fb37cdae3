// Jest for the Salesforce package: LWC component tests (sfdx-lwc-jest, jsdom) and offline
// metadata gates (node). Run: npx jest -c force-app/jest.config.js [--selectProjects lwc|metadata]
const path = require('node:path');
const { jestConfig } = require('@salesforce/sfdx-lwc-jest/config');

const root = __dirname;

module.exports = {
  projects: [
    {
      ...jestConfig,
      displayName: 'lwc',
      rootDir: root,
      roots: ['<rootDir>/main'],
      testMatch: ['**/__tests__/**/*.test.js'],
      // lightning/modal has no sfdx-lwc-jest stub: map it to ours (as lwc-recipes does for its extra stubs).
      moduleNameMapper: {
        '^lightning/modal$': path.join(root, 'test/jest-mocks/lightning/modal'),
      },
    },
    {
      displayName: 'metadata',
      rootDir: root,
      testEnvironment: 'node',
      testMatch: ['<rootDir>/test/**/*.test.js'],
      transform: {},
    },
  ],
};
