import type { Connection } from 'jsforce';
import type { Preview } from '../src/previewServer';

export const NS = 'credspark__';

/** POSTs to the preview's Apex stand-in like the LWC adapter does. */
export async function apex(
  preview: Preview,
  method: string,
  params: unknown = {},
): Promise<{ status: number; body: any }> {
  const res = await fetch(`${preview.url}/preview-api/apex/CredSparkSetupController.${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(params),
  });
  return { status: res.status, body: await res.json() };
}

/** Listens to the preview's platform event stream (what lightning/empApi receives in the page). */
export async function listen(preview: Preview): Promise<{ next(): Promise<any>; close(): void }> {
  const controller = new AbortController();
  const res = await fetch(`${preview.url}/preview-api/events`, { signal: controller.signal });
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  return {
    async next() {
      for (;;) {
        const match = /^data: (.*)$/m.exec(buffer);
        const end = buffer.indexOf('\n\n');
        if (match && end >= 0) {
          buffer = buffer.slice(end + 2);
          if (match) return JSON.parse(match[1]);
        } else if (end >= 0) {
          buffer = buffer.slice(end + 2); // comment lines such as ": connected"
          continue;
        }
        const { value, done } = await reader.read();
        if (done) throw new Error('event stream ended');
        buffer += decoder.decode(value, { stream: true });
      }
    },
    close: () => controller.abort(),
  };
}

/** The rule and its live mappings as the connector reads them: SOQL over REST (SPEC §3). */
export async function ruleBySoql(conn: Connection, interactionDeveloperName: string) {
  const rules = await conn.query<any>(
    `SELECT Id, DeveloperName, ${NS}Enabled__c, ${NS}Target_Object__c, ${NS}Enabled_At__c, ${NS}Interaction__r.DeveloperName FROM ${NS}CredSpark_Sync_Rule__mdt`,
  );
  const rule = rules.records.find((r) => r[`${NS}Interaction__r`]?.DeveloperName === interactionDeveloperName);
  if (!rule) return undefined;
  const maps = await conn.query<any>(
    `SELECT DeveloperName, ${NS}Source_Field__c, ${NS}Target_Field__c, ${NS}Static_Value__c FROM ${NS}CredSpark_Field_Mapping__mdt WHERE ${NS}Sync_Rule__r.DeveloperName = '${rule.DeveloperName}'`,
  );
  return { rule, mappings: maps.records.filter((m) => m[`${NS}Target_Field__c`]) };
}
