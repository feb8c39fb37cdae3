import type { TargetObject } from '../rules';
import { classifySalesforceError } from '../salesforce/errors';
import type { ClaimedResponse } from '../store/types';
import { DEFAULT_CALL_TIMEOUT_MS } from '../salesforce/calls';
import { DEFAULT_DESCRIBE_TTL_MS, describeObject, type ObjectInfo } from './describe';
import { decideDuplicate, probeDuplicates, type DuplicateMatch } from './duplicates';
import { followUps, newBatch, takeRiders, type Batch } from './followUps';
import { checkRule, mapResponse } from './mapping';
import { parsePayload, type ResponsePayload } from './payload';
import { fitFields, plan, type PlannedWrite, type Work } from './plan';
import { DEFAULT_SETTINGS_TTL_MS, loadSettings, type OrgSettings } from './settings';
import { TtlCache } from '../cache/ttlCache';
import type { EngineContext, SyncContext, SyncOutcome, SyncResponses } from './types';
import { DUPLICATE_HEADER, writeRecords, type WriteResult } from './write';

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
  /** Most orgs whose settings are kept (default DEFAULT_SETTINGS_MAX_ORGS). */
  settingsMaxEntries?: number;
  /** Most org × object describes kept (default DEFAULT_DESCRIBE_MAX_ENTRIES). */
  describeMaxEntries?: number;
}

/**
 * Per-process bounds of the per-org caches (least recently used dropped first): an org synced
 * again after being dropped pays one settings read or describe. Settings are a few KB an org;
 * a describe's field catalogue grows with the object's fields (benchmarks §10 measures the local
 * org's; a real Contact or Lead with a hundred fields and picklists is larger) — so the describe
 * bound is the one that matters: 4,000 × ≈ 25–50 KB ≈ 100–200 MB at most.
 */
export const DEFAULT_SETTINGS_MAX_ORGS = 5_000;
export const DEFAULT_DESCRIBE_MAX_ENTRIES = 4_000;

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
    settings: new TtlCache<OrgSettings>(
      opts.settingsTtlMs ?? DEFAULT_SETTINGS_TTL_MS,
      opts.settingsMaxEntries ?? DEFAULT_SETTINGS_MAX_ORGS,
    ),
    describes: new TtlCache<ObjectInfo>(
      opts.describeTtlMs ?? DEFAULT_DESCRIBE_TTL_MS,
      opts.describeMaxEntries ?? DEFAULT_DESCRIBE_MAX_ENTRIES,
    ),
  };
  const context = (ctx: SyncContext): EngineContext => ({ ...ctx, ...own });
  return { sync: (ctx, responses) => syncBatch(context(ctx), responses), context };
}

async function syncBatch(ctx: EngineContext, responses: ClaimedResponse[]): Promise<Map<string, SyncOutcome>> {
  const out = new Map<string, SyncOutcome>();
  const batch = newBatch();
  try {
    await run(ctx, responses, out, batch);
    // What rides after the person records: CampaignMembers, CredSpark_Response__c records, and
    // the batch's other extra subrequests (followUps.ts). A batch stopped by a failed read skips
    // them: nothing was written, and its responses are all retried or failed alike.
    await followUps(ctx, batch, responses, out);
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

async function run(
  ctx: EngineContext,
  responses: ClaimedResponse[],
  out: Map<string, SyncOutcome>,
  batch: Batch,
): Promise<void> {
  const payloads: ResponsePayload[] = [];
  for (const r of responses) {
    const p = parsePayload(r);
    if ('error' in p) out.set(r.responseId, { status: 'failed', code: 'INVALID_PAYLOAD', message: p.error });
    else {
      payloads.push({ ...p, responseId: r.responseId });
      batch.payloads.set(r.responseId, { ...p, responseId: r.responseId });
    }
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
    if (rule?.ok) batch.rules.set(p.responseId, rule);
  }
  if (work.length === 0) return;

  const infos = new Map<TargetObject, ObjectInfo>();
  const objects = new Set(work.map((w) => w.rule.target));
  // A Lead rule that may update a converted Lead's Contact needs Contact's fields too.
  if (work.some((w) => w.rule.convertedLead === 'Update_Contact')) objects.add('Contact');
  for (const object of objects) infos.set(object, await describeObject(ctx, object));

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

  const planned = await plan(ctx, ready, infos, out);
  // The batch's riders (ctx.followUps, e.g. the day's usage record) travel in its first write call.
  const results =
    planned.length > 0
      ? await writeRecords(
          ctx,
          planned.map((p) => p.op),
          takeRiders(ctx, batch, out),
        )
      : [];
  const again: PlannedWrite[] = [];
  const toUpdate = (p: PlannedWrite, matches: DuplicateMatch[], message: string) => {
    const retryAs = duplicateUpdate(p, matches, message, infos, out);
    if (!retryAs) return;
    // Two creates matched to one record by the duplicate rules: one update (one Id per collection).
    const same = again.find((q) => q.op.object === retryAs.op.object && q.op.id === retryAs.op.id);
    if (!same) return again.push(retryAs);
    Object.assign(same.merged, retryAs.merged);
    same.owners.push(...retryAs.owners);
    same.op.fields = fitFields(infos.get(same.op.object)!, 'update', same.merged, same.owners);
  };
  const probe: PlannedWrite[] = [];
  results.forEach((res, i) => {
    const p = planned[i];
    if (res.ok || !updatesMatch(p, res)) return record(p, res, out);
    if (res.duplicates) return toUpdate(p, res.duplicates, res.message);
    probe.push(p); // a collection leaves the duplicate result out: ask again alone
  });
  if (probe.length > 0) {
    const probes = await probeDuplicates(
      ctx,
      probe.map((p) => ({ object: p.op.object, fields: p.op.fields })),
      DUPLICATE_HEADER,
    );
    probes.forEach((r, i) => {
      const p = probe[i];
      if ('created' in r) record(p, { ok: true, id: r.created }, out);
      else if ('failed' in r) record(p, { ok: false, ...r.failed }, out);
      else toUpdate(p, r.duplicates, r.message);
    });
  }
  if (again.length > 0) {
    const second = await writeRecords(
      ctx,
      again.map((p) => p.op),
    );
    second.forEach((res, i) => record(again[i], res, out));
  }
}

/** One write's result → its responses' outcomes (the first of a create is `created`). */
function record(p: PlannedWrite, res: WriteResult, out: Map<string, SyncOutcome>): void {
  const { object, kind } = p.op;
  p.owners.forEach((w, j) => {
    const id = w.payload.responseId;
    if (res.ok) {
      const warnings = w.mapped!.warnings;
      out.set(id, {
        status: 'synced',
        object,
        recordId: res.id,
        action: kind === 'create' && j === 0 ? 'created' : 'updated',
        ...(warnings.length > 0 ? { warnings } : {}),
      });
    } else if (res.retryable)
      out.set(id, { status: 'retry', code: res.code, message: res.message, retryAfterMs: res.retryAfterMs });
    else out.set(id, { status: 'failed', code: res.code, message: res.message, object });
  });
}

/** A create refused by a duplicate rule, for a rule that says `Update_Match`. */
function updatesMatch(p: PlannedWrite, res: Extract<WriteResult, { ok: false }>): boolean {
  return res.code === 'DUPLICATES_DETECTED' && p.op.kind === 'create' && p.rule.duplicateHandling === 'Update_Match';
}

/**
 * SPEC §2 "Duplicate rules": a create refused with DUPLICATES_DETECTED by a rule with
 * `Duplicate_Handling__c = Update_Match` becomes an update of the one matching record of the target
 * object (mapped fields only, as for an email match). Anything else fails with Salesforce's
 * message (decideDuplicate says why no record was updated) and undefined is returned.
 */
function duplicateUpdate(
  p: PlannedWrite,
  matches: DuplicateMatch[],
  message: string,
  infos: Map<TargetObject, ObjectInfo>,
  out: Map<string, SyncOutcome>,
): PlannedWrite | undefined {
  const decision = decideDuplicate(p.op.object, matches, message);
  if ('fail' in decision) {
    for (const w of p.owners)
      out.set(w.payload.responseId, {
        status: 'failed',
        code: 'DUPLICATES_DETECTED',
        message: decision.fail,
        object: p.op.object,
      });
    return undefined;
  }
  const info = infos.get(p.op.object)!;
  return {
    ...p,
    op: {
      object: p.op.object,
      kind: 'update',
      id: decision.update,
      fields: fitFields(info, 'update', p.merged, p.owners),
    },
  };
}
