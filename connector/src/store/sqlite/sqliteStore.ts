import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { GroupCommit } from '../groupCommit';
import type {
  ClaimedResponse,
  ConnectionRecord,
  InsertEventResult,
  InteractionCatalogueRecord,
  OAuthStateRecord,
  PruneResult,
  ResponseOutcome,
  ResponseRecord,
  Store,
  StoredEventInput,
} from '../types';
import { NO_ORG_CAP } from '../types';
import { toClaimed, toConnection, toInteraction, toOAuthState, toResponse, type Row } from '../rows';
import type { ResponseRecordStore } from '../ports/responseRecords';
import type { UsageStore } from '../ports/usage';
import { delegatingTo } from '../delegatingTo';
import { migrateSqlite } from './migrate';
import { SqliteResponseRecordStore } from './responseRecordStore';
import { SQL } from './sql';
import { SqliteUsageStore } from './usageStore';

/**
 * The embedded store (better-sqlite3). Calls are synchronous inside; the async interface is the
 * contract shared with the Postgres backend.
 *
 * Durability: WAL with `synchronous = FULL` — every commit fsyncs the WAL before it returns, so a
 * 202 survives a power cut, not just a process crash (NORMAL-with-WAL would only survive the
 * latter). Intake shares that fsync across the requests of one event-loop turn (GroupCommit), so
 * FULL costs little throughput.
 * Several processes may open the same file: writes serialise on SQLite's lock (busy_timeout),
 * claims run in IMMEDIATE transactions so two workers never lease the same row.
 */
export class SqliteStore extends delegatingTo<[UsageStore, ResponseRecordStore]>() implements Store {
  private readonly db: Database.Database;
  private readonly stmts: { [K in keyof typeof SQL]: Database.Statement };
  private readonly intake: GroupCommit<StoredEventInput, InsertEventResult>;
  private readonly completions: GroupCommit<Completion, boolean>;

  constructor(file: string) {
    const db = openDatabase(file);
    // The usage and response-record ports keep their statements in their own files, on this database.
    super(new SqliteUsageStore(db), new SqliteResponseRecordStore(db));
    this.db = db;
    this.stmts = Object.fromEntries(
      Object.entries(SQL).map(([k, sql]) => [k, this.db.prepare(sql)]),
    ) as SqliteStore['stmts'];
    this.intake = new GroupCommit((items) => this.insertEventsNow(items));
    // A batch's outcomes (the worker records them concurrently) share one transaction too.
    this.completions = new GroupCommit((items) =>
      this.db.transaction(() => items.map((c) => this.completeNow(c))).immediate(),
    );
  }

  async migrate(): Promise<void> {
    migrateSqlite(this.db);
  }

  async ping(): Promise<void> {
    // A write proves the file is writable (disk full, read-only mount), not just readable.
    this.db
      .transaction(() => {
        this.db.exec('CREATE TABLE IF NOT EXISTS readiness_probe (id INTEGER PRIMARY KEY, at INTEGER NOT NULL)');
        this.db
          .prepare('INSERT INTO readiness_probe (id, at) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET at = excluded.at')
          .run(Date.now());
      })
      .immediate();
  }

  async close(): Promise<void> {
    await this.intake.close();
    await this.completions.close();
    if (this.db.open) this.db.close();
  }

  insertEvent(event: StoredEventInput): Promise<InsertEventResult> {
    return this.intake.submit(event);
  }

  /** One transaction for a whole group; a duplicate id (also one repeated inside the group) → 'duplicate'. */
  private insertEventsNow(items: StoredEventInput[]): InsertEventResult[] {
    return this.db
      .transaction(() =>
        items.map((e): InsertEventResult => {
          const receivedAt = e.receivedAt.getTime();
          const r = this.stmts.insertEvent.run({
            eventId: e.eventId,
            accountId: e.accountId,
            type: e.type,
            body: e.body,
            receivedAt,
          });
          if (r.changes === 0) return 'duplicate';
          if (e.response) {
            this.stmts.insertResponse.run({
              accountId: e.accountId,
              responseId: e.response.responseId,
              eventId: e.eventId,
              interactionId: e.response.interactionId,
              completedAt: e.response.completedAt.getTime(),
              now: receivedAt,
            });
          }
          return 'inserted';
        }),
      )
      .immediate();
  }

  async accountsWithDueWork(now: Date, limit: number, orgCap = NO_ORG_CAP): Promise<string[]> {
    return (this.stmts.accountsWithDueWork.all({ now: now.getTime(), limit, orgCap }) as Row[]).map((r) =>
      String(r.account_id),
    );
  }

  async claimResponses(
    accountId: string,
    owner: string,
    now: Date,
    leaseMs: number,
    limit: number,
    orgCap = NO_ORG_CAP,
  ): Promise<ClaimedResponse[]> {
    const leaseExpiresAt = now.getTime() + leaseMs;
    // IMMEDIATE: the busy checks and the lease are one write transaction, atomic across processes.
    return this.db
      .transaction(() => {
        if (this.stmts.accountBusyOrPaused.get({ accountId, now: now.getTime(), owner })) return [];
        if (
          orgCap < NO_ORG_CAP &&
          (this.stmts.orgBusyAccounts.get({ accountId, now: now.getTime() }) as { n: number }).n >= orgCap
        )
          return [];
        const picked = this.stmts.selectClaimable.all({ accountId, now: now.getTime(), limit }) as Row[];
        if (picked.length > 0) this.stmts.recordTurn.run({ accountId, now: now.getTime() });
        return picked.map((p) => {
          const responseId = String(p.response_id);
          this.stmts.lease.run({ accountId, responseId, owner, leaseExpiresAt });
          const row = this.stmts.claimedRow.get({ accountId, responseId }) as Row;
          return toClaimed(row, owner, new Date(leaseExpiresAt), p.lease_owner as string | null);
        });
      })
      .immediate();
  }

  async renewLeases(accountId: string, owner: string, now: Date, leaseMs: number): Promise<number> {
    return this.stmts.renewLeases.run({ accountId, owner, leaseExpiresAt: now.getTime() + leaseMs }).changes;
  }

  async pauseAccount(accountId: string, owner: string, until: Date): Promise<boolean> {
    return this.stmts.pauseAccount.run({ accountId, owner, until: until.getTime() }).changes === 1;
  }

  async pauseOrg(accountId: string, owner: string, until: Date): Promise<boolean> {
    return this.stmts.pauseOrg.run({ accountId, owner, until: until.getTime() }).changes === 1;
  }

  async clearAccountPause(accountId: string): Promise<void> {
    this.db
      .transaction(() => {
        this.stmts.clearPause.run({ accountId });
        this.stmts.clearOrgPause.run({ accountId });
      })
      .immediate();
  }

  completeResponse(
    accountId: string,
    responseId: string,
    owner: string,
    outcome: ResponseOutcome,
    now: Date,
  ): Promise<boolean> {
    return this.completions.submit({ accountId, responseId, owner, outcome, now });
  }

  private completeNow({ accountId, responseId, owner, outcome, now }: Completion): boolean {
    const key = { accountId, responseId, owner, now: now.getTime() };
    let r: Database.RunResult;
    switch (outcome.status) {
      case 'synced':
        r = this.stmts.completeSynced.run({
          ...key,
          object: outcome.object,
          recordId: outcome.recordId,
          action: outcome.action,
          warnings: outcome.warnings?.length ? JSON.stringify(outcome.warnings) : null,
        });
        break;
      case 'retry':
        r = this.stmts.completeRetry.run({
          ...key,
          nextAttemptAt: outcome.nextAttemptAt.getTime(),
          code: outcome.code,
          message: outcome.message,
        });
        break;
      case 'failed':
      case 'skipped':
        r = this.stmts.completeFinal.run({
          ...key,
          status: outcome.status,
          code: outcome.code,
          message: outcome.message,
          object: outcome.status === 'failed' ? (outcome.object ?? null) : null,
        });
        break;
    }
    return r.changes === 1;
  }

  async hasEvent(eventId: string): Promise<boolean> {
    return this.stmts.hasEvent.get({ eventId }) !== undefined;
  }

  async getResponse(accountId: string, responseId: string): Promise<ResponseRecord | undefined> {
    const row = this.stmts.getResponse.get({ accountId, responseId }) as Row | undefined;
    return row ? toResponse(row) : undefined;
  }

  async requeueResponse(accountId: string, responseId: string, now: Date): Promise<boolean> {
    return this.db
      .transaction(() => {
        if (this.stmts.requeue.run({ accountId, responseId, now: now.getTime() }).changes !== 1) return false;
        this.stmts.clearPause.run({ accountId });
        this.stmts.clearOrgPause.run({ accountId });
        return true;
      })
      .immediate();
  }

  async skipQueuedResponses(accountId: string, code: string, message: string, now: Date): Promise<number> {
    return this.stmts.skipQueued.run({ accountId, code, message, now: now.getTime() }).changes;
  }

  async queueStats(now: Date): Promise<{ queued: number; oldestQueuedAgeSeconds: number }> {
    const row = this.stmts.queueStats.get() as { queued: number; oldest: number | null };
    const age = row.oldest === null ? 0 : Math.max(0, (now.getTime() - row.oldest) / 1000);
    return { queued: row.queued, oldestQueuedAgeSeconds: age };
  }

  async prune(cutoff: Date, chunk = 1000): Promise<PruneResult> {
    const args = { cutoff: cutoff.getTime(), limit: chunk };
    const drain = (stmt: Database.Statement) => {
      let total = 0;
      for (let n = chunk; n === chunk; total += n) n = stmt.run(args).changes; // one short write per chunk
      return total;
    };
    const responses = drain(this.stmts.pruneResponses);
    const events = drain(this.stmts.pruneEvents);
    const oauthStates = this.stmts.pruneStates.run({ cutoff: args.cutoff }).changes;
    this.stmts.prunePauses.run({ cutoff: args.cutoff }); // at most one row per account
    this.stmts.pruneOrgPauses.run({ cutoff: args.cutoff }); // at most one row per org
    this.stmts.pruneMirrorBackoffs.run({ cutoff: args.cutoff }); // likewise
    this.stmts.pruneTurns.run({ cutoff: args.cutoff }); // one row per account served
    return { responses, events, oauthStates };
  }

  async getConnection(accountId: string): Promise<ConnectionRecord | undefined> {
    const row = this.stmts.getConnection.get({ accountId }) as Row | undefined;
    return row ? toConnection(row) : undefined;
  }

  async upsertConnection(c: ConnectionRecord): Promise<void> {
    this.db
      .transaction(() => {
        this.stmts.clearOrgPause.run({ accountId: c.accountId }); // the previous connection's org
        this.stmts.upsertConnection.run({
          ...c,
          reason: c.reason ?? null,
          connectedAt: c.connectedAt.getTime(),
          updatedAt: c.updatedAt.getTime(),
        });
        this.stmts.clearPause.run({ accountId: c.accountId });
        this.stmts.clearMirrorBackoff.run({ accountId: c.accountId });
      })
      .immediate();
  }

  async updateConnectionTokens(
    accountId: string,
    accessTokenEnc: string,
    refreshTokenEnc: string | undefined,
    now: Date,
    instanceUrl?: string,
  ): Promise<void> {
    this.stmts.updateTokens.run({
      accountId,
      accessTokenEnc,
      refreshTokenEnc: refreshTokenEnc ?? null,
      instanceUrl: instanceUrl ?? null,
      now: now.getTime(),
    });
  }

  async markDisconnected(accountId: string, reason: string, now: Date): Promise<void> {
    this.stmts.markDisconnected.run({ accountId, reason, now: now.getTime() });
  }

  async insertOAuthState(s: OAuthStateRecord): Promise<void> {
    this.stmts.insertState.run({ ...s, returnUrl: s.returnUrl ?? null, expiresAt: s.expiresAt.getTime() });
  }

  async consumeOAuthState(stateHash: string): Promise<OAuthStateRecord | undefined> {
    const row = this.stmts.consumeState.get({ stateHash }) as Row | undefined;
    return row ? toOAuthState(row) : undefined;
  }

  async upsertInteraction(i: Omit<InteractionCatalogueRecord, 'mirroredHash'>): Promise<boolean> {
    return this.db
      .transaction(() => {
        const old = this.stmts.getInteractionHash.get(i) as { content_hash: string } | undefined;
        if (old?.content_hash === i.contentHash) return false;
        this.stmts.upsertInteraction.run({ ...i, updatedAt: i.updatedAt.getTime() });
        return true;
      })
      .immediate();
  }

  async interactionsToMirror(accountId: string, limit: number): Promise<InteractionCatalogueRecord[]> {
    return (this.stmts.interactionsToMirror.all({ accountId, limit }) as Row[]).map(toInteraction);
  }

  async markInteractionMirrored(accountId: string, interactionId: string, hash: string): Promise<void> {
    this.stmts.markMirrored.run({ accountId, interactionId, hash });
  }

  async accountsOwingMirror(now: Date, limit: number): Promise<string[]> {
    return (this.stmts.accountsOwingMirror.all({ now: now.getTime(), limit }) as Row[]).map((r) =>
      String(r.account_id),
    );
  }

  async claimInteractionMirror(accountId: string, now: Date, leaseMs: number): Promise<boolean> {
    const until = now.getTime() + leaseMs;
    return this.stmts.claimMirror.run({ accountId, now: now.getTime(), until }).changes === 1;
  }

  async deferInteractionMirror(
    accountId: string,
    now: Date,
    baseMs: number,
    capMs: number,
  ): Promise<{ failures: number; retryAt: Date }> {
    const row = this.stmts.deferMirror.get({ accountId, now: now.getTime(), baseMs, capMs }) as Row;
    return { failures: Number(row.failures), retryAt: new Date(Number(row.retry_at)) };
  }

  async clearInteractionMirrorBackoff(accountId: string): Promise<void> {
    this.stmts.clearMirrorBackoff.run({ accountId });
  }
}

/** The file opened and migrated before any port prepares its statements against its tables. */
function openDatabase(file: string): Database.Database {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  migrateSqlite(db);
  return db;
}

interface Completion {
  accountId: string;
  responseId: string;
  owner: string;
  outcome: ResponseOutcome;
  now: Date;
}
