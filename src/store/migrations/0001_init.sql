-- recette store, schema version 1.
-- Never edit a migration once shipped: add a new numbered file instead.

CREATE TABLE project (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE requirement (
    id           INTEGER PRIMARY KEY,
    ref          TEXT NOT NULL UNIQUE,
    title        TEXT NOT NULL,
    description  TEXT NOT NULL DEFAULT '',
    criticality  TEXT NOT NULL CHECK (criticality IN ('critique','majeure','mineure')),
    category     TEXT NOT NULL DEFAULT '',
    status       TEXT NOT NULL DEFAULT 'validee' CHECK (status IN ('brouillon','validee','obsolete')),
    source       TEXT NOT NULL DEFAULT '',
    revision     INTEGER NOT NULL DEFAULT 1,
    content_hash TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
) STRICT;

CREATE TABLE requirement_revision (
    requirement_id INTEGER NOT NULL REFERENCES requirement(id) ON DELETE CASCADE,
    revision       INTEGER NOT NULL,
    title          TEXT NOT NULL,
    description    TEXT NOT NULL,
    criticality    TEXT NOT NULL,
    content_hash   TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    PRIMARY KEY (requirement_id, revision)
) STRICT;

CREATE TABLE test_case (
    id             INTEGER PRIMARY KEY,
    ref            TEXT NOT NULL UNIQUE,
    title          TEXT NOT NULL,
    objective      TEXT NOT NULL DEFAULT '',
    prerequisites  TEXT NOT NULL DEFAULT '',
    kind           TEXT NOT NULL DEFAULT 'manual' CHECK (kind IN ('manual','automated')),
    automation_key TEXT NOT NULL DEFAULT '',
    priority       TEXT NOT NULL DEFAULT '',
    category       TEXT NOT NULL DEFAULT '',
    active         INTEGER NOT NULL DEFAULT 1,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
) STRICT;

CREATE TABLE test_step (
    test_id  INTEGER NOT NULL REFERENCES test_case(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    action   TEXT NOT NULL,
    expected TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (test_id, position)
) STRICT;

CREATE TABLE test_tag (
    test_id INTEGER NOT NULL REFERENCES test_case(id) ON DELETE CASCADE,
    tag     TEXT NOT NULL,
    PRIMARY KEY (test_id, tag)
) STRICT;

CREATE TABLE link (
    requirement_id       INTEGER NOT NULL REFERENCES requirement(id) ON DELETE CASCADE,
    test_id              INTEGER NOT NULL REFERENCES test_case(id) ON DELETE CASCADE,
    requirement_revision INTEGER NOT NULL,
    created_at           TEXT NOT NULL,
    reviewed_at          TEXT,
    PRIMARY KEY (requirement_id, test_id)
) STRICT;
CREATE INDEX link_test ON link(test_id);

CREATE TABLE delivery (
    id             INTEGER PRIMARY KEY,
    ref            TEXT NOT NULL UNIQUE,
    version        TEXT NOT NULL DEFAULT '',
    vendor         TEXT NOT NULL DEFAULT '',
    lot            TEXT NOT NULL DEFAULT '',
    planned_date   TEXT,
    delivered_date TEXT,
    notes          TEXT NOT NULL DEFAULT '',
    created_at     TEXT NOT NULL
) STRICT;

CREATE TABLE strategy (
    id         INTEGER PRIMARY KEY,
    ref        TEXT NOT NULL UNIQUE,
    title      TEXT NOT NULL DEFAULT '',
    phase      TEXT NOT NULL DEFAULT 'vabf',
    scope      TEXT NOT NULL DEFAULT '',
    max_ajournements INTEGER NOT NULL DEFAULT 2,
    reserve_days     INTEGER NOT NULL DEFAULT 30,
    created_at TEXT NOT NULL
) STRICT;

CREATE TABLE exit_criterion (
    strategy_id INTEGER NOT NULL REFERENCES strategy(id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    indicator   TEXT NOT NULL,
    operator    TEXT NOT NULL CHECK (operator IN ('<','<=','=','>=','>')),
    threshold   REAL NOT NULL,
    blocking    INTEGER NOT NULL DEFAULT 1,
    label       TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (strategy_id, position)
) STRICT;

CREATE TABLE campaign (
    id          INTEGER PRIMARY KEY,
    ref         TEXT NOT NULL UNIQUE,
    title       TEXT NOT NULL DEFAULT '',
    delivery_id INTEGER REFERENCES delivery(id),
    strategy_id INTEGER REFERENCES strategy(id),
    phase       TEXT NOT NULL DEFAULT 'vabf',
    start_date  TEXT,
    end_date    TEXT,
    created_at  TEXT NOT NULL
) STRICT;

CREATE TABLE campaign_test (
    campaign_id INTEGER NOT NULL REFERENCES campaign(id) ON DELETE CASCADE,
    test_id     INTEGER NOT NULL REFERENCES test_case(id),
    position    INTEGER NOT NULL,
    assignee    TEXT NOT NULL DEFAULT '',
    reason      TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (campaign_id, test_id)
) STRICT;

CREATE TABLE anomaly (
    id                   INTEGER PRIMARY KEY,
    ref                  TEXT NOT NULL UNIQUE,
    title                TEXT NOT NULL,
    description          TEXT NOT NULL DEFAULT '',
    severity             TEXT NOT NULL CHECK (severity IN ('bloquante','majeure','mineure')),
    status               TEXT NOT NULL DEFAULT 'ouverte',
    found_in_delivery_id INTEGER REFERENCES delivery(id),
    fixed_in_delivery_id INTEGER REFERENCES delivery(id),
    reopen_count         INTEGER NOT NULL DEFAULT 0,
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL,
    closed_at            TEXT
) STRICT;

CREATE TABLE execution (
    id          INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES campaign(id) ON DELETE CASCADE,
    test_id     INTEGER NOT NULL REFERENCES test_case(id),
    attempt     INTEGER NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('passed','failed','blocked','not_run','not_applicable','in_progress')),
    tester      TEXT NOT NULL DEFAULT '',
    executed_at TEXT NOT NULL,
    comment     TEXT NOT NULL DEFAULT '',
    duration_ms REAL,
    source      TEXT NOT NULL DEFAULT 'manual',
    UNIQUE (campaign_id, test_id, attempt)
) STRICT;
CREATE INDEX execution_test ON execution(test_id);

CREATE TABLE execution_step (
    execution_id INTEGER NOT NULL REFERENCES execution(id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    status       TEXT NOT NULL,
    comment      TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (execution_id, position)
) STRICT;

CREATE TABLE evidence (
    id           INTEGER PRIMARY KEY,
    execution_id INTEGER NOT NULL REFERENCES execution(id) ON DELETE CASCADE,
    file_name    TEXT NOT NULL,
    sha256       TEXT NOT NULL,
    size         INTEGER NOT NULL
) STRICT;

CREATE TABLE execution_anomaly (
    execution_id INTEGER NOT NULL REFERENCES execution(id) ON DELETE CASCADE,
    anomaly_id   INTEGER NOT NULL REFERENCES anomaly(id),
    PRIMARY KEY (execution_id, anomaly_id)
) STRICT;

-- Details of an automated result (JUnit, Robot...), one row per execution that came from one.
CREATE TABLE automated_result (
    execution_id INTEGER PRIMARY KEY REFERENCES execution(id) ON DELETE CASCADE,
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

CREATE TABLE signoff (
    id          INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES campaign(id),
    decision    TEXT NOT NULL,
    signed_at   TEXT NOT NULL,
    actor       TEXT NOT NULL,
    signatories TEXT NOT NULL,  -- JSON array of "Name, role"
    indicators  TEXT NOT NULL,  -- JSON snapshot
    comment     TEXT NOT NULL DEFAULT ''
) STRICT;

CREATE TABLE signoff_file (
    signoff_id INTEGER NOT NULL REFERENCES signoff(id),
    file_name  TEXT NOT NULL,
    sha256     TEXT NOT NULL,
    size       INTEGER NOT NULL,
    PRIMARY KEY (signoff_id, file_name)
) STRICT;

CREATE TABLE reservation (
    id          INTEGER PRIMARY KEY,
    signoff_id  INTEGER NOT NULL REFERENCES signoff(id),
    ref         TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL,
    severity    TEXT NOT NULL DEFAULT '',
    anomaly_id  INTEGER REFERENCES anomaly(id),
    deadline    TEXT,
    lifted_at   TEXT,
    lifted_by   TEXT,
    lift_comment TEXT NOT NULL DEFAULT ''
) STRICT;

-- Sign-offs and their files are immutable once written.
CREATE TRIGGER signoff_immutable BEFORE UPDATE ON signoff
BEGIN SELECT RAISE(ABORT, 'sign-off records are immutable'); END;
CREATE TRIGGER signoff_no_delete BEFORE DELETE ON signoff
BEGIN SELECT RAISE(ABORT, 'sign-off records are immutable'); END;
CREATE TRIGGER signoff_file_immutable BEFORE UPDATE ON signoff_file
BEGIN SELECT RAISE(ABORT, 'sign-off records are immutable'); END;
CREATE TRIGGER signoff_file_no_delete BEFORE DELETE ON signoff_file
BEGIN SELECT RAISE(ABORT, 'sign-off records are immutable'); END;

CREATE TABLE audit (
    id       INTEGER PRIMARY KEY,
    at       TEXT NOT NULL,
    actor    TEXT NOT NULL,
    action   TEXT NOT NULL,
    entity   TEXT NOT NULL,
    ref      TEXT NOT NULL DEFAULT '',
    before   TEXT,
    after    TEXT
) STRICT;
CREATE TRIGGER audit_immutable BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
