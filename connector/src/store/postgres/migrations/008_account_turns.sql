-- Same table and meaning as the SQLite backend (store/sqlite/migrations/008_account_turns.sql): when
-- each account last had a batch claimed, for round-robin turns across tenants; and the partial index
-- of leased rows for the busy and org-cap checks.
CREATE TABLE account_turns (
  account_id       TEXT PRIMARY KEY,
  last_claimed_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX responses_leased ON responses (account_id) WHERE status = 'queued' AND lease_expires_at IS NOT NULL;
