import express, { type RequestHandler, type Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import helmet from 'helmet';
import { z } from 'zod';
import { AppError } from '../http/errors';
import type { ConnectionService } from './connectionService';
import { OAuthFlow } from './oauthFlow';
import { page } from './pages';
import { CALLBACK_PATH, type ConnectionsDeps } from './types';

export interface ConnectionRoutesDeps extends ConnectionsDeps {
  connections: ConnectionService;
  /** Constant-time bearer check (http/adminAuth.ts); applied to the /api routes only. */
  requireAdmin: RequestHandler;
  /** Work owed to an org as soon as it is connected (createApp: writing the interaction metadata
   *  CredSpark announced before the connection). Best effort: a failure is logged. */
  afterConnect(accountId: string): Promise<unknown>;
  /** Callback rate limit per client IP and minute (default 30). */
  callbackRateLimitPerMinute?: number;
}

/** Account ids as CredSpark sends them; Account_Id__c is Text(64). */
const accountIdSchema = z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/);
const connectBody = z.object({
  loginUrl: z.string().max(2048).optional(),
  returnUrl: z.string().max(2048).optional(),
});
const callbackQuery = z.object({
  code: z.string().max(4096).optional(),
  state: z.string().max(512).optional(),
  error: z.string().max(256).optional(),
});

/**
 * SPEC §5 connection routes:
 *   POST   /api/accounts/:accountId/connect     (admin bearer)
 *   GET    /api/accounts/:accountId/connection  (admin bearer)
 *   DELETE /api/accounts/:accountId/connection  (admin bearer)
 *   GET    /oauth/callback                      (no bearer: Salesforce redirects the browser here)
 * Mount at the app root: `app.use(connectionRoutes({...}))`.
 */
export function connectionRoutes(deps: ConnectionRoutesDeps): express.Router {
  const router = express.Router();
  const flow = new OAuthFlow(deps, deps.connections);
  const { store, log } = deps;

  // Applied per route (not router-wide) so other features' /api routes are left to their own guards.
  const validAccount: RequestHandler = (req, res, next) => {
    if (!accountIdSchema.safeParse(req.params.accountId).success) {
      throw new AppError(400, 'INVALID_ACCOUNT_ID', 'accountId must be 1–64 letters, digits, _ . : or -');
    }
    next();
  };
  const admin = [deps.requireAdmin, validAccount];
  const base = '/api/accounts/:accountId';

  router.post(`${base}/connect`, ...admin, express.json({ limit: '16kb' }), async (req, res) => {
    const body = connectBody.safeParse(req.body ?? {});
    if (!body.success) {
      throw new AppError(
        400,
        'INVALID_BODY',
        body.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '),
      );
    }
    const result = await flow.start(accountParam(req.params), body.data);
    if (!result.ok) throw new AppError(result.code === 'NOT_CONFIGURED' ? 503 : 400, result.code, result.message);
    res.json({ authorizeUrl: result.authorizeUrl });
  });

  router.get(`${base}/connection`, ...admin, async (req, res) => {
    const record = await store.getConnection(accountParam(req.params));
    if (!record) {
      res.json({ status: 'not_connected', orgId: null, instanceUrl: null, username: null, connectedAt: null });
      return;
    }
    res.json({
      status: record.status,
      orgId: record.orgId,
      instanceUrl: record.instanceUrl,
      username: record.username,
      connectedAt: record.connectedAt.toISOString(),
      ...(record.status === 'disconnected' && record.reason ? { reason: record.reason } : {}),
    });
  });

  router.delete(`${base}/connection`, ...admin, async (req, res) => {
    await deps.connections.disconnect(accountParam(req.params));
    res.status(204).end();
  });

  const callbackHeaders = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'none'"],
        styleSrc: ["'unsafe-inline'"],
        formAction: ["'none'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
      },
    },
    // The callback URL carries the authorization code: never leak it in a Referer.
    referrerPolicy: { policy: 'no-referrer' },
  });
  const callbackLimit = rateLimit({
    windowMs: 60_000,
    limit: deps.callbackRateLimitPerMinute ?? 30,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    handler: (_req, res) =>
      sendPage(res, 429, 'Too many attempts', 'Please wait a minute, then start the connection again from CredSpark.'),
  });

  router.get(CALLBACK_PATH, callbackHeaders, callbackLimit, async (req, res) => {
    res.set('Cache-Control', 'no-store');
    const q = callbackQuery.safeParse(req.query);
    if (!q.success)
      return sendPage(res, 400, 'This link is not valid', 'Please start the connection again from CredSpark.');
    try {
      const result = await flow.complete(q.data);
      switch (result.kind) {
        case 'connected':
          if (result.returnUrl) return res.redirect(302, result.returnUrl);
          return sendPage(
            res,
            200,
            'Connected',
            'CredSpark is now connected to Salesforce. You can close this window.',
          );
        case 'denied':
          return sendPage(
            res,
            200,
            'Connection cancelled',
            'Access was not allowed in Salesforce, so nothing was connected. You can start again from CredSpark at any time.',
            result.returnUrl ? { href: result.returnUrl, text: 'Back to CredSpark' } : undefined,
          );
        case 'invalid_state':
          return sendPage(
            res,
            400,
            'This link has expired',
            'This connection link is unknown, already used or older than 10 minutes. Please start the connection again from CredSpark.',
          );
        case 'failed':
          return sendPage(res, result.status, 'Could not connect', result.message);
      }
    } catch (err) {
      log.error({ err: err instanceof Error ? err.name : 'unknown' }, 'OAuth callback failed');
      return sendPage(
        res,
        500,
        'Something went wrong',
        'The connection could not be completed. Please try again from CredSpark.',
      );
    }
  });

  return router;
}

function accountParam(params: unknown): string {
  return (params as { accountId: string }).accountId;
}

function sendPage(
  res: Response,
  status: number,
  title: string,
  message: string,
  link?: { href: string; text: string },
): void {
  res.status(status).type('html').send(page({ title, message, link }));
}
