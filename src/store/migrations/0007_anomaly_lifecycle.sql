-- Schema version 7: the anomaly lifecycle, entry criteria and the start of a campaign.
-- * Anomalies: an assignee (often the vendor); every move of the lifecycle is an anomaly_event
--   row (who, when, from, to, comment, delivery), with the comment that reopening or rejecting
--   requires; comments, internal (never shown to the vendor) or shared; attachments stored by
--   sha256 like execution evidence; direct links to requirements.
-- * Strategies: entry criteria beside the exit criteria, and the tag of their smoke tests.
-- * Campaigns: a state (planned, started), when and by whom it was started, whether its entry
--   criteria were overridden (--force) and the entry criteria as they were measured at start.

ALTER TABLE anomaly ADD COLUMN assignee TEXT NOT NULL DEFAULT '';
ALTER TABLE anomaly_event ADD COLUMN comment TEXT NOT NULL DEFAULT '';
CREATE INDEX anomaly_event_anomaly ON anomaly_event(anomaly_id);

CREATE TABLE anomaly_comment (
    id         INTEGER PRIMARY KEY,
    anomaly_id INTEGER NOT NULL REFERENCES anomaly(id),
    at         TEXT NOT NULL,
    actor      TEXT NOT NULL,
    visibility TEXT NOT NULL CHECK (visibility IN ('internal', 'shared')),
    text       TEXT NOT NULL
) STRICT;
CREATE INDEX anomaly_comment_anomaly ON anomaly_comment(anomaly_id);

CREATE TABLE anomaly_evidence (
    id         INTEGER PRIMARY KEY,
    anomaly_id INTEGER NOT NULL REFERENCES anomaly(id),
    file_name  TEXT NOT NULL,
    sha256     TEXT NOT NULL,
    size       INTEGER NOT NULL,
    at         TEXT NOT NULL,
    actor      TEXT NOT NULL
) STRICT;
CREATE INDEX anomaly_evidence_anomaly ON anomaly_evidence(anomaly_id);

CREATE TABLE anomaly_requirement (
    anomaly_id     INTEGER NOT NULL REFERENCES anomaly(id),
    requirement_id INTEGER NOT NULL REFERENCES requirement(id),
    PRIMARY KEY (anomaly_id, requirement_id)
) STRICT;

ALTER TABLE strategy ADD COLUMN smoke_tag TEXT NOT NULL DEFAULT 'smoke';

CREATE TABLE entry_criterion (
    strategy_id INTEGER NOT NULL REFERENCES strategy(id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    indicator   TEXT NOT NULL,
    operator    TEXT NOT NULL CHECK (operator IN ('<','<=','=','>=','>')),
    threshold   REAL NOT NULL,
    blocking    INTEGER NOT NULL DEFAULT 1,
    label       TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (strategy_id, position)
) STRICT;

ALTER TABLE campaign ADD COLUMN state TEXT NOT NULL DEFAULT 'planned'
    CHECK (state IN ('planned', 'started'));
ALTER TABLE campaign ADD COLUMN started_at TEXT;
ALTER TABLE campaign ADD COLUMN started_by TEXT NOT NULL DEFAULT '';
ALTER TABLE campaign ADD COLUMN start_forced INTEGER NOT NULL DEFAULT 0;
-- JSON array: the entry criteria and their measures when the campaign was started.
ALTER TABLE campaign ADD COLUMN start_checks TEXT NOT NULL DEFAULT '[]';
-- A campaign that already has results was started when its first result was recorded.
UPDATE campaign SET state = 'started',
    started_at = (SELECT MIN(executed_at) FROM execution e WHERE e.campaign_id = campaign.id)
WHERE EXISTS (SELECT 1 FROM execution e WHERE e.campaign_id = campaign.id);
