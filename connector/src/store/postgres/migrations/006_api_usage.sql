-- Same tables and meaning as the SQLite backend (store/sqlite/migrations/006_api_usage.sql): the
-- connector's API calls per org per UTC day, the org's reported allocation and check times, and
-- the reason of an org pause (API_BUDGET / ORG_API_LIMIT; NULL = backoff).
CREATE TABLE org_api_usage (
  org_id     TEXT NOT NULL,
  day        TEXT NOT NULL,
  api_calls  INTEGER NOT NULL DEFAULT 0,
  synced     INTEGER NOT NULL DEFAULT 0,
  failed     INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (org_id, day)
);
CREATE TABLE org_api_state (
  org_id              TEXT PRIMARY KEY,
  org_api_used        INTEGER,
  org_api_max         INTEGER,
  reported_at         TIMESTAMPTZ,
  settings_check_at   TIMESTAMPTZ,
  probe_at            TIMESTAMPTZ,
  usage_record_at     TIMESTAMPTZ,
  -- Daily_API_Budget__c as last read by any instance (NULL: no cap), for the usage route.
  daily_api_budget    INTEGER,
  budget_read_at      TIMESTAMPTZ
);
ALTER TABLE org_pauses ADD COLUMN reason TEXT;
