import { COLLECTION_LIMIT } from '../sync/write';
import type { Scheduler } from './scheduler';

/**
 * Streaming batches (issue 15, "Frugal under real limits"). A batch costs about two API calls (the
 * email query and the write) whatever its size up to a full write chunk: a stream synced as it
 * arrives, batch after batch, costs two calls per few responses, a backlog of them a few calls in all.
 * While an org is really streaming, the account's next batch is therefore left to fill for a while;
 * otherwise it is claimed at once.
 *
 * - Streaming: at least STREAMING_ARRIVALS responses of the account were queued (through this
 *   process's intake) while its batch was in flight. A lone response — or one at 1 a second, when a
 *   batch takes a few hundred ms — never waits.
 * - The wait grows while the stream lasts: FIRST_FILL_MS after the previous batch started, then
 *   doubling with each batch that streamed again, up to the bound (WORKER_BATCH_FILL_MS, default
 *   DEFAULT_FILL_BOUND_MS). A short burst costs a short wait; a sustained stream settles at the bound.
 * - It ends early once the account's arrivals reach a full batch (the claim size, at most one write
 *   chunk of COLLECTION_LIMIT records): beyond that the batch would need more calls anyway (a
 *   second collection, or a second email query once the IN list passes the URL limit), so waiting
 *   longer saves nothing.
 * - A batch that saw fewer arrivals ends the stream: the next one is claimed at once, the wait
 *   starts again from FIRST_FILL_MS.
 *
 * Bound: no response waits for the fill longer than the bound after the batch before it started.
 * Per process: arrivals taken in by another instance's intake do not count (they wake it instead).
 *
 * Why 8 s: the batch period is the fill, so a stream costs ≈ 2 × 60 / bound calls a minute plus the
 * fixed reads (settings, describe, interaction metadata: ≈ 6 over a minute). The target,
 * ≤ 30 calls for 1,000 responses streamed over 60 s, needs batches at least ≈ 5 s apart; a fixed 2 s
 * fill gave 67 calls and 4 s 41, this policy 26 (benchmarks §7). 8 s leaves room for the ramp (2,
 * 4, 8 s) and the fixed reads, and keeps a streamed response within 8 s plus one batch of being
 * synced.
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
