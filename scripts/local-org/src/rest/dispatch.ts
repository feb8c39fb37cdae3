// Routes one REST request (path relative to /services/data/vXX.X) to its handler. Used by the
// express router and by /composite for its subrequests.
import { collections } from './collections';
import { composite } from './composite';
import { RestError } from './common';
import { query, queryMore } from './query';
import * as so from './sobjects';
import { retrieveByExternalId, upsertOne } from './upsert';
import type { Ctx, Reply } from './types';

export async function dispatch(
  ctx: Ctx,
  method: string,
  path: string,
  search: URLSearchParams,
  body: unknown,
): Promise<Reply> {
  const seg = path.split('/').filter(Boolean).map(decodeURIComponent);
  const m = method.toUpperCase();
  const nf = () => new RestError(404, 'NOT_FOUND', 'The requested resource does not exist');
  if (seg.length === 0 && m === 'GET') {
    const b = `/services/data/v${ctx.version}`;
    return {
      status: 200,
      body: { sobjects: `${b}/sobjects`, query: `${b}/query`, limits: `${b}/limits`, composite: `${b}/composite` },
    };
  }
  const [a, b, c, d] = seg;
  if ((a === 'query' || a === 'queryAll') && m === 'GET')
    return b ? queryMore(ctx, b) : query(ctx, search.get('q') ?? undefined);
  if (a === 'limits' && m === 'GET' && !b) {
    const used = ctx.org.apiUsed;
    return {
      status: 200,
      body: { DailyApiRequests: { Max: ctx.org.dailyApiLimit, Remaining: Math.max(0, ctx.org.dailyApiLimit - used) } },
    };
  }
  if (a === 'composite' && b === 'sobjects' && !c && (m === 'POST' || m === 'PATCH')) return collections(ctx, m, body);
  if (a === 'composite' && b === 'sobjects' && c && d && !seg[4] && m === 'PATCH')
    return collections(ctx, m, body, { sobject: c, field: d });
  if (a === 'composite' && !b && m === 'POST') return composite(ctx, body);
  if (a === 'sobjects') {
    if (!b && m === 'GET') return so.globalDescribe(ctx);
    if (b && !c) {
      if (m === 'GET') return so.basicInfo(ctx, b);
      if (m === 'POST') return so.create(ctx, b, body);
    }
    if (b && c === 'describe' && !d && m === 'GET') return so.describe(ctx, b);
    if (b && c && !d) {
      if (m === 'GET') return so.retrieve(ctx, b, c, search.get('fields') ?? undefined);
      if (m === 'PATCH') return so.update(ctx, b, c, body);
      if (m === 'DELETE') return so.remove(ctx, b, c);
    }
    if (b && c && d && !seg[4]) {
      if (m === 'PATCH') return upsertOne(ctx, b, c, d, body);
      if (m === 'GET') return retrieveByExternalId(ctx, b, c, d, search.get('fields') ?? undefined);
    }
  }
  throw nf();
}
