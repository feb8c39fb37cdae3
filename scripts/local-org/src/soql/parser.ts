// A recursive-descent parser for the SOQL that integrations send (SOQL and SOSL Reference
// "SOQL SELECT Syntax"): SELECT fields|COUNT() FROM obj [WHERE] [GROUP BY] [ORDER BY] [LIMIT] [OFFSET],
// with aggregate functions and aliases ("Aggregate Functions", "Using Aliases with GROUP BY").
import type { Aggregate, AggregateFn, Cond, Literal, OrderItem, Select, SelectItem } from './ast';
import { dateRange, isDateLiteral, takesN } from './dateLiterals';
import { lex, malformed, type Tok } from './lexer';

const AGGREGATES = new Set(['COUNT', 'COUNT_DISTINCT', 'SUM', 'AVG', 'MIN', 'MAX']);

const KEYWORDS = new Set([
  'SELECT',
  'FROM',
  'WHERE',
  'AND',
  'OR',
  'NOT',
  'IN',
  'LIKE',
  'ORDER',
  'BY',
  'LIMIT',
  'OFFSET',
  'NULL',
  'TRUE',
  'FALSE',
  'ASC',
  'DESC',
  'NULLS',
  'FIRST',
  'LAST',
  'INCLUDES',
  'EXCLUDES',
  'GROUP',
  'HAVING',
]);

export function parseSoql(q: string): Select {
  const toks = lex(q);
  let i = 0;
  const peek = (): Tok => toks[i];
  const next = (): Tok => toks[i++];
  const isKw = (t: Tok, kw: string) => t.k === 'id' && t.v.toUpperCase() === kw;
  const isOp = (t: Tok, op: string) => t.k === 'op' && t.v === op;
  const unexpected = (t: Tok) =>
    malformed(
      q,
      t.pos,
      t.k === 'eof' ? 'unexpected token: <EOF>' : `unexpected token: '${q.slice(t.pos).split(/[\s,()]/)[0] || t.v}'`,
    );
  const expectKw = (kw: string) => {
    const t = next();
    if (!isKw(t, kw)) throw unexpected(t);
  };
  const expectOp = (op: string) => {
    const t = next();
    if (!isOp(t, op)) throw unexpected(t);
  };
  const ident = (): { path: string; pos: number } => {
    const t = next();
    if (t.k !== 'id' || KEYWORDS.has(t.v.toUpperCase())) throw unexpected(t);
    return { path: t.v, pos: t.pos };
  };

  expectKw('SELECT');
  const sel: Select = { fields: [], items: [], count: false, from: '', fromPos: 0, groupBy: [], orderBy: [] };
  if (isKw(peek(), 'COUNT') && isOp(toks[i + 1], '(') && isOp(toks[i + 2], ')')) {
    i += 3;
    sel.count = true;
  } else {
    for (;;) {
      if (isOp(peek(), '('))
        throw malformed(q, peek().pos, "unexpected token: '(' (subqueries are not supported by the local org)");
      const agg = aggregate();
      const item: SelectItem = agg ? { path: agg.path, pos: agg.pos, agg } : ident();
      const a = peek();
      if (a.k === 'id' && !KEYWORDS.has(a.v.toUpperCase()) && !a.v.includes('.')) {
        next();
        item.alias = a.v;
      }
      sel.items.push(item);
      if (!item.agg) sel.fields.push(item);
      if (!isOp(peek(), ',')) break;
      next();
    }
  }
  expectKw('FROM');
  const from = ident();
  sel.from = from.path;
  sel.fromPos = from.pos;
  if (isKw(peek(), 'WHERE')) {
    next();
    sel.where = orExpr();
  }
  if (isKw(peek(), 'GROUP')) {
    next();
    expectKw('BY');
    for (;;) {
      sel.groupBy.push(ident());
      if (!isOp(peek(), ',')) break;
      next();
    }
  }
  if (isKw(peek(), 'HAVING')) throw malformed(q, peek().pos, 'HAVING is not supported by the local org');
  if (isKw(peek(), 'ORDER')) {
    next();
    expectKw('BY');
    for (;;) {
      const agg = aggregate();
      const f = agg ?? ident();
      const item: OrderItem = { path: f.path, agg, desc: false, nullsLast: false, pos: f.pos };
      if (isKw(peek(), 'ASC')) next();
      else if (isKw(peek(), 'DESC')) {
        next();
        item.desc = true;
      }
      // Default: ascending puts nulls first, descending puts nulls last (SOQL "ORDER BY").
      item.nullsLast = item.desc;
      if (isKw(peek(), 'NULLS')) {
        next();
        const t = next();
        if (isKw(t, 'FIRST')) item.nullsLast = false;
        else if (isKw(t, 'LAST')) item.nullsLast = true;
        else throw unexpected(t);
      }
      sel.orderBy.push(item);
      if (!isOp(peek(), ',')) break;
      next();
    }
  }
  if (isKw(peek(), 'LIMIT')) {
    next();
    sel.limit = intLit();
  }
  if (isKw(peek(), 'OFFSET')) {
    next();
    sel.offset = intLit();
  }
  if (peek().k !== 'eof') throw unexpected(peek());
  return sel;

  /** `FN(path)` when the next tokens are an aggregate call; `COUNT()` inside a list is refused. */
  function aggregate(): Aggregate | undefined {
    const t = peek();
    if (t.k !== 'id' || !AGGREGATES.has(t.v.toUpperCase()) || !isOp(toks[i + 1], '(')) return undefined;
    i += 2;
    const f = ident();
    expectOp(')');
    return { fn: t.v.toUpperCase() as AggregateFn, path: f.path, pos: t.pos };
  }
  function intLit(): number {
    const t = next();
    if (t.k !== 'num' || !Number.isInteger(t.v) || t.v < 0) throw unexpected(t);
    return t.v;
  }
  function orExpr(): Cond {
    const items = [andExpr()];
    while (isKw(peek(), 'OR')) {
      next();
      items.push(andExpr());
    }
    return items.length === 1 ? items[0] : { t: 'or', items };
  }
  function andExpr(): Cond {
    const items = [unary()];
    while (isKw(peek(), 'AND')) {
      next();
      items.push(unary());
    }
    return items.length === 1 ? items[0] : { t: 'and', items };
  }
  function unary(): Cond {
    if (isKw(peek(), 'NOT')) {
      next();
      return { t: 'not', c: unary() };
    }
    if (isOp(peek(), '(')) {
      next();
      const c = orExpr();
      expectOp(')');
      return c;
    }
    return predicate();
  }
  function predicate(): Cond {
    const f = ident();
    const t = next();
    if (t.k === 'op' && ['=', '!=', '<', '<=', '>', '>='].includes(t.v)) {
      return { t: 'cmp', path: f.path, op: t.v as '=', lit: literal(), pos: f.pos };
    }
    if (isKw(t, 'LIKE')) {
      const l = next();
      if (l.k !== 'str') throw unexpected(l);
      return { t: 'like', path: f.path, pattern: l.v, pos: f.pos };
    }
    let not = false;
    let kw = t;
    if (isKw(t, 'NOT')) {
      not = true;
      kw = next();
    }
    if (isKw(kw, 'IN')) {
      expectOp('(');
      const lits: Literal[] = [literal()];
      while (isOp(peek(), ',')) {
        next();
        lits.push(literal());
      }
      expectOp(')');
      return { t: 'in', path: f.path, not, lits, pos: f.pos };
    }
    if (!not && (isKw(kw, 'INCLUDES') || isKw(kw, 'EXCLUDES'))) {
      expectOp('(');
      const lits: string[] = [];
      for (;;) {
        const s = next();
        if (s.k !== 'str') throw unexpected(s);
        lits.push(s.v);
        if (!isOp(peek(), ',')) break;
        next();
      }
      expectOp(')');
      return { t: 'includes', path: f.path, not: isKw(kw, 'EXCLUDES'), lits, pos: f.pos };
    }
    throw unexpected(kw);
  }
  function literal(): Literal {
    const t = next();
    switch (t.k) {
      case 'str':
        return { t: 'str', v: t.v };
      case 'num':
        return { t: 'num', v: t.v };
      case 'date':
        return { t: 'date', v: t.v };
      case 'datetime':
        return { t: 'datetime', v: t.v };
      case 'id': {
        const u = t.v.toUpperCase();
        if (u === 'NULL') return { t: 'null' };
        if (u === 'TRUE' || u === 'FALSE') return { t: 'bool', v: u === 'TRUE' };
        if (isDateLiteral(u)) {
          if (!takesN(u)) return dateRange(u, undefined);
          expectOp(':');
          const n = next();
          if (n.k !== 'num' || !Number.isInteger(n.v) || n.v < 0) throw unexpected(n);
          return dateRange(u, n.v);
        }
        throw unexpected(t);
      }
      default:
        throw unexpected(t);
    }
  }
}
