//! Server-rendered pages, one module per area: [`tester`] ("Mes tests", campaign, execution);
//! [`lead`] (imports by upload, for the vendor too); [`anomalies`] (list, triage, fix, comments); the vendor's pages go in `vendor.rs`. Each handler reads the
//! request, calls the library, renders a template of `templates/web/` with [`render`], which
//! adds what every page shows (language, account, navigation by role, CSRF token).

pub mod admin;
pub mod anomalies;
pub mod campaign_plan;
pub mod catalogue;
pub mod dashboard;
pub mod deliveries;
pub mod lead;
pub mod plan;
pub mod reservations;
pub mod retest;
pub mod signoff;
pub mod tester;
pub mod trace;
pub mod verdict;
pub mod verify;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Form;
use serde::{Deserialize, Serialize};

use super::{AppState, CurrentUser, WebError};
use crate::access::Action;
use crate::i18n::Lang;

/// One entry of the navigation bar: shown to the roles that may do its action.
pub struct NavItem {
    pub href: &'static str,
    pub fr: &'static str,
    pub en: &'static str,
    pub action: Action,
}

/// The navigation bar, in order.
pub const NAV: &[NavItem] = &[
    NavItem {
        href: "/my-tests",
        fr: "Mes tests",
        en: "My tests",
        action: Action::ReadOwnTests,
    },
    NavItem {
        href: "/dashboard",
        fr: "Tableau de bord",
        en: "Dashboard",
        action: Action::ReadProject,
    },
    NavItem {
        href: "/campaigns",
        fr: "Campagnes",
        en: "Campaigns",
        action: Action::ReadCampaign,
    },
    NavItem {
        href: "/deliveries",
        fr: "Livraisons",
        en: "Deliveries",
        action: Action::ReadDelivery,
    },
    NavItem {
        href: "/requirements",
        fr: "Exigences",
        en: "Requirements",
        action: Action::ReadProject,
    },
    NavItem {
        href: "/tests",
        fr: "Cas de test",
        en: "Test cases",
        action: Action::ReadProject,
    },
    NavItem {
        href: "/trace",
        fr: "Traçabilité",
        en: "Traceability",
        action: Action::ReadProject,
    },
    NavItem {
        href: "/anomalies",
        fr: "Anomalies",
        en: "Anomalies",
        action: Action::ReadAnomaly,
    },
    NavItem {
        href: "/reservations",
        fr: "Réserves",
        en: "Reservations",
        action: Action::ReadDelivery,
    },
    NavItem {
        href: "/imports",
        fr: "Importer",
        en: "Import",
        action: Action::ImportResults,
    },
    NavItem {
        href: "/admin/users",
        fr: "Comptes",
        en: "Accounts",
        action: Action::ManageUsers,
    },
];

#[derive(Serialize)]
struct NavLink {
    href: &'static str,
    label: &'static str,
    current: bool,
}

#[derive(Serialize)]
struct PageUser<'a> {
    name: &'a str,
    display: &'a str,
    role: &'static str,
    role_label: &'static str,
}

/// Renders a page: `data` (a JSON object) plus `lang`, `title`, `user`, `csrf`, `nav`,
/// `version` for the base layout.
pub fn render(
    state: &AppState,
    user: &CurrentUser,
    template: &str,
    title: &str,
    current: &str,
    data: serde_json::Value,
) -> Result<Response, WebError> {
    let lang = user.lang();
    let nav: Vec<NavLink> = NAV
        .iter()
        .filter(|n| user.can(n.action))
        .map(|n| NavLink {
            href: n.href,
            label: lang.pick(n.fr, n.en),
            current: n.href == current,
        })
        .collect();
    let mut ctx = match data {
        serde_json::Value::Object(m) => m,
        _ => serde_json::Map::new(),
    };
    let page_user = PageUser {
        name: &user.account.name,
        display: user.account.display_name(),
        role: user.account.role.code(),
        role_label: user.account.role.label(lang),
    };
    let extra = serde_json::json!({
        "lang": lang.code(),
        "title": title,
        "user": page_user,
        "csrf": user.csrf.clone().unwrap_or_default(),
        "nav": nav,
        "version": env!("CARGO_PKG_VERSION"),
    });
    if let serde_json::Value::Object(m) = extra {
        ctx.extend(m);
    }
    let html = state
        .render(template, &ctx)
        .map_err(|e| WebError::from_error(&e, lang))?;
    Ok(Html(html).into_response())
}

/// [`render`] for a form shown again: 422 when it was `refused` (what was typed kept, the
/// reason shown beside the field), 200 otherwise.
pub fn render_form(
    state: &AppState,
    user: &CurrentUser,
    template: &str,
    title: &str,
    current: &str,
    data: serde_json::Value,
    refused: bool,
) -> Result<Response, WebError> {
    let mut resp = render(state, user, template, title, current, data)?;
    if refused {
        *resp.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(resp)
}

/// References or names typed in one field: separated by commas, semicolons, spaces or line
/// breaks (a form's list of tests, anomalies, requirements).
pub fn refs(text: &str) -> Vec<String> {
    text.split(|c: char| c == ',' || c == ';' || c.is_whitespace())
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// The tags of every test case, sorted, once each (the forms' suggestions).
pub fn known_tags(store: &crate::store::Store) -> crate::error::Result<Vec<String>> {
    let mut tags: Vec<String> = store
        .test_cases()?
        .into_iter()
        .flat_map(|t| t.tags)
        .collect();
    tags.sort();
    tags.dedup();
    Ok(tags)
}

/// The non-empty values, sorted, once each (a filter's choices).
pub fn distinct(values: impl IntoIterator<Item = String>) -> Vec<String> {
    let mut v: Vec<String> = values.into_iter().filter(|s| !s.is_empty()).collect();
    v.sort();
    v.dedup();
    v
}

/// A library error on a page, in the user's language.
pub fn fail(user: &CurrentUser) -> impl Fn(crate::error::Error) -> WebError + '_ {
    move |e| WebError::from_error(&e, user.lang())
}

/// The options of a select: each value's code and its label (`{"code", "label"}`).
pub fn choices<T: Copy>(
    all: &[T],
    code: impl Fn(T) -> &'static str,
    label: impl Fn(T) -> &'static str,
) -> Vec<serde_json::Value> {
    all.iter()
        .map(|x| serde_json::json!({"code": code(*x), "label": label(*x)}))
        .collect()
}

/// The references of the deliveries this scope sees, sorted (for the pages' selects).
pub fn delivery_refs(
    store: &crate::store::Store,
    scope: &crate::access::Scope,
) -> crate::error::Result<Vec<String>> {
    let mut refs: Vec<String> = store
        .deliveries()?
        .into_iter()
        .filter(|d| scope.sees_delivery(&d.vendor))
        .map(|d| d.reference)
        .collect();
    refs.sort();
    Ok(refs)
}

/// One page of a long table: the rows of page `page` (1-based; clamped, anything unreadable
/// is page 1) and the pager the templates show with `{% include "pager.html" %}` — each link
/// keeps the filters `query` (empty values left out).
pub fn paginate<T>(
    rows: Vec<T>,
    page: &str,
    per: usize,
    query: &[(&str, &str)],
) -> (Vec<T>, serde_json::Value) {
    let matching = rows.len();
    let pages = matching.div_ceil(per.max(1)).max(1);
    let page = page.trim().parse::<usize>().unwrap_or(1).clamp(1, pages);
    let from = (page - 1) * per;
    let rows: Vec<T> = rows.into_iter().skip(from).take(per).collect();
    let link = |n: usize| {
        let mut parts: Vec<String> = query
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| format!("{k}={}", crate::web::assets::percent_encode(v)))
            .collect();
        parts.push(format!("page={n}"));
        format!("?{}", parts.join("&"))
    };
    let pager = serde_json::json!({
        "page": page,
        "pages": pages,
        "matching": matching,
        "from": if matching == 0 { 0 } else { from + 1 },
        "to": from + rows.len(),
        "prev": (page > 1).then(|| link(page - 1)),
        "next": (page < pages).then(|| link(page + 1)),
        "first": (page > 2).then(|| link(1)),
        "last": (page + 1 < pages).then(|| link(pages)),
    });
    (rows, pager)
}

/// The next field of a multipart form, or the error to answer: 413 past the upload limit,
/// 422 for a form that cannot be read.
pub async fn next_field<'a>(
    multipart: &'a mut axum::extract::Multipart,
    lang: Lang,
    limit: usize,
) -> Result<Option<axum::extract::multipart::Field<'a>>, WebError> {
    match multipart.next_field().await {
        Ok(f) => Ok(f),
        Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            Err(WebError::too_large(lang, limit))
        }
        Err(e) => Err(
            WebError::invalid(lang, "formulaire illisible", "unreadable form")
                .with_detail(e.body_text()),
        ),
    }
}

/// `GET /`: the first page of the account's role.
pub async fn home(user: CurrentUser) -> Response {
    // The lead (and whoever decides) starts from the dashboard, a tester from "Mes tests",
    // the others from the first page their role may open.
    let first = if user.can(Action::Decide) {
        NAV.iter().find(|n| n.href == "/dashboard")
    } else {
        NAV.iter().find(|n| user.can(n.action))
    };
    match first {
        Some(n) => Redirect::to(n.href).into_response(),
        None => (
            StatusCode::OK,
            Html(format!(
                "<!DOCTYPE html><html lang=\"{}\"><head><meta charset=\"utf-8\"><title>recette</title></head><body><p>{}</p></body></html>",
                user.lang().code(),
                user.lang().pick("Aucune page pour votre rôle.", "No page for your role.")
            )),
        )
            .into_response(),
    }
}

/// `GET /account`: who I am, my role, the keyboard shortcuts.
pub async fn account(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Response, WebError> {
    let lang = user.lang();
    render(
        &state,
        &user,
        "account.html",
        lang.pick("Mon compte", "My account"),
        "/account",
        serde_json::json!({"vendor": user.account.vendor, "back": "/account"}),
    )
}

/// The language form.
#[derive(Debug, Deserialize)]
pub struct LangForm {
    pub lang: String,
    #[serde(default)]
    pub back: Option<String>,
}

/// `POST /account/lang`: the account's language (fr/en).
pub async fn set_lang(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(f): Form<LangForm>,
) -> Result<Response, WebError> {
    let Some(lang) = Lang::parse(&f.lang) else {
        return Err(WebError::invalid(
            user.lang(),
            "langue attendue : fr ou en",
            "expected language: fr or en",
        ));
    };
    let name = user.name().to_string();
    state
        .db_as(name.clone(), move |s| {
            s.write("lang", |tx| tx.set_account_lang(&name, lang))
        })
        .await
        .map_err(fail(&user))?;
    let back = f
        .back
        .filter(|b| b.starts_with('/') && !b.starts_with("//"))
        .unwrap_or_else(|| "/".into());
    Ok(Redirect::to(&back).into_response())
}
