// Registers @sa11y/jest's toBeAccessible() (axe-core with Salesforce's preset rules), as lwc-recipes does.
const { registerSa11yMatcher } = require('@sa11y/jest');

registerSa11yMatcher();
