/**
 * Every SQL statement of the Postgres store (positional parameters). Same meaning as
 * store/sqlite/sql.ts; the differences are Postgres idioms: timestamptz, FOR UPDATE SKIP LOCKED
 * claims (several instances share one queue without blocking each other), RETURNING.
 */
export const SQL = {
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

  accountsWithDueWork: `SELECT account_id FROM responses
    WHERE status = 'queued' AND next_attempt_at <= $1 AND (lease_expires_at IS NULL OR lease_expires_at <= $1)
      AND account_id NOT IN (SELECT account_id FROM responses WHERE status = 'queued' AND lease_expires_at > $1)
      AND account_id NOT IN (SELECT account_id FROM account_pauses WHERE paused_until > $1)
      AND account_id NOT IN (SELECT pc.account_id FROM connections pc JOIN org_pauses op ON op.org_id = pc.org_id
        WHERE op.paused_until > $1)
      AND account_id NOT IN (SELECT c.account_id FROM connections c WHERE c.org_id IN (
        SELECT lc.org_id FROM responses lr JOIN connections lc ON lc.account_id = lr.account_id
        WHERE lr.status = 'queued' AND lr.lease_expires_at > $1
        GROUP BY lc.org_id HAVING COUNT(DISTINCT lr.account_id) >= $3))
    GROUP BY account_id ORDER BY MIN(next_attempt_at), account_id LIMIT $2`,
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
  // Busy or paused (the account or its org), in ONE statement (one snapshot): the pausing worker commits its pause before
  // it releases its leases, so a claim sees the live lease, the pause, or both — never neither.
  accountBusyOrPaused: `SELECT 1 FROM responses
      WHERE account_id = $1 AND status = 'queued' AND lease_expires_at > $2 AND lease_owner <> $3
    UNION ALL SELECT 1 FROM account_pauses WHERE account_id = $1 AND paused_until > $2
    UNION ALL SELECT 1 FROM connections c JOIN org_pauses op ON op.org_id = c.org_id
      WHERE c.account_id = $1 AND op.paused_until > $2
    LIMIT 1`,
  claim: `WITH picked AS (
      SELECT account_id, response_id FROM responses
      WHERE account_id = $1 AND status = 'queued' AND next_attempt_at <= $2 AND (lease_expires_at IS NULL OR lease_expires_at <= $2)
      ORDER BY completed_at, created_at, response_id LIMIT $3
      FOR UPDATE SKIP LOCKED)
    UPDATE responses r SET lease_owner = $4, lease_expires_at = $5
    FROM picked WHERE r.account_id = picked.account_id AND r.response_id = picked.response_id
    RETURNING r.*, (SELECT body FROM events e WHERE e.event_id = r.event_id) AS body`,
  renewLeases: `UPDATE responses SET lease_expires_at = $3 WHERE account_id = $1 AND lease_owner = $2 AND status = 'queued'`,
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

  completeSynced: `UPDATE responses SET status = 'synced', object = $4, record_id = $5, action = $6, warnings = $7,
      error_code = NULL, error_message = NULL, attempts = attempts + 1, lease_owner = NULL, lease_expires_at = NULL, updated_at = $8
    WHERE account_id = $1 AND response_id = $2 AND status = 'queued' AND lease_owner = $3`,
  completeFinal: `UPDATE responses SET status = $4, object = COALESCE($5, object), error_code = $6, error_message = $7,
      attempts = attempts + 1, lease_owner = NULL, lease_expires_at = NULL, updated_at = $8
    WHERE account_id = $1 AND response_id = $2 AND status = 'queued' AND lease_owner = $3`,
  completeRetry: `UPDATE responses SET next_attempt_at = $4, error_code = $5, error_message = $6,
      attempts = attempts + 1, lease_owner = NULL, lease_expires_at = NULL, updated_at = $7
    WHERE account_id = $1 AND response_id = $2 AND status = 'queued' AND lease_owner = $3`,

  getResponse: `SELECT * FROM responses WHERE account_id = $1 AND response_id = $2`,
  hasEvent: `SELECT 1 FROM events WHERE event_id = $1`,
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
  skipQueued: `UPDATE responses SET status = 'skipped', error_code = $2, error_message = $3,
      lease_owner = NULL, lease_expires_at = NULL, updated_at = $4
    WHERE account_id = $1 AND status = 'queued'`,
  queueStats: `SELECT COUNT(*)::int AS queued, MIN(created_at) AS oldest FROM responses WHERE status = 'queued'`,

  // Retention (see store/sqlite/sql.ts): chunks of $2 rows, so no long lock and no huge WAL burst.
  pruneResponses: `DELETE FROM responses WHERE (account_id, response_id) IN (SELECT account_id, response_id FROM responses
    WHERE status <> 'queued' AND updated_at < $1 LIMIT $2)`,
  pruneEvents: `DELETE FROM events WHERE event_id IN (SELECT e.event_id FROM events e
    WHERE e.received_at < $1 AND NOT EXISTS (SELECT 1 FROM responses r WHERE r.event_id = e.event_id) LIMIT $2)`,
  pruneStates: `DELETE FROM oauth_states WHERE expires_at < $1`,
  prunePauses: `DELETE FROM account_pauses WHERE paused_until < $1`,
  pruneOrgPauses: `DELETE FROM org_pauses WHERE paused_until < $1`,
  pruneMirrorBackoffs: `DELETE FROM interaction_mirror_backoffs WHERE retry_at < $1`,

  getConnection: `SELECT * FROM connections WHERE account_id = $1`,
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
  updateTokens: `UPDATE connections SET access_token_enc = $2, refresh_token_enc = COALESCE($3, refresh_token_enc),
      instance_url = COALESCE($5, instance_url), updated_at = $4
    WHERE account_id = $1`,
  markDisconnected: `UPDATE connections SET status = 'disconnected', reason = $2, updated_at = $3 WHERE account_id = $1`,
  insertState: `INSERT INTO oauth_states (state_hash, account_id, login_url, return_url, code_verifier_enc, expires_at)
    VALUES ($1, $2, $3, $4, $5, $6)`,
  consumeState: `DELETE FROM oauth_states WHERE state_hash = $1 RETURNING *`,

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
  interactionsToMirror: `SELECT * FROM interactions
    WHERE account_id = $1 AND (mirrored_hash IS NULL OR mirrored_hash <> content_hash)
    ORDER BY updated_at, interaction_id LIMIT $2`,
  markMirrored: `UPDATE interactions SET mirrored_hash = $3 WHERE account_id = $1 AND interaction_id = $2`,

  // Mirror-only work: same meaning as store/sqlite/sql.ts.
  accountsOwingMirror: `SELECT i.account_id FROM interactions i JOIN connections c ON c.account_id = i.account_id
    WHERE (i.mirrored_hash IS NULL OR i.mirrored_hash <> i.content_hash) AND c.status = 'connected'
      AND i.account_id NOT IN (SELECT account_id FROM account_pauses WHERE paused_until > $1)
      AND NOT EXISTS (SELECT 1 FROM org_pauses op WHERE op.org_id = c.org_id AND op.paused_until > $1)
      AND i.account_id NOT IN (SELECT account_id FROM interaction_mirror_backoffs WHERE retry_at > $1)
      AND i.account_id NOT IN (SELECT account_id FROM responses WHERE status = 'queued' AND lease_expires_at > $1)
    GROUP BY i.account_id ORDER BY MIN(i.updated_at), i.account_id LIMIT $2`,
  claimMirror: `INSERT INTO interaction_mirror_backoffs (account_id, failures, retry_at) VALUES ($1, 0, $3)
    ON CONFLICT (account_id) DO UPDATE SET retry_at = excluded.retry_at WHERE interaction_mirror_backoffs.retry_at <= $2`,
  deferMirror: `INSERT INTO interaction_mirror_backoffs (account_id, failures, retry_at)
    VALUES ($1, 1, $2::timestamptz + LEAST($4::bigint, $3::bigint) * interval '1 millisecond')
    ON CONFLICT (account_id) DO UPDATE SET failures = interaction_mirror_backoffs.failures + 1,
      retry_at = $2::timestamptz
        + LEAST($4::bigint, $3::bigint << LEAST(interaction_mirror_backoffs.failures, 30)) * interval '1 millisecond'
    RETURNING failures, retry_at`,
  clearMirrorBackoff: `DELETE FROM interaction_mirror_backoffs WHERE account_id = $1`,
} as const;
