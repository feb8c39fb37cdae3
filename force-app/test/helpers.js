// Shared helpers of the offline metadata gates (node environment, no org).
const { readFileSync, readdirSync, existsSync } = require('node:fs');
const path = require('node:path');

const FORCE_APP = path.join(__dirname, '..');
const DEFAULT_DIR = path.join(FORCE_APP, 'main', 'default');
const REPO_ROOT = path.join(FORCE_APP, '..');

/** Text of the first <tag> element (flat Salesforce metadata files only). */
function tag(xml, name) {
  const m = xml.match(new RegExp(`<${name}>([\\s\\S]*?)</${name}>`));
  return m ? m[1] : undefined;
}

function tags(xml, name) {
  return [...xml.matchAll(new RegExp(`<${name}>([\\s\\S]*?)</${name}>`, 'g'))].map((m) => m[1]);
}

function read(...parts) {
  return readFileSync(path.join(...parts), 'utf8');
}

function apexClasses() {
  const dir = path.join(DEFAULT_DIR, 'classes');
  return existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.cls'))
        .map((f) => path.join(dir, f))
    : [];
}

module.exports = { FORCE_APP, DEFAULT_DIR, REPO_ROOT, tag, tags, read, apexClasses };
