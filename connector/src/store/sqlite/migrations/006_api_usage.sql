-- API economy (SPEC §2 "API budget"): the connector's Salesforce API calls per org per
-- UTC day, counted in the store so every instance shares one count (the admin's
-- Daily_API_Budget__c is per org, not per process), with the day's synced / failed responses for
-- the org's CredSpark_Usage__c record.
CREATE TABLE org_api_usage (
  org_id     TEXT NOT NULL,
  day        TEXT NOT NULL, -- YYYY-MM-DD (UTC)
  api_calls  INTEGER NOT NULL DEFAULT 0,
  synced     INTEGER NOT NULL DEFAULT 0,
  failed     INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (org_id, day)
);
-- One row per org: the org's own allocation as Salesforce last reported it (Sforce-Limit-Info
-- api-usage=N/M) and when each rate-limited check last ran, so that N instances make one settings
-- re-read per 5 minutes while held, one headroom probe per 15 minutes, one usage-record upsert per
-- 15 minutes — not one each.
CREATE TABLE org_api_state (
  org_id              TEXT PRIMARY KEY,
  org_api_used        INTEGER,
  org_api_max         INTEGER,
  reported_at         INTEGER,
  settings_check_at   INTEGER,
  probe_at            INTEGER,
  usage_record_at     INTEGER,
  -- Daily_API_Budget__c as last read by any instance (NULL: no cap), for the usage route.
  daily_api_budget    INTEGER,
  budget_read_at      INTEGER
);
-- Why an org is paused: NULL for a backoff pause (005), 'API_BUDGET' (the admin's daily cap is
-- spent) or 'ORG_API_LIMIT' (the org's own allocation is used beyond Max_Org_API_Usage_Percent__c,
-- or spent: REQUEST_LIMIT_EXCEEDED "TotalRequests"). The status API shows it as `waitingFor`.
ALTER TABLE org_pauses ADD COLUMN reason TEXT;
