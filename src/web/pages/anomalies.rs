//! The anomaly pages, shared by the three sides of a project: the list with its filters and
//! the page of one anomaly with its history, comments, executions and files. The lead triages
//! (lifecycle move, severity, who acts, fix delivery), the vendor declares a fix in one of its
//! deliveries and answers in shared comments, testers and the lead comment (internal by
//! default). Every change goes through [`crate::ops::anomaly`]; a vendor only ever sees the
//! anomalies found or fixed in its deliveries, and never an internal comment.

use std::collections::HashMap;

use axum::extract::{Path as UrlPath, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use serde::{Deserialize, Serialize};

use super::{choices, fail, render};
use crate::access::{Action, Scope};
use crate::entities::{Anomaly, AnomalyDetail, Visibility};
use crate::error::{Error, Result};
use crate::i18n::Lang;
use crate::model::{AnomalyStatus, Severity};
use crate::ops::anomaly::{self as ops, CommentRequest, EditRequest, Reader};
use crate::store::{AnomalyPatch, Store};
use crate::web::assets::percent_encode;
use crate::web::{AppState, CurrentUser, WebError};

/// Filters of the list (all optional, combined).
#[derive(Debug, Default, Deserialize, Serialize, Clone)]
pub struct AnomalyFilter {
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub severity: String,
    /// `open` (not closed nor rejected) or empty.
    #[serde(default)]
    pub open: String,
    #[serde(default)]
    pub delivery: String,
    #[serde(default)]
    pub q: String,
    /// `board`: one column per status (the lifecycle), instead of the table.
    #[serde(default)]
    pub view: String,
}

/// The board's columns, in the order of the lifecycle.
const BOARD: [AnomalyStatus; 7] = [
    AnomalyStatus::Ouverte,
    AnomalyStatus::Rouverte,
    AnomalyStatus::Analysee,
    AnomalyStatus::Corrigee,
    AnomalyStatus::ARetester,
    AnomalyStatus::Close,
    AnomalyStatus::Rejetee,
];

/// The vendor of each delivery, by reference.
fn delivery_vendors(store: &Store) -> Result<HashMap<String, String>> {
    Ok(store
        .deliveries()?
        .into_iter()
        .map(|d| (d.reference, d.vendor))
        .collect())
}

/// Whether this scope sees this anomaly (found or fixed in one of its deliveries).
fn sees(scope: &Scope, vendors: &HashMap<String, String>, a: &Anomaly) -> bool {
    let of = |d: &Option<String>| {
        d.as_ref()
            .and_then(|d| vendors.get(d))
            .map(String::as_str)
            .unwrap_or("")
    };
    scope.sees_anomaly([of(&a.found_in), of(&a.fixed_in)])
}

fn not_found(reference: &str) -> Error {
    Error::NotFound {
        kind: "anomalie",
        reference: reference.to_string(),
    }
}

fn reader(user: &CurrentUser) -> Reader {
    if user.can(Action::ReadInternal) {
        Reader::Buyer
    } else {
        Reader::Vendor
    }
}

/// One anomaly as this account may read it, or "not found" (never "forbidden": a vendor
/// does not learn that an anomaly of another vendor exists).
fn detail_for(store: &Store, user: &CurrentUser, reference: &str) -> Result<AnomalyDetail> {
    let a = store
        .anomaly(reference)?
        .ok_or_else(|| not_found(reference))?;
    let vendors = delivery_vendors(store)?;
    if !sees(&user.scope(), &vendors, &a) {
        return Err(not_found(reference));
    }
    ops::show(store, reference, reader(user))
}

#[derive(Serialize)]
struct Row {
    r#ref: String,
    href: String,
    title: String,
    severity: &'static str,
    severity_label: &'static str,
    status: &'static str,
    status_label: &'static str,
    found_in: String,
    fixed_in: String,
    assignee: String,
    tests: String,
    /// Requirements covered by those tests.
    requirements: Vec<String>,
    reopened: i64,
    /// Days since it was found (at the store's today), for an open one.
    age: Option<i64>,
}

fn row(a: &Anomaly, lang: Lang, today: &str) -> Row {
    let day = |s: &str| chrono::NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d").ok();
    let age = match (a.status.is_open(), day(&a.created_at), day(today)) {
        (true, Some(found), Some(now)) => Some((now - found).num_days().max(0)),
        _ => None,
    };
    Row {
        r#ref: a.reference.clone(),
        href: format!("/anomalies/{}", percent_encode(&a.reference)),
        title: a.title.clone(),
        severity: a.severity.code(),
        severity_label: a.severity.label(lang),
        status: a.status.code(),
        status_label: a.status.label(lang),
        found_in: a.found_in.clone().unwrap_or_default(),
        fixed_in: a.fixed_in.clone().unwrap_or_default(),
        assignee: a.assignee.clone(),
        tests: a.tests.join(", "),
        requirements: Vec::new(),
        reopened: a.reopen_count,
        age,
    }
}

/// `GET /anomalies`: every anomaly the account sees, filtered, most severe open first.
pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(f): Query<AnomalyFilter>,
) -> Result<Response, WebError> {
    let lang = user.lang();
    let u = user.clone();
    let filter = f.clone();
    let (rows, total, deliveries) = state
        .db(move |s| {
            let vendors = delivery_vendors(s)?;
            let scope = u.scope();
            let want_status = match filter.status.trim() {
                "" => None,
                w => Some(AnomalyStatus::parse(w)?),
            };
            let want_severity = match filter.severity.trim() {
                "" => None,
                w => Some(Severity::parse(w)?),
            };
            let text = crate::model::normalize_word(&filter.q);
            let mut seen: Vec<Anomaly> = s
                .anomalies()?
                .into_iter()
                .filter(|a| sees(&scope, &vendors, a))
                .collect();
            let total = seen.len();
            seen.retain(|a| {
                want_status.is_none_or(|w| a.status == w)
                    && want_severity.is_none_or(|w| a.severity == w)
                    && (filter.open.is_empty() || a.status.is_open())
                    && (filter.delivery.is_empty()
                        || a.found_in.as_deref() == Some(filter.delivery.as_str())
                        || a.fixed_in.as_deref() == Some(filter.delivery.as_str()))
                    && (text.is_empty()
                        || crate::model::normalize_word(&format!(
                            "{} {} {}",
                            a.reference, a.title, a.description
                        ))
                        .contains(&text))
            });
            // Open before closed, then the most severe, then by reference.
            seen.sort_by(|a, b| {
                // Severities are ordered from blocking to minor.
                (!a.status.is_open(), a.severity, &a.reference).cmp(&(
                    !b.status.is_open(),
                    b.severity,
                    &b.reference,
                ))
            });
            let deliveries = super::delivery_refs(s, &scope)?;
            let today = crate::ops::today(s);
            // The requirements each test covers, from the links (one query).
            let mut covers: HashMap<String, Vec<String>> = HashMap::new();
            for (r, t, _) in s.links()? {
                covers.entry(t).or_default().push(r);
            }
            let rows = seen
                .iter()
                .map(|a| {
                    let mut row = row(a, lang, &today);
                    let mut reqs: Vec<String> = a
                        .tests
                        .iter()
                        .flat_map(|t| covers.get(t).cloned().unwrap_or_default())
                        .collect();
                    reqs.sort();
                    reqs.dedup();
                    row.requirements = reqs;
                    row
                })
                .collect::<Vec<_>>();
            Ok((rows, total, deliveries))
        })
        .await
        .map_err(fail(&user))?;
    // The board: the same rows, one column per status.
    let board: Vec<serde_json::Value> = if f.view == "board" {
        BOARD
            .iter()
            .map(|st| {
                let cards: Vec<&Row> = rows.iter().filter(|r| r.status == st.code()).collect();
                serde_json::json!({"code": st.code(), "label": st.label(lang), "cards": cards})
            })
            .collect()
    } else {
        Vec::new()
    };
    // The filters without the view, for the link to the other view.
    let query: String = [
        ("status", &f.status),
        ("severity", &f.severity),
        ("open", &f.open),
        ("delivery", &f.delivery),
        ("q", &f.q),
    ]
    .iter()
    .filter(|(_, v)| !v.is_empty())
    .map(|(k, v)| format!("{k}={}&", percent_encode(v)))
    .collect();
    render(
        &state,
        &user,
        "anomalies.html",
        lang.pick("Anomalies", "Anomalies"),
        "/anomalies",
        serde_json::json!({
            "board": board, "query": query,
            "rows": rows, "total": total, "filter": f, "deliveries": deliveries,
            "statuses": choices(AnomalyStatus::ALL, |s| s.code(), |s| s.label(lang)),
            "severities": choices(Severity::ALL, |s| s.code(), |s| s.label(lang)),
        }),
    )
}

/// What the forms of the anomaly page had, when one is shown again with its error.
#[derive(Debug, Default, Deserialize, Serialize, Clone)]
pub struct AnomalyForm {
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub severity: String,
    /// Absent: unchanged; empty: nobody.
    #[serde(default)]
    pub assignee: Option<String>,
    #[serde(default)]
    pub fixed_in: String,
    #[serde(default)]
    pub comment: String,
    #[serde(default)]
    pub visibility: String,
    /// Which form was sent (`triage`, `fix`, `comment`), for the error's place.
    #[serde(default, skip_deserializing)]
    pub form: String,
}

/// The query of the anomaly page.
#[derive(Debug, Default, Deserialize)]
pub struct ShownQuery {
    /// What was just saved (a notice is shown).
    #[serde(default)]
    pub saved: Option<String>,
}

async fn render_detail(
    state: &AppState,
    user: &CurrentUser,
    reference: String,
    notice: Option<String>,
    error: Option<(StatusCode, String, AnomalyForm)>,
) -> Result<Response, WebError> {
    let lang = user.lang();
    let u = user.clone();
    let (d, deliveries) = state
        .db(move |s| {
            let d = detail_for(s, &u, &reference)?;
            let deliveries = super::delivery_refs(s, &u.scope())?;
            Ok((d, deliveries))
        })
        .await
        .map_err(fail(user))?;
    let a = &d.anomaly;
    let next = choices(&d.next_statuses, |s| s.code(), |s| s.label(lang));
    let history: Vec<serde_json::Value> = d
        .history
        .iter()
        .map(|h| {
            serde_json::json!({"at": h.at, "actor": h.actor, "event": h.event,
                "from": h.from.map(|s| s.label(lang)), "to": h.to.label(lang),
                "to_code": h.to.code(), "comment": h.comment, "delivery": h.delivery})
        })
        .collect();
    let comments: Vec<serde_json::Value> = d
        .comments
        .iter()
        .map(|c| {
            serde_json::json!({"at": c.at, "actor": c.actor, "text": c.text,
                "internal": c.visibility == Visibility::Internal})
        })
        .collect();
    let fixable = d.next_statuses.contains(&AnomalyStatus::Corrigee);
    let (status, message, entered) = match error {
        Some((status, message, entered)) => (status, Some(message), entered),
        None => (StatusCode::OK, None, AnomalyForm::default()),
    };
    let title = format!("{} — {}", a.reference, a.title);
    let mut resp = render(
        state,
        user,
        "anomaly.html",
        &title,
        "/anomalies",
        serde_json::json!({
            "a": row(a, lang, ""),
            "description": a.description,
            "created_at": a.created_at,
            "closed_at": a.closed_at,
            "history": history,
            "comments": comments,
            "executions": d.executions.iter().map(|e| serde_json::json!({
                "campaign": e.campaign, "test": e.test, "dataset": e.dataset,
                "attempt": e.attempt, "status": e.status.label(lang), "tester": e.tester,
                "executed_at": e.executed_at})).collect::<Vec<_>>(),
            "evidence": d.evidence,
            "requirements": d.requirements,
            "next": next,
            "fixable": fixable,
            "deliveries": deliveries,
            "severities": choices(Severity::ALL, |s| s.code(), |s| s.label(lang)),
            "may": {
                "triage": user.can(Action::TriageAnomaly),
                "fix": user.can(Action::DeclareFix) && fixable,
                "comment": user.can(Action::CommentAnomaly),
                "internal": user.can(Action::ReadInternal),
            },
            "notice": notice,
            "error": message,
            "entered": entered,
        }),
    )?;
    *resp.status_mut() = status;
    Ok(resp)
}

/// `GET /anomalies/{anomaly}`.
pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    UrlPath(reference): UrlPath<String>,
    Query(q): Query<ShownQuery>,
) -> Result<Response, WebError> {
    let lang = user.lang();
    let notice = q.saved.map(|what| match what.as_str() {
        "comment" => lang
            .pick("Commentaire ajouté.", "Comment added.")
            .to_string(),
        "fix" => lang
            .pick("Correction déclarée.", "Fix declared.")
            .to_string(),
        _ => lang
            .pick("Anomalie mise à jour.", "Anomaly updated.")
            .to_string(),
    });
    render_detail(&state, &user, reference, notice, None).await
}

fn trimmed(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

/// Runs a change of the anomaly page, then goes back to it (or shows the form again with
/// the error, nothing changed).
async fn apply(
    state: AppState,
    user: CurrentUser,
    reference: String,
    mut form: AnomalyForm,
    what: &'static str,
    change: impl FnOnce(&mut Store, &CurrentUser, &AnomalyForm, &str) -> Result<()> + Send + 'static,
) -> Result<Response, WebError> {
    let lang = user.lang();
    let u = user.clone();
    let (r, f) = (reference.clone(), form.clone());
    let done = state
        .db_as(user.name().to_string(), move |s| {
            // Scope first: a vendor may not act on (or probe) another vendor's anomaly.
            detail_for(s, &u, &r)?;
            change(s, &u, &f, &r)
        })
        .await;
    match done {
        Ok(()) => Ok(Redirect::to(&format!(
            "/anomalies/{}?saved={what}#{what}",
            percent_encode(&reference)
        ))
        .into_response()),
        Err(e @ Error::NotFound { .. }) => Err(WebError::from_error(&e, lang)),
        Err(e) => {
            let w = WebError::from_error(&e, lang);
            form.form = what.to_string();
            render_detail(
                &state,
                &user,
                reference,
                None,
                Some((w.status, e.message(lang), form)),
            )
            .await
        }
    }
}

/// `POST /anomalies/{anomaly}/triage` (lead): a lifecycle move with its comment, severity,
/// who acts, fix delivery; one transaction.
pub async fn triage(
    State(state): State<AppState>,
    user: CurrentUser,
    UrlPath(reference): UrlPath<String>,
    Form(form): Form<AnomalyForm>,
) -> Result<Response, WebError> {
    apply(state, user, reference, form, "triage", |s, _, f, r| {
        let current = s.anomaly(r)?.map(|a| a.assignee).unwrap_or_default();
        let patch = AnomalyPatch {
            status: trimmed(&f.status)
                .map(|w| AnomalyStatus::parse(&w))
                .transpose()?,
            severity: trimmed(&f.severity)
                .map(|w| Severity::parse(&w))
                .transpose()?,
            assignee: f
                .assignee
                .as_deref()
                .map(str::trim)
                .filter(|x| *x != current)
                .map(str::to_string),
            fixed_in: trimmed(&f.fixed_in),
            comment: trimmed(&f.comment),
            ..AnomalyPatch::default()
        };
        // An unchanged severity or delivery is not a change.
        let before = s.anomaly(r)?.ok_or_else(|| not_found(r))?;
        let patch = AnomalyPatch {
            severity: patch.severity.filter(|x| *x != before.severity),
            fixed_in: patch.fixed_in.filter(|x| Some(x) != before.fixed_in.as_ref()),
            ..patch
        };
        if patch.is_empty() && patch.comment.is_none() {
            return Err(Error::input(
                "rien à changer : choisissez un nouveau statut, une sévérité, un responsable ou une livraison de correction, ou écrivez un commentaire",
                "nothing to change: choose a new status, a severity, who acts or a fix delivery, or write a comment",
            ));
        }
        if patch.status.is_none() && patch.comment.is_some() {
            // A comment without a move is a comment (internal: the triage is the buyer's).
            let comment = patch.comment.clone().unwrap_or_default();
            let rest = AnomalyPatch {
                comment: None,
                ..patch
            };
            if !rest.is_empty() {
                ops::edit(s, &EditRequest {
                    reference: r.to_string(),
                    patch: rest,
                    requirements: Vec::new(),
                })?;
            }
            ops::comment(s, &CommentRequest {
                reference: r.to_string(),
                text: comment,
                visibility: Visibility::Internal,
            })?;
            return Ok(());
        }
        ops::edit(s, &EditRequest {
            reference: r.to_string(),
            patch,
            requirements: Vec::new(),
        })
        .map(|_| ())
    })
    .await
}

/// `POST /anomalies/{anomaly}/fix` (vendor, lead): declares the anomaly fixed in a delivery
/// the account sees, with a shared comment saying what was done.
pub async fn fix(
    State(state): State<AppState>,
    user: CurrentUser,
    UrlPath(reference): UrlPath<String>,
    Form(form): Form<AnomalyForm>,
) -> Result<Response, WebError> {
    apply(state, user, reference, form, "fix", |s, u, f, r| {
        let delivery = trimmed(&f.fixed_in).ok_or_else(|| {
            Error::input(
                "livraison de la correction : choisissez la livraison qui corrige l'anomalie",
                "fix delivery: choose the delivery that fixes the anomaly",
            )
        })?;
        let vendors = delivery_vendors(s)?;
        let seen = vendors
            .get(&delivery)
            .is_some_and(|v| u.scope().sees_delivery(v));
        if !seen {
            return Err(Error::input(
                format!(
                    "livraison de la correction : « {delivery} » n'est pas une de vos livraisons"
                ),
                format!("fix delivery: \"{delivery}\" is not one of your deliveries"),
            ));
        }
        let comment = trimmed(&f.comment).ok_or_else(|| {
            Error::input(
                "commentaire : dites ce qui a été corrigé",
                "comment: say what was fixed",
            )
        })?;
        ops::edit(
            s,
            &EditRequest {
                reference: r.to_string(),
                patch: AnomalyPatch {
                    status: Some(AnomalyStatus::Corrigee),
                    fixed_in: Some(delivery),
                    comment: Some(comment),
                    ..AnomalyPatch::default()
                },
                requirements: Vec::new(),
            },
        )
        .map(|_| ())
    })
    .await
}

/// `POST /anomalies/{anomaly}/comments`: a comment; the vendor's are always shared, the
/// buyer's internal unless shared on purpose.
pub async fn comment(
    State(state): State<AppState>,
    user: CurrentUser,
    UrlPath(reference): UrlPath<String>,
    Form(form): Form<AnomalyForm>,
) -> Result<Response, WebError> {
    apply(state, user, reference, form, "comment", |s, u, f, r| {
        let text = trimmed(&f.comment)
            .ok_or_else(|| Error::input("commentaire : texte attendu", "comment: text expected"))?;
        let visibility = if !u.can(Action::ReadInternal) || f.visibility == "shared" {
            Visibility::Shared
        } else {
            Visibility::Internal
        };
        ops::comment(
            s,
            &CommentRequest {
                reference: r.to_string(),
                text,
                visibility,
            },
        )
        .map(|_| ())
    })
    .await
}
