-- The pause of a whole Salesforce org: a batch refused as a whole for an org-wide reason
-- (REQUEST_LIMIT_EXCEEDED — the API request allocation and the concurrent long-running request
-- limit are per org, Salesforce "API Request Limits and Allocations" — a 5xx, or the instance out of
-- reach) pauses every account connected to that org (connections.org_id), not only the account
-- whose batch was refused: each of them would spend a refused call of the same org otherwise.
-- Honoured like account_pauses (no instance lists, claims or mirrors for those accounts before
-- paused_until); an expired row means "not paused". One row per org at most.
CREATE TABLE org_pauses (
  org_id        TEXT PRIMARY KEY,
  paused_until  INTEGER NOT NULL
);
-- "Which accounts does this org pause hide" joins connections on org_id.
CREATE INDEX IF NOT EXISTS connections_org ON connections (org_id);
