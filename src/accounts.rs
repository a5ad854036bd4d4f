//! Account flows shared by `recette user`/`recette token` and the team server: passwords
//! (argon2id), logins with throttling, browser sessions with idle expiry, API tokens. Secrets
//! are drawn from the OS and only their sha256 is stored. Feature `web`.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use sha2::{Digest, Sha256};

use crate::access::Role;
use crate::error::{Error, Result};
use crate::i18n::Lang;
use crate::store::{hex, Account, NewAccount, SessionRow, Store};

/// Shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 8;
/// Longest password accepted (argon2 hashes anything, but a megabyte "password" is an attack).
pub const MAX_PASSWORD_BYTES: usize = 1024;

/// A new account as typed by an admin.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub name: String,
    pub full_name: String,
    pub role: Role,
    pub vendor: String,
    pub lang: Lang,
    pub password: String,
}

/// Login throttling: at most `max_failures` failed logins per account name within
/// `window_secs`; further attempts are refused, even with the right password, until the window
/// has passed.
#[derive(Debug, Clone, Copy)]
pub struct Throttle {
    pub max_failures: i64,
    pub window_secs: i64,
}

impl Default for Throttle {
    fn default() -> Throttle {
        Throttle {
            max_failures: 5,
            window_secs: 15 * 60,
        }
    }
}

/// Why a login failed. An unknown account, a disabled one and a wrong password give the same
/// answer ([`LoginError::Invalid`]), so that a login page does not tell which names exist.
#[derive(Debug)]
pub enum LoginError {
    Invalid,
    Throttled,
    Store(Error),
}

impl From<Error> for LoginError {
    fn from(e: Error) -> LoginError {
        LoginError::Store(e)
    }
}

impl LoginError {
    /// The message for the person logging in.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            LoginError::Invalid => lang
                .pick(
                    "identifiant ou mot de passe incorrect",
                    "wrong user name or password",
                )
                .to_string(),
            LoginError::Throttled => lang
                .pick(
                    "trop de tentatives de connexion pour ce compte : réessayez dans quelques minutes",
                    "too many login attempts for this account: try again in a few minutes",
                )
                .to_string(),
            LoginError::Store(e) => e.message(lang),
        }
    }
}

/// `n` random bytes from the OS, hex-encoded.
pub fn random_hex(n: usize) -> Result<String> {
    let mut buf = vec![0u8; n];
    getrandom::fill(&mut buf)
        .map_err(|e| Error::Other(format!("générateur aléatoire du système : {e}")))?;
    Ok(hex(&buf))
}

/// The sha256 of a secret, hex: what the store keeps of cookies and tokens.
pub fn secret_hash(secret: &str) -> String {
    hex(&Sha256::digest(secret.as_bytes()))
}

fn check_password(password: &str) -> Result<()> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(Error::input(
            format!("mot de passe trop court : {MIN_PASSWORD_CHARS} caractères au moins"),
            format!("password too short: at least {MIN_PASSWORD_CHARS} characters"),
        ));
    }
    if password.len() > MAX_PASSWORD_BYTES {
        return Err(Error::input(
            format!("mot de passe trop long : {MAX_PASSWORD_BYTES} octets au plus"),
            format!("password too long: at most {MAX_PASSWORD_BYTES} bytes"),
        ));
    }
    Ok(())
}

/// Hashes a password with argon2id (default parameters, random salt), as a PHC string.
pub fn hash_password(password: &str) -> Result<String> {
    check_password(password)?;
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt)
        .map_err(|e| Error::Other(format!("générateur aléatoire du système : {e}")))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| Error::Other(e.to_string()))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| Error::Other(format!("argon2 : {e}")))
}

/// Does `password` match the PHC string `hash`? A malformed hash matches nothing.
pub fn verify_password(hash: &str, password: &str) -> bool {
    if password.len() > MAX_PASSWORD_BYTES {
        return false;
    }
    match PasswordHash::new(hash) {
        Ok(parsed) => Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

/// A hash nobody's password matches, verified when the account is unknown so that an unknown
/// name takes as long as a wrong password.
fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| {
        hash_password("decoy password never used").unwrap_or_else(|_| {
            "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$\
             5r8bQ8m5zqZ8m1q6oF6Yc4b4wqkTq0bQk1pV1m0q3d0"
                .to_string()
        })
    })
}

/// Creates an account (`recette user add`, the admin's page).
pub fn add_user(store: &mut Store, u: &NewUser) -> Result<Account> {
    let hash = hash_password(&u.password)?;
    let new = NewAccount {
        name: u.name.trim().to_string(),
        full_name: u.full_name.trim().to_string(),
        role: u.role,
        vendor: u.vendor.trim().to_string(),
        lang: u.lang,
        password_hash: hash,
    };
    store.write("user add", |tx| tx.add_account(&new))?;
    store.account(&new.name)?.ok_or_else(|| Error::NotFound {
        kind: "compte",
        reference: new.name.clone(),
    })
}

/// Changes a password (and ends the account's sessions).
pub fn set_password(store: &mut Store, name: &str, password: &str) -> Result<()> {
    let hash = hash_password(password)?;
    store.write("user passwd", |tx| tx.set_password_hash(name, &hash))
}

/// Creates an API token for an account and returns it: it is shown once, only its sha256 is
/// kept.
/// `expires_at`: an ISO time after which it opens nothing (`None`: never); see
/// [`token_expiry`].
pub fn create_token(
    store: &mut Store,
    name: &str,
    label: &str,
    expires_at: Option<&str>,
) -> Result<String> {
    let token = format!("rct_{}", random_hex(32)?);
    let hash = secret_hash(&token);
    store.write("token create", |tx| {
        tx.add_token(name, &hash, label, expires_at)
    })?;
    Ok(token)
}

/// How long a token from `POST /api/v1/login` lives: a working day and a night.
pub const LOGIN_TOKEN_SECS: i64 = 24 * 3600;

/// The default lifetime of a token from `recette token create`: 90 days.
pub const DEFAULT_TOKEN_DAYS: i64 = 90;

/// Reads a token lifetime as people type it, from `now`: a number of days (`30`, `30d`, `30j`),
/// a date (`2027-06-30`, `30/06/2027`: valid until the end of that day, UTC), or
/// `never`/`jamais`. Returns the expiry time (`None`: never). A date that is not after `now` is
/// refused.
pub fn token_expiry(now: &str, text: &str) -> Result<Option<String>> {
    let t = text.trim().to_lowercase();
    if matches!(t.as_str(), "never" | "jamais" | "aucune" | "none") {
        return Ok(None);
    }
    let days = t
        .strip_suffix('d')
        .or_else(|| t.strip_suffix('j'))
        .unwrap_or(&t)
        .trim();
    let expiry = if let Ok(n) = days.parse::<i64>() {
        if !(1..=3650).contains(&n) {
            return Err(Error::input(
                format!("durée de validité « {text} » : attendu de 1 à 3650 jours"),
                format!("token lifetime \"{text}\": expected 1 to 3650 days"),
            ));
        }
        shift(now, n * 86_400)
    } else {
        let Some(date) = crate::dates::parse_date(&t).ok().filter(|d| d.len() == 10) else {
            return Err(Error::input(
                format!(
                    "durée de validité « {text} » : attendu un nombre de jours (90j), une date (AAAA-MM-JJ) ou « jamais »"
                ),
                format!(
                    "token lifetime \"{text}\": expected a number of days (90d), a date (YYYY-MM-DD) or \"never\""
                ),
            ));
        };
        let end = shift(&date, 86_400);
        if end.as_str() <= now {
            return Err(Error::input(
                format!("date d'expiration {date} déjà passée"),
                format!("expiry date {date} already past"),
            ));
        }
        end
    };
    Ok(Some(expiry))
}

/// The account a token opens, if any (and marks the token used, at most once a minute).
pub fn token_account(store: &mut Store, token: &str) -> Result<Option<Account>> {
    let hash = secret_hash(token);
    let Some((account, last_used)) = store.token_account(&hash)? else {
        return Ok(None);
    };
    let now = store.context().now();
    let stale = last_used
        .as_deref()
        .is_none_or(|t| t < shift(&now, -60).as_str());
    if stale {
        store.write("token used", |tx| tx.touch_token(&hash))?;
    }
    Ok(Some(account))
}

/// Checks a login: the account exists, is enabled, the password matches, and the account name
/// is not throttled. A failure is recorded (for throttling); a success clears them.
pub fn login(
    store: &mut Store,
    name: &str,
    password: &str,
    throttle: Throttle,
) -> std::result::Result<Account, LoginError> {
    let name = name.trim();
    let now = store.context().now();
    let since = shift(&now, -throttle.window_secs);
    // Names are bounded so that the failure table cannot be filled with megabyte keys.
    let key: String = name.chars().take(64).collect();
    if store.login_failures_since(&key, &since)? >= throttle.max_failures {
        return Err(LoginError::Throttled);
    }
    let found = store.account_with_hash(name)?;
    let ok = match &found {
        Some((a, hash)) => verify_password(hash, password) && !a.disabled,
        None => {
            verify_password(decoy_hash(), password);
            false
        }
    };
    match (ok, found) {
        (true, Some((account, _))) => {
            store.write("login", |tx| tx.clear_login_failures(&key))?;
            Ok(account)
        }
        _ => {
            store.write("login failed", |tx| tx.record_login_failure(&key, &since))?;
            Err(LoginError::Invalid)
        }
    }
}

/// A session just opened: the cookie value and the CSRF token (both random; the store keeps
/// the cookie's sha256).
#[derive(Debug, Clone)]
pub struct NewSession {
    pub cookie: String,
    pub csrf: String,
}

/// Opens a browser session for an account (after [`login`]).
pub fn open_session(store: &mut Store, account: &str) -> Result<NewSession> {
    let cookie = random_hex(32)?;
    let csrf = random_hex(32)?;
    let hash = secret_hash(&cookie);
    store.write("session", |tx| tx.open_session(account, &hash, &csrf))?;
    Ok(NewSession { cookie, csrf })
}

/// The session of a cookie, unless it was idle for more than `idle_secs` (then it is ended).
/// A session in use is marked seen at most once every `idle_secs / 10` (and a minute at most),
/// so that reading pages does not write on every request.
pub fn session(store: &mut Store, cookie: &str, idle_secs: i64) -> Result<Option<SessionRow>> {
    let hash = secret_hash(cookie);
    let Some(s) = store.session(&hash)? else {
        return Ok(None);
    };
    let now = store.context().now();
    if s.last_seen.as_str() < shift(&now, -idle_secs).as_str() {
        store.write("session expired", |tx| tx.close_session(&hash))?;
        return Ok(None);
    }
    let refresh = (idle_secs / 10).clamp(0, 60);
    if s.last_seen.as_str() < shift(&now, -refresh).as_str() {
        store.write("session seen", |tx| tx.touch_session(&hash))?;
    }
    Ok(Some(s))
}

/// Ends a browser session.
pub fn close_session(store: &mut Store, cookie: &str) -> Result<()> {
    let hash = secret_hash(cookie);
    store.write("logout", |tx| tx.close_session(&hash))
}

/// `now` (ISO 8601, `Context::now`) shifted by `secs` seconds, in the same form. A date alone
/// counts as its midnight; an unreadable time is returned unchanged.
pub fn shift(now: &str, secs: i64) -> String {
    use chrono::{DateTime, NaiveDate, Utc};
    let t = DateTime::parse_from_rfc3339(now)
        .map(|t| t.with_timezone(&Utc))
        .ok()
        .or_else(|| {
            NaiveDate::parse_from_str(now, "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .map(|d| d.and_utc())
        });
    match t {
        Some(t) => (t + chrono::Duration::seconds(secs))
            .format("%Y-%m-%dT%H:%M:%SZ")
            .to_string(),
        None => now.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_hash_and_verify() {
        let h = hash_password("correct horse").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password(&h, "correct horse"));
        assert!(!verify_password(&h, "correct horsE"));
        assert!(!verify_password("not a hash", "correct horse"));
        assert!(hash_password("short").is_err());
    }

    #[test]
    fn shift_moves_iso_times_and_dates() {
        assert_eq!(shift("2026-01-15T10:00:00Z", -60), "2026-01-15T09:59:00Z");
        assert_eq!(shift("2026-01-15", 3600), "2026-01-15T01:00:00Z");
        assert_eq!(shift("bad", 10), "bad");
    }

    #[test]
    fn secrets_are_random_and_hashed() {
        let a = random_hex(32).unwrap();
        assert_eq!(a.len(), 64);
        assert_ne!(a, random_hex(32).unwrap());
        assert_eq!(secret_hash(&a).len(), 64);
        assert_ne!(secret_hash(&a), a);
    }
}
