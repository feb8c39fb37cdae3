import express, { type NextFunction, type Request, type Response } from 'express';
import type { Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';
import type { ConnectionStore, EventStore, MirrorStore } from '../store/types';
import { catalogueFromEvent } from '../mirror/catalogue';
import { SIGNATURE_HEADER, verifySignature } from './signature';
import { describeIssues, envelopeSchema, KNOWN_TYPES, knownEventSchema } from './webhookSchema';

export const WEBHOOK_PATH = '/webhooks/credspark';
/** SPEC §4: body at most 1 MiB. */
export const MAX_BODY_BYTES = 1024 * 1024;

export interface WebhookRouteDeps {
  store: EventStore & Pick<ConnectionStore, 'getConnection'> & Pick<MirrorStore, 'upsertInteraction'>;
  webhookSecrets: string[];
  log: Logger;
  metrics: Metrics;
  /** Called after work for the worker was stored: a response queued, or an interaction catalogue
   *  that changed and is owed to the org's metadata (wakes the worker). */
  onQueued?: (accountId: string) => void;
  now?: () => Date;
}

type Outcome = 'queued' | 'duplicate' | 'ignored' | 'rejected' | 'unavailable';

/**
 * POST /webhooks/credspark (SPEC §4, contract). Order of checks: media type (415), size (413),
 * signature over the raw bytes (401), JSON (400), envelope (400), unknown type (200 ignored),
 * schema (400), account connected (200 ignored), durable store (202 / 200 duplicate). Bad input
 * never gets a 5xx; only a store failure answers 503 so CredSpark delivers again.
 */
export function webhookRouter(deps: WebhookRouteDeps): express.Router {
  const router = express.Router();
  const now = deps.now ?? (() => new Date());
  const raw = express.raw({ type: () => true, limit: MAX_BODY_BYTES });

  const reply = (res: Response, outcome: Outcome, status: number, body: object) => {
    deps.metrics.webhooksReceived.inc({ outcome });
    res.status(status).json(body);
  };
  const reject = (res: Response, status: number, code: string, message: string, details?: unknown) =>
    reply(res, 'rejected', status, { error: { code, message, ...(details ? { details } : {}) } });

  router.post(
    WEBHOOK_PATH,
    (req: Request, res: Response, next: NextFunction) => {
      if (!isJson(req.get('content-type')))
        return reject(res, 415, 'UNSUPPORTED_MEDIA_TYPE', 'Content-Type must be application/json');
      const declared = Number(req.get('content-length'));
      if (declared > MAX_BODY_BYTES)
        return reject(res, 413, 'PAYLOAD_TOO_LARGE', `The body must be at most ${MAX_BODY_BYTES} bytes`);
      raw(req, res, (err?: unknown) => {
        if (!err) return next();
        const type = (err as { type?: string }).type;
        if (type === 'entity.too.large')
          return reject(res, 413, 'PAYLOAD_TOO_LARGE', `The body must be at most ${MAX_BODY_BYTES} bytes`);
        if (type === 'encoding.unsupported' || type === 'charset.unsupported')
          return reject(res, 415, 'UNSUPPORTED_MEDIA_TYPE', 'Unsupported content encoding or charset');
        // Aborted or malformed transfers are the client's doing: a 400, never a 5xx.
        return reject(res, 400, 'BAD_REQUEST', 'The request body could not be read');
      });
    },
    async (req: Request, res: Response) => {
      const body: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const sig = verifySignature(req.get(SIGNATURE_HEADER), body, deps.webhookSecrets, now().getTime());
      if (!sig.ok) return reject(res, 401, 'INVALID_SIGNATURE', sig.reason);

      let json: unknown;
      try {
        json = JSON.parse(body.toString('utf8'));
      } catch {
        return reject(res, 400, 'MALFORMED_JSON', 'The request body is not valid JSON');
      }
      const envelope = envelopeSchema.safeParse(json);
      if (!envelope.success)
        return reject(res, 400, 'INVALID_EVENT', 'The event does not match the schema', describeIssues(envelope.error));
      const { id: eventId, accountId, type } = envelope.data;
      if (!(KNOWN_TYPES as readonly string[]).includes(type)) {
        deps.log.info({ eventId, accountId, type }, 'webhook ignored: unknown event type');
        return reply(res, 'ignored', 200, { status: 'ignored', reason: 'unknown_event_type' });
      }
      const parsed = knownEventSchema.safeParse(json);
      if (!parsed.success)
        return reject(res, 400, 'INVALID_EVENT', 'The event does not match the schema', describeIssues(parsed.error));
      const event = parsed.data;

      try {
        const connection = await deps.store.getConnection(accountId);
        if (connection?.status !== 'connected') {
          // SPEC §4: "200 duplicate for an event id already stored" — a delivery repeated after a
          // disconnect is still a repeat; only a new event is ignored for want of a connection.
          if (await deps.store.hasEvent(eventId)) {
            deps.log.info({ eventId, accountId, type }, 'webhook duplicate (account no longer connected)');
            return reply(res, 'duplicate', 200, { status: 'duplicate' });
          }
          deps.log.info({ eventId, accountId, type }, 'webhook ignored: account not connected');
          return reply(res, 'ignored', 200, { status: 'ignored', reason: 'account_not_connected' });
        }
        const receivedAt = now();
        // Catalogue first: by the time the worker sees the response, what it must mirror is known.
        const catalogue = catalogueFromEvent(event, receivedAt);
        const catalogueChanged = catalogue ? await deps.store.upsertInteraction(catalogue) : false;
        const result = await deps.store.insertEvent({
          eventId,
          accountId,
          type,
          body: body.toString('utf8'),
          receivedAt,
          ...(event.type === 'response.completed'
            ? {
                response: {
                  responseId: event.data.responseId,
                  interactionId: event.data.interaction.id,
                  completedAt: new Date(event.data.completedAt),
                },
              }
            : {}),
        });
        if (result === 'duplicate') {
          deps.log.info({ eventId, accountId, type }, 'webhook duplicate');
          reply(res, 'duplicate', 200, { status: 'duplicate' });
          // A redelivery whose first attempt stored the catalogue but not the event still owes it.
          if (catalogueChanged) deps.onQueued?.(accountId);
          return;
        }
        deps.log.info(
          {
            eventId,
            accountId,
            type,
            ...(event.type === 'response.completed' ? { responseId: event.data.responseId } : {}),
          },
          'webhook stored',
        );
        reply(res, 'queued', 202, { status: 'queued' });
        // SPEC §4 interaction.updated: the changed catalogue reaches the org without waiting for a response.
        if (event.type === 'response.completed' || catalogueChanged) deps.onQueued?.(accountId);
      } catch (err) {
        deps.log.error(
          { eventId, accountId, err: err instanceof Error ? err.message : 'unknown' },
          'webhook not stored: store unavailable',
        );
        res.set('Retry-After', '5');
        return reply(res, 'unavailable', 503, {
          error: { code: 'STORE_UNAVAILABLE', message: 'The event could not be stored; deliver it again later' },
        });
      }
    },
  );

  return router;
}

function isJson(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const [media, ...params] = contentType.split(';').map((s) => s.trim().toLowerCase());
  if (media !== 'application/json') return false;
  const charset = params
    .find((p) => p.startsWith('charset='))
    ?.slice('charset='.length)
    .replace(/"/g, '');
  return charset === undefined || charset === 'utf-8' || charset === 'utf8';
}
