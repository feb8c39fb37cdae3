import type { OrgConnections } from '../connections/types';
import type { Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';
import { MetadataWriteError, upsertCustomMetadata } from '../salesforce/customMetadata';
import type { MirrorStore } from '../store/types';
import { interactionRecord } from './interactionRecord';
import type { MirrorResult, MirrorWriter } from './types';

/** How many owed Interaction records one write takes (10 per API call). */
export const MIRROR_BATCH = 50;

export interface InteractionWriterDeps {
  store: Pick<MirrorStore, 'interactionsToMirror' | 'markInteractionMirrored'>;
  connections: OrgConnections;
  /** SF_NAMESPACE: '' for an unpackaged org, else e.g. 'credspark'. */
  namespace: string;
  log: Logger;
  metrics: Metrics;
}

/**
 * Writes owed Interaction metadata records (content hash changed) with the Metadata API, then
 * records their hash: at most MIRROR_BATCH per write. Records Salesforce refused stay owed.
 */
export class InteractionWriter implements MirrorWriter {
  constructor(private readonly deps: InteractionWriterDeps) {}

  async write(accountId: string): Promise<MirrorResult> {
    const { store, log, metrics } = this.deps;
    const owed = await store.interactionsToMirror(accountId, MIRROR_BATCH);
    if (owed.length === 0) return { written: 0, failed: 0, more: false };
    const { conn, orgId } = await this.deps.connections.getSalesforceConnection(accountId);
    const records = owed.map((i) => ({ item: i, record: interactionRecord(this.deps.namespace, i) }));
    const outcome = await upsertCustomMetadata(
      conn,
      records.map((r) => r.record),
      () => metrics.salesforceCalls.inc({ org: orgId, kind: 'metadata' }),
    );
    const written = new Set(outcome.written);
    let marked = 0;
    for (const { item, record } of records) {
      if (!written.has(record.fullName)) continue;
      await store.markInteractionMirrored(accountId, item.interactionId, item.contentHash);
      marked++;
    }
    // Ids and counts only: interaction names and field labels are the customer's content.
    log.info({ accountId, orgId, written: marked, failed: outcome.failures.length }, 'interaction metadata mirrored');
    if (outcome.failures.length) throw new MetadataWriteError(outcome.failures);
    return { written: marked, failed: records.length - marked, more: owed.length === MIRROR_BATCH };
  }
}
