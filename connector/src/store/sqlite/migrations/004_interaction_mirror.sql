-- Interaction metadata owed to a connected org is mirrored without waiting for a response batch
-- (the worker's mirror-only work, docs/architecture.md "Interaction mirroring"). One row per
-- account at most: `retry_at` is when the next mirror-only attempt may start — a running attempt
-- holds it for a lease, a failed one (call refused, or records Salesforce did not write) backs off
-- exponentially; `failures` counts consecutive failed attempts. A success deletes the row.
CREATE TABLE interaction_mirror_backoffs (
  account_id  TEXT PRIMARY KEY,
  failures    INTEGER NOT NULL,
  retry_at    INTEGER NOT NULL
);
-- The worker's poll for owed interactions reads only the rows that are owed.
CREATE INDEX interactions_owed ON interactions (account_id, updated_at)
  WHERE mirrored_hash IS NULL OR mirrored_hash <> content_hash;
