export type Literal =
  | { t: 'str'; v: string }
  | { t: 'num'; v: number }
  | { t: 'bool'; v: boolean }
  | { t: 'null' }
  | { t: 'date'; v: string }
  | { t: 'datetime'; v: string };

export type Cond =
  | { t: 'and' | 'or'; items: Cond[] }
  | { t: 'not'; c: Cond }
  | { t: 'cmp'; path: string; op: '=' | '!=' | '<' | '<=' | '>' | '>='; lit: Literal; pos: number }
  | { t: 'in'; path: string; not: boolean; lits: Literal[]; pos: number }
  | { t: 'like'; path: string; pattern: string; pos: number }
  | { t: 'includes'; path: string; not: boolean; lits: string[]; pos: number };

export interface OrderItem {
  path: string;
  desc: boolean;
  nullsLast: boolean;
  pos: number;
}

export interface Select {
  fields: { path: string; pos: number }[];
  count: boolean;
  from: string;
  fromPos: number;
  where?: Cond;
  orderBy: OrderItem[];
  limit?: number;
  offset?: number;
}
