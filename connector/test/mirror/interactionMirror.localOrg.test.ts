import type { Connection } from 'jsforce';
import type { LocalOrg } from '@credspark/local-org';
import { apiCalls, control } from '@credspark/local-org/client';
import { createLogger } from '../../src/observability/logger';
import { createMetrics } from '../../src/observability/metrics';
import { createSyncEngine } from '../../src/sync/syncResponses';
import { Worker } from '../../src/worker/worker';
import { deliver, sampleEvent, type ContractApp } from '../contract/harness';
import { useAppOnLocalOrg } from '../fixtures/appOnLocalOrg';

/**
 * SPEC §4 `interaction.updated` ("refresh the interaction's catalogue") reaches the org's
 * CredSpark_Interaction__mdt without waiting for a response: the admin configures a sync rule for
 * an interaction before its first response (there is no retroactive sync). Through the real HTTP
 * app, the real ConnectionService and worker, a SQLite file store and the local org; the records
 * are read back by SOQL over jsforce (custom metadata types are queryable: SOQL and SOSL Reference,
 * "Custom Metadata Types and SOQL").
 */
let org: LocalOrg;
let h: ContractApp;
let sf: Connection;
let now: Date;
/** Mirror writes the worker made (refused ones included: the org does not count those). */
let mirrorAttempts: number;

useAppOnLocalOrg((t) => ({ org, h, sf } = t));
beforeEach(() => {
  now = new Date();
  mirrorAttempts = 0;
});
afterEach(async () => {
  await control(org, 'POST', `/__local/orgs/${org.demo.orgId}/faults`, {});
});

/** A worker on the app's store and ConnectionService with the real sync engine, on a test clock. */
function makeWorker(): Worker {
  const mirror = h.mirror!;
  return new Worker({
    store: h.store,
    connections: h.connections!,
    mirror: {
      write: (a) => {
        mirrorAttempts++;
        return mirror.write(a);
      },
    },
    syncResponses: createSyncEngine().sync,
    config: h.config.worker,
    namespace: h.config.sfNamespace,
    log: createLogger('silent'),
    metrics: createMetrics(),
    clock: () => now,
    owner: 'mirror-test',
  });
}
const advance = (ms: number) => (now = new Date(now.getTime() + ms));

type Field = { key: string; label: string; type: string };
let seq = 0;
const interactionUpdated = (fields: Field[], id = `evt_iu_${process.pid}_${++seq}`) => ({
  id,
  type: 'interaction.updated',
  createdAt: '2026-11-28T19:00:01Z',
  accountId: 'acc_42',
  data: { interaction: { id: 'int_new', name: 'New Quiz', fields } },
});
const FIELDS: Field[] = [
  { key: 'email', label: 'Email', type: 'email' },
  { key: 'q1', label: 'Rating', type: 'number' },
];

interface InteractionMdt {
  MasterLabel: string;
  credspark__Interaction_Id__c: string;
  credspark__Fields__c: string;
}
async function interactionRecords(interactionId: string): Promise<InteractionMdt[]> {
  const res = await sf.query<InteractionMdt>(
    `SELECT MasterLabel, credspark__Interaction_Id__c, credspark__Fields__c FROM credspark__CredSpark_Interaction__mdt WHERE credspark__Interaction_Id__c = '${interactionId}'`,
  );
  return res.records.map(({ MasterLabel, credspark__Interaction_Id__c, credspark__Fields__c }) => ({
    MasterLabel,
    credspark__Interaction_Id__c,
    credspark__Fields__c,
  }));
}
const metadataCalls = async () => (await apiCalls(org)).byKind.metadata ?? 0;

describe('interaction.updated → CredSpark_Interaction__mdt without a response (mirror-only worker work)', () => {
  it('writes the record on the next worker pass; an identical update costs no Metadata API call; a changed one rewrites it', async () => {
    const worker = makeWorker();
    expect(await deliver(h.url, interactionUpdated(FIELDS))).toMatchObject({ status: 202 });
    expect(await interactionRecords('int_new')).toEqual([]);
    const before = await metadataCalls();

    expect(await worker.runOnce()).toBe(0); // no response batch: mirror-only work did it
    const [record, ...more] = await interactionRecords('int_new');
    expect(more).toEqual([]);
    expect(record).toMatchObject({ MasterLabel: 'New Quiz', credspark__Interaction_Id__c: 'int_new' });
    expect(JSON.parse(record!.credspark__Fields__c)).toEqual(FIELDS);
    expect(await metadataCalls()).toBe(before + 1);

    // The same catalogue again (a new event id, and a redelivery of the same id): nothing owed.
    const same = interactionUpdated(FIELDS);
    expect(await deliver(h.url, same)).toMatchObject({ status: 202 });
    expect(await deliver(h.url, same)).toMatchObject({ status: 200, json: { status: 'duplicate' } });
    advance(1000);
    await worker.runOnce();
    expect(await metadataCalls()).toBe(before + 1);
    expect(mirrorAttempts).toBe(1);

    const changed: Field[] = [...FIELDS, { key: 'q2', label: 'Company size', type: 'single_choice' }];
    expect(await deliver(h.url, interactionUpdated(changed))).toMatchObject({ status: 202 });
    advance(1000);
    await worker.runOnce();
    const updated = await interactionRecords('int_new');
    expect(updated).toHaveLength(1);
    expect(JSON.parse(updated[0]!.credspark__Fields__c)).toEqual(changed);
    expect(await metadataCalls()).toBe(before + 2);
  });

  it('the running app: the webhook wakes the worker (its poll is 10 minutes away)', async () => {
    // The worker reads its config on every idle: with this poll only a wake can run the next pass.
    h.config.worker.pollMs = 10 * 60_000;
    h.app.worker.start();
    expect(await deliver(h.url, interactionUpdated(FIELDS))).toMatchObject({ status: 202 });
    let records: InteractionMdt[] = [];
    for (let i = 0; i < 200 && records.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 50));
      records = await interactionRecords('int_new');
    }
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ MasterLabel: 'New Quiz' });
  });

  it('an org refusing the Metadata API (REQUEST_LIMIT_EXCEEDED) backs the account off 30 s, 1 min, 2 min…, then the record is written', async () => {
    await control(org, 'POST', `/__local/orgs/${org.demo.orgId}/faults`, { requestLimitExceededForMs: 10 * 60_000 });
    const worker = makeWorker();
    expect(await deliver(h.url, interactionUpdated(FIELDS))).toMatchObject({ status: 202 });

    await worker.runOnce();
    expect(mirrorAttempts).toBe(1);
    advance(29_999);
    await worker.runOnce();
    expect(mirrorAttempts).toBe(1); // backed off: the org is not called every poll
    advance(1);
    await worker.runOnce();
    expect(mirrorAttempts).toBe(2);
    advance(59_999);
    await worker.runOnce();
    expect(mirrorAttempts).toBe(2);
    advance(1);
    await worker.runOnce();
    expect(mirrorAttempts).toBe(3);
    // Read through the local org's control API: SOQL is refused too while the limit lasts.
    expect(
      await control(org, 'GET', `/__local/orgs/${org.demo.orgId}/records/credspark__CredSpark_Interaction__mdt`),
    ).toEqual({
      records: [],
    });

    await control(org, 'POST', `/__local/orgs/${org.demo.orgId}/faults`, {}); // the limit window ends
    advance(119_999);
    await worker.runOnce();
    expect(mirrorAttempts).toBe(3);
    advance(1);
    await worker.runOnce();
    expect(mirrorAttempts).toBe(4);
    expect(await interactionRecords('int_new')).toHaveLength(1);

    // Success forgot the failures: nothing owed, nothing called; a new change goes out at once.
    advance(1000);
    await worker.runOnce();
    expect(mirrorAttempts).toBe(4);
    expect(await deliver(h.url, interactionUpdated(FIELDS.slice(0, 1)))).toMatchObject({ status: 202 });
    await worker.runOnce();
    expect(mirrorAttempts).toBe(5);
    expect(JSON.parse((await interactionRecords('int_new'))[0]!.credspark__Fields__c)).toEqual(FIELDS.slice(0, 1));
  });

  it('a disconnected account gets no mirror-only call', async () => {
    const worker = makeWorker();
    expect(await deliver(h.url, interactionUpdated(FIELDS))).toMatchObject({ status: 202 });
    await h.store.markDisconnected('acc_42', 'disconnected_by_admin', now);
    await worker.runOnce();
    expect(mirrorAttempts).toBe(0);
    expect(await interactionRecords('int_new')).toEqual([]);
  });
});

describe('response.completed for an interaction with no sync rule', () => {
  it('is skipped UNKNOWN_INTERACTION, and its interaction is in the org for the admin to configure', async () => {
    const worker = makeWorker();
    const ev = sampleEvent({ responseId: 'rsp_unknown' });
    expect(await deliver(h.url, ev)).toMatchObject({ status: 202 });
    now = new Date(); // the response is due from its arrival on the app's clock
    expect(await worker.runOnce()).toBe(1);
    expect(await h.store.getResponse('acc_42', 'rsp_unknown')).toMatchObject({
      status: 'skipped',
      errorCode: 'UNKNOWN_INTERACTION',
    });
    const [record, ...more] = await interactionRecords('int_q4_webinar');
    expect(more).toEqual([]);
    expect(record).toMatchObject({ MasterLabel: 'Q4 Webinar Quiz' });
    expect(JSON.parse(record!.credspark__Fields__c).map((f: Field) => f.key)).toEqual(
      ev.data.answers.map((a) => (a as { key: string }).key),
    );
    // Mirrored by the batch: the mirror-only path finds nothing left to do.
    advance(1000);
    await worker.runOnce();
    expect(mirrorAttempts).toBe(1);
  });
});
