import type { LocalOrg } from '@credspark/local-org';
import { loadSettings } from '../../src/sync/settings';
import { createSyncEngine } from '../../src/sync/syncResponses';
import type { SyncContext } from '../../src/sync/types';
import {
  apiCalls,
  claimed,
  connectDemo,
  control,
  DEFAULTS,
  records,
  resetApiCalls,
  seed,
  seedRule,
  syncContext,
  useLocalOrg,
  useSyncOnLocalOrg,
} from './helpers';

/** Settings from custom metadata (SPEC §3), their cache, and Salesforce faults through real jsforce. */
describe('sync settings and Salesforce faults against the local org', () => {
  let org: LocalOrg;
  let ctx: SyncContext;
  const { syncResponses, renewEngine, engineContext } = useSyncOnLocalOrg((t) => ({ org, ctx } = t));
  const faults = (body: unknown) => control(org, 'POST', `/__local/orgs/${org.demo.orgId}/faults`, body);

  it('reads rules and mappings through metadata relationships (__r paths), static values included', async () => {
    await seedRule(org, {
      interactionId: 'int_q4',
      target: 'Lead',
      enabledAt: '2026-11-01T10:00:00.000Z',
      mappings: [...DEFAULTS, { target: 'LeadSource', static: 'CredSpark' }],
    });
    const s = await loadSettings(engineContext(ctx));
    expect(s.rules.get('int_q4')).toEqual({
      ok: true,
      ruleName: 'R_int_q4',
      interactionId: 'int_q4',
      enabled: true,
      target: 'Lead',
      enabledAt: new Date('2026-11-01T10:00:00.000Z'),
      mappings: [
        { sourceField: 'first_name', targetField: 'FirstName' },
        { sourceField: 'last_name', targetField: 'LastName' },
        { sourceField: 'email', targetField: 'Email' },
        { targetField: 'LeadSource', staticValue: 'CredSpark' },
      ],
      // SPEC §3: empty matching options read as their defaults.
      duplicateHandling: 'Fail',
      convertedLead: 'New_Lead',
    });
  });

  it('caches settings and describe per org: a second batch within the lifetime queries only emails', async () => {
    await seedRule(org, { interactionId: 'int_q4', target: 'Contact', mappings: DEFAULTS });
    await syncResponses(ctx, [claimed({ interactionId: 'int_q4', answers: { last_name: 'A', email: 'a@x.com' } })]);
    await resetApiCalls(org);
    await syncResponses(ctx, [claimed({ interactionId: 'int_q4', answers: { last_name: 'B', email: 'b@x.com' } })]);
    expect((await apiCalls(org)).byKind).toEqual({ query: 1, collections: 1 });
  });

  it('a change in Salesforce takes effect after the cache lifetime (or an invalidation)', async () => {
    renewEngine({ settingsTtlMs: 0 });
    await seedRule(org, { interactionId: 'int_q4', target: 'Contact', mappings: DEFAULTS, enabled: false });
    const r1 = claimed({ interactionId: 'int_q4', answers: { last_name: 'A', email: 'a@x.com' } });
    expect((await syncResponses(ctx, [r1])).get(r1.responseId)).toMatchObject({ code: 'SYNC_DISABLED' });
    await seedRule(org, { interactionId: 'int_q5', target: 'Contact', mappings: DEFAULTS });
    const r2 = claimed({ interactionId: 'int_q5', answers: { last_name: 'A', email: 'a@x.com' } });
    expect((await syncResponses(ctx, [r2])).get(r2.responseId)).toMatchObject({ status: 'synced' });
  });

  it('a malformed rule fails its responses INVALID_MAPPING with a clear message, other interactions still sync', async () => {
    await seedRule(org, { interactionId: 'int_bad', target: 'Opportunity' as never, mappings: DEFAULTS });
    await seedRule(org, {
      interactionId: 'int_nomap',
      target: 'Contact',
      mappings: [...DEFAULTS, { target: 'Title' }],
    });
    await seedRule(org, {
      interactionId: 'int_ghost',
      target: 'Contact',
      mappings: [...DEFAULTS, { source: 'q1', target: 'Nope__c' }],
    });
    await seedRule(org, { interactionId: 'int_ok', target: 'Contact', mappings: DEFAULTS });
    const bad = claimed({ interactionId: 'int_bad', answers: { last_name: 'A', email: 'a@x.com' } });
    const nomap = claimed({ interactionId: 'int_nomap', answers: { last_name: 'A', email: 'a@x.com' } });
    const ghost = claimed({ interactionId: 'int_ghost', answers: { last_name: 'A', email: 'a@x.com' } });
    const ok = claimed({ interactionId: 'int_ok', answers: { last_name: 'B', email: 'b@x.com' } });
    const out = await syncResponses(ctx, [bad, nomap, ghost, ok]);
    expect(out.get(bad.responseId)).toMatchObject({
      status: 'failed',
      code: 'INVALID_MAPPING',
      message: expect.stringContaining('Target_Object__c'),
    });
    expect(out.get(nomap.responseId)).toMatchObject({
      status: 'failed',
      code: 'INVALID_MAPPING',
      message: expect.stringContaining('Title'),
    });
    expect(out.get(ghost.responseId)).toMatchObject({
      status: 'failed',
      code: 'INVALID_MAPPING',
      message: expect.stringContaining('Nope__c'),
    });
    expect(out.get(ok.responseId)).toMatchObject({ status: 'synced' });
  });

  it('UNABLE_TO_LOCK_ROW on a record asks for a retry of that response (transient, SPEC §7)', async () => {
    await seedRule(org, { interactionId: 'int_q4', target: 'Contact', mappings: DEFAULTS });
    await seed(org, 'Contact', [{ LastName: 'Doe', Email: 'a@x.com' }]);
    await faults({ lockRowRate: 1 });
    const r = claimed({ interactionId: 'int_q4', answers: { last_name: 'Smith', email: 'a@x.com' } });
    const out = await syncResponses(ctx, [r]);
    await faults({});
    expect(out.get(r.responseId)).toMatchObject({ status: 'retry', code: 'UNABLE_TO_LOCK_ROW' });
    expect((await records(org, 'Contact'))[0].LastName).toBe('Doe');
  });

  it('"Sforce-Duplicate-Rule-Header: allowSave=true": an Alert duplicate rule lets the create through, a Block rule fails that response alone', async () => {
    await seedRule(org, {
      interactionId: 'int_lead',
      target: 'Lead',
      mappings: [...DEFAULTS, { source: 'q7', target: 'Company' }],
    });
    // A converted Lead shares the email: we create a new Lead, which the org's duplicate rule notices.
    await seed(org, 'Lead', [{ LastName: 'Old', Company: 'OldCo', Email: 'dup@x.com', IsConverted: true }]);
    await control(org, 'POST', `/__local/orgs/${org.demo.orgId}/duplicate-rule`, { object: 'Lead', action: 'alert' });
    const alerted = claimed({
      interactionId: 'int_lead',
      answers: { last_name: 'New', email: 'dup@x.com', q7: 'Acme' },
    });
    expect((await syncResponses(ctx, [alerted])).get(alerted.responseId)).toMatchObject({
      status: 'synced',
      action: 'created',
    });
    await seed(org, 'Lead', [{ LastName: 'Old2', Company: 'OldCo', Email: 'dup2@x.com', IsConverted: true }]);
    await control(org, 'POST', `/__local/orgs/${org.demo.orgId}/duplicate-rule`, { object: 'Lead', action: 'block' });
    const blocked = claimed({
      interactionId: 'int_lead',
      answers: { last_name: 'New', email: 'dup2@x.com', q7: 'Acme' },
    });
    const fine = claimed({
      interactionId: 'int_lead',
      answers: { last_name: 'Fine', email: 'fine@x.com', q7: 'Acme' },
    });
    const out = await syncResponses(ctx, [blocked, fine]);
    expect(out.get(blocked.responseId)).toMatchObject({
      status: 'failed',
      code: 'DUPLICATES_DETECTED',
      object: 'Lead',
    });
    expect(out.get(fine.responseId)).toMatchObject({ status: 'synced', action: 'created' });
  });

  it("a Salesforce call slower than the call timeout is given up as ETIMEDOUT (retry), jsforce's own timeout being 30 min", async () => {
    await seedRule(org, { interactionId: 'int_q4', target: 'Contact', mappings: DEFAULTS });
    await faults({ latencyMs: 400 });
    renewEngine({ callTimeoutMs: 100 });
    try {
      const r = claimed({ interactionId: 'int_q4', answers: { last_name: 'A', email: 'a@x.com' } });
      expect((await syncResponses(ctx, [r])).get(r.responseId)).toMatchObject({ status: 'retry', code: 'ETIMEDOUT' });
    } finally {
      await faults({});
    }
  });

  it('an expired session is refreshed by jsforce and the batch still syncs', async () => {
    await seedRule(org, { interactionId: 'int_q4', target: 'Contact', mappings: DEFAULTS });
    await control(org, 'POST', `/__local/orgs/${org.demo.orgId}/expire-sessions`);
    const r = claimed({ interactionId: 'int_q4', answers: { last_name: 'A', email: 'a@x.com' } });
    expect((await syncResponses(ctx, [r])).get(r.responseId)).toMatchObject({ status: 'synced', action: 'created' });
  });

  it('revoked access (refresh → invalid_grant "expired access/refresh token") skips NOT_CONNECTED and never throws', async () => {
    await seedRule(org, { interactionId: 'int_q4', target: 'Contact', mappings: DEFAULTS });
    await control(org, 'POST', `/__local/orgs/${org.demo.orgId}/revoke`);
    const r = claimed({ interactionId: 'int_q4', answers: { last_name: 'A', email: 'a@x.com' } });
    expect((await syncResponses(ctx, [r])).get(r.responseId)).toMatchObject({
      status: 'skipped',
      code: 'NOT_CONNECTED',
    });
  });

  it('a stored body that is not a response.completed fails INVALID_PAYLOAD without calling Salesforce', async () => {
    await resetApiCalls(org);
    const r = { ...claimed({ interactionId: 'int_q4', answers: {} }), body: '{"nope":1}' };
    expect((await syncResponses(ctx, [r])).get(r.responseId)).toMatchObject({
      status: 'failed',
      code: 'INVALID_PAYLOAD',
    });
    expect((await apiCalls(org)).total).toBe(0);
  });

  it('counts Salesforce calls by org and kind in credspark_salesforce_calls_total', async () => {
    await seedRule(org, { interactionId: 'int_q4', target: 'Contact', mappings: DEFAULTS });
    await syncResponses(ctx, [claimed({ interactionId: 'int_q4', answers: { last_name: 'A', email: 'a@x.com' } })]);
    const values = (await ctx.metrics.salesforceCalls.get()).values;
    const byKind = Object.fromEntries(values.map((v) => [v.labels.kind, v.value]));
    expect(byKind).toEqual({ composite: 1, query: 1, describe: 1, collections: 1 }); // settings, emails, describe, write
    expect(new Set(values.map((v) => v.labels.org))).toEqual(new Set([org.demo.orgId]));
  });
});

describe('an unpackaged org (SF_NAMESPACE empty, SPEC §3)', () => {
  let org: LocalOrg;
  useLocalOrg((o) => (org = o));
  const engine = createSyncEngine();

  it('reads the custom metadata without a namespace prefix and syncs', async () => {
    const { orgId, username } = await control(org, 'POST', '/__local/orgs', {
      name: 'Dev',
      namespace: '',
      username: 'dev@unpackaged.local',
    });
    const ctx = syncContext(await connectDemo(org, username), org, orgId, '');
    await seedRule(org, { interactionId: 'int_dev', target: 'Contact', mappings: DEFAULTS }, orgId, '');
    const r = claimed({ interactionId: 'int_dev', answers: { last_name: 'Dev', email: 'dev@x.com' } });
    expect((await engine.sync(ctx, [r])).get(r.responseId)).toMatchObject({ status: 'synced', action: 'created' });
    expect(await records(org, 'Contact', orgId)).toEqual([expect.objectContaining({ LastName: 'Dev' })]);
    expect(await records(org, 'Contact')).toHaveLength(0); // the demo org is untouched
  });
});
