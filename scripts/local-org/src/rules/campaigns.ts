// Campaigns and their members, as the Object Reference and Salesforce Help describe them:
// - every new campaign has the member statuses "Sent" (the default) and "Responded" (counts as
//   responded) (Salesforce Help "Campaign Member Statuses"; Object Reference "CampaignMemberStatus":
//   since API 39.0 each campaign has exactly one default and at least one responded status);
// - a CampaignMember names a Contact or a Lead; with both, only the ContactId is kept, and a second
//   membership of the same person is refused with DUPLICATE_VALUE "Already a campaign member."
//   (Object Reference "CampaignMember", Usage: "If the record exists, an error is returned");
// - Status: "During an insert or update, the API verifies whether the status field value specified
//   in the call is a valid campaign member status for the given campaign. If the specified status
//   value is not a valid campaign member status the API assigns the default campaign member status"
//   (SOAP API documentation of CampaignMember, quoted on developer.salesforce.com forums thread
//   906F00000008idQIAQ); a missing Status also gets the default. HasResponded follows the status;
// - an inactive campaign (IsActive false) still takes members through the API: the references
//   document no such restriction (IsActive only limits where users can pick the campaign).
import type { DmlError } from '../dml';
import { nowIso } from '../dml';
import { sameId } from '../ids';
import type { ObjectDef } from '../schema';
import type { Org, Rec, State } from '../state';

export interface MemberStatusSpec {
  label: string;
  isDefault?: boolean;
  hasResponded?: boolean;
}

export const DEFAULT_MEMBER_STATUSES: MemberStatusSpec[] = [
  { label: 'Sent', isDefault: true, hasResponded: false },
  { label: 'Responded', isDefault: false, hasResponded: true },
];

const obj = (org: Org, name: string): ObjectDef => org.catalogue.get(name.toLowerCase())!;

export function memberStatuses(state: State, org: Org, campaignId: string): Rec[] {
  return [...state.table(org, obj(org, 'CampaignMemberStatus')).values()]
    .filter((r) => typeof r.CampaignId === 'string' && sameId(r.CampaignId, campaignId))
    .sort((a, b) => Number(a.SortOrder) - Number(b.SortOrder));
}

/**
 * Adds statuses to a campaign. A new default replaces the old one; a label the campaign already has
 * is updated in place (labels are unique per campaign).
 */
export function addMemberStatuses(state: State, org: Org, campaignId: string, specs: MemberStatusSpec[]): Rec[] {
  const table = state.table(org, obj(org, 'CampaignMemberStatus'));
  const out: Rec[] = [];
  for (const s of specs) {
    const existing = memberStatuses(state, org, campaignId);
    if (s.isDefault) for (const r of existing) r.IsDefault = false;
    let rec = existing.find((r) => String(r.Label).toLowerCase() === s.label.toLowerCase());
    const now = nowIso();
    if (!rec) {
      rec = {
        Id: state.newId(org, obj(org, 'CampaignMemberStatus')),
        IsDeleted: false,
        CampaignId: campaignId,
        Label: s.label,
        SortOrder: existing.reduce((m, r) => Math.max(m, Number(r.SortOrder) || 0), 0) + 1,
        CreatedDate: now,
        CreatedById: org.userId,
      };
      table.set(rec.Id, rec);
    }
    Object.assign(rec, {
      IsDefault: s.isDefault ?? rec.IsDefault ?? false,
      HasResponded: s.hasResponded ?? rec.HasResponded ?? false,
      LastModifiedDate: now,
      LastModifiedById: org.userId,
      SystemModstamp: now,
    });
    out.push(rec);
  }
  state.onChange();
  return out;
}

/** Platform behaviour on CampaignMember saves; mutates `values` like a before-save step. */
export function campaignMemberBeforeSave(
  state: State,
  org: Org,
  values: Record<string, unknown>,
  existing: Rec | undefined,
): DmlError | undefined {
  const campaignId = (values.CampaignId ?? existing?.CampaignId) as string;
  if (!existing) {
    if (values.ContactId && values.LeadId) delete values.LeadId;
    const person = (values.ContactId ?? values.LeadId) as string | undefined;
    if (!person)
      return {
        statusCode: 'REQUIRED_FIELD_MISSING',
        message: 'Required fields are missing: [ContactId, LeadId]',
        fields: ['ContactId', 'LeadId'],
      };
    const key = values.ContactId ? 'ContactId' : 'LeadId';
    const dup = [...state.table(org, obj(org, 'CampaignMember')).values()].some(
      (m) =>
        typeof m.CampaignId === 'string' &&
        sameId(m.CampaignId, campaignId) &&
        typeof m[key] === 'string' &&
        sameId(m[key], person),
    );
    if (dup) return { statusCode: 'DUPLICATE_VALUE', message: 'Already a campaign member.', fields: [] };
  }
  if (!existing || 'Status' in values) {
    const statuses = memberStatuses(state, org, campaignId);
    const wanted = typeof values.Status === 'string' ? values.Status.toLowerCase() : undefined;
    const status = statuses.find((s) => String(s.Label).toLowerCase() === wanted) ?? statuses.find((s) => s.IsDefault);
    if (status) {
      values.Status = status.Label;
      values.HasResponded = status.HasResponded === true;
      if (values.HasResponded && !existing?.FirstRespondedDate) values.FirstRespondedDate = nowIso().slice(0, 10);
    }
  }
  return undefined;
}
