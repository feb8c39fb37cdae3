// Aggregate queries (SOQL and SOSL Reference "Aggregate Functions", "GROUP BY", "Using Aliases with
// GROUP BY"): rows grouped by the GROUP BY fields, one AggregateResult per group
// `{attributes: {type: 'AggregateResult'}, <field>: value, <alias or exprN>: value}`. Without GROUP BY
// the whole result is one group. Every selected field must be grouped ("Field must be grouped or
// aggregated"); unaliased aggregates are named expr0, expr1… in select order.
import type { Aggregate, Select } from './ast';
import { SoqlError } from './lexer';
import { cmp, compareKeys, norm, resolvePath, valueAt, type Resolved } from './evaluate';
import type { ObjectDef } from '../schema';
import type { Org, Rec } from '../state';

const NUMERIC = new Set(['double', 'int', 'currency']);

function compute(org: Org, obj: ObjectDef, agg: Aggregate, r: Resolved, rows: Rec[]): unknown {
  const values = rows.map((rec) => valueAt(org, obj, rec, r)).filter((v) => v !== null && v !== undefined);
  switch (agg.fn) {
    case 'COUNT':
      return values.length;
    case 'COUNT_DISTINCT':
      return new Set(values.map((v) => JSON.stringify(norm(v, r.field)))).size;
    case 'SUM':
      return values.length ? values.reduce((s: number, v) => s + Number(v), 0) : null;
    case 'AVG':
      return values.length ? values.reduce((s: number, v) => s + Number(v), 0) / values.length : null;
    case 'MIN':
    case 'MAX': {
      if (!values.length) return null;
      const sorted = [...values].sort((a, b) => cmp(norm(a, r.field), norm(b, r.field)));
      return agg.fn === 'MIN' ? sorted[0] : sorted[sorted.length - 1];
    }
  }
}

export function aggregateRows(
  org: Org,
  obj: ObjectDef,
  q: string,
  sel: Select,
  rows: Rec[],
): Record<string, unknown>[] {
  const err = (pos: number, msg: string) =>
    new SoqlError('MALFORMED_QUERY', `\n${q}\nERROR at Row:1:Column:${pos + 1}\n${msg}`);
  const groups = sel.groupBy.map((g) => ({ ...g, r: resolvePath(org, obj, g.path, q, g.pos) }));
  const grouped = (path: string) => groups.find((g) => g.r.canonical.join('.').toLowerCase() === path.toLowerCase());
  let expr = 0;
  const columns = sel.items.map((item) => {
    const r = resolvePath(org, obj, item.path, q, item.pos);
    if (item.agg) {
      if ((item.agg.fn === 'SUM' || item.agg.fn === 'AVG') && !NUMERIC.has(r.field.type))
        throw err(item.pos, `Invalid field ${item.path} for ${item.agg.fn} function`);
      return { key: item.alias ?? `expr${expr++}`, r, agg: item.agg };
    }
    if (!grouped(r.canonical.join('.'))) throw err(item.pos, `Field must be grouped or aggregated: ${item.path}`);
    return { key: item.alias ?? r.field.name, r };
  });
  const buckets = new Map<string, Rec[]>();
  for (const rec of rows) {
    const key = JSON.stringify(groups.map((g) => norm(valueAt(org, obj, rec, g.r), g.r.field)));
    buckets.set(key, [...(buckets.get(key) ?? []), rec]);
  }
  if (!groups.length && !buckets.size) buckets.set('[]', []);
  const order = sel.orderBy.map((o) => {
    const r = resolvePath(org, obj, o.path, q, o.pos);
    if (!o.agg && !grouped(r.canonical.join('.')))
      throw err(o.pos, `Ordered field must be grouped or aggregated: ${o.path}`);
    return { o, r };
  });
  const out = [...buckets.values()].map((members) => {
    const row: Record<string, unknown> = { attributes: { type: 'AggregateResult' } };
    for (const c of columns)
      row[c.key] = c.agg ? compute(org, obj, c.agg, c.r, members) : (valueAt(org, obj, members[0], c.r) ?? null);
    const keys = order.map(({ o, r }) =>
      o.agg ? compute(org, obj, o.agg, r, members) : norm(valueAt(org, obj, members[0], r), r.field),
    );
    return { row, keys };
  });
  const byKeys = compareKeys(order.map(({ o }) => o));
  out.sort((a, b) => byKeys(a.keys, b.keys));
  let result = out.map((x) => x.row);
  if (sel.offset) result = result.slice(sel.offset);
  if (sel.limit !== undefined) result = result.slice(0, sel.limit);
  return result;
}
