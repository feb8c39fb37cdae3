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
} from '../../../connector/src/rules';

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
});
export type RuleInput = z.infer<typeof RuleInput>;

type Rec = Record<string, any>;
const MAX_NAME = 40;
const blank = (v: unknown) => v === null || v === undefined || String(v).trim() === '';
const blankToNull = (v: string | null | undefined) => (blank(v) ? null : String(v).trim());

export class SetupApi {
  private readonly ns: string;
  constructor(
    private readonly conn: Connection,
    namespace: string,
  ) {
    this.ns = namespace ? `${namespace}__` : '';
  }

  private async query(soql: string): Promise<Rec[]> {
    const result = await this.conn.query<Rec>(soql, { autoFetch: true, maxFetch: 100000 });
    return result.records;
  }

  private async records() {
    const ns = this.ns;
    const [connections, interactions, rules, mappings] = await Promise.all([
      this.query(
        `SELECT ${ns}Account_Id__c, ${ns}Status__c, ${ns}Connected_User__c, ${ns}Connected_At__c FROM ${ns}CredSpark_Connection__mdt WHERE DeveloperName = 'Default'`,
      ),
      this.query(
        `SELECT Id, DeveloperName, MasterLabel, ${ns}Interaction_Id__c, ${ns}Fields__c FROM ${ns}CredSpark_Interaction__mdt ORDER BY MasterLabel`,
      ),
      this.query(
        `SELECT Id, DeveloperName, ${ns}Interaction__c, ${ns}Enabled__c, ${ns}Target_Object__c, ${ns}Enabled_At__c FROM ${ns}CredSpark_Sync_Rule__mdt`,
      ),
      this.query(
        `SELECT Id, DeveloperName, ${ns}Sync_Rule__c, ${ns}Source_Field__c, ${ns}Target_Field__c, ${ns}Static_Value__c FROM ${ns}CredSpark_Field_Mapping__mdt ORDER BY DeveloperName`,
      ),
    ]);
    return { connection: connections[0], interactions, rules, mappings };
  }

  /** CredSparkSetupController.getSetup → SetupView. */
  async getSetup() {
    const ns = this.ns;
    const { connection, interactions, rules, mappings } = await this.records();
    const ruleViews = new Map<string, Rec>();
    const byInteraction = new Map<string, Rec>();
    for (const r of rules) {
      const view = {
        developerName: r.DeveloperName,
        enabled: r[`${ns}Enabled__c`] === true,
        targetObject: r[`${ns}Target_Object__c`],
        enabledAt: r[`${ns}Enabled_At__c`] ?? null,
        mappings: [] as Rec[],
      };
      ruleViews.set(r.Id, view);
      byInteraction.set(r[`${ns}Interaction__c`], view);
    }
    for (const m of mappings) {
      const view = ruleViews.get(m[`${ns}Sync_Rule__c`]);
      // A blank Target_Field__c marks a removed mapping (CredSparkRuleDeployer).
      if (!view || blank(m[`${ns}Target_Field__c`])) continue;
      view.mappings.push({
        developerName: m.DeveloperName,
        sourceField: m[`${ns}Source_Field__c`] ?? null,
        targetField: m[`${ns}Target_Field__c`],
        staticValue: m[`${ns}Static_Value__c`] ?? null,
      });
    }
    return {
      connection: connection
        ? {
            accountId: connection[`${ns}Account_Id__c`],
            status: connection[`${ns}Status__c`],
            connectedUser: connection[`${ns}Connected_User__c`],
            connectedAt: connection[`${ns}Connected_At__c`],
            connected: connection[`${ns}Status__c`] === 'Connected',
          }
        : null,
      interactions: interactions.map((i) => ({
        developerName: i.DeveloperName,
        label: i.MasterLabel,
        interactionId: i[`${ns}Interaction_Id__c`],
        fields: parseFields(i[`${ns}Fields__c`]),
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
    const ns = this.ns;
    const { interactions, rules, mappings } = await this.records();
    const interaction = interactions.find((i) => i.DeveloperName === input.interactionDeveloperName);
    if (!interaction) throw new SafeError('This interaction is not known to Salesforce yet.');
    const known = new Set([
      ...SYSTEM_FIELDS.map((f) => f.key),
      ...parseFields(interaction[`${ns}Fields__c`]).map((f) => f.key),
    ]);
    const errors = await this.validate(input, known);
    if (errors.length > 0) throw new SafeError(errors.join(' '));
    const existing = rules.find((r) => r[`${ns}Interaction__c`] === interaction.Id);
    const existingMappings = existing ? mappings.filter((m) => m[`${ns}Sync_Rule__c`] === existing.Id) : [];
    const records = this.buildRecords(
      input,
      existing,
      existingMappings.map((m) => m.DeveloperName as string),
    );
    const jobId = `0Af${randomBytes(6).toString('hex').toUpperCase()}`.slice(0, 15);
    const deployed = this.deploy(records);
    return { jobId, deployed };
  }

  private async deploy(records: Rec[]): Promise<{ success: boolean; message: string }> {
    try {
      // upsertMetadata takes at most 10 records a call (Metadata API Developer Guide, "upsertMetadata()").
      for (let i = 0; i < records.length; i += 10) {
        const results = [await this.conn.metadata.upsert('CustomMetadata', records.slice(i, i + 10) as any)].flat();
        const failed = results.find((r: any) => String(r.success) !== 'true');
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
  buildRecords(input: RuleInput, existing: Rec | undefined, existingNames: string[], now = new Date()): Rec[] {
    const ns = this.ns;
    const ruleName = existing ? (existing.DeveloperName as string) : ruleNameFor(input.interactionDeveloperName);
    const wasEnabled = existing?.[`${ns}Enabled__c`] === true;
    const enabled = input.enabled === true;
    // SPEC §2 "No retroactive sync": Enabled_At__c moves only when sync is switched on.
    const enabledAt = enabled && !wasEnabled ? now.toISOString() : (existing?.[`${ns}Enabled_At__c`] ?? null);
    const value = (field: string, v: unknown) => ({ field: `${ns}${field}`, value: v });
    const rule = {
      fullName: `${ns}CredSpark_Sync_Rule.${ruleName}`,
      label: input.interactionDeveloperName.slice(0, MAX_NAME),
      values: [
        value('Interaction__c', input.interactionDeveloperName),
        value('Enabled__c', enabled),
        value('Target_Object__c', input.targetObject),
        value('Enabled_At__c', enabledAt),
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
