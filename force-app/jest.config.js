// Jest for the Salesforce package alone: npx jest -c force-app/jest.config.js [--selectProjects lwc|package-metadata]
module.exports = { projects: require('./jest.projects.js') };
