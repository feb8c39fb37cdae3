import { z } from 'zod';
import { TARGET_OBJECTS, type TargetObject } from '../rules';
import { queryComposite } from '../salesforce/calls';
import type { EngineContext, SyncContext } from './types';

/**
 * Sync settings read from the org's custom metadata (SPEC §3) with SOQL over REST: two queries
 * per org per cache period, sent together in one `/composite` call. Custom metadata queries
 * through the API count against the daily allocation (the "free" rule is Apex-only), so they are
 * cached; a change made in Salesforce takes effect within DEFAULT_SETTINGS_TTL_MS (60 s; an engine
 * may be built with another, createSyncEngine).
 */
export interface FieldMapping {
  /** A CredSpark field key (answer key or `$` field); undefined when staticValue is used. */
  sourceField?: string;
  targetField: string;
  staticValue?: string;
}

/** `Duplicate_Handling__c` (SPEC §3): what a create refused by the org's duplicate rules does. */
export const DUPLICATE_HANDLING = ['Fail', 'Update_Match'] as const;
export type DuplicateHandling = (typeof DUPLICATE_HANDLING)[number];
/** `Converted_Lead__c` (SPEC §3, Lead rules): what an email whose only Leads are converted does. */
export const CONVERTED_LEAD = ['New_Lead', 'Update_Contact'] as const;
export type ConvertedLead = (typeof CONVERTED_LEAD)[number];

/** `Campaign_Id__c` / `Campaign_Status__c` (SPEC §3): the campaign every synced person joins. */
export interface RuleCampaign {
  campaignId: string;
  /** Undefined: the campaign's default member status. */
  status?: string;
}

export type SyncRule =
  | {
      ok: true;
      ruleName: string;
      interactionId: string;
      enabled: boolean;
      target: TargetObject;
      enabledAt?: Date;
      mappings: FieldMapping[];
      duplicateHandling: DuplicateHandling;
      convertedLead: ConvertedLead;
      campaign?: RuleCampaign;
    }
  | { ok: false; ruleName: string; interactionId: string; error: string };

export interface OrgSettings {
  /** By CredSpark interaction id. */
  rules: Map<string, SyncRule>;
  loadedAt: number;
}

export const DEFAULT_SETTINGS_TTL_MS = 60_000;

const str = z.string().trim().min(1);
const optStr = z
  .string()
  .nullish()
  .transform((v) => (v === null || v === undefined || v.trim() === '' ? undefined : v));

/**
 * Checkbox: REST query results carry JSON `true`/`false` ("Execute a SOQL Query", REST API
 * Developer Guide); the strings "true"/"false" are accepted too.
 */
const checkbox = z
  .union([z.boolean(), z.string()])
  .nullish()
  .transform((v) => v === true || (typeof v === 'string' && v.trim().toLowerCase() === 'true'));

const ruleRow = z.object({
  DeveloperName: str,
  enabled: checkbox,
  target: z.string().nullish(),
  enabledAt: z.string().nullish(),
  interactionId: optStr,
  duplicateHandling: optStr,
  convertedLead: optStr,
  campaignId: optStr,
  campaignStatus: optStr,
});
const mappingRow = z.object({
  ruleName: optStr,
  sourceField: optStr,
  targetField: optStr,
  staticValue: z.string().nullish(),
});

export function loadSettings(ctx: EngineContext, now = Date.now()): Promise<OrgSettings> {
  return ctx.settings.get(`${ctx.orgId}|${ctx.namespace}`, now, () => fetchSettings(ctx, now));
}

async function fetchSettings(ctx: EngineContext, now: number): Promise<OrgSettings> {
  const ns = ctx.namespace ? `${ctx.namespace}__` : '';
  const rulesSoql = `SELECT DeveloperName, ${ns}Enabled__c, ${ns}Target_Object__c, ${ns}Enabled_At__c, ${ns}Duplicate_Handling__c, ${ns}Converted_Lead__c, ${ns}Campaign_Id__c, ${ns}Campaign_Status__c, ${ns}Interaction__r.${ns}Interaction_Id__c FROM ${ns}CredSpark_Sync_Rule__mdt`;
  const mapsSoql = `SELECT ${ns}Sync_Rule__r.DeveloperName, ${ns}Source_Field__c, ${ns}Target_Field__c, ${ns}Static_Value__c FROM ${ns}CredSpark_Field_Mapping__mdt`;
  const [ruleRecs, mapRecs] = await queryComposite(ctx, [rulesSoql, mapsSoql]);
  return { rules: parseSettings(ctx, ruleRecs, mapRecs), loadedAt: now };
}

/**
 * A field of a query result record, by API name. Field names are case-insensitive in Salesforce;
 * results spell them as the schema does, which may differ in case from SF_NAMESPACE or from our
 * query, so the exact key is tried first, then any key equal ignoring case.
 */
export function pick(rec: Record<string, unknown> | null | undefined, name: string): unknown {
  if (!rec || typeof rec !== 'object') return undefined;
  if (name in rec) return rec[name];
  const lower = name.toLowerCase();
  for (const k of Object.keys(rec)) if (k.toLowerCase() === lower) return rec[k];
  return undefined;
}

/**
 * DateTime values in REST results look like `2026-11-29T03:04:48.000+0000` ("Valid Date and
 * DateTime Formats", REST API Developer Guide): an offset without a colon, which ISO 8601 parsers
 * may refuse, so it gets one before parsing.
 */
export function parseSalesforceDateTime(s: string): Date {
  return new Date(s.trim().replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
}

/** Rules and mappings from the two query results (exported for tests of documented shapes). */
export function parseSettings(
  ctx: Pick<SyncContext, 'namespace' | 'orgId' | 'log'>,
  ruleRecs: Record<string, unknown>[],
  mapRecs: Record<string, unknown>[],
): Map<string, SyncRule> {
  const ns = ctx.namespace ? `${ctx.namespace}__` : '';
  const rel = (rec: Record<string, unknown>, name: string) => pick(rec, name) as Record<string, unknown> | null;
  const mappingsByRule = new Map<string, { mappings: FieldMapping[]; errors: string[] }>();
  for (const rec of mapRecs) {
    const row = mappingRow.safeParse({
      ruleName: pick(rel(rec, `${ns}Sync_Rule__r`), 'DeveloperName'),
      sourceField: pick(rec, `${ns}Source_Field__c`),
      targetField: pick(rec, `${ns}Target_Field__c`),
      staticValue: pick(rec, `${ns}Static_Value__c`),
    });
    if (!row.success || !row.data.ruleName) continue; // a mapping of no rule maps nothing
    const entry = mappingsByRule.get(row.data.ruleName) ?? { mappings: [], errors: [] };
    mappingsByRule.set(row.data.ruleName, entry);
    const { sourceField, targetField, staticValue } = row.data;
    if (!targetField) entry.errors.push(`a mapping of ${sourceField ?? 'a fixed value'} has no Target_Field__c`);
    else if (!sourceField && (staticValue === null || staticValue === undefined))
      entry.errors.push(`the mapping to ${targetField} has neither Source_Field__c nor Static_Value__c`);
    else
      entry.mappings.push(sourceField ? { sourceField, targetField } : { targetField, staticValue: staticValue ?? '' });
  }

  const rules = new Map<string, SyncRule>();
  for (const rec of ruleRecs) {
    const row = ruleRow.safeParse({
      DeveloperName: pick(rec, 'DeveloperName'),
      enabled: pick(rec, `${ns}Enabled__c`),
      target: pick(rec, `${ns}Target_Object__c`),
      enabledAt: pick(rec, `${ns}Enabled_At__c`),
      interactionId: pick(rel(rec, `${ns}Interaction__r`), `${ns}Interaction_Id__c`),
      duplicateHandling: pick(rec, `${ns}Duplicate_Handling__c`),
      convertedLead: pick(rec, `${ns}Converted_Lead__c`),
      campaignId: pick(rec, `${ns}Campaign_Id__c`),
      campaignStatus: pick(rec, `${ns}Campaign_Status__c`),
    });
    if (!row.success || !row.data.interactionId) {
      ctx.log.warn(
        {
          orgId: ctx.orgId,
          rule: typeof pick(rec, 'DeveloperName') === 'string' ? pick(rec, 'DeveloperName') : undefined,
        },
        'sync rule without a readable interaction ignored',
      );
      continue;
    }
    const { DeveloperName: ruleName, interactionId, enabled, enabledAt } = row.data;
    // Text(16) typed by an admin: "contact" or " Lead " still name the object.
    const target =
      TARGET_OBJECTS.find((o) => o.toLowerCase() === row.data.target?.trim().toLowerCase()) ?? row.data.target;
    const maps = mappingsByRule.get(ruleName) ?? { mappings: [], errors: [] };
    const at = enabledAt ? parseSalesforceDateTime(enabledAt) : undefined;
    const duplicateHandling = choice(DUPLICATE_HANDLING, row.data.duplicateHandling, 'Fail');
    const convertedLead = choice(CONVERTED_LEAD, row.data.convertedLead, 'New_Lead');
    const campaignId = row.data.campaignId?.trim();
    let error: string | undefined;
    if (!TARGET_OBJECTS.includes(target as TargetObject))
      error = `Sync rule ${ruleName}: Target_Object__c must be ${TARGET_OBJECTS.join(' or ')} (got ${JSON.stringify(target ?? null)})`;
    else if (at && Number.isNaN(at.getTime())) error = `Sync rule ${ruleName}: Enabled_At__c is not a date-time`;
    else if (maps.errors.length > 0) error = `Sync rule ${ruleName}: ${maps.errors.join('; ')}`;
    else if (duplicateHandling === undefined)
      error = `Sync rule ${ruleName}: Duplicate_Handling__c must be ${DUPLICATE_HANDLING.join(' or ')} or empty (got ${JSON.stringify(row.data.duplicateHandling)})`;
    else if (convertedLead === undefined)
      error = `Sync rule ${ruleName}: Converted_Lead__c must be ${CONVERTED_LEAD.join(' or ')} or empty (got ${JSON.stringify(row.data.convertedLead)})`;
    else if (campaignId !== undefined && !SALESFORCE_ID.test(campaignId))
      error = `Sync rule ${ruleName}: Campaign_Id__c must be a 15- or 18-character Campaign Id (got ${JSON.stringify(campaignId)})`;
    rules.set(
      interactionId,
      error
        ? { ok: false, ruleName, interactionId, error }
        : {
            ok: true,
            ruleName,
            interactionId,
            enabled: enabled === true,
            target: target as TargetObject,
            enabledAt: at,
            mappings: maps.mappings,
            duplicateHandling: duplicateHandling!,
            // Lead rules only (SPEC §3): ignored on a Contact rule.
            convertedLead: target === 'Lead' ? convertedLead! : 'New_Lead',
            ...(campaignId ? { campaign: { campaignId, status: row.data.campaignStatus?.trim() } } : {}),
          },
    );
  }
  return rules;
}

/** A Campaign Id: 15 or 18 characters, key prefix 701 ("Campaign", Object Reference). */
const SALESFORCE_ID = /^701[A-Za-z0-9]{12}(?:[A-Za-z0-9]{3})?$/;

/**
 * A Text(16) option typed by an admin or the LWC: empty → `fallback`; any case and surrounding
 * blanks name the same option; anything else → undefined (the rule is malformed).
 */
function choice<T extends string>(options: readonly T[], raw: string | undefined, fallback: T): T | undefined {
  if (raw === undefined) return fallback;
  return options.find((o) => o.toLowerCase() === raw.trim().toLowerCase());
}
