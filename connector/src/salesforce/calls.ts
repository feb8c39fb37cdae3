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
