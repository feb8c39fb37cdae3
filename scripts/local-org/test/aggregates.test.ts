// Aggregate SOQL and date literals, as the sync-health view of the package asks for them. Sources:
// SOQL and SOSL Reference "Aggregate Functions", "GROUP BY", "Using Aliases with GROUP BY", "Date
// Formats and Date Literals in WHERE" (LAST_N_DAYS:n includes today); REST API Developer Guide
// "Query" (AggregateResult rows).
import type { Connection } from 'jsforce';
import type { LocalOrg } from '../src';
import { control, useResetOrg } from './helpers';

const R = 'credspark__CredSpark_Response__c';
const DAY = 864e5;
const at = (daysAgo: number, hour = 12) => {
  const d = new Date(Date.now() - daysAgo * DAY);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), hour)).toISOString();
};

describe('aggregate queries and date literals', () => {
  let org: LocalOrg;
  let conn: Connection;
  useResetOrg({ org: (o) => (org = o), conn: (c) => (conn = c) });
  const seed = (rows: Record<string, unknown>[]) =>
    control(org, 'POST', `/__local/orgs/${org.demo.orgId}/records/CredSpark_Response__c`, rows);
  const row = (id: string, status: string, daysAgo: number, code: string | null = null) => ({
    Response_Id__c: id,
    Status__c: status,
    Error_Code__c: code,
    CreatedDate: at(daysAgo),
    LastModifiedDate: at(daysAgo),
    Completed_At__c: at(daysAgo, 9),
  });

  beforeEach(async () => {
    await seed([
      row('r1', 'Synced', 0),
      row('r2', 'Failed', 0, 'DUPLICATES_DETECTED'),
      row('r3', 'Failed', 1, 'DUPLICATES_DETECTED'),
      row('r4', 'Failed', 3, 'REQUIRED_FIELD_MISSING'),
      row('r5', 'Synced', 6),
      row('r6', 'Failed', 30, 'INVALID_MAPPING'),
    ]);
  });

  it('counts by status for the last 7 days: GROUP BY with an alias, one AggregateResult per group', async () => {
    const res = await conn.query<any>(
      `SELECT credspark__Status__c, COUNT(Id) n FROM ${R} WHERE LastModifiedDate = LAST_N_DAYS:7 GROUP BY credspark__Status__c ORDER BY credspark__Status__c`,
    );
    expect(res.totalSize).toBe(2);
    expect(res.records).toEqual([
      { attributes: { type: 'AggregateResult' }, credspark__Status__c: 'Failed', n: 3 },
      { attributes: { type: 'AggregateResult' }, credspark__Status__c: 'Synced', n: 2 },
    ]);
  });

  it('counts by error code, largest first, over a datetime comparison; unaliased aggregates are expr0, expr1', async () => {
    const res = await conn.query<any>(
      `SELECT credspark__Error_Code__c, COUNT(Id), MAX(LastModifiedDate) FROM ${R} WHERE credspark__Status__c = 'Failed' AND LastModifiedDate > ${at(7)} GROUP BY credspark__Error_Code__c ORDER BY COUNT(Id) DESC`,
    );
    expect(res.records.map((r: any) => [r.credspark__Error_Code__c, r.expr0])).toEqual([
      ['DUPLICATES_DETECTED', 2],
      ['REQUIRED_FIELD_MISSING', 1],
    ]);
    expect(res.records[0].expr1).toBe(at(0).replace('Z', '+0000'));
  });

  it('an aggregate without GROUP BY is one row, also over no records', async () => {
    const all = await conn.query<any>(
      `SELECT COUNT(Id) total, COUNT_DISTINCT(credspark__Error_Code__c) codes FROM ${R}`,
    );
    expect(all.records).toEqual([{ attributes: { type: 'AggregateResult' }, total: 6, codes: 3 }]);
    const none = await conn.query<any>(`SELECT COUNT(Id) FROM ${R} WHERE credspark__Status__c = 'Nope'`);
    expect(none.records).toEqual([{ attributes: { type: 'AggregateResult' }, expr0: 0 }]);
  });

  it('refuses a selected field that is neither grouped nor aggregated (MALFORMED_QUERY)', async () => {
    await expect(conn.query(`SELECT credspark__Status__c, COUNT(Id) FROM ${R}`)).rejects.toMatchObject({
      errorCode: 'MALFORMED_QUERY',
      message: expect.stringContaining('Field must be grouped or aggregated: credspark__Status__c'),
    });
  });

  it('date literals are ranges: TODAY, YESTERDAY, LAST_N_DAYS:n (today included), N_DAYS_AGO:n, and < / > around them', async () => {
    const ids = async (where: string) =>
      (
        await conn.query<any>(
          `SELECT credspark__Response_Id__c FROM ${R} WHERE ${where} ORDER BY credspark__Response_Id__c`,
        )
      ).records.map((r: any) => r.credspark__Response_Id__c);
    expect(await ids('CreatedDate = TODAY')).toEqual(['r1', 'r2']);
    expect(await ids('CreatedDate = YESTERDAY')).toEqual(['r3']);
    expect(await ids('CreatedDate = LAST_N_DAYS:1')).toEqual(['r1', 'r2', 'r3']);
    expect(await ids('CreatedDate = N_DAYS_AGO:3')).toEqual(['r4']);
    expect(await ids('CreatedDate < LAST_N_DAYS:7')).toEqual(['r6']);
    expect(await ids('credspark__Completed_At__c >= YESTERDAY AND credspark__Completed_At__c < TODAY')).toEqual(['r3']);
    expect(await ids('CreatedDate != LAST_N_DAYS:29')).toEqual(['r6']);
  });

  it('date literals work on date fields too, and a quoted value is refused', async () => {
    await control(org, 'POST', `/__local/orgs/${org.demo.orgId}/records/Contact`, [
      { LastName: 'A', Last_Quiz_Date__c: at(0).slice(0, 10) },
      { LastName: 'B', Last_Quiz_Date__c: at(40).slice(0, 10) },
    ]);
    const q = await conn.query<any>('SELECT LastName FROM Contact WHERE Last_Quiz_Date__c = LAST_N_DAYS:30');
    expect(q.records.map((r: any) => r.LastName)).toEqual(['A']);
    await expect(conn.query(`SELECT Id FROM ${R} WHERE CreatedDate = 'TODAY'`)).rejects.toMatchObject({
      errorCode: 'INVALID_FIELD',
    });
  });
});
