/**
 * The statements both backends run as written: one text each, with named placeholders (`@now`).
 * SQLite binds them by name as they are; Postgres gets them through `positional()` (postgres/sql.ts)
 * with the order its calls pass values in. Values differ by backend (epoch ms on SQLite, Date on
 * Postgres), the text does not. What really differs (claims, bulk inserts, casts, CTEs) stays in
 * each backend's sql.ts.
 */
export const SHARED_SQL = {
  // An account with a live lease is busy: one batch per account at a time, across instances, so
  // batches of one org never race each other (same new email twice, UNABLE_TO_LOCK_ROW).
  // An org whose connected accounts already hold @orgCap live leases is full: its other accounts
  // wait (several CredSpark accounts may connect the same org; SPEC §7 UNABLE_TO_LOCK_ROW).
  // A paused account (its last batch came back retry as a whole) waits until paused_until, and so
  // does every account connected to a paused org (a batch refused for an org-wide reason).
  // Turns go round-robin across tenants: least recently served first (account_turns, written by a
  // claim that took something; never served = first), then the oldest due response
  // (docs/architecture.md "Fairness across tenants"). `lease_expires_at > @now` reads the partial
  // index of leased rows (responses_leased, migration 008), not every queued row.
  accountsWithDueWork: `SELECT r.account_id FROM responses r LEFT JOIN account_turns t ON t.account_id = r.account_id
    WHERE r.status = 'queued' AND r.next_attempt_at <= @now AND (r.lease_expires_at IS NULL OR r.lease_expires_at <= @now)
      AND r.account_id NOT IN (SELECT account_id FROM responses WHERE status = 'queued' AND lease_expires_at > @now)
      AND r.account_id NOT IN (SELECT account_id FROM account_pauses WHERE paused_until > @now)
      AND r.account_id NOT IN (SELECT pc.account_id FROM connections pc JOIN org_pauses op ON op.org_id = pc.org_id
        WHERE op.paused_until > @now)
      AND r.account_id NOT IN (SELECT c.account_id FROM connections c WHERE c.org_id IN (
        SELECT lc.org_id FROM responses lr JOIN connections lc ON lc.account_id = lr.account_id
        WHERE lr.status = 'queued' AND lr.lease_expires_at > @now
        GROUP BY lc.org_id HAVING COUNT(DISTINCT lr.account_id) >= @orgCap))
    GROUP BY r.account_id ORDER BY MAX(t.last_claimed_at) NULLS FIRST, MIN(r.next_attempt_at), r.account_id LIMIT @limit`,
  // Busy (another owner's live lease) or paused (the account, or the org it is connected to): the
  // claim takes nothing.
  accountBusyOrPaused: `SELECT 1 FROM responses
      WHERE account_id = @accountId AND status = 'queued' AND lease_expires_at > @now AND lease_owner <> @owner
    UNION ALL SELECT 1 FROM account_pauses WHERE account_id = @accountId AND paused_until > @now
    UNION ALL SELECT 1 FROM connections c JOIN org_pauses op ON op.org_id = c.org_id
      WHERE c.account_id = @accountId AND op.paused_until > @now
    LIMIT 1`,
  renewLeases: `UPDATE responses SET lease_expires_at = @leaseExpiresAt
    WHERE account_id = @accountId AND lease_owner = @owner AND status = 'queued'`,

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
  skipQueued: `UPDATE responses SET status = 'skipped', error_code = @code, error_message = @message,
      lease_owner = NULL, lease_expires_at = NULL, updated_at = @now
    WHERE account_id = @accountId AND status = 'queued'`,
  pruneStates: `DELETE FROM oauth_states WHERE expires_at < @cutoff`,
  prunePauses: `DELETE FROM account_pauses WHERE paused_until < @cutoff`,
  pruneOrgPauses: `DELETE FROM org_pauses WHERE paused_until < @cutoff`,
  pruneMirrorBackoffs: `DELETE FROM interaction_mirror_backoffs WHERE retry_at < @cutoff`,
  // An account not served since the cutoff starts again as "never served" (first in line).
  pruneTurns: `DELETE FROM account_turns WHERE last_claimed_at < @cutoff`,

  getConnection: `SELECT * FROM connections WHERE account_id = @accountId`,
  // A refresh may move the org to another instance (instance_url): kept with the new tokens.
  updateTokens: `UPDATE connections SET access_token_enc = @accessTokenEnc,
      refresh_token_enc = COALESCE(@refreshTokenEnc, refresh_token_enc),
      instance_url = COALESCE(@instanceUrl, instance_url), updated_at = @now
    WHERE account_id = @accountId`,
  markDisconnected: `UPDATE connections SET status = 'disconnected', reason = @reason, updated_at = @now WHERE account_id = @accountId`,
  insertState: `INSERT INTO oauth_states (state_hash, account_id, login_url, return_url, code_verifier_enc, expires_at)
    VALUES (@stateHash, @accountId, @loginUrl, @returnUrl, @codeVerifierEnc, @expiresAt)`,
  consumeState: `DELETE FROM oauth_states WHERE state_hash = @stateHash RETURNING *`,
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
  clearMirrorBackoff: `DELETE FROM interaction_mirror_backoffs WHERE account_id = @accountId`,
} as const;

/** The usage port's statements both backends run as written (ports/usage.ts, migration 006). */
export const SHARED_USAGE_SQL = {
  addApiCalls: `INSERT INTO org_api_usage (org_id, day, api_calls) VALUES (@orgId, @day, @n)
    ON CONFLICT (org_id, day) DO UPDATE SET api_calls = org_api_usage.api_calls + excluded.api_calls
    RETURNING api_calls`,
  countOutcomes: `INSERT INTO org_api_usage (org_id, day, synced, failed) VALUES (@orgId, @day, @synced, @failed)
    ON CONFLICT (org_id, day) DO UPDATE SET synced = org_api_usage.synced + excluded.synced,
      failed = org_api_usage.failed + excluded.failed`,
  dayUsage: `SELECT api_calls, synced, failed FROM org_api_usage WHERE org_id = @orgId AND day = @day`,
  // The newest report wins, whichever instance records it last.
  recordOrgReport: `INSERT INTO org_api_state (org_id, org_api_used, org_api_max, reported_at)
    VALUES (@orgId, @used, @max, @at)
    ON CONFLICT (org_id) DO UPDATE SET org_api_used = excluded.org_api_used, org_api_max = excluded.org_api_max,
      reported_at = excluded.reported_at WHERE org_api_state.reported_at IS NULL OR org_api_state.reported_at <= excluded.reported_at`,
  orgReport: `SELECT org_api_used, org_api_max, reported_at FROM org_api_state WHERE org_id = @orgId AND reported_at IS NOT NULL`,
  recordBudget: `INSERT INTO org_api_state (org_id, daily_api_budget, budget_read_at) VALUES (@orgId, @budget, @at)
    ON CONFLICT (org_id) DO UPDATE SET daily_api_budget = excluded.daily_api_budget, budget_read_at = excluded.budget_read_at
      WHERE org_api_state.budget_read_at IS NULL OR org_api_state.budget_read_at <= excluded.budget_read_at`,
  budget: `SELECT daily_api_budget, budget_read_at FROM org_api_state WHERE org_id = @orgId AND budget_read_at IS NOT NULL`,
  orgWait: `SELECT op.reason, op.paused_until FROM connections c JOIN org_pauses op ON op.org_id = c.org_id
    WHERE c.account_id = @accountId AND op.paused_until > @now`,
  accountWait: `SELECT paused_until FROM account_pauses WHERE account_id = @accountId AND paused_until > @now`,
  heldCounts: `SELECT COALESCE(op.reason, 'BACKOFF') AS reason, COUNT(*) AS n FROM responses r
      LEFT JOIN connections c ON c.account_id = r.account_id
      LEFT JOIN org_pauses op ON op.org_id = c.org_id AND op.paused_until > @now
      LEFT JOIN account_pauses ap ON ap.account_id = r.account_id AND ap.paused_until > @now
    WHERE r.status = 'queued' AND (op.org_id IS NOT NULL OR ap.account_id IS NOT NULL OR r.next_attempt_at > @now)
    GROUP BY 1`,
} as const;

/** The org_api_state column holding each check's last turn (claimOrgCheck). */
export const ORG_CHECK_COLUMN = {
  settings: 'settings_check_at',
  probe: 'probe_at',
  usageRecord: 'usage_record_at',
} as const;

/** `@name` placeholders → `$1…$n` in the order given; every name must be placed and used. */
export function positional(sql: string, order: readonly string[]): string {
  const used = new Set<string>();
  const text = sql.replace(/@([A-Za-z]\w*)/g, (_, name: string) => {
    const i = order.indexOf(name);
    if (i < 0) throw new Error(`SQL parameter @${name} has no position in [${order.join(', ')}]`);
    used.add(name);
    return `$${i + 1}`;
  });
  const unused = order.filter((n) => !used.has(n));
  if (unused.length) throw new Error(`SQL parameters never used: ${unused.join(', ')}`);
  return text;
}

/** Every statement of `statements` through `positional`, each in its own order (Postgres). */
export function placeAll<K extends string>(
  statements: Record<K, string>,
  order: Record<K, readonly string[]>,
): Record<K, string> {
  return Object.fromEntries(
    (Object.keys(statements) as K[]).map((k) => [k, positional(statements[k], order[k])]),
  ) as Record<K, string>;
}
