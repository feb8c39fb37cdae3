/**
 * Pauses after a batch that came back `retry` as a whole, shared by every instance
 * (docs/architecture.md, "Pause after a batch that failed as a whole").
 */
export interface PauseStore {
  /** Pauses the account until `until` (replacing any earlier pause), only while `owner` still
   *  holds leases on its queued responses, so the pause is in place before the batch's leases are
   *  released. False (nothing written) when `owner` holds no lease there. */
  pauseAccount(accountId: string, owner: string, until: Date): Promise<boolean>;
  /** Same holder rule, but pauses the org of the account's connection (every account connected to
   *  it waits). False when `owner` holds no lease there or the account has no connection. */
  pauseOrg(accountId: string, owner: string, until: Date): Promise<boolean>;
  /** Lifts the account's pause and its org's (a batch in which the org answered). */
  clearAccountPause(accountId: string): Promise<void>;
}
