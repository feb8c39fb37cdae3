// Pure helpers of a sync rule's matching options (no DOM): the rule's saved values with the defaults
// of SPEC §3, the UI validation in the same words as Apex (CredSparkMatchingValidator; both from the
// shared rules), and the RuleInput fields Apex expects.
import { MATCHING_OPTIONS } from 'c/credsparkRuleOptions';

const { duplicateHandling, convertedLead, campaign, messages } = MATCHING_OPTIONS;

/** Fills {0}, {1}… like Apex String.format. */
export const format = (template, ...args) => template.replace(/\{(\d+)\}/g, (m, i) => String(args[Number(i)]));

/** Whether the "When the Lead was converted" option applies to this object. */
export const appliesConvertedLead = (targetObject) => convertedLead.targetObjects.includes(targetObject);

/** The options as saved on the rule, or their defaults for a new rule (empty = default). */
export function fromRule(rule) {
    return {
        duplicateHandling: (rule && rule.duplicateHandling) || duplicateHandling.default,
        convertedLead: (rule && rule.convertedLead) || convertedLead.default,
        campaignId: (rule && rule.campaignId) || null,
        campaignStatus: (rule && rule.campaignStatus) || null
    };
}

/**
 * Problems with the chosen campaign. `detail` is getCampaign's answer: undefined while loading
 * (nothing to say yet), null when the campaign does not exist or is not visible.
 */
export function campaignErrors(campaignId, campaignStatus, detail) {
    if (!campaignId) return campaignStatus ? [messages.statusWithoutCampaign] : [];
    if (!new RegExp(`^${campaign.idPrefix}[A-Za-z0-9]{12}([A-Za-z0-9]{3})?$`).test(campaignId)) {
        return [messages.campaignInvalid];
    }
    if (detail === undefined) return [];
    if (detail === null) return [messages.campaignNotFound];
    const errors = [];
    const name = detail.campaign.name;
    if (!detail.isActive) errors.push(format(messages.campaignInactive, name));
    if (campaignStatus && !detail.statuses.some((s) => s.label === campaignStatus)) {
        errors.push(format(messages.statusUnknown, campaignStatus, name));
    }
    return errors;
}

/** The matching fields of the RuleInput (CredSparkSetupModels.RuleInput). */
export function toMatchingInput(targetObject, matching) {
    const m = matching || fromRule(null);
    return {
        duplicateHandling: m.duplicateHandling,
        convertedLead: appliesConvertedLead(targetObject) ? m.convertedLead : null,
        campaignId: m.campaignId || null,
        campaignStatus: m.campaignId ? m.campaignStatus || null : null
    };
}

/** Radio options in the admin's words. */
export const DUPLICATE_OPTIONS = duplicateHandling.values;
export const CONVERTED_LEAD_OPTIONS = convertedLead.values;
