-- Same table and meaning as the SQLite backend (store/sqlite/migrations/004_interaction_mirror.sql):
-- when the next mirror-only attempt for an account's owed interaction metadata may start, shared by
-- every instance; `failures` counts consecutive failed attempts, a success deletes the row.
CREATE TABLE interaction_mirror_backoffs (
  account_id  TEXT PRIMARY KEY,
  failures    INTEGER NOT NULL,
  retry_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX interactions_owed ON interactions (account_id, updated_at)
  WHERE mirrored_hash IS NULL OR mirrored_hash <> content_hash;
