-- Retention (docs/operations.md): the pruner deletes finished responses by age; this keeps it a
-- range scan instead of a walk over the whole table.
CREATE INDEX responses_finished_updated ON responses (updated_at) WHERE status <> 'queued';
CREATE INDEX events_received ON events (received_at);
