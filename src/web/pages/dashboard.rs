//! The lead's and the COPIL's dashboard (`GET /dashboard`): the project's size, each campaign
//! with its progress, rates, per-tester progress and the decision its exit criteria propose
//! (the same [`crate::ops::status::dashboard`] and [`crate::ops::verdict::gate`] as
//! `recette status` and `recette verdict`), and the open anomalies by severity. The progress
//! part refreshes itself every 15 s (htmx), so the lead sees the testers' work as it lands.

use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::tester::status_counts;
use super::{fail, render};
use crate::i18n::Lang;
use crate::model::{ExecStatus, Severity};
use crate::ops::status::Dashboard;
use crate::ops::verdict::GateOutcome;
use crate::web::{AppState, CurrentUser, WebError};

/// `?part=campaigns`: only the campaigns' block (the live refresh).
#[derive(Debug, Default, Deserialize)]
pub struct DashboardQuery {
    #[serde(default)]
    pub part: String,
}

fn view(d: &Dashboard, gates: &[GateOutcome], lang: Lang) -> serde_json::Value {
    let campaigns: Vec<serde_json::Value> = d
        .campaigns
        .iter()
        .zip(gates)
        .map(|(c, g)| {
            let i = &c.indicators;
            let statuses: Vec<ExecStatus> = i
                .by_status
                .iter()
                .filter_map(|(code, n)| ExecStatus::from_code(code).map(|s| (s, *n)))
                .flat_map(|(s, n)| std::iter::repeat_n(s, n))
                .collect();
            let v = &g.verdict;
            let unmet: Vec<String> = v
                .criteria
                .iter()
                .filter(|r| !r.met)
                .map(|r| {
                    let what = if r.criterion.label.is_empty() {
                        r.criterion.rule()
                    } else {
                        r.criterion.label.clone()
                    };
                    let measured = r
                        .measured
                        .map(|m| {
                            let n = crate::verdict::format_number((m * 10.0).round() / 10.0);
                            match lang {
                                Lang::Fr => n.replace('.', ","),
                                Lang::En => n,
                            }
                        })
                        .unwrap_or_else(|| "—".to_string());
                    format!("{what} ({} {measured})", lang.pick("mesuré", "measured"))
                })
                .collect();
            serde_json::json!({
                "ref": c.campaign.reference,
                "title": c.campaign.title,
                "delivery": c.campaign.delivery,
                "phase": c.campaign.phase.label(lang),
                "g": {"progress": status_counts(&statuses, lang)},
                "tests": i.tests,
                "executed": i.executed,
                "planned": i.planned,
                "execution_rate": crate::i18n::percent(lang, i.execution_rate),
                "pass_rate": crate::i18n::percent(lang, i.pass_rate),
                "retests": i.retests,
                "testers": i.by_tester,
                "decision": v.decision.code(),
                "decision_label": v.decision.label(lang),
                "reasons": v.reasons.iter().map(|t| t.get(lang).to_string()).collect::<Vec<_>>(),
                "unmet": unmet,
                "reservations": v.reservations.len(),
            })
        })
        .collect();
    let anomalies: Vec<serde_json::Value> = Severity::ALL
        .iter()
        .map(|s| {
            serde_json::json!({
                "code": s.code(), "label": s.label(lang),
                "open": d.anomalies.open.get(s.code()).copied().unwrap_or(0),
                "total": d.anomalies.total.get(s.code()).copied().unwrap_or(0),
            })
        })
        .collect();
    serde_json::json!({
        "project": d.project,
        "requirements": d.requirements,
        "test_cases": d.test_cases,
        "campaigns": campaigns,
        "anomalies": anomalies,
    })
}

/// `GET /dashboard`.
pub async fn dashboard(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<DashboardQuery>,
) -> Result<Response, WebError> {
    let lang = user.lang();
    let live = q.part == "campaigns";
    let data = state
        .db(move |s| {
            let d = crate::ops::status::dashboard(s, None)?;
            // Coverage by criticality over the latest results, and reservations to lift.
            let trace = crate::ops::trace::trace(s, &crate::trace::Scope::Latest)?;
            let today = crate::ops::today(s);
            let open: Vec<_> = s.reservations(true)?;
            let overdue = open
                .iter()
                .filter(|r| r.deadline.as_deref().is_some_and(|d| d < today.as_str()))
                .count();
            let coverage: Vec<serde_json::Value> = crate::model::Criticality::ALL
                .iter()
                .filter_map(|c| trace.summary.by_criticality.get(c.code()).map(|r| (c, r)))
                .filter(|(_, r)| r.requirements > 0)
                .map(|(c, r)| {
                    serde_json::json!({
                        "code": c.code(), "label": c.label(lang),
                        "requirements": r.requirements, "covered": r.covered,
                        "passed": r.passed, "failed": r.failed, "blocked": r.blocked,
                        "not_run": r.not_run,
                        "coverage_rate": crate::i18n::percent(lang, r.coverage_rate),
                        "passed_rate": crate::i18n::percent(lang, r.passed_rate),
                    })
                })
                .collect();
            let gates = d
                .campaigns
                .iter()
                .map(|c| crate::ops::verdict::gate(s, &c.campaign.reference, true))
                .collect::<crate::error::Result<Vec<_>>>()?;
            let mut v = view(&d, &gates, lang);
            // The COPIL view (charts, risks, decision deadlines, decisions): the same build as
            // `recette report copil`, not recomputed by the live refresh.
            let copil = if live {
                serde_json::Value::Null
            } else {
                let c = crate::report::copil::build(s, lang, &today)?;
                serde_json::json!({
                    "chart_campaigns": c.chart_campaigns, "chart_anomalies": c.chart_anomalies,
                    "chart_ages": c.chart_ages, "risks": c.risks, "deliveries": c.deliveries,
                    "decisions": c.decisions,
                })
            };
            if let Some(m) = v.as_object_mut() {
                m.insert("copil".into(), copil);
                m.insert("coverage".into(), coverage.into());
                m.insert(
                    "reservations".into(),
                    serde_json::json!({"open": open.len(), "overdue": overdue}),
                );
            }
            Ok(v)
        })
        .await
        .map_err(fail(&user))?;
    if live {
        let mut ctx = match data {
            serde_json::Value::Object(m) => m,
            _ => serde_json::Map::new(),
        };
        ctx.insert("lang".into(), lang.code().into());
        let html = state
            .render("dashboard_campaigns.html", &ctx)
            .map_err(fail(&user))?;
        return Ok(([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response());
    }
    render(
        &state,
        &user,
        "dashboard.html",
        lang.pick("Tableau de bord", "Dashboard"),
        "/dashboard",
        data,
    )
}
