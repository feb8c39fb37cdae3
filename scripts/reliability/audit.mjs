#!/usr/bin/env node
// Issue 9 security review: `npm audit --omit=dev` must report no high or critical advisory.
// Writes reports/audit.json. Exit 1 on a high/critical advisory. When the registry's audit
// endpoint cannot be reached (offline CI, a mirror without the audit API) it says so loudly and
// exits 2 — or 0 with RELIABILITY_AUDIT_OPTIONAL=1, so an offline CI run can record "not run"
// instead of failing on the network.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const run = spawnSync('npm', ['audit', '--omit=dev', '--json'], { cwd: root, encoding: 'utf8', timeout: 120_000 });
mkdirSync(join(root, 'reports'), { recursive: true });
let report;
try {
  report = JSON.parse(run.stdout);
} catch {
  report = undefined;
}
const counts = report?.metadata?.vulnerabilities;
if (!counts) {
  // The registry's address is left out of what we print and store: the reason is what matters.
  const why = (report?.message || report?.error?.summary || run.stderr || 'no output')
    .toString()
    .trim()
    .split('\n')[0]
    .replace(/https?:\/\/\S+/g, '<registry>');
  writeFileSync(join(root, 'reports', 'audit.json'), JSON.stringify({ ran: false, reason: why }, null, 2));
  console.error(`npm audit could not run: ${why}`);
  process.exit(process.env.RELIABILITY_AUDIT_OPTIONAL === '1' ? 0 : 2);
}
writeFileSync(join(root, 'reports', 'audit.json'), JSON.stringify({ ran: true, vulnerabilities: counts }, null, 2));
console.log(`npm audit --omit=dev: ${JSON.stringify(counts)}`);
process.exit(counts.high > 0 || counts.critical > 0 ? 1 : 0);
