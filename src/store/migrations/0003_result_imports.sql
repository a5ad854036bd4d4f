-- Schema version 3: automated results.
-- * result_import remembers which result files were imported into which campaign, by content
--   hash, so importing the same file twice changes nothing.
-- * automated_result is rebuilt: several automated results (parametrised cases, several files)
--   can make one execution of a test case, whose status is the worst of them. Rows are first
--   written without execution, then grouped into executions when the file is complete.

CREATE TABLE result_import (
    id          INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES campaign(id) ON DELETE CASCADE,
    sha256      TEXT NOT NULL,
    file_name   TEXT NOT NULL,
    format      TEXT NOT NULL,
    results     INTEGER NOT NULL DEFAULT 0,
    imported_at TEXT NOT NULL,
    UNIQUE (campaign_id, sha256)
) STRICT;

CREATE TABLE automated_result_v3 (
    id           INTEGER PRIMARY KEY,
    execution_id INTEGER REFERENCES execution(id) ON DELETE CASCADE,
    import_id    INTEGER REFERENCES result_import(id) ON DELETE CASCADE,
    test_id      INTEGER REFERENCES test_case(id),
    status       TEXT NOT NULL DEFAULT 'not_run',
    duration_ms  REAL,
    start_time   TEXT,
    format       TEXT NOT NULL,
    source_file  TEXT NOT NULL,
    suite_path   TEXT NOT NULL DEFAULT '',
    classname    TEXT NOT NULL DEFAULT '',
    name         TEXT NOT NULL,
    message      TEXT NOT NULL DEFAULT '',
    failure_text TEXT NOT NULL DEFAULT '',
    stdout       TEXT NOT NULL DEFAULT '',
    properties   TEXT NOT NULL DEFAULT '[]',
    retries      INTEGER NOT NULL DEFAULT 0,
    flaky        INTEGER NOT NULL DEFAULT 0
) STRICT;

INSERT INTO automated_result_v3(execution_id, format, source_file, suite_path, classname, name,
    message, failure_text, stdout, properties, retries, flaky, test_id, status, duration_ms)
SELECT a.execution_id, a.format, a.source_file, a.suite_path, a.classname, a.name, a.message,
    a.failure_text, a.stdout, a.properties, a.retries, a.flaky, e.test_id, e.status, e.duration_ms
FROM automated_result a JOIN execution e ON e.id = a.execution_id;

DROP TABLE automated_result;
ALTER TABLE automated_result_v3 RENAME TO automated_result;
CREATE INDEX automated_result_execution ON automated_result(execution_id);
CREATE INDEX automated_result_import ON automated_result(import_id, test_id);
