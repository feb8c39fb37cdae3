// What force-app/main holds, as Salesforce's own source-deploy-retrieve library resolves it (the library
// `sf project convert source` and `sf package version create` use): one entry per metadata file, child
// components (custom fields, list views, compact layouts) included.
const { readdirSync, readFileSync } = require('node:fs');
const path = require('node:path');
const { ComponentSet } = require('@salesforce/source-deploy-retrieve');
const { parseXml } = require('./xml');

const MAIN = path.join(__dirname, '..', '..', 'main');

const SCHEMA_DIR = path.join(__dirname, 'schemas');
/** type name → schema, one module per type in ./schemas. */
const SCHEMAS = Object.fromEntries(
  readdirSync(SCHEMA_DIR)
    .filter((f) => f.endsWith('.js'))
    .map((f) => {
      const schema = require(path.join(SCHEMA_DIR, f));
      return [schema.type, schema];
    }),
);

/**
 * Types that must never be in the package, each with the document that says so.
 * - ConnectedApp: new connected apps cannot be created since Spring '26, through Setup or the Metadata API
 *   (Salesforce Help 005228017, "New Connected Apps Can No Longer Be Created in Spring '26"); a 2GP package
 *   carries an External Client App instead (2GP Developer Guide, "Package Connected Apps in Second-Generation
 *   Managed Packaging": "Consider using External Client Apps instead").
 * - ExtlClntAppGlobalOauthSettings: the global OAuth settings (consumer key and secret, callback URL, PKCE)
 *   "can never be packaged" (Salesforce Help, "External Client Apps", OAuth consumer security).
 * - ExtlClntAppOauthConfigurablePolicies, ExtlClntAppConfigurablePolicies: policies are set by the subscriber
 *   org's admin and "are never packaged" (Salesforce Help, "External Client Apps"; "OAuth Plugin Enablement
 *   with Metadata API": policies files are configured by the external client app subscriber).
 */
const UNPACKAGEABLE = {
  ConnectedApp: 'connected apps can no longer be created; the package ships the External Client App',
  ExtlClntAppGlobalOauthSettings: 'global OAuth settings (consumer key/secret, callback URL) stay in the owning org',
  ExtlClntAppOauthConfigurablePolicies: 'OAuth policies are the subscriber admin’s, never packaged',
  ExtlClntAppConfigurablePolicies: 'app policies are the subscriber admin’s, never packaged',
};

/** Every metadata file: { type, fullName, file, relative }. Throws if the library cannot resolve a file. */
function metadataFiles(root = MAIN) {
  const out = [];
  const add = (c) =>
    c.xml && out.push({ type: c.type.name, fullName: c.fullName, file: c.xml, relative: path.relative(root, c.xml) });
  for (const c of ComponentSet.fromSource(root).getSourceComponents()) {
    add(c);
    c.getChildren().forEach(add);
  }
  return out;
}

/** Every *-meta.xml file on disk below root (what the resolver must account for). */
function metaXmlOnDisk(root = MAIN) {
  const found = [];
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name !== '__tests__') walk(p);
      } else if (e.name.endsWith('-meta.xml')) found.push(p);
    }
  };
  walk(root);
  return found;
}

const parseFile = (file) => parseXml(readFileSync(file, 'utf8'));

module.exports = { MAIN, SCHEMAS, UNPACKAGEABLE, metadataFiles, metaXmlOnDisk, parseFile };
