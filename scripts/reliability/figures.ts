import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Each test writes the figures of its actual run to reports/reliability-figures/<name>.json. */
export function writeFigures(name: string, figures: object): void {
  const dir = join(__dirname, '..', '..', 'reports', 'reliability-figures');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${name}.json`), JSON.stringify(figures, null, 2));
  console.log(`[reliability] ${name}: ${JSON.stringify(figures)}`);
}
