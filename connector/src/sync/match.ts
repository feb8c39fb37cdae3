import type { TargetObject } from '../rules';
import { queryAll } from '../salesforce/calls';
import { soqlInLists } from '../salesforce/soql';
import { parseSalesforceDateTime } from './settings';
import type { EngineContext } from './types';

/** The record an email leads to: a record of the rule's object, or the Contact a Lead became. */
export interface EmailMatch {
  object: TargetObject;
  id: string;
  /** Set when the match is the Contact of a converted Lead (SPEC §2 "Converted Leads"). */
  convertedLeadId?: string;
}

interface Row {
  Id: string;
  Email: string | null;
  LastModifiedDate: string;
  IsConverted?: boolean | null;
  ConvertedContactId?: string | null;
  ConvertedDate?: string | null;
}

/**
 * Finds existing records by email: one SOQL query per target object for the whole batch,
 * chunked so each GET URL stays under the ~16 KB limit (soqlInLists). SOQL string comparison is
 * case-insensitive ("Comparison Operators", SOQL reference), and we compare lower-cased keys too.
 * Every page is followed (queryAll), so no match is ever truncated away.
 *
 * Several records with one email (no duplicate rule stops that): the most recently modified
 * wins, then the greatest Id — `ORDER BY LastModifiedDate DESC, Id DESC`, first row per email —
 * so the same data always updates the same record.
 *
 * Leads: only unconverted ones are updated (a converted Lead refuses updates:
 * CANNOT_UPDATE_CONVERTED_LEAD). With `convertedContacts` (a Lead rule with
 * `Converted_Lead__c = Update_Contact`) converted Leads are read too, in the same query: when an
 * email's only Leads are converted, the match is the Contact of the most recent conversion
 * (pickConversion).
 */
export async function findMatches(
  ctx: EngineContext,
  object: TargetObject,
  emails: Iterable<string>,
  convertedContacts = false,
): Promise<Map<string, EmailMatch>> {
  const unique = [...new Set([...emails].map((e) => e.trim().toLowerCase()).filter((e) => e !== ''))];
  const withConversions = object === 'Lead' && convertedContacts;
  const fields = withConversions
    ? 'Id, Email, LastModifiedDate, IsConverted, ConvertedContactId, ConvertedDate'
    : 'Id, Email, LastModifiedDate';
  const extra = object === 'Lead' && !withConversions ? ' AND IsConverted = false' : '';
  const byEmail = new Map<string, Row[]>();
  for (const list of soqlInLists(unique)) {
    const soql = `SELECT ${fields} FROM ${object} WHERE Email IN ${list}${extra} ORDER BY LastModifiedDate DESC, Id DESC`;
    for (const r of await queryAll<Row>(ctx, soql)) {
      if (!r.Email) continue;
      const key = r.Email.trim().toLowerCase();
      byEmail.set(key, [...(byEmail.get(key) ?? []), r]);
    }
  }
  const found = new Map<string, EmailMatch>();
  for (const [key, rows] of byEmail) {
    const open = rows.find((r) => r.IsConverted !== true);
    if (open) found.set(key, { object, id: open.Id });
    else if (withConversions) {
      const lead = pickConversion(rows);
      if (lead) found.set(key, { object: 'Contact', id: lead.ConvertedContactId!, convertedLeadId: lead.Id });
    }
  }
  return found;
}

/** The unconverted record per email (Ids only): see findMatches. */
export async function matchByEmail(
  ctx: EngineContext,
  object: TargetObject,
  emails: Iterable<string>,
): Promise<Map<string, string>> {
  const found = await findMatches(ctx, object, emails);
  return new Map([...found].map(([k, m]) => [k, m.id]));
}

/**
 * SPEC §2: the Contact "the most recently converted one became" — latest ConvertedDate (a Date),
 * then latest LastModifiedDate, then greatest Id. Leads converted without a Contact (ConvertedContactId
 * empty: converted to an Account only) are passed over.
 */
export function pickConversion<
  T extends Pick<Row, 'Id' | 'LastModifiedDate' | 'ConvertedContactId' | 'ConvertedDate' | 'IsConverted'>,
>(rows: T[]): T | undefined {
  const time = (s: string | null | undefined) =>
    s ? parseSalesforceDateTime(s.length === 10 ? `${s}T00:00:00Z` : s).getTime() : -Infinity;
  return rows
    .filter((r) => r.IsConverted === true && typeof r.ConvertedContactId === 'string' && r.ConvertedContactId !== '')
    .sort(
      (a, b) =>
        time(b.ConvertedDate) - time(a.ConvertedDate) ||
        time(b.LastModifiedDate) - time(a.LastModifiedDate) ||
        (a.Id < b.Id ? 1 : a.Id > b.Id ? -1 : 0),
    )[0];
}
