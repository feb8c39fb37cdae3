import { MATCH_FIELD, type TargetObject } from '../rules';
import type { ResponseWarning } from '../store/types';
import type { ObjectInfo } from './describe';
import { mapResponse, missingRequired, type MappedRecord } from './mapping';
import { findMatches, type EmailMatch } from './match';
import type { ResponsePayload } from './payload';
import type { SyncRule } from './settings';
import type { EngineContext, SyncOutcome } from './types';
import type { WriteOp } from './write';

export type OkRule = Extract<SyncRule, { ok: true }>;

export interface Work {
  payload: ResponsePayload;
  rule: OkRule;
  mapped?: MappedRecord;
}

/** One write and the responses it carries (in completion order). */
export interface PlannedWrite {
  op: WriteOp;
  owners: Work[];
  /** The rule of the first owner (a group shares object, email and rule kind). */
  rule: OkRule;
  /** Merged mapped values before create/update-only fields were left out (for a second attempt). */
  merged: Record<string, string | number | boolean>;
}

type Fields = Record<string, string | number | boolean>;

/**
 * Turns mapped responses into writes. Responses with the same email and target make ONE write,
 * their values merged in completion order (later answers win, empty ones never blank): an
 * existing record → one update; none → one create whose first response is "created" and the
 * later ones "updated". Responses without an email cannot be matched: each creates a record.
 * A Lead rule with `Converted_Lead__c = Update_Contact` whose email only has converted Leads
 * updates the Contact of the latest conversion instead (its mapped fields that Contact has).
 * Two groups updating one record (a Contact rule and a converted Lead's Contact) become one update.
 */
export async function plan(
  ctx: EngineContext,
  ready: Work[],
  infos: Map<TargetObject, ObjectInfo>,
  out: Map<string, SyncOutcome>,
): Promise<PlannedWrite[]> {
  const planned: PlannedWrite[] = [];
  const updates = new Map<string, PlannedWrite>();
  for (const object of new Set(ready.map((w) => w.rule.target))) {
    const mine = ready.filter((w) => w.rule.target === object);
    const conversions = mine.some((w) => w.rule.convertedLead === 'Update_Contact');
    const matches = await findMatches(
      ctx,
      object,
      mine.flatMap((w) => (w.mapped!.matchKey ? [w.mapped!.matchKey] : [])),
      conversions,
    );
    const groups = new Map<string, Work[]>();
    let anon = 0;
    for (const w of mine) {
      const m = w.mapped!.matchKey ? matches.get(w.mapped!.matchKey) : undefined;
      // A converted Lead's Contact only for rules that ask for it; the others create a new Lead.
      const usable = m && (!m.convertedLeadId || w.rule.convertedLead === 'Update_Contact');
      const key = `${w.rule.convertedLead}|${w.mapped!.matchKey ?? `\u0000${anon++}`}`;
      const k = usable ? key : `${key}|new`;
      groups.set(k, [...(groups.get(k) ?? []), w]);
    }
    for (const [k, group] of groups) {
      const m = k.endsWith('|new') ? undefined : matches.get(group[0].mapped!.matchKey ?? '');
      const target = m?.convertedLeadId ? remapForContact(group, infos.get('Contact')!, out) : group;
      if (target.length === 0) continue;
      const info = infos.get(m?.object ?? object)!;
      const merged: Fields = Object.fromEntries(target.flatMap((w) => Object.entries(w.mapped!.fields)));
      if (!m) {
        const missing = missingRequired(target[0].rule, merged);
        if (missing) {
          for (const w of target) out.set(w.payload.responseId, missing);
          continue;
        }
        planned.push({
          op: { object, kind: 'create', fields: fitFields(info, 'create', merged, target) },
          owners: target,
          rule: target[0].rule,
          merged,
        });
        continue;
      }
      // The match field of an update equals the record's value up to case: leave the record's spelling.
      delete merged[MATCH_FIELD];
      const key = `${m.object}|${m.id.slice(0, 15)}`;
      const same = updates.get(key);
      if (same) {
        Object.assign(same.merged, merged);
        same.owners.push(...target);
        same.op.fields = fitFields(info, 'update', same.merged, same.owners);
        continue;
      }
      const p: PlannedWrite = {
        op: { object: m.object, kind: 'update', id: m.id, fields: fitFields(info, 'update', merged, target) },
        owners: target,
        rule: target[0].rule,
        merged,
      };
      updates.set(key, p);
      planned.push(p);
    }
  }
  return planned;
}

/**
 * Fields writable only on create (or only on update) are left out of the other operation, with a
 * warning on each response carrying them.
 */
export function fitFields(info: ObjectInfo, kind: 'create' | 'update', merged: Fields, owners: Work[]): Fields {
  const fields: Fields = {};
  for (const [name, value] of Object.entries(merged)) {
    const f = info.fields.get(name.toLowerCase());
    if (f && !(kind === 'create' ? f.createable : f.updateable)) {
      const message = `${name} is not ${kind === 'create' ? 'createable' : 'updateable'}; left out of the ${kind}`;
      for (const w of owners) addWarning(w.mapped!.warnings, { code: 'FIELD_NOT_WRITTEN', message });
      continue;
    }
    fields[name] = value;
  }
  return fields;
}

/**
 * A Lead rule's responses re-mapped onto Contact (SPEC §2 "Converted Leads"): the mapped fields
 * that exist and are writable on Contact (Contact describe), converted by Contact's field types;
 * the others are left out and named in a warning. A response whose value Contact refuses fails.
 */
function remapForContact(group: Work[], contact: ObjectInfo, out: Map<string, SyncOutcome>): Work[] {
  const rule = group[0].rule;
  const kept = rule.mappings.filter((m) => contact.fields.get(m.targetField.toLowerCase())?.updateable === true);
  const skipped = rule.mappings.filter((m) => !kept.includes(m)).map((m) => m.targetField);
  const contactRule: OkRule = { ...rule, target: 'Contact', mappings: kept };
  const result: Work[] = [];
  for (const w of group) {
    const mapped = mapResponse(contactRule, contact, w.payload);
    if ('status' in mapped) {
      out.set(w.payload.responseId, mapped);
      continue;
    }
    mapped.matchKey = w.mapped!.matchKey;
    if (skipped.length > 0)
      mapped.warnings.push({
        code: 'FIELD_NOT_WRITTEN',
        message: `The Lead with this email was converted: the Contact it became was updated; ${skipped.join(', ')} ${skipped.length === 1 ? 'is not a writable Contact field' : 'are not writable Contact fields'} and ${skipped.length === 1 ? 'was' : 'were'} left out`,
      });
    result.push({ ...w, mapped });
  }
  return result;
}

export function addWarning(list: ResponseWarning[], w: ResponseWarning): void {
  if (!list.some((x) => x.code === w.code && x.message === w.message)) list.push(w);
}

export type { EmailMatch };
