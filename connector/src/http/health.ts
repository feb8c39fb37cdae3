import express from 'express';
import type { Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';
import type { QueueStore, StoreLifecycle, UsageStore } from '../store/types';

/** GET /healthz (liveness), /readyz (store reachable and writable), /metrics (Prometheus). No bearer. */
export function healthRoutes(deps: {
  store: Pick<StoreLifecycle, 'ping'> & Pick<QueueStore, 'queueStats'> & Pick<UsageStore, 'heldCounts'>;
  metrics: Metrics;
  log: Logger;
  now?: () => Date;
}): express.Router {
  const router = express.Router();
  const now = deps.now ?? (() => new Date());

  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/readyz', async (_req, res) => {
    try {
      await deps.store.ping();
      res.json({ status: 'ready' });
    } catch (err) {
      deps.log.warn(
        { err: err instanceof Error ? err.message : 'unknown' },
        'readiness check failed: store unavailable',
      );
      res.status(503).json({ status: 'unavailable', reason: 'store_unavailable' });
    }
  });

  router.get('/metrics', async (_req, res) => {
    // Queue gauges are read from the store on scrape, so every instance reports the shared queue.
    try {
      const stats = await deps.store.queueStats(now());
      deps.metrics.queueDepth.set(stats.queued);
      deps.metrics.queueOldestAge.set(stats.oldestQueuedAgeSeconds);
      const held = await deps.store.heldCounts(now());
      for (const [reason, n] of Object.entries(held)) deps.metrics.heldResponses.set({ reason }, n);
    } catch {
      // The scrape still answers; a stale gauge beats no metrics while the store recovers.
    }
    res.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
  });

  return router;
}
