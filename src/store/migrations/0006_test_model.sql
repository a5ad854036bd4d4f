-- Schema version 6: the test model.
-- * Versions: a test case has a version number; a change of what the tester does or checks
--   (objective, prerequisites, steps) archives the current content in test_version and makes
--   the next version. The current version lives in test_case and test_step as before.
-- * Data sets (jeux de données): named values of a test's ${parameters}.
-- * A campaign plans and runs each (test, data set) on its own: campaign_test and execution are
--   keyed by test and data set name ('' for a test without data set), with attempts numbered
--   per (campaign, test, data set).
-- * An execution keeps the version it was run against and the values of its data set, and each
--   step result its actual result.
-- The migration runs with foreign keys off (see Store::migrate_to) so that rebuilding the
-- execution table does not cascade into its children; the keys are checked before commit.

ALTER TABLE test_case ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
-- When the current version was made.
ALTER TABLE test_case ADD COLUMN version_at TEXT NOT NULL DEFAULT '';
UPDATE test_case SET version_at = created_at;
-- Why a retired test case was retired (active = 0).
ALTER TABLE test_case ADD COLUMN retired_reason TEXT NOT NULL DEFAULT '';

-- Earlier versions of a test case, as they were when the next version replaced them.
CREATE TABLE test_version (
    test_id       INTEGER NOT NULL REFERENCES test_case(id) ON DELETE CASCADE,
    version       INTEGER NOT NULL,
    title         TEXT NOT NULL,
    objective     TEXT NOT NULL,
    prerequisites TEXT NOT NULL,
    -- JSON array of {"action", "expected"}.
    steps         TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    replaced_at   TEXT NOT NULL,
    PRIMARY KEY (test_id, version)
) STRICT;

CREATE TABLE test_dataset (
    id         INTEGER PRIMARY KEY,
    test_id    INTEGER NOT NULL REFERENCES test_case(id) ON DELETE CASCADE,
    name       TEXT NOT NULL CHECK (name != ''),
    position   INTEGER NOT NULL,
    -- JSON object: parameter name -> value.
    parameters TEXT NOT NULL DEFAULT '{}',
    -- 0: removed while planned or run somewhere (kept for history, never planned again).
    active     INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (test_id, name)
) STRICT;

CREATE TABLE campaign_test_v6 (
    campaign_id INTEGER NOT NULL REFERENCES campaign(id) ON DELETE CASCADE,
    test_id     INTEGER NOT NULL REFERENCES test_case(id),
    dataset     TEXT NOT NULL DEFAULT '',
    position    INTEGER NOT NULL,
    assignee    TEXT NOT NULL DEFAULT '',
    reason      TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (campaign_id, test_id, dataset)
) STRICT;
INSERT INTO campaign_test_v6(campaign_id, test_id, dataset, position, assignee, reason)
SELECT campaign_id, test_id, '', position, assignee, reason FROM campaign_test;
DROP TABLE campaign_test;
ALTER TABLE campaign_test_v6 RENAME TO campaign_test;
-- "My tests": a tester's items across campaigns.
CREATE INDEX campaign_test_assignee ON campaign_test(assignee);

CREATE TABLE execution_v6 (
    id           INTEGER PRIMARY KEY,
    campaign_id  INTEGER NOT NULL REFERENCES campaign(id) ON DELETE CASCADE,
    test_id      INTEGER NOT NULL REFERENCES test_case(id),
    dataset      TEXT NOT NULL DEFAULT '',
    attempt      INTEGER NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('passed','failed','blocked','not_run','not_applicable','in_progress')),
    tester       TEXT NOT NULL DEFAULT '',
    executed_at  TEXT NOT NULL,
    comment      TEXT NOT NULL DEFAULT '',
    duration_ms  REAL,
    source       TEXT NOT NULL DEFAULT 'manual',
    -- Version of the test case it was run against (1 for executions older than versions).
    test_version INTEGER NOT NULL DEFAULT 1,
    -- JSON object: the data set's values when it was run.
    parameters   TEXT NOT NULL DEFAULT '{}',
    UNIQUE (campaign_id, test_id, dataset, attempt)
) STRICT;
INSERT INTO execution_v6(id, campaign_id, test_id, dataset, attempt, status, tester, executed_at,
    comment, duration_ms, source)
SELECT id, campaign_id, test_id, '', attempt, status, tester, executed_at, comment, duration_ms,
    source FROM execution;
DROP TABLE execution;
ALTER TABLE execution_v6 RENAME TO execution;
CREATE INDEX execution_test ON execution(test_id);

-- The actual result the tester saw at a step (résultat obtenu).
ALTER TABLE execution_step ADD COLUMN actual TEXT NOT NULL DEFAULT '';
