import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import type { Logger } from '../observability/logger';

/**
 * One error vocabulary for HTTP replies: routes throw AppError (or let anything else escape) and
 * the central handler answers `{ "error": { "code", "message", "details"? } }`. Never a stack trace.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const notFound = (message = 'Not found') => new AppError(404, 'NOT_FOUND', message);
export const conflict = (code: string, message: string) => new AppError(409, code, message);
export const unauthorized = () =>
  new AppError(401, 'UNAUTHORIZED', 'A valid Authorization: Bearer <token> header is required');

/** Turns an unknown thrown value into an Error (graphile/worker's coerceError). */
export function coerceError(err: unknown): Error {
  return err instanceof Error ? err : new Error(typeof err === 'string' ? err : 'Non-error value thrown');
}

/**
 * Errors raised by express/body-parser carry `status`/`type`; map the ones clients cause. Express
 * hands the handler whatever was thrown, so the fields are read from `unknown`.
 */
function fromHttpError(err: unknown): AppError | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const { status: s, statusCode, type, expose, message } = err as Record<string, unknown>;
  const status = s ?? statusCode;
  if (typeof status !== 'number' || status < 400 || status >= 500) return undefined;
  if (type === 'entity.too.large')
    return new AppError(413, 'PAYLOAD_TOO_LARGE', 'The request body is larger than allowed');
  if (type === 'entity.parse.failed') return new AppError(400, 'MALFORMED_JSON', 'The request body is not valid JSON');
  if (type === 'encoding.unsupported' || type === 'charset.unsupported')
    return new AppError(415, 'UNSUPPORTED_ENCODING', 'Unsupported content encoding or charset');
  return new AppError(
    status,
    'BAD_REQUEST',
    expose === true && typeof message === 'string' && message ? message : 'Bad request',
  );
}

/** The route pattern (`/api/accounts/:id`) when one matched — fewer distinct values than raw paths. */
function routePath(req: Request): string {
  const route: unknown = req.route;
  return typeof route === 'object' && route !== null && 'path' in route && typeof route.path === 'string'
    ? route.path
    : req.path;
}

export function errorHandler(log: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const appError = err instanceof AppError ? err : fromHttpError(err);
    if (!appError) {
      const e = coerceError(err);
      log.error(
        { err: { name: e.name, message: e.message }, method: req.method, path: routePath(req) },
        'unhandled error in request',
      );
    }
    const reply = appError ?? new AppError(500, 'INTERNAL', 'Internal error');
    if (res.headersSent) return;
    res.status(reply.status).json({
      error: {
        code: reply.code,
        message: reply.message,
        ...(reply.details !== undefined ? { details: reply.details } : {}),
      },
    });
  };
}

export const notFoundHandler: RequestHandler = (_req, _res, next) => next(notFound('No such route'));
