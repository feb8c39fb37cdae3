-- Same table and meaning as the SQLite backend (store/sqlite/migrations/005_org_pauses.sql): the
-- pause of every account connected to one Salesforce org after an org-wide refusal.
CREATE TABLE org_pauses (
  org_id        TEXT PRIMARY KEY,
  paused_until  TIMESTAMPTZ NOT NULL
);
CREATE INDEX IF NOT EXISTS connections_org ON connections (org_id);
