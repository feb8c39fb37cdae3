/**
 * The SQLite store's own statements, and the shared ones (../sharedSql.ts). Times are epoch milliseconds.
 * A response is "claimable" when queued, due, and not under a live lease.
 */
import { SHARED_SQL } from '../sharedSql';

export const SQL = {
  ...SHARED_SQL,
  insertEvent: `INSERT INTO events (event_id, account_id, type, body, received_at)
    VALUES (@eventId, @accountId, @type, @body, @receivedAt) ON CONFLICT (event_id) DO NOTHING`,
  // A response id seen again under a new event id keeps its first row (and its sync state).
  insertResponse: `INSERT INTO responses (account_id, response_id, event_id, interaction_id, completed_at, status,
      attempts, next_attempt_at, window_started_at, created_at, updated_at)
    VALUES (@accountId, @responseId, @eventId, @interactionId, @completedAt, 'queued', 0, @now, @now, @now, @now)
    ON CONFLICT (account_id, response_id) DO NOTHING`,
  // Other accounts of this account's org that hold a live lease (the claim refuses at the cap).
  orgBusyAccounts: `SELECT COUNT(DISTINCT r.account_id) AS n FROM responses r JOIN connections c ON c.account_id = r.account_id
    WHERE r.status = 'queued' AND r.lease_expires_at > @now AND r.account_id <> @accountId
      AND c.org_id = (SELECT org_id FROM connections WHERE account_id = @accountId)`,
  selectClaimable: `SELECT response_id, lease_owner FROM responses
    WHERE account_id = @accountId AND status = 'queued' AND next_attempt_at <= @now
      AND (lease_expires_at IS NULL OR lease_expires_at <= @now)
    ORDER BY completed_at, created_at, response_id LIMIT @limit`,
  lease: `UPDATE responses SET lease_owner = @owner, lease_expires_at = @leaseExpiresAt
    WHERE account_id = @accountId AND response_id = @responseId`,
  // The account's turn, recorded by a claim that took anything (round-robin order).
  recordTurn: `INSERT INTO account_turns (account_id, last_claimed_at) VALUES (@accountId, @now)
    ON CONFLICT (account_id) DO UPDATE SET last_claimed_at = excluded.last_claimed_at`,
  // Only the batch's holder pauses (a worker that lost its leases records nothing, pause included).
  pauseAccount: `INSERT INTO account_pauses (account_id, paused_until)
    SELECT @accountId, @until WHERE EXISTS (SELECT 1 FROM responses
      WHERE account_id = @accountId AND status = 'queued' AND lease_owner = @owner)
    ON CONFLICT (account_id) DO UPDATE SET paused_until = excluded.paused_until`,
  clearPause: `DELETE FROM account_pauses WHERE account_id = @accountId`,
  // The org-wide pause, written for the org of the account's connection: same holder rule.
  pauseOrg: `INSERT INTO org_pauses (org_id, paused_until)
    SELECT c.org_id, @until FROM connections c WHERE c.account_id = @accountId AND EXISTS (SELECT 1 FROM responses
      WHERE account_id = @accountId AND status = 'queued' AND lease_owner = @owner)
    ON CONFLICT (org_id) DO UPDATE SET paused_until = excluded.paused_until, reason = NULL`,
  // Lifts the pause of the org the account is connected to now (run before a reconnect's upsert:
  // the org of the previous connection).
  clearOrgPause: `DELETE FROM org_pauses WHERE org_id IN (SELECT org_id FROM connections WHERE account_id = @accountId)`,
  claimedRow: `SELECT r.*, e.body FROM responses r JOIN events e ON e.event_id = r.event_id
    WHERE r.account_id = @accountId AND r.response_id = @responseId`,
  // SPEC §5: retry requeues a failed response; one skipped because the account was not connected
  // can also be retried after reconnecting.
  requeue: `UPDATE responses SET status = 'queued', next_attempt_at = @now, window_started_at = @now,
      error_code = NULL, error_message = NULL, lease_owner = NULL, lease_expires_at = NULL, updated_at = @now
    WHERE account_id = @accountId AND response_id = @responseId
      AND (status = 'failed' OR (status = 'skipped' AND error_code = 'NOT_CONNECTED'))`,
  queueStats: `SELECT COUNT(*) AS queued, MIN(created_at) AS oldest FROM responses WHERE status = 'queued'`,

  // Retention: finished responses (synced/failed/skipped) last changed before the cutoff, then
  // events before the cutoff that no response row points at any more; in chunks (short locks).
  pruneResponses: `DELETE FROM responses WHERE rowid IN (SELECT rowid FROM responses
    WHERE status <> 'queued' AND updated_at < @cutoff LIMIT @limit)`,
  pruneEvents: `DELETE FROM events WHERE rowid IN (SELECT e.rowid FROM events e
    WHERE e.received_at < @cutoff AND NOT EXISTS (SELECT 1 FROM responses r WHERE r.event_id = e.event_id) LIMIT @limit)`,
  upsertConnection: `INSERT INTO connections (account_id, status, reason, org_id, user_id, username, instance_url, login_url,
      access_token_enc, refresh_token_enc, connected_at, updated_at)
    VALUES (@accountId, @status, @reason, @orgId, @userId, @username, @instanceUrl, @loginUrl,
      @accessTokenEnc, @refreshTokenEnc, @connectedAt, @updatedAt)
    ON CONFLICT (account_id) DO UPDATE SET status = excluded.status, reason = excluded.reason, org_id = excluded.org_id,
      user_id = excluded.user_id, username = excluded.username, instance_url = excluded.instance_url,
      login_url = excluded.login_url, access_token_enc = excluded.access_token_enc,
      refresh_token_enc = excluded.refresh_token_enc, connected_at = excluded.connected_at, updated_at = excluded.updated_at`,

  getInteractionHash: `SELECT content_hash FROM interactions WHERE account_id = @accountId AND interaction_id = @interactionId`,
  upsertInteraction: `INSERT INTO interactions (account_id, interaction_id, name, fields_json, content_hash, updated_at)
    VALUES (@accountId, @interactionId, @name, @fieldsJson, @contentHash, @updatedAt)
    ON CONFLICT (account_id, interaction_id) DO UPDATE SET name = excluded.name, fields_json = excluded.fields_json,
      content_hash = excluded.content_hash, updated_at = excluded.updated_at`,
  // Consecutive failures n (1, 2, …) wait min(cap, base · 2^(n-1)); the shift is bounded (64-bit).
  deferMirror: `INSERT INTO interaction_mirror_backoffs (account_id, failures, retry_at)
    VALUES (@accountId, 1, @now + min(@capMs, @baseMs))
    ON CONFLICT (account_id) DO UPDATE SET failures = interaction_mirror_backoffs.failures + 1,
      retry_at = @now + min(@capMs, @baseMs << min(interaction_mirror_backoffs.failures, 30))
    RETURNING failures, retry_at`,
} as const;
