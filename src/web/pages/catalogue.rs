//! The catalogue: requirements and test cases, as the lead (and testers, viewers) read them.
//! - `/requirements`: search by reference and words of the title and description, category,
//!   criticality, status, suspect links only; each with its revision, linked tests and status
//!   over the latest results (the figures of `recette trace`).
//! - `/requirements/{requirement}`: the requirement, its revisions, its linked tests with their
//!   latest result, the suspect links, reviewed in one click by the lead
//!   (`POST /requirements/{requirement}/review`, the same call as `recette link review`).
//! - `/tests`: search by reference and words, tag, category, kind, requirement, retired ones.
//! - `/tests/{test}`: a test case at a version (`?version=N`, the current one by default): its
//!   steps, data sets, requirements, every version, and its execution history across
//!   campaigns and deliveries (`recette test show` and `test history`).

use std::collections::HashMap;

use axum::extract::{Path as UrlPath, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use serde::{Deserialize, Serialize};

use super::{choices, fail, paginate, render};
use crate::access::Action;
use crate::error::Error;
use crate::model::{normalize_word, Criticality, ExecStatus, ReqStatus, TestKind};
use crate::trace::Scope;
use crate::web::assets::percent_encode;
use crate::web::{AppState, CurrentUser, WebError};

/// Rows per page of the catalogue's lists.
pub const CATALOGUE_PAGE_ROWS: usize = 250;

/// Does the normalized `text` hold every word of the normalized query `words`?
fn matches_words(words: &[String], text: &str) -> bool {
    if words.is_empty() {
        return true;
    }
    let hay = normalize_word(text);
    words.iter().all(|w| hay.contains(w.as_str()))
}

fn query_words(q: &str) -> Vec<String> {
    normalize_word(q)
        .split_whitespace()
        .map(str::to_string)
        .collect()
}

fn bad_word(field: &str, value: &str, e: impl std::fmt::Display) -> Error {
    Error::input(
        format!("{field} : « {value} » — {e}"),
        format!("{field}: \"{value}\" — {e}"),
    )
}

/// The requirements' filters.
#[derive(Debug, Default, Deserialize, Serialize, Clone)]
pub struct RequirementQuery {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub criticality: String,
    #[serde(default)]
    pub status: String,
    /// `1`: only those with a suspect link.
    #[serde(default)]
    pub suspect: String,
    #[serde(default)]
    pub page: String,
}

/// `GET /requirements`.
pub async fn requirements(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(f): Query<RequirementQuery>,
) -> Result<Response, WebError> {
    let lang = user.lang();
    let q = f.clone();
    let (rows, total, categories) = state
        .db(move |s| {
            let want_crit = match q.criticality.trim() {
                "" => None,
                w => Some(Criticality::parse(w).map_err(|e| bad_word("criticité", w, e))?),
            };
            let want_status = match q.status.trim() {
                "" => None,
                w => Some(ReqStatus::parse(w).map_err(|e| bad_word("statut", w, e))?),
            };
            let words = query_words(&q.q);
            let all = s.requirements()?;
            let trace = crate::ops::trace::trace(s, &Scope::Latest)?;
            let traced: HashMap<&str, &crate::trace::RequirementTrace> = trace
                .requirements
                .iter()
                .map(|r| (r.reference.as_str(), r))
                .collect();
            let categories = super::distinct(all.iter().map(|r| r.category.clone()));
            let rows: Vec<serde_json::Value> = all
                .iter()
                .filter(|r| want_crit.is_none_or(|w| r.criticality == w))
                .filter(|r| want_status.is_none_or(|w| r.status == w))
                .filter(|r| q.category.is_empty() || r.category == q.category)
                .filter(|r| {
                    q.suspect.is_empty()
                        || traced.get(r.reference.as_str()).is_some_and(|t| t.suspect)
                })
                .filter(|r| {
                    matches_words(
                        &words,
                        &format!("{} {} {}", r.reference, r.title, r.description),
                    )
                })
                .map(|r| {
                    let t = traced.get(r.reference.as_str());
                    serde_json::json!({
                        "ref": r.reference, "title": r.title,
                        "criticality": r.criticality.code(),
                        "criticality_label": r.criticality.label(lang),
                        "category": r.category, "status_label": r.status.label(lang),
                        "revision": r.revision,
                        "tests": t.map(|t| t.tests.len()).unwrap_or(0),
                        "trace": t.map(|t| t.status.code()),
                        "trace_label": t.map(|t| t.status.label(lang)),
                        "suspect": t.is_some_and(|t| t.suspect),
                    })
                })
                .collect();
            Ok((rows, all.len(), categories))
        })
        .await
        .map_err(fail(&user))?;
    let (rows, pager) = paginate(
        rows,
        &f.page,
        CATALOGUE_PAGE_ROWS,
        &[
            ("q", &f.q),
            ("category", &f.category),
            ("criticality", &f.criticality),
            ("status", &f.status),
            ("suspect", &f.suspect),
        ],
    );
    render(
        &state,
        &user,
        "requirements.html",
        lang.pick("Exigences", "Requirements"),
        "/requirements",
        serde_json::json!({
            "rows": rows, "pager": pager, "total": total, "filter": f,
            "categories": categories,
            "criticalities": choices(Criticality::ALL, Criticality::code, |x| x.label(lang)),
            "statuses": choices(ReqStatus::ALL, ReqStatus::code, |x| x.label(lang)),
        }),
    )
}

/// `?reviewed=N`: the notice after a review.
#[derive(Debug, Default, Deserialize)]
pub struct RequirementPageQuery {
    #[serde(default)]
    pub reviewed: Option<usize>,
}

/// `GET /requirements/{requirement}`.
pub async fn requirement(
    State(state): State<AppState>,
    user: CurrentUser,
    UrlPath(reference): UrlPath<String>,
    Query(pq): Query<RequirementPageQuery>,
) -> Result<Response, WebError> {
    let lang = user.lang();
    let r = reference.clone();
    let (detail, traced, latest) = state
        .db(move |s| {
            let detail = s.requirement_detail(&r)?;
            let trace = crate::ops::trace::trace(s, &Scope::Latest)?;
            let traced = trace.requirements.into_iter().find(|t| t.reference == r);
            // Each linked test's latest execution (when, by whom, in which campaign).
            let mut latest = HashMap::new();
            for t in &detail.tests {
                if let Some(e) = s.test_history(&t.reference)?.pop() {
                    latest.insert(t.reference.clone(), e);
                }
            }
            Ok((detail, traced, latest))
        })
        .await
        .map_err(fail(&user))?;
    let req = &detail.requirement;
    let tests: Vec<serde_json::Value> = detail
        .tests
        .iter()
        .map(|t| {
            let ts = traced
                .as_ref()
                .and_then(|tr| tr.tests.iter().find(|x| x.reference == t.reference));
            let last = latest.get(&t.reference);
            let status = ts.map(|x| x.status).unwrap_or(ExecStatus::NotRun);
            serde_json::json!({
                "ref": t.reference, "title": t.title, "suspect": t.suspect,
                "link_revision": t.requirement_revision,
                "status": status.code(), "status_label": status.label(lang),
                "modified": ts.is_some_and(|x| x.modified_since_run),
                "campaign": last.map(|e| e.campaign.clone()),
                "executed_at": last.map(|e| e.executed_at.clone()),
                "tester": last.map(|e| e.tester.clone()),
            })
        })
        .collect();
    let suspect = detail.tests.iter().filter(|t| t.suspect).count();
    let title = format!("{} — {}", req.reference, req.title);
    render(
        &state,
        &user,
        "requirement.html",
        &title,
        "/requirements",
        serde_json::json!({
            "r": {
                "ref": req.reference, "title": req.title, "description": req.description,
                "criticality": req.criticality.label(lang), "category": req.category,
                "status": req.status.label(lang), "source": req.source,
                "revision": req.revision, "content_hash": req.content_hash,
            },
            "trace_label": traced.as_ref().map(|t| t.status.label(lang)),
            "trace": traced.as_ref().map(|t| t.status.code()),
            "tests": tests, "revisions": detail.revisions, "suspect": suspect,
            "may_review": user.can(Action::PlanCampaign),
            "may_audit": user.can(Action::ReadInternal),
            "reviewed": pq.reviewed,
        }),
    )
}

/// The review form: one test, or every suspect link of the requirement.
#[derive(Debug, Default, Deserialize)]
pub struct ReviewForm {
    #[serde(default)]
    pub test: String,
}

/// `POST /requirements/{requirement}/review` (lead): the suspect links (or one) move to the
/// requirement's current revision, audited under the lead.
pub async fn review(
    State(state): State<AppState>,
    user: CurrentUser,
    UrlPath(reference): UrlPath<String>,
    Form(f): Form<ReviewForm>,
) -> Result<Response, WebError> {
    let r = reference.clone();
    let n = state
        .db_as(user.name().to_string(), move |s| {
            let test = Some(f.test.trim()).filter(|t| !t.is_empty());
            s.write("link review", |tx| tx.review_links(&r, test))
        })
        .await
        .map_err(fail(&user))?;
    Ok(Redirect::to(&format!(
        "/requirements/{}?reviewed={n}",
        percent_encode(&reference)
    ))
    .into_response())
}

/// The test cases' filters.
#[derive(Debug, Default, Deserialize, Serialize, Clone)]
pub struct TestQuery {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub tag: String,
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub requirement: String,
    /// `1`: the retired ones too.
    #[serde(default)]
    pub retired: String,
    #[serde(default)]
    pub page: String,
}

/// `GET /tests`.
pub async fn tests(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(f): Query<TestQuery>,
) -> Result<Response, WebError> {
    let lang = user.lang();
    let q = f.clone();
    let (rows, total, tags, categories) = state
        .db(move |s| {
            let want_kind = match q.kind.trim() {
                "" => None,
                w => Some(TestKind::parse(w).ok_or_else(|| {
                    Error::input(
                        format!("type : « {w} » — attendu manual ou automated"),
                        format!("kind: \"{w}\" — expected manual or automated"),
                    )
                })?),
            };
            let words = query_words(&q.q);
            let all = s.test_cases()?;
            let data = s.trace_data(&Scope::Latest)?;
            let statuses = crate::trace::latest_test_statuses(&data);
            let latest: HashMap<&str, ExecStatus> = data
                .tests
                .iter()
                .zip(statuses)
                .filter_map(|(t, st)| st.map(|st| (t.reference.as_str(), st)))
                .collect();
            let tags = super::distinct(all.iter().flat_map(|t| t.tags.clone()));
            let categories = super::distinct(all.iter().map(|t| t.category.clone()));
            let requirement = q.requirement.trim();
            let rows: Vec<serde_json::Value> = all
                .iter()
                .filter(|t| t.active || !q.retired.is_empty())
                .filter(|t| want_kind.is_none_or(|k| t.kind == k))
                .filter(|t| q.tag.is_empty() || t.tags.iter().any(|x| x == &q.tag))
                .filter(|t| q.category.is_empty() || t.category == q.category)
                .filter(|t| {
                    requirement.is_empty() || t.requirements.iter().any(|r| r == requirement)
                })
                .filter(|t| {
                    matches_words(
                        &words,
                        &format!("{} {} {}", t.reference, t.title, t.objective),
                    )
                })
                .map(|t| {
                    let st = latest.get(t.reference.as_str()).copied();
                    serde_json::json!({
                        "ref": t.reference, "title": t.title, "version": t.version,
                        "kind": t.kind.code(), "category": t.category, "tags": t.tags,
                        "requirements": t.requirements, "steps": t.steps.len(),
                        "active": t.active,
                        "status": st.map(|x| x.code()), "status_label": st.map(|x| x.label(lang)),
                    })
                })
                .collect();
            Ok((rows, all.len(), tags, categories))
        })
        .await
        .map_err(fail(&user))?;
    let (rows, pager) = paginate(
        rows,
        &f.page,
        CATALOGUE_PAGE_ROWS,
        &[
            ("q", &f.q),
            ("tag", &f.tag),
            ("category", &f.category),
            ("kind", &f.kind),
            ("requirement", &f.requirement),
            ("retired", &f.retired),
        ],
    );
    render(
        &state,
        &user,
        "tests.html",
        lang.pick("Cas de test", "Test cases"),
        "/tests",
        serde_json::json!({
            "rows": rows, "pager": pager, "total": total, "filter": f,
            "tags": tags, "categories": categories,
        }),
    )
}

/// `?version=N`: the test as it was at that version.
#[derive(Debug, Default, Deserialize)]
pub struct TestPageQuery {
    #[serde(default)]
    pub version: String,
}

/// `GET /tests/{test}`.
pub async fn test(
    State(state): State<AppState>,
    user: CurrentUser,
    UrlPath(reference): UrlPath<String>,
    Query(pq): Query<TestPageQuery>,
) -> Result<Response, WebError> {
    let lang = user.lang();
    let r = reference.clone();
    let (detail, shown, history) = state
        .db(move |s| {
            let detail = s.test_case_detail(&r)?;
            let version = match pq.version.trim() {
                "" => detail.test.version,
                v => v.parse::<i64>().map_err(|_| {
                    Error::input(
                        format!("version : « {v} » — attendu un numéro de version"),
                        format!("version: \"{v}\" — expected a version number"),
                    )
                })?,
            };
            let shown = s.test_version(&r, version)?;
            let history = s.test_history(&r)?;
            Ok((detail, shown, history))
        })
        .await
        .map_err(fail(&user))?;
    let t = &detail.test;
    let steps: Vec<serde_json::Value> = shown
        .steps
        .iter()
        .enumerate()
        .map(
            |(i, st)| serde_json::json!({"n": i + 1, "action": st.action, "expected": st.expected}),
        )
        .collect();
    let datasets: Vec<serde_json::Value> = detail
        .datasets
        .iter()
        .map(|d| {
            let values: Vec<serde_json::Value> = detail
                .parameters
                .iter()
                .map(|p| serde_json::json!(d.parameters.get(p).cloned().unwrap_or_default()))
                .collect();
            serde_json::json!({"name": d.name, "values": values, "active": d.active,
                "missing": d.missing})
        })
        .collect();
    // Newest first: what a lead looks for is the last run.
    let history: Vec<serde_json::Value> = history
        .iter()
        .rev()
        .map(|e| {
            serde_json::json!({
                "campaign": e.campaign, "delivery": e.delivery, "dataset": e.dataset,
                "attempt": e.attempt, "version": e.test_version,
                "status": e.status.code(), "status_label": e.status.label(lang),
                "tester": e.tester, "at": e.executed_at, "source": e.source,
                "anomalies": e.anomalies,
            })
        })
        .collect();
    let title = format!("{} — {}", t.reference, shown.title);
    render(
        &state,
        &user,
        "test_case.html",
        &title,
        "/tests",
        serde_json::json!({
            "tc": {
                "ref": t.reference, "title": shown.title, "objective": shown.objective,
                "prerequisites": shown.prerequisites, "kind": t.kind.code(),
                "automation_key": t.automation_key, "priority": t.priority,
                "category": t.category, "tags": t.tags, "requirements": t.requirements,
                "active": t.active, "retired_reason": detail.retired_reason,
                "version": t.version,
            },
            "shown": {"version": shown.version, "current": shown.current,
                "created_at": shown.created_at, "replaced_at": shown.replaced_at},
            "steps": steps, "versions": detail.versions, "parameters": detail.parameters,
            "datasets": datasets, "history": history,
            "may_audit": user.can(Action::ReadInternal),
        }),
    )
}
