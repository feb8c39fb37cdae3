// State survives a restart when a snapshot file is given (written on change and on close).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

  it('keeps duplicate rules, the API usage and auto-numbers; reads the older one-email-rule-per-object form', async () => {
    const file = join(dir, 'features.json');
    const first = await startLocalOrg({ quiet: true, snapshotFile: file });
    const orgId = first.demo.orgId;
    await control(first, 'POST', `/__local/orgs/${orgId}/duplicate-rule`, {
      object: 'Lead',
      action: 'block',
      match: 'name',
    });
    await control(first, 'POST', `/__local/orgs/${orgId}/api-usage`, { used: 4000, max: 5000 });
    await control(first, 'POST', `/__local/orgs/${orgId}/records/CredSpark_Response__c`, [{ Response_Id__c: 'a' }]);
    await first.close();
    const second = await startLocalOrg({ quiet: true, snapshotFile: file });
    try {
      expect(await control(second, 'GET', `/__local/orgs/${orgId}/api-usage`)).toEqual({ used: 4000, max: 5000 });
      const conn = await connect(second);
      const r: any = await conn.sobject('credspark__CredSpark_Response__c').create({ credspark__Response_Id__c: 'b' });
      const saved: any = await conn.sobject('credspark__CredSpark_Response__c').retrieve(r.id as string);
      expect(saved.Name).toBe('R-0000000002');
      const rules = await control(second, 'POST', `/__local/orgs/${orgId}/duplicate-rule`, {
        object: 'Contact',
        action: 'alert',
      });
      expect(rules.duplicateRules.map((x: any) => [x.object, x.match])).toEqual([
        ['Lead', 'name'],
        ['Contact', 'email'],
      ]);
    } finally {
      await second.close();
    }
    // A snapshot written before rules had names and match kinds.
    const json = JSON.parse(readFileSync(file, 'utf8'));
    json.orgs[0].duplicateRules = { Contact: 'block' };
    delete json.orgs[0].apiUsed;
    writeFileSync(file, JSON.stringify(json));
    const third = await startLocalOrg({ quiet: true, snapshotFile: file });
    try {
      const rules = await control(third, 'POST', `/__local/orgs/${orgId}/duplicate-rule`, {
        object: 'Lead',
        action: null,
      });
      expect(rules.duplicateRules).toEqual([
        expect.objectContaining({ object: 'Contact', action: 'block', match: 'email' }),
      ]);
    } finally {
      await third.close();
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
