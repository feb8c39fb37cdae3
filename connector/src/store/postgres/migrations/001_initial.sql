-- Same tables and meaning as the SQLite backend (store/sqlite/migrations/001_initial.sql);
-- times are timestamptz here.

CREATE TABLE events (
  event_id     TEXT PRIMARY KEY,
  account_id   TEXT NOT NULL,
  type         TEXT NOT NULL,
  body         TEXT NOT NULL,
  received_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX events_account ON events (account_id, received_at);

CREATE TABLE responses (
  account_id        TEXT NOT NULL,
  response_id       TEXT NOT NULL,
  event_id          TEXT NOT NULL REFERENCES events (event_id),
  interaction_id    TEXT NOT NULL,
  completed_at      TIMESTAMPTZ NOT NULL,
  status            TEXT NOT NULL CHECK (status IN ('queued', 'synced', 'failed', 'skipped')),
  attempts          INTEGER NOT NULL DEFAULT 0,
  next_attempt_at   TIMESTAMPTZ NOT NULL,
  window_started_at TIMESTAMPTZ NOT NULL,
  lease_owner       TEXT,
  lease_expires_at  TIMESTAMPTZ,
  object            TEXT,
  record_id         TEXT,
  action            TEXT,
  error_code        TEXT,
  error_message     TEXT,
  warnings          TEXT,
  created_at        TIMESTAMPTZ NOT NULL,
  updated_at        TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (account_id, response_id)
);
CREATE INDEX responses_due ON responses (account_id, next_attempt_at) WHERE status = 'queued';
CREATE INDEX responses_queued_created ON responses (created_at) WHERE status = 'queued';

CREATE TABLE connections (
  account_id         TEXT PRIMARY KEY,
  status             TEXT NOT NULL CHECK (status IN ('connected', 'disconnected')),
  reason             TEXT,
  org_id             TEXT NOT NULL,
  user_id            TEXT NOT NULL,
  username           TEXT NOT NULL,
  instance_url       TEXT NOT NULL,
  login_url          TEXT NOT NULL,
  access_token_enc   TEXT NOT NULL,
  refresh_token_enc  TEXT NOT NULL,
  connected_at       TIMESTAMPTZ NOT NULL,
  updated_at         TIMESTAMPTZ NOT NULL
);

CREATE TABLE oauth_states (
  state_hash         TEXT PRIMARY KEY,
  account_id         TEXT NOT NULL,
  login_url          TEXT NOT NULL,
  return_url         TEXT,
  code_verifier_enc  TEXT NOT NULL,
  expires_at         TIMESTAMPTZ NOT NULL
);

CREATE TABLE interactions (
  account_id      TEXT NOT NULL,
  interaction_id  TEXT NOT NULL,
  name            TEXT NOT NULL,
  fields_json     TEXT NOT NULL,
  content_hash    TEXT NOT NULL,
  mirrored_hash   TEXT,
  updated_at      TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (account_id, interaction_id)
);
