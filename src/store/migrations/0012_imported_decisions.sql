-- Decisions signed in another store and carried by a project workbook (`recette export
-- workbook`, sheet "Décisions"). They count as that store's sign-offs do (earlier ajournements,
-- a campaign already signed), but their sealed files stay where they were signed: the names
-- and sha256 recorded there are kept here, so a copy of the files can still be checked.
CREATE TABLE imported_decision (
    id          INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES campaign(id),
    number      INTEGER NOT NULL,
    decision    TEXT NOT NULL,
    signed_at   TEXT NOT NULL,
    -- One signatory per line, as the sheet lists them.
    signatories TEXT NOT NULL DEFAULT '',
    -- One "name (sha256 …)" per line, as sealed in the original store.
    files       TEXT NOT NULL DEFAULT '',
    -- The workbook and row it came from.
    source      TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    UNIQUE (campaign_id, number)
) STRICT;

CREATE TRIGGER imported_decision_immutable BEFORE UPDATE ON imported_decision
BEGIN SELECT RAISE(ABORT, 'imported decisions are immutable'); END;
