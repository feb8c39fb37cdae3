import type { InteractionCatalogueRecord } from '../records';

/**
 * The interaction catalogue (from intake) and the turns and backoff of mirroring it into each org
 * (docs/architecture.md, "Interaction mirroring").
 */
export interface MirrorStore {
  /** Upserts what CredSpark says; returns true when the content hash changed. */
  upsertInteraction(record: Omit<InteractionCatalogueRecord, 'mirroredHash'>): Promise<boolean>;
  interactionsToMirror(accountId: string, limit: number): Promise<InteractionCatalogueRecord[]>;
  markInteractionMirrored(accountId: string, interactionId: string, hash: string): Promise<void>;

  /** Accounts with a `connected` connection owing interaction metadata, leaving out accounts paused
   *  past `now` (or their org), backed off or being mirrored past `now`, and accounts under a live
   *  batch lease (the batch mirrors first). Longest-owed first, at most `limit`. */
  accountsOwingMirror(now: Date, limit: number): Promise<string[]>;
  /** Takes the account's mirror-only turn until now + leaseMs; false (nothing written) while another
   *  attempt or a backoff holds it past `now`. Consecutive failures are kept. */
  claimInteractionMirror(accountId: string, now: Date, leaseMs: number): Promise<boolean>;
  /** A failed attempt: counts it and holds the account off for min(capMs, baseMs · 2^(failures-1))
   *  from `now`. Returns the consecutive failures and the time of the next attempt. */
  deferInteractionMirror(
    accountId: string,
    now: Date,
    baseMs: number,
    capMs: number,
  ): Promise<{ failures: number; retryAt: Date }>;
  /** A successful attempt (or one with nothing to do): forgets the failures and the turn. Also done
   *  by upsertConnection (reconnect). */
  clearInteractionMirrorBackoff(accountId: string): Promise<void>;
}
