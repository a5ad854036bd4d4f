//! Authentication and authorization of every request.
//!
//! - Browser: `POST /login` checks the password ([`crate::accounts::login`]: argon2id, the
//!   same answer for an unknown account and a wrong password, throttled), then opens a new
//!   server-side session (rotated: any previous one is ended) whose random id travels in an
//!   `HttpOnly; SameSite=Strict` cookie (`Secure` under HTTPS). Sessions end at logout and
//!   after an idle time. Every state-changing request of a session carries its CSRF token, as
//!   the `csrf` field of the form (first field of a multipart form) or the `X-CSRF-Token`
//!   header (htmx, app.js, API calls from the page).
//! - Scripts: `Authorization: Bearer TOKEN` (`recette token create`, `POST /api/v1/login`);
//!   no cookie, hence no CSRF token needed.
//!
//! [`guard`] runs before every handler with the [`Access`] its route declares in
//! [`super::routes::ROUTES`]: it finds the account, checks [`crate::access::allows`] and the
//! CSRF token, and hands the handler a [`CurrentUser`].

use axum::body::{to_bytes, Body};
use axum::extract::{FromRequest, FromRequestParts, Multipart, Query, Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::{Form, Json};
use serde::Deserialize;

use super::error::WebError;
use super::routes::Access;
use super::AppState;
use crate::access::{allows, Action, Scope};
use crate::accounts::{self, LoginError};
use crate::i18n::Lang;
use crate::store::Account;

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "recette_session";
/// Name of the cookie that ties the login form to its browser (login CSRF).
pub const LOGIN_COOKIE: &str = "recette_login";
/// Header carrying the CSRF token of a session.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// The authenticated account of a request.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub account: Account,
    /// The session's CSRF token (browser sessions only), for the forms of the page.
    pub csrf: Option<String>,
}

impl CurrentUser {
    /// The account's language.
    pub fn lang(&self) -> Lang {
        self.account.lang
    }

    /// The account name: the actor of every write.
    pub fn name(&self) -> &str {
        &self.account.name
    }

    /// What part of the project the account sees.
    pub fn scope(&self) -> Scope {
        Scope::of(self.account.role, &self.account.vendor)
    }

    /// May the account do `action`?
    pub fn can(&self, action: Action) -> bool {
        allows(self.account.role, action)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for CurrentUser {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<CurrentUser>()
            .cloned()
            .ok_or_else(|| WebError::unauthorized(Lang::Fr))
    }
}

/// What [`guard`] needs to know of the route it protects.
#[derive(Clone)]
pub struct Guard {
    pub state: AppState,
    pub access: Access,
    /// An API route: errors in JSON, no redirect to the login page.
    pub api: bool,
}

/// The value of a cookie in the request.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
        .filter(|v| !v.is_empty() && v.len() <= 128)
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(str::trim)
        .filter(|t| !t.is_empty() && t.len() <= 256)
}

/// Finds the account of a request: a bearer token, else the session cookie.
async fn authenticate(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<Option<CurrentUser>, WebError> {
    if let Some(token) = bearer(headers) {
        let token = token.to_string();
        let account = state
            .db(move |s| accounts::token_account(s, &token))
            .await
            .map_err(|e| WebError::from_error(&e, Lang::Fr))?;
        return Ok(account.map(|account| CurrentUser {
            account,
            csrf: None,
        }));
    }
    if let Some(c) = cookie(headers, SESSION_COOKIE) {
        let c = c.to_string();
        let idle = state.session_idle_secs();
        let session = state
            .db(move |s| accounts::session(s, &c, idle))
            .await
            .map_err(|e| WebError::from_error(&e, Lang::Fr))?;
        return Ok(session.map(|s| CurrentUser {
            account: s.account,
            csrf: Some(s.csrf),
        }));
    }
    Ok(None)
}

/// Compares two secrets in time independent of where they differ.
fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// The CSRF token a request carries: its header, or the `csrf` field of its form. The body is
/// read (bounded) and given back to the request.
async fn csrf_of(req: Request, limit: usize) -> Result<(Request, Option<String>), WebError> {
    if let Some(v) = req.headers().get(CSRF_HEADER).and_then(|v| v.to_str().ok()) {
        let v = v.to_string();
        return Ok((req, Some(v)));
    }
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let form = content_type.starts_with("application/x-www-form-urlencoded");
    let multipart = content_type.starts_with("multipart/form-data");
    if !form && !multipart {
        return Ok((req, None));
    }
    let (parts, body) = req.into_parts();
    let bytes = to_bytes(body, limit)
        .await
        .map_err(|_| WebError::too_large(Lang::Fr, limit))?;
    let copy = Request::from_parts(parts.clone(), Body::from(bytes.clone()));
    let token = if form {
        Form::<Vec<(String, String)>>::from_request(copy, &())
            .await
            .ok()
            .and_then(|Form(fields)| {
                fields
                    .into_iter()
                    .find(|(k, _)| k == "csrf")
                    .map(|(_, v)| v)
            })
    } else {
        match Multipart::from_request(copy, &()).await {
            Ok(mut m) => match m.next_field().await {
                Ok(Some(f)) if f.name() == Some("csrf") => f.text().await.ok(),
                _ => None,
            },
            Err(_) => None,
        }
    };
    Ok((Request::from_parts(parts, Body::from(bytes)), token))
}

/// Runs before every handler: finds the account, checks the route's [`Access`] and, for a
/// state-changing request of a browser session, its CSRF token.
pub async fn guard(State(g): State<Guard>, req: Request, next: Next) -> Response {
    // A request refused before its body is read leaves that body on the connection: the
    // answer closes it, so that a client does not send its next request after unread bytes.
    let has_body = req.headers().contains_key(header::TRANSFER_ENCODING)
        || req
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.trim() != "0");
    match check(&g, req).await {
        Ok(req) => next.run(req).await,
        Err(mut e) => {
            if has_body {
                e.headers_mut()
                    .insert(header::CONNECTION, HeaderValue::from_static("close"));
            }
            e
        }
    }
}

async fn check(g: &Guard, mut req: Request) -> Result<Request, Response> {
    let fail = |e: WebError| -> Response {
        if g.api {
            e.json().into_response()
        } else {
            e.into_response()
        }
    };
    if g.access == Access::Public {
        return Ok(req);
    }
    let user = authenticate(&g.state, req.headers()).await.map_err(fail)?;
    let Some(user) = user else {
        if !g.api && req.method() == Method::GET {
            let next = req
                .uri()
                .path_and_query()
                .map(|p| p.as_str().to_string())
                .unwrap_or_else(|| "/".into());
            let to = format!("/login?next={}", urlencode(&next));
            return Err(Redirect::to(&to).into_response());
        }
        return Err(fail(WebError::unauthorized(Lang::Fr)));
    };
    let lang = user.lang();
    if let Access::Action(action) = g.access {
        if !user.can(action) {
            return Err(fail(WebError::forbidden(lang)));
        }
    }
    let unsafe_method = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if unsafe_method {
        if let Some(expected) = &user.csrf {
            let limit = g.state.upload_limit() + 1024 * 1024;
            let (r, token) = csrf_of(req, limit).await.map_err(fail)?;
            req = r;
            if !token.is_some_and(|t| same_secret(&t, expected)) {
                return Err(fail(WebError::new(
                    StatusCode::FORBIDDEN,
                    lang.pick(
                        "jeton CSRF absent ou invalide : rechargez la page puis recommencez",
                        "missing or invalid CSRF token: reload the page and try again",
                    ),
                )));
            }
        }
    }
    req.extensions_mut().insert(user);
    Ok(req)
}

/// Percent-encodes a query value.
pub fn urlencode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(char::from(b))
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Where to go after login: a path of this site only (never `//host` nor a full URL).
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_string(),
        _ => "/".to_string(),
    }
}

fn cookie_header(state: &AppState, name: &str, value: &str, max_age: Option<i64>) -> HeaderValue {
    let mut c = format!("{name}={value}; Path=/; HttpOnly; SameSite=Strict");
    if state.secure_cookies() {
        c.push_str("; Secure");
    }
    if let Some(age) = max_age {
        c.push_str(&format!("; Max-Age={age}"));
    }
    HeaderValue::from_str(&c).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// Query of the login page.
#[derive(Debug, Deserialize)]
pub struct LoginQuery {
    pub next: Option<String>,
    pub lang: Option<String>,
}

fn login_page(
    state: &AppState,
    lang: Lang,
    next: &str,
    form_token: &str,
    user: &str,
    error: Option<&str>,
) -> Result<String, WebError> {
    state
        .render(
            "login.html",
            &serde_json::json!({
                "lang": lang.code(),
                "next": next,
                "form_token": form_token,
                "user": user,
                "error": error,
            }),
        )
        .map_err(|e| WebError::from_error(&e, lang))
}

/// `GET /login`: the login form (with a fresh form token in a cookie).
pub async fn login_form(
    State(state): State<AppState>,
    Query(q): Query<LoginQuery>,
) -> Result<Response, WebError> {
    let lang = q.lang.as_deref().and_then(Lang::parse).unwrap_or_default();
    let token = accounts::random_hex(16).map_err(|e| WebError::from_error(&e, lang))?;
    let next = safe_next(q.next.as_deref());
    let page = login_page(&state, lang, &next, &token, "", None)?;
    let mut res = Html(page).into_response();
    res.headers_mut().append(
        header::SET_COOKIE,
        cookie_header(&state, LOGIN_COOKIE, &token, Some(3600)),
    );
    Ok(res)
}

/// The login form's fields.
#[derive(Debug, Deserialize)]
pub struct LoginForm {
    pub user: String,
    pub password: String,
    #[serde(default)]
    pub next: Option<String>,
    #[serde(default)]
    pub lang: Option<String>,
    #[serde(default)]
    pub form_token: String,
}

/// `POST /login`: checks the password, opens a new session, redirects to `next`.
pub async fn login_submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(f): Form<LoginForm>,
) -> Result<Response, WebError> {
    let lang = f.lang.as_deref().and_then(Lang::parse).unwrap_or_default();
    let next = safe_next(f.next.as_deref());
    let expected = cookie(&headers, LOGIN_COOKIE).unwrap_or("");
    if expected.is_empty() || !same_secret(expected, &f.form_token) {
        return Err(WebError::new(
            StatusCode::FORBIDDEN,
            lang.pick(
                "formulaire de connexion expiré : rechargez la page de connexion",
                "login form expired: reload the login page",
            ),
        ));
    }
    let throttle = state.throttle();
    let (name, password) = (f.user.clone(), f.password.clone());
    let old = cookie(&headers, SESSION_COOKIE).map(str::to_string);
    let outcome = state
        .db(move |s| {
            let account = match accounts::login(s, &name, &password, throttle) {
                Ok(a) => a,
                Err(e) => return Ok(Err(e)),
            };
            // Rotation: the session a browser had before logging in never becomes the new one.
            if let Some(old) = old {
                accounts::close_session(s, &old)?;
            }
            Ok(Ok(accounts::open_session(s, &account.name)?))
        })
        .await
        .map_err(|e| WebError::from_error(&e, lang))?;
    match outcome {
        Ok(session) => {
            let mut res = Redirect::to(&next).into_response();
            res.headers_mut().append(
                header::SET_COOKIE,
                cookie_header(&state, SESSION_COOKIE, &session.cookie, None),
            );
            res.headers_mut().append(
                header::SET_COOKIE,
                cookie_header(&state, LOGIN_COOKIE, "", Some(0)),
            );
            Ok(res)
        }
        Err(e) => {
            let status = match e {
                LoginError::Throttled => StatusCode::TOO_MANY_REQUESTS,
                LoginError::Invalid => StatusCode::UNAUTHORIZED,
                LoginError::Store(_) => StatusCode::INTERNAL_SERVER_ERROR,
            };
            let msg = e.message(lang);
            let page = login_page(&state, lang, &next, expected, &f.user, Some(&msg))?;
            Ok((status, Html(page)).into_response())
        }
    }
}

/// `POST /logout`: ends the session.
pub async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    if let Some(c) = cookie(&headers, SESSION_COOKIE) {
        let c = c.to_string();
        state
            .db(move |s| accounts::close_session(s, &c))
            .await
            .map_err(|e| WebError::from_error(&e, Lang::Fr))?;
    }
    let mut res = Redirect::to("/login").into_response();
    res.headers_mut().append(
        header::SET_COOKIE,
        cookie_header(&state, SESSION_COOKIE, "", Some(0)),
    );
    Ok(res)
}

/// `POST /api/v1/login` body.
#[derive(Debug, Deserialize)]
pub struct ApiLogin {
    pub user: String,
    pub password: String,
}

/// `POST /api/v1/login`: `{"user","password"}` -> `{"token"}` (a new API token).
pub async fn api_login(
    State(state): State<AppState>,
    body: Result<Json<ApiLogin>, axum::extract::rejection::JsonRejection>,
) -> Result<Response, WebError> {
    let Json(b) = body.map_err(|e| {
        WebError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!("JSON attendu {{\"user\", \"password\"}} : {e}"),
        )
        .json()
    })?;
    let throttle = state.throttle();
    let outcome = state
        .db(
            move |s| match accounts::login(s, &b.user, &b.password, throttle) {
                Ok(a) => {
                    let expires = accounts::shift(&s.context().now(), accounts::LOGIN_TOKEN_SECS);
                    let token = accounts::create_token(s, &a.name, "api login", Some(&expires))?;
                    Ok(Ok((token, expires)))
                }
                Err(e) => Ok(Err(e)),
            },
        )
        .await
        .map_err(|e| WebError::from_error(&e, Lang::Fr).json())?;
    match outcome {
        Ok((token, expires)) => {
            Ok(Json(serde_json::json!({ "token": token, "expires_at": expires })).into_response())
        }
        Err(e) => {
            let status = match e {
                LoginError::Throttled => StatusCode::TOO_MANY_REQUESTS,
                LoginError::Invalid => StatusCode::UNAUTHORIZED,
                LoginError::Store(_) => StatusCode::INTERNAL_SERVER_ERROR,
            };
            Err(WebError::new(status, e.message(Lang::Fr)).json())
        }
    }
}

/// `POST /api/v1/logout`: revokes the bearer token of the call (a browser session ends with
/// `POST /logout`). 200 `{"revoked": n}`.
pub async fn api_logout(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let Some(token) = bearer(&headers) else {
        return Err(WebError::invalid(
            user.lang(),
            "en-tête Authorization: Bearer attendu (une session se ferme par POST /logout)",
            "Authorization: Bearer header expected (a session ends with POST /logout)",
        )
        .json());
    };
    let hash = accounts::secret_hash(token);
    let name = user.name().to_string();
    let n = state
        .db_as(name, move |s| {
            s.write("token revoke", |tx| {
                tx.revoke_tokens(&crate::store::TokenSelector::Hash(hash))
            })
        })
        .await
        .map_err(|e| WebError::from_error(&e, user.lang()).json())?;
    Ok(Json(serde_json::json!({ "revoked": n })).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_stays_on_this_site() {
        assert_eq!(safe_next(Some("/campaigns")), "/campaigns");
        assert_eq!(safe_next(Some("//evil.example")), "/");
        assert_eq!(safe_next(Some("https://evil.example")), "/");
        assert_eq!(safe_next(Some("/\\evil")), "/");
        assert_eq!(safe_next(None), "/");
    }

    #[test]
    fn cookies_are_found_by_name() {
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; recette_session=abc; b=2"),
        );
        assert_eq!(cookie(&h, SESSION_COOKIE), Some("abc"));
        assert_eq!(cookie(&h, "c"), None);
    }

    #[test]
    fn secrets_compare_whole() {
        assert!(same_secret("abc", "abc"));
        assert!(!same_secret("abc", "abd"));
        assert!(!same_secret("abc", "ab"));
    }
}
