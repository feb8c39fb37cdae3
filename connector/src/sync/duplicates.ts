import type { TargetObject } from '../rules';

/**
 * Reading the duplicate result of a create refused by the org's duplicate rules.
 *
 * Shapes (SOAP API Developer Guide, "DuplicateError", "DuplicateResult", "MatchResult",
 * "MatchRecord"; the REST API returns the same objects as JSON in a collection result's `errors`):
 *   errors: [{ statusCode: 'DUPLICATES_DETECTED', message, fields: [],
 *              duplicateResult: { allowSave, duplicateRule, duplicateRuleEntityType, errorMessage,
 *                matchResults: [{ entityType, matchEngine, rule, size, success, errors,
 *                  matchRecords: [{ matchConfidence, fieldDiffs, additionalInformation,
 *                                   record: { attributes: { type, url }, Id } }] }] } }]
 * https://developer.salesforce.com/docs/platform/api/guide/sforce-api-objects-duplicateresult.html
 * https://developer.salesforce.com/docs/platform/api/guide/sforce-api-objects-matchresult.html
 * One duplicate rule may hold several matching rules (one MatchResult each), and a matching rule
 * may compare against another object (a Lead rule matching Contacts): each match carries its type.
 */
export interface DuplicateMatch {
  object: string;
  id: string;
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json | undefined => (typeof v === 'object' && v !== null ? (v as Json) : undefined);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** Every distinct record the duplicate result names, with its object; [] when none is readable. */
export function duplicateMatches(duplicateResult: unknown): DuplicateMatch[] {
  const seen = new Map<string, DuplicateMatch>();
  for (const mr of arr(obj(duplicateResult)?.matchResults)) {
    const m = obj(mr);
    if (!m || m.success === false) continue;
    for (const rec of arr(m.matchRecords)) {
      const record = obj(obj(rec)?.record);
      const id = record?.Id ?? record?.id;
      if (typeof id !== 'string' || id === '') continue;
      const type = obj(record?.attributes)?.type ?? m.entityType;
      const object = typeof type === 'string' ? type : 'unknown';
      // 15- and 18-character forms of one Id name the same record.
      seen.set(id.slice(0, 15), { object, id });
    }
  }
  return [...seen.values()];
}

export type DuplicateDecision = { update: string } | { fail: string };

/**
 * SPEC §2 "Duplicate rules" with `Update_Match`: exactly one matching record of the target object
 * → update it; several, none readable, or a record of another object → fail with Salesforce's
 * message (and what was found, so the admin knows why it was not updated).
 */
export function decideDuplicate(target: TargetObject, matches: DuplicateMatch[], message: string): DuplicateDecision {
  if (matches.length === 1 && matches[0].object.toLowerCase() === target.toLowerCase())
    return { update: matches[0].id };
  if (matches.length === 0) return { fail: `${message} (the duplicate rule named no record to update)` };
  if (matches.length > 1)
    return { fail: `${message} (the duplicate rules matched ${matches.length} records: not updating any of them)` };
  return { fail: `${message} (the match is a ${matches[0].object}, not a ${target}: not updated)` };
}
