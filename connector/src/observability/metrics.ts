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
    orgApiCalls: new Counter({
      name: 'credspark_org_api_calls_total',
      help: "Salesforce API calls sent (REST and SOAP, what counts against the org's daily allocation and the admin's budget), by org and kind",
      labelNames: ['org', 'kind'] as const,
      registers: [registry],
    }),
    heldResponses: new Gauge({
      name: 'credspark_held_responses',
      help: 'Queued responses held by reason (API_BUDGET, ORG_API_LIMIT, BACKOFF), as of the last batch that met the hold',
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
    orgHolds: new Counter({
      name: 'credspark_org_holds_total',
      help: 'Times an org was held (its responses left queued), by reason',
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
    batchSize: new Histogram({
      name: 'credspark_sync_batch_size',
      help: 'Responses per sync batch',
      buckets: [1, 2, 5, 10, 25, 50, 100, 200, 500, 1000],
      registers: [registry],
    }),
    leaseTakeovers: new Counter({
      name: 'credspark_lease_takeovers_total',
      help: 'Responses claimed again after another owner’s lease lapsed (a crashed or frozen instance)',
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
