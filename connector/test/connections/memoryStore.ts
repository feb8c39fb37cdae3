import type {
  ConnectionRecord,
  InteractionCatalogueRecord,
  OAuthStateRecord,
  ResponseRecord,
  Store,
} from '../../src/store/types';

/**
 * A small in-memory Store with just what the connections feature uses (connections, OAuth
 * states, the interaction catalogue, skipping queued responses). For unit tests only; integration
 * tests use the real SQLite store when it is available.
 */
export class MemoryStore implements Store {
  connections = new Map<string, ConnectionRecord>();
  states = new Map<string, OAuthStateRecord>();
  interactions = new Map<string, InteractionCatalogueRecord>();
  queued = new Map<string, ResponseRecord>();
  skipped: { accountId: string; code: string; message: string }[] = [];
  /** Not used by the connections feature: nothing has a record, no org is due. */
  readonly responseRecords = {
    responsesWithRecord: async () => new Set<string>(),
    markResponseRecords: async () => undefined,
    orgsDueForRetryPoll: async () => [],
    takeRetryPollTurn: async () => false,
  };

  /** Puts one queued response in place, as intake would have stored it. */
  queue(accountId: string, responseId: string): void {
    const now = new Date();
    this.queued.set(`${accountId}/${responseId}`, {
      accountId,
      responseId,
      eventId: `evt_${responseId}`,
      interactionId: 'int_1',
      completedAt: now,
      status: 'queued',
      attempts: 0,
      nextAttemptAt: now,
      createdAt: now,
      updatedAt: now,
    });
  }

  async migrate() {}
  async ping() {}
  async close() {}
  async hasEvent(): Promise<boolean> {
    return false;
  }
  async insertEvent(): Promise<never> {
    throw new Error('not used by connections');
  }
  async accountsWithDueWork() {
    return [];
  }
  async claimResponses() {
    return [];
  }
  async completeResponse() {
    return false;
  }
  async getResponse(accountId: string, responseId: string) {
    return this.queued.get(`${accountId}/${responseId}`);
  }
  async requeueResponse() {
    return false;
  }
  async skipQueuedResponses(accountId: string, code: string, message: string, now: Date) {
    let n = 0;
    for (const r of this.queued.values()) {
      if (r.accountId === accountId && r.status === 'queued') {
        Object.assign(r, { status: 'skipped', errorCode: code, errorMessage: message, updatedAt: now });
        n++;
      }
    }
    this.skipped.push({ accountId, code, message });
    return n;
  }
  async queueStats() {
    return { queued: 0, oldestQueuedAgeSeconds: 0 };
  }
  async getConnection(accountId: string) {
    const c = this.connections.get(accountId);
    return c ? { ...c } : undefined;
  }
  async upsertConnection(record: ConnectionRecord) {
    this.connections.set(record.accountId, { ...record, reason: record.reason });
  }
  async updateConnectionTokens(
    accountId: string,
    accessTokenEnc: string,
    refreshTokenEnc: string | undefined,
    now: Date,
  ) {
    const c = this.connections.get(accountId);
    if (!c) return;
    c.accessTokenEnc = accessTokenEnc;
    if (refreshTokenEnc !== undefined) c.refreshTokenEnc = refreshTokenEnc;
    c.updatedAt = now;
  }
  async markDisconnected(accountId: string, reason: string, now: Date) {
    const c = this.connections.get(accountId);
    if (!c) return;
    Object.assign(c, { status: 'disconnected', reason, updatedAt: now });
  }
  async insertOAuthState(record: OAuthStateRecord) {
    this.states.set(record.stateHash, { ...record });
  }
  async consumeOAuthState(stateHash: string) {
    const s = this.states.get(stateHash);
    this.states.delete(stateHash);
    return s;
  }
  async upsertInteraction(record: Omit<InteractionCatalogueRecord, 'mirroredHash'>) {
    const key = `${record.accountId}/${record.interactionId}`;
    const old = this.interactions.get(key);
    this.interactions.set(key, { ...record, mirroredHash: old?.mirroredHash });
    return old?.contentHash !== record.contentHash;
  }
  async interactionsToMirror(accountId: string, limit: number) {
    return [...this.interactions.values()]
      .filter((i) => i.accountId === accountId && i.mirroredHash !== i.contentHash)
      .slice(0, limit);
  }
  async markInteractionMirrored(accountId: string, interactionId: string, hash: string) {
    const i = this.interactions.get(`${accountId}/${interactionId}`);
    if (i) i.mirroredHash = hash;
  }
}
