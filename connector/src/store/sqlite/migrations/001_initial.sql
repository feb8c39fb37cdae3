-- Times are integers: milliseconds since the Unix epoch (UTC).

CREATE TABLE events (
  event_id     TEXT PRIMARY KEY,
  account_id   TEXT NOT NULL,
  type         TEXT NOT NULL,
  body         TEXT NOT NULL,
  received_at  INTEGER NOT NULL
);
CREATE INDEX events_account ON events (account_id, received_at);

CREATE TABLE responses (
  account_id        TEXT NOT NULL,
  response_id       TEXT NOT NULL,
  event_id          TEXT NOT NULL REFERENCES events (event_id),
  interaction_id    TEXT NOT NULL,
  completed_at      INTEGER NOT NULL,
  status            TEXT NOT NULL CHECK (status IN ('queued', 'synced', 'failed', 'skipped')),
  attempts          INTEGER NOT NULL DEFAULT 0,
  next_attempt_at   INTEGER NOT NULL,
  -- start of the current retry window (insert or admin requeue): the maximum age counts from here
  window_started_at INTEGER NOT NULL,
  lease_owner       TEXT,
  lease_expires_at  INTEGER,
  object            TEXT,
  record_id         TEXT,
  action            TEXT,
  error_code        TEXT,
  error_message     TEXT,
  warnings          TEXT,
  created_at        INTEGER NOT NULL,
  updated_at        INTEGER NOT NULL,
  PRIMARY KEY (account_id, response_id)
);
-- The worker's two hot reads: due work per account, and the oldest queued response.
CREATE INDEX responses_due ON responses (status, account_id, next_attempt_at) WHERE status = 'queued';
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
  connected_at       INTEGER NOT NULL,
  updated_at         INTEGER NOT NULL
);

CREATE TABLE oauth_states (
  state_hash         TEXT PRIMARY KEY,
  account_id         TEXT NOT NULL,
  login_url          TEXT NOT NULL,
  return_url         TEXT,
  code_verifier_enc  TEXT NOT NULL,
  expires_at         INTEGER NOT NULL
);

CREATE TABLE interactions (
  account_id      TEXT NOT NULL,
  interaction_id  TEXT NOT NULL,
  name            TEXT NOT NULL,
  fields_json     TEXT NOT NULL,
  content_hash    TEXT NOT NULL,
  mirrored_hash   TEXT,
  updated_at      INTEGER NOT NULL,
  PRIMARY KEY (account_id, interaction_id)
);
