//! The reservations of the signed PVs (`GET /reservations`): each with its campaign,
//! anomaly, deadline (overdue ones first and marked), and whether it was lifted, by whom and
//! why. The vendor sees those of its deliveries' campaigns — what it still has to deliver; the
//! lead lifts one with a comment (`POST /reservations/{reservation}/lift`, the same
//! [`crate::ops::signoff::lift`] as `recette reserve lift`).

use axum::extract::{Path as UrlPath, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use serde::Deserialize;

use super::{fail, render};
use crate::access::Action;
use crate::error::Error;
use crate::model::Severity;
use crate::web::assets::percent_encode;
use crate::web::execution::check_campaign_scope;
use crate::web::{AppState, CurrentUser, WebError};

/// `?open=1`: only those still to lift; `?lifted=REF`: the one just lifted (a notice).
#[derive(Debug, Default, Deserialize)]
pub struct ReservationQuery {
    #[serde(default)]
    pub open: String,
    #[serde(default)]
    pub lifted: Option<String>,
    #[serde(default)]
    pub error: Option<String>,
}

/// `GET /reservations`.
pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<ReservationQuery>,
) -> Result<Response, WebError> {
    let lang = user.lang();
    let u = user.clone();
    let open_only = !q.open.is_empty();
    let (rows, today) = state
        .db(move |s| {
            let today = crate::ops::today(s);
            let mut list: Vec<_> = s
                .reservations(open_only)?
                .into_iter()
                .filter(|r| check_campaign_scope(s, &u, &r.campaign).is_ok())
                .collect();
            // Still open and overdue first, then by deadline, then by reference.
            list.sort_by(|a, b| {
                let key = |r: &crate::signoff::Reservation| {
                    (
                        !r.is_open(),
                        r.deadline.clone().unwrap_or_else(|| "9999".into()),
                        r.reference.clone(),
                    )
                };
                key(a).cmp(&key(b))
            });
            Ok((list, today))
        })
        .await
        .map_err(fail(&user))?;
    let may_lift = user.can(Action::Sign);
    let rows: Vec<serde_json::Value> = rows
        .iter()
        .map(|r| {
            let overdue = r.is_open() && r.deadline.as_deref().is_some_and(|d| d < today.as_str());
            serde_json::json!({
                "ref": r.reference, "campaign": r.campaign, "description": r.description,
                "severity": Severity::from_code(&r.severity).map(|s| s.label(lang)).unwrap_or(""),
                "anomaly": r.anomaly, "deadline": r.deadline, "overdue": overdue,
                "open": r.is_open(), "lifted_at": r.lifted_at, "lifted_by": r.lifted_by,
                "lift_comment": r.lift_comment,
            })
        })
        .collect();
    render(
        &state,
        &user,
        "reservations.html",
        lang.pick("Réserves", "Reservations"),
        "/reservations",
        serde_json::json!({"rows": rows, "open": open_only, "may_lift": may_lift,
            "lifted": q.lifted, "error": q.error, "today": today}),
    )
}

/// The lift form.
#[derive(Debug, Default, Deserialize)]
pub struct LiftForm {
    #[serde(default)]
    pub comment: String,
}

/// `POST /reservations/{reservation}/lift` (lead): lifts it with a comment, audited.
pub async fn lift(
    State(state): State<AppState>,
    user: CurrentUser,
    UrlPath(reference): UrlPath<String>,
    Form(f): Form<LiftForm>,
) -> Result<Response, WebError> {
    let lang = user.lang();
    let r = reference.clone();
    let done = state
        .db_as(user.name().to_string(), move |s| {
            if f.comment.trim().is_empty() {
                return Err(Error::input(
                    "commentaire : dites pourquoi la réserve est levée",
                    "comment: say why the reservation is lifted",
                ));
            }
            crate::ops::signoff::lift(s, &r, f.comment.trim())
        })
        .await;
    match done {
        Ok(()) => Ok(Redirect::to(&format!(
            "/reservations?lifted={}#res-{}",
            percent_encode(&reference),
            percent_encode(&reference)
        ))
        .into_response()),
        Err(e @ Error::NotFound { .. }) => Err(WebError::from_error(&e, lang)),
        Err(e) => Ok(Redirect::to(&format!(
            "/reservations?error={}",
            percent_encode(&e.message(lang))
        ))
        .into_response()),
    }
}
