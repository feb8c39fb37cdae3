// Control endpoints for the org features the sync depends on (see README "Control endpoints"):
// duplicate rules, the API allocation, campaigns and their member statuses, Lead conversion.
import type express from 'express';
import { z } from 'zod';
import { applyCreate } from './dml';
import { addMemberStatuses, memberStatuses } from './rules/campaigns';
import { convertLead } from './rules/convertLead';
import { DEFAULT_MESSAGES, defaultRuleName, type DuplicateRule } from './rules/duplicates';
import { findById } from './rules/references';
import type { Org, Rec, State } from './state';

const person = z.enum(['Contact', 'Lead']);
const DupRule = z
  .object({
    object: person,
    action: z.enum(['block', 'alert']).nullable(),
    match: z.enum(['email', 'name', 'email_or_name', 'email_and_name']).optional(),
    compareWith: person.optional(),
    name: z
      .string()
      .regex(/^\w{1,80}$/)
      .optional(),
    onEdit: z.boolean().optional(),
    errorMessage: z.string().min(1).max(255).optional(),
  })
  .strict();
const ApiUsage = z
  .object({ used: z.number().int().min(0).optional(), max: z.number().int().positive().optional() })
  .strict();
/** A date field's value as the REST API takes it (YYYY-MM-DD). */
const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const StatusSpec = z
  .object({ label: z.string().min(1).max(40), isDefault: z.boolean().optional(), hasResponded: z.boolean().optional() })
  .strict();
const CampaignBody = z
  .object({
    name: z.string().min(1).max(80),
    isActive: z.boolean().optional(),
    status: z.string().optional(),
    type: z.string().optional(),
    startDate: IsoDate.optional(),
    endDate: IsoDate.optional(),
    memberStatuses: z.array(StatusSpec).optional(),
  })
  .strict();
const ConvertBody = z
  .object({
    contactId: z.string().optional(),
    accountId: z.string().optional(),
    convertedDate: IsoDate.optional(),
    convertedStatus: z.string().optional(),
  })
  .strict();

const statusOut = (r: Rec) => ({
  id: r.Id,
  label: r.Label,
  isDefault: r.IsDefault === true,
  hasResponded: r.HasResponded === true,
  sortOrder: r.SortOrder,
});
const usage = (org: Org) => ({ used: org.apiUsed, max: org.dailyApiLimit });

export function featureControls(
  r: express.Router,
  state: State,
  orgOr404: (req: express.Request, res: express.Response) => Org | undefined,
  bad: (res: express.Response, msg: string, status?: number) => unknown,
): void {
  const parse = <T>(schema: z.ZodType<T>, req: express.Request, res: express.Response): T | undefined => {
    const p = schema.safeParse(req.body ?? {});
    if (!p.success) bad(res, z.prettifyError(p.error));
    return p.success ? p.data : undefined;
  };

  // Duplicate rules: one per name; action null removes the object's rules (or only `name`).
  r.post('/orgs/:orgId/duplicate-rule', (req, res) => {
    const org = orgOr404(req, res);
    const b = org && parse(DupRule, req, res);
    if (!org || !b) return;
    const compareWith = b.compareWith ?? b.object;
    const name = b.name ?? defaultRuleName(b.object, compareWith);
    if (!b.action) {
      org.duplicateRules = org.duplicateRules.filter((x) => x.object !== b.object || (b.name && x.name !== b.name));
    } else {
      const rule: DuplicateRule = {
        name,
        object: b.object,
        action: b.action,
        match: b.match ?? 'email',
        compareWith,
        onEdit: b.onEdit ?? true,
        errorMessage: b.errorMessage ?? DEFAULT_MESSAGES[b.action],
      };
      org.duplicateRules = [...org.duplicateRules.filter((x) => x.name !== name), rule];
    }
    state.onChange();
    res.json({ duplicateRules: org.duplicateRules });
  });

  // The org's daily API allocation: how much is used (by everyone) and the maximum.
  r.get('/orgs/:orgId/api-usage', (req, res) => {
    const org = orgOr404(req, res);
    if (org) res.json(usage(org));
  });
  r.post('/orgs/:orgId/api-usage', (req, res) => {
    const org = orgOr404(req, res);
    const b = org && parse(ApiUsage, req, res);
    if (!org || !b) return;
    if (b.used !== undefined) org.apiUsed = b.used;
    if (b.max !== undefined) org.dailyApiLimit = b.max;
    state.onChange();
    res.json(usage(org));
  });

  r.post('/orgs/:orgId/campaigns', (req, res) => {
    const org = orgOr404(req, res);
    const b = org && parse(CampaignBody, req, res);
    if (!org || !b) return;
    const campaign = applyCreate(state, org, org.catalogue.get('campaign')!, {
      Name: b.name,
      IsActive: b.isActive ?? false,
      Status: b.status ?? null,
      Type: b.type ?? null,
      StartDate: b.startDate ?? null,
      EndDate: b.endDate ?? null,
    });
    if (b.memberStatuses) addMemberStatuses(state, org, campaign.Id, b.memberStatuses);
    res.status(201).json({ id: campaign.Id, statuses: memberStatuses(state, org, campaign.Id).map(statusOut) });
  });
  r.post('/orgs/:orgId/campaigns/:campaignId/member-statuses', (req, res) => {
    const org = orgOr404(req, res);
    if (!org) return;
    const specs = z
      .array(StatusSpec)
      .min(1)
      .safeParse(Array.isArray(req.body) ? req.body : [req.body]);
    if (!specs.success) return void bad(res, z.prettifyError(specs.error));
    const campaign = findById(state, org, org.catalogue.get('campaign')!, String(req.params.campaignId));
    if (!campaign) return void bad(res, `no Campaign ${req.params.campaignId}`, 404);
    addMemberStatuses(state, org, campaign.Id, specs.data);
    res.json({ statuses: memberStatuses(state, org, campaign.Id).map(statusOut) });
  });

  r.post('/orgs/:orgId/leads/:leadId/convert', (req, res) => {
    const org = orgOr404(req, res);
    const b = org && parse(ConvertBody, req, res);
    if (!org || !b) return;
    try {
      const lead = convertLead(state, org, String(req.params.leadId), b);
      res.json({
        leadId: lead.Id,
        contactId: lead.ConvertedContactId,
        accountId: lead.ConvertedAccountId,
        convertedDate: lead.ConvertedDate,
      });
    } catch (e) {
      bad(res, (e as Error).message);
    }
  });
}
