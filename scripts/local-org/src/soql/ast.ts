import type { DateRange } from './dateLiterals';

export type Literal =
  | { t: 'str'; v: string }
  | { t: 'num'; v: number }
  | { t: 'bool'; v: boolean }
  | { t: 'null' }
  | { t: 'date'; v: string }
  | { t: 'datetime'; v: string }
  | DateRange;

export type Cond =
  | { t: 'and' | 'or'; items: Cond[] }
  | { t: 'not'; c: Cond }
  | { t: 'cmp'; path: string; op: '=' | '!=' | '<' | '<=' | '>' | '>='; lit: Literal; pos: number }
  | { t: 'in'; path: string; not: boolean; lits: Literal[]; pos: number }
  | { t: 'like'; path: string; pattern: string; pos: number }
  | { t: 'includes'; path: string; not: boolean; lits: string[]; pos: number };

export type AggregateFn = 'COUNT' | 'COUNT_DISTINCT' | 'SUM' | 'AVG' | 'MIN' | 'MAX';

/** An aggregate function call: `COUNT(Id)`, `SUM(Score__c)`. */
export interface Aggregate {
  fn: AggregateFn;
  path: string;
  pos: number;
}

export interface OrderItem {
  path: string;
  /** ORDER BY an aggregate (aggregate queries only). */
  agg?: Aggregate;
  desc: boolean;
  nullsLast: boolean;
  pos: number;
}

export interface SelectItem {
  path: string;
  pos: number;
  agg?: Aggregate;
  alias?: string;
}

export interface Select {
  /** Plain field items (the whole select list when no aggregate is used). */
  fields: SelectItem[];
  /** Every item in select order, aggregates included. */
  items: SelectItem[];
  count: boolean;
  from: string;
  fromPos: number;
  where?: Cond;
  groupBy: { path: string; pos: number }[];
  orderBy: OrderItem[];
  limit?: number;
  offset?: number;
}
