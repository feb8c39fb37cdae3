-- An account whose last batch came back `retry` as a whole (REQUEST_LIMIT_EXCEEDED, org down) is
-- paused until its earliest retry is due: no instance lists or claims it before paused_until, so
-- N instances do not spend N refused calls per limit window (docs/architecture.md, "Pause").
-- Its queued responses stay queued; an expired row means "not paused". One row per account at most.
CREATE TABLE account_pauses (
  account_id    TEXT PRIMARY KEY,
  paused_until  INTEGER NOT NULL
);
