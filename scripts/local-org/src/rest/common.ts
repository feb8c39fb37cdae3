// Shared REST plumbing: session check, daily allocation, fault injection, the
// Sforce-Limit-Info header and Salesforce's error body shape `[{message, errorCode, fields?}]`
// (REST API Developer Guide "Status Codes and Error Responses", "Response Headers").
import type { NextFunction, Request, Response } from 'express';
import type { Org, Session, State } from '../state';

export class RestError extends Error {
  constructor(
    public readonly status: number,
    public readonly errorCode: string,
    message: string,
    public readonly extra: Record<string, unknown> = {},
    /** Answer with an HTML page instead of the JSON error body (an unavailable instance's page). */
    public readonly html = false,
  ) {
    super(message);
  }
  body(): unknown[] {
    return [{ message: this.message, errorCode: this.errorCode, ...this.extra }];
  }
}

export interface RestLocals {
  org: Org;
  session: Session;
  version: string;
  token: string;
}

export function locals(res: Response): RestLocals {
  return res.locals as RestLocals;
}

export function bearer(req: Request): string | undefined {
  const h = req.header('authorization') ?? '';
  const m = /^(?:Bearer|OAuth)\s+(.+)$/i.exec(h);
  return m ? m[1].trim() : undefined;
}

export const INVALID_SESSION = () => new RestError(401, 'INVALID_SESSION_ID', 'Session expired or invalid');

/** Which API-call counter a REST request falls under. */
export function kindOf(method: string, path: string): string {
  if (/^\/(query|queryAll)(\/|$)/.test(path)) return 'query';
  if (/^\/composite\/sobjects/.test(path)) return 'collections';
  if (/^\/composite/.test(path)) return 'composite';
  if (/^\/limits/.test(path)) return 'limits';
  if (/^\/sobjects\/?$/.test(path) || /\/describe\/?$/.test(path)) return 'describe';
  if (/^\/sobjects\//.test(path)) return 'sobject';
  return 'other';
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function limitHeader(res: Response, org: Org): void {
  res.setHeader('Sforce-Limit-Info', `api-usage=${org.apiUsed}/${org.dailyApiLimit}`);
}

/**
 * Authenticates a request by its access token and applies the org's allocation and faults.
 * Returns the org and session, or throws a RestError already shaped as Salesforce answers.
 */
export async function admit(
  state: State,
  token: string | undefined,
  kind: string,
  res: Response | null,
): Promise<{ org: Org; session: Session }> {
  const session = token ? state.sessions.get(token) : undefined;
  const org = session && state.org(session.orgId);
  if (!session || !org || session.expired) throw INVALID_SESSION();
  const f = org.faults;
  if (f.latencyMs) await sleep(f.latencyMs);
  if (f.expireSessionEvery && f.expireSessionEvery > 0) {
    org.faultState.callsSinceExpiry += 1;
    if (org.faultState.callsSinceExpiry > f.expireSessionEvery) {
      org.faultState.callsSinceExpiry = 0;
      session.expired = true;
      throw INVALID_SESSION();
    }
  }
  if (res) limitHeader(res, org);
  // Every API call counts against the org's rolling 24-hour allocation (Salesforce Developer
  // Limits and Allocations Quick Reference, "API Request Limits and Allocations").
  if (org.apiUsed >= org.dailyApiLimit || Date.now() < org.faultState.limitUntil) {
    throw new RestError(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.');
  }
  // Injected: too many long-running requests at once (the concurrent-request limit; it clears in
  // seconds). Same status and code as the daily allocation, told apart only by the message
  // (Developer Limits and Allocations Quick Reference, "API Request Limits and Allocations").
  if (org.faultState.concurrentLeft > 0) {
    org.faultState.concurrentLeft -= 1;
    throw new RestError(403, 'REQUEST_LIMIT_EXCEEDED', 'ConcurrentPerOrgLongTxn Limit exceeded.');
  }
  if (f.http503Rate && org.faultState.rng() < f.http503Rate) {
    throw new RestError(
      503,
      'SERVER_UNAVAILABLE',
      'Server Unavailable: the local org injected a 503 fault.',
      {},
      f.htmlErrorPages === true,
    );
  }
  state.countCall(org, kind);
  if (res) limitHeader(res, org);
  return { org, session };
}

export function restAuth(state: State) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    try {
      const version = String(req.params.version ?? '').replace(/^v/, '');
      if (!/^\d{2,3}\.0$/.test(version)) throw new RestError(404, 'NOT_FOUND', 'The requested resource does not exist');
      const token = bearer(req);
      const { org, session } = await admit(
        state,
        token,
        kindOf(req.method, req.path.replace(/^\/services\/data\/[^/]+/, '')),
        res,
      );
      Object.assign(res.locals, { org, session, version, token: token ?? '' } satisfies RestLocals);
      next();
    } catch (e) {
      next(e);
    }
  };
}

export function restErrorHandler(err: unknown, _req: Request, res: Response, next: NextFunction): void {
  if (res.headersSent) return next(err);
  if (err instanceof RestError && err.html) {
    res
      .status(err.status)
      .type('text/html')
      .send('<html><head><title>Service Unavailable</title></head><body>Service Unavailable</body></html>');
    return;
  }
  if (err instanceof RestError) {
    res.status(err.status).json(err.body());
    return;
  }
  const e = err as { type?: string; status?: number; message?: string };
  if (e && e.type === 'entity.parse.failed') {
    res.status(400).json([{ message: `Unexpected character: ${e.message ?? ''}`, errorCode: 'JSON_PARSER_ERROR' }]);
    return;
  }
  if (e && e.type === 'entity.too.large') {
    res.status(413).json([{ message: 'Request entity too large', errorCode: 'REQUEST_ENTITY_TOO_LARGE' }]);
    return;
  }
  res.status(500).json([{ message: 'An unexpected error occurred in the local org.', errorCode: 'UNKNOWN_EXCEPTION' }]);
}
