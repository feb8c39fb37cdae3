// Number fields hold at most precision − scale digits before the decimal point (int fields:
// precision digits); a larger value is refused per record with NUMBER_OUTSIDE_VALID_RANGE
// (SOAP API Developer Guide "StatusCode"), like any other sObject Collections record error.
import type { Connection } from 'jsforce';
import { useResetOrg } from './helpers';

describe('records: numeric range (precision and scale)', () => {
  let conn: Connection;
  useResetOrg({ conn: (c) => (conn = c) });

  it('Quiz_Score__c (18, 2) takes 16 integer digits; NumberOfEmployees (int, 8 digits) takes 8', async () => {
    const res: any = await conn.request({
      method: 'POST',
      url: '/composite/sobjects',
      body: JSON.stringify({
        allOrNone: false,
        records: [
          { attributes: { type: 'Contact' }, LastName: 'Ok', Quiz_Score__c: 1234567890123456 },
          { attributes: { type: 'Contact' }, LastName: 'Big', Quiz_Score__c: 1e16 },
          { attributes: { type: 'Lead' }, LastName: 'L', Company: 'C', NumberOfEmployees: 99999999 },
          { attributes: { type: 'Lead' }, LastName: 'L2', Company: 'C', NumberOfEmployees: -100000000 },
        ],
      }),
      headers: { 'content-type': 'application/json' },
    });
    expect(res.map((r: any) => r.success)).toEqual([true, false, true, false]);
    expect(res[1].errors[0]).toEqual({
      statusCode: 'NUMBER_OUTSIDE_VALID_RANGE',
      message: 'Quiz Score: value outside of valid range on numeric field: 10000000000000000',
      fields: ['Quiz_Score__c'],
    });
    expect(res[3].errors[0]).toMatchObject({ statusCode: 'NUMBER_OUTSIDE_VALID_RANGE', fields: ['NumberOfEmployees'] });
  });
});
