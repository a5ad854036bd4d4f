//! The admin's pages: the accounts (`/admin/users`: create one, change its role, reset its
//! password, disable or enable it — the same [`crate::accounts`] calls and store rules as
//! `recette user ...`, so the last enabled admin can be neither demoted nor disabled) and the
//! audit log (`/audit`: who changed what and when, filtered by account, entity or reference,
//! newest first — `recette log` in a page).

use axum::extract::{Path as UrlPath, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use serde::{Deserialize, Serialize};

use super::{choices, fail, render};
use crate::access::{Role, ROLES};
use crate::accounts::{self, NewUser};
use crate::error::{Error, Result};
use crate::i18n::Lang;
use crate::store::AuditFilter;
use crate::web::assets::percent_encode;
use crate::web::{AppState, CurrentUser, WebError};

/// The new account form (kept on an error so nothing typed is lost, but the passwords).
#[derive(Debug, Default, Deserialize, Serialize, Clone)]
pub struct NewUserForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub full_name: String,
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub vendor: String,
    #[serde(default)]
    pub lang: String,
    #[serde(default, skip_serializing)]
    pub password: String,
    #[serde(default, skip_serializing)]
    pub password2: String,
}

/// `?done=...&account=...`: the notice after a change; `?error=`: why one was refused.
#[derive(Debug, Default, Deserialize)]
pub struct UsersQuery {
    #[serde(default)]
    pub done: Option<String>,
    #[serde(default)]
    pub account: Option<String>,
    #[serde(default)]
    pub error: Option<String>,
}

fn done_message(done: &str, lang: Lang) -> &'static str {
    match done {
        "created" => lang.pick("Compte créé :", "Account created:"),
        "role" => lang.pick("Rôle changé :", "Role changed:"),
        "password" => lang.pick(
            "Mot de passe changé (ses sessions sont fermées) :",
            "Password changed (its sessions are closed):",
        ),
        "disabled" => lang.pick("Compte désactivé :", "Account disabled:"),
        "enabled" => lang.pick("Compte réactivé :", "Account enabled:"),
        _ => "",
    }
}

async fn users_page(
    state: &AppState,
    user: &CurrentUser,
    q: UsersQuery,
    form: NewUserForm,
    form_error: Option<String>,
) -> std::result::Result<Response, WebError> {
    let lang = user.lang();
    let list = state.db(|s| s.accounts()).await.map_err(fail(user))?;
    let rows: Vec<serde_json::Value> = list
        .iter()
        .map(|a| {
            serde_json::json!({
                "name": a.name, "full_name": a.full_name, "role": a.role.code(),
                "role_label": a.role.label(lang), "vendor": a.vendor, "lang": a.lang.code(),
                "disabled": a.disabled, "created_at": a.created_at,
                "me": a.name == user.name(),
            })
        })
        .collect();
    let refused = form_error.is_some();
    let notice = q.done.as_deref().map(|d| done_message(d, lang));
    super::render_form(
        state,
        user,
        "admin_users.html",
        lang.pick("Comptes", "Accounts"),
        "/admin/users",
        serde_json::json!({
            "rows": rows,
            "roles": choices(&ROLES, Role::code, |r| r.label(lang)),
            "form": form, "form_error": form_error,
            "notice": notice, "notice_account": q.account, "error": q.error,
            "min_password": accounts::MIN_PASSWORD_CHARS,
        }),
        refused,
    )
}

/// `GET /admin/users`: every account, the new account form.
pub async fn users(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<UsersQuery>,
) -> std::result::Result<Response, WebError> {
    let form = NewUserForm {
        role: "tester".into(),
        lang: "fr".into(),
        ..NewUserForm::default()
    };
    users_page(&state, &user, q, form, None).await
}

fn new_user(f: &NewUserForm) -> Result<NewUser> {
    let role = Role::parse(&f.role)?;
    let lang = Lang::parse(&f.lang)
        .ok_or_else(|| Error::input("langue : attendu fr ou en", "language: expected fr or en"))?;
    crate::store::check_account_name(f.name.trim())?;
    if f.password != f.password2 {
        return Err(Error::input(
            "mot de passe : les deux saisies diffèrent",
            "password: the two entries differ",
        ));
    }
    Ok(NewUser {
        name: f.name.trim().to_string(),
        full_name: f.full_name.clone(),
        role,
        vendor: f.vendor.clone(),
        lang,
        password: f.password.clone(),
    })
}

/// `POST /admin/users`: creates the account, or shows the form again with what was refused.
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(f): Form<NewUserForm>,
) -> std::result::Result<Response, WebError> {
    let lang = user.lang();
    let form = f.clone();
    let created = state
        .db_as(user.name().to_string(), move |s| {
            let u = new_user(&f)?;
            accounts::add_user(s, &u)
        })
        .await;
    match created {
        Ok(a) => Ok(Redirect::to(&format!(
            "/admin/users?done=created&account={}#user-{}",
            percent_encode(&a.name),
            percent_encode(&a.name)
        ))
        .into_response()),
        Err(e) => {
            users_page(
                &state,
                &user,
                UsersQuery::default(),
                form,
                Some(e.message(lang)),
            )
            .await
        }
    }
}

/// The role form of one account.
#[derive(Debug, Default, Deserialize)]
pub struct RoleForm {
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub vendor: String,
}

/// The password form of one account.
#[derive(Debug, Default, Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    pub password: String,
}

/// The enable/disable form of one account.
#[derive(Debug, Default, Deserialize)]
pub struct StateForm {
    /// `1` to disable, `0` to enable again.
    #[serde(default)]
    pub disabled: String,
}

/// After a change on one account: back to the list with a notice, or with why it was refused
/// (404 for an unknown account).
fn after_change(
    done: Result<&'static str>,
    account: &str,
    lang: Lang,
) -> std::result::Result<Response, WebError> {
    match done {
        Ok(what) => Ok(Redirect::to(&format!(
            "/admin/users?done={what}&account={}#user-{}",
            percent_encode(account),
            percent_encode(account)
        ))
        .into_response()),
        Err(e @ Error::NotFound { .. }) => Err(WebError::from_error(&e, lang)),
        Err(e) => Ok(Redirect::to(&format!(
            "/admin/users?error={}&account={}#user-{}",
            percent_encode(&format!("{account} : {}", e.message(lang))),
            percent_encode(account),
            percent_encode(account)
        ))
        .into_response()),
    }
}

/// `POST /admin/users/{user}/role`.
pub async fn set_role(
    State(state): State<AppState>,
    user: CurrentUser,
    UrlPath(name): UrlPath<String>,
    Form(f): Form<RoleForm>,
) -> std::result::Result<Response, WebError> {
    let n = name.clone();
    let done = state
        .db_as(user.name().to_string(), move |s| {
            let role = Role::parse(&f.role)?;
            let vendor = Some(f.vendor.trim()).filter(|v| !v.is_empty());
            s.write("user role", |tx| tx.set_account_role(&n, role, vendor))?;
            Ok("role")
        })
        .await;
    after_change(done, &name, user.lang())
}

/// `POST /admin/users/{user}/password`: a new password (the account's sessions end).
pub async fn set_password(
    State(state): State<AppState>,
    user: CurrentUser,
    UrlPath(name): UrlPath<String>,
    Form(f): Form<PasswordForm>,
) -> std::result::Result<Response, WebError> {
    let n = name.clone();
    let done = state
        .db_as(user.name().to_string(), move |s| {
            if s.account(&n)?.is_none() {
                return Err(Error::NotFound {
                    kind: "compte",
                    reference: n,
                });
            }
            accounts::set_password(s, &n, &f.password)?;
            Ok("password")
        })
        .await;
    after_change(done, &name, user.lang())
}

/// `POST /admin/users/{user}/state`: disables (its sessions end, its tokens stop working) or
/// enables an account.
pub async fn set_state(
    State(state): State<AppState>,
    user: CurrentUser,
    UrlPath(name): UrlPath<String>,
    Form(f): Form<StateForm>,
) -> std::result::Result<Response, WebError> {
    let n = name.clone();
    let done = state
        .db_as(user.name().to_string(), move |s| {
            let disable = match f.disabled.as_str() {
                "1" => true,
                "0" => false,
                _ => {
                    return Err(Error::input(
                        "état : attendu 1 (désactiver) ou 0 (réactiver)",
                        "state: expected 1 (disable) or 0 (enable)",
                    ))
                }
            };
            let action = if disable {
                "user disable"
            } else {
                "user enable"
            };
            s.write(action, |tx| tx.set_account_disabled(&n, disable))?;
            Ok(if disable { "disabled" } else { "enabled" })
        })
        .await;
    after_change(done, &name, user.lang())
}

/// `/audit?actor=&entity=&ref=`.
#[derive(Debug, Default, Deserialize, Serialize)]
pub struct AuditQuery {
    #[serde(default)]
    pub actor: String,
    #[serde(default)]
    pub entity: String,
    #[serde(default, rename = "ref")]
    pub reference: String,
}

/// The most entries the page shows (the newest); `recette log` gives the whole log.
pub const AUDIT_PAGE_ROWS: u32 = 500;

/// `GET /audit`: the audit log, newest first.
pub async fn audit(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<AuditQuery>,
) -> std::result::Result<Response, WebError> {
    let lang = user.lang();
    let filter = AuditFilter {
        entity: Some(q.entity.trim().to_string()).filter(|s| !s.is_empty()),
        reference: Some(q.reference.trim().to_string()).filter(|s| !s.is_empty()),
        actor: Some(q.actor.trim().to_string()).filter(|s| !s.is_empty()),
        limit: Some(AUDIT_PAGE_ROWS),
    };
    let (entries, actors) = state
        .db(move |s| {
            let entries = s.audit_log(&filter)?;
            let actors = s.audit_actors()?;
            Ok((entries, actors))
        })
        .await
        .map_err(fail(&user))?;
    let compact = |v: &Option<serde_json::Value>| v.as_ref().map(|v| v.to_string());
    let rows: Vec<serde_json::Value> = entries
        .iter()
        .rev()
        .map(|e| {
            serde_json::json!({
                "id": e.id, "at": e.at, "actor": e.actor, "action": e.action,
                "entity": e.entity, "ref": e.reference,
                "before": compact(&e.before), "after": compact(&e.after),
            })
        })
        .collect();
    let full = rows.len() as u32 >= AUDIT_PAGE_ROWS;
    render(
        &state,
        &user,
        "audit.html",
        lang.pick("Journal d'audit", "Audit log"),
        "/audit",
        serde_json::json!({"rows": rows, "q": q, "actors": actors, "full": full,
            "max_rows": AUDIT_PAGE_ROWS}),
    )
}
