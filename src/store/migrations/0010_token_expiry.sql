-- API tokens that end: an expiry date (NULL: never, for tokens created before this migration
-- and those created with `--expires never`) and a revocation time (`recette token revoke`,
-- `POST /api/v1/logout`). A revoked token is kept, so `token list` can show it.
ALTER TABLE api_token ADD COLUMN expires_at TEXT;
ALTER TABLE api_token ADD COLUMN revoked_at TEXT;
