//! A campaign's verdict and reports (`GET /campaigns/{campaign}/verdict`): each exit
//! criterion measured against its threshold, the decision they propose with its reasons and
//! the reservations it would carry (the same [`crate::ops::verdict::gate`] as
//! `recette verdict`), and the downloads of every report format, written on demand by
//! [`crate::ops::verdict::write_reports`] as `recette report` writes them.

use axum::extract::{Path as UrlPath, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::{fail, render};
use crate::error::Error;
use crate::report::Format;
use crate::verdict::{criterion_name, format_measure, format_threshold};
use crate::web::execution::check_campaign_scope;
use crate::web::{AppState, CurrentUser, WebError};

/// The formats offered, with the word of their URL and their label.
const DOWNLOADS: &[(&str, Format, &str, &str)] = &[
    ("html", Format::Html, "Bilan (HTML)", "Report (HTML)"),
    (
        "bilan-pdf",
        Format::BilanPdf,
        "Bilan (PDF/A)",
        "Report (PDF/A)",
    ),
    (
        "md",
        Format::Markdown,
        "Bilan (Markdown)",
        "Report (Markdown)",
    ),
    (
        "xlsx",
        Format::Xlsx,
        "Matrice (classeur)",
        "Matrix (workbook)",
    ),
    (
        "pv",
        Format::Pv,
        "Procès-verbal (HTML)",
        "Acceptance record (HTML)",
    ),
    (
        "pv-pdf",
        Format::PvPdf,
        "Procès-verbal (PDF/A)",
        "Acceptance record (PDF/A)",
    ),
];

/// `?signed=N`: the sign-off just recorded (a notice).
#[derive(Debug, Default, Deserialize)]
pub struct VerdictQuery {
    #[serde(default)]
    pub signed: Option<i64>,
}

/// `GET /campaigns/{campaign}/verdict`.
pub async fn verdict(
    State(state): State<AppState>,
    user: CurrentUser,
    UrlPath(campaign): UrlPath<String>,
    Query(q): Query<VerdictQuery>,
) -> Result<Response, WebError> {
    let lang = user.lang();
    let u = user.clone();
    let c = campaign.clone();
    let (title, g, signoffs) = state
        .db(move |s| {
            check_campaign_scope(s, &u, &c)?;
            let title = s.campaign(&c)?.title;
            let signoffs = s.signoffs(Some(&c))?;
            Ok((title, crate::ops::verdict::gate(s, &c, true)?, signoffs))
        })
        .await
        .map_err(fail(&user))?;
    let v = &g.verdict;
    let criteria: Vec<serde_json::Value> = v
        .criteria
        .iter()
        .map(|r| {
            serde_json::json!({
                "name": criterion_name(&r.criterion, lang),
                "rule": r.criterion.rule(),
                "threshold": format_threshold(&r.criterion, lang),
                "measured": format_measure(&r.criterion.indicator, r.measured, lang),
                "met": r.met,
                "blocking": r.criterion.blocking,
            })
        })
        .collect();
    let reservations: Vec<serde_json::Value> = v
        .reservations
        .iter()
        .map(|r| {
            serde_json::json!({"description": r.description.get(lang), "severity": r.severity,
                "anomaly": r.anomaly, "deadline": r.deadline})
        })
        .collect();
    let downloads: Vec<serde_json::Value> = DOWNLOADS
        .iter()
        .map(|(word, _, fr, en)| {
            serde_json::json!({"href": format!("/campaigns/{}/reports/{word}",
                crate::web::assets::percent_encode(&campaign)), "label": lang.pick(fr, en), "word": word})
        })
        .collect();
    render(
        &state,
        &user,
        "verdict.html",
        &format!("{} — {}", campaign, lang.pick("verdict", "verdict")),
        "/dashboard",
        serde_json::json!({
            "campaign": campaign, "campaign_title": title,
            "strategy": v.strategy, "default_strategy": v.default_strategy,
            "criteria": criteria,
            "decision": v.decision.code(), "decision_label": v.decision.label(lang),
            "reasons": v.reasons.iter().map(|t| t.get(lang).to_string()).collect::<Vec<_>>(),
            "reservations": reservations,
            "previous_ajournements": v.previous_ajournements,
            "max_ajournements": v.max_ajournements,
            "downloads": downloads,
            "signed_now": q.signed,
            "may_sign": user.can(crate::access::Action::Sign),
            "signoffs": signoffs.iter().map(|o| serde_json::json!({
                "number": o.number, "decision": o.decision.label(lang), "signed_at": o.signed_at,
                "actor": o.actor, "signatories": o.signatories,
                "reservations": o.reservations.iter().map(|r| serde_json::json!({
                    "ref": r.reference, "description": r.description, "deadline": r.deadline,
                    "lifted": r.lifted_at.is_some()})).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
        }),
    )
}

/// `?view=1`: an HTML report shown in the browser rather than downloaded.
#[derive(Debug, Default, serde::Deserialize)]
pub struct ReportQuery {
    #[serde(default)]
    pub view: String,
}

/// `GET /campaigns/{campaign}/reports/{format}`: one report, written now from the store
/// (with the latest sign-off in the PV), as a download — or, for the HTML bilan and PV with
/// `?view=1`, shown in the browser under a policy that runs no script.
pub async fn report(
    State(state): State<AppState>,
    user: CurrentUser,
    UrlPath((campaign, word)): UrlPath<(String, String)>,
    axum::extract::Query(q): axum::extract::Query<ReportQuery>,
) -> Result<Response, WebError> {
    let lang = user.lang();
    let Some((_, format, _, _)) = DOWNLOADS.iter().find(|d| d.0 == word) else {
        return Err(WebError::not_found(lang));
    };
    let format = *format;
    let u = user.clone();
    let c = campaign.clone();
    let templates = state.templates_dir();
    let (name, bytes) = state
        .db(move |s| {
            check_campaign_scope(s, &u, &c)?;
            let dir = tempfile::tempdir()
                .map_err(|e| Error::Other(format!("dossier temporaire : {e}")))?;
            crate::ops::verdict::write_reports(
                s,
                &crate::ops::verdict::ReportRequest {
                    campaign: c.clone(),
                    out: dir.path().to_path_buf(),
                    formats: vec![format],
                    templates,
                    lang,
                },
            )?;
            let name = format.file_name(&c);
            let bytes = std::fs::read(dir.path().join(&name))
                .map_err(|e| Error::Other(format!("{name} : {e}")))?;
            Ok((name, bytes))
        })
        .await
        .map_err(fail(&user))?;
    let kind = match format {
        Format::Html | Format::Pv => "text/html; charset=utf-8",
        Format::Markdown => "text/markdown; charset=utf-8",
        Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        Format::BilanPdf | Format::PvPdf => "application/pdf",
    };
    if q.view == "1" && matches!(format, Format::Html | Format::Pv) {
        return Ok((
            [
                (header::CONTENT_TYPE, kind.to_string()),
                (
                    header::CONTENT_SECURITY_POLICY,
                    crate::web::security::REPORT_CSP.to_string(),
                ),
            ],
            bytes,
        )
            .into_response());
    }
    Ok((
        [
            (header::CONTENT_TYPE, kind.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"{}\"",
                    name.replace(['"', '\\'], "_")
                ),
            ),
        ],
        bytes,
    )
        .into_response())
}
