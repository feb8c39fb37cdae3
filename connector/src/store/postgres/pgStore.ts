import { Pool, type PoolClient, type PoolConfig } from 'pg';
import { GroupCommit } from '../groupCommit';
import { toClaimed, toConnection, toInteraction, toOAuthState, toResponse, type Row } from '../rows';
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
import type { ResponseRecordStore } from '../ports/responseRecords';
import type { UsageStore } from '../ports/usage';
import { delegatingTo } from '../delegatingTo';
import { migratePostgres } from './migrate';
import { PgResponseRecordStore } from './responseRecordStore';
import { SQL } from './sql';
import { PgUsageStore } from './usageStore';

/**
 * The Postgres store (several connector instances on one database). Same contract as the
 * SQLite store (test/store/storeContract.ts). Claims use FOR UPDATE SKIP LOCKED plus a lease:
 * concurrent instances never lease the same row, and a dead instance's leases lapse.
 * Intake shares one transaction per event-loop turn (GroupCommit), one WAL flush for many events.
 */
export class PgStore extends delegatingTo<[UsageStore, ResponseRecordStore]>() implements Store {
  private readonly pool: Pool;
  private readonly intake: GroupCommit<StoredEventInput, InsertEventResult>;

  constructor(config: string | PoolConfig) {
    const pool = new Pool(typeof config === 'string' ? { connectionString: config, max: 10 } : config);
    // The usage and response-record ports keep their statements in their own files, on this pool.
    super(new PgUsageStore(pool), new PgResponseRecordStore(pool));
    this.pool = pool;
    // An idle client's error (server restart) must not crash the process; the next query reconnects.
    this.pool.on('error', () => undefined);
    this.intake = new GroupCommit((items) => this.insertEventsNow(items));
  }

  migrate(): Promise<void> {
    return migratePostgres(this.pool);
  }

  async ping(): Promise<void> {
    // A write proves the database accepts them (not a read-only replica after failover).
    await this.tx(async (c) => {
      await c.query('CREATE TABLE IF NOT EXISTS readiness_probe (id INTEGER PRIMARY KEY, at TIMESTAMPTZ NOT NULL)');
      await c.query(
        'INSERT INTO readiness_probe (id, at) VALUES (1, now()) ON CONFLICT (id) DO UPDATE SET at = excluded.at',
      );
    });
  }

  async close(): Promise<void> {
    await this.intake.close();
    await this.pool.end();
  }

  insertEvent(event: StoredEventInput): Promise<InsertEventResult> {
    return this.intake.submit(event);
  }

  private insertEventsNow(items: StoredEventInput[]): Promise<InsertEventResult[]> {
    return this.tx(async (c) => {
      // A racing transaction inserting the same id blocks here until it commits, then DO NOTHING.
      const ev = await c.query(SQL.insertEvents, [
        items.map((e) => e.eventId),
        items.map((e) => e.accountId),
        items.map((e) => e.type),
        items.map((e) => e.body),
        items.map((e) => e.receivedAt),
      ]);
      const inserted = new Set(ev.rows.map((r: Row) => String(r.event_id)));
      const results: InsertEventResult[] = [];
      const withResponse: (StoredEventInput & { response: NonNullable<StoredEventInput['response']> })[] = [];
      for (const e of items) {
        // delete(): the same id twice in one group is stored once; the later item is a duplicate.
        if (!inserted.delete(e.eventId)) {
          results.push('duplicate');
          continue;
        }
        if (e.response) withResponse.push(e as (typeof withResponse)[number]);
        results.push('inserted');
      }
      if (withResponse.length) {
        await c.query(SQL.insertResponses, [
          withResponse.map((e) => e.accountId),
          withResponse.map((e) => e.response.responseId),
          withResponse.map((e) => e.eventId),
          withResponse.map((e) => e.response.interactionId),
          withResponse.map((e) => e.response.completedAt),
          withResponse.map((e) => e.receivedAt),
        ]);
      }
      return results;
    });
  }

  async accountsWithDueWork(now: Date, limit: number, orgCap = NO_ORG_CAP): Promise<string[]> {
    return (await this.pool.query(SQL.accountsWithDueWork, [now, limit, orgCap])).rows.map((r: Row) =>
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
    const leaseExpiresAt = new Date(now.getTime() + leaseMs);
    const rows = await this.tx(async (c) => {
      await c.query(SQL.lockAccount, [accountId]);
      if ((await c.query(SQL.accountBusyOrPaused, [accountId, now, owner])).rowCount) return [];
      if (orgCap < NO_ORG_CAP) {
        const orgId = (await c.query<{ org_id: string }>(SQL.accountOrg, [accountId])).rows[0]?.org_id;
        if (orgId !== undefined) {
          await c.query(SQL.lockOrg, [orgId]);
          const org = (await c.query<{ n: number; paused: boolean }>(SQL.orgBusyAccounts, [accountId, now, orgId]))
            .rows[0];
          if (org.paused || org.n >= orgCap) return [];
        }
      }
      return (await c.query(SQL.claim, [accountId, now, limit, owner, leaseExpiresAt])).rows as Row[];
    });
    return rows
      .map((row) => toClaimed(row, owner, leaseExpiresAt, row.previous_owner as string | null))
      .sort(
        (a, b) =>
          a.completedAt.getTime() - b.completedAt.getTime() ||
          a.createdAt.getTime() - b.createdAt.getTime() ||
          (a.responseId < b.responseId ? -1 : 1),
      );
  }

  async renewLeases(accountId: string, owner: string, now: Date, leaseMs: number): Promise<number> {
    return (
      (await this.pool.query(SQL.renewLeases, [accountId, owner, new Date(now.getTime() + leaseMs)])).rowCount ?? 0
    );
  }

  async pauseAccount(accountId: string, owner: string, until: Date): Promise<boolean> {
    return (await this.pool.query(SQL.pauseAccount, [accountId, owner, until])).rowCount === 1;
  }

  async pauseOrg(accountId: string, owner: string, until: Date): Promise<boolean> {
    return (await this.pool.query(SQL.pauseOrg, [accountId, owner, until])).rowCount === 1;
  }

  async clearAccountPause(accountId: string): Promise<void> {
    await this.pool.query(SQL.clearPause, [accountId]);
  }

  async completeResponse(
    accountId: string,
    responseId: string,
    owner: string,
    outcome: ResponseOutcome,
    now: Date,
  ): Promise<boolean> {
    const key = [accountId, responseId, owner];
    let r;
    switch (outcome.status) {
      case 'synced':
        r = await this.pool.query(SQL.completeSynced, [
          ...key,
          outcome.object,
          outcome.recordId,
          outcome.action,
          outcome.warnings?.length ? JSON.stringify(outcome.warnings) : null,
          now,
        ]);
        break;
      case 'retry':
        r = await this.pool.query(SQL.completeRetry, [
          ...key,
          outcome.nextAttemptAt,
          outcome.code,
          outcome.message,
          now,
        ]);
        break;
      case 'failed':
      case 'skipped':
        r = await this.pool.query(SQL.completeFinal, [
          ...key,
          outcome.status,
          outcome.status === 'failed' ? (outcome.object ?? null) : null,
          outcome.code,
          outcome.message,
          now,
        ]);
        break;
    }
    return r.rowCount === 1;
  }

  async hasEvent(eventId: string): Promise<boolean> {
    return ((await this.pool.query(SQL.hasEvent, [eventId])).rowCount ?? 0) > 0;
  }

  async getResponse(accountId: string, responseId: string): Promise<ResponseRecord | undefined> {
    const { rows } = await this.pool.query<Row>(SQL.getResponse, [accountId, responseId]);
    return rows[0] ? toResponse(rows[0]) : undefined;
  }

  async requeueResponse(accountId: string, responseId: string, now: Date): Promise<boolean> {
    return (await this.pool.query<{ n: number }>(SQL.requeue, [accountId, responseId, now])).rows[0].n === 1;
  }

  async skipQueuedResponses(accountId: string, code: string, message: string, now: Date): Promise<number> {
    return (await this.pool.query(SQL.skipQueued, [accountId, code, message, now])).rowCount ?? 0;
  }

  async queueStats(now: Date): Promise<{ queued: number; oldestQueuedAgeSeconds: number }> {
    const row = (await this.pool.query(SQL.queueStats)).rows[0] as { queued: number; oldest: Date | null };
    return {
      queued: row.queued,
      oldestQueuedAgeSeconds: row.oldest ? Math.max(0, (now.getTime() - row.oldest.getTime()) / 1000) : 0,
    };
  }

  async prune(cutoff: Date, chunk = 1000): Promise<PruneResult> {
    const drain = async (sql: string) => {
      let total = 0;
      for (let n = chunk; n === chunk; total += n) n = (await this.pool.query(sql, [cutoff, chunk])).rowCount ?? 0;
      return total;
    };
    const responses = await drain(SQL.pruneResponses);
    const events = await drain(SQL.pruneEvents);
    const oauthStates = (await this.pool.query(SQL.pruneStates, [cutoff])).rowCount ?? 0;
    await this.pool.query(SQL.prunePauses, [cutoff]); // at most one row per account
    await this.pool.query(SQL.pruneOrgPauses, [cutoff]); // at most one row per org
    await this.pool.query(SQL.pruneMirrorBackoffs, [cutoff]); // likewise
    await this.pool.query(SQL.pruneTurns, [cutoff]); // one row per account served
    return { responses, events, oauthStates };
  }

  async getConnection(accountId: string): Promise<ConnectionRecord | undefined> {
    const { rows } = await this.pool.query<Row>(SQL.getConnection, [accountId]);
    return rows[0] ? toConnection(rows[0]) : undefined;
  }

  async upsertConnection(c: ConnectionRecord): Promise<void> {
    await this.pool.query(SQL.upsertConnection, [
      c.accountId,
      c.status,
      c.reason ?? null,
      c.orgId,
      c.userId,
      c.username,
      c.instanceUrl,
      c.loginUrl,
      c.accessTokenEnc,
      c.refreshTokenEnc,
      c.connectedAt,
      c.updatedAt,
    ]);
  }

  async updateConnectionTokens(
    accountId: string,
    accessTokenEnc: string,
    refreshTokenEnc: string | undefined,
    now: Date,
    instanceUrl?: string,
  ): Promise<void> {
    await this.pool.query(SQL.updateTokens, [
      accountId,
      accessTokenEnc,
      refreshTokenEnc ?? null,
      now,
      instanceUrl ?? null,
    ]);
  }

  async markDisconnected(accountId: string, reason: string, now: Date): Promise<void> {
    await this.pool.query(SQL.markDisconnected, [accountId, reason, now]);
  }

  async insertOAuthState(s: OAuthStateRecord): Promise<void> {
    await this.pool.query(SQL.insertState, [
      s.stateHash,
      s.accountId,
      s.loginUrl,
      s.returnUrl ?? null,
      s.codeVerifierEnc,
      s.expiresAt,
    ]);
  }

  async consumeOAuthState(stateHash: string): Promise<OAuthStateRecord | undefined> {
    const { rows } = await this.pool.query<Row>(SQL.consumeState, [stateHash]);
    return rows[0] ? toOAuthState(rows[0]) : undefined;
  }

  async upsertInteraction(i: Omit<InteractionCatalogueRecord, 'mirroredHash'>): Promise<boolean> {
    const r = await this.pool.query(SQL.upsertInteraction, [
      i.accountId,
      i.interactionId,
      i.name,
      i.fieldsJson,
      i.contentHash,
      i.updatedAt,
    ]);
    return (r.rowCount ?? 0) > 0;
  }

  async interactionsToMirror(accountId: string, limit: number): Promise<InteractionCatalogueRecord[]> {
    return ((await this.pool.query(SQL.interactionsToMirror, [accountId, limit])).rows as Row[]).map(toInteraction);
  }

  async markInteractionMirrored(accountId: string, interactionId: string, hash: string): Promise<void> {
    await this.pool.query(SQL.markMirrored, [accountId, interactionId, hash]);
  }

  async accountsOwingMirror(now: Date, limit: number): Promise<string[]> {
    return (await this.pool.query(SQL.accountsOwingMirror, [now, limit])).rows.map((r: Row) => String(r.account_id));
  }

  async claimInteractionMirror(accountId: string, now: Date, leaseMs: number): Promise<boolean> {
    const until = new Date(now.getTime() + leaseMs);
    return (await this.pool.query(SQL.claimMirror, [accountId, now, until])).rowCount === 1;
  }

  async deferInteractionMirror(
    accountId: string,
    now: Date,
    baseMs: number,
    capMs: number,
  ): Promise<{ failures: number; retryAt: Date }> {
    const row = (await this.pool.query(SQL.deferMirror, [accountId, now, baseMs, capMs])).rows[0] as Row;
    return { failures: Number(row.failures), retryAt: new Date(row.retry_at as Date) };
  }

  async clearInteractionMirrorBackoff(accountId: string): Promise<void> {
    await this.pool.query(SQL.clearMirrorBackoff, [accountId]);
  }

  private async tx<T>(fn: (c: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await fn(client);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }
}
