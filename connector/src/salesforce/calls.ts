import type { Connection } from 'jsforce';
import type { SyncContext } from '../sync/types';

/** Kinds of Salesforce API calls counted in `credspark_salesforce_calls_total`. */
export type CallKind = 'query' | 'describe' | 'collections' | 'composite';

/** Counts one Salesforce API call by org and kind (every REST call costs one of the org's daily allocation). */
export function countCall(ctx: Pick<SyncContext, 'metrics' | 'orgId'>, kind: CallKind, n = 1): void {
  ctx.metrics.salesforceCalls.inc({ org: ctx.orgId, kind }, n);
}

/**
 * Runs a SOQL query and follows every `nextRecordsUrl` page (REST "Execute a SOQL Query":
 * ≤ 2,000 rows a page). We page with `queryMore` ourselves, counting each page as a call,
 * instead of jsforce's autoFetch whose default maxFetch (10,000) truncates silently.
 */
export async function queryAll<T>(ctx: Pick<SyncContext, 'metrics' | 'orgId'> & { conn: Connection }, soql: string): Promise<T[]> {
  countCall(ctx, 'query');
  let page = await ctx.conn.query<Record<string, unknown>>(soql, { autoFetch: false });
  const rows: T[] = page.records as unknown as T[];
  while (!page.done && page.nextRecordsUrl) {
    countCall(ctx, 'query');
    page = await ctx.conn.queryMore<Record<string, unknown>>(page.nextRecordsUrl);
    rows.push(...(page.records as unknown as T[]));
  }
  return rows;
}

interface QueryPage { done: boolean; nextRecordsUrl?: string; records: Record<string, unknown>[] }

/**
 * Several SOQL queries in ONE API call: "Composite" (REST API Developer Guide) accepts up to 5
 * query subrequests among its 25. Further pages (nextRecordsUrl) are fetched with queryMore.
 * A failed subrequest throws an error carrying Salesforce's errorCode (for classification).
 */
export async function queryComposite(ctx: Pick<SyncContext, 'metrics' | 'orgId'> & { conn: Connection }, soqls: string[]): Promise<Record<string, unknown>[][]> {
  const compositeRequest = soqls.map((q, n) => ({ method: 'GET', url: `/services/data/v${ctx.conn.version}/query?q=${encodeURIComponent(q)}`, referenceId: `q${n}` }));
  countCall(ctx, 'composite');
  const reply = await ctx.conn.request<{ compositeResponse?: { body: unknown; httpStatusCode: number; referenceId: string }[] }>({
    method: 'POST', url: '/composite', body: JSON.stringify({ allOrNone: false, compositeRequest }), headers: { 'content-type': 'application/json' },
  });
  return Promise.all(soqls.map(async (_q, n) => {
    const sub = reply.compositeResponse?.find((r) => r.referenceId === `q${n}`);
    if (!sub || sub.httpStatusCode >= 400) {
      const e = (Array.isArray(sub?.body) ? sub!.body[0] : sub?.body) as { errorCode?: string; message?: string } | undefined;
      throw Object.assign(new Error(e?.message ?? 'composite query subrequest failed'), { errorCode: e?.errorCode ?? `ERROR_HTTP_${sub?.httpStatusCode ?? 500}` });
    }
    let page = sub.body as QueryPage;
    const rows = [...page.records];
    while (!page.done && page.nextRecordsUrl) {
      countCall(ctx, 'query');
      page = (await ctx.conn.queryMore<Record<string, unknown>>(page.nextRecordsUrl)) as unknown as QueryPage;
      rows.push(...page.records);
    }
    return rows;
  }));
}
