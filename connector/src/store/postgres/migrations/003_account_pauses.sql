-- Same table and meaning as the SQLite backend (store/sqlite/migrations/003_account_pauses.sql):
-- the pause of an account whose last batch came back `retry` as a whole, honoured by every instance.
CREATE TABLE account_pauses (
  account_id    TEXT PRIMARY KEY,
  paused_until  TIMESTAMPTZ NOT NULL
);
