import { countCall, withTimeout, type OrgCallContext } from '../salesforce/calls';
import { classifySalesforceError, type SalesforceErrorClass } from '../salesforce/errors';

/**
 * Packs subrequests into as few API calls as Salesforce allows. REST API Developer Guide, "Send
 * Multiple Requests Using Composite"
 * (https://developer.salesforce.com/docs/platform/api-rest/guide/resources-composite-composite-post.html):
 * up to 25 subrequests in one call, of which at most 5 may be sObject Collections or query
 * operations; the whole series counts as ONE call toward the API limits. A later subrequest may
 * refer to an earlier result with `@{referenceId.field}` and `[n]` ("Composite Subrequest": e.g.
 * `@{AccountInfo.recentItems[0].Id}`) — such subrequests travel in one unit, in one call.
 *
 * This is the seam every write of a batch goes through: the person records (write.ts), and what
 * rides with them or right after them — CampaignMembers (campaigns.ts), CredSpark_Response__c
 * records (responseRecords.ts), and whatever else a batch owes (SyncContext.followUps).
 */
export const SUBREQUESTS_PER_COMPOSITE = 25;
export const HEAVY_PER_COMPOSITE = 5;

/**
 * A subrequest's answer: its HTTP status and body, or the classified error that kept it from one
 * (then `body`, when the error came from Salesforce, is its REST error object: jsforce's
 * HttpApiError keeps it as `data`).
 */
export type SubAnswer = { status: number; body: unknown } | { error: SalesforceErrorClass; body?: unknown };

export interface Subrequest {
  /** Unique within the batch: letters, digits and `_` ("Composite Subrequest" referenceId). */
  referenceId: string;
  method: 'GET' | 'POST' | 'PATCH';
  /** Without the `/services/data/vXX.X` prefix, e.g. `/composite/sobjects`. */
  path: string;
  body?: unknown;
  httpHeaders?: Record<string, string>;
  /** Receives this subrequest's answer, or the classified error that kept it from having one. */
  done(answer: SubAnswer): void | Promise<void>;
}

/** Subrequests that must share one call (later ones refer to earlier ones' results). */
export type Unit = Subrequest[];

/** sObject Collections and query subrequests count against HEAVY_PER_COMPOSITE. */
export function isHeavy(s: Pick<Subrequest, 'path'>): boolean {
  return /^\/(query|queryAll|composite\/sobjects)(\/|\?|$)/.test(s.path);
}

export function unitFits(unit: Unit): boolean {
  return unit.length <= SUBREQUESTS_PER_COMPOSITE && unit.filter(isHeavy).length <= HEAVY_PER_COMPOSITE;
}

/** Greedy first-fit in order: units keep their order and are never split. */
export function pack(units: Unit[]): Unit[] {
  const calls: Unit[] = [];
  for (const unit of units) {
    if (unit.length === 0) continue;
    if (!unitFits(unit)) throw new Error(`a unit of ${unit.length} subrequests cannot fit in one composite call`);
    const last = calls[calls.length - 1];
    if (last && unitFits([...last, ...unit])) last.push(...unit);
    else calls.push([...unit]);
  }
  return calls;
}

/** Sends every unit (packed), one call after the other; never throws (errors reach `done`). */
export async function sendUnits(ctx: OrgCallContext, units: Unit[], what: string): Promise<void> {
  for (const call of pack(units)) {
    if (call.length === 1 && !refersToOthers(call[0])) await sendPlain(ctx, call[0], what);
    else await sendComposite(ctx, call, what);
  }
}

function refersToOthers(s: Subrequest): boolean {
  return /@\{/.test(JSON.stringify(s.body ?? null) + s.path);
}

/** One subrequest as its own REST call (one API call). */
export async function sendPlain(ctx: OrgCallContext, s: Subrequest, what: string): Promise<void> {
  let answer: SubAnswer;
  try {
    countCall(
      ctx,
      s.path.startsWith('/composite/sobjects') ? 'collections' : s.path.startsWith('/query') ? 'query' : 'composite',
    );
    const body = await withTimeout(
      ctx.conn.request({
        method: s.method,
        url: s.path,
        ...(s.body === undefined ? {} : { body: JSON.stringify(s.body) }),
        headers: { 'content-type': 'application/json', ...s.httpHeaders },
      }),
      what,
      ctx.callTimeoutMs,
    );
    answer = { status: 200, body };
  } catch (err) {
    const data = (err as { data?: unknown } | null)?.data;
    answer = {
      error: classifySalesforceError(err),
      ...(typeof data === 'object' && data !== null ? { body: data } : {}),
    };
  }
  await s.done(answer);
}

interface CompositeReply {
  compositeResponse?: { body: unknown; httpStatusCode: number; referenceId: string }[];
}

async function sendComposite(ctx: OrgCallContext, call: Subrequest[], what: string): Promise<void> {
  const compositeRequest = call.map((s) => ({
    method: s.method,
    url: `/services/data/v${ctx.conn.version}${s.path}`,
    referenceId: s.referenceId,
    ...(s.body === undefined ? {} : { body: s.body }),
    ...(s.httpHeaders ? { httpHeaders: s.httpHeaders } : {}),
  }));
  let reply: CompositeReply;
  try {
    countCall(ctx, 'composite');
    reply = await withTimeout(
      ctx.conn.request<CompositeReply>({
        method: 'POST',
        url: '/composite',
        body: JSON.stringify({ allOrNone: false, compositeRequest }),
        headers: { 'content-type': 'application/json' },
      }),
      `composite ${what}`,
      ctx.callTimeoutMs,
    );
  } catch (err) {
    const c = classifySalesforceError(err);
    // Refused outright (4xx: nothing ran): an org or proxy that refuses the bundle costs calls,
    // never the sync — each subrequest without references goes on its own.
    if (!c.retryable) {
      for (const s of call) {
        if (refersToOthers(s)) await s.done({ error: c });
        else await sendPlain(ctx, s, what);
      }
      return;
    }
    for (const s of call) await s.done({ error: c });
    return;
  }
  for (const s of call) {
    const sub = reply.compositeResponse?.find((r) => r.referenceId === s.referenceId);
    if (!sub)
      await s.done({
        error: { retryable: true, code: 'UNEXPECTED_RESPONSE', message: 'composite answered without this subrequest' },
      });
    else await s.done({ status: sub.httpStatusCode, body: sub.body });
  }
}

/** The first REST error of a subrequest's error body (`[{errorCode, message}]`), classified. */
export function subrequestError(status: number, body: unknown): SalesforceErrorClass {
  const e = (Array.isArray(body) ? body[0] : body) as { errorCode?: string; message?: string } | undefined;
  return classifySalesforceError({
    errorCode: e?.errorCode ?? `ERROR_HTTP_${status}`,
    message: e?.message ?? `subrequest failed with HTTP ${status}`,
  });
}

/** Unique reference ids for one batch. */
export function referenceIds(): (prefix: string) => string {
  let n = 0;
  return (prefix) => `${prefix}${n++}`;
}
