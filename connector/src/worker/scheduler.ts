/** The timers the worker runs on: real ones in production, a manual one in tests (no real sleeps). */
export interface Scheduler {
  /** Calls `fn` every `ms` until the returned function is called. */
  every(ms: number, fn: () => Promise<unknown>): () => void;
  /** Calls `fn` once after `ms` unless the returned function is called first. */
  after(ms: number, fn: () => void): () => void;
}

/** Node's timers, unref'd: a pending poll or heartbeat never keeps the process alive. */
export const REAL_SCHEDULER: Scheduler = {
  every(ms, fn) {
    const timer = setInterval(() => void fn(), ms);
    timer.unref();
    return () => clearInterval(timer);
  },
  after(ms, fn) {
    const timer = setTimeout(fn, ms);
    timer.unref();
    return () => clearTimeout(timer);
  },
};
