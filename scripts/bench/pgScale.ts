/**
 * The claim path's Postgres statements at deployment scale, which the 2-core box cannot reach with
 * real traffic: `accounts` connected accounts (each its own org), one queued response each plus
 * one account with a `backlog`, and `finished` responses of history (what retention keeps). Each
 * store call (the real PgStore) is timed serially on an otherwise idle database; the load model of
 * docs/capacity.md multiplies these per-step costs by the rates a deployment needs.
 */
import { Client } from 'pg';
import { openStore } from '../../connector/src/store/openStore';
import { percentile } from './lib';

export interface PgScaleResult {
  accounts: number;
  backlog: number;
  finished: number;
  /** Median / p95 ms of one call. */
  list: { p50: number; p95: number };
  claimOne: { p50: number; p95: number };
  complete: { p50: number; p95: number };
  claimBacklog500: { p50: number; p95: number };
  insertEvent: { p50: number; p95: number };
}

async function timed(n: number, fn: (i: number) => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn(i);
    ms.push(performance.now() - t0);
  }
  return { p50: percentile(ms, 50), p95: percentile(ms, 95) };
}

export async function pgScale(
  dbUrl: string,
  opts: { accounts: number; backlog: number; finished: number },
): Promise<PgScaleResult> {
  const store = await openStore(dbUrl); // runs the migrations
  const c = new Client({ connectionString: dbUrl });
  await c.connect();
  try {
    const { accounts, backlog, finished } = opts;
    await c.query(
      `INSERT INTO connections (account_id, status, org_id, user_id, username, instance_url, login_url,
         access_token_enc, refresh_token_enc, connected_at, updated_at)
       SELECT 'acc_' || i, 'connected', '00D' || lpad(i::text, 15, '0'), '005' || lpad(i::text, 15, '0'),
         'admin' || i || '@example.com', 'https://example.my.salesforce.com', 'https://login.salesforce.com',
         'sealed', 'sealed', now(), now()
       FROM generate_series(1, $1::int) AS i`,
      [accounts],
    );
    const body = JSON.stringify({ data: { answers: [{ key: 'email', value: 'x'.repeat(400) }] } });
    // History: finished responses spread over the accounts and the last 30 days.
    await c.query(
      `WITH e AS (INSERT INTO events (event_id, account_id, type, body, received_at)
         SELECT 'evt_h' || i, 'acc_' || (1 + i % $2::int), 'response.completed', $3::text, now() - (i % 2592000) * interval '1 second'
         FROM generate_series(1, $1::int) AS i RETURNING event_id, account_id, received_at)
       INSERT INTO responses (account_id, response_id, event_id, interaction_id, completed_at, status, attempts,
         next_attempt_at, window_started_at, created_at, updated_at, object, record_id, action)
       SELECT account_id, 'rsp_' || event_id, event_id, 'int_1', received_at, 'synced', 1, received_at, received_at,
         received_at, received_at, 'Contact', '003000000000001AAA', 'created' FROM e`,
      [finished, accounts, body],
    );
    // Queued: one per account (spread over the last minute), and a backlog on acc_1.
    await c.query(
      `WITH e AS (INSERT INTO events (event_id, account_id, type, body, received_at)
         SELECT 'evt_q' || i, CASE WHEN i <= $2::int THEN 'acc_1' ELSE 'acc_' || (i - $2::int) END, 'response.completed', $3::text,
           now() - interval '1 minute' + (i % 60) * interval '1 second'
         FROM generate_series(1, $1::int + $2::int) AS i RETURNING event_id, account_id, received_at)
       INSERT INTO responses (account_id, response_id, event_id, interaction_id, completed_at, status, attempts,
         next_attempt_at, window_started_at, created_at, updated_at)
       SELECT account_id, 'rsp_' || event_id, event_id, 'int_1', received_at, 'queued', 0, received_at, received_at,
         received_at, received_at FROM e`,
      [accounts, backlog, body],
    );
    await c.query('VACUUM ANALYZE');
    const now = () => new Date();
    const list = await timed(200, () => store.accountsWithDueWork(now(), 8, 1));
    // Claim one account's lone response, then record it synced: the per-turn statements.
    let claimed: { accountId: string; responseId: string }[] = [];
    const claimOne = await timed(200, async (i) => {
      const got = await store.claimResponses(`acc_${2 + i}`, 'bench', now(), 60_000, 500, 1);
      claimed = claimed.concat(got.map((r) => ({ accountId: r.accountId, responseId: r.responseId })));
    });
    const complete = await timed(claimed.length, (i) =>
      store.completeResponse(
        claimed[i].accountId,
        claimed[i].responseId,
        'bench',
        { status: 'synced', object: 'Contact', recordId: '003000000000002AAA', action: 'created' },
        now(),
      ),
    );
    // The backlog's account: claim 500, then put them back (retry now) so the next claim finds 500 again.
    const claimBacklog500 = await timed(10, async () => {
      const got = await store.claimResponses('acc_1', 'bench', now(), 60_000, 500, 1);
      await Promise.all(
        got.map((r) =>
          store.completeResponse(
            'acc_1',
            r.responseId,
            'bench',
            {
              status: 'retry',
              code: 'BENCH',
              message: 'bench',
              nextAttemptAt: new Date(0),
            },
            now(),
          ),
        ),
      );
    });
    const insertEvent = await timed(200, (i) =>
      store.insertEvent({
        eventId: `evt_new_${i}`,
        accountId: `acc_${1 + (i % accounts)}`,
        type: 'response.completed',
        body,
        receivedAt: now(),
        response: { responseId: `rsp_new_${i}`, interactionId: 'int_1', completedAt: now() },
      }),
    );
    return { ...opts, list, claimOne, complete, claimBacklog500, insertEvent };
  } finally {
    await c.end();
    await store.close();
  }
}
