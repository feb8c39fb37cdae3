import type { Connection } from 'jsforce';
import type { Metrics } from '../observability/metrics';
import { classifySalesforceError } from './errors';

/** What a call needs: the org's Connection, its id, the metrics it is counted in, and how long
 *  to wait for it (DEFAULT_CALL_TIMEOUT_MS unless the engine was built with another). */
export interface OrgCallContext {
  conn: Connection;
  orgId: string;
  metrics: Metrics;
  callTimeoutMs: number;
}

/** Kinds of Salesforce API calls counted in `credspark_salesforce_calls_total`. */
export type CallKind = 'query' | 'describe' | 'collections' | 'composite';

/**
 * jsforce's own request timeout is 30 minutes and cannot be set per call (only via the
 * HTTP_TIMEOUT environment variable, read by its transport). We stop waiting after
 * CALL_TIMEOUT_MS: the call is reported as ETIMEDOUT (retryable). A write that did land is
 * found by the next batch's email match, so giving up on it never duplicates a record.
 */
export const DEFAULT_CALL_TIMEOUT_MS = 120_000;

export function withTimeout<T>(p: PromiseLike<T>, what: string, callTimeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          Object.assign(new Error(`Salesforce ${what} timed out after ${callTimeoutMs} ms`), { code: 'ETIMEDOUT' }),
        ),
      callTimeoutMs,
    );
    timer.unref();
  });
  return Promise.race([Promise.resolve(p), timeout]).finally(() => clearTimeout(timer));
}

/** Counts one Salesforce API call by org and kind (every REST call costs one of the org's daily allocation). */
export function countCall(ctx: Pick<OrgCallContext, 'metrics' | 'orgId'>, kind: CallKind, n = 1): void {
  ctx.metrics.salesforceCalls.inc({ org: ctx.orgId, kind }, n);
}

/**
 * Runs a SOQL query and follows every `nextRecordsUrl` page (REST "Execute a SOQL Query":
 * ≤ 2,000 rows a page). We page with `queryMore` ourselves, counting each page as a call,
 * instead of jsforce's autoFetch whose default maxFetch (10,000) truncates silently.
 */
export async function queryAll<T>(ctx: OrgCallContext, soql: string): Promise<T[]> {
  countCall(ctx, 'query');
  const page = await withTimeout(
    ctx.conn.query<Record<string, unknown>>(soql, { autoFetch: false }),
    'query',
    ctx.callTimeoutMs,
  );
  return (await withLaterPages(ctx, page)) as unknown as T[];
}

/** The page's records and those of every page after it (`queryMore`, one counted call each). */
async function withLaterPages(ctx: OrgCallContext, first: QueryPage): Promise<Record<string, unknown>[]> {
  let page = first;
  const rows = [...page.records];
  while (!page.done && page.nextRecordsUrl) {
    countCall(ctx, 'query');
    page = await withTimeout(
      ctx.conn.queryMore<Record<string, unknown>>(page.nextRecordsUrl),
      'queryMore',
      ctx.callTimeoutMs,
    );
    rows.push(...page.records);
  }
  return rows;
}

interface QueryPage {
  done: boolean;
  nextRecordsUrl?: string;
  records: Record<string, unknown>[];
}

/**
 * Several SOQL queries in ONE API call: "Composite" (REST API Developer Guide) accepts up to 5
 * query subrequests among its 25. Further pages (nextRecordsUrl) are fetched with queryMore.
 * A failed subrequest throws an error carrying Salesforce's errorCode (for classification).
 */
export async function queryComposite(ctx: OrgCallContext, soqls: string[]): Promise<Record<string, unknown>[][]> {
  try {
    return await queryCompositeOnce(ctx, soqls);
  } catch (err) {
    if (classifySalesforceError(err).retryable) throw err;
    // A refused composite (or subrequest) costs one more call per query, never the sync: run the
    // queries one by one, so an org whose API refuses the bundle still works and a real query
    // error surfaces with the plain query's own errorCode.
    const rows: Record<string, unknown>[][] = [];
    for (const soql of soqls) rows.push(await queryAll<Record<string, unknown>>(ctx, soql));
    return rows;
  }
}

async function queryCompositeOnce(ctx: OrgCallContext, soqls: string[]): Promise<Record<string, unknown>[][]> {
  const compositeRequest = soqls.map((q, n) => ({
    method: 'GET',
    url: `/services/data/v${ctx.conn.version}/query?q=${encodeURIComponent(q)}`,
    referenceId: `q${n}`,
  }));
  countCall(ctx, 'composite');
  const reply = await withTimeout(
    ctx.conn.request<{ compositeResponse?: { body: unknown; httpStatusCode: number; referenceId: string }[] }>({
      method: 'POST',
      url: '/composite',
      body: JSON.stringify({ allOrNone: false, compositeRequest }),
      headers: { 'content-type': 'application/json' },
    }),
    'composite query',
    ctx.callTimeoutMs,
  );
  return Promise.all(
    soqls.map(async (_q, n) => {
      const sub = reply.compositeResponse?.find((r) => r.referenceId === `q${n}`);
      if (!sub || sub.httpStatusCode >= 400) {
        const e = (Array.isArray(sub?.body) ? sub.body[0] : sub?.body) as
          { errorCode?: string; message?: string } | undefined;
        throw Object.assign(new Error(e?.message ?? 'composite query subrequest failed'), {
          errorCode: e?.errorCode ?? `ERROR_HTTP_${sub?.httpStatusCode ?? 500}`,
        });
      }
      return withLaterPages(ctx, sub.body as QueryPage);
    }),
  );
}
