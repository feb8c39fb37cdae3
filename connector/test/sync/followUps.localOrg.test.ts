import type { LocalOrg } from '@credspark/local-org';
import { usageRecordSubrequest } from '../../src/budget/usageRecord';
import type { EngineContext, SyncResponses } from '../../src/sync/types';
import {
  apiCalls,
  claimed,
  control,
  DEFAULTS,
  records,
  resetApiCalls,
  seed,
  seedOrg,
  seedRule,
  useSyncOnLocalOrg,
} from './helpers';

/**
 * What rides in a batch's follow-up composite call (SPEC §2 "Campaigns", "Sync health", §3b), and
 * the riders of SyncContext.followUps in its write call (§3b's usage record),
 * through real jsforce against the local org. Campaign behaviour per Object Reference
 * "CampaignMember" (a second membership is refused DUPLICATE_VALUE) and "CampaignMemberStatus"
 * (every campaign has a default status); CredSpark_Response__c upserted by its external id
 * (REST API Developer Guide "Upsert Multiple Records Using sObject Collections"); calls counted by
 * the org ("Send Multiple Requests Using Composite": one call for the whole series).
 */
describe('campaign members and response records (local org)', () => {
  let org: LocalOrg;
  let ctx: EngineContext;
  const { syncResponses, renewEngine } = useSyncOnLocalOrg((t) => ({ org, ctx } = t));
  const orgPath = (p: string) => `/__local/orgs/${org.demo.orgId}${p}`;
  const campaign = async (isActive = true): Promise<string> =>
    (await control(org, 'POST', orgPath('/campaigns'), { name: 'Q4 Webinar', isActive })).id as string;
  const members = async () => records(org, 'CampaignMember');
  const RESP = 'credspark__CredSpark_Response__c';
  const person = (n: number) => ({
    first_name: 'P',
    last_name: `Person${n}`,
    email: `p${String(n).padStart(4, '0')}@x.example`,
  });

  describe('campaigns', () => {
    it("every person synced becomes a member once, with the campaign's default status; a second sync leaves the membership alone", async () => {
      const id = await campaign();
      await seedRule(org, {
        interactionId: 'int_q4',
        target: 'Contact',
        mappings: DEFAULTS,
        options: { Campaign_Id__c: id },
      });
      const [existing] = await seed(org, 'Contact', [{ LastName: 'Known', Email: 'known@x.example' }]);
      const first = [
        claimed({ interactionId: 'int_q4', answers: { last_name: 'Known', email: 'known@x.example' } }),
        claimed({ interactionId: 'int_q4', answers: { last_name: 'New', email: 'new@x.example' } }),
      ];
      const out = await syncResponses(ctx, first);
      expect(first.map((r) => out.get(r.responseId))).toEqual([
        { status: 'synced', object: 'Contact', recordId: existing, action: 'updated' },
        { status: 'synced', object: 'Contact', recordId: expect.any(String), action: 'created' },
      ]);
      expect((await members()).map((m) => [m.ContactId, m.Status]).sort()).toEqual(
        [
          [existing, 'Sent'],
          [(out.get(first[1].responseId) as { recordId: string }).recordId, 'Sent'],
        ].sort(),
      );
      const again = claimed({ interactionId: 'int_q4', answers: { last_name: 'Known2', email: 'known@x.example' } });
      expect((await syncResponses(ctx, [again])).get(again.responseId)).toEqual({
        status: 'synced',
        object: 'Contact',
        recordId: existing,
        action: 'updated',
      });
      expect(await members()).toHaveLength(2);
    });

    it("the rule's member status is used for Leads too", async () => {
      const id = await campaign();
      await seedRule(org, {
        interactionId: 'int_lead',
        target: 'Lead',
        mappings: [...DEFAULTS, { static: 'Acme', target: 'Company' }],
        options: { Campaign_Id__c: id, Campaign_Status__c: 'Responded' },
      });
      const r = claimed({ interactionId: 'int_lead', answers: { last_name: 'Lee', email: 'lee@x.example' } });
      const out = (await syncResponses(ctx, [r])).get(r.responseId) as { recordId: string };
      expect(await members()).toEqual([
        expect.objectContaining({ CampaignId: id, LeadId: out.recordId, Status: 'Responded' }),
      ]);
    });

    it.each([
      ['an inactive campaign', async () => campaign(false), {}, /is not active/],
      ['a campaign that does not exist', async () => '701000000000999AAA', {}, /does not exist/],
      [
        'a status the campaign does not have',
        async () => campaign(),
        { Campaign_Status__c: 'Attended' },
        /"Attended" is not a member status/,
      ],
    ])(
      '%s: the response is synced with CAMPAIGN_MEMBER_FAILED and no one is added',
      async (_name, make, more, message) => {
        const id = await make();
        await seedRule(org, {
          interactionId: 'int_q4',
          target: 'Contact',
          mappings: DEFAULTS,
          options: { Campaign_Id__c: id, ...more },
        });
        const r = claimed({ interactionId: 'int_q4', answers: { last_name: 'Doe', email: 'doe@x.example' } });
        expect((await syncResponses(ctx, [r])).get(r.responseId)).toEqual({
          status: 'synced',
          object: 'Contact',
          recordId: expect.any(String),
          action: 'created',
          warnings: [{ code: 'CAMPAIGN_MEMBER_FAILED', message: expect.stringMatching(message) }],
        });
        expect(await members()).toHaveLength(0);
        expect(await records(org, 'Contact')).toHaveLength(1);
      },
    );

    it('a batch of 500 with a campaign costs at most one more API call than without', async () => {
      const id = await campaign();
      await seedRule(org, { interactionId: 'int_plain', target: 'Contact', mappings: DEFAULTS });
      await seedRule(org, {
        interactionId: 'int_camp',
        target: 'Contact',
        mappings: DEFAULTS,
        options: { Campaign_Id__c: id },
      });
      // Warm the settings and describe caches for both rules (as a running connector has them).
      await syncResponses(ctx, [
        claimed({ interactionId: 'int_plain', answers: person(9000) }),
        claimed({ interactionId: 'int_camp', answers: person(9001) }),
      ]);
      const batch = (interactionId: string, from: number) =>
        Array.from({ length: 500 }, (_, i) => claimed({ interactionId, answers: person(from + i) }));
      await resetApiCalls(org);
      await syncResponses(ctx, batch('int_plain', 0));
      const without = (await apiCalls(org)).total;
      await resetApiCalls(org);
      const out = await syncResponses(ctx, batch('int_camp', 1000));
      const withCampaign = (await apiCalls(org)).total;
      expect([...out.values()].every((o) => o.status === 'synced' && !o.warnings)).toBe(true);
      expect(await members()).toHaveLength(501);
      expect(withCampaign - without).toBeLessThanOrEqual(1);
      expect(withCampaign).toBeGreaterThan(without); // the members did cost a call: they were sent
    });
  });

  describe('CredSpark_Response__c records', () => {
    const leadRule = () => seedRule(org, { interactionId: 'int_lead', target: 'Lead', mappings: DEFAULTS }); // no Company: REQUIRED_FIELD_NOT_MAPPED
    const field = (rec: Record<string, unknown>, name: string) => rec[`credspark__${name}`];

    it('Failures (default): a failed response gets a record with the code, message and attempt; a synced one none', async () => {
      ctx.responseRecords = 'Failures';
      await leadRule();
      await seedRule(org, { interactionId: 'int_q4', target: 'Contact', mappings: DEFAULTS });
      const failed = claimed({
        interactionId: 'int_lead',
        answers: { last_name: 'Lee', email: 'lee@x.example' },
        score: 72.5,
      });
      const synced = claimed({ interactionId: 'int_q4', answers: { last_name: 'Doe', email: 'doe@x.example' } });
      const out = await syncResponses(ctx, [failed, synced]);
      expect(out.get(failed.responseId)).toMatchObject({
        status: 'failed',
        code: 'REQUIRED_FIELD_NOT_MAPPED',
        responseRecord: true,
      });
      expect(out.get(synced.responseId)).not.toHaveProperty('responseRecord');
      const recs = await records(org, RESP);
      expect(recs).toHaveLength(1);
      expect(recs[0]).toMatchObject({
        credspark__Response_Id__c: failed.responseId,
        credspark__Interaction_Id__c: 'int_lead',
        credspark__Interaction_Name__c: 'Q4 Webinar Quiz',
        credspark__Status__c: 'Failed',
        credspark__Error_Code__c: 'REQUIRED_FIELD_NOT_MAPPED',
        credspark__Score__c: 72.5,
        credspark__Attempts__c: 1,
        credspark__Retry_Requested__c: false,
      });
      expect(String(field(recs[0], 'Error_Message__c'))).toContain('Company');
    });

    it('a later success of a failed response updates its record to Synced with the Lead lookup', async () => {
      ctx.responseRecords = 'Failures';
      await leadRule();
      const r = claimed({ interactionId: 'int_lead', answers: { last_name: 'Lee', email: 'lee@x.example' } });
      await syncResponses(ctx, [r]);
      // The admin maps Company (a fixed value); the response is retried (its attempt counted by the store).
      await seedOrg(org, 'credspark__CredSpark_Field_Mapping__mdt', [
        {
          DeveloperName: 'M_int_lead_fix',
          Sync_Rule__c: 'R_int_lead',
          Target_Field__c: 'Company',
          Static_Value__c: 'Acme',
        },
      ]);
      renewEngine(); // the admin's change, seen once the settings cache lifetime has passed
      const retried = { ...r, attempts: 1, hasResponseRecord: true };
      const out = (await syncResponses(ctx, [retried])).get(r.responseId);
      expect(out).toMatchObject({ status: 'synced', object: 'Lead', action: 'created', responseRecord: true });
      const recs = await records(org, RESP);
      expect(recs).toHaveLength(1);
      expect(recs[0]).toMatchObject({
        credspark__Status__c: 'Synced',
        credspark__Action__c: 'Created',
        credspark__Lead__c: (out as { recordId: string }).recordId,
        credspark__Contact__c: null,
        credspark__Error_Code__c: null,
        credspark__Error_Message__c: null,
        credspark__Attempts__c: 2,
      });
    });

    it('All: synced responses get a record with the Contact lookup; None: no record at all', async () => {
      await seedRule(org, { interactionId: 'int_q4', target: 'Contact', mappings: DEFAULTS });
      ctx.responseRecords = 'None';
      await syncResponses(ctx, [
        claimed({ interactionId: 'int_q4', answers: { last_name: 'A', email: 'a@x.example' } }),
      ]);
      expect(await records(org, RESP)).toHaveLength(0);
      ctx.responseRecords = 'All';
      const r = claimed({ interactionId: 'int_q4', answers: { last_name: 'B', email: 'b@x.example' } });
      const out = (await syncResponses(ctx, [r])).get(r.responseId) as { recordId: string };
      expect(await records(org, RESP)).toEqual([
        expect.objectContaining({
          credspark__Status__c: 'Synced',
          credspark__Contact__c: out.recordId,
          credspark__Action__c: 'Created',
        }),
      ]);
    });

    it('a batch of 500 with records on (All) costs at most one more API call than with them off', async () => {
      await seedRule(org, { interactionId: 'int_q4', target: 'Contact', mappings: DEFAULTS });
      await syncResponses(ctx, [claimed({ interactionId: 'int_q4', answers: person(9000) })]); // warm caches
      const batch = (from: number) =>
        Array.from({ length: 500 }, (_, i) => claimed({ interactionId: 'int_q4', answers: person(from + i) }));
      ctx.responseRecords = 'None';
      await resetApiCalls(org);
      await syncResponses(ctx, batch(0));
      const off = (await apiCalls(org)).total;
      ctx.responseRecords = 'All';
      await resetApiCalls(org);
      const out = await syncResponses(ctx, batch(1000));
      const on = (await apiCalls(org)).total;
      expect([...out.values()].every((o) => o.status === 'synced' && o.responseRecord === true)).toBe(true);
      expect(await records(org, RESP)).toHaveLength(500);
      expect(on - off).toBeLessThanOrEqual(1);
    });
  });

  describe('riders (SyncContext.followUps, e.g. the usage record)', () => {
    const USAGE = 'credspark__CredSpark_Usage__c';
    /** One batch with the day's usage record as its rider: what its `done` heard and the calls made. */
    async function withRider(batch: Parameters<SyncResponses>[1]): Promise<{ heard: boolean[]; calls: number }> {
      const heard: boolean[] = [];
      ctx.followUps = (_out, ref) => [
        [
          usageRecordSubrequest('credspark', '2026-12-04', { apiCalls: 7, synced: 1, failed: 2 }, ref('usage'), (ok) =>
            heard.push(ok),
          ),
        ],
      ];
      await resetApiCalls(org);
      await syncResponses(ctx, batch);
      ctx.followUps = undefined;
      return { heard, calls: (await apiCalls(org)).total };
    }
    async function without(batch: Parameters<SyncResponses>[1]): Promise<number> {
      await resetApiCalls(org);
      await syncResponses(ctx, batch);
      return (await apiCalls(org)).total;
    }

    it("ride in the batch's write call: the same calls as without, written once", async () => {
      await seedRule(org, { interactionId: 'int_q4', target: 'Contact', mappings: DEFAULTS });
      await syncResponses(ctx, [claimed({ interactionId: 'int_q4', answers: person(9000) })]); // warm caches
      const plain = await without([claimed({ interactionId: 'int_q4', answers: person(1) })]);
      const ridden = await withRider([claimed({ interactionId: 'int_q4', answers: person(2) })]);
      expect(ridden).toEqual({ heard: [true], calls: plain });
      expect(await records(org, USAGE)).toEqual([
        expect.objectContaining({
          credspark__Day_Key__c: '2026-12-04',
          credspark__API_Calls__c: 7,
          credspark__Synced__c: 1,
          credspark__Failed__c: 2,
        }),
      ]);
    });

    it('ride in the follow-up call when the batch writes no person record', async () => {
      ctx.responseRecords = 'Failures';
      await seedRule(org, { interactionId: 'int_lead', target: 'Lead', mappings: DEFAULTS }); // fails: no Company
      const failing = (n: number) => [claimed({ interactionId: 'int_lead', answers: person(n) })];
      await syncResponses(ctx, failing(9000)); // warm caches
      const plain = await without(failing(1));
      const ridden = await withRider(failing(2));
      expect(ridden).toEqual({ heard: [true], calls: plain });
      expect(await records(org, USAGE)).toHaveLength(1);
    });

    it('never make a call of their own: a batch that writes nothing leaves them unsent', async () => {
      ctx.responseRecords = 'None';
      const skipped = (n: number) => [claimed({ interactionId: 'int_no_rule', answers: person(n) })];
      await syncResponses(ctx, skipped(9000)); // warm caches
      const plain = await without(skipped(1));
      expect(await withRider(skipped(2))).toEqual({ heard: [], calls: plain });
      expect(await records(org, USAGE)).toEqual([]);
    });
  });
});
