import { placeAll, SHARED_SQL } from '../sharedSql';

/**
 * The Postgres store's own statements (positional parameters), and the shared ones
 * (../sharedSql.ts) placed in the order the store passes their values. Same meaning as
 * store/sqlite/sql.ts; the differences are Postgres idioms: timestamptz, FOR UPDATE SKIP LOCKED
 * claims (several instances share one queue without blocking each other), RETURNING.
 */
/** The order PgStore passes each shared statement's values in ($1, $2, …). */
const ORDER: { [K in keyof typeof SHARED_SQL]: readonly string[] } = {
  accountsWithDueWork: ['now', 'limit', 'orgCap'],
  accountBusyOrPaused: ['accountId', 'now', 'owner'],
  renewLeases: ['accountId', 'owner', 'leaseExpiresAt'],
  completeSynced: ['accountId', 'responseId', 'owner', 'object', 'recordId', 'action', 'warnings', 'now'],
  completeFinal: ['accountId', 'responseId', 'owner', 'status', 'object', 'code', 'message', 'now'],
  completeRetry: ['accountId', 'responseId', 'owner', 'nextAttemptAt', 'code', 'message', 'now'],
  getResponse: ['accountId', 'responseId'],
  hasEvent: ['eventId'],
  skipQueued: ['accountId', 'code', 'message', 'now'],
  pruneStates: ['cutoff'],
  prunePauses: ['cutoff'],
  pruneOrgPauses: ['cutoff'],
  pruneMirrorBackoffs: ['cutoff'],
  pruneTurns: ['cutoff'],
  getConnection: ['accountId'],
  updateTokens: ['accountId', 'accessTokenEnc', 'refreshTokenEnc', 'now', 'instanceUrl'],
  markDisconnected: ['accountId', 'reason', 'now'],
  insertState: ['stateHash', 'accountId', 'loginUrl', 'returnUrl', 'codeVerifierEnc', 'expiresAt'],
  consumeState: ['stateHash'],
  interactionsToMirror: ['accountId', 'limit'],
  markMirrored: ['accountId', 'interactionId', 'hash'],
  accountsOwingMirror: ['now', 'limit'],
  claimMirror: ['accountId', 'now', 'until'],
  clearMirrorBackoff: ['accountId'],
};

const shared = placeAll(SHARED_SQL, ORDER);

export const SQL = {
  ...shared,
  // Intake's group commit: one statement per table for the whole group (a round trip per table,
  // not two per event). Sorted by key so concurrent groups lock shared keys in the same order.
  insertEvents: `INSERT INTO events (event_id, account_id, type, body, received_at)
    SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[]) AS t(event_id, account_id, type, body, received_at)
    ORDER BY event_id
    ON CONFLICT (event_id) DO NOTHING RETURNING event_id`,
  insertResponses: `INSERT INTO responses (account_id, response_id, event_id, interaction_id, completed_at, status,
      attempts, next_attempt_at, window_started_at, created_at, updated_at)
    SELECT account_id, response_id, event_id, interaction_id, completed_at, 'queued', 0, received_at, received_at, received_at, received_at
    FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::timestamptz[])
      AS t(account_id, response_id, event_id, interaction_id, completed_at, received_at)
    ORDER BY account_id, response_id
    ON CONFLICT (account_id, response_id) DO NOTHING`,
  // Claims of one account are serialised by a transaction-level advisory lock, so the busy check
  // and the lease are atomic across instances.
  lockAccount: `SELECT pg_advisory_xact_lock(hashtext('credspark.account'), hashtext($1))`,
  // With an org cap, claims of every account of one org are serialised too (lock order: account,
  // then org — the org lock is the only one two such transactions share, so no deadlock).
  accountOrg: `SELECT org_id FROM connections WHERE account_id = $1`,
  lockOrg: `SELECT pg_advisory_xact_lock(hashtext('credspark.org'), hashtext($1))`,
  // The org's pause is read in the same statement (one snapshot) as its live leases: an account of
  // the org that paused commits the pause before releasing its leases, so this sees the leases,
  // the pause, or both — never neither (accountBusyOrPaused ran in an earlier snapshot).
  orgBusyAccounts: `SELECT (SELECT COUNT(DISTINCT r.account_id)::int FROM responses r JOIN connections c ON c.account_id = r.account_id
      WHERE r.status = 'queued' AND r.lease_expires_at > $2 AND r.account_id <> $1 AND c.org_id = $3) AS n,
    EXISTS (SELECT 1 FROM org_pauses WHERE org_id = $3 AND paused_until > $2) AS paused`,
  // Leases, and records the account's turn (round-robin order) when it took anything.
  claim: `WITH picked AS (
      SELECT account_id, response_id, lease_owner AS previous_owner FROM responses
      WHERE account_id = $1 AND status = 'queued' AND next_attempt_at <= $2 AND (lease_expires_at IS NULL OR lease_expires_at <= $2)
      ORDER BY completed_at, created_at, response_id LIMIT $3
      FOR UPDATE SKIP LOCKED),
    leased AS (UPDATE responses r SET lease_owner = $4, lease_expires_at = $5
      FROM picked WHERE r.account_id = picked.account_id AND r.response_id = picked.response_id
      RETURNING r.*, picked.previous_owner),
    turn AS (INSERT INTO account_turns (account_id, last_claimed_at)
      SELECT $1::text, $2::timestamptz WHERE EXISTS (SELECT 1 FROM leased)
      ON CONFLICT (account_id) DO UPDATE SET last_claimed_at = excluded.last_claimed_at)
    SELECT leased.*, (SELECT body FROM events e WHERE e.event_id = leased.event_id) AS body FROM leased`,
  // Only the batch's holder pauses (a worker that lost its leases records nothing, pause included).
  pauseAccount: `INSERT INTO account_pauses (account_id, paused_until)
    SELECT $1::text, $3::timestamptz WHERE EXISTS (SELECT 1 FROM responses
      WHERE account_id = $1 AND status = 'queued' AND lease_owner = $2)
    ON CONFLICT (account_id) DO UPDATE SET paused_until = excluded.paused_until`,
  // Lifts the account's pause and the pause of the org it is connected to.
  clearPause: `WITH unpaused AS (DELETE FROM account_pauses WHERE account_id = $1)
    DELETE FROM org_pauses WHERE org_id IN (SELECT org_id FROM connections WHERE account_id = $1)`,
  pauseOrg: `INSERT INTO org_pauses (org_id, paused_until)
    SELECT c.org_id, $3::timestamptz FROM connections c WHERE c.account_id = $1 AND EXISTS (SELECT 1 FROM responses
      WHERE account_id = $1 AND status = 'queued' AND lease_owner = $2)
    ON CONFLICT (org_id) DO UPDATE SET paused_until = excluded.paused_until, reason = NULL`,
  // The admin retry lifts the account's pause (and its org's) in the same statement when it requeues something.
  requeue: `WITH requeued AS (UPDATE responses SET status = 'queued', next_attempt_at = $3, window_started_at = $3,
        error_code = NULL, error_message = NULL, lease_owner = NULL, lease_expires_at = NULL, updated_at = $3
      WHERE account_id = $1 AND response_id = $2
        AND (status = 'failed' OR (status = 'skipped' AND error_code = 'NOT_CONNECTED'))
      RETURNING account_id),
    unpaused AS (DELETE FROM account_pauses WHERE account_id IN (SELECT account_id FROM requeued)),
    unpausedOrg AS (DELETE FROM org_pauses WHERE org_id IN
      (SELECT c.org_id FROM connections c JOIN requeued q ON q.account_id = c.account_id))
    SELECT COUNT(*)::int AS n FROM requeued`,
  queueStats: `SELECT COUNT(*)::int AS queued, MIN(created_at) AS oldest FROM responses WHERE status = 'queued'`,

  // Retention (see store/sqlite/sql.ts): chunks of $2 rows, so no long lock and no huge WAL burst.
  pruneResponses: `DELETE FROM responses WHERE (account_id, response_id) IN (SELECT account_id, response_id FROM responses
    WHERE status <> 'queued' AND updated_at < $1 LIMIT $2)`,
  pruneEvents: `DELETE FROM events WHERE event_id IN (SELECT e.event_id FROM events e
    WHERE e.received_at < $1 AND NOT EXISTS (SELECT 1 FROM responses r WHERE r.event_id = e.event_id) LIMIT $2)`,
  // A (re)connect lifts the account's pause and mirror backoff (about the previous connection's org),
  // and the pause of the previous connection's org (the CTE reads the row before the upsert).
  upsertConnection: `WITH unpaused AS (DELETE FROM account_pauses WHERE account_id = $1),
      unpausedOrg AS (DELETE FROM org_pauses WHERE org_id IN (SELECT org_id FROM connections WHERE account_id = $1)),
      unbacked AS (DELETE FROM interaction_mirror_backoffs WHERE account_id = $1)
    INSERT INTO connections (account_id, status, reason, org_id, user_id, username, instance_url, login_url,
      access_token_enc, refresh_token_enc, connected_at, updated_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
    ON CONFLICT (account_id) DO UPDATE SET status = excluded.status, reason = excluded.reason, org_id = excluded.org_id,
      user_id = excluded.user_id, username = excluded.username, instance_url = excluded.instance_url,
      login_url = excluded.login_url, access_token_enc = excluded.access_token_enc,
      refresh_token_enc = excluded.refresh_token_enc, connected_at = excluded.connected_at, updated_at = excluded.updated_at`,

  // Writes only when the hash changed; RETURNING tells whether it did. The NOT EXISTS guard makes
  // the common case (same hash on every response of an interaction) a plain read: ON CONFLICT DO
  // UPDATE locks the existing row even when its WHERE is false, which wrote a WAL record and
  // serialised every intake request of the interaction on that row lock (benchmarks: ~440/s).
  upsertInteraction: `INSERT INTO interactions (account_id, interaction_id, name, fields_json, content_hash, updated_at)
    SELECT $1::text, $2::text, $3::text, $4::text, $5::text, $6::timestamptz
    WHERE NOT EXISTS (SELECT 1 FROM interactions WHERE account_id = $1 AND interaction_id = $2 AND content_hash = $5)
    ON CONFLICT (account_id, interaction_id) DO UPDATE SET name = excluded.name, fields_json = excluded.fields_json,
      content_hash = excluded.content_hash, updated_at = excluded.updated_at
      WHERE interactions.content_hash <> excluded.content_hash
    RETURNING 1`,
  deferMirror: `INSERT INTO interaction_mirror_backoffs (account_id, failures, retry_at)
    VALUES ($1, 1, $2::timestamptz + LEAST($4::bigint, $3::bigint) * interval '1 millisecond')
    ON CONFLICT (account_id) DO UPDATE SET failures = interaction_mirror_backoffs.failures + 1,
      retry_at = $2::timestamptz
        + LEAST($4::bigint, $3::bigint << LEAST(interaction_mirror_backoffs.failures, 30)) * interval '1 millisecond'
    RETURNING failures, retry_at`,
} as const;
