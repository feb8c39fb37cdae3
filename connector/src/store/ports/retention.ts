import type { PruneResult } from '../records';

/** Retention (docs/architecture.md, "Retention"). */
export interface RetentionStore {
  /** Deletes, in chunks of `chunk` rows: finished responses last updated before `cutoff`, then
   *  events received before it that no response row refers to, expired OAuth states, and pauses
   *  and mirror backoffs that ended before `cutoff`. Queued responses and their events are never
   *  touched. */
  prune(cutoff: Date, chunk?: number): Promise<PruneResult>;
}
