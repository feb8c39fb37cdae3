import type { ClaimedResponse } from '../store/types';
import { campaignUnits, type Member } from './campaigns';
import { referenceIds, sendUnits, type Unit } from './composite';
import type { ResponsePayload } from './payload';
import type { OkRule } from './plan';
import { covered, responseRecordUnits, type RecordInput, type ResponseRecordsMode } from './responseRecords';
import type { EngineContext, SyncOutcome } from './types';

/** What the engine learnt about a batch before writing (for what rides after the writes). */
export interface Batch {
  /** Parsed payloads by response id. */
  payloads: Map<string, ResponsePayload>;
  /** The (well-formed) rule of each response that had one. */
  rules: Map<string, OkRule>;
  /** Reference ids unique within the batch (composite.ts). */
  ref: (prefix: string) => string;
  /** `ctx.followUps` were handed to a call (takeRiders): never twice. */
  ridersTaken?: true;
}

/** A batch's engine state before anything was read. */
export function newBatch(): Batch {
  return { payloads: new Map(), rules: new Map(), ref: referenceIds() };
}

/**
 * `ctx.followUps` (other modules' extras, e.g. the day's usage record), handed out once: to the
 * batch's first write call, where they ride as more subrequests of its composite (one API call
 * whatever rides in it); or, when the batch writes no person record, to its follow-up call. They
 * never make a call of their own: a batch that sends neither leaves their `done` uncalled.
 */
export function takeRiders(ctx: EngineContext, batch: Batch, out: ReadonlyMap<string, SyncOutcome>): Unit[] {
  if (batch.ridersTaken || !ctx.followUps) return [];
  batch.ridersTaken = true;
  return ctx.followUps(out, batch.ref);
}

/**
 * The batch's follow-up subrequests, sent together after the person records were written (their
 * ids are known then) in as few composite calls as the limits allow (composite.ts):
 * CampaignMembers (campaigns.ts), CredSpark_Response__c records (responseRecords.ts), then
 * `ctx.followUps` unless the write call carried them (takeRiders). Outcomes only gain warnings
 * (CAMPAIGN_MEMBER_FAILED) and the `responseRecord` mark; a follow-up never fails a response.
 */
export async function followUps(
  ctx: EngineContext,
  batch: Batch,
  responses: ClaimedResponse[],
  out: Map<string, SyncOutcome>,
): Promise<void> {
  const { ref } = batch;
  const units: Unit[] = [
    ...campaignUnits(members(batch, out), ref, (ids, message) => {
      for (const id of ids) warn(out, id, 'CAMPAIGN_MEMBER_FAILED', message);
    }),
    ...recordUnits(ctx, batch, responses, out, ref),
  ];
  // Riders only join a call made anyway.
  if (units.length > 0) await sendUnits(ctx, [...units, ...takeRiders(ctx, batch, out)], 'follow-up');
}

function members(batch: Batch, out: Map<string, SyncOutcome>): Member[] {
  const list: Member[] = [];
  for (const [responseId, o] of out) {
    const campaign = batch.rules.get(responseId)?.campaign;
    if (campaign && o.status === 'synced')
      list.push({ campaign, object: o.object, recordId: o.recordId, responseIds: [responseId] });
  }
  return list;
}

function recordUnits(
  ctx: EngineContext,
  batch: Batch,
  responses: ClaimedResponse[],
  out: Map<string, SyncOutcome>,
  ref: (prefix: string) => string,
): Unit[] {
  const inputs = recordInputs(ctx.responseRecords ?? 'None', responses, out, batch, ctx.givesUp);
  if (inputs.length === 0) return [];
  const ns = ctx.namespace ? `${ctx.namespace}__` : '';
  return responseRecordUnits(
    ns,
    inputs,
    new Date(),
    ref,
    (id) => {
      const o = out.get(id);
      if (o && o.status !== 'skipped') out.set(id, { ...o, responseRecord: true });
    },
    (ids, code) =>
      ctx.log.warn(
        { orgId: ctx.orgId, accountId: ctx.accountId, records: ids.length, code },
        'CredSpark_Response__c records not written',
      ),
  );
}

function warn(out: Map<string, SyncOutcome>, id: string, code: string, message: string): void {
  const o = out.get(id);
  if (!o || o.status !== 'synced') return;
  const warnings = [...(o.warnings ?? [])];
  if (!warnings.some((w) => w.code === code && w.message === message)) warnings.push({ code, message });
  out.set(id, { ...o, warnings });
}

/**
 * The responses of the batch that get (or keep) a CredSpark_Response__c record, each with the
 * outcome the record shows: a retry the worker gives up for age counts as the failure it becomes.
 */
export function recordInputs(
  mode: ResponseRecordsMode,
  responses: ClaimedResponse[],
  out: ReadonlyMap<string, SyncOutcome>,
  batch: Pick<Batch, 'payloads'>,
  givesUp?: EngineContext['givesUp'],
): RecordInput[] {
  const inputs: RecordInput[] = [];
  for (const response of responses) {
    const decided = out.get(response.responseId);
    const outcome = decided?.status === 'retry' ? (givesUp?.(response, decided) ?? decided) : decided;
    if (!outcome || !covered(mode, outcome, response.hasResponseRecord === true)) continue;
    inputs.push({ response, payload: batch.payloads.get(response.responseId), outcome });
  }
  return inputs;
}
