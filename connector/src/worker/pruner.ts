import type { Logger } from '../observability/logger';
import type { RetentionStore } from '../store/types';
import { REAL_SCHEDULER, type Scheduler } from './scheduler';

/** Finished responses and their events are kept this long by default (docs/operations.md). */
export const DEFAULT_RETENTION_DAYS = 30;
/** How often each instance prunes; several instances pruning at once only delete disjoint chunks. */
export const DEFAULT_PRUNE_EVERY_MS = 60 * 60_000;
const DAY_MS = 24 * 60 * 60_000;

export interface PrunerOptions {
  store: RetentionStore;
  log: Logger;
  clock: () => Date;
  /** 0 keeps everything forever. */
  retentionDays?: number;
  everyMs?: number;
  /** The worker's timers (tests pass a manual one). */
  scheduler?: Scheduler;
}

/**
 * Periodic retention: deletes responses that reached a final status (synced, failed, skipped) and
 * were last updated more than `retentionDays` ago, the events no response refers to any more, and
 * expired OAuth states. Queued work is never pruned. Never throws: a failed prune is logged and
 * tried again at the next tick. The first run is one tick after start (not at boot, when the
 * instance has a backlog to drain).
 */
export class Pruner {
  private cancel: (() => void) | undefined;
  private running: Promise<void> | undefined;
  private readonly retentionDays: number;

  constructor(private readonly opts: PrunerOptions) {
    this.retentionDays = opts.retentionDays ?? DEFAULT_RETENTION_DAYS;
  }

  start(): void {
    if (this.cancel || this.retentionDays <= 0) return;
    const scheduler = this.opts.scheduler ?? REAL_SCHEDULER;
    this.cancel = scheduler.every(this.opts.everyMs ?? DEFAULT_PRUNE_EVERY_MS, () => this.pruneOnce());
  }

  async stop(): Promise<void> {
    this.cancel?.();
    this.cancel = undefined;
    await this.running;
  }

  /** One prune (skipped while one is running); resolves when it is done. */
  pruneOnce(): Promise<void> {
    if (this.retentionDays <= 0) return Promise.resolve();
    if (!this.running) {
      this.running = this.run().finally(() => {
        this.running = undefined;
      });
    }
    return this.running;
  }

  private async run(): Promise<void> {
    const { store, log, clock } = this.opts;
    const cutoff = new Date(clock().getTime() - this.retentionDays * DAY_MS);
    try {
      const pruned = await store.prune(cutoff);
      if (pruned.responses || pruned.events || pruned.oauthStates)
        log.info({ ...pruned, cutoff: cutoff.toISOString() }, 'pruned old records');
    } catch (err) {
      log.warn({ err: err instanceof Error ? err.message : String(err) }, 'prune failed; retrying at the next tick');
    }
  }
}
