import type { ResponseRecords } from '../orgSettings/orgSettings';
import type { ClaimedResponse } from '../store/types';
import { subrequestError, type SubAnswer, type Unit } from './composite';
import type { ResponsePayload } from './payload';
import type { SyncOutcome } from './types';
import { COLLECTION_LIMIT } from './write';

/**
 * `CredSpark_Response__c` records (SPEC §3b, §2 "Sync health"): one per response that
 * `Response_Records__c` covers, upserted by the external ID `Response_Id__c` through sObject
 * Collections — `PATCH /composite/sobjects/{object}/{externalIdField}`, ≤ 200 records a
 * subrequest, `allOrNone: false` (REST API Developer Guide, "Upsert Multiple Records Using
 * sObject Collections") — in the batch's own follow-up composite call (composite.ts), so a batch
 * of 500 costs one more call, not 500.
 *
 * - `None`: nothing. `Failures` (default): failed responses get a record, and a response that has
 *   one keeps it up to date when it later syncs. `All`: every synced or failed response.
 * - Skipped and retried responses get none (not final) — except a retry the worker gives up for
 *   age (SyncContext.givesUp): it is stored failed, so its record is written as a failure.
 * - `Retry_Requested__c` is never sent: an upsert leaves it as it is (only the retry poll clears it,
 *   after requeueing, so a request made meanwhile is never lost).
 * - Text is cut to the field lengths of §3b (REST has no truncation header: STRING_TOO_LONG).
 */
/** `Response_Records__c` as orgSettings/orgSettings.ts reads it (the one reader of the settings). */
export type ResponseRecordsMode = ResponseRecords;

/** §3b field lengths. */
const LENGTH = { Interaction_Name__c: 255, Interaction_Id__c: 64, Error_Code__c: 64, Error_Message__c: 4000 };

export interface RecordInput {
  response: ClaimedResponse;
  payload?: ResponsePayload;
  outcome: SyncOutcome;
}

/** Whether this response gets (or keeps) a record in this mode. */
export function covered(mode: ResponseRecordsMode, outcome: SyncOutcome, hasRecord: boolean): boolean {
  if (mode === 'None') return false;
  if (outcome.status === 'failed') return true;
  if (outcome.status !== 'synced') return false;
  return mode === 'All' || hasRecord;
}

/** The record's field values (namespaced API names) for one final outcome. */
export function recordFields(ns: string, input: RecordInput, now: Date): Record<string, unknown> {
  const { response, payload, outcome } = input;
  const f = (name: string) => `${ns}${name}`;
  const synced = outcome.status === 'synced' ? outcome : undefined;
  const failed = outcome.status === 'failed' ? outcome : undefined;
  const object = synced?.object ?? failed?.object;
  return {
    attributes: { type: f('CredSpark_Response__c') },
    [f('Response_Id__c')]: response.responseId,
    [f('Interaction_Id__c')]: cut(payload?.interactionId ?? response.interactionId, LENGTH.Interaction_Id__c),
    [f('Interaction_Name__c')]: payload ? cut(payload.interactionName, LENGTH.Interaction_Name__c) : null,
    [f('Completed_At__c')]: (payload?.completedAt ?? response.completedAt).toISOString(),
    [f('Score__c')]: payload?.score ?? null,
    [f('Status__c')]: synced ? 'Synced' : 'Failed',
    [f('Action__c')]: synced ? (synced.action === 'created' ? 'Created' : 'Updated') : null,
    [f('Target_Object__c')]: object ?? null,
    [f('Contact__c')]: synced?.object === 'Contact' ? synced.recordId : null,
    [f('Lead__c')]: synced?.object === 'Lead' ? synced.recordId : null,
    [f('Error_Code__c')]: failed ? cut(failed.code, LENGTH.Error_Code__c) : null,
    [f('Error_Message__c')]: failed ? cut(failed.message, LENGTH.Error_Message__c) : null,
    [f('Attempts__c')]: response.attempts + 1,
    [f('Last_Attempt_At__c')]: now.toISOString(),
  };
}

/**
 * Units upserting the records; `written(responseId)` is called for each record Salesforce
 * accepted, `failed` for each it did not (the outcome of the response stays as it is).
 */
export function responseRecordUnits(
  ns: string,
  inputs: RecordInput[],
  now: Date,
  ref: (prefix: string) => string,
  written: (responseId: string) => void,
  failed: (responseIds: string[], code: string, message: string) => void,
): Unit[] {
  const units: Unit[] = [];
  for (let start = 0; start < inputs.length; start += COLLECTION_LIMIT) {
    const chunk = inputs.slice(start, start + COLLECTION_LIMIT);
    units.push([
      {
        referenceId: ref('records'),
        method: 'PATCH',
        path: `/composite/sobjects/${ns}CredSpark_Response__c/${ns}Response_Id__c`,
        body: { allOrNone: false, records: chunk.map((i) => recordFields(ns, i, now)) },
        done: (a) => readUpsert(a, chunk, written, failed),
      },
    ]);
  }
  return units;
}

function readUpsert(
  a: SubAnswer,
  chunk: RecordInput[],
  written: (responseId: string) => void,
  failed: (responseIds: string[], code: string, message: string) => void,
): void {
  const ids = chunk.map((i) => i.response.responseId);
  if ('error' in a) return failed(ids, a.error.code, a.error.message);
  if (a.status >= 400) {
    const e = subrequestError(a.status, a.body);
    return failed(ids, e.code, e.message);
  }
  const results = Array.isArray(a.body)
    ? (a.body as { success?: boolean; errors?: { statusCode?: string; message?: string }[] }[])
    : [];
  chunk.forEach((input, i) => {
    const r = results[i];
    if (r?.success) written(input.response.responseId);
    else
      failed(
        [input.response.responseId],
        r?.errors?.[0]?.statusCode ?? 'UNKNOWN_ERROR',
        r?.errors?.[0]?.message ?? 'no result',
      );
  });
}

/** Cut to `max` UTF-16 units without splitting a surrogate pair. */
function cut(s: string, max: number): string {
  if (s.length <= max) return s;
  let end = max;
  const last = s.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return s.slice(0, end);
}
