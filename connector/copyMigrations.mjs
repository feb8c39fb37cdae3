// `npm run build`: tsc emits JavaScript only; the stores read their numbered SQL migrations from
// beside their compiled code (store/*/migrate.ts), so they are copied into dist/ too.
import { cpSync } from 'node:fs';

for (const backend of ['sqlite', 'postgres']) {
  cpSync(`src/store/${backend}/migrations`, `dist/store/${backend}/migrations`, { recursive: true });
}
