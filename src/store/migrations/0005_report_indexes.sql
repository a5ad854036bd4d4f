-- recette store, schema version 5: indexes for reports and verification.
-- Anomaly -> executions (anomaly lists, campaign anomalies) was a full scan per anomaly.
CREATE INDEX IF NOT EXISTS execution_anomaly_anomaly ON execution_anomaly(anomaly_id);
-- `recette verify` looks sign-off files up by hash.
CREATE INDEX IF NOT EXISTS signoff_file_sha256 ON signoff_file(sha256);
