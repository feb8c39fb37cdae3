import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * Prometheus metrics (GET /metrics). One registry per app instance so tests can start several
 * connectors in one process. Labels carry ids (org, account), never personal data.
 */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    webhooksReceived: new Counter({
      name: 'credspark_webhooks_received_total',
      help: 'Webhook deliveries by reply (queued, duplicate, ignored, rejected)',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    responsesFinished: new Counter({
      name: 'credspark_responses_total',
      help: 'Responses reaching a final or retry state, by status (synced, failed, skipped, retry) and code',
      labelNames: ['status', 'code'] as const,
      registers: [registry],
    }),
    salesforceCalls: new Counter({
      name: 'credspark_salesforce_calls_total',
      help: 'Salesforce API calls by org and kind (query, collections, composite, describe, metadata, oauth)',
      labelNames: ['org', 'kind'] as const,
      registers: [registry],
    }),
    queueDepth: new Gauge({
      name: 'credspark_queue_depth',
      help: 'Responses waiting to be synced',
      registers: [registry],
    }),
    queueOldestAge: new Gauge({
      name: 'credspark_queue_oldest_age_seconds',
      help: 'Age of the oldest response waiting to be synced',
      registers: [registry],
    }),
    syncBatchSeconds: new Histogram({
      name: 'credspark_sync_batch_seconds',
      help: 'Duration of one per-org sync batch',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
