// The org's users as the standard User object (Object Reference "User"). Each org has one user: the
// one the OAuth flow logs in as (org.username, org.userId, key prefix 005). Its User record is the one
// source of the person's names and email: SOQL and retrieve read it, and so do the identity URL and
// UserInfo endpoints ("Identity URLs", "UserInfo Endpoint", Salesforce Help).
import { nowIso } from '../dml';
import { sameId } from '../ids';
import type { Org, Rec } from '../state';

const TABLE = 'user';

/** The login user's record, created with the org (and for snapshots written before User existed). */
export function ensureOrgUser(org: Org): Rec {
  let table = org.records.get(TABLE);
  if (!table) {
    table = new Map();
    org.records.set(TABLE, table);
  }
  for (const rec of table.values()) if (sameId(rec.Id, org.userId)) return rec;
  const now = nowIso();
  const rec: Rec = {
    Id: org.userId,
    Username: org.username,
    FirstName: 'Admin',
    LastName: 'User',
    Name: 'Admin User',
    Email: org.username,
    IsActive: true,
    CreatedDate: now,
    CreatedById: org.userId,
    LastModifiedDate: now,
    LastModifiedById: org.userId,
    SystemModstamp: now,
  };
  table.set(rec.Id, rec);
  return rec;
}
