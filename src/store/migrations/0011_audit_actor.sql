-- The audit log by author: the journal page filters on the account that made a change
-- (`GET /audit?actor=`, `recette log --actor`) and lists the authors.
CREATE INDEX IF NOT EXISTS audit_actor ON audit(actor, id);
