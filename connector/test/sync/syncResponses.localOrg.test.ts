import type { LocalOrg } from '@credspark/local-org';
import { loadSettings } from '../../src/sync/settings';
import { soqlInLists } from '../../src/salesforce/soql';
import type { SyncContext } from '../../src/sync/types';
import {
  apiCalls,
  claimed,
  control,
  DEFAULTS,
  records,
  resetApiCalls,
  seed,
  seedRule,
  useSyncOnLocalOrg,
} from './helpers';

/**
 * The sync engine through real jsforce against the local org (SPEC §2, §3, §7).
 * Write calls are counted by the local org (`/__local/orgs/:id/api-calls`).
 */
describe('syncResponses against the local org', () => {
  let org: LocalOrg;
  let ctx: SyncContext;
  const { syncResponses, engineContext } = useSyncOnLocalOrg((t) => ({ org, ctx } = t));
  const writeCalls = async () => {
    const { byKind } = await apiCalls(org);
    return (byKind.collections ?? 0) + (byKind.sobject ?? 0) + (byKind.composite ?? 0);
  };

  it('SPEC §2: Jane Doe completing as Jane Smith updates LastName only and leaves unmapped fields untouched', async () => {
    await seedRule(org, { interactionId: 'int_q4', target: 'Contact', mappings: DEFAULTS });
    const [id] = await seed(org, 'Contact', [
      { FirstName: 'Jane', LastName: 'Doe', Email: 'jane@gmail.com', Title: 'CFO', Phone: '555-0100' },
    ]);
    const r = claimed({
      interactionId: 'int_q4',
      answers: { first_name: 'Jane', last_name: 'Smith', email: 'JANE@gmail.com' },
    });
    const out = await syncResponses(ctx, [r]);
    expect(out.get(r.responseId)).toEqual({ status: 'synced', object: 'Contact', recordId: id, action: 'updated' });
    const contacts = await records(org, 'Contact');
    expect(contacts).toHaveLength(1);
    expect(contacts[0]).toMatchObject({
      Id: id,
      FirstName: 'Jane',
      LastName: 'Smith',
      Email: 'jane@gmail.com',
      Title: 'CFO',
      Phone: '555-0100',
    });
  });

  it('SPEC §2: an unanswered question never blanks an existing value', async () => {
    await seedRule(org, { interactionId: 'int_q4', target: 'Contact', mappings: DEFAULTS });
    await seed(org, 'Contact', [{ FirstName: 'Jane', LastName: 'Doe', Email: 'jane@gmail.com' }]);
    const r = claimed({
      interactionId: 'int_q4',
      answers: { first_name: null, last_name: '', email: 'jane@gmail.com' },
    });
    expect((await syncResponses(ctx, [r])).get(r.responseId)).toMatchObject({ status: 'synced', action: 'updated' });
    expect((await records(org, 'Contact'))[0]).toMatchObject({ FirstName: 'Jane', LastName: 'Doe' });
  });

  it('SPEC §2: a Lead rule without Company fails REQUIRED_FIELD_NOT_MAPPED with zero write calls', async () => {
    await seedRule(org, { interactionId: 'int_lead', target: 'Lead', mappings: DEFAULTS });
    await loadSettings(engineContext(ctx)); // settings are read (and cached) first: what follows must not write
    await resetApiCalls(org);
    const r = claimed({ interactionId: 'int_lead', answers: { first_name: 'A', last_name: 'B', email: 'a@b.com' } });
    const out = await syncResponses(ctx, [r]);
    expect(out.get(r.responseId)).toMatchObject({
      status: 'failed',
      code: 'REQUIRED_FIELD_NOT_MAPPED',
      message: expect.stringContaining('Company'),
    });
    expect(await writeCalls()).toBe(0);
    expect((await apiCalls(org)).byKind).toEqual({ describe: 1 });
    expect(await records(org, 'Lead')).toHaveLength(0);
  });

  it('SPEC §2: a response completed before Enabled_At__c is skipped NOT_RETROACTIVE; disabled → SYNC_DISABLED; unknown → UNKNOWN_INTERACTION', async () => {
    await seedRule(org, {
      interactionId: 'int_q4',
      target: 'Contact',
      mappings: DEFAULTS,
      enabledAt: '2026-11-28T12:00:00.000Z',
    });
    await seedRule(org, { interactionId: 'int_off', target: 'Contact', mappings: DEFAULTS, enabled: false });
    const early = claimed({
      interactionId: 'int_q4',
      completedAt: '2026-11-28T11:59:59Z',
      answers: { last_name: 'X', email: 'x@y.com' },
    });
    const onTime = claimed({
      interactionId: 'int_q4',
      completedAt: '2026-11-28T12:00:00Z',
      answers: { last_name: 'Y', email: 'y@y.com' },
    });
    const off = claimed({ interactionId: 'int_off', answers: { last_name: 'Z', email: 'z@y.com' } });
    const unknown = claimed({ interactionId: 'int_nope', answers: { last_name: 'W', email: 'w@y.com' } });
    const out = await syncResponses(ctx, [early, onTime, off, unknown]);
    expect(out.get(early.responseId)).toMatchObject({ status: 'skipped', code: 'NOT_RETROACTIVE' });
    expect(out.get(onTime.responseId)).toMatchObject({ status: 'synced', action: 'created' });
    expect(out.get(off.responseId)).toMatchObject({ status: 'skipped', code: 'SYNC_DISABLED' });
    expect(out.get(unknown.responseId)).toMatchObject({ status: 'skipped', code: 'UNKNOWN_INTERACTION' });
    expect((await records(org, 'Contact')).map((c) => c.LastName)).toEqual(['Y']);
  });

  it('SPEC §2: a converted Lead is not updated — a new unconverted Lead is created', async () => {
    await seedRule(org, {
      interactionId: 'int_lead',
      target: 'Lead',
      mappings: [...DEFAULTS, { source: 'q7', target: 'Company' }],
    });
    const [convertedId] = await seed(org, 'Lead', [
      { LastName: 'Old', Company: 'OldCo', Email: 'lee@acme.com', IsConverted: true },
    ]);
    const r = claimed({ interactionId: 'int_lead', answers: { last_name: 'New', email: 'lee@acme.com', q7: 'Acme' } });
    const out = await syncResponses(ctx, [r]);
    expect(out.get(r.responseId)).toMatchObject({ status: 'synced', object: 'Lead', action: 'created' });
    const leads = await records(org, 'Lead');
    expect(leads.find((l) => l.Id === convertedId)).toMatchObject({ LastName: 'Old', Company: 'OldCo' });
    expect(leads.find((l) => l.Id !== convertedId)).toMatchObject({
      LastName: 'New',
      Company: 'Acme',
      IsConverted: false,
    });
  });

  it('several matching records → the most recently modified one is updated', async () => {
    await seedRule(org, { interactionId: 'int_q4', target: 'Contact', mappings: DEFAULTS });
    const [older, newer] = await seed(org, 'Contact', [
      { LastName: 'Older', Email: 'dup@x.com', LastModifiedDate: '2026-01-01T00:00:00.000Z' },
      { LastName: 'Newer', Email: 'DUP@x.com', LastModifiedDate: '2026-06-01T00:00:00.000Z' },
    ]);
    const r = claimed({ interactionId: 'int_q4', answers: { last_name: 'Latest', email: 'dup@x.com' } });
    expect((await syncResponses(ctx, [r])).get(r.responseId)).toMatchObject({ recordId: newer, action: 'updated' });
    expect((await records(org, 'Contact')).find((c) => c.Id === older)).toMatchObject({ LastName: 'Older' });
  });

  it('SOQL "Quoted String Escape Sequences": emails containing \' or \\ match exactly', async () => {
    await seedRule(org, { interactionId: 'int_q4', target: 'Contact', mappings: DEFAULTS });
    const [quoteId, slashId] = await seed(org, 'Contact', [
      { LastName: 'Quote', Email: "o'brien@x.com" },
      { LastName: 'Slash', Email: 'back\\slash@x.com' },
      { LastName: 'Other', Email: 'obrien@x.com' },
    ]);
    const a = claimed({ interactionId: 'int_q4', answers: { last_name: 'Q2', email: "O'Brien@x.com" } });
    const b = claimed({ interactionId: 'int_q4', answers: { last_name: 'S2', email: 'back\\slash@x.com' } });
    const out = await syncResponses(ctx, [a, b]);
    expect(out.get(a.responseId)).toMatchObject({ status: 'synced', action: 'updated', recordId: quoteId });
    expect(out.get(b.responseId)).toMatchObject({ recordId: slashId });
    expect(out.get(b.responseId)).toMatchObject({ status: 'synced', action: 'updated' });
    expect((await records(org, 'Contact')).map((c) => c.LastName).sort()).toEqual(['Other', 'Q2', 'S2']);
  });

  it('one batch with a Contact rule and a Lead rule writes each object with its own match', async () => {
    await seedRule(org, { interactionId: 'int_c', target: 'Contact', mappings: DEFAULTS });
    await seedRule(org, {
      interactionId: 'int_l',
      target: 'Lead',
      mappings: [...DEFAULTS, { source: 'q7', target: 'Company' }],
    });
    const [contactId] = await seed(org, 'Contact', [{ LastName: 'C', Email: 'same@x.com' }]);
    const c = claimed({ interactionId: 'int_c', answers: { last_name: 'C2', email: 'same@x.com' } });
    const l = claimed({ interactionId: 'int_l', answers: { last_name: 'L', email: 'same@x.com', q7: 'Acme' } });
    const out = await syncResponses(ctx, [c, l]);
    expect(out.get(c.responseId)).toMatchObject({ object: 'Contact', action: 'updated', recordId: contactId });
    expect(out.get(l.responseId)).toMatchObject({ object: 'Lead', action: 'created' });
    expect((await records(org, 'Lead')).map((x) => x.LastName)).toEqual(['L']);
  });

  it('the same new email twice in a batch makes one record with the later values (completion order)', async () => {
    await seedRule(org, {
      interactionId: 'int_q4',
      target: 'Contact',
      mappings: [...DEFAULTS, { source: 'q7', target: 'Title' }],
    });
    const first = claimed({
      interactionId: 'int_q4',
      completedAt: '2026-11-28T19:00:00Z',
      answers: { first_name: 'Ann', last_name: 'First', email: 'ann@x.com', q7: 'Engineer' },
    });
    const second = claimed({
      interactionId: 'int_q4',
      completedAt: '2026-11-28T19:05:00Z',
      answers: { first_name: null, last_name: 'Second', email: 'Ann@X.com' },
    });
    const out = await syncResponses(ctx, [first, second]);
    const contacts = await records(org, 'Contact');
    expect(contacts).toHaveLength(1);
    expect(contacts[0]).toMatchObject({ FirstName: 'Ann', LastName: 'Second', Title: 'Engineer' });
    expect(out.get(first.responseId)).toMatchObject({ status: 'synced', action: 'created', recordId: contacts[0].Id });
    expect(out.get(second.responseId)).toMatchObject({ status: 'synced', action: 'updated', recordId: contacts[0].Id });
  });

  it('a restricted picklist bad value fails that response alone; static LeadSource = CredSpark; truncation recorded', async () => {
    await seedRule(org, {
      interactionId: 'int_lead',
      target: 'Lead',
      mappings: [
        ...DEFAULTS,
        { source: 'q7', target: 'Company' },
        { source: 'q8', target: 'Status' },
        { source: 'q9', target: 'Title' },
        { target: 'LeadSource', static: 'CredSpark' },
      ],
    });
    const bad = claimed({
      interactionId: 'int_lead',
      answers: { last_name: 'Bad', email: 'bad@x.com', q7: 'Acme', q8: 'Bogus' },
    });
    const good = claimed({
      interactionId: 'int_lead',
      answers: { last_name: 'Good', email: 'good@x.com', q7: 'Acme', q8: 'working - contacted', q9: 'x'.repeat(200) },
    });
    const out = await syncResponses(ctx, [bad, good]);
    expect(out.get(bad.responseId)).toMatchObject({
      status: 'failed',
      code: 'INVALID_FIELD_VALUE',
      message: expect.stringContaining('Status'),
    });
    expect(out.get(good.responseId)).toMatchObject({
      status: 'synced',
      action: 'created',
      warnings: [{ code: 'FIELD_TRUNCATED', message: 'Title truncated to 128 characters' }],
    });
    const leads = await records(org, 'Lead');
    expect(leads).toHaveLength(1);
    expect(leads[0]).toMatchObject({
      LastName: 'Good',
      Status: 'Working - Contacted',
      LeadSource: 'CredSpark',
      Title: 'x'.repeat(128),
    });
  });

  it('sObject Collections allOrNone=false: a record Salesforce refuses fails alone with its statusCode', async () => {
    await seedRule(org, { interactionId: 'int_q4', target: 'Contact', mappings: DEFAULTS });
    const bad = claimed({ interactionId: 'int_q4', answers: { last_name: 'Bad', email: 'not-an-email' } });
    const good = claimed({ interactionId: 'int_q4', answers: { last_name: 'Good', email: 'good@x.com' } });
    const out = await syncResponses(ctx, [bad, good]);
    expect(out.get(bad.responseId)).toMatchObject({ status: 'failed', code: 'INVALID_EMAIL_ADDRESS' });
    expect(out.get(good.responseId)).toMatchObject({ status: 'synced', action: 'created' });
  });

  it('a retry after "created in Salesforce, crashed before recording" updates the record instead of duplicating it', async () => {
    await seedRule(org, { interactionId: 'int_q4', target: 'Contact', mappings: DEFAULTS });
    const r = claimed({ interactionId: 'int_q4', answers: { last_name: 'Once', email: 'once@x.com' } });
    const first = await syncResponses(ctx, [r]);
    // The worker died here: the outcome was never stored, the lease expired, the same response is claimed again.
    const again = await syncResponses(ctx, [{ ...r, attempts: 1 }]);
    expect(first.get(r.responseId)).toMatchObject({ status: 'synced', action: 'created' });
    expect(again.get(r.responseId)).toMatchObject({
      status: 'synced',
      action: 'updated',
      recordId: (first.get(r.responseId) as { recordId: string }).recordId,
    });
    expect(await records(org, 'Contact')).toHaveLength(1);
  });

  it('SPEC §7: 1,000 responses for one org (half new, half existing emails) cost at most 20 API calls, describe and settings included', async () => {
    await seedRule(org, { interactionId: 'int_q4', target: 'Contact', mappings: DEFAULTS });
    await seed(
      org,
      'Contact',
      Array.from({ length: 500 }, (_, i) => ({ LastName: 'Existing', Email: `existing.person.${i}@example.com` })),
    );
    const batch = Array.from({ length: 1000 }, (_, i) =>
      claimed({
        interactionId: 'int_q4',
        answers: {
          first_name: 'F',
          last_name: `L${i}`,
          email: i % 2 === 0 ? `existing.person.${i / 2}@example.com` : `new.person.${i}@example.com`,
        },
      }),
    );
    // One unchunked IN list of these emails would exceed the 16,384-byte request URI the org accepts (HTTP 414).
    expect(
      encodeURIComponent(
        soqlInLists(
          batch.map((_, i) => `existing.person.${i}@example.com`),
          Infinity,
        )[0],
      ).length,
    ).toBeGreaterThan(16_384);
    await resetApiCalls(org);
    const out = await syncResponses(ctx, batch);
    const calls = await apiCalls(org);
    expect([...out.values()].filter((o) => o.status === 'synced')).toHaveLength(1000);
    expect([...out.values()].filter((o) => o.status === 'synced' && o.action === 'created')).toHaveLength(500);
    expect(await records(org, 'Contact')).toHaveLength(1000);
    // Measured: 7 = 1 composite carrying both settings queries + 1 describe + 3 email queries (chunked under the
    // URL bound) + 2 writes: the 6 collection chunks (3 creates, 3 updates of ≤ 200) as 1 composite of 5 + 1 collections call.
    expect(calls.total).toBeLessThanOrEqual(20);
    expect(calls.byKind).toEqual({ composite: 2, describe: 1, query: 3, collections: 1 });
    expect(calls.byKind.collections ?? 0).toBe(1);
    // Our own counter agrees with the org's.
    const ours = (await ctx.metrics.salesforceCalls.get()).values.reduce((n, v) => n + v.value, 0);
    expect(ours).toBe(calls.total);
  }, 60_000);

  it('REST "Status Codes and Error Responses": 403 REQUEST_LIMIT_EXCEEDED before writing asks for a retry and writes nothing', async () => {
    await seedRule(org, { interactionId: 'int_q4', target: 'Contact', mappings: DEFAULTS });
    await control(org, 'POST', `/__local/orgs/${org.demo.orgId}/faults`, { requestLimitExceededForMs: 60_000 });
    const r = claimed({ interactionId: 'int_q4', answers: { last_name: 'X', email: 'x@x.com' } });
    const out = await syncResponses(ctx, [r]);
    await control(org, 'POST', `/__local/orgs/${org.demo.orgId}/faults`, {});
    expect(out.get(r.responseId)).toMatchObject({ status: 'retry', code: 'REQUEST_LIMIT_EXCEEDED' });
    expect(await records(org, 'Contact')).toHaveLength(0);
  });
});
