import type { Connection } from 'jsforce';
import { withTimeout } from '../salesforce/calls';
import type { DayUsage } from '../store/ports/usage';

/**
 * Upserts the day's `CredSpark_Usage__c` record (SPEC §3b) by its external id `Day_Key__c`: one
 * REST call, "Insert or Update (Upsert) a Record Using an External ID" (REST API Developer Guide):
 * `PATCH /sobjects/<object>/<externalIdField>/<value>`, 201 when created, 200/204 when updated.
 * `API_Calls__c` includes this call itself (it is counted before it is sent).
 */
export async function upsertUsageRecord(
  ctx: { conn: Connection; namespace: string; callTimeoutMs: number },
  day: string,
  usage: DayUsage,
): Promise<void> {
  const ns = ctx.namespace ? `${ctx.namespace}__` : '';
  const body = {
    [`${ns}Day__c`]: day,
    [`${ns}API_Calls__c`]: usage.apiCalls + 1,
    [`${ns}Synced__c`]: usage.synced,
    [`${ns}Failed__c`]: usage.failed,
  };
  await withTimeout(
    ctx.conn.request({
      method: 'PATCH',
      url: `/sobjects/${ns}CredSpark_Usage__c/${ns}Day_Key__c/${encodeURIComponent(day)}`,
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json' },
    }),
    'usage record upsert',
    ctx.callTimeoutMs,
  );
}
