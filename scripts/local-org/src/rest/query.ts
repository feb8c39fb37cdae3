// query / queryAll and query locators (REST API Developer Guide "Query", "Execute a SOQL Query":
// batches of 2,000 by default, `Sforce-Query-Options: batchSize=` from 200 to 2,000, nextRecordsUrl).
import { randomToken } from '../ids';
import { runQuery } from '../soql/evaluate';
import { SoqlError } from '../soql/lexer';
import { RestError } from './common';
import type { Ctx, Reply } from './types';

export function query(ctx: Ctx, q: string | undefined): Reply {
  if (!q) throw new RestError(400, 'MALFORMED_QUERY', 'A query string has to be specified');
  // SOQL and SOSL Reference "SOQL and SOSL Limits": a statement is at most 100,000 characters.
  if (q.length > 100000)
    throw new RestError(400, 'MALFORMED_QUERY', 'SOQL statements cannot be longer than 100,000 characters.');
  let out;
  try {
    out = runQuery(ctx.org, q, ctx.version);
  } catch (e) {
    if (e instanceof SoqlError) throw new RestError(400, e.errorCode, e.message);
    throw e;
  }
  const m = /batchSize=(\d+)/i.exec(ctx.headers['sforce-query-options'] ?? '');
  const batch = Math.min(2000, Math.max(200, m ? Number(m[1]) : 2000));
  return { status: 200, body: page(ctx, out.totalSize, out.rows, 0, batch) };
}

function page(ctx: Ctx, totalSize: number, rows: unknown[], pos: number, batch: number): Record<string, unknown> {
  const records = rows.slice(pos, pos + batch);
  const done = pos + batch >= rows.length;
  const body: Record<string, unknown> = { totalSize, done, records };
  if (!done) {
    const locator = `01g${randomToken(12)}`;
    ctx.state.cursors.set(locator, { orgId: ctx.org.orgId, rows, pos: pos + batch, batch });
    // Salesforce keeps a limited number of open cursors per user; keep the newest 200.
    if (ctx.state.cursors.size > 200) ctx.state.cursors.delete(ctx.state.cursors.keys().next().value!);
    body.nextRecordsUrl = `/services/data/v${ctx.version}/query/${locator}-${pos + batch}`;
  }
  return body;
}

export function queryMore(ctx: Ctx, locatorAndPos: string): Reply {
  const [locator] = locatorAndPos.split('-');
  const cur = ctx.state.cursors.get(locator);
  if (!cur || cur.orgId !== ctx.org.orgId) throw new RestError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
  return { status: 200, body: page(ctx, cur.rows.length, cur.rows, cur.pos, cur.batch) };
}
