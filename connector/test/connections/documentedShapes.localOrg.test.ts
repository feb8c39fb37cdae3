import { startLocalOrg, type LocalOrg } from '@credspark/local-org';
import { Connection } from 'jsforce';
import { connectionRecord } from '../../src/connections/connectionRecord';
import { interactionRecord } from '../../src/mirror/interactionRecord';
import { toSoap, upsertCustomMetadata } from '../../src/salesforce/customMetadata';
import { fetchIdentity, OAuthError } from '../../src/connections/oauthClient';
import { classifySalesforceError } from '../../src/salesforce/errors';
import { connectDemo } from '../sync/helpers';

describe('documented Salesforce behaviour the connections module relies on (local org)', () => {
  let org: LocalOrg;
  let conn: Connection;

  beforeAll(async () => {
    org = await startLocalOrg({ quiet: true, autoApprove: true });
    conn = await connectDemo(org);
  });
  afterAll(() => org.close());

  it('upsertMetadata sends typed values (Metadata API "CustomMetadata": xsi:type xsd:string / xsd:dateTime)', async () => {
    const rec = connectionRecord('credspark', {
      accountId: 'acc_<42>',
      status: 'Connected',
      username: 'admin@acme.local',
      connectedAt: new Date('2026-11-28T19:00:00.123Z'),
    });
    expect(toSoap(rec).values).toContainEqual({
      field: 'credspark__Connected_At__c',
      value: { '@xsi:type': 'xsd:dateTime', '': '2026-11-28T19:00:00.123Z' },
    });
    const interaction = interactionRecord('credspark', { interactionId: 'int_1', name: 'Quiz', fieldsJson: '[]' });
    const outcome = await upsertCustomMetadata(conn, [rec, interaction]);
    expect(outcome).toEqual({ written: [rec.fullName, interaction.fullName], failures: [] });
    const res = await conn.query<Record<string, unknown>>(
      'SELECT credspark__Account_Id__c, credspark__Connected_At__c FROM credspark__CredSpark_Connection__mdt',
    );
    expect(res.records[0]).toMatchObject({
      credspark__Account_Id__c: 'acc_<42>',
      credspark__Connected_At__c: '2026-11-28T19:00:00.123+0000',
    });
  });

  it('an interaction with 1,000 long-labelled fields still mirrors: Fields__c fits its LongTextArea(32768)', async () => {
    const fields = Array.from({ length: 1000 }, (_, i) => ({
      key: `question_${i}`,
      label: 'Q'.repeat(1000),
      type: 'text',
    }));
    const rec = interactionRecord('credspark', {
      interactionId: 'int_big',
      name: 'Big quiz',
      fieldsJson: JSON.stringify(fields),
    });
    expect(await upsertCustomMetadata(conn, [rec])).toEqual({ written: [rec.fullName], failures: [] });
    const res = await conn.query<Record<string, string>>(
      "SELECT credspark__Fields__c FROM credspark__CredSpark_Interaction__mdt WHERE credspark__Interaction_Id__c = 'int_big'",
    );
    const stored = JSON.parse(res.records[0]!.credspark__Fields__c!) as { key: string }[];
    expect(stored.length).toBeGreaterThan(50);
    expect(stored[0]).toEqual({ key: 'question_0', label: 'Q'.repeat(100), type: 'text' });
  });

  it('a control character (invalid in XML 1.0) in a name is replaced; in an id the record alone is not sent', async () => {
    const named = interactionRecord('credspark', { interactionId: 'int_vt', name: 'Quiz\u000Bone', fieldsJson: '[]' });
    const badId = interactionRecord('credspark', { interactionId: 'int\u0001x', name: 'Bad', fieldsJson: '[]' });
    const outcome = await upsertCustomMetadata(conn, [badId, named]);
    expect(outcome.written).toEqual([named.fullName]);
    expect(outcome.failures).toEqual([{ fullName: badId.fullName, message: expect.stringContaining('XML 1.0') }]);
    const res = await conn.query<Record<string, string>>(
      "SELECT MasterLabel FROM credspark__CredSpark_Interaction__mdt WHERE credspark__Interaction_Id__c = 'int_vt'",
    );
    expect(res.records[0]!.MasterLabel).toBe('Quiz one');
  });

  it('fetchIdentity falls back to UserInfo when the identity URL cannot be reached at all', async () => {
    const identity = await fetchIdentity(
      `http://127.0.0.1:9/id/${org.demo.orgId}/005000000000001AAA`,
      conn.accessToken!,
      org.url,
    );
    expect(identity).toMatchObject({ organization_id: org.demo.orgId, username: org.demo.username });
  });

  /**
   * jsforce 3 refreshes on a REST 401 and, when the refresh fails, throws a plain Error
   * "Unable to refresh session due to: <message>" (session-refresh-delegate.js): only the message
   * says whether the token endpoint was down (retry) or refused the grant (reconnect).
   */
  it.each([
    [new OAuthError('http_503', 'Salesforce answered HTTP 503', 503), { retryable: true, code: 'OAUTH_HTTP_503' }],
    [
      new OAuthError('network', 'could not reach https://login: fetch failed'),
      { retryable: true, code: 'OAUTH_NETWORK' },
    ],
    [new OAuthError('invalid_grant', 'expired access/refresh token', 400), { retryable: false, code: 'NOT_CONNECTED' }],
  ])('a refresh failing with %s after a 401 is classified %o', async (refreshError, expected) => {
    const stale = new Connection({
      version: '62.0',
      instanceUrl: org.url,
      accessToken: 'expired-access-token',
      refreshFn: (_c, callback) => callback(refreshError),
    });
    const err = await stale.query('SELECT Id FROM Contact').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/^Unable to refresh session due to: /);
    expect(classifySalesforceError(err)).toMatchObject(expected);
  });
});
