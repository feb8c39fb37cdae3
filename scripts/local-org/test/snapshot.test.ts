// State survives a restart when a snapshot file is given (written on change and on close).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalOrg } from '../src';
import { connect, control } from './helpers';

describe('snapshot file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'local-org-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps orgs, records and refresh tokens across a restart', async () => {
    const file = join(dir, 'org.json');
    const first = await startLocalOrg({ quiet: true, snapshotFile: file });
    const conn = await connect(first);
    const created: any = await conn.sobject('Contact').create({ LastName: 'Persisted' });
    const refreshToken = conn.refreshToken!;
    const orgId = first.demo.orgId;
    await first.close();

    const second = await startLocalOrg({ quiet: true, snapshotFile: file });
    try {
      expect(second.demo.orgId).toBe(orgId);
      const { records } = await control(second, 'GET', `/__local/orgs/${orgId}/records/Contact`);
      expect(records.map((r: any) => r.Id)).toEqual([created.id]);
      const res = await fetch(`${second.url}/services/oauth2/token`, {
        method: 'POST',
        body: new URLSearchParams({
          grant_type: 'refresh_token',
          refresh_token: refreshToken,
          client_id: second.demo.clientId,
          client_secret: second.demo.clientSecret,
        }),
      });
      expect(res.status).toBe(200);
      expect(((await res.json()) as any).id).toMatch(new RegExp(`/id/${orgId}/005`));
    } finally {
      await second.close();
    }
  });

  it('refuses a version-1 file that does not match the format, naming the file and the field', async () => {
    const file = join(dir, 'broken.json');
    // Everything saveSnapshot writes except `orgs`.
    const withoutOrgs = {
      version: 1,
      demoOrgId: '00D000000000001AAA',
      autoApprove: false,
      apps: [],
      sessions: [],
      refreshGrants: [],
    };
    writeFileSync(file, JSON.stringify(withoutOrgs));
    await expect(startLocalOrg({ quiet: true, snapshotFile: file })).rejects.toThrow(
      /broken\.json is not a valid local-org snapshot[\s\S]*orgs/,
    );
  });

  it('starts fresh from a file of another version', async () => {
    const file = join(dir, 'future.json');
    writeFileSync(file, JSON.stringify({ version: 2, demoOrgId: '00D000000000002AAA' }));
    const org = await startLocalOrg({ quiet: true, snapshotFile: file });
    try {
      expect(org.demo.orgId).not.toBe('00D000000000002AAA');
      const { records } = await control(org, 'GET', `/__local/orgs/${org.demo.orgId}/records/Contact`);
      expect(records).toEqual([]);
    } finally {
      await org.close();
    }
  });
});
