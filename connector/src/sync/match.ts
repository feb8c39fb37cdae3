import type { TargetObject } from '../rules';
import { queryAll } from '../salesforce/calls';
import { soqlInLists } from '../salesforce/soql';
import type { EngineContext } from './types';

/**
 * Finds existing records by email: one SOQL query per target object for the whole batch,
 * chunked so each GET URL stays under the ~16 KB limit (soqlInLists). SOQL string comparison is
 * case-insensitive ("Comparison Operators", SOQL reference), and we compare lower-cased keys too.
 * Leads: only unconverted ones (converted Leads cannot be updated — CANNOT_UPDATE_CONVERTED_LEAD).
 * Several matches → the most recently modified (ORDER BY LastModifiedDate DESC, first wins).
 * Every page is followed (queryAll), so no match is ever truncated away.
 */
export async function matchByEmail(
  ctx: EngineContext,
  object: TargetObject,
  emails: Iterable<string>,
): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const unique = [...new Set([...emails].map((e) => e.trim().toLowerCase()).filter((e) => e !== ''))];
  const extra = object === 'Lead' ? ' AND IsConverted = false' : '';
  for (const list of soqlInLists(unique)) {
    const soql = `SELECT Id, Email, LastModifiedDate FROM ${object} WHERE Email IN ${list}${extra} ORDER BY LastModifiedDate DESC, Id DESC`;
    const rows = await queryAll<{ Id: string; Email: string | null; LastModifiedDate: string }>(ctx, soql);
    for (const r of rows) {
      if (!r.Email) continue;
      const key = r.Email.trim().toLowerCase();
      if (!found.has(key)) found.set(key, r.Id);
    }
  }
  return found;
}
