import type { Connection } from 'jsforce';
import type { LocalOrg } from '@credspark/local-org';
import { apiCalls } from '../../../scripts/local-org/test/client';
import { createLogger } from '../../src/observability/logger';
import { createMetrics } from '../../src/observability/metrics';
import { openStore } from '../../src/store/openStore';
import type { Store } from '../../src/store/types';
import { createSyncEngine, type SyncEngine } from '../../src/sync/syncResponses';
import { RetryRequestPoller } from '../../src/worker/retryRequests';
import { Worker } from '../../src/worker/worker';
import { api, deliver, sampleEvent, type ContractApp } from '../contract/harness';
import { useAppOnLocalOrg } from '../fixtures/appOnLocalOrg';
import { seedOrg, seedRule } from '../sync/helpers';
import { ManualScheduler } from './manualScheduler';

/**
 * Retry from Salesforce (SPEC §3b, §6 RETRY_REQUEST_POLL_SECONDS): an admin sets
 * Retry_Requested__c on a failed response's CredSpark_Response__c; the connector requeues the
 * response and clears the flag — exactly once with two worker instances, each with its own store
 * connection to one SQLite file (as two processes would), asking each org at most once per
 * interval. Through the real HTTP app, ConnectionService, worker and sync engine against the local
 * org; the admin's flag is set with jsforce as Salesforce's own UI would save it.
 */
const RESP = 'credspark__CredSpark_Response__c';
const INTERVAL_MS = 300_000;
let org: LocalOrg;
let h: ContractApp;
let sf: Connection;
let second: Store;
let now: Date;
/** The sync engine both instances share here (in production each has its own: settings are re-read within 60 s). */
let engine: SyncEngine;

useAppOnLocalOrg((t) => ({ org, h, sf } = t), { RETRY_REQUEST_POLL_SECONDS: String(INTERVAL_MS / 1000) });
beforeEach(async () => {
  engine = createSyncEngine();
  second = await openStore(h.config.databaseUrl); // another instance's connection to the same file
  now = new Date();
});
afterEach(async () => {
  await second.close();
});

function makeWorker(store: Store, owner: string): Worker {
  return new Worker({
    store,
    connections: h.connections!,
    mirror: h.mirror!,
    syncResponses: (ctx, rs) => engine.sync(ctx, rs),
    config: h.config.worker,
    namespace: h.config.sfNamespace,
    log: createLogger('silent'),
    metrics: createMetrics(),
    clock: () => now,
    owner,
  });
}

/** A Lead rule without Company: responses fail REQUIRED_FIELD_NOT_MAPPED (and get a record: Failures is the default). */
async function failingLeadRule(): Promise<void> {
  await seedRule(org, {
    interactionId: 'int_q4_webinar',
    target: 'Lead',
    mappings: [
      { source: 'last_name', target: 'LastName' },
      { source: 'email', target: 'Email' },
    ],
  });
}
async function fixRule(): Promise<void> {
  await seedOrg(org, 'credspark__CredSpark_Field_Mapping__mdt', [
    { DeveloperName: 'M_fix', Sync_Rule__c: 'R_int_q4_webinar', Source_Field__c: 'q7', Target_Field__c: 'Company' },
  ]);
  engine = createSyncEngine(); // the fixed rule is read at once, not after the settings cache lifetime
}
const responseRecord = async (responseId: string) =>
  (
    await sf.query<Record<string, unknown>>(
      `SELECT Id, credspark__Status__c, credspark__Retry_Requested__c, credspark__Lead__c, credspark__Attempts__c FROM ${RESP} WHERE credspark__Response_Id__c = '${responseId}'`,
    )
  ).records[0];
const status = async (responseId: string) =>
  (await api(h.url, `/api/accounts/acc_42/responses/${responseId}`)).json as Record<string, unknown>;
const callsNow = async () => (await apiCalls(org)).total;

async function failedWithRecord(responseId: string, worker: Worker): Promise<Record<string, unknown>> {
  expect(await deliver(h.url, sampleEvent({ responseId }))).toMatchObject({ status: 202 });
  now = new Date(Math.max(now.getTime(), Date.now())); // intake stamped it with the real clock
  await worker.runOnce();
  expect(await status(responseId)).toMatchObject({ status: 'failed', error: { code: 'REQUIRED_FIELD_NOT_MAPPED' } });
  const rec = await responseRecord(responseId);
  expect(rec).toMatchObject({ credspark__Status__c: 'Failed', credspark__Retry_Requested__c: false });
  return rec;
}

describe('Retry_Requested__c (two worker instances on one store)', () => {
  it('requeues the response exactly once, clears the flag, and the retry updates the record to Synced', async () => {
    const a = makeWorker(h.store, 'instance-a');
    const b = makeWorker(second, 'instance-b');
    await failingLeadRule();
    const rec = await failedWithRecord('rsp_retry_1', a);
    await fixRule();
    await sf.sobject(RESP).update({ Id: rec.Id as string, credspark__Retry_Requested__c: true });

    const before = await callsNow();
    const requeued = await Promise.all([a.retryRequests.pollOnce(), b.retryRequests.pollOnce()]);
    expect(requeued.reduce((x, y) => x + y, 0)).toBe(1);
    // One query for the flags and one call clearing them: the org was asked once, not twice.
    expect((await callsNow()) - before).toBe(2);
    expect(await status('rsp_retry_1')).toMatchObject({ status: 'queued' });
    expect(await responseRecord('rsp_retry_1')).toMatchObject({ credspark__Retry_Requested__c: false });

    await b.runOnce();
    const synced = await status('rsp_retry_1');
    expect(synced).toMatchObject({ status: 'synced', object: 'Lead', action: 'created', attempts: 2 });
    expect(await responseRecord('rsp_retry_1')).toMatchObject({
      credspark__Status__c: 'Synced',
      credspark__Lead__c: synced.recordId,
      credspark__Attempts__c: 2,
    });
  });

  it('asks an org at most once per RETRY_REQUEST_POLL_SECONDS, and never one without failed responses', async () => {
    const a = makeWorker(h.store, 'instance-a');
    const b = makeWorker(second, 'instance-b');
    // No failed response anywhere: no call at all.
    let before = await callsNow();
    await Promise.all([a.retryRequests.pollOnce(), b.retryRequests.pollOnce()]);
    expect(await callsNow()).toBe(before);

    await failingLeadRule();
    const first = await failedWithRecord('rsp_retry_2', a);
    before = await callsNow();
    expect(await a.retryRequests.pollOnce()).toBe(0); // nothing flagged yet: one query
    expect((await callsNow()) - before).toBe(1);

    await sf.sobject(RESP).update({ Id: first.Id as string, credspark__Retry_Requested__c: true });
    now = new Date(now.getTime() + INTERVAL_MS - 1);
    before = await callsNow();
    expect(await b.retryRequests.pollOnce()).toBe(0); // within the interval: not asked
    expect(await callsNow()).toBe(before);

    now = new Date(now.getTime() + 1);
    expect(await b.retryRequests.pollOnce()).toBe(1);
    expect(await status('rsp_retry_2')).toMatchObject({ status: 'queued' });
  });

  it('polls on its scheduler once started, and not after it stops', async () => {
    await failingLeadRule();
    const rec = await failedWithRecord('rsp_retry_3', makeWorker(h.store, 'instance-a'));
    await sf.sobject(RESP).update({ Id: rec.Id as string, credspark__Retry_Requested__c: true });
    const scheduler = new ManualScheduler();
    const poller = new RetryRequestPoller({
      store: h.store,
      connections: h.connections!,
      namespace: h.config.sfNamespace,
      log: createLogger('silent'),
      metrics: createMetrics(),
      clock: () => now,
      intervalMs: INTERVAL_MS,
      scheduler,
    });
    poller.start();
    await poller.stop();
    const before = await callsNow();
    await scheduler.tick();
    expect(await callsNow()).toBe(before); // stopped: the org is not asked
    expect(await status('rsp_retry_3')).toMatchObject({ status: 'failed' });

    poller.start();
    await scheduler.tick();
    await poller.stop();
    expect(await status('rsp_retry_3')).toMatchObject({ status: 'queued' });
  });
});
