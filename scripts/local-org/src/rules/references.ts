// Lookup (reference) values on create and update, checked the way Salesforce reports them:
// not an id at all → MALFORMED_ID; an id of another object → FIELD_INTEGRITY_EXCEPTION; an id of the
// right object that no record has → INVALID_CROSS_REFERENCE_KEY, or ENTITY_IS_DELETED when the record
// was deleted (Salesforce Help 000387915 "Errors due to invalid IDs during Data Loader import and
// update"; salto.io "Demystifying 'Invalid Cross Reference Id' errors in Salesforce", which tried each
// case against an org). On delete, custom lookups are cleared (the package's lookups are
// deleteConstraint SetNull) and campaign members of a deleted person or campaign go with it.
import type { DmlError } from '../dml';
import { textOf } from '../text';
import { caseSafeSuffix, isId, sameId } from '../ids';
import type { FieldDef, ObjectDef } from '../schema';
import type { Org, Rec, State } from '../state';

export function findById(state: State, org: Org, obj: ObjectDef, id: string): Rec | undefined {
  const table = state.table(org, obj);
  // Records are keyed by their 18-character id: look that up first, scan only when it misses.
  const direct = table.get(id.length === 15 ? id + caseSafeSuffix(id) : id);
  if (direct) return direct;
  for (const [rid, rec] of table) if (sameId(rid, id)) return rec;
  return undefined;
}

/** Checks one reference value; on success returns the target's 18-character id to store. */
export function checkReference(
  state: State,
  org: Org,
  f: FieldDef,
  v: unknown,
): { error?: DmlError; id?: string | null } {
  if (v === null || v === undefined || v === '') return { id: null };
  const targets = f.referenceTo.map((n) => org.catalogue.get(n.toLowerCase())).filter((o) => !!o);
  // A reference to an object the local org does not model (User, Opportunity): stored as given.
  if (!targets.length) return { id: textOf(v) };
  const s = textOf(v);
  const wrongType = (code: string): DmlError => ({
    statusCode: code,
    message: `${f.label}: id value of incorrect type: ${s}`,
    fields: [f.name],
  });
  if (!isId(s)) return { error: wrongType('MALFORMED_ID') };
  const target = targets.find((o) => s.startsWith(o.keyPrefix));
  if (!target) return { error: wrongType('FIELD_INTEGRITY_EXCEPTION') };
  const rec = findById(state, org, target, s);
  if (rec) return { id: rec.Id };
  if (org.deletedIds.has(s.slice(0, 15)))
    return { error: { statusCode: 'ENTITY_IS_DELETED', message: 'entity is deleted', fields: [f.name] } };
  return {
    error: { statusCode: 'INVALID_CROSS_REFERENCE_KEY', message: 'invalid cross reference id', fields: [f.name] },
  };
}

/** What deleting a record does to the records that point at it. */
export function afterDelete(state: State, org: Org, deleted: Rec): void {
  org.deletedIds.add(deleted.Id.slice(0, 15));
  for (const obj of org.catalogue.values()) {
    const refs = obj.fields.filter((x) => x.type === 'reference' && x.custom && !obj.isMetadata);
    const cascade = obj.name === 'CampaignMember' || obj.name === 'CampaignMemberStatus';
    const parents = cascade ? obj.fields.filter((x) => ['CampaignId', 'ContactId', 'LeadId'].includes(x.name)) : [];
    if (!refs.length && !parents.length) continue;
    const table = state.table(org, obj);
    for (const [id, rec] of [...table]) {
      const points = (x: FieldDef) => typeof rec[x.name] === 'string' && sameId(rec[x.name] as string, deleted.Id);
      if (parents.some(points)) {
        table.delete(id);
        org.deletedIds.add(id.slice(0, 15));
        continue;
      }
      for (const x of refs) if (points(x)) rec[x.name] = null;
    }
  }
}
