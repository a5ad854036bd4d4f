-- Schema version 2: vendor follow-up. What a delivery claims (anomalies fixed, requirements
-- delivered), its known issues, the documents that must come with it, and the decision deadline.

ALTER TABLE delivery ADD COLUMN known_issues TEXT NOT NULL DEFAULT '';
-- Days the buyer has to notify a decision after the delivery (after that, admission is tacit).
ALTER TABLE delivery ADD COLUMN decision_days INTEGER;

CREATE TABLE delivery_fix (
    delivery_id INTEGER NOT NULL REFERENCES delivery(id) ON DELETE CASCADE,
    anomaly_id  INTEGER NOT NULL REFERENCES anomaly(id),
    PRIMARY KEY (delivery_id, anomaly_id)
) STRICT;

CREATE TABLE delivery_requirement (
    delivery_id    INTEGER NOT NULL REFERENCES delivery(id) ON DELETE CASCADE,
    requirement_id INTEGER NOT NULL REFERENCES requirement(id),
    change         TEXT NOT NULL DEFAULT 'delivered' CHECK (change IN ('delivered','changed')),
    PRIMARY KEY (delivery_id, requirement_id)
) STRICT;

CREATE TABLE delivery_document (
    delivery_id INTEGER NOT NULL REFERENCES delivery(id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    state       TEXT NOT NULL DEFAULT 'expected'
                CHECK (state IN ('expected','received','accepted','refused')),
    comment     TEXT NOT NULL DEFAULT '',
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (delivery_id, name)
) STRICT;

-- Who closed or reopened an anomaly through a retest, and when.
CREATE TABLE anomaly_event (
    id           INTEGER PRIMARY KEY,
    anomaly_id   INTEGER NOT NULL REFERENCES anomaly(id),
    at           TEXT NOT NULL,
    actor        TEXT NOT NULL,
    event        TEXT NOT NULL,
    from_status  TEXT NOT NULL,
    to_status    TEXT NOT NULL,
    execution_id INTEGER REFERENCES execution(id),
    -- The delivery that claimed the fix being retested.
    delivery_id  INTEGER REFERENCES delivery(id)
) STRICT;
