-- Fairness across tenants (docs/architecture.md): when each account last had a batch claimed.
-- accountsWithDueWork serves due accounts least recently served first (round-robin), so a quiet
-- account's lone response is next at the first free slot, not behind every older backlog. Written by
-- the claim in its transaction; one row per account that ever had a batch; pruned with retention.
CREATE TABLE account_turns (
  account_id       TEXT PRIMARY KEY,
  last_claimed_at  INTEGER NOT NULL
);
-- Leased rows only (at most the batches in flight): the listing's and the claim's "busy" and
-- org-cap checks read these instead of every queued row.
CREATE INDEX responses_leased ON responses (account_id) WHERE status = 'queued' AND lease_expires_at IS NOT NULL;
