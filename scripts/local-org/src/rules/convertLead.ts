// Lead conversion as the platform does it (Salesforce Help "Convert Leads", "Map Custom Lead Fields
// for Lead Conversion"; Object Reference "Lead": IsConverted, ConvertedDate (a date),
// ConvertedAccountId, ConvertedContactId): an Account named after the Company (or a given one), a
// Contact carrying the Lead's person fields (or a given one, left as it is), and the Lead marked
// converted — after which the API refuses to update it (CANNOT_UPDATE_CONVERTED_LEAD).
import { applyCreate, nowIso } from '../dml';
import { CONVERTED_PERSON_FIELDS, type ObjectDef } from '../schema';
import type { Org, Rec, State } from '../state';
import { findById } from './references';

export interface ConvertOptions {
  contactId?: string;
  accountId?: string;
  /** YYYY-MM-DD; default today (UTC). */
  convertedDate?: string;
  convertedStatus?: string;
}

const obj = (org: Org, name: string): ObjectDef => org.catalogue.get(name.toLowerCase())!;

export function convertLead(state: State, org: Org, leadId: string, o: ConvertOptions): Rec {
  const lead = findById(state, org, obj(org, 'Lead'), leadId);
  if (!lead) throw new Error(`no Lead ${leadId}`);
  if (lead.IsConverted === true) throw new Error(`Lead ${leadId} is already converted`);
  let account = o.accountId ? findById(state, org, obj(org, 'Account'), o.accountId) : undefined;
  if (o.accountId && !account) throw new Error(`no Account ${o.accountId}`);
  account ??= applyCreate(state, org, obj(org, 'Account'), { Name: lead.Company ?? lead.LastName });
  let contact = o.contactId ? findById(state, org, obj(org, 'Contact'), o.contactId) : undefined;
  if (o.contactId && !contact) throw new Error(`no Contact ${o.contactId}`);
  if (!contact) {
    const values: Record<string, unknown> = { AccountId: account.Id };
    for (const k of CONVERTED_PERSON_FIELDS) if (lead[k] !== null && lead[k] !== undefined) values[k] = lead[k];
    contact = applyCreate(state, org, obj(org, 'Contact'), values);
  }
  const now = nowIso();
  Object.assign(lead, {
    IsConverted: true,
    Status: o.convertedStatus ?? 'Closed - Converted',
    ConvertedDate: o.convertedDate ?? now.slice(0, 10),
    ConvertedAccountId: account.Id,
    ConvertedContactId: contact.Id,
    LastModifiedDate: now,
    SystemModstamp: now,
    LastModifiedById: org.userId,
  });
  state.onChange();
  return lead;
}
