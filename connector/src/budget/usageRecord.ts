import type { Connection } from 'jsforce';
import { withTimeout } from '../salesforce/calls';
import type { Subrequest } from '../sync/composite';
import type { DayUsage } from '../store/ports/usage';

/**
 * The day's `CredSpark_Usage__c` record (SPEC §3b), upserted by its external id `Day_Key__c`:
 * "Insert or Update (Upsert) a Record Using an External ID" (REST API Developer Guide),
 * `PATCH /sobjects/<object>/<externalIdField>/<value>`, 201 when created, 200/204 when updated.
 * `usage.apiCalls` must already include the call that carries the upsert (it is counted before it
 * is sent).
 */
function upsert(namespace: string, day: string, usage: DayUsage): { path: string; body: Record<string, unknown> } {
  const ns = namespace ? `${namespace}__` : '';
  return {
    path: `/sobjects/${ns}CredSpark_Usage__c/${ns}Day_Key__c/${encodeURIComponent(day)}`,
    body: {
      [`${ns}Day__c`]: day,
      [`${ns}API_Calls__c`]: usage.apiCalls,
      [`${ns}Synced__c`]: usage.synced,
      [`${ns}Failed__c`]: usage.failed,
    },
  };
}

/**
 * The upsert as a subrequest riding in a batch's write call (SyncContext.followUps): it costs no
 * call of its own. `done` learns whether Salesforce took it (2xx) — a refusal never touches the
 * batch's records (the composite runs with allOrNone false).
 */
export function usageRecordSubrequest(
  namespace: string,
  day: string,
  usage: DayUsage,
  referenceId: string,
  done: (written: boolean) => void,
): Subrequest {
  const { path, body } = upsert(namespace, day, usage);
  return {
    referenceId,
    method: 'PATCH',
    path,
    body,
    done: (answer) => done(!('error' in answer) && answer.status < 300),
  };
}

/** The upsert as a call of its own (one REST call), for when no batch write carries it. */
export async function upsertUsageRecord(
  ctx: { conn: Connection; namespace: string; callTimeoutMs: number },
  day: string,
  usage: DayUsage,
): Promise<void> {
  const { path, body } = upsert(ctx.namespace, day, usage);
  await withTimeout(
    ctx.conn.request({
      method: 'PATCH',
      url: path,
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json' },
    }),
    'usage record upsert',
    ctx.callTimeoutMs,
  );
}
