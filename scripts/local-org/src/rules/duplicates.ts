// Duplicate rules on Contact and Lead (Salesforce Help "Duplicate Rules", "Matching Rules"): a rule
// on an object runs one matching rule against records of the same object or of one other object
// (e.g. Leads that duplicate Contacts), on create and — with "Action On Edit" — on update. Block
// refuses the save; Alert refuses it through the API unless the request says
// `Sforce-Duplicate-Rule-Header: allowSave=true` (REST API Developer Guide "Duplicate Rule Header").
// Matching is exact and case-insensitive on the chosen fields; blank values never match
// (MatchBlank = false, as in the standard matching rules). Records are compared with those saved
// before the request, not with others of the same collection request.
//
// What the refusal looks like depends on the resource, as Salesforce's own answers show:
// - a single-record create/update (and the same subrequest inside /composite) answers
//   `[{duplicateResut: {...}, errorCode: 'DUPLICATES_DETECTED', message}]` — the key really is
//   spelled "duplicateResut" on the wire (production answers of API 37.0–54.0 quoted in
//   gitlab-org/customers-gitlab-com#7138 and in several client libraries' code and tests);
// - sObject Collections answer per record `{statusCode: 'DUPLICATES_DETECTED', message, fields: []}`,
//   without the duplicate result (REST API Developer Guide "Create Records Using sObject
//   Collections" and "allOrNone Parameters in Composite and Collections Requests", response examples).
// The DuplicateResult itself follows the SOAP API Developer Guide "DuplicateResult", "MatchResult",
// "MatchRecord": {allowSave, duplicateRule, duplicateRuleEntityType, errorMessage, matchResults:
// [{entityType, errors, matchEngine, matchRecords: [{additionalInformation, fieldDiffs,
// matchConfidence, record: {attributes: {type, url}, Id}}], rule, size, success}]}.
import type { DmlError } from '../dml';
import { sameId } from '../ids';
import type { ObjectDef } from '../schema';
import type { Org, Rec, State } from '../state';

export type PersonObject = 'Contact' | 'Lead';
export type DuplicateMatch = 'email' | 'name' | 'email_or_name' | 'email_and_name';

export interface DuplicateRule {
  /** Developer name, e.g. Standard_Contact_Duplicate_Rule. */
  name: string;
  object: PersonObject;
  action: 'block' | 'alert';
  match: DuplicateMatch;
  /** The object whose records are searched for matches. */
  compareWith: PersonObject;
  /** Also run on updates ("Action On Edit"). */
  onEdit: boolean;
  errorMessage: string;
}

/** Salesforce's standard names (Setup → Duplicate Rules / Matching Rules in a new org). */
export function defaultRuleName(object: PersonObject, compareWith: PersonObject): string {
  return object === compareWith
    ? `Standard_${object}_Duplicate_Rule`
    : `Standard_Rule_for_${object}s_with_Duplicate_${compareWith}s`;
}
const MATCH_RULE: Record<PersonObject, string> = {
  Contact: 'Standard_Contact_Match_Rule_v1_1',
  Lead: 'Standard_Lead_Match_Rule_v1_0',
};
export const DEFAULT_MESSAGES = {
  block: "You're creating a duplicate record. We recommend you use an existing record instead.",
  alert: 'Use one of these records?',
};

const text = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim().toLowerCase() : undefined);

function matches(rule: DuplicateRule, saved: Record<string, unknown>, other: Rec): boolean {
  const email = text(saved.Email) !== undefined && text(saved.Email) === text(other.Email);
  const name =
    text(saved.LastName) !== undefined &&
    text(saved.FirstName) !== undefined &&
    text(saved.FirstName) === text(other.FirstName) &&
    text(saved.LastName) === text(other.LastName);
  switch (rule.match) {
    case 'email':
      return email;
    case 'name':
      return name;
    case 'email_or_name':
      return email || name;
    case 'email_and_name':
      return email && name;
  }
}

export interface DuplicateRefusal {
  error: DmlError;
  duplicateResult: Record<string, unknown>;
}

/** The first of the object's active rules that finds matches, as Salesforce reports it; undefined when the save may go on. */
export function checkDuplicates(
  state: State,
  org: Org,
  obj: ObjectDef,
  values: Record<string, unknown>,
  existing: Rec | undefined,
  opts: { allowSave: boolean; version: string; sameRequest?: Set<string> },
): DuplicateRefusal | undefined {
  const saved = { ...(existing ?? {}), ...values };
  for (const rule of org.duplicateRules) {
    if (rule.object !== obj.name || (existing && !rule.onEdit)) continue;
    const other = org.catalogue.get(rule.compareWith.toLowerCase());
    if (!other) continue;
    const found = [...state.table(org, other).values()]
      .filter(
        (r) => !(existing && sameId(r.Id, existing.Id)) && !opts.sameRequest?.has(r.Id) && matches(rule, saved, r),
      )
      .sort((a, b) => (a.Id < b.Id ? -1 : 1));
    if (!found.length) continue;
    if (rule.action === 'alert' && opts.allowSave) continue;
    const duplicateResult = {
      allowSave: rule.action === 'alert',
      duplicateRule: rule.name,
      duplicateRuleEntityType: obj.name,
      errorMessage: rule.errorMessage,
      matchResults: [
        {
          entityType: other.name,
          errors: [],
          matchEngine: 'FuzzyMatchEngine',
          matchRecords: found.map((m) => ({
            additionalInformation: [],
            fieldDiffs: [],
            matchConfidence: 100.0,
            record: {
              attributes: { type: other.name, url: `/services/data/v${opts.version}/sobjects/${other.name}/${m.Id}` },
              Id: m.Id,
            },
          })),
          rule: MATCH_RULE[rule.compareWith],
          size: found.length,
          success: true,
        },
      ],
    };
    return {
      error: { statusCode: 'DUPLICATES_DETECTED', message: rule.errorMessage, fields: [] },
      duplicateResult,
    };
  }
  return undefined;
}

/** The rule the control API sets when only an object and an action are given: same object, by email. */
export function emailRule(object: PersonObject, action: 'block' | 'alert'): DuplicateRule {
  return {
    name: defaultRuleName(object, object),
    object,
    action,
    match: 'email',
    compareWith: object,
    onEdit: true,
    errorMessage: DEFAULT_MESSAGES[action],
  };
}
