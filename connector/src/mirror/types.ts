/** What one write of owed interaction metadata did (counts only). */
export interface MirrorResult {
  /** Records written and marked mirrored. */
  written: number;
  /** Records attempted but not reported written (they stay owed). */
  failed: number;
  /** The write took a full batch: more may be owed, worth another write soon. */
  more: boolean;
}

/** Writes an account's owed interaction metadata to its org (InteractionWriter; fakes in tests). */
export interface MirrorWriter {
  /** Throws MetadataWriteError when Salesforce refused some records (the others are marked
   *  mirrored), NotConnectedError when the account is not connected. */
  write(accountId: string): Promise<MirrorResult>;
}
