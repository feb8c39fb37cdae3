import { isNotConnected } from '../connections/errors';
import type { Logger } from '../observability/logger';
import { errorKind, message } from '../observability/errorText';
import type { MirrorStore } from '../store/types';
import type { MirrorResult, MirrorWriter } from './types';

/** An org that refused interaction metadata is tried again after 30 s, 1 min, 2 min, … 15 min. */
export const DEFAULT_MIRROR_BACKOFF_BASE_MS = 30_000;
export const DEFAULT_MIRROR_BACKOFF_CAP_MS = 15 * 60_000;

export interface MirrorWorkDeps {
  store: MirrorStore;
  writer: MirrorWriter;
  log: Logger;
  clock: () => Date;
  /** The worker's lease owner id, for the logs. */
  owner: string;
  /** How long a mirror-only attempt holds the account's turn (the worker's lease length). */
  leaseMs: number;
  /** Backoff after a failed attempt: base doubling per consecutive failure, capped. */
  backoffBaseMs?: number;
  backoffCapMs?: number;
}

/**
 * When interaction metadata is written (docs/architecture.md, "Interaction mirroring"): before a
 * response batch, and as mirror-only work in the worker's free slots. Every attempt is recorded in
 * the store — success forgets earlier failures, a refusal or records left unwritten back the
 * account off — so a refusing org is not called every poll, on any instance. Never throws.
 */
export class MirrorWork {
  private readonly baseMs: number;
  private readonly capMs: number;

  constructor(private readonly deps: MirrorWorkDeps) {
    this.baseMs = deps.backoffBaseMs ?? DEFAULT_MIRROR_BACKOFF_BASE_MS;
    this.capMs = deps.backoffCapMs ?? DEFAULT_MIRROR_BACKOFF_CAP_MS;
  }

  /** Connected accounts owing metadata with no batch, pause or backoff in the way; [] on error. */
  async owing(limit: number): Promise<string[]> {
    try {
      return await this.deps.store.accountsOwingMirror(this.deps.clock(), limit);
    } catch (err) {
      this.deps.log.warn({ owner: this.deps.owner, err: message(err) }, 'listing owed interaction metadata failed');
      return [];
    }
  }

  /** One mirror-only attempt: take the account's turn, write, record success or backoff. Resolves
   *  true when a full write left more owed (worth another pass soon). */
  async attempt(accountId: string): Promise<boolean> {
    const { store, writer, log, owner } = this.deps;
    try {
      if (!(await store.claimInteractionMirror(accountId, this.deps.clock(), this.deps.leaseMs))) return false;
    } catch (err) {
      log.warn({ accountId, owner, err: message(err) }, 'interaction mirror turn not taken');
      return false;
    }
    let result: MirrorResult;
    try {
      result = await writer.write(accountId);
    } catch (err) {
      // Disconnected meanwhile: nothing to do until a reconnect (which mirrors by itself).
      await this.note(accountId, isNotConnected(err) ? { written: 0, failed: 0, more: false } : err);
      return false;
    }
    await this.note(accountId, result);
    return result.more && result.failed === 0;
  }

  /**
   * Before a response batch: a response of an interaction the org has no rule for is skipped
   * (UNKNOWN_INTERACTION), and its interaction must reach the org for the admin to add one. A
   * failure does not block the batch (the rule's SOQL read does not need it); it backs the
   * account's mirror-only work off. Returns the reason when the account turned out not connected.
   */
  async beforeBatch(accountId: string, orgId: string): Promise<{ notConnected: string } | undefined> {
    try {
      const mirrored = await this.deps.writer.write(accountId);
      // Nothing was owed (the usual batch): no store write. Else success or unwritten records count.
      if (mirrored.written + mirrored.failed > 0) await this.note(accountId, mirrored);
      return undefined;
    } catch (err) {
      this.deps.log.warn({ accountId, orgId, err: errorKind(err) }, 'interaction metadata mirroring failed');
      if (isNotConnected(err)) return { notConnected: message(err) };
      await this.note(accountId, err);
      return undefined;
    }
  }

  /** Records an attempt (a MirrorResult, or what the write threw): full success forgets earlier
   *  failures; anything else backs off. */
  private async note(accountId: string, outcome: unknown): Promise<void> {
    const { store, log, owner } = this.deps;
    const counts = isMirrorResult(outcome) ? outcome : undefined;
    try {
      if (counts && counts.failed === 0) {
        await store.clearInteractionMirrorBackoff(accountId);
        return;
      }
      const { failures, retryAt } = await store.deferInteractionMirror(
        accountId,
        this.deps.clock(),
        this.baseMs,
        this.capMs,
      );
      log.warn(
        {
          accountId,
          owner,
          failures,
          retryAt: retryAt.toISOString(),
          ...(counts ? { written: counts.written, failed: counts.failed } : { err: errorKind(outcome) }),
        },
        'interaction metadata not mirrored: account backed off',
      );
    } catch (err) {
      log.warn({ accountId, owner, err: message(err) }, 'interaction mirror backoff not recorded');
    }
  }
}

function isMirrorResult(v: unknown): v is MirrorResult {
  return typeof v === 'object' && v !== null && typeof (v as MirrorResult).failed === 'number';
}
