// Runs a parsed SELECT against an org's records: field resolution (with parent relationship
// paths), WHERE evaluation with SOQL's case-insensitive string comparison, ORDER BY, LIMIT/OFFSET
// and the JSON shape of query results (REST API Developer Guide "Query").
import type { Cond, Literal, Select } from './ast';
import { aggregateRows } from './aggregate';
import { inRange, type DateRange } from './dateLiterals';
import { SoqlError } from './lexer';
import { parseSoql } from './parser';
import type { FieldDef, ObjectDef } from '../schema';
import type { Org, Rec } from '../state';
import { sameId } from '../ids';
import { textOf } from '../text';

interface Step {
  rel: FieldDef;
  target: ObjectDef;
}
export interface Resolved {
  steps: Step[];
  field: FieldDef;
  canonical: string[];
}

export function lookupObject(org: Org, name: string): ObjectDef | undefined {
  return org.catalogue.get(name.toLowerCase());
}

export function resolvePath(org: Org, obj: ObjectDef, path: string, q: string, pos: number): Resolved {
  const parts = path.split('.');
  if (parts.length > 1 && parts[0].toLowerCase() === obj.name.toLowerCase()) parts.shift();
  const steps: Step[] = [];
  let cur = obj;
  const canonical: string[] = [];
  for (let i = 0; i < parts.length - 1; i++) {
    const rel = cur.relByLower.get(parts[i].toLowerCase());
    const target = rel && lookupObject(org, rel.referenceTo[0]);
    if (!rel || !target) throw noColumn(q, pos, path, cur.name, i > 0 || parts.length > 1);
    steps.push({ rel, target });
    canonical.push(rel.relationshipName!);
    cur = target;
  }
  const field = cur.byLower.get(parts[parts.length - 1].toLowerCase());
  if (!field) throw noColumn(q, pos, parts[parts.length - 1], cur.name, false);
  canonical.push(field.name);
  return { steps, field, canonical };
}

function noColumn(q: string, pos: number, name: string, entity: string, relationship: boolean): SoqlError {
  const head = `\n${q.slice(Math.max(0, pos - 40), pos + 40)}\n${' '.repeat(Math.min(40, pos))}^\nERROR at Row:1:Column:${pos + 1}\n`;
  return new SoqlError(
    'INVALID_FIELD',
    relationship
      ? `${head}Didn't understand relationship '${name.split('.')[0]}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`
      : `${head}No such column '${name}' on entity '${entity}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
  );
}

/** The parent record a reference field points at; metadata relationships may hold the target's DeveloperName. */
export function parentOf(org: Org, rec: Rec, rel: FieldDef, target: ObjectDef): Rec | undefined {
  const v = rec[rel.name];
  if (typeof v !== 'string' || !v) return undefined;
  const t = org.records.get(target.name.toLowerCase());
  if (!t) return undefined;
  for (const r of t.values()) {
    if (sameId(r.Id, v)) return r;
    if (target.isMetadata) {
      const dn = textOf(r.DeveloperName ?? '').toLowerCase();
      const lv = v.toLowerCase();
      if (dn === lv || lv.endsWith('.' + dn) || textOf(r.QualifiedApiName ?? '').toLowerCase() === lv) return r;
    }
  }
  return undefined;
}

export function fieldValue(org: Org, obj: ObjectDef, rec: Rec, field: FieldDef): unknown {
  if (field.type === 'reference') {
    const target = lookupObject(org, field.referenceTo[0]);
    if (!target) return rec[field.name] ?? null;
    return parentOf(org, rec, field, target)?.Id ?? null;
  }
  return rec[field.name] ?? null;
}

export function valueAt(org: Org, obj: ObjectDef, rec: Rec, r: Resolved): unknown {
  let cur: Rec | undefined = rec;
  let curObj = obj;
  for (const s of r.steps) {
    cur = parentOf(org, cur, s.rel, s.target);
    curObj = s.target;
    if (!cur) return null;
  }
  return fieldValue(org, curObj, cur, r.field);
}

const TEXT = new Set(['string', 'email', 'phone', 'url', 'textarea', 'picklist', 'multipicklist']);
const NUM = new Set(['double', 'int', 'currency']);

function litValue(l: Literal, f: FieldDef, path: string): unknown {
  if (l.t === 'null') return null;
  if (l.t === 'range') {
    if (f.type !== 'date' && f.type !== 'datetime')
      throw new SoqlError(
        'INVALID_FIELD',
        `\n${path}\n^\nERROR at Row:1:Column:1\nvalue of filter criterion for field '${path}' must be of type ${f.type} and should not be enclosed in quotes`,
      );
    return l;
  }
  const bad = (what: string) =>
    new SoqlError(
      'INVALID_FIELD',
      `\n${path}\n^\nERROR at Row:1:Column:1\nvalue of filter criterion for field '${path}' must be of type ${what} and should not be enclosed in quotes`,
    );
  if (f.type === 'boolean') {
    if (l.t !== 'bool') throw bad('boolean');
    return l.v;
  }
  if (NUM.has(f.type)) {
    if (l.t !== 'num') throw bad(f.type);
    return l.v;
  }
  if (f.type === 'date') {
    if (l.t !== 'date') throw bad('date');
    return l.v;
  }
  // A dateTime field compares with a dateTime value or a date literal, not with a bare date.
  if (f.type === 'datetime') {
    if (l.t !== 'datetime') throw bad('dateTime');
    return l.v;
  }
  if (l.t !== 'str')
    throw new SoqlError(
      'INVALID_FIELD',
      `\n${path}\n^\nERROR at Row:1:Column:1\nvalue of filter criterion for field '${path}' must be of type string and should be enclosed in quotes`,
    );
  return l.v;
}

export function norm(v: unknown, f: FieldDef): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === 'object' && (v as DateRange).t === 'range') return v;
  if (f.type === 'datetime') return Date.parse(textOf(v).replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  if (f.type === 'id' || f.type === 'reference') return textOf(v).slice(0, 15);
  if (TEXT.has(f.type)) return textOf(v).toLowerCase();
  return v;
}

export function cmp(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  const sa = String(a),
    sb = String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/**
 * ORDER BY over rows' normalised sort keys (one per ORDER BY item): each item's direction and null
 * placement as parsed (SOQL and SOSL Reference "ORDER BY"); for plain and aggregate queries alike.
 */
export function compareKeys(order: readonly { desc: boolean; nullsLast: boolean }[]) {
  return (a: readonly unknown[], b: readonly unknown[]): number => {
    for (let i = 0; i < order.length; i++) {
      const o = order[i];
      const x = a[i],
        y = b[i];
      if (x === null && y === null) continue;
      if (x === null) return o.nullsLast ? 1 : -1;
      if (y === null) return o.nullsLast ? -1 : 1;
      const d = cmp(x, y);
      if (d !== 0) return o.desc ? -d : d;
    }
    return 0;
  };
}

function likeRegex(p: string): RegExp {
  let re = '';
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '\\' && (p[i + 1] === '%' || p[i + 1] === '_')) {
      re += '\\' + p[i + 1];
      i++;
      continue;
    }
    if (c === '%') re += '[\\s\\S]*';
    else if (c === '_') re += '[\\s\\S]';
    else re += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 'i');
}

interface Ctx {
  org: Org;
  obj: ObjectDef;
  q: string;
}

function compileCond(c: Cond, ctx: Ctx): (rec: Rec) => boolean {
  switch (c.t) {
    case 'and': {
      const fs = c.items.map((x) => compileCond(x, ctx));
      return (r) => fs.every((f) => f(r));
    }
    case 'or': {
      const fs = c.items.map((x) => compileCond(x, ctx));
      return (r) => fs.some((f) => f(r));
    }
    case 'not': {
      const f = compileCond(c.c, ctx);
      return (r) => !f(r);
    }
    case 'cmp': {
      const res = resolvePath(ctx.org, ctx.obj, c.path, ctx.q, c.pos);
      const lit = norm(litValue(c.lit, res.field, c.path), res.field);
      if (lit !== null && typeof lit === 'object') {
        const range = lit as DateRange;
        return (r) => {
          const v = norm(valueAt(ctx.org, ctx.obj, r, res), res.field) as string | number | null;
          return v === null ? c.op === '!=' : inRange(v, c.op, range);
        };
      }
      return (r) => {
        const v = norm(valueAt(ctx.org, ctx.obj, r, res), res.field);
        if (c.op === '=') return lit === null ? v === null : v !== null && cmp(v, lit) === 0;
        if (c.op === '!=') return lit === null ? v !== null : v === null || cmp(v, lit) !== 0;
        if (v === null || lit === null) return false;
        const d = cmp(v, lit);
        return c.op === '<' ? d < 0 : c.op === '<=' ? d <= 0 : c.op === '>' ? d > 0 : d >= 0;
      };
    }
    case 'in': {
      const res = resolvePath(ctx.org, ctx.obj, c.path, ctx.q, c.pos);
      const lits = c.lits.map((l) => norm(litValue(l, res.field, c.path), res.field));
      return (r) => {
        const v = norm(valueAt(ctx.org, ctx.obj, r, res), res.field);
        const hit = lits.some((l) =>
          l === null
            ? v === null
            : v !== null &&
              (typeof l === 'object' ? inRange(v as string | number, '=', l as DateRange) : cmp(v, l) === 0),
        );
        return c.not ? !hit : hit;
      };
    }
    case 'like': {
      const res = resolvePath(ctx.org, ctx.obj, c.path, ctx.q, c.pos);
      if (!TEXT.has(res.field.type) && res.field.type !== 'id' && res.field.type !== 'reference') {
        throw new SoqlError(
          'INVALID_FIELD',
          `\n${c.path}\n^\nERROR at Row:1:Column:${c.pos + 1}\ninvalid operator on ${res.field.type} field: LIKE`,
        );
      }
      const re = likeRegex(c.pattern);
      return (r) => {
        const v = valueAt(ctx.org, ctx.obj, r, res);
        return v !== null && v !== undefined && re.test(textOf(v));
      };
    }
    case 'includes': {
      const res = resolvePath(ctx.org, ctx.obj, c.path, ctx.q, c.pos);
      const wanted = c.lits.map((l) =>
        l
          .toLowerCase()
          .split(';')
          .map((s) => s.trim()),
      );
      return (r) => {
        const v = valueAt(ctx.org, ctx.obj, r, res);
        const have = new Set(
          textOf(v ?? '')
            .toLowerCase()
            .split(';')
            .map((s) => s.trim())
            .filter(Boolean),
        );
        const hit = wanted.some((w) => w.every((x) => have.has(x)));
        return c.not ? !hit : hit;
      };
    }
  }
}

export function recordUrl(version: string, obj: ObjectDef, id: string): string {
  return `/services/data/v${version}/sobjects/${obj.name}/${id}`;
}

export interface QueryOutcome {
  totalSize: number;
  rows: Record<string, unknown>[];
  obj: ObjectDef;
}

export function runQuery(org: Org, q: string, version: string): QueryOutcome {
  const sel: Select = parseSoql(q);
  const obj = lookupObject(org, sel.from);
  if (!obj) {
    throw new SoqlError(
      'INVALID_TYPE',
      `\n${q.slice(Math.max(0, sel.fromPos - 40), sel.fromPos + 40)}\n${' '.repeat(Math.min(40, sel.fromPos))}^\nERROR at Row:1:Column:${sel.fromPos + 1}\nsObject type '${sel.from}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`,
    );
  }
  const ctx: Ctx = { org, obj, q };
  const fields = sel.fields.map((f) => resolvePath(org, obj, f.path, q, f.pos));
  const where = sel.where ? compileCond(sel.where, ctx) : () => true;
  let rows = [...(org.records.get(obj.name.toLowerCase())?.values() ?? [])].filter(where);
  if (sel.groupBy.length || sel.items.some((i) => i.agg)) {
    const grouped = aggregateRows(org, obj, q, sel, rows);
    return { totalSize: grouped.length, rows: grouped, obj };
  }
  const order = sel.orderBy.map((o) => {
    if (o.agg)
      throw new SoqlError(
        'MALFORMED_QUERY',
        `\n${q}\nERROR at Row:1:Column:${o.pos + 1}\nOrdered field must be grouped or aggregated: ${o.path}`,
      );
    return { o, r: resolvePath(org, obj, o.path, q, o.pos) };
  });
  if (order.length) {
    const keyed = rows.map((rec) => ({ rec, keys: order.map(({ r }) => norm(valueAt(org, obj, rec, r), r.field)) }));
    const byKeys = compareKeys(order.map(({ o }) => o));
    keyed.sort((a, b) => byKeys(a.keys, b.keys));
    rows = keyed.map((k) => k.rec);
  }
  if (sel.offset) rows = rows.slice(sel.offset);
  if (sel.limit !== undefined) rows = rows.slice(0, sel.limit);
  if (sel.count) return { totalSize: rows.length, rows: [], obj };
  return { totalSize: rows.length, obj, rows: rows.map((rec) => project(org, obj, rec, fields, version)) };
}

function project(org: Org, obj: ObjectDef, rec: Rec, fields: Resolved[], version: string): Record<string, unknown> {
  const out: Record<string, unknown> = { attributes: { type: obj.name, url: recordUrl(version, obj, rec.Id) } };
  for (const f of fields) {
    let target = out;
    let cur: Rec | undefined = rec;
    let curObj = obj;
    let dead = false;
    for (const s of f.steps) {
      const key = s.rel.relationshipName!;
      if (!dead) cur = parentOf(org, cur, s.rel, s.target);
      if (!cur) {
        if (!(key in target)) target[key] = null;
        dead = true;
        break;
      }
      if (!target[key])
        target[key] = { attributes: { type: s.target.name, url: recordUrl(version, s.target, cur.Id) } };
      target = target[key] as Record<string, unknown>;
      curObj = s.target;
    }
    if (dead) continue;
    target[f.field.name] = fieldValue(org, curObj, cur!, f.field);
  }
  return out;
}
