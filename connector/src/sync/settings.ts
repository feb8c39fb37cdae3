import { z } from 'zod';
import type { Connection } from 'jsforce';
import { TARGET_OBJECTS, type TargetObject } from '../rules';
import { queryComposite } from '../salesforce/calls';
import type { SyncContext } from './types';

/**
 * Sync settings read from the org's custom metadata (SPEC §3) with SOQL over REST: two queries
 * per org per cache period, sent together in one `/composite` call. Custom metadata queries
 * through the API count against the daily allocation (the "free" rule is Apex-only), so they are
 * cached; a change made in Salesforce takes effect within DEFAULT_SETTINGS_TTL_MS (60 s; see
 * setSettingsTtl).
 */
export interface FieldMapping {
  /** A CredSpark field key (answer key or `$` field); undefined when staticValue is used. */
  sourceField?: string;
  targetField: string;
  staticValue?: string;
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
    }
  | { ok: false; ruleName: string; interactionId: string; error: string };

export interface OrgSettings {
  /** By CredSpark interaction id. */
  rules: Map<string, SyncRule>;
  loadedAt: number;
}

export const DEFAULT_SETTINGS_TTL_MS = 60_000;
let ttlMs = DEFAULT_SETTINGS_TTL_MS;
const cache = new Map<string, OrgSettings>();
const inflight = new Map<string, Promise<OrgSettings>>();

/** Cache lifetime of settings per org (default 60 s). */
export function setSettingsTtl(ms: number): void {
  ttlMs = ms;
}
/** Drops cached settings (one org or all) — tests and admin tooling. */
export function invalidateSettings(orgId?: string): void {
  if (orgId === undefined) cache.clear();
  else cache.delete(orgId);
}

const str = z.string().trim().min(1);
const optStr = z
  .string()
  .nullish()
  .transform((v) => (v === null || v === undefined || v.trim() === '' ? undefined : v));

const ruleRow = z.object({
  DeveloperName: str,
  enabled: z.boolean().nullish(),
  target: z.string().nullish(),
  enabledAt: z.string().nullish(),
  interactionId: optStr,
});
const mappingRow = z.object({
  ruleName: optStr,
  sourceField: optStr,
  targetField: optStr,
  staticValue: z.string().nullish(),
});

export async function loadSettings(ctx: SyncContext, now = Date.now()): Promise<OrgSettings> {
  const key = `${ctx.orgId}|${ctx.namespace}`;
  const hit = cache.get(key);
  if (hit && now - hit.loadedAt < ttlMs) return hit;
  const running = inflight.get(key);
  if (running) return running;
  const p = fetchSettings(ctx, now)
    .then((s) => {
      cache.set(key, s);
      return s;
    })
    .finally(() => inflight.delete(key));
  inflight.set(key, p);
  return p;
}

async function fetchSettings(ctx: SyncContext & { conn: Connection }, now: number): Promise<OrgSettings> {
  const ns = ctx.namespace ? `${ctx.namespace}__` : '';
  const rulesSoql = `SELECT DeveloperName, ${ns}Enabled__c, ${ns}Target_Object__c, ${ns}Enabled_At__c, ${ns}Interaction__r.${ns}Interaction_Id__c FROM ${ns}CredSpark_Sync_Rule__mdt`;
  const mapsSoql = `SELECT ${ns}Sync_Rule__r.DeveloperName, ${ns}Source_Field__c, ${ns}Target_Field__c, ${ns}Static_Value__c FROM ${ns}CredSpark_Field_Mapping__mdt`;
  const [ruleRecs, mapRecs] = await queryComposite(ctx, [rulesSoql, mapsSoql]);

  const mappingsByRule = new Map<string, { mappings: FieldMapping[]; errors: string[] }>();
  for (const rec of mapRecs) {
    const row = mappingRow.safeParse({
      ruleName: (rec[`${ns}Sync_Rule__r`] as Record<string, unknown> | null)?.DeveloperName,
      sourceField: rec[`${ns}Source_Field__c`],
      targetField: rec[`${ns}Target_Field__c`],
      staticValue: rec[`${ns}Static_Value__c`],
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
      DeveloperName: rec.DeveloperName,
      enabled: rec[`${ns}Enabled__c`],
      target: rec[`${ns}Target_Object__c`],
      enabledAt: rec[`${ns}Enabled_At__c`],
      interactionId: (rec[`${ns}Interaction__r`] as Record<string, unknown> | null)?.[`${ns}Interaction_Id__c`],
    });
    if (!row.success || !row.data.interactionId) {
      ctx.log.warn(
        { orgId: ctx.orgId, rule: typeof rec.DeveloperName === 'string' ? rec.DeveloperName : undefined },
        'sync rule without a readable interaction ignored',
      );
      continue;
    }
    const { DeveloperName: ruleName, interactionId, enabled, target, enabledAt } = row.data;
    const maps = mappingsByRule.get(ruleName) ?? { mappings: [], errors: [] };
    const at = enabledAt ? new Date(enabledAt) : undefined;
    let error: string | undefined;
    if (!TARGET_OBJECTS.includes(target as TargetObject))
      error = `Sync rule ${ruleName}: Target_Object__c must be ${TARGET_OBJECTS.join(' or ')} (got ${JSON.stringify(target ?? null)})`;
    else if (at && Number.isNaN(at.getTime())) error = `Sync rule ${ruleName}: Enabled_At__c is not a date-time`;
    else if (maps.errors.length > 0) error = `Sync rule ${ruleName}: ${maps.errors.join('; ')}`;
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
          },
    );
  }
  return { rules, loadedAt: now };
}
