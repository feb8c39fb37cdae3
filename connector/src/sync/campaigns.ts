import { soqlString } from '../salesforce/soql';
import { HEAVY_PER_COMPOSITE, subrequestError, type SubAnswer, type Subrequest, type Unit } from './composite';
import type { RuleCampaign } from './settings';
import { COLLECTION_LIMIT } from './write';

/**
 * SPEC §2 "Campaigns": every person a rule with `Campaign_Id__c` synced becomes a CampaignMember,
 * once, with `Campaign_Status__c` or the campaign's default status; an existing membership is
 * left alone. A campaign problem never fails a response: it is synced with a warning
 * CAMPAIGN_MEMBER_FAILED and the message.
 *
 * How, in ONE call for a batch (with the batch's other follow-ups when they fit; composite.ts):
 * - `SELECT Id FROM Campaign WHERE Id = … AND IsActive = true` and, with a status,
 *   `SELECT Label FROM CampaignMemberStatus WHERE CampaignId = … AND Label = …`, as query
 *   subrequests;
 * - sObject Collections creates of CampaignMember whose `CampaignId` is `@{cq.records[0].Id}` and
 *   `Status` `@{sq.records[0].Label}` — references into the query results ("Composite Subrequest",
 *   REST API Developer Guide: the `[]` operator indexes a JSON collection). A missing or inactive
 *   campaign or an unknown status leaves the reference without a value, so Salesforce refuses the
 *   member subrequest instead of adding people to the wrong campaign; the query results say why.
 *   Salesforce itself would not refuse them: an unknown status is silently replaced by the
 *   campaign's default ("If the specified status value is not a valid campaign member status the
 *   API assigns the default campaign member status", SOAP API documentation of CampaignMember),
 *   and an inactive campaign still takes members through the API (IsActive only limits where users
 *   can pick it) — hence the guard, so SPEC §2's warning is given instead.
 * - No Status field when the rule names none: "there must be a default CampaignMemberStatus defined
 *   for every campaign" (Object Reference, CampaignMemberStatus `IsDefault`), and a member created
 *   without a status gets it.
 * - Already a member: Salesforce refuses the create with DUPLICATE_VALUE ("Already a campaign
 *   member."), which is exactly "left alone": not a warning.
 * Not retried: a membership that failed is a warning on a synced response; retrying the response
 * (admin API or Salesforce) adds it.
 */
export interface Member {
  campaign: RuleCampaign;
  object: 'Contact' | 'Lead';
  recordId: string;
  /** The responses that synced this person with this campaign (warned together). */
  responseIds: string[];
}

export type Warn = (responseIds: string[], message: string) => void;

const ALREADY_MEMBER = 'DUPLICATE_VALUE';

/** Units of subrequests adding `members` (deduplicated by campaign, status and person). */
export function campaignUnits(members: Member[], ref: (prefix: string) => string, warn: Warn): Unit[] {
  const byCampaign = new Map<string, Map<string, Member>>();
  for (const m of members) {
    const ck = `${m.campaign.campaignId}\u0000${m.campaign.status ?? ''}`;
    const people = byCampaign.get(ck) ?? new Map<string, Member>();
    byCampaign.set(ck, people);
    const pk = m.recordId.slice(0, 15);
    const same = people.get(pk);
    if (same) same.responseIds.push(...m.responseIds);
    else people.set(pk, { ...m, responseIds: [...m.responseIds] });
  }
  const units: Unit[] = [];
  for (const people of byCampaign.values()) {
    const list = [...people.values()];
    const { campaignId, status } = list[0].campaign;
    const queries = status === undefined ? 1 : 2;
    const chunksPerUnit = HEAVY_PER_COMPOSITE - queries;
    for (let start = 0; start < list.length; start += COLLECTION_LIMIT * chunksPerUnit) {
      units.push(unit(list.slice(start, start + COLLECTION_LIMIT * chunksPerUnit), campaignId, status, ref, warn));
    }
  }
  return units;
}

function unit(
  people: Member[],
  campaignId: string,
  status: string | undefined,
  ref: (prefix: string) => string,
  warn: Warn,
): Unit {
  const found: { campaign?: number; status?: number } = {};
  const count = (a: SubAnswer) =>
    'error' in a || a.status >= 400 ? undefined : ((a.body as { totalSize?: number }).totalSize ?? 0);
  const cq = ref('campaign');
  const sq = ref('status');
  const subs: Subrequest[] = [
    {
      referenceId: cq,
      method: 'GET',
      path: `/query?q=${encodeURIComponent(`SELECT Id FROM Campaign WHERE Id = ${soqlString(campaignId)} AND IsActive = true`)}`,
      done: (a) => {
        found.campaign = count(a);
      },
    },
  ];
  if (status !== undefined)
    subs.push({
      referenceId: sq,
      method: 'GET',
      path: `/query?q=${encodeURIComponent(`SELECT Label FROM CampaignMemberStatus WHERE CampaignId = ${soqlString(campaignId)} AND Label = ${soqlString(status)}`)}`,
      done: (a) => {
        found.status = count(a);
      },
    });
  for (let start = 0; start < people.length; start += COLLECTION_LIMIT) {
    const chunk = people.slice(start, start + COLLECTION_LIMIT);
    subs.push({
      referenceId: ref('members'),
      method: 'POST',
      path: '/composite/sobjects',
      body: {
        allOrNone: false,
        records: chunk.map((p) => ({
          attributes: { type: 'CampaignMember' },
          CampaignId: `@{${cq}.records[0].Id}`,
          [p.object === 'Contact' ? 'ContactId' : 'LeadId']: p.recordId,
          ...(status === undefined ? {} : { Status: `@{${sq}.records[0].Label}` }),
        })),
      },
      done: (a) => readMembers(a, chunk, campaignId, status, found, warn),
    });
  }
  return subs;
}

function readMembers(
  a: SubAnswer,
  chunk: Member[],
  campaignId: string,
  status: string | undefined,
  found: { campaign?: number; status?: number },
  warn: Warn,
): void {
  const all = (message: string) =>
    warn(
      chunk.flatMap((p) => p.responseIds),
      message,
    );
  if (found.campaign === 0) return all(`Campaign ${campaignId} does not exist or is not active: not added to it`);
  if (status !== undefined && found.status === 0)
    return all(`"${status}" is not a member status of campaign ${campaignId}: not added to it`);
  if ('error' in a) return all(`Campaign membership in ${campaignId} not confirmed: ${a.error.message}`);
  if (a.status >= 400) return all(`Not added to campaign ${campaignId}: ${subrequestError(a.status, a.body).message}`);
  const results = Array.isArray(a.body)
    ? (a.body as { success?: boolean; errors?: { statusCode?: string; message?: string }[] }[])
    : [];
  chunk.forEach((p, i) => {
    const r = results[i];
    if (!r) return warn(p.responseIds, `Campaign membership in ${campaignId} not confirmed: no result from Salesforce`);
    if (r.success) return;
    const e = r.errors?.[0];
    if (e?.statusCode === ALREADY_MEMBER) return;
    warn(
      p.responseIds,
      `Not added to campaign ${campaignId}: ${e?.statusCode ?? 'UNKNOWN_ERROR'}: ${e?.message ?? 'refused'}`,
    );
  });
}
