import { callKind } from '../salesforce/callKind';
import { AsyncLocalStorage } from 'node:async_hooks';
import { PassThrough } from 'node:stream';
import type { Connection } from 'jsforce';
import type { Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';
import type { OrgSettingsCache } from '../orgSettings/orgSettings';
import { DEFAULT_ORG_SETTINGS } from '../orgSettings/orgSettings';
import { utcDay, type HoldReason, type UsageStore } from '../store/ports/usage';

/**
 * Counts and gates every Salesforce API call of an org at the one place they all pass: the jsforce
 * Connection's HTTP transport (REST and SOAP alike). Gate: lease guard, org headroom, daily budget;
 * after the answer, `Sforce-Limit-Info` updates the org's reading. What counts and why:
 * docs/architecture.md, "API economy".
 */
export interface CallScope {
  /** The settings re-read of an org held by its budget: counted, but allowed beyond the cap. */
  beyondCap?: boolean;
  /** The one headroom probe of an org over its threshold (at most every 15 min, see OrgEconomy). */
  probe?: boolean;
  /** Throws when this batch may no longer call Salesforce (its lease is not safely held). */
  guard?: () => void;
}

export interface OrgApiReading {
  used: number;
  max: number;
  at: number;
}

/** A call the connector did not send: the org is held (errorCode API_BUDGET / ORG_API_LIMIT). */
export class CallHeldError extends Error {
  readonly errorCode: HoldReason;
  constructor(reason: HoldReason, message: string) {
    super(message);
    this.name = 'CallHeldError';
    this.errorCode = reason;
  }
}

export interface CallMeterDeps {
  usage: UsageStore;
  settings: OrgSettingsCache;
  namespace: string;
  metrics: Metrics;
  log: Logger;
  clock?: () => Date;
}

interface HttpResponseLike {
  statusCode?: number;
  headers?: Record<string, string | undefined>;
}
type HttpRequestFn = (req: { method: string; url: string }, opts?: unknown) => PromiseLike<HttpResponseLike>;
interface TransportLike {
  httpRequest: HttpRequestFn;
}

const ATTACHED = Symbol('credspark.callMeter');

/** `api-usage=N/M` of Sforce-Limit-Info (REST API Developer Guide, "Response Headers"). */
export function parseLimitInfo(header: string | undefined): { used: number; max: number } | undefined {
  const m = header ? /api-usage=(\d+)\/(\d+)/.exec(header) : null;
  if (!m) return undefined;
  const max = Number(m[2]);
  return max > 0 ? { used: Number(m[1]), max } : undefined;
}

export class CallMeter {
  private readonly scope = new AsyncLocalStorage<CallScope>();
  private readonly readings = new Map<string, OrgApiReading>();
  /** The newest Daily_API_Budget__c any instance read, per org (OrgEconomy keeps it current). */
  private readonly budgets = new Map<string, number | null>();
  /** The org's day count the store returned for this instance's latest call (every instance's calls). */
  private readonly counts = new Map<string, { day: string; count: number }>();
  private readonly clock: () => Date;

  constructor(private readonly deps: CallMeterDeps) {
    this.clock = deps.clock ?? (() => new Date());
  }

  /** Runs `fn` with `scope` applying to every call it makes (AsyncLocalStorage follows awaits). */
  run<T>(scope: CallScope, fn: () => Promise<T>): Promise<T> {
    const outer = this.scope.getStore();
    return this.scope.run({ ...outer, ...scope }, fn);
  }

  /** The org's allocation as its last answer reported it in this process. */
  reading(orgId: string): OrgApiReading | undefined {
    return this.readings.get(orgId);
  }

  /** Takes a reading (from the store, or a /limits body) unless a newer one is known. */
  noteReading(orgId: string, used: number, max: number, at: number): void {
    const prev = this.readings.get(orgId);
    if (!prev || prev.at <= at) this.readings.set(orgId, { used, max, at });
  }

  /** The org's calls on `day` as the store counted them at this instance's latest call; 0 if none. */
  dayCount(orgId: string, day: string): number {
    const c = this.counts.get(orgId);
    return c?.day === day ? c.count : 0;
  }

  private noteCount(orgId: string, day: string, count: number): void {
    const c = this.counts.get(orgId);
    if (c?.day !== day || c.count < count) this.counts.set(orgId, { day, count });
  }

  setBudget(orgId: string, budget: number | null): void {
    this.budgets.set(orgId, budget);
  }

  /** The cap the gate applies: the newest known, else this instance's cached settings, else none. */
  budget(orgId: string): number | null {
    const known = this.budgets.get(orgId);
    if (known !== undefined) return known;
    return this.deps.settings.peek(orgId, this.deps.namespace)?.dailyApiBudget ?? null;
  }

  /** True while the org's reported usage is beyond its Max_Org_API_Usage_Percent__c. */
  overHeadroom(orgId: string): boolean {
    const r = this.readings.get(orgId);
    if (!r) return false;
    const pct =
      this.deps.settings.peek(orgId, this.deps.namespace)?.maxOrgApiUsagePercent ??
      DEFAULT_ORG_SETTINGS.maxOrgApiUsagePercent;
    return r.used * 100 > pct * r.max;
  }

  /**
   * A call sent outside a metered Connection (the connect flow's User query, oauthClient.ts):
   * counted for the org's UTC day like any other, never refused — connecting is the admin's own
   * act, and SPEC §2 counts it ("every call counts: connecting, …").
   */
  async recordOutside(orgId: string, kind: string): Promise<void> {
    this.count(orgId, kind);
    await this.deps.usage.addApiCalls(orgId, utcDay(this.clock()), 1);
  }

  /** Wraps the connection's transport once; every later call of the connection is counted and gated. */
  attach(conn: Connection, orgId: string): void {
    const transport = (conn as unknown as { _transport?: TransportLike & { [ATTACHED]?: true } })._transport;
    if (!transport || transport[ATTACHED]) return;
    const original = transport.httpRequest.bind(transport);
    transport.httpRequest = (req, opts) => this.send(orgId, original, req, opts);
    transport[ATTACHED] = true;
  }

  /**
   * jsforce's transport returns a promise carrying `stream()` (a Duplex the caller pipes into);
   * the gate is asynchronous, so the caller gets a stand-in stream and the real request starts
   * once the call is let through. The connector sends every body as `req.body` (no streamed
   * uploads), so nothing is lost through the stand-in.
   */
  private send(
    orgId: string,
    original: HttpRequestFn,
    req: { method: string; url: string },
    opts: unknown,
  ): PromiseLike<HttpResponseLike> {
    const stream = new PassThrough();
    const promise = (async () => {
      const kind = callKind(req.method, req.url);
      const day = await this.gate(orgId, kind);
      const inner = original(req, opts) as PromiseLike<HttpResponseLike> & { stream?: () => NodeJS.EventEmitter };
      inner.stream?.().on('retry', () => {
        this.count(orgId, kind);
        this.deps.usage.addApiCalls(orgId, day, 1).then(
          (n) => this.noteCount(orgId, day, n),
          () => undefined,
        );
      });
      const res = await inner;
      const info = parseLimitInfo(res?.headers?.['sforce-limit-info']);
      if (info) this.observe(orgId, info);
      return res;
    })();
    return Object.assign(promise, { stream: () => stream });
  }

  /** Lets the call through (and counts it) or throws CallHeldError. Returns the UTC day counted. */
  private async gate(orgId: string, kind: string): Promise<string> {
    const scope = this.scope.getStore() ?? {};
    scope.guard?.();
    if (!scope.probe && this.overHeadroom(orgId)) {
      throw new CallHeldError(
        'ORG_API_LIMIT',
        "The org's own daily API allocation is used beyond Max_Org_API_Usage_Percent__c: sync waits until it frees",
      );
    }
    const day = utcDay(this.clock());
    const { usage } = this.deps;
    const cap = this.budget(orgId);
    let counted: number | null;
    try {
      counted = scope.beyondCap ? await usage.addApiCalls(orgId, day, 1) : await usage.takeApiCall(orgId, day, cap);
    } catch (err) {
      // Not counted, not sent: the budget is never overrun because the store was unreachable.
      throw Object.assign(
        new Error(
          `The call was not sent: the store could not count it (${err instanceof Error ? err.message : String(err)})`,
        ),
        { errorCode: 'CALL_NOT_COUNTED' },
      );
    }
    if (counted === null) {
      throw new CallHeldError(
        'API_BUDGET',
        `The org's daily API budget (Daily_API_Budget__c = ${cap}) is spent for ${day} (UTC): sync resumes tomorrow or once the cap is raised`,
      );
    }
    this.noteCount(orgId, day, counted);
    this.count(orgId, kind);
    return day;
  }

  private count(orgId: string, kind: string): void {
    this.deps.metrics.orgApiCalls.inc({ org: orgId, kind });
  }

  private observe(orgId: string, info: { used: number; max: number }): void {
    const wasOver = this.overHeadroom(orgId);
    this.noteReading(orgId, info.used, info.max, this.clock().getTime());
    if (!wasOver && this.overHeadroom(orgId)) {
      this.deps.log.warn(
        { orgId, orgApiUsed: info.used, orgApiMax: info.max },
        "org's API allocation used beyond Max_Org_API_Usage_Percent__c: its sync stops until it frees",
      );
    }
  }
}
