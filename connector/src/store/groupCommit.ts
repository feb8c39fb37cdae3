/**
 * Group commit: requests arriving together share one transaction (one fsync), and each caller is
 * answered only after the transaction holding ITS item committed.
 *
 * Items queue up until the next turn of the event loop (setImmediate), then `commit` runs for all
 * of them at once. If a whole batch fails, each item is retried alone so one bad item cannot
 * fail its neighbours; an item that still fails rejects only its own caller.
 */
export class GroupCommit<T, R> {
  private pending: { item: T; resolve: (r: R) => void; reject: (e: unknown) => void }[] = [];
  private scheduled = false;
  private closed = false;

  constructor(
    private readonly commit: (items: T[]) => Promise<R[]> | R[],
    private readonly maxBatch = 500,
  ) {}

  submit(item: T): Promise<R> {
    if (this.closed) return Promise.reject(new Error('store is closed'));
    return new Promise<R>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  /** Commits everything queued so far (also used on close). */
  async flush(): Promise<void> {
    this.scheduled = false;
    while (this.pending.length) {
      const batch = this.pending.splice(0, this.maxBatch);
      try {
        const results = await this.commit(batch.map((b) => b.item));
        batch.forEach((b, i) => b.resolve(results[i]));
      } catch {
        for (const b of batch) {
          try {
            const [r] = await this.commit([b.item]);
            b.resolve(r);
          } catch (err) {
            b.reject(err);
          }
        }
      }
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
  }
}
