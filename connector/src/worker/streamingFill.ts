import { COLLECTION_LIMIT } from '../sync/write';
import type { Scheduler } from './scheduler';

/**
 * Streaming batches: while an org really streams (≥ STREAMING_ARRIVALS queued during its batch), its
 * next batch fills for a while — FIRST_FILL_MS, doubling per streaming batch up to the bound — and
 * ends early at a full batch; a lone response never waits. Policy, the 8 s bound and what it saves:
 * docs/architecture.md, "API economy" (Streaming batches), and docs/benchmarks.md §7.
 */
export const DEFAULT_FILL_BOUND_MS = 8_000;

/** The first wait of a stream (the fill before issue 15's adaptive policy, always applied then). */
export const FIRST_FILL_MS = 2_000;

/** Arrivals while a batch was in flight that make the account's stream worth filling for. */
export const STREAMING_ARRIVALS = 3;

export interface StreamingFillDeps {
  /** The bound (WORKER_BATCH_FILL_MS); 0 turns filling off. */
  boundMs: number;
  /** Responses claimed per batch (WORKER_BATCH_SIZE): with COLLECTION_LIMIT, the "full batch". */
  batchSize: number;
  clock: () => number;
  scheduler: Scheduler;
  /** Wakes the worker's loop: an account's fill ended (its time came, or it filled up). */
  wake: () => void;
}

interface AccountFill {
  /** Responses queued for the account since its batch was claimed (this process's intake). */
  arrivals: number;
  /** Consecutive batches that saw a stream (the wait doubles with each). */
  streak: number;
  /** The account's next batch is not claimed before this (clock ms). */
  until?: number;
  /** Cancels the timer that wakes the loop at `until`. */
  cancel?: () => void;
}

export class StreamingFill {
  /** Only accounts with a batch in flight or a fill running (entries are dropped otherwise). */
  private readonly accounts = new Map<string, AccountFill>();
  readonly fullBatch: number;

  constructor(private readonly deps: StreamingFillDeps) {
    this.fullBatch = Math.max(1, Math.min(deps.batchSize, COLLECTION_LIMIT));
  }

  /** Accounts whose next batch is filling now. */
  get size(): number {
    let n = 0;
    for (const a of this.accounts.values()) if (a.until !== undefined) n++;
    return n;
  }

  /** A response of the account was queued; `inFlight`: a batch of the account is running here. */
  arrived(accountId: string, inFlight: boolean): void {
    const a = this.accounts.get(accountId);
    if (!a && !inFlight) return; // claimed at once by the next pass: nothing to count
    const fill = a ?? { arrivals: 0, streak: 0 };
    fill.arrivals++;
    this.accounts.set(accountId, fill);
    if (fill.until !== undefined && fill.arrivals >= this.fullBatch) {
      this.endFill(fill);
      this.deps.wake();
    }
  }

  /** The account's batch is being claimed: what arrives from now on is for the next one. */
  claiming(accountId: string): void {
    const a = this.accounts.get(accountId);
    if (!a) return;
    this.endFill(a);
    a.arrivals = 0;
  }

  /** The account's batch (claimed at `startedAt`, `claimed` responses) is done: fill the next? */
  finished(accountId: string, startedAt: number, claimed: number): void {
    const a = this.accounts.get(accountId);
    if (!a) return;
    const streaming =
      this.deps.boundMs > 0 && claimed > 0 && a.arrivals >= STREAMING_ARRIVALS && a.arrivals < this.fullBatch;
    if (!streaming) {
      // Little arrived: the stream, if any, is over. A full batch's worth: claimed now, still streaming.
      if (a.arrivals < STREAMING_ARRIVALS) this.accounts.delete(accountId);
      return;
    }
    a.streak++;
    const wait = Math.min(this.deps.boundMs, FIRST_FILL_MS * 2 ** (a.streak - 1));
    a.until = startedAt + wait;
  }

  /** True while the account's next batch is filling; a timer then wakes the loop when it may go. */
  holds(accountId: string): boolean {
    const a = this.accounts.get(accountId);
    if (a?.until === undefined) return false;
    const wait = a.until - this.deps.clock();
    if (wait <= 0) {
      this.endFill(a);
      return false;
    }
    a.cancel ??= this.deps.scheduler.after(wait, () => {
      a.cancel = undefined;
      this.deps.wake();
    });
    return true;
  }

  /** The wait the account's next batch has left (ms), for tests and logs; 0 when none. */
  remaining(accountId: string): number {
    const until = this.accounts.get(accountId)?.until;
    return until === undefined ? 0 : Math.max(0, until - this.deps.clock());
  }

  /** Cancels every timer (the worker stops). */
  clear(): void {
    for (const a of this.accounts.values()) this.endFill(a);
    this.accounts.clear();
  }

  private endFill(a: AccountFill): void {
    a.cancel?.();
    a.cancel = undefined;
    a.until = undefined;
  }
}
