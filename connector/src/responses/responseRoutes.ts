import express, { type RequestHandler } from 'express';
import { z } from 'zod';
import { AppError, conflict, notFound } from '../http/errors';
import type { Logger } from '../observability/logger';
import type { QueueStore, ResponseRecord, UsageStore } from '../store/types';

export interface ResponseRoutesDeps {
  store: QueueStore & Pick<UsageStore, 'accountWait'>;
  requireAdmin: RequestHandler;
  log: Logger;
  /** Called after a retry was queued (wakes the worker). */
  onQueued?: (accountId: string) => void;
  now?: () => Date;
}

const params = z.object({
  accountId: z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/),
  // No control characters: a NUL would make the Postgres lookup fail (a 5xx for bad input).
  responseId: z.string().regex(/^[^\u0000-\u001f\u007f]{1,255}$/u),
});

/**
 * SPEC §5 (contract):
 *   GET  /api/accounts/:accountId/responses/:responseId        → status (404 if unknown)
 *   POST /api/accounts/:accountId/responses/:responseId/retry  → 202 {"status":"queued"}
 * Retry requeues a failed response (or one skipped NOT_CONNECTED, after reconnecting). It is
 * idempotent: a response already queued answers 202 too and is left as it is (a repeated POST, or
 * one racing the worker, must not fail). Synced or otherwise skipped: 409 NOT_RETRYABLE.
 */
export function responseRoutes(deps: ResponseRoutesDeps): express.Router {
  const router = express.Router();
  const now = deps.now ?? (() => new Date());
  const base = '/api/accounts/:accountId/responses/:responseId';

  router.get(base, deps.requireAdmin, async (req, res) => {
    const { accountId, responseId } = parseParams(req.params);
    const record = await deps.store.getResponse(accountId, responseId);
    if (!record) throw notFound('No response with this id for this account');
    res.json(statusBody(record, await waitingFor(deps.store, record, now())));
  });

  router.post(`${base}/retry`, deps.requireAdmin, async (req, res) => {
    const { accountId, responseId } = parseParams(req.params);
    if (await deps.store.requeueResponse(accountId, responseId, now())) {
      deps.log.info({ accountId, responseId }, 'response requeued by admin');
      deps.onQueued?.(accountId);
      res.status(202).json({ status: 'queued' });
      return;
    }
    const record = await deps.store.getResponse(accountId, responseId);
    if (!record) throw notFound('No response with this id for this account');
    if (record.status === 'queued') {
      res.status(202).json({ status: 'queued' });
      return;
    }
    throw conflict(
      'NOT_RETRYABLE',
      `The response is ${record.status}${record.errorCode ? ` (${record.errorCode})` : ''}; only failed responses (or ones skipped NOT_CONNECTED) can be retried`,
    );
  });

  return router;
}

/**
 * The status body of SPEC §5, exactly: optional members only when known. What was written
 * (object, recordId, action) belongs to a finished attempt: a response requeued by retry does not
 * show the previous attempt's object. A queued one keeps `error` while it is being retried (the
 * transient error that made it wait).
 */
export function statusBody(r: ResponseRecord, waiting?: WaitingFor) {
  const finished = r.status !== 'queued';
  return {
    status: r.status,
    ...(finished && r.object ? { object: r.object } : {}),
    ...(finished && r.recordId ? { recordId: r.recordId } : {}),
    ...(finished && r.action ? { action: r.action } : {}),
    ...(r.errorCode ? { error: { code: r.errorCode, message: r.errorMessage ?? '' } } : {}),
    ...(finished && r.warnings && r.warnings.length > 0 ? { warnings: r.warnings } : {}),
    ...(!finished && waiting ? { waitingFor: waiting } : {}),
    attempts: r.attempts,
    updatedAt: r.updatedAt.toISOString(),
  };
}

export type WaitingFor = 'API_BUDGET' | 'ORG_API_LIMIT' | 'BACKOFF';

/**
 * Why a queued response is not being synced now (SPEC §5 `waitingFor`): its org held by the budget
 * or the org's allocation (API_BUDGET / ORG_API_LIMIT, store/usage.ts), a backoff pause of its
 * account or org, or its own retry not yet due (BACKOFF). undefined: it is due (or being synced).
 */
async function waitingFor(
  store: Pick<UsageStore, 'accountWait'>,
  r: ResponseRecord,
  at: Date,
): Promise<WaitingFor | undefined> {
  if (r.status !== 'queued') return undefined;
  const wait = await store.accountWait(r.accountId, at);
  if (wait?.org?.reason) return wait.org.reason;
  if (wait?.org || wait?.accountPausedUntil || r.nextAttemptAt.getTime() > at.getTime()) return 'BACKOFF';
  return undefined;
}

function parseParams(p: unknown): z.infer<typeof params> {
  const parsed = params.safeParse(p);
  if (!parsed.success)
    throw new AppError(
      400,
      'INVALID_PARAMETER',
      'accountId must be 1–64 letters, digits, _ . : or -; responseId 1–255 characters',
    );
  return parsed.data;
}
