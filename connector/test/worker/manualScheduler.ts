import type { Scheduler } from '../../src/worker/scheduler';

/** A Scheduler under the test's control: nothing fires by itself; `tick()` runs every repeating
 *  callback once and waits for them, `fireIdle()` ends the worker's current idle wait, `nextIdle()` waits for one to begin. */
export class ManualScheduler implements Scheduler {
  private readonly repeating = new Set<() => Promise<unknown>>();
  private readonly once = new Set<() => void>();
  private idleWaiters: (() => void)[] = [];
  /** The length of every one-shot wait asked for (the worker's idle waits), in order. */
  readonly idleWaits: number[] = [];

  every(_ms: number, fn: () => Promise<unknown>): () => void {
    this.repeating.add(fn);
    return () => this.repeating.delete(fn);
  }

  after(ms: number, fn: () => void): () => void {
    this.idleWaits.push(ms);
    this.once.add(fn);
    for (const resolve of this.idleWaiters.splice(0)) resolve();
    return () => this.once.delete(fn);
  }

  async tick(): Promise<void> {
    await Promise.all([...this.repeating].map((fn) => fn()));
  }

  /** Resolves when the worker next starts an idle wait (its pass found nothing more to start). */
  nextIdle(): Promise<void> {
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  fireIdle(): void {
    for (const fn of [...this.once]) fn();
  }
}
