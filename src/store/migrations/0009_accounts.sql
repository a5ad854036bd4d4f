-- Accounts of the team workspace (`recette serve`, `recette user`, `recette token`).
-- * account: one per person; the role decides what they may do (src/access.rs), a vendor
--   account carries the vendor name its deliveries have; the password is an argon2id hash.
-- * session: server-side browser sessions, stored by the sha256 of the cookie's random value
--   (the cookie alone opens nothing if the store leaks), each with its CSRF token.
-- * api_token: tokens for scripts and CI, stored by sha256, shown once when created.
-- * login_failure: recent failed logins per account name, for throttling (kept for a window).

CREATE TABLE account (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,
    full_name     TEXT NOT NULL DEFAULT '',
    role          TEXT NOT NULL CHECK (role IN ('admin', 'lead', 'tester', 'vendor', 'viewer')),
    vendor        TEXT NOT NULL DEFAULT '',
    lang          TEXT NOT NULL DEFAULT 'fr' CHECK (lang IN ('fr', 'en')),
    password_hash TEXT NOT NULL,
    disabled      INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);

CREATE TABLE session (
    id_hash    TEXT PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES account(id) ON DELETE CASCADE,
    csrf       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_seen  TEXT NOT NULL
);
CREATE INDEX session_account ON session(account_id);

CREATE TABLE api_token (
    id         INTEGER PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    account_id INTEGER NOT NULL REFERENCES account(id) ON DELETE CASCADE,
    label      TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    last_used  TEXT
);
CREATE INDEX api_token_account ON api_token(account_id);

CREATE TABLE login_failure (
    name TEXT NOT NULL,
    at   TEXT NOT NULL
);
CREATE INDEX login_failure_name ON login_failure(name, at);
