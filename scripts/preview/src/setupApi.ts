// What CredSparkSetupController does in Salesforce, done against the local org for the preview:
// getSetup reads the four custom metadata types by SOQL; saveSyncRule validates like
// CredSparkRuleValidator and writes the records CredSparkRuleDeployer would deploy (same names,
// Enabled_At__c only when sync is switched on, removed mappings blanked — the Metadata API cannot
// delete custom metadata records), with the Metadata API's upsertMetadata.
import { randomBytes } from 'node:crypto';
import type { Connection } from 'jsforce';
import { z } from 'zod';
import {
  REQUIRED_FIELDS,
  REQUIRED_MESSAGES,
  SYSTEM_FIELDS,
  TARGET_OBJECTS,
  type TargetObject,
  MATCHING_OPTIONS,
} from '../../../connector/src/rules';
import { CampaignApi } from './campaignApi';

export class SafeError extends Error {}

const str = z.string().max(255).nullish();
export const RuleInput = z.object({
  interactionDeveloperName: z.string().min(1).max(40),
  enabled: z.boolean().nullish(),
  targetObject: z.string().max(16),
  mappings: z
    .array(z.object({ sourceField: str, targetField: str, staticValue: z.string().max(1000).nullish() }))
    .max(200)
    .nullish(),
  // Matching options (SPEC §3), checked by CampaignApi.validateMatching like CredSparkMatchingValidator.
  duplicateHandling: z.string().max(16).nullish(),
  convertedLead: z.string().max(16).nullish(),
  campaignId: z.string().max(18).nullish(),
  campaignStatus: z.string().max(255).nullish(),
});
export type RuleInput = z.infer<typeof RuleInput>;

const MAX_NAME = 40;
const blank = (v: string | null | undefined) => v === null || v === undefined || v.trim() === '';
const blankToNull = (v: string | null | undefined) => (v?.trim() ? v.trim() : null);

// The four custom metadata types as the queries below read them, custom fields without the
// namespace prefix. SOQL returns null for an empty field.
const text = z.string().nullish();
const ConnectionRow = z.object({
  Account_Id__c: text,
  Status__c: text,
  Connected_User__c: text,
  Connected_At__c: text,
});
const InteractionRow = z.object({
  Id: z.string(),
  DeveloperName: z.string(),
  MasterLabel: z.string(),
  Interaction_Id__c: text,
  // Read by parseFields, which shows a malformed catalogue as "no fields" rather than failing.
  Fields__c: z.unknown(),
});
const RuleRow = z.object({
  Id: z.string(),
  DeveloperName: z.string(),
  Interaction__c: text,
  Enabled__c: z.boolean().nullish(),
  Target_Object__c: text,
  Enabled_At__c: text,
  Duplicate_Handling__c: text,
  Converted_Lead__c: text,
  Campaign_Id__c: text,
  Campaign_Status__c: text,
});
type RuleRow = z.infer<typeof RuleRow>;
const MappingRow = z.object({
  Id: z.string(),
  DeveloperName: z.string(),
  Sync_Rule__c: text,
  Source_Field__c: text,
  Target_Field__c: text,
  Static_Value__c: text,
});

interface MappingView {
  developerName: string;
  sourceField: string | null;
  targetField: string | null | undefined;
  staticValue: string | null;
}
interface RuleView {
  developerName: string;
  enabled: boolean;
  targetObject: string | null | undefined;
  enabledAt: string | null;
  duplicateHandling: string | null;
  convertedLead: string | null;
  campaignId: string | null;
  campaignStatus: string | null;
  mappingCount: number;
  missingRequired: string[];
  mappings: MappingView[];
}

/** A CustomMetadata record for upsertMetadata (Metadata API Developer Guide, "CustomMetadata"). */
interface MetadataRecord {
  fullName: string;
  label: string;
  values: { field: string; value: string | boolean | null }[];
}

export class SetupApi {
  private readonly ns: string;
  private readonly campaigns: CampaignApi;
  constructor(
    private readonly conn: Connection,
    namespace: string,
  ) {
    this.ns = namespace ? `${namespace}__` : '';
    this.campaigns = new CampaignApi(conn);
  }

  /** Runs the query and checks each record against `row` (custom fields read without the prefix). */
  private async query<T>(object: string, row: z.ZodType<T>, soql: string): Promise<T[]> {
    const result = await this.conn.query<Record<string, unknown>>(soql, { autoFetch: true, maxFetch: 100000 });
    return result.records.map((r) => {
      const parsed = row.safeParse(this.withoutPrefix(r));
      if (!parsed.success) throw new Error(`Unexpected ${object} record: ${z.prettifyError(parsed.error)}`);
      return parsed.data;
    });
  }

  private withoutPrefix(r: Record<string, unknown>): Record<string, unknown> {
    const ns = this.ns;
    if (!ns) return r;
    return Object.fromEntries(Object.entries(r).map(([k, v]) => [k.startsWith(ns) ? k.slice(ns.length) : k, v]));
  }

  private async records() {
    const ns = this.ns;
    const [connections, interactions, rules, mappings] = await Promise.all([
      this.query(
        'CredSpark_Connection__mdt',
        ConnectionRow,
        `SELECT ${ns}Account_Id__c, ${ns}Status__c, ${ns}Connected_User__c, ${ns}Connected_At__c FROM ${ns}CredSpark_Connection__mdt WHERE DeveloperName = 'Default'`,
      ),
      this.query(
        'CredSpark_Interaction__mdt',
        InteractionRow,
        `SELECT Id, DeveloperName, MasterLabel, ${ns}Interaction_Id__c, ${ns}Fields__c FROM ${ns}CredSpark_Interaction__mdt ORDER BY MasterLabel`,
      ),
      this.query(
        'CredSpark_Sync_Rule__mdt',
        RuleRow,
        `SELECT Id, DeveloperName, ${ns}Interaction__c, ${ns}Enabled__c, ${ns}Target_Object__c, ${ns}Enabled_At__c, ${ns}Duplicate_Handling__c, ${ns}Converted_Lead__c, ${ns}Campaign_Id__c, ${ns}Campaign_Status__c FROM ${ns}CredSpark_Sync_Rule__mdt`,
      ),
      this.query(
        'CredSpark_Field_Mapping__mdt',
        MappingRow,
        `SELECT Id, DeveloperName, ${ns}Sync_Rule__c, ${ns}Source_Field__c, ${ns}Target_Field__c, ${ns}Static_Value__c FROM ${ns}CredSpark_Field_Mapping__mdt ORDER BY DeveloperName`,
      ),
    ]);
    return { connection: connections.at(0), interactions, rules, mappings };
  }

  /**
   * CredSparkSetupController.getSetup → SetupView: the list, as Apex sends it — no Fields__c catalogue and no
   * mapping rows, only each rule's mapping count and unmapped required fields.
   */
  async getSetup() {
    const full = await this.fullSetup();
    return {
      ...full,
      interactions: full.interactions.map((i) => ({
        ...i,
        fields: [],
        rule: i.rule ? { ...i.rule, mappings: [] } : null,
      })),
    };
  }

  /** CredSparkSetupController.getInteractionDetails → one InteractionView with fields and mappings. */
  async getInteractionDetails(developerName: string) {
    const found = (await this.fullSetup()).interactions.find((i) => i.developerName === developerName);
    if (!found) throw new SafeError('This interaction is not known to Salesforce yet.');
    return found;
  }

  private async fullSetup() {
    const { connection, interactions, rules, mappings } = await this.records();
    const ruleViews = new Map<string, RuleView>();
    const byInteraction = new Map<string | null | undefined, RuleView>();
    for (const r of rules) {
      const view: RuleView = {
        developerName: r.DeveloperName,
        enabled: r.Enabled__c === true,
        targetObject: r.Target_Object__c,
        enabledAt: r.Enabled_At__c ?? null,
        duplicateHandling: r.Duplicate_Handling__c ?? null,
        convertedLead: r.Converted_Lead__c ?? null,
        campaignId: r.Campaign_Id__c ?? null,
        campaignStatus: r.Campaign_Status__c ?? null,
        mappingCount: 0,
        missingRequired: [],
        mappings: [],
      };
      ruleViews.set(r.Id, view);
      byInteraction.set(r.Interaction__c, view);
    }
    for (const m of mappings) {
      const view = m.Sync_Rule__c == null ? undefined : ruleViews.get(m.Sync_Rule__c);
      // A blank Target_Field__c marks a removed mapping (CredSparkRuleDeployer).
      if (!view || blank(m.Target_Field__c)) continue;
      view.mappings.push({
        developerName: m.DeveloperName,
        sourceField: m.Source_Field__c ?? null,
        targetField: m.Target_Field__c,
        staticValue: m.Static_Value__c ?? null,
      });
    }
    for (const view of ruleViews.values()) {
      view.mappingCount = view.mappings.length;
      const mapped = new Set(view.mappings.map((m) => m.targetField));
      const required = REQUIRED_FIELDS[view.targetObject as TargetObject] ?? [];
      view.missingRequired = required.filter((r) => !mapped.has(r.field)).map((r) => r.label);
    }
    return {
      connection: connection
        ? {
            accountId: connection.Account_Id__c,
            status: connection.Status__c,
            connectedUser: connection.Connected_User__c,
            connectedAt: connection.Connected_At__c,
            connected: connection.Status__c === 'Connected',
          }
        : null,
      interactions: interactions.map((i) => ({
        developerName: i.DeveloperName,
        label: i.MasterLabel,
        interactionId: i.Interaction_Id__c,
        fields: parseFields(i.Fields__c),
        rule: byInteraction.get(i.Id) ?? null,
      })),
    };
  }

  /** CredSparkRuleValidator.validate: user-safe messages, empty when the rule can be saved. */
  async validate(input: RuleInput, knownSources: Set<string>): Promise<string[]> {
    if (!TARGET_OBJECTS.includes(input.targetObject as TargetObject)) return ['Sync to Contact or Lead.'];
    const object = input.targetObject as TargetObject;
    const describe = await this.conn.sobject(object).describe();
    const fields = new Map(describe.fields.map((f) => [f.name.toLowerCase(), f]));
    const errors: string[] = [];
    const seen = new Set<string>();
    const mapped = new Set<string>();
    for (const m of input.mappings ?? []) {
      if (blank(m.targetField)) {
        errors.push('Choose a Salesforce field for every mapping.');
        continue;
      }
      const f = fields.get(String(m.targetField).trim().toLowerCase());
      if (!f) {
        errors.push(`${m.targetField} does not exist.`);
        continue;
      }
      if (!f.createable || !f.updateable) errors.push(`${f.name} cannot be written on create and update.`);
      if (blank(m.sourceField) && blank(m.staticValue))
        errors.push(`${f.name} needs a CredSpark field or a fixed value.`);
      if (!blank(m.sourceField) && !knownSources.has(String(m.sourceField)))
        errors.push(`${m.sourceField} is not a field of this interaction.`);
      if (!blank(m.staticValue) && String(m.staticValue).length > 255)
        errors.push('Fixed values are limited to 255 characters.');
      if (seen.has(f.name)) errors.push(`${f.name} is mapped more than once.`);
      seen.add(f.name);
      if (!blank(m.sourceField) || !blank(m.staticValue)) mapped.add(f.name);
    }
    if (input.enabled === true && !REQUIRED_FIELDS[object].every((r) => mapped.has(r.field)))
      errors.push(REQUIRED_MESSAGES[object]);
    return errors;
  }

  /**
   * CredSparkSetupController.saveSyncRule: validates synchronously, returns a deployment id, and
   * "deploys" afterwards; `deployed` settles with the outcome the CredSpark_Deployment__e event carries.
   */
  async saveSyncRule(
    input: RuleInput,
  ): Promise<{ jobId: string; deployed: Promise<{ success: boolean; message: string }> }> {
    const { interactions, rules, mappings } = await this.records();
    const interaction = interactions.find((i) => i.DeveloperName === input.interactionDeveloperName);
    if (!interaction) throw new SafeError('This interaction is not known to Salesforce yet.');
    const known = new Set([
      ...SYSTEM_FIELDS.map((f) => f.key),
      ...parseFields(interaction.Fields__c).map((f) => f.key),
    ]);
    const errors = [...(await this.validate(input, known)), ...(await this.campaigns.validateMatching(input))];
    if (errors.length > 0) throw new SafeError(errors.join(' '));
    const existing = rules.find((r) => r.Interaction__c === interaction.Id);
    const existingMappings = existing ? mappings.filter((m) => m.Sync_Rule__c === existing.Id) : [];
    const records = this.buildRecords(
      input,
      existing,
      existingMappings.map((m) => m.DeveloperName),
    );
    const jobId = `0Af${randomBytes(6).toString('hex').toUpperCase()}`.slice(0, 15);
    const deployed = this.deploy(records);
    return { jobId, deployed };
  }

  private async deploy(records: MetadataRecord[]): Promise<{ success: boolean; message: string }> {
    try {
      // upsertMetadata takes at most 10 records a call (Metadata API Developer Guide, "upsertMetadata()").
      for (let i = 0; i < records.length; i += 10) {
        const results = [await this.conn.metadata.upsert('CustomMetadata', records.slice(i, i + 10))].flat();
        const failed = results.find((r) => String(r.success) !== 'true');
        if (failed)
          return {
            success: false,
            message: 'The sync rule could not be saved. Try again, or ask your Salesforce admin.',
          };
      }
      return { success: true, message: 'CredSpark syncs with these settings from now on.' };
    } catch {
      return { success: false, message: 'The sync rule could not be saved. Try again, or ask your Salesforce admin.' };
    }
  }

  /**
   * The records CredSparkRuleDeployer.deploy puts in its DeployContainer. A CustomMetadata fullName
   * is "<type without __mdt>.<record>" (Metadata API Developer Guide, "CustomMetadata").
   */
  buildRecords(
    input: RuleInput,
    existing: RuleRow | undefined,
    existingNames: string[],
    now = new Date(),
  ): MetadataRecord[] {
    const ns = this.ns;
    const ruleName = existing ? existing.DeveloperName : ruleNameFor(input.interactionDeveloperName);
    const wasEnabled = existing?.Enabled__c === true;
    const enabled = input.enabled === true;
    // SPEC §2 "No retroactive sync": Enabled_At__c moves only when sync is switched on.
    const enabledAt = enabled && !wasEnabled ? now.toISOString() : (existing?.Enabled_At__c ?? null);
    const value = (field: string, v: string | boolean | null) => ({ field: `${ns}${field}`, value: v });
    const rule = {
      fullName: `${ns}CredSpark_Sync_Rule.${ruleName}`,
      label: input.interactionDeveloperName.slice(0, MAX_NAME),
      values: [
        value('Interaction__c', input.interactionDeveloperName),
        value('Enabled__c', enabled),
        value('Target_Object__c', input.targetObject),
        value('Enabled_At__c', enabledAt),
        ...matchingValues(input).map(([field, v]) => value(field, v)),
      ],
    };
    const wanted = input.mappings ?? [];
    const names = [...existingNames].sort();
    let suffix = 1;
    while (names.length < wanted.length) {
      const candidate = `${ruleName.slice(0, MAX_NAME - 5).replace(/_+$/, '')}_M${String(suffix++).padStart(3, '0')}`;
      if (!names.includes(candidate)) names.push(candidate);
    }
    const maps = names.map((name, i) => {
      const m = wanted[i] ?? {};
      return {
        fullName: `${ns}CredSpark_Field_Mapping.${name}`,
        label: name,
        values: [
          value('Sync_Rule__c', ruleName),
          value('Source_Field__c', blankToNull(m.sourceField)),
          value('Target_Field__c', blankToNull(m.targetField)),
          value('Static_Value__c', blankToNull(m.staticValue)),
        ],
      };
    });
    return [rule, ...maps];
  }
}

/** CredSparkRuleDeployer.ruleName: letters, digits, single underscores, 40 characters at most. */
export function ruleNameFor(interactionDeveloperName: string): string {
  return `R_${interactionDeveloperName}`
    .replace(/[^A-Za-z0-9_]/g, '_')
    .replace(/_+/g, '_')
    .slice(0, MAX_NAME)
    .replace(/_+$/, '');
}

const FieldOption = z.array(z.object({ key: z.string(), label: z.string(), type: z.string() }));

/** A malformed catalogue must not break the page: the interaction shows without fields. */
export function parseFields(json: unknown): { key: string; label: string; type: string }[] {
  if (typeof json !== 'string' || json.trim() === '') return [];
  try {
    const parsed = FieldOption.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
  }
}

/**
 * CredSparkRuleDeployer.addMatchingOptions: an empty option is stored as its default; Converted_Lead__c
 * only on Lead rules; the member status only with a campaign.
 */
function matchingValues(input: RuleInput): [string, string | null][] {
  const { duplicateHandling, convertedLead } = MATCHING_OPTIONS;
  const campaignId = blankToNull(input.campaignId);
  return [
    ['Duplicate_Handling__c', blankToNull(input.duplicateHandling) ?? duplicateHandling.default],
    [
      'Converted_Lead__c',
      convertedLead.targetObjects.includes(input.targetObject)
        ? (blankToNull(input.convertedLead) ?? convertedLead.default)
        : null,
    ],
    ['Campaign_Id__c', campaignId],
    ['Campaign_Status__c', campaignId ? blankToNull(input.campaignStatus) : null],
  ];
}
