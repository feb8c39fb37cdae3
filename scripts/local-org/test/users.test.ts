// The standard User object: the org's users (the ones the OAuth flow logs in as), queryable and
// retrievable through the REST API. Sources: Object Reference "User" (key prefix 005; Name is
// FirstName and LastName, ≤ 121 characters; Username unique; users are never deleted), REST API
// Developer Guide "Execute a SOQL Query", Salesforce Help "Identity URLs".
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Connection } from 'jsforce';
import { startLocalOrg, type LocalOrg } from '../src';
import { apiCalls, resetApiCalls } from './client';
import { connect, consent, control, oauth2, useRestOrg, VERSION } from './helpers';

describe('User', () => {
  let org: LocalOrg;
  let conn: Connection;
  const rest = useRestOrg({ org: (o) => (org = o), conn: (c) => (conn = c) });
  const userId = () => conn.userInfo!.id;

  it("SELECT Username FROM User WHERE Id = '<login user>' answers the login username, as one query call", async () => {
    await resetApiCalls(org);
    const res = await conn.query<{ Username: string }>(`SELECT Username FROM User WHERE Id = '${userId()}' LIMIT 1`);
    expect(res.totalSize).toBe(1);
    expect(res.records[0]).toEqual({
      attributes: { type: 'User', url: `/services/data/v${VERSION}/sobjects/User/${userId()}` },
      Username: org.demo.username,
    });
    expect(await apiCalls(org)).toEqual({ total: 1, byKind: { query: 1 } });
  });

  it('the User record is the person the identity URL describes', async () => {
    const { records } = await conn.query<Record<string, unknown>>(
      'SELECT Id, Username, Name, FirstName, LastName, Email, IsActive FROM User',
    );
    expect(records).toHaveLength(1);
    const idUrl = `${org.url}/id/${org.demo.orgId}/${userId()}`;
    const identity = (await (
      await fetch(idUrl, { headers: { Authorization: `Bearer ${conn.accessToken}` } })
    ).json()) as any;
    expect(records[0]).toMatchObject({
      Id: identity.user_id,
      Username: identity.username,
      Name: identity.display_name,
      FirstName: identity.first_name,
      LastName: identity.last_name,
      Email: identity.email,
      IsActive: identity.active,
    });
    expect(userId()).toMatch(/^005/);
  });

  it('describe: key prefix 005, the fields, and read-only through the API', async () => {
    const d = await conn.sobject('User').describe();
    expect(d.keyPrefix).toBe('005');
    expect(d.createable).toBe(false);
    const fields = Object.fromEntries(d.fields.map((x) => [x.name, x]));
    expect(Object.keys(fields)).toEqual(
      expect.arrayContaining(['Id', 'Username', 'Name', 'FirstName', 'LastName', 'Email', 'IsActive', 'CreatedDate']),
    );
    expect(fields.Username).toMatchObject({ type: 'string', length: 80, unique: true, nillable: false });
    expect(fields.Name).toMatchObject({ length: 121, nameField: true });
    expect(fields.IsDeleted).toBeUndefined();
    expect((await conn.describeGlobal()).sobjects.map((s) => s.name)).toContain('User');
  });

  it('retrieve by id, and the audit lookups of other records reach the user (CreatedBy.Username)', async () => {
    const got = await rest('GET', `/sobjects/User/${userId()}`);
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ Id: userId(), Username: org.demo.username });
    await conn.sobject('Contact').create({ LastName: 'Ada' });
    const q = await conn.query<any>('SELECT CreatedBy.Username, Owner.Name FROM Contact');
    expect(q.records[0].CreatedBy.Username).toBe(org.demo.username);
    expect(q.records[0].Owner.Name).toBe('Admin User');
  });

  it('writes are refused (INVALID_TYPE_FOR_OPERATION) and the user stays', async () => {
    const created = await rest('POST', '/sobjects/User', { Username: 'x@y.local', LastName: 'X' });
    expect(created.status).toBe(400);
    expect(created.body[0].errorCode).toBe('INVALID_TYPE_FOR_OPERATION');
    const updated = await rest('PATCH', `/sobjects/User/${userId()}`, { FirstName: 'Eve' });
    expect(updated.body[0].errorCode).toBe('INVALID_TYPE_FOR_OPERATION');
    const deleted = await rest('DELETE', `/sobjects/User/${userId()}`);
    expect(deleted.body[0].errorCode).toBe('INVALID_TYPE_FOR_OPERATION');
    const { records } = await conn.query<any>('SELECT FirstName FROM User');
    expect(records.map((r: any) => r.FirstName)).toEqual(['Admin']);
  });

  it("each org serves its own login user: another org's user is not visible", async () => {
    const made = await control(org, 'POST', '/__local/orgs', { username: 'dev@other.local' });
    const o = oauth2(org);
    const other = new Connection({ oauth2: o, version: VERSION });
    const url = o.getAuthorizationUrl({ scope: 'api refresh_token', login_hint: 'dev@other.local' } as any);
    await other.authorize((await consent(url, 'allow')).searchParams.get('code')!);
    expect(other.userInfo!.id).toBe(made.userId);
    const mine = await other.query<any>('SELECT Id, Username FROM User');
    expect(mine.records.map((r: any) => [r.Id, r.Username])).toEqual([[made.userId, 'dev@other.local']]);
    const theirs = await other.query(`SELECT Id FROM User WHERE Id = '${userId()}'`);
    expect(theirs.totalSize).toBe(0);
  });
});

describe('User in snapshots', () => {
  const dir = mkdtempSync(join(tmpdir(), 'local-org-users-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a snapshot written before User was served gets the login user on load', async () => {
    const file = join(dir, 'org.json');
    const first = await startLocalOrg({ quiet: true, snapshotFile: file });
    await first.close();
    const data = JSON.parse(readFileSync(file, 'utf8'));
    for (const o of data.orgs) o.records = o.records.filter(([k]: [string]) => k !== 'user');
    writeFileSync(file, JSON.stringify(data));

    const second = await startLocalOrg({ quiet: true, snapshotFile: file });
    try {
      const conn = await connect(second);
      const res = await conn.query<any>(`SELECT Username FROM User WHERE Id = '${conn.userInfo!.id}'`);
      expect(res.records.map((r: any) => r.Username)).toEqual([second.demo.username]);
    } finally {
      await second.close();
    }
  });
});
