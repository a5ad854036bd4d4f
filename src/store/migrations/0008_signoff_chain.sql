-- 0008: a sign-off may replace an earlier one of its campaign (with the reason), records where
-- it was signed and the audit row it follows; the audit log becomes tamper-evident: each row
-- carries the sha256 of its content chained with the hash of the row before it.
-- recette:chain-audit — after this script the store computes the chain of the rows already
-- there (in Rust: SQLite has no sha256), then puts the append-only trigger back.
ALTER TABLE signoff ADD COLUMN supersedes INTEGER REFERENCES signoff(id);
ALTER TABLE signoff ADD COLUMN supersede_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE signoff ADD COLUMN place TEXT NOT NULL DEFAULT '';
-- "<id>:<hash>" of the last audit row before the sign-off: `check` finds the log cut after it.
ALTER TABLE signoff ADD COLUMN audit_head TEXT NOT NULL DEFAULT '';

DROP TRIGGER IF EXISTS audit_immutable;
ALTER TABLE audit ADD COLUMN prev_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE audit ADD COLUMN hash TEXT NOT NULL DEFAULT '';
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
