// What CredSparkSyncHealthController, CredSparkSettingsController and CredSparkPersonResponsesController
// do in Salesforce, done against the local org for the preview: the same SOQL (aggregate counts by
// status and by error code since a moment, the latest failures, today's CredSpark_Usage__c row),
// the org's DailyApiRequests from the REST limits resource (what Apex OrgLimits reports), retries as
// an update of Retry_Requested__c, and the settings as the CredSpark_Settings.Default record
// (upsertMetadata, as the packaged Metadata API deployment would write it).
import { randomBytes } from 'node:crypto';
import type { Connection } from 'jsforce';
import { z } from 'zod';
import { SETTINGS } from '../../../connector/src/rules';
import { soqlString } from '../../../connector/src/salesforce/soql';
import { SafeError } from './setupApi';

const MAX_FAILURES = 10;
const MAX_CODES = 20;
const MAX_RETRY_BATCH = 2000;
const MAX_PERSON_ROWS = 50;
// sObject Collections take at most 200 records a call (REST API Developer Guide, "sObject Collections").
const COLLECTION_SIZE = 200;
const NO_ACCESS =
  'You cannot request a retry: it needs edit access to Retry Requested on CredSpark responses (CredSpark Admin permission set).';

export const SettingsInput = z.object({
  dailyApiBudget: z.number().int().nullish(),
  maxOrgApiUsagePercent: z.number().int().nullish(),
  responseRecords: z.string().max(16).nullish(),
});
export type SettingsInput = z.infer<typeof SettingsInput>;

const num = z.number().nullish();
const text = z.string().nullish();
const Aggregate = z.object({ key: text, total: z.number() });
const Failure = z.object({
  Id: z.string(),
  Name: z.string(),
  Response_Id__c: text,
  Interaction_Name__c: text,
  Error_Code__c: text,
  Error_Message__c: text,
  Completed_At__c: text,
  Last_Attempt_At__c: text,
  Attempts__c: num,
  Retry_Requested__c: z.boolean().nullish(),
  Target_Object__c: text,
  Contact__c: text,
  Lead__c: text,
});
const Usage = z.object({ API_Calls__c: num, Synced__c: num, Failed__c: num });
const Settings = z.object({ Daily_API_Budget__c: num, Max_Org_API_Usage_Percent__c: num, Response_Records__c: text });
const PersonRow = z.object({
  Id: z.string(),
  Name: z.string(),
  Interaction_Name__c: text,
  Completed_At__c: text,
  Score__c: num,
  Status__c: text,
  Error_Code__c: text,
});

/** SOQL datetime literal (no quotes, no milliseconds): SOQL and SOSL Reference, "Date Formats and Date Literals". */
const soqlDatetime = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

export class HealthApi {
  private readonly ns: string;
  constructor(
    private readonly conn: Connection,
    namespace: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.ns = namespace ? `${namespace}__` : '';
  }

  private get responses() {
    return `${this.ns}CredSpark_Response__c`;
  }

  /** Runs the query and parses each record with custom fields read without the namespace. */
  private async query<T>(row: z.ZodType<T>, soql: string): Promise<T[]> {
    const result = await this.conn.query<Record<string, unknown>>(soql);
    const ns = this.ns;
    return result.records.map((r) =>
      row.parse(
        Object.fromEntries(Object.entries(r).map(([k, v]) => [ns && k.startsWith(ns) ? k.slice(ns.length) : k, v])),
      ),
    );
  }

  /** CredSparkSyncHealthController.getSyncHealth. */
  async getSyncHealth() {
    const now = this.now();
    const [last24Hours, last7Days, failures, settings] = await Promise.all([
      this.window(new Date(now.getTime() - 24 * 3600_000)),
      this.window(new Date(now.getTime() - 7 * 24 * 3600_000)),
      this.latestFailures(),
      this.currentSettings(),
    ]);
    return { last24Hours, last7Days, failures, settings, usage: await this.usage(now, settings) };
  }

  private async window(since: Date) {
    const ns = this.ns;
    const [byStatus, byCode] = await Promise.all([
      this.query(
        Aggregate,
        `SELECT ${ns}Status__c key, COUNT(Id) total FROM ${this.responses} WHERE ${ns}Last_Attempt_At__c >= ${soqlDatetime(since)} GROUP BY ${ns}Status__c LIMIT 10`,
      ),
      this.query(
        Aggregate,
        `SELECT ${ns}Error_Code__c key, COUNT(Id) total FROM ${this.responses} WHERE ${ns}Status__c = 'Failed' AND ${ns}Last_Attempt_At__c >= ${soqlDatetime(since)} GROUP BY ${ns}Error_Code__c ORDER BY COUNT(Id) DESC LIMIT ${MAX_CODES}`,
      ),
    ]);
    const count = (status: string) => byStatus.find((r) => r.key === status)?.total ?? 0;
    return {
      synced: count('Synced'),
      failed: count('Failed'),
      byCode: byCode.map((r) => ({ code: r.key ?? null, count: r.total })),
    };
  }

  private async latestFailures() {
    const ns = this.ns;
    const fields = Object.keys(Failure.shape)
      .map((f) => (f.endsWith('__c') ? ns + f : f))
      .join(', ');
    const rows = await this.query(
      Failure,
      `SELECT ${fields} FROM ${this.responses} WHERE ${ns}Status__c = 'Failed' ORDER BY ${ns}Last_Attempt_At__c DESC NULLS LAST LIMIT ${MAX_FAILURES}`,
    );
    return rows.map((r) => ({
      id: r.Id,
      name: r.Name,
      responseId: r.Response_Id__c ?? null,
      interactionName: r.Interaction_Name__c ?? null,
      errorCode: r.Error_Code__c ?? null,
      errorMessage: r.Error_Message__c ?? null,
      completedAt: r.Completed_At__c ?? null,
      lastAttemptAt: r.Last_Attempt_At__c ?? null,
      attempts: r.Attempts__c ?? 0,
      retryRequested: r.Retry_Requested__c === true,
      targetObject: r.Target_Object__c ?? null,
      recordId: r.Contact__c ?? r.Lead__c ?? null,
    }));
  }

  /** CredSparkSettingsController.currentSettings: the Default record, SPEC §3's defaults where empty. */
  async currentSettings() {
    const ns = this.ns;
    const [record] = await this.query(
      Settings,
      `SELECT ${ns}Daily_API_Budget__c, ${ns}Max_Org_API_Usage_Percent__c, ${ns}Response_Records__c FROM ${ns}CredSpark_Settings__mdt WHERE DeveloperName = 'Default' LIMIT 1`,
    );
    return {
      dailyApiBudget: record?.Daily_API_Budget__c ?? SETTINGS.dailyApiBudget.default,
      maxOrgApiUsagePercent: record?.Max_Org_API_Usage_Percent__c ?? SETTINGS.maxOrgApiUsagePercent.default,
      responseRecords: record?.Response_Records__c || SETTINGS.responseRecords.default,
      // The preview user is the org's admin, holder of CredSpark_Manage_Sync.
      canManage: true,
    };
  }

  private async usage(now: Date, settings: { dailyApiBudget: number; maxOrgApiUsagePercent: number }) {
    const ns = this.ns;
    // CredSpark_Usage__c.Day_Key__c is the UTC day (SPEC §3b).
    const dayKey = now.toISOString().slice(0, 10);
    const [[day], limits] = await Promise.all([
      this.query(
        Usage,
        `SELECT ${ns}API_Calls__c, ${ns}Synced__c, ${ns}Failed__c FROM ${ns}CredSpark_Usage__c WHERE ${ns}Day_Key__c = ${soqlString(dayKey)} LIMIT 1`,
      ),
      // REST "Limits" resource: DailyApiRequests { Max, Remaining } — what Apex OrgLimits reads.
      this.conn.limits(),
    ]);
    const api = (limits as unknown as Record<string, { Max: number; Remaining: number } | undefined>).DailyApiRequests;
    return {
      dayKey,
      apiCallsToday: day?.API_Calls__c ?? 0,
      syncedToday: day?.Synced__c ?? 0,
      failedToday: day?.Failed__c ?? 0,
      dailyApiBudget: settings.dailyApiBudget,
      maxOrgApiUsagePercent: settings.maxOrgApiUsagePercent,
      orgApiUsed: api ? api.Max - api.Remaining : null,
      orgApiMax: api ? api.Max : null,
    };
  }

  /** CredSparkSyncHealthController.requestRetry. */
  async requestRetry(responseRecordId: unknown): Promise<number> {
    const ns = this.ns;
    if (typeof responseRecordId !== 'string' || !/^[A-Za-z0-9]{15,18}$/.test(responseRecordId))
      throw new SafeError('This response no longer exists, or you cannot see it.');
    const rows = await this.query(
      z.object({ Id: z.string(), Status__c: text }),
      `SELECT Id, ${ns}Status__c FROM ${this.responses} WHERE Id = ${soqlString(responseRecordId)} LIMIT 1`,
    );
    if (rows.length === 0) throw new SafeError('This response no longer exists, or you cannot see it.');
    if (rows[0].Status__c !== 'Failed')
      throw new SafeError('This response has synced since: there is nothing to retry.');
    return this.flag(rows.map((r) => r.Id));
  }

  /** CredSparkSyncHealthController.requestRetryForCode (empty code: failures without a code). */
  async requestRetryForCode(errorCode: unknown): Promise<number> {
    const ns = this.ns;
    const code = typeof errorCode === 'string' && errorCode.trim() ? soqlString(errorCode.trim()) : 'null';
    const rows = await this.query(
      z.object({ Id: z.string() }),
      `SELECT Id FROM ${this.responses} WHERE ${ns}Status__c = 'Failed' AND ${ns}Error_Code__c = ${code} AND ${ns}Retry_Requested__c = false LIMIT ${MAX_RETRY_BATCH}`,
    );
    return this.flag(rows.map((r) => r.Id));
  }

  private async flag(ids: string[]): Promise<number> {
    for (let i = 0; i < ids.length; i += COLLECTION_SIZE) {
      const chunk = ids.slice(i, i + COLLECTION_SIZE).map((Id) => ({ Id, [`${this.ns}Retry_Requested__c`]: true }));
      const results = await this.conn.sobject(this.responses).update(chunk, { allOrNone: true });
      if (results.some((r) => !r.success)) throw new SafeError(NO_ACCESS);
    }
    return ids.length;
  }

  /** CredSparkSettingsController.validate: the admin UI's words, empty when the settings can be saved. */
  validateSettings(input: SettingsInput): string[] {
    const errors: string[] = [];
    const out = (n: number | null | undefined, b: { min: number; max: number }) =>
      n !== null && n !== undefined && (n < b.min || n > b.max);
    if (out(input.dailyApiBudget, SETTINGS.dailyApiBudget)) errors.push(SETTINGS.messages.dailyApiBudget);
    if (out(input.maxOrgApiUsagePercent, SETTINGS.maxOrgApiUsagePercent))
      errors.push(SETTINGS.messages.maxOrgApiUsagePercent);
    const allowed = SETTINGS.responseRecords.values.map((v) => v.value);
    if (input.responseRecords && !allowed.includes(input.responseRecords))
      errors.push(SETTINGS.messages.responseRecords);
    return errors;
  }

  /**
   * CredSparkSettingsController.saveSettings: validates, returns a deployment id and writes the
   * Default record afterwards; `deployed` settles with what CredSpark_Deployment__e carries.
   */
  saveSettings(input: SettingsInput): { jobId: string; deployed: Promise<{ success: boolean; message: string }> } {
    const errors = this.validateSettings(input);
    if (errors.length > 0) throw new SafeError(errors.join(' '));
    const ns = this.ns;
    const record = {
      // A CustomMetadata fullName is "<type without __mdt>.<record>" (Metadata API Developer Guide, "CustomMetadata").
      fullName: `${ns}CredSpark_Settings.Default`,
      label: 'Default',
      values: [
        { field: `${ns}Daily_API_Budget__c`, value: input.dailyApiBudget ?? null },
        { field: `${ns}Max_Org_API_Usage_Percent__c`, value: input.maxOrgApiUsagePercent ?? null },
        { field: `${ns}Response_Records__c`, value: input.responseRecords || null },
      ],
    };
    const jobId = `0Af${randomBytes(6).toString('hex').toUpperCase()}`.slice(0, 15);
    const failed = { success: false, message: 'Settings not saved: try again, or ask your Salesforce admin.' };
    const deployed = this.conn.metadata.upsert('CustomMetadata', [record]).then(
      (results) =>
        [results].flat().every((r) => String(r.success) === 'true')
          ? { success: true, message: 'Settings saved.' }
          : failed,
      () => failed,
    );
    return { jobId, deployed };
  }

  /** CredSparkPersonResponsesController.getResponses: the person's responses, newest first. */
  async getResponses(recordId: unknown) {
    const ns = this.ns;
    if (typeof recordId !== 'string' || !/^[A-Za-z0-9]{15,18}$/.test(recordId)) return [];
    const id = soqlString(recordId);
    const rows = await this.query(
      PersonRow,
      `SELECT Id, Name, ${ns}Interaction_Name__c, ${ns}Completed_At__c, ${ns}Score__c, ${ns}Status__c, ${ns}Error_Code__c FROM ${this.responses} WHERE ${ns}Contact__c = ${id} OR ${ns}Lead__c = ${id} ORDER BY ${ns}Completed_At__c DESC NULLS LAST LIMIT ${MAX_PERSON_ROWS}`,
    );
    return rows.map((r) => ({
      id: r.Id,
      name: r.Name,
      interactionName: r.Interaction_Name__c ?? null,
      completedAt: r.Completed_At__c ?? null,
      score: r.Score__c ?? null,
      status: r.Status__c ?? null,
      errorCode: r.Error_Code__c ?? null,
    }));
  }
}
