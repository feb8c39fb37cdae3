/**
 * Values loaded per key and kept for `ttlMs`; concurrent loads of one key share one call. One
 * instance per owner built with the connector (the sync engine's settings and describes, the org
 * settings), so every connector — and every test — has its own.
 * At most `maxEntries` values are kept, least recently used dropped first: memory follows the orgs
 * being synced, not every org ever served (docs/architecture.md, "Fairness across tenants").
 */
export class TtlCache<T> {
  /** Insertion order is recency: a hit or a load moves its key last. */
  private readonly values = new Map<string, { value: T; at: number }>();
  private readonly loading = new Map<string, Promise<T>>();

  constructor(
    readonly ttlMs: number,
    readonly maxEntries = Number.POSITIVE_INFINITY,
  ) {}

  /** Values held (expired ones included until touched or pushed out). */
  get size(): number {
    return this.values.size;
  }

  /** The value held for `key` if younger than `ttlMs` at `now`, else `load`'s. */
  get(key: string, now: number, load: () => Promise<T>): Promise<T> {
    const hit = this.values.get(key);
    if (hit && now - hit.at < this.ttlMs) {
      this.values.delete(key);
      this.values.set(key, hit);
      return Promise.resolve(hit.value);
    }
    return this.reload(key, () => now, load);
  }

  /** Loads now whatever is held (sharing a load already running for `key`); the value is held
   *  from `loadedAt()`, read when the load ends. */
  reload(key: string, loadedAt: () => number, load: () => Promise<T>): Promise<T> {
    const running = this.loading.get(key);
    if (running) return running;
    const p = load()
      .then((value) => {
        this.set(key, value, loadedAt());
        return value;
      })
      .finally(() => this.loading.delete(key));
    this.loading.set(key, p);
    return p;
  }

  /** Holds `value` for `key` from `at` (a value read elsewhere, e.g. in another call's batch). */
  set(key: string, value: T, at: number): void {
    this.values.delete(key);
    this.values.set(key, { value, at });
    for (const oldest of this.values.keys()) {
      if (this.values.size <= this.maxEntries) break;
      this.values.delete(oldest);
    }
  }

  /** The value held for `key` and when it was loaded, whatever its age; recency untouched. */
  peek(key: string): { value: T; at: number } | undefined {
    return this.values.get(key);
  }

  /** Drops every value whose key starts with `prefix` (all without one). */
  invalidate(prefix = ''): void {
    for (const k of this.values.keys()) if (k.startsWith(prefix)) this.values.delete(k);
  }
}
