import type { TargetObject } from '../rules';
import { sendUnits, subrequestError, type Unit } from './composite';
import type { EngineContext } from './types';

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
 *
 * Where the result is: sObject Collections answer a blocked record with `{statusCode:
 * 'DUPLICATES_DETECTED', message, fields: []}` and NO duplicate result (REST API Developer Guide,
 * "Create Records Using sObject Collections" response examples); a single-record create (also as a
 * composite subrequest) answers `[{errorCode: 'DUPLICATES_DETECTED', message, duplicateResut: {…}}]`
 * — the key spelled "duplicateResut" on the wire in production answers of API 37.0–54.0 (quoted in
 * client libraries' tests), `duplicateResult` accepted too. So a create blocked in a collection is
 * sent again alone (probeDuplicates) to learn what it matched: the rule blocks it again (nothing is
 * written), and the answer names the records.
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

/** The duplicate result of one REST error object, under either spelling. */
export function duplicateResultOf(error: unknown): unknown {
  const e = obj(error);
  return e?.duplicateResult ?? e?.duplicateResut;
}

export type Probe =
  | { created: string }
  | { duplicates: DuplicateMatch[]; message: string }
  | { failed: { code: string; message: string; retryable: boolean; retryAfterMs?: number } };

/**
 * Sends each blocked create alone (`POST /sobjects/{object}`, single-record subrequests: up to 25 a
 * composite call, none counting against its 5 collections) with the same duplicate-rule header,
 * to read the duplicate result collections leave out. A create that now passes (the matching record
 * changed meanwhile) is simply created.
 */
export async function probeDuplicates(
  ctx: EngineContext,
  creates: { object: TargetObject; fields: Record<string, unknown> }[],
  headers: Record<string, string>,
): Promise<Probe[]> {
  const probes = new Array<Probe>(creates.length);
  const units: Unit[] = creates.map((c, i) => [
    {
      referenceId: `probe${i}`,
      method: 'POST',
      path: `/sobjects/${c.object}`,
      body: c.fields,
      httpHeaders: headers,
      done: (a) => {
        probes[i] = readProbe(a);
      },
    },
  ]);
  await sendUnits(ctx, units, 'duplicate probe');
  return probes;
}

function readProbe(a: Parameters<Unit[number]['done']>[0]): Probe {
  if ('error' in a) {
    // Sent as a plain call: jsforce threw, keeping Salesforce's error object.
    const e = obj(a.body);
    if (a.error.code === 'DUPLICATES_DETECTED' && e)
      return { duplicates: duplicateMatches(duplicateResultOf(e)), message: a.error.message };
    return { failed: a.error };
  }
  if (a.status < 300) {
    const id = obj(a.body)?.id;
    if (typeof id === 'string') return { created: id };
  }
  const e = obj(Array.isArray(a.body) ? (a.body as unknown[])[0] : a.body);
  const code = e?.errorCode ?? e?.statusCode;
  if (code === 'DUPLICATES_DETECTED')
    return {
      duplicates: duplicateMatches(duplicateResultOf(e)),
      message: typeof e?.message === 'string' ? e.message : 'Duplicates detected',
    };
  return { failed: subrequestError(a.status, a.body) };
}
