import type { Org, Session, State } from '../state';

export interface Ctx {
  state: State;
  org: Org;
  session: Session;
  version: string;
  headers: Record<string, string | undefined>;
}
export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}
