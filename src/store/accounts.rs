//! Accounts, browser sessions, API tokens and failed logins (migration 0009). Only rows here:
//! hashing passwords and drawing random secrets is `crate::accounts`' work, which calls these.

use rusqlite::{params, OptionalExtension};
use serde::Serialize;
use serde_json::json;

use super::{decode, Store, Tx};
use crate::access::Role;
use crate::error::{Error, Result};
use crate::i18n::Lang;

/// An account as the rest of the crate sees it (never its password hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Account {
    #[serde(skip)]
    pub id: i64,
    pub name: String,
    pub full_name: String,
    pub role: Role,
    /// The vendor whose deliveries a vendor account sees (`delivery.vendor`); empty otherwise.
    pub vendor: String,
    pub lang: Lang,
    pub disabled: bool,
    pub created_at: String,
}

/// Where an API token stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TokenState {
    Active,
    Expired,
    Revoked,
}

impl TokenState {
    /// For people.
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (TokenState::Active, Lang::Fr) => "actif",
            (TokenState::Active, Lang::En) => "active",
            (TokenState::Expired, Lang::Fr) => "expiré",
            (TokenState::Expired, Lang::En) => "expired",
            (TokenState::Revoked, Lang::Fr) => "révoqué",
            (TokenState::Revoked, Lang::En) => "revoked",
        }
    }
}

/// An API token as `token list` shows it (never its value).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TokenInfo {
    pub id: i64,
    pub account: String,
    pub label: String,
    pub created_at: String,
    pub last_used: Option<String>,
    pub expires_at: Option<String>,
    pub revoked_at: Option<String>,
    pub state: TokenState,
}

/// Which tokens to revoke.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenSelector {
    /// One token, by the number `token list` shows.
    Id(i64),
    /// The token that hashes to this (the caller's own, at logout).
    Hash(String),
    /// Every active token of an account.
    Account(String),
}

impl Account {
    /// The name people read: the full name when there is one.
    pub fn display_name(&self) -> &str {
        if self.full_name.is_empty() {
            &self.name
        } else {
            &self.full_name
        }
    }
}

/// A new account, values already checked.
#[derive(Debug, Clone)]
pub struct NewAccount {
    pub name: String,
    pub full_name: String,
    pub role: Role,
    pub vendor: String,
    pub lang: Lang,
    /// The argon2id PHC string.
    pub password_hash: String,
}

/// A browser session found by its cookie.
#[derive(Debug, Clone)]
pub struct SessionRow {
    pub account: Account,
    pub csrf: String,
    pub created_at: String,
    pub last_seen: String,
}

const ACCOUNT_COLUMNS: &str =
    "a.id, a.name, a.full_name, a.role, a.vendor, a.lang, a.disabled, a.created_at";

fn account_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Account> {
    Ok(Account {
        id: r.get(0)?,
        name: r.get(1)?,
        full_name: r.get(2)?,
        role: decode(&r.get::<_, String>(3)?, Role::from_code)?,
        vendor: r.get(4)?,
        lang: decode(&r.get::<_, String>(5)?, Lang::parse)?,
        disabled: r.get(6)?,
        created_at: r.get(7)?,
    })
}

/// Checks an account name: 1 to 64 letters, digits, `.`, `-`, `_`, `@`.
pub fn check_account_name(name: &str) -> Result<()> {
    let ok = !name.is_empty()
        && name.chars().count() <= 64
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '_' | '@'));
    if ok {
        Ok(())
    } else {
        Err(Error::input(
            format!("nom de compte invalide « {name} » : attendu 1 à 64 lettres, chiffres, « . », « - », « _ » ou « @ »"),
            format!("invalid account name \"{name}\": expected 1 to 64 letters, digits, \".\", \"-\", \"_\" or \"@\""),
        ))
    }
}

fn unknown(name: &str) -> Error {
    Error::NotFound {
        kind: "compte",
        reference: name.to_string(),
    }
}

impl Store {
    /// Every account, by name.
    pub fn accounts(&self) -> Result<Vec<Account>> {
        let sql = format!("SELECT {ACCOUNT_COLUMNS} FROM account a ORDER BY a.name");
        Ok(self
            .conn()
            .prepare_cached(&sql)?
            .query_map([], account_row)?
            .collect::<rusqlite::Result<_>>()?)
    }

    /// One account with its password hash, by name.
    pub fn account_with_hash(&self, name: &str) -> Result<Option<(Account, String)>> {
        let sql =
            format!("SELECT {ACCOUNT_COLUMNS}, a.password_hash FROM account a WHERE a.name = ?1");
        Ok(self
            .conn()
            .prepare_cached(&sql)?
            .query_row([name], |r| Ok((account_row(r)?, r.get(8)?)))
            .optional()?)
    }

    /// One account, by name.
    pub fn account(&self, name: &str) -> Result<Option<Account>> {
        Ok(self.account_with_hash(name)?.map(|(a, _)| a))
    }

    /// The session whose cookie hashes to `id_hash`, with its (enabled) account.
    pub fn session(&self, id_hash: &str) -> Result<Option<SessionRow>> {
        let sql = format!(
            "SELECT {ACCOUNT_COLUMNS}, s.csrf, s.created_at, s.last_seen FROM session s
             JOIN account a ON a.id = s.account_id WHERE s.id_hash = ?1 AND a.disabled = 0"
        );
        Ok(self
            .conn()
            .prepare_cached(&sql)?
            .query_row([id_hash], |r| {
                Ok(SessionRow {
                    account: account_row(r)?,
                    csrf: r.get(8)?,
                    created_at: r.get(9)?,
                    last_seen: r.get(10)?,
                })
            })
            .optional()?)
    }

    /// The (enabled) account of the API token that hashes to `token_hash`, with when the token
    /// was last used.
    /// Expired and revoked tokens open nothing.
    pub fn token_account(&self, token_hash: &str) -> Result<Option<(Account, Option<String>)>> {
        let sql = format!(
            "SELECT {ACCOUNT_COLUMNS}, t.last_used FROM api_token t
             JOIN account a ON a.id = t.account_id
             WHERE t.token_hash = ?1 AND a.disabled = 0 AND t.revoked_at IS NULL
               AND (t.expires_at IS NULL OR t.expires_at > ?2)"
        );
        let now = self.context().now();
        Ok(self
            .conn()
            .prepare_cached(&sql)?
            .query_row(params![token_hash, now], |r| {
                Ok((account_row(r)?, r.get(8)?))
            })
            .optional()?)
    }

    /// The API tokens (of one account, or all), newest first: never their value.
    pub fn tokens(&self, account: Option<&str>) -> Result<Vec<TokenInfo>> {
        let now = self.context().now();
        let mut stmt = self.conn().prepare_cached(
            "SELECT t.id, a.name, t.label, t.created_at, t.last_used, t.expires_at, t.revoked_at
             FROM api_token t JOIN account a ON a.id = t.account_id
             WHERE ?1 IS NULL OR a.name = ?1 ORDER BY t.id DESC",
        )?;
        let rows = stmt.query_map([account], |r| {
            let expires_at: Option<String> = r.get(5)?;
            let revoked_at: Option<String> = r.get(6)?;
            let state = if revoked_at.is_some() {
                TokenState::Revoked
            } else if expires_at.as_deref().is_some_and(|e| e <= now.as_str()) {
                TokenState::Expired
            } else {
                TokenState::Active
            };
            Ok(TokenInfo {
                id: r.get(0)?,
                account: r.get(1)?,
                label: r.get(2)?,
                created_at: r.get(3)?,
                last_used: r.get(4)?,
                expires_at,
                revoked_at,
                state,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Failed logins for `name` at or after `since`.
    pub fn login_failures_since(&self, name: &str, since: &str) -> Result<i64> {
        Ok(self
            .conn()
            .prepare_cached("SELECT COUNT(*) FROM login_failure WHERE name = ?1 AND at >= ?2")?
            .query_row(params![name, since], |r| r.get(0))?)
    }
}

impl Tx<'_> {
    /// Refuses a change that would leave the project without an enabled admin: nobody could
    /// manage the accounts any more.
    fn keep_an_admin(&self, id: i64) -> Result<()> {
        let others: i64 = self.conn().query_row(
            "SELECT COUNT(*) FROM account WHERE role = 'admin' AND disabled = 0 AND id != ?1",
            [id],
            |r| r.get(0),
        )?;
        let is_admin: bool = self.conn().query_row(
            "SELECT role = 'admin' AND disabled = 0 FROM account WHERE id = ?1",
            [id],
            |r| r.get(0),
        )?;
        if is_admin && others == 0 {
            return Err(Error::input(
                "c'est le dernier compte administrateur actif : créez-en un autre d'abord",
                "this is the last enabled admin account: create another one first",
            ));
        }
        Ok(())
    }

    fn account_id(&self, name: &str) -> Result<i64> {
        self.conn()
            .prepare_cached("SELECT id FROM account WHERE name = ?1")?
            .query_row([name], |r| r.get(0))
            .optional()?
            .ok_or_else(|| unknown(name))
    }

    /// Creates an account.
    pub fn add_account(&mut self, a: &NewAccount) -> Result<()> {
        check_account_name(&a.name)?;
        if a.role == Role::Vendor && a.vendor.trim().is_empty() {
            return Err(Error::input(
                "un compte titulaire doit nommer son titulaire (--vendor NOM, tel qu'il figure sur ses livraisons)",
                "a vendor account must name its vendor (--vendor NAME, as on its deliveries)",
            ));
        }
        let exists: Option<i64> = self
            .conn()
            .query_row("SELECT id FROM account WHERE name = ?1", [&a.name], |r| {
                r.get(0)
            })
            .optional()?;
        if exists.is_some() {
            return Err(Error::Duplicate {
                kind: "compte",
                reference: a.name.clone(),
            });
        }
        let now = self.now().to_string();
        self.conn().execute(
            "INSERT INTO account(name, full_name, role, vendor, lang, password_hash, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
            params![a.name, a.full_name, a.role.code(), a.vendor.trim(), a.lang.code(), a.password_hash, now],
        )?;
        self.audit(
            "create",
            "compte",
            &a.name,
            None,
            Some(json!({"full_name": a.full_name, "role": a.role, "vendor": a.vendor.trim(), "lang": a.lang})),
        )
    }

    /// Replaces an account's password hash and ends its sessions.
    pub fn set_password_hash(&mut self, name: &str, hash: &str) -> Result<()> {
        let id = self.account_id(name)?;
        self.conn().execute(
            "UPDATE account SET password_hash = ?1, updated_at = ?2 WHERE id = ?3",
            params![hash, self.now(), id],
        )?;
        self.conn()
            .execute("DELETE FROM session WHERE account_id = ?1", [id])?;
        self.audit("passwd", "compte", name, None, None)
    }

    /// Changes an account's role (and vendor name, for a vendor) and ends its sessions.
    pub fn set_account_role(&mut self, name: &str, role: Role, vendor: Option<&str>) -> Result<()> {
        let id = self.account_id(name)?;
        let (old_role, old_vendor): (String, String) = self.conn().query_row(
            "SELECT role, vendor FROM account WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let vendor = match (role, vendor) {
            (Role::Vendor, Some(v)) => v.trim().to_string(),
            (Role::Vendor, None) => old_vendor.clone(),
            (_, _) => String::new(),
        };
        if role == Role::Vendor && vendor.is_empty() {
            return Err(Error::input(
                "un compte titulaire doit nommer son titulaire (--vendor NOM)",
                "a vendor account must name its vendor (--vendor NAME)",
            ));
        }
        if role != Role::Admin {
            self.keep_an_admin(id)?;
        }
        self.conn().execute(
            "UPDATE account SET role = ?1, vendor = ?2, updated_at = ?3 WHERE id = ?4",
            params![role.code(), vendor, self.now(), id],
        )?;
        self.conn()
            .execute("DELETE FROM session WHERE account_id = ?1", [id])?;
        self.audit(
            "role",
            "compte",
            name,
            Some(json!({"role": old_role, "vendor": old_vendor})),
            Some(json!({"role": role, "vendor": vendor})),
        )
    }

    /// Changes an account's language.
    pub fn set_account_lang(&mut self, name: &str, lang: Lang) -> Result<()> {
        let id = self.account_id(name)?;
        self.conn().execute(
            "UPDATE account SET lang = ?1, updated_at = ?2 WHERE id = ?3",
            params![lang.code(), self.now(), id],
        )?;
        self.audit("lang", "compte", name, None, Some(json!({"lang": lang})))
    }

    /// Disables (or enables again) an account; disabling ends its sessions and its tokens stop
    /// working.
    pub fn set_account_disabled(&mut self, name: &str, disabled: bool) -> Result<()> {
        let id = self.account_id(name)?;
        if disabled {
            self.keep_an_admin(id)?;
        }
        self.conn().execute(
            "UPDATE account SET disabled = ?1, updated_at = ?2 WHERE id = ?3",
            params![disabled, self.now(), id],
        )?;
        if disabled {
            self.conn()
                .execute("DELETE FROM session WHERE account_id = ?1", [id])?;
        }
        self.audit(
            if disabled { "disable" } else { "enable" },
            "compte",
            name,
            None,
            None,
        )
    }

    /// Opens a browser session (the cookie's sha256 and its CSRF token). Not audited: logins
    /// are not changes of the project.
    pub fn open_session(&mut self, account: &str, id_hash: &str, csrf: &str) -> Result<()> {
        let id = self.account_id(account)?;
        let now = self.now().to_string();
        self.conn().execute(
            "INSERT INTO session(id_hash, account_id, csrf, created_at, last_seen) VALUES (?1, ?2, ?3, ?4, ?4)",
            params![id_hash, id, csrf, now],
        )?;
        Ok(())
    }

    /// Marks a session used now.
    pub fn touch_session(&mut self, id_hash: &str) -> Result<()> {
        self.conn()
            .prepare_cached("UPDATE session SET last_seen = ?1 WHERE id_hash = ?2")?
            .execute(params![self.now(), id_hash])?;
        Ok(())
    }

    /// Ends a session.
    pub fn close_session(&mut self, id_hash: &str) -> Result<()> {
        self.conn()
            .prepare_cached("DELETE FROM session WHERE id_hash = ?1")?
            .execute([id_hash])?;
        Ok(())
    }

    /// Ends the sessions last seen before `before` (idle expiry).
    pub fn close_idle_sessions(&mut self, before: &str) -> Result<usize> {
        Ok(self
            .conn()
            .prepare_cached("DELETE FROM session WHERE last_seen < ?1")?
            .execute([before])?)
    }

    /// Stores a new API token (its sha256) for an account, valid until `expires_at` (ISO
    /// time; `None`: no end). Returns its number (for `token revoke`).
    pub fn add_token(
        &mut self,
        account: &str,
        token_hash: &str,
        label: &str,
        expires_at: Option<&str>,
    ) -> Result<i64> {
        let id = self.account_id(account)?;
        self.conn().execute(
            "INSERT INTO api_token(token_hash, account_id, label, created_at, expires_at)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![token_hash, id, label, self.now(), expires_at],
        )?;
        let token_id = self.conn().last_insert_rowid();
        self.audit(
            "token",
            "compte",
            account,
            None,
            Some(json!({"token": token_id, "label": label, "expires_at": expires_at})),
        )?;
        Ok(token_id)
    }

    /// Revokes tokens: one by number, or every active token of an account. Returns how many
    /// were revoked; an unknown number is an error, an already revoked one is not counted.
    pub fn revoke_tokens(&mut self, which: &TokenSelector) -> Result<usize> {
        let now = self.now();
        let (n, account, detail) = match which {
            TokenSelector::Id(id) => {
                let account: Option<String> = self
                    .conn()
                    .prepare_cached(
                        "SELECT a.name FROM api_token t JOIN account a ON a.id = t.account_id
                         WHERE t.id = ?1",
                    )?
                    .query_row([id], |r| r.get(0))
                    .optional()?;
                let Some(account) = account else {
                    return Err(Error::NotFound {
                        kind: "jeton",
                        reference: id.to_string(),
                    });
                };
                let n = self
                    .conn()
                    .prepare_cached(
                        "UPDATE api_token SET revoked_at = ?1 WHERE id = ?2 AND revoked_at IS NULL",
                    )?
                    .execute(params![now, id])?;
                (n, account, json!({"token": id}))
            }
            TokenSelector::Hash(hash) => {
                let account: Option<String> = self
                    .conn()
                    .prepare_cached(
                        "SELECT a.name FROM api_token t JOIN account a ON a.id = t.account_id
                         WHERE t.token_hash = ?1 AND t.revoked_at IS NULL",
                    )?
                    .query_row([hash], |r| r.get(0))
                    .optional()?;
                let Some(account) = account else {
                    return Ok(0);
                };
                let n = self
                    .conn()
                    .prepare_cached("UPDATE api_token SET revoked_at = ?1 WHERE token_hash = ?2")?
                    .execute(params![now, hash])?;
                (n, account, json!({"logout": true}))
            }
            TokenSelector::Account(name) => {
                let id = self.account_id(name)?;
                let n = self
                    .conn()
                    .prepare_cached(
                        "UPDATE api_token SET revoked_at = ?1
                         WHERE account_id = ?2 AND revoked_at IS NULL",
                    )?
                    .execute(params![now, id])?;
                (n, name.clone(), json!({"all": true, "count": n}))
            }
        };
        if n > 0 {
            self.audit("token revoke", "compte", &account, None, Some(detail))?;
        }
        Ok(n)
    }

    /// Marks a token used now.
    pub fn touch_token(&mut self, token_hash: &str) -> Result<()> {
        self.conn()
            .prepare_cached("UPDATE api_token SET last_used = ?1 WHERE token_hash = ?2")?
            .execute(params![self.now(), token_hash])?;
        Ok(())
    }

    /// Records a failed login for `name` and forgets those before `forget_before`.
    pub fn record_login_failure(&mut self, name: &str, forget_before: &str) -> Result<()> {
        self.conn()
            .prepare_cached("DELETE FROM login_failure WHERE at < ?1")?
            .execute([forget_before])?;
        self.conn()
            .prepare_cached("INSERT INTO login_failure(name, at) VALUES (?1, ?2)")?
            .execute(params![name, self.now()])?;
        Ok(())
    }

    /// Forgets the failed logins of `name` (after a successful one).
    pub fn clear_login_failures(&mut self, name: &str) -> Result<()> {
        self.conn()
            .prepare_cached("DELETE FROM login_failure WHERE name = ?1")?
            .execute([name])?;
        Ok(())
    }
}
