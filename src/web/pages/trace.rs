//! The traceability matrix (`GET /trace`): every requirement with its coverage, its status
//! over a campaign, a delivery or the latest results, and each linked test with its result —
//! the same [`crate::ops::trace::trace`] as `recette trace`. Filters: status, criticality,
//! suspect links only, text.

use axum::extract::{Query, State};
use axum::response::Response;
use serde::{Deserialize, Serialize};

use super::{fail, render};
use crate::error::Error;
use crate::model::Criticality;
use crate::trace::{ReqTraceStatus, Scope};
use crate::web::{AppState, CurrentUser, WebError};

/// The scope and the filters.
#[derive(Debug, Default, Deserialize, Serialize, Clone)]
pub struct TraceQuery {
    #[serde(default)]
    pub campaign: String,
    #[serde(default)]
    pub delivery: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub criticality: String,
    /// `1`: only the requirements with a suspect link.
    #[serde(default)]
    pub suspect: String,
    #[serde(default)]
    pub q: String,
}

/// `GET /trace`.
pub async fn trace(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(f): Query<TraceQuery>,
) -> Result<Response, WebError> {
    let lang = user.lang();
    let q = f.clone();
    let (rows, summary, campaigns, deliveries) = state
        .db(move |s| {
            let opt = |v: &str| (!v.trim().is_empty()).then(|| v.trim().to_string());
            let scope = Scope::of(opt(&q.campaign), opt(&q.delivery));
            let want_status = match q.status.trim() {
                "" => None,
                w => Some(
                    ReqTraceStatus::ALL
                        .iter()
                        .copied()
                        .find(|x| x.code() == w)
                        .ok_or_else(|| {
                            Error::input(
                                format!("statut : « {w} » inconnu"),
                                format!("status: unknown \"{w}\""),
                            )
                        })?,
                ),
            };
            let want_crit = match q.criticality.trim() {
                "" => None,
                w => Some(Criticality::parse(w)?),
            };
            let text = crate::model::normalize_word(&q.q);
            let t = crate::ops::trace::trace(s, &scope)?;
            let rows: Vec<serde_json::Value> = t
                .requirements
                .iter()
                .filter(|r| want_status.is_none_or(|w| r.status == w))
                .filter(|r| want_crit.is_none_or(|w| r.criticality == w))
                .filter(|r| q.suspect.is_empty() || r.suspect)
                .filter(|r| {
                    text.is_empty()
                        || crate::model::normalize_word(&format!("{} {}", r.reference, r.title))
                            .contains(&text)
                })
                .map(|r| {
                    serde_json::json!({
                        "ref": r.reference, "title": r.title,
                        "criticality": r.criticality.label(lang),
                        "status": r.status.code(), "status_label": r.status.label(lang),
                        "suspect": r.suspect,
                        "tests": r.tests.iter().map(|t| serde_json::json!({
                            "ref": t.reference, "name": t.name, "status": t.status.code(),
                            "status_label": t.status.label(lang), "suspect": t.suspect,
                            "modified": t.modified_since_run,
                        })).collect::<Vec<_>>(),
                    })
                })
                .collect();
            let by_status: Vec<serde_json::Value> = ReqTraceStatus::ALL
                .iter()
                .map(|x| {
                    serde_json::json!({"code": x.code(), "label": x.label(lang),
                        "count": t.summary.by_status.get(x.code()).copied().unwrap_or(0)})
                })
                .collect();
            let summary = serde_json::json!({
                "requirements": t.summary.requirements,
                "covered": t.summary.covered,
                "uncovered": t.summary.uncovered,
                "coverage_rate": crate::i18n::percent(lang, t.summary.coverage_rate),
                "passed_rate": crate::i18n::percent(lang, t.summary.passed_rate),
                "suspect_requirements": t.summary.suspect_requirements,
                "by_status": by_status,
            });
            let campaigns: Vec<String> = s.campaigns()?.into_iter().map(|c| c.reference).collect();
            let deliveries = super::delivery_refs(s, &crate::access::Scope::All)?;
            Ok((rows, summary, campaigns, deliveries))
        })
        .await
        .map_err(fail(&user))?;
    let statuses: Vec<serde_json::Value> =
        super::choices(ReqTraceStatus::ALL, ReqTraceStatus::code, |x| x.label(lang));
    let criticalities: Vec<serde_json::Value> =
        super::choices(Criticality::ALL, Criticality::code, |x| x.label(lang));
    render(
        &state,
        &user,
        "trace.html",
        lang.pick("Traçabilité", "Traceability"),
        "/trace",
        serde_json::json!({"rows": rows, "summary": summary, "filter": f,
            "campaigns": campaigns, "deliveries": deliveries,
            "statuses": statuses, "criticalities": criticalities}),
    )
}
