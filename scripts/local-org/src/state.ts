// Server state: orgs (records, API counters, faults), connected apps, tokens and codes.
import { randomOrgId, makeId, randomToken, sameId } from './ids';
import { buildCatalogue, type ObjectDef } from './schema';
import type { DuplicateRule } from './rules/duplicates';
import { ensureOrgUser } from './rules/users';

export type Rec = Record<string, unknown> & { Id: string };

export interface Faults {
  latencyMs?: number;
  http503Rate?: number;
  /** Injected 503s answer with an HTML page (text/html), as a maintenance or edge page does, not Salesforce's JSON error body. */
  htmlErrorPages?: boolean;
  lockRowRate?: number;
  expireSessionEvery?: number;
  requestLimitExceededForMs?: number;
  /** The next N API calls are refused with 403 REQUEST_LIMIT_EXCEEDED "ConcurrentPerOrgLongTxn Limit exceeded." */
  concurrentLimitExceededNext?: number;
  seed?: number;
}

export interface Org {
  orgId: string;
  name: string;
  namespace: string;
  username: string;
  userId: string;
  dailyApiLimit: number;
  /** API requests counted against the org's rolling 24-hour allocation (Sforce-Limit-Info, /limits). */
  apiUsed: number;
  catalogue: Map<string, ObjectDef>;
  records: Map<string, Map<string, Rec>>; // object name (lower case) → id → record
  serial: number;
  apiCalls: { total: number; byKind: Record<string, number> };
  faults: Faults;
  faultState: { rng: () => number; callsSinceExpiry: number; limitUntil: number; concurrentLeft: number };
  duplicateRules: DuplicateRule[];
  /** 15-character ids of deleted records (a lookup to one answers ENTITY_IS_DELETED). */
  deletedIds: Set<string>;
  /** Last auto-number given per object. */
  autoNumbers: Record<string, number>;
}

export interface ConnectedApp {
  name: string;
  clientId: string;
  clientSecret: string;
  callbackUrls: string[];
}

export interface Session {
  orgId: string;
  userId: string;
  clientId: string;
  scope: string;
  expired: boolean;
  refreshToken?: string;
}
export interface RefreshGrant {
  orgId: string;
  userId: string;
  clientId: string;
  scope: string;
}
export interface AuthCode {
  clientId: string;
  redirectUri: string;
  challenge?: string;
  orgId: string;
  userId: string;
  scope: string;
  expiresAt: number;
  used: boolean;
}

export const DEMO_APP = {
  name: 'CredSpark Connector',
  clientId: '3MVG9LocalOrgDemoCredSparkConnector000000000000000000000000000000000000000000000000',
  clientSecret: 'LOCALORG0DEMO0SECRET0000000000000000000000000000000000000000000000',
};

/** A deterministic PRNG (mulberry32) so that a seeded fault plan repeats. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class State {
  orgs = new Map<string, Org>();
  apps = new Map<string, ConnectedApp>();
  sessions = new Map<string, Session>();
  refreshGrants = new Map<string, RefreshGrant>();
  codes = new Map<string, AuthCode>();
  cursors = new Map<string, { orgId: string; rows: unknown[]; pos: number; batch: number }>();
  autoApprove = false;
  demoOrgId = '';
  onChange: () => void = () => undefined;

  /** The demo org keeps its id across resets, so handles taken before a reset stay valid. */
  fixedDemoOrgId = randomOrgId();

  constructor(private readonly defaults: { autoApprove: boolean }) {
    this.reset();
  }

  reset(): void {
    this.orgs.clear();
    this.apps.clear();
    this.sessions.clear();
    this.refreshGrants.clear();
    this.codes.clear();
    this.cursors.clear();
    this.autoApprove = this.defaults.autoApprove;
    const demo = this.createOrg({
      name: 'Acme (local)',
      namespace: 'credspark',
      username: 'admin@acme.local',
      orgId: this.fixedDemoOrgId,
    });
    this.demoOrgId = demo.orgId;
    this.apps.set(DEMO_APP.clientId, {
      ...DEMO_APP,
      callbackUrls: ['http://127.0.0.1:*/oauth/callback', 'http://localhost:*/oauth/callback'],
    });
  }

  createOrg(o: { name?: string; namespace?: string; dailyApiLimit?: number; username?: string; orgId?: string }): Org {
    const orgId = o.orgId ?? randomOrgId();
    const org: Org = {
      orgId,
      name: o.name ?? `Org ${this.orgs.size + 1}`,
      namespace: o.namespace ?? 'credspark',
      username: o.username ?? `admin@org${this.orgs.size + 1}.local`,
      userId: makeId('005', this.orgs.size + 1),
      dailyApiLimit: o.dailyApiLimit ?? 100000,
      apiUsed: 0,
      catalogue: buildCatalogue(o.namespace ?? 'credspark'),
      records: new Map(),
      serial: 1000,
      apiCalls: { total: 0, byKind: {} },
      faults: {},
      faultState: { rng: rng(1), callsSinceExpiry: 0, limitUntil: 0, concurrentLeft: 0 },
      duplicateRules: [],
      deletedIds: new Set(),
      autoNumbers: {},
    };
    ensureOrgUser(org);
    this.orgs.set(orgId, org);
    this.onChange();
    return org;
  }

  org(orgId: string): Org | undefined {
    for (const [id, org] of this.orgs) if (sameId(id, orgId)) return org;
    return undefined;
  }

  table(org: Org, obj: ObjectDef): Map<string, Rec> {
    let t = org.records.get(obj.name.toLowerCase());
    if (!t) {
      t = new Map();
      org.records.set(obj.name.toLowerCase(), t);
    }
    return t;
  }

  newId(org: Org, obj: ObjectDef): string {
    org.serial += 1;
    return makeId(obj.keyPrefix, org.serial * 7919 + (parseInt(org.orgId.slice(-6), 36) % 1000));
  }

  findRecord(org: Org, id: string): { obj: ObjectDef; rec: Rec } | undefined {
    for (const obj of org.catalogue.values()) {
      if (!id.startsWith(obj.keyPrefix)) continue;
      const t = org.records.get(obj.name.toLowerCase());
      if (!t) continue;
      for (const [rid, rec] of t) if (sameId(rid, id)) return { obj, rec };
    }
    return undefined;
  }

  issueSession(g: RefreshGrant): string {
    const token = `${g.orgId.slice(0, 15)}!AQ${randomToken(90)}`;
    this.sessions.set(token, { ...g, expired: false });
    return token;
  }

  issueRefresh(g: RefreshGrant): string {
    const rt = `5Aep861${randomToken(80)}`;
    this.refreshGrants.set(rt, g);
    return rt;
  }

  /** OAuth requests are counted by kind but are not API calls against the daily allocation. */
  countOAuth(org: Org): void {
    org.apiCalls.byKind.oauth = (org.apiCalls.byKind.oauth ?? 0) + 1;
  }

  countCall(org: Org, kind: string): void {
    org.apiUsed += 1;
    org.apiCalls.total += 1;
    org.apiCalls.byKind[kind] = (org.apiCalls.byKind[kind] ?? 0) + 1;
  }
}
