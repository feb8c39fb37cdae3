/**
 * What the connector remembers about Salesforce-side sync health (SPEC §3b):
 * - which responses have a CredSpark_Response__c record (in `Failures` mode a response keeps its
 *   record up to date once it has one — a flag on the response row, pruned with it);
 * - the retry-request poll turn of each org: `Retry_Requested__c` is looked for at most once per
 *   RETRY_REQUEST_POLL_SECONDS per org, by whichever instance takes the turn first.
 */
export interface OrgWithFailures {
  orgId: string;
  /** Connected accounts of the org that have failed responses (the poll calls through the first). */
  accountIds: string[];
}

export interface ResponseRecordStore {
  /** Of `responseIds`, those of the account that have a CredSpark_Response__c record. */
  responsesWithRecord(accountId: string, responseIds: string[]): Promise<Set<string>>;
  /** Marks the responses as having a record (after Salesforce accepted the upsert). */
  markResponseRecords(accountId: string, responseIds: string[]): Promise<void>;
  /** Orgs with an active connection and failed responses whose poll turn is due at `now` (never
   *  taken, or taken at least `intervalMs` ago), at most `limit`, longest-waiting first. */
  orgsDueForRetryPoll(now: Date, intervalMs: number, limit: number): Promise<OrgWithFailures[]>;
  /** Takes the org's poll turn: true — and the turn recorded at `now` — only when no turn was
   *  taken within `intervalMs` before `now`; one statement, so among instances exactly one wins. */
  takeRetryPollTurn(orgId: string, now: Date, intervalMs: number): Promise<boolean>;
}

/** Rows (org, account) in order → orgs with their accounts, the first `limit` orgs. */
export function groupByOrg(rows: { org_id: string; account_id: string }[], limit: number): OrgWithFailures[] {
  const orgs = new Map<string, OrgWithFailures>();
  for (const r of rows) {
    const o = orgs.get(r.org_id) ?? { orgId: r.org_id, accountIds: [] };
    if (!orgs.has(r.org_id)) {
      if (orgs.size >= limit) continue;
      orgs.set(r.org_id, o);
    }
    o.accountIds.push(r.account_id);
  }
  return [...orgs.values()];
}
