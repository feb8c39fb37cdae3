import { MATCH_FIELD, type TargetObject } from '../rules';
import { classifySalesforceError } from '../salesforce/errors';
import type { ClaimedResponse } from '../store/types';
import { DEFAULT_CALL_TIMEOUT_MS } from '../salesforce/calls';
import { DEFAULT_DESCRIBE_TTL_MS, describeObject, type ObjectInfo } from './describe';
import { checkRule, mapResponse, missingRequired, type MappedRecord } from './mapping';
import { matchByEmail } from './match';
import { parsePayload, type ResponsePayload } from './payload';
import { DEFAULT_SETTINGS_TTL_MS, loadSettings, type OrgSettings, type SyncRule } from './settings';
import { TtlCache } from './ttlCache';
import type { EngineContext, SyncContext, SyncOutcome, SyncResponses } from './types';
import { writeRecords, type WriteOp } from './write';

type OkRule = Extract<SyncRule, { ok: true }>;

/**
 * The sync engine (SPEC §2, §7): settings (cached SOQL on custom metadata) → rule checks →
 * describe (cached) → map and convert → one email query per object → sObject Collections.
 * All reads happen before the first write, so a read failure writes nothing.
 *
 * Crash safety: every batch matches by email before writing, so a response whose create reached
 * Salesforce but whose outcome was never recorded finds that record on retry and updates it.
 * (A response without an email value cannot be matched and would be created again.)
 */
export interface SyncEngineOptions {
  /** How long an org's rules and mappings are cached (default 60 s). */
  settingsTtlMs?: number;
  /** How long a Contact/Lead describe is cached (default 1 h). */
  describeTtlMs?: number;
  /** How long one Salesforce call may take before it counts as ETIMEDOUT (default 120 s). */
  callTimeoutMs?: number;
}

export interface SyncEngine {
  /** Syncs one account's claimed responses (the worker's SyncResponses). */
  sync: SyncResponses;
  /** The engine's view of a worker context: its caches and call timeout added. */
  context(ctx: SyncContext): EngineContext;
}

/** A sync engine with its own caches: buildConnector makes one per connector, tests one each. */
export function createSyncEngine(opts: SyncEngineOptions = {}): SyncEngine {
  const own = {
    callTimeoutMs: opts.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS,
    settings: new TtlCache<OrgSettings>(opts.settingsTtlMs ?? DEFAULT_SETTINGS_TTL_MS),
    describes: new TtlCache<ObjectInfo>(opts.describeTtlMs ?? DEFAULT_DESCRIBE_TTL_MS),
  };
  const context = (ctx: SyncContext): EngineContext => ({ ...ctx, ...own });
  return { sync: (ctx, responses) => syncBatch(context(ctx), responses), context };
}

async function syncBatch(ctx: EngineContext, responses: ClaimedResponse[]): Promise<Map<string, SyncOutcome>> {
  const out = new Map<string, SyncOutcome>();
  try {
    await run(ctx, responses, out);
  } catch (err) {
    const c = classifySalesforceError(err);
    ctx.log.warn(
      { orgId: ctx.orgId, accountId: ctx.accountId, code: c.code, retryable: c.retryable },
      'sync batch stopped before writing',
    );
    const outcome = fromClass(c);
    for (const r of responses) if (!out.has(r.responseId)) out.set(r.responseId, outcome);
  }
  for (const r of responses) {
    if (!out.has(r.responseId))
      out.set(r.responseId, { status: 'retry', code: 'NO_OUTCOME', message: 'The sync engine reached no decision' });
  }
  return out;
}

function fromClass(c: ReturnType<typeof classifySalesforceError>): SyncOutcome {
  if (c.code === 'NOT_CONNECTED') return { status: 'skipped', code: 'NOT_CONNECTED', message: c.message };
  if (c.retryable) return { status: 'retry', code: c.code, message: c.message, retryAfterMs: c.retryAfterMs };
  return { status: 'failed', code: c.code, message: c.message };
}

interface Work {
  payload: ResponsePayload;
  rule: OkRule;
  mapped?: MappedRecord;
}

async function run(ctx: EngineContext, responses: ClaimedResponse[], out: Map<string, SyncOutcome>): Promise<void> {
  const payloads: ResponsePayload[] = [];
  for (const r of responses) {
    const p = parsePayload(r);
    if ('error' in p) out.set(r.responseId, { status: 'failed', code: 'INVALID_PAYLOAD', message: p.error });
    else payloads.push({ ...p, responseId: r.responseId });
  }
  if (payloads.length === 0) return;

  const settings = await loadSettings(ctx);
  const work: Work[] = [];
  for (const p of payloads) {
    const rule = settings.rules.get(p.interactionId);
    if (!rule)
      out.set(p.responseId, {
        status: 'skipped',
        code: 'UNKNOWN_INTERACTION',
        message: `No sync rule for interaction ${p.interactionId} in this org`,
      });
    else if (!rule.ok) out.set(p.responseId, { status: 'failed', code: 'INVALID_MAPPING', message: rule.error });
    else if (!rule.enabled)
      out.set(p.responseId, {
        status: 'skipped',
        code: 'SYNC_DISABLED',
        message: `Sync is disabled for interaction ${p.interactionId}`,
      });
    else if (rule.enabledAt && p.completedAt.getTime() < rule.enabledAt.getTime()) {
      out.set(p.responseId, {
        status: 'skipped',
        code: 'NOT_RETROACTIVE',
        message: `Completed at ${p.completedAt.toISOString()}, before sync was enabled at ${rule.enabledAt.toISOString()}`,
      });
    } else work.push({ payload: p, rule });
  }
  if (work.length === 0) return;

  const infos = new Map<TargetObject, ObjectInfo>();
  for (const object of new Set(work.map((w) => w.rule.target))) infos.set(object, await describeObject(ctx, object));

  const ruleChecks = new Map<string, ReturnType<typeof checkRule>>();
  const ready: Work[] = [];
  for (const w of work) {
    const info = infos.get(w.rule.target)!;
    if (!ruleChecks.has(w.rule.ruleName)) ruleChecks.set(w.rule.ruleName, checkRule(w.rule, info));
    const failure = ruleChecks.get(w.rule.ruleName);
    if (failure) {
      out.set(w.payload.responseId, failure);
      continue;
    }
    const mapped = mapResponse(w.rule, info, w.payload);
    if ('status' in mapped) {
      out.set(w.payload.responseId, mapped);
      continue;
    }
    ready.push({ ...w, mapped });
  }

  const { ops, owners } = await plan(ctx, ready, infos, out);
  if (ops.length === 0) return;
  const results = await writeRecords(ctx, ops);
  results.forEach((res, i) => {
    const { object, kind } = ops[i];
    owners[i].forEach((w, j) => {
      const id = w.payload.responseId;
      if (res.ok) {
        const action = kind === 'create' && j === 0 ? 'created' : 'updated';
        const warnings = w.mapped!.warnings;
        out.set(id, {
          status: 'synced',
          object,
          recordId: res.id,
          action,
          ...(warnings.length > 0 ? { warnings } : {}),
        });
      } else if (res.retryable)
        out.set(id, { status: 'retry', code: res.code, message: res.message, retryAfterMs: res.retryAfterMs });
      else out.set(id, { status: 'failed', code: res.code, message: res.message, object });
    });
  });
}

/**
 * Turns mapped responses into writes. Responses with the same email and target make ONE write,
 * their values merged in completion order (later answers win, empty ones never blank): an
 * existing record → one update; none → one create whose first response is "created" and the
 * later ones "updated". Responses without an email cannot be matched: each creates a record.
 */
async function plan(
  ctx: EngineContext,
  ready: Work[],
  infos: Map<TargetObject, ObjectInfo>,
  out: Map<string, SyncOutcome>,
): Promise<{ ops: WriteOp[]; owners: Work[][] }> {
  const ops: WriteOp[] = [];
  const owners: Work[][] = [];
  for (const [object, info] of infos) {
    const mine = ready.filter((w) => w.rule.target === object);
    if (mine.length === 0) continue;
    const matches = await matchByEmail(
      ctx,
      object,
      mine.flatMap((w) => (w.mapped!.matchKey ? [w.mapped!.matchKey] : [])),
    );
    const groups = new Map<string, Work[]>();
    let anon = 0;
    for (const w of mine) {
      const key = w.mapped!.matchKey ?? `\u0000${anon++}`;
      groups.set(key, [...(groups.get(key) ?? []), w]);
    }
    for (const [key, group] of groups) {
      const merged: Record<string, string | number | boolean> = Object.fromEntries(
        group.flatMap((w) => Object.entries(w.mapped!.fields)),
      );
      const existing = matches.get(key);
      const kind = existing ? 'update' : 'create';
      if (!existing) {
        const missing = missingRequired(group[0].rule, merged);
        if (missing) {
          for (const w of group) out.set(w.payload.responseId, missing);
          continue;
        }
      }
      // The match field of an update equals the record's value up to case: leave the record's spelling.
      if (existing) delete merged[MATCH_FIELD];
      // Fields writable only on create (or only on update) are left out of the other operation.
      for (const name of Object.keys(merged)) {
        const f = info.fields.get(name.toLowerCase());
        if (f && !(kind === 'create' ? f.createable : f.updateable)) {
          delete merged[name];
          for (const w of group)
            w.mapped!.warnings.push(
              `${name} is not ${kind === 'create' ? 'createable' : 'updateable'}; left out of the ${kind}`,
            );
        }
      }
      ops.push({ object, kind, id: existing, fields: merged });
      owners.push(group);
    }
  }
  return { ops, owners };
}
