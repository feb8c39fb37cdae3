/**
 * Values loaded per key and kept for `ttlMs`; concurrent loads of one key share one call. One
 * instance per sync engine (createSyncEngine), so every engine — and every test — has its own.
 */
export class TtlCache<T> {
  private readonly values = new Map<string, { value: T; at: number }>();
  private readonly loading = new Map<string, Promise<T>>();

  constructor(readonly ttlMs: number) {}

  get(key: string, now: number, load: () => Promise<T>): Promise<T> {
    const hit = this.values.get(key);
    if (hit && now - hit.at < this.ttlMs) return Promise.resolve(hit.value);
    const running = this.loading.get(key);
    if (running) return running;
    const p = load()
      .then((value) => {
        this.values.set(key, { value, at: now });
        return value;
      })
      .finally(() => this.loading.delete(key));
    this.loading.set(key, p);
    return p;
  }

  /** Drops every value whose key starts with `prefix` (all without one). */
  invalidate(prefix = ''): void {
    for (const k of this.values.keys()) if (k.startsWith(prefix)) this.values.delete(k);
  }
}
