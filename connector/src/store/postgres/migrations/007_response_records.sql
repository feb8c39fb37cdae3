-- Same meaning as the SQLite backend (store/sqlite/migrations/007_response_records.sql).
ALTER TABLE responses ADD COLUMN has_response_record BOOLEAN NOT NULL DEFAULT false;
CREATE INDEX responses_failed ON responses (account_id) WHERE status = 'failed';
CREATE TABLE retry_request_polls (
  org_id     TEXT PRIMARY KEY,
  polled_at  TIMESTAMPTZ NOT NULL
);
