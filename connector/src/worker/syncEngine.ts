import type { SyncResponses } from '../sync/types';

/**
 * Loads the sync engine's entry (sync/syncResponses.ts, owned by the sync feature). Resolved at
 * start-up rather than imported statically so the runtime builds and tests on its own while the
 * engine is written in parallel; a missing engine stops the start with a clear message.
 */
export function loadSyncResponses(): SyncResponses {
  let mod: { syncResponses?: SyncResponses };
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    mod = require('../sync/syncResponses') as { syncResponses?: SyncResponses };
  } catch (err) {
    throw new Error(`the sync engine (src/sync/syncResponses.ts) could not be loaded: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (typeof mod.syncResponses !== 'function') throw new Error('src/sync/syncResponses.ts does not export syncResponses');
  return mod.syncResponses;
}
