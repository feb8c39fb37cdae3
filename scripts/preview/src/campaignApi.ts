// What CredSparkCampaignLookup and CredSparkMatchingValidator do in Salesforce, against the local org:
// active campaigns by name (LIKE with its wildcards escaped), one campaign with its CampaignMemberStatus
// rows, and the matching options' validation in the same words (shared rules, connector/src/rules).
import type { Connection } from 'jsforce';
import { z } from 'zod';
import { MATCHING_OPTIONS } from '../../../connector/src/rules';
import { soqlString } from '../../../connector/src/salesforce/soql';

const MAX_RESULTS = 20;
const MAX_STATUSES = 200;
const MAX_TERM = 80;
const { duplicateHandling, convertedLead, campaign, messages } = MATCHING_OPTIONS;

const CampaignRow = z.object({
  Id: z.string(),
  Name: z.string(),
  Status: z.string().nullish(),
  StartDate: z.string().nullish(),
  IsActive: z.boolean().nullish(),
});
const StatusRow = z.object({
  Label: z.string(),
  IsDefault: z.boolean().nullish(),
  HasResponded: z.boolean().nullish(),
});

export interface CampaignDetail {
  campaign: { id: string; name: string; status: string | null; startDate: string | null };
  isActive: boolean;
  statuses: { label: string; isDefault: boolean; hasResponded: boolean }[];
}

/** The matching fields of a RuleInput (CredSparkSetupModels.RuleInput). */
export interface MatchingInput {
  targetObject: string;
  duplicateHandling?: string | null;
  convertedLead?: string | null;
  campaignId?: string | null;
  campaignStatus?: string | null;
}

/**
 * A LIKE pattern "contains term": the term's quotes escaped by the one SOQL escaper, then its % and _
 * escaped so they match literally (SOQL and SOSL Reference, "Quoted String Escape Sequences": \% and
 * \_ in LIKE expressions only).
 */
export function likeContains(term: string): string {
  const inner = soqlString(term).slice(1, -1).replace(/%/g, '\\%').replace(/_/g, '\\_');
  return `'%${inner}%'`;
}

/** CredSparkCampaignLookup.isCampaignId: 15 or 18 alphanumerics with the Campaign key prefix. */
export const isCampaignId = (value: string | null | undefined): value is string =>
  typeof value === 'string' && new RegExp(`^${campaign.idPrefix}[A-Za-z0-9]{12}([A-Za-z0-9]{3})?$`).test(value.trim());

const format = (template: string, ...args: string[]) => template.replace(/\{(\d+)\}/g, (_m, i) => args[Number(i)]);

export class CampaignApi {
  constructor(private readonly conn: Connection) {}

  /** CredSparkCampaignLookup.searchCampaigns. */
  async searchCampaigns(searchTerm: unknown) {
    const term = typeof searchTerm === 'string' ? searchTerm.trim().slice(0, MAX_TERM) : '';
    const result = await this.conn.query<Record<string, unknown>>(
      `SELECT Id, Name, Status, StartDate FROM Campaign WHERE IsActive = true AND Name LIKE ${likeContains(term)} ORDER BY Name LIMIT ${MAX_RESULTS}`,
    );
    return result.records.map((r) => toOption(CampaignRow.parse(r)));
  }

  /** CredSparkCampaignLookup.getCampaign: null when the campaign does not exist. */
  async getCampaign(campaignId: unknown): Promise<CampaignDetail | null> {
    if (typeof campaignId !== 'string' || !isCampaignId(campaignId)) return null;
    const id = soqlString(campaignId.trim());
    const campaigns = await this.conn.query<Record<string, unknown>>(
      `SELECT Id, Name, Status, StartDate, IsActive FROM Campaign WHERE Id = ${id} LIMIT 1`,
    );
    const row = campaigns.records[0] ? CampaignRow.parse(campaigns.records[0]) : undefined;
    if (!row) return null;
    const statuses = await this.conn.query<Record<string, unknown>>(
      `SELECT Label, IsDefault, HasResponded FROM CampaignMemberStatus WHERE CampaignId = ${id} ORDER BY SortOrder LIMIT ${MAX_STATUSES}`,
    );
    return {
      campaign: toOption(row),
      isActive: row.IsActive === true,
      statuses: statuses.records.map((r) => {
        const s = StatusRow.parse(r);
        return { label: s.Label, isDefault: s.IsDefault === true, hasResponded: s.HasResponded === true };
      }),
    };
  }

  /** CredSparkMatchingValidator.validate: user-safe messages, empty when the options can be saved. */
  async validateMatching(input: MatchingInput): Promise<string[]> {
    const errors: string[] = [];
    const values = (o: { values: { value: string }[] }) => o.values.map((v) => v.value);
    if (input.duplicateHandling && !values(duplicateHandling).includes(input.duplicateHandling))
      errors.push(messages.duplicateHandling);
    if (
      convertedLead.targetObjects.includes(input.targetObject) &&
      input.convertedLead &&
      !values(convertedLead).includes(input.convertedLead)
    )
      errors.push(messages.convertedLead);
    const status = input.campaignStatus?.trim();
    if (!input.campaignId?.trim()) {
      if (status) errors.push(messages.statusWithoutCampaign);
      return errors;
    }
    if (!isCampaignId(input.campaignId)) return [...errors, messages.campaignInvalid];
    const detail = await this.getCampaign(input.campaignId);
    if (!detail) return [...errors, messages.campaignNotFound];
    if (!detail.isActive) errors.push(format(messages.campaignInactive, detail.campaign.name));
    if (status && !detail.statuses.some((s) => s.label === status))
      errors.push(format(messages.statusUnknown, status, detail.campaign.name));
    return errors;
  }
}

function toOption(c: z.infer<typeof CampaignRow>) {
  return { id: c.Id, name: c.Name, status: c.Status ?? null, startDate: c.StartDate ?? null };
}
