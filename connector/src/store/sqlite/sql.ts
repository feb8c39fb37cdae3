/**
 * Every SQL statement of the SQLite store, in one place. Times are epoch milliseconds.
 * A response is "claimable" when queued, due, and not under a live lease.
 */
export const SQL = {
  insertEvent: `INSERT INTO events (event_id, account_id, type, body, received_at)
    VALUES (@eventId, @accountId, @type, @body, @receivedAt) ON CONFLICT (event_id) DO NOTHING`,
  // A response id seen again under a new event id keeps its first row (and its sync state).
  insertResponse: `INSERT INTO responses (account_id, response_id, event_id, interaction_id, completed_at, status,
      attempts, next_attempt_at, window_started_at, created_at, updated_at)
    VALUES (@accountId, @responseId, @eventId, @interactionId, @completedAt, 'queued', 0, @now, @now, @now, @now)
    ON CONFLICT (account_id, response_id) DO NOTHING`,

  // An account with a live lease is busy: one batch per account at a time, across instances, so
  // batches of one org never race each other (same new email twice, UNABLE_TO_LOCK_ROW).
  // An org whose connected accounts already hold @orgCap live leases is full: its other accounts
  // wait (several CredSpark accounts may connect the same org; SPEC §7 UNABLE_TO_LOCK_ROW).
  // A paused account (its last batch came back retry as a whole) waits until paused_until, and so
  // does every account connected to a paused org (a batch refused for an org-wide reason).
  accountsWithDueWork: `SELECT account_id FROM responses
    WHERE status = 'queued' AND next_attempt_at <= @now AND (lease_expires_at IS NULL OR lease_expires_at <= @now)
      AND account_id NOT IN (SELECT account_id FROM responses WHERE status = 'queued' AND lease_expires_at > @now)
      AND account_id NOT IN (SELECT account_id FROM account_pauses WHERE paused_until > @now)
      AND account_id NOT IN (SELECT pc.account_id FROM connections pc JOIN org_pauses op ON op.org_id = pc.org_id
        WHERE op.paused_until > @now)
      AND account_id NOT IN (SELECT c.account_id FROM connections c WHERE c.org_id IN (
        SELECT lc.org_id FROM responses lr JOIN connections lc ON lc.account_id = lr.account_id
        WHERE lr.status = 'queued' AND lr.lease_expires_at > @now
        GROUP BY lc.org_id HAVING COUNT(DISTINCT lr.account_id) >= @orgCap))
    GROUP BY account_id ORDER BY MIN(next_attempt_at), account_id LIMIT @limit`,
  // Other accounts of this account's org that hold a live lease (the claim refuses at the cap).
  orgBusyAccounts: `SELECT COUNT(DISTINCT r.account_id) AS n FROM responses r JOIN connections c ON c.account_id = r.account_id
    WHERE r.status = 'queued' AND r.lease_expires_at > @now AND r.account_id <> @accountId
      AND c.org_id = (SELECT org_id FROM connections WHERE account_id = @accountId)`,
  // Busy (another owner's live lease) or paused (the account, or the org it is connected to): the
  // claim takes nothing.
  accountBusyOrPaused: `SELECT 1 FROM responses
      WHERE account_id = @accountId AND status = 'queued' AND lease_expires_at > @now AND lease_owner <> @owner
    UNION ALL SELECT 1 FROM account_pauses WHERE account_id = @accountId AND paused_until > @now
    UNION ALL SELECT 1 FROM connections c JOIN org_pauses op ON op.org_id = c.org_id
      WHERE c.account_id = @accountId AND op.paused_until > @now
    LIMIT 1`,
  selectClaimable: `SELECT response_id FROM responses
    WHERE account_id = @accountId AND status = 'queued' AND next_attempt_at <= @now
      AND (lease_expires_at IS NULL OR lease_expires_at <= @now)
    ORDER BY completed_at, created_at, response_id LIMIT @limit`,
  lease: `UPDATE responses SET lease_owner = @owner, lease_expires_at = @leaseExpiresAt
    WHERE account_id = @accountId AND response_id = @responseId`,
  renewLeases: `UPDATE responses SET lease_expires_at = @leaseExpiresAt
    WHERE account_id = @accountId AND lease_owner = @owner AND status = 'queued'`,
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

  completeSynced: `UPDATE responses SET status = 'synced', object = @object, record_id = @recordId, action = @action,
      warnings = @warnings, error_code = NULL, error_message = NULL, attempts = attempts + 1,
      lease_owner = NULL, lease_expires_at = NULL, updated_at = @now
    WHERE account_id = @accountId AND response_id = @responseId AND status = 'queued' AND lease_owner = @owner`,
  completeFinal: `UPDATE responses SET status = @status, object = COALESCE(@object, object), error_code = @code,
      error_message = @message, attempts = attempts + 1, lease_owner = NULL, lease_expires_at = NULL, updated_at = @now
    WHERE account_id = @accountId AND response_id = @responseId AND status = 'queued' AND lease_owner = @owner`,
  completeRetry: `UPDATE responses SET next_attempt_at = @nextAttemptAt, error_code = @code, error_message = @message,
      attempts = attempts + 1, lease_owner = NULL, lease_expires_at = NULL, updated_at = @now
    WHERE account_id = @accountId AND response_id = @responseId AND status = 'queued' AND lease_owner = @owner`,

  getResponse: `SELECT * FROM responses WHERE account_id = @accountId AND response_id = @responseId`,
  hasEvent: `SELECT 1 FROM events WHERE event_id = @eventId`,
  // SPEC §5: retry requeues a failed response; one skipped because the account was not connected
  // can also be retried after reconnecting.
  requeue: `UPDATE responses SET status = 'queued', next_attempt_at = @now, window_started_at = @now,
      error_code = NULL, error_message = NULL, lease_owner = NULL, lease_expires_at = NULL, updated_at = @now
    WHERE account_id = @accountId AND response_id = @responseId
      AND (status = 'failed' OR (status = 'skipped' AND error_code = 'NOT_CONNECTED'))`,
  skipQueued: `UPDATE responses SET status = 'skipped', error_code = @code, error_message = @message,
      lease_owner = NULL, lease_expires_at = NULL, updated_at = @now
    WHERE account_id = @accountId AND status = 'queued'`,
  queueStats: `SELECT COUNT(*) AS queued, MIN(created_at) AS oldest FROM responses WHERE status = 'queued'`,

  // Retention: finished responses (synced/failed/skipped) last changed before the cutoff, then
  // events before the cutoff that no response row points at any more; in chunks (short locks).
  pruneResponses: `DELETE FROM responses WHERE rowid IN (SELECT rowid FROM responses
    WHERE status <> 'queued' AND updated_at < @cutoff LIMIT @limit)`,
  pruneEvents: `DELETE FROM events WHERE rowid IN (SELECT e.rowid FROM events e
    WHERE e.received_at < @cutoff AND NOT EXISTS (SELECT 1 FROM responses r WHERE r.event_id = e.event_id) LIMIT @limit)`,
  pruneStates: `DELETE FROM oauth_states WHERE expires_at < @cutoff`,
  prunePauses: `DELETE FROM account_pauses WHERE paused_until < @cutoff`,
  pruneOrgPauses: `DELETE FROM org_pauses WHERE paused_until < @cutoff`,
  pruneMirrorBackoffs: `DELETE FROM interaction_mirror_backoffs WHERE retry_at < @cutoff`,

  getConnection: `SELECT * FROM connections WHERE account_id = @accountId`,
  upsertConnection: `INSERT INTO connections (account_id, status, reason, org_id, user_id, username, instance_url, login_url,
      access_token_enc, refresh_token_enc, connected_at, updated_at)
    VALUES (@accountId, @status, @reason, @orgId, @userId, @username, @instanceUrl, @loginUrl,
      @accessTokenEnc, @refreshTokenEnc, @connectedAt, @updatedAt)
    ON CONFLICT (account_id) DO UPDATE SET status = excluded.status, reason = excluded.reason, org_id = excluded.org_id,
      user_id = excluded.user_id, username = excluded.username, instance_url = excluded.instance_url,
      login_url = excluded.login_url, access_token_enc = excluded.access_token_enc,
      refresh_token_enc = excluded.refresh_token_enc, connected_at = excluded.connected_at, updated_at = excluded.updated_at`,
  // A refresh may move the org to another instance (instance_url): kept with the new tokens.
  updateTokens: `UPDATE connections SET access_token_enc = @accessTokenEnc,
      refresh_token_enc = COALESCE(@refreshTokenEnc, refresh_token_enc),
      instance_url = COALESCE(@instanceUrl, instance_url), updated_at = @now
    WHERE account_id = @accountId`,
  markDisconnected: `UPDATE connections SET status = 'disconnected', reason = @reason, updated_at = @now WHERE account_id = @accountId`,
  insertState: `INSERT INTO oauth_states (state_hash, account_id, login_url, return_url, code_verifier_enc, expires_at)
    VALUES (@stateHash, @accountId, @loginUrl, @returnUrl, @codeVerifierEnc, @expiresAt)`,
  consumeState: `DELETE FROM oauth_states WHERE state_hash = @stateHash RETURNING *`,

  getInteractionHash: `SELECT content_hash FROM interactions WHERE account_id = @accountId AND interaction_id = @interactionId`,
  upsertInteraction: `INSERT INTO interactions (account_id, interaction_id, name, fields_json, content_hash, updated_at)
    VALUES (@accountId, @interactionId, @name, @fieldsJson, @contentHash, @updatedAt)
    ON CONFLICT (account_id, interaction_id) DO UPDATE SET name = excluded.name, fields_json = excluded.fields_json,
      content_hash = excluded.content_hash, updated_at = excluded.updated_at`,
  interactionsToMirror: `SELECT * FROM interactions
    WHERE account_id = @accountId AND (mirrored_hash IS NULL OR mirrored_hash <> content_hash)
    ORDER BY updated_at, interaction_id LIMIT @limit`,
  markMirrored: `UPDATE interactions SET mirrored_hash = @hash WHERE account_id = @accountId AND interaction_id = @interactionId`,

  // Mirror-only work (no response batch needed): connected accounts owing interaction metadata,
  // not paused (account or org), not backed off / being mirrored, not under a live batch lease (a batch mirrors first).
  accountsOwingMirror: `SELECT i.account_id FROM interactions i JOIN connections c ON c.account_id = i.account_id
    WHERE (i.mirrored_hash IS NULL OR i.mirrored_hash <> i.content_hash) AND c.status = 'connected'
      AND i.account_id NOT IN (SELECT account_id FROM account_pauses WHERE paused_until > @now)
      AND NOT EXISTS (SELECT 1 FROM org_pauses op WHERE op.org_id = c.org_id AND op.paused_until > @now)
      AND i.account_id NOT IN (SELECT account_id FROM interaction_mirror_backoffs WHERE retry_at > @now)
      AND i.account_id NOT IN (SELECT account_id FROM responses WHERE status = 'queued' AND lease_expires_at > @now)
    GROUP BY i.account_id ORDER BY MIN(i.updated_at), i.account_id LIMIT @limit`,
  // Takes the account's mirror turn until @until, unless another attempt or a backoff holds it past @now.
  claimMirror: `INSERT INTO interaction_mirror_backoffs (account_id, failures, retry_at) VALUES (@accountId, 0, @until)
    ON CONFLICT (account_id) DO UPDATE SET retry_at = excluded.retry_at WHERE interaction_mirror_backoffs.retry_at <= @now`,
  // Consecutive failures n (1, 2, …) wait min(cap, base · 2^(n-1)); the shift is bounded (64-bit).
  deferMirror: `INSERT INTO interaction_mirror_backoffs (account_id, failures, retry_at)
    VALUES (@accountId, 1, @now + min(@capMs, @baseMs))
    ON CONFLICT (account_id) DO UPDATE SET failures = interaction_mirror_backoffs.failures + 1,
      retry_at = @now + min(@capMs, @baseMs << min(interaction_mirror_backoffs.failures, 30))
    RETURNING failures, retry_at`,
  clearMirrorBackoff: `DELETE FROM interaction_mirror_backoffs WHERE account_id = @accountId`,
} as const;
