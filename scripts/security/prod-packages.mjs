#!/usr/bin/env node
// Prints the production packages (name@version, sorted, unique) recorded in package-lock.json:
// every entry under `packages` that is not `"dev": true`. Workspace links are skipped, and
// `devOptional` / `optional` entries are marked so a manual advisory review can be repeated
// (docs/security.md, "Dependency audit"). Usage: node scripts/security/prod-packages.mjs [lockfile]
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const lockPath = process.argv[2] ?? path.join(root, 'package-lock.json');
const lock = JSON.parse(readFileSync(lockPath, 'utf8'));

const seen = new Set();
for (const [key, entry] of Object.entries(lock.packages ?? {})) {
  if (key === '' || entry.dev === true || entry.link === true) continue;
  const name = entry.name ?? key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length);
  const flags = [entry.devOptional && 'devOptional', entry.optional && 'optional'].filter(Boolean);
  seen.add(`${name}@${entry.version}${flags.length ? ` (${flags.join(', ')})` : ''}`);
}
const lines = [...seen].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
process.stdout.write(`${lines.join('\n')}\n`);
process.stderr.write(`${lines.length} production packages (unique name@version)\n`);
