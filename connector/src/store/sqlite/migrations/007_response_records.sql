-- Sync health in Salesforce (SPEC §3b).
-- A CredSpark_Response__c record was written for this response (kept up to date in `Failures` mode).
ALTER TABLE responses ADD COLUMN has_response_record INTEGER NOT NULL DEFAULT 0;
-- The retry-request poll: orgs with failed responses are found through this index.
CREATE INDEX responses_failed ON responses (account_id) WHERE status = 'failed';
-- When an org was last asked for Retry_Requested__c (epoch ms); one turn per interval across instances.
CREATE TABLE retry_request_polls (
  org_id     TEXT PRIMARY KEY,
  polled_at  INTEGER NOT NULL
);
