//! The tester's screens: "Mes tests" (what is assigned to me, by campaign), a campaign with its
//! progress and filters, and the execution page of one test.

use std::collections::{BTreeMap, HashMap};

use axum::extract::{Multipart, Path as UrlPath, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use serde::{Deserialize, Serialize};

use super::{fail, render};
use crate::entities::{AssignedTest, CampaignTest, ExecutionDetail, PlannedExecution, TestCase};
use crate::i18n::Lang;
use crate::model::{Criticality, ExecStatus, Severity};
use crate::store::{ExecutionQuery, Store};
use crate::web::assets::percent_encode;
use crate::web::execution::{
    check_campaign_scope, record_on, ExecutionEntry, NewAnomaly, StagedFiles, StepEntry,
};
use crate::web::{AppState, CurrentUser, WebError};

/// One status of a progress bar: code, label, count, share in percent (for the bar's width).
#[derive(Debug, Serialize)]
pub struct StatusCount {
    pub code: &'static str,
    pub label: &'static str,
    pub count: usize,
    pub percent: f64,
    /// Where its segment starts in the bar, in percent.
    pub offset: f64,
}

/// Counts of each status over items, in the domain's order, for progress bars.
pub fn status_counts(statuses: &[ExecStatus], lang: Lang) -> Vec<StatusCount> {
    let total = statuses.len().max(1) as f64;
    let mut offset = 0.0;
    ExecStatus::CHART_ORDER
        .into_iter()
        .map(|s| {
            let count = statuses.iter().filter(|x| **x == s).count();
            let percent = (count as f64 * 1000.0 / total).round() / 10.0;
            let c = StatusCount {
                code: s.code(),
                label: s.label(lang),
                count,
                percent,
                offset,
            };
            offset += percent;
            c
        })
        .collect()
}

/// A test row as pages show it.
#[derive(Debug, Serialize)]
pub struct TestRow {
    #[serde(rename = "ref")]
    pub reference: String,
    pub dataset: Option<String>,
    pub label: String,
    pub title: String,
    pub assignee: String,
    pub status: &'static str,
    pub status_label: &'static str,
    pub attempts: i64,
    pub tester: Option<String>,
    pub executed_at: Option<String>,
    pub anomalies: Vec<String>,
    pub modified_since_run: bool,
    /// Still to do: never run, or latest result in progress.
    pub left: bool,
}

impl TestRow {
    /// The row of a planned item.
    pub fn of(t: &CampaignTest, lang: Lang) -> TestRow {
        TestRow {
            reference: t.reference.clone(),
            dataset: t.dataset.clone(),
            label: t.label(),
            title: t.title.clone(),
            assignee: t.assignee.clone(),
            status: t.status.code(),
            status_label: t.status.label(lang),
            attempts: t.attempts,
            tester: t.tester.clone(),
            executed_at: t.executed_at.clone(),
            anomalies: t.anomalies.clone(),
            modified_since_run: t.modified_since_run,
            left: is_left(t.status),
        }
    }
}

/// A test is left to do when it was never run or its latest result is in progress.
pub fn is_left(status: ExecStatus) -> bool {
    matches!(status, ExecStatus::NotRun | ExecStatus::InProgress)
}

#[derive(Debug, Serialize)]
struct CampaignGroup {
    campaign: String,
    title: String,
    tests: Vec<TestRow>,
    left: usize,
    progress: Vec<StatusCount>,
}

/// Groups "my tests" by campaign (already ordered by campaign by the store).
fn group(tests: Vec<AssignedTest>, lang: Lang) -> Vec<CampaignGroup> {
    let mut out: Vec<CampaignGroup> = Vec::new();
    for a in tests {
        let row = TestRow::of(&a.test, lang);
        match out.last_mut() {
            Some(g) if g.campaign == a.campaign => g.tests.push(row),
            _ => out.push(CampaignGroup {
                campaign: a.campaign,
                title: a.campaign_title,
                tests: vec![row],
                left: 0,
                progress: Vec::new(),
            }),
        }
    }
    for g in &mut out {
        g.left = g.tests.iter().filter(|t| t.left).count();
        let statuses: Vec<ExecStatus> = g
            .tests
            .iter()
            .filter_map(|t| ExecStatus::from_code(t.status))
            .collect();
        g.progress = status_counts(&statuses, lang);
    }
    out
}

/// `GET /my-tests`: the tests assigned to me, by campaign, with their status and what is left.
pub async fn my_tests(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Response, WebError> {
    let lang = user.lang();
    let name = user.name().to_string();
    let full = user.account.full_name.clone();
    let tests = state
        .db(move |s| {
            // Assigned by account name, or by full name (assignments made before the account).
            let mut t = s.assigned_tests(&name)?;
            if !full.is_empty() && full != name {
                t.extend(s.assigned_tests(&full)?);
                t.sort_by(|a, b| a.campaign.cmp(&b.campaign));
            }
            Ok(t)
        })
        .await
        .map_err(fail(&user))?;
    let total = tests.len();
    let groups = group(tests, lang);
    let left: usize = groups.iter().map(|g| g.left).sum();
    render(
        &state,
        &user,
        "my_tests.html",
        lang.pick("Mes tests", "My tests"),
        "/my-tests",
        serde_json::json!({"groups": groups, "total": total, "left": left}),
    )
}

/// `GET /campaigns`: the campaigns the account sees.
pub async fn campaigns(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Response, WebError> {
    let lang = user.lang();
    let u = user.clone();
    let list = state
        .db(move |s| {
            Ok(s.campaigns()?
                .into_iter()
                .filter(|c| check_campaign_scope(s, &u, &c.reference).is_ok())
                .collect::<Vec<_>>())
        })
        .await
        .map_err(fail(&user))?;
    render(
        &state,
        &user,
        "campaigns.html",
        lang.pick("Campagnes", "Campaigns"),
        "/campaigns",
        serde_json::json!({"campaigns": list,
            "may_plan": user.can(crate::access::Action::PlanCampaign)}),
    )
}

/// Filters of the campaign page (all optional, combined).
#[derive(Debug, Default, Deserialize, Serialize, Clone)]
pub struct CampaignFilter {
    #[serde(default)]
    pub assignee: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub tag: String,
    #[serde(default)]
    pub requirement: String,
    #[serde(default)]
    pub criticality: String,
    #[serde(default)]
    pub q: String,
    /// The page of the table, from 1 (text, so that an empty or wrong value is page 1).
    #[serde(default, skip_serializing)]
    pub page: String,
    /// After an assignment: items selected and assignments changed (a notice).
    #[serde(default, skip_serializing)]
    pub assigned: Option<usize>,
    #[serde(default, skip_serializing)]
    pub changed: Option<usize>,
}

/// Rows of the campaign table per page: a campaign of 5,000 tests is 20 pages of a few
/// tens of kilobytes instead of one page of 1.6 MB.
pub const CAMPAIGN_PAGE_ROWS: usize = 250;

/// `GET /campaigns/{campaign}`: progress by status, filters, each test's last result.
pub async fn campaign(
    State(state): State<AppState>,
    user: CurrentUser,
    UrlPath(reference): UrlPath<String>,
    Query(f): Query<CampaignFilter>,
) -> Result<Response, WebError> {
    let assign = match (f.assigned, f.changed) {
        (Some(a), Some(c)) => serde_json::json!({"notice": {"selected": a, "changed": c}}),
        _ => serde_json::json!({}),
    };
    campaign_page(&state, &user, reference, f, assign).await
}

/// The campaign page, with the state of its assignment form (`assign`: `notice` after an
/// assignment, `error` and `form` when one was refused).
pub async fn campaign_page(
    state: &AppState,
    user: &CurrentUser,
    reference: String,
    f: CampaignFilter,
    assign: serde_json::Value,
) -> Result<Response, WebError> {
    let (state, user) = (state.clone(), user.clone());
    let lang = user.lang();
    let mut assign = assign;
    if let Some(m) = assign.as_object_mut() {
        m.entry("form").or_insert_with(|| serde_json::json!({}));
    }
    let may_assign = user.can(crate::access::Action::Assign);
    let u = user.clone();
    let filter = f.clone();
    let (c, all, rows, assignees, tags, accounts) = state
        .db(move |s| {
            check_campaign_scope(s, &u, &reference)?;
            let c = s.campaign(&reference)?;
            let items = s.campaign_tests(&reference)?;
            let tests: HashMap<String, TestCase> = s
                .test_cases()?
                .into_iter()
                .map(|t| (t.reference.clone(), t))
                .collect();
            let crit: HashMap<String, Criticality> = s
                .requirements()?
                .into_iter()
                .map(|r| (r.reference, r.criticality))
                .collect();
            let want_status = match filter.status.trim() {
                "" => None,
                w => Some(ExecStatus::parse(w)?),
            };
            let want_crit = match filter.criticality.trim() {
                "" => None,
                w => Some(Criticality::parse(w)?),
            };
            let text = crate::model::normalize_word(&filter.q);
            let mut assignees: Vec<String> = items
                .iter()
                .map(|i| i.assignee.clone())
                .filter(|a| !a.is_empty())
                .collect();
            assignees.sort();
            assignees.dedup();
            let mut tags: Vec<String> = items
                .iter()
                .filter_map(|i| tests.get(&i.reference))
                .flat_map(|t| t.tags.clone())
                .collect();
            tags.sort();
            tags.dedup();
            let all: Vec<ExecStatus> = items.iter().map(|i| i.status).collect();
            let rows: Vec<TestRow> = items
                .iter()
                .filter(|i| filter.assignee.is_empty() || i.assignee == filter.assignee)
                .filter(|i| want_status.is_none_or(|s| i.status == s))
                .filter(|i| {
                    let t = tests.get(&i.reference);
                    (filter.tag.is_empty()
                        || t.is_some_and(|t| t.tags.iter().any(|x| x == &filter.tag)))
                        && (filter.requirement.trim().is_empty()
                            || t.is_some_and(|t| {
                                t.requirements
                                    .iter()
                                    .any(|r| r == filter.requirement.trim())
                            }))
                        && want_crit.is_none_or(|want| {
                            t.is_some_and(|t| {
                                t.requirements.iter().any(|r| crit.get(r) == Some(&want))
                            })
                        })
                        && (text.is_empty()
                            || crate::model::normalize_word(&format!(
                                "{} {}",
                                i.reference, i.title
                            ))
                            .contains(&text))
                })
                .map(|i| TestRow::of(i, lang))
                .collect();
            // Who may be given tests: the enabled accounts that may record executions.
            let accounts: Vec<String> = if may_assign {
                s.accounts()?
                    .into_iter()
                    .filter(|a| {
                        !a.disabled
                            && crate::access::allows(a.role, crate::access::Action::RecordExecution)
                    })
                    .map(|a| a.name)
                    .collect()
            } else {
                Vec::new()
            };
            Ok((c, all, rows, assignees, tags, accounts))
        })
        .await
        .map_err(fail(&user))?;
    let progress = status_counts(&all, lang);
    let left = all.iter().filter(|s| is_left(**s)).count();
    let (rows, pager) = super::paginate(
        rows,
        &f.page,
        CAMPAIGN_PAGE_ROWS,
        &[
            ("assignee", &f.assignee),
            ("status", &f.status),
            ("tag", &f.tag),
            ("requirement", &f.requirement),
            ("criticality", &f.criticality),
            ("q", &f.q),
        ],
    );
    let statuses: Vec<serde_json::Value> =
        super::choices(ExecStatus::ALL, ExecStatus::code, |x| x.label(lang));
    let criticalities: Vec<serde_json::Value> =
        super::choices(Criticality::ALL, Criticality::code, |x| x.label(lang));
    let title = format!("{} — {}", c.reference, c.title);
    render(
        &state,
        &user,
        "campaign.html",
        &title,
        "/campaigns",
        serde_json::json!({"campaign": c, "g": {"progress": progress}, "rows": rows,
            "pager": pager, "total": all.len(), "left": left, "filter": f, "assignees": assignees, "tags": tags,
            "statuses": statuses, "criticalities": criticalities,
            "may_assign": may_assign, "accounts": accounts, "assign": assign,
            "may_plan": user.can(crate::access::Action::PlanCampaign),
            "may_read_project": user.can(crate::access::Action::ReadProject)}),
    )
}

/// The query of the execution page.
#[derive(Debug, Default, Deserialize)]
pub struct ItemQuery {
    #[serde(default)]
    pub dataset: Option<String>,
    /// The attempt just saved (a notice is shown).
    #[serde(default)]
    pub saved: Option<i64>,
    #[serde(default)]
    pub anomaly: Option<String>,
}

/// What the execution page shows, read in one go.
struct ItemView {
    planned: PlannedExecution,
    latest: Option<ExecutionDetail>,
    previous: Option<(String, Option<String>)>,
    next: Option<(String, Option<String>)>,
    anomalies: Vec<(String, String)>,
}

fn item_href(campaign: &str, test: &str, dataset: Option<&str>) -> String {
    let mut h = format!(
        "/campaigns/{}/tests/{}",
        percent_encode(campaign),
        percent_encode(test)
    );
    if let Some(d) = dataset.filter(|d| !d.is_empty()) {
        h.push_str("?dataset=");
        h.push_str(&percent_encode(d));
    }
    h
}

fn load_item(
    s: &Store,
    user: &CurrentUser,
    campaign: &str,
    test: &str,
    dataset: Option<&str>,
) -> crate::Result<ItemView> {
    check_campaign_scope(s, user, campaign)?;
    let planned = s.planned_execution(campaign, test, dataset)?;
    let latest = if planned.latest_attempt > 0 {
        let q = ExecutionQuery {
            dataset: planned.dataset.clone(),
            attempt: Some(planned.latest_attempt),
        };
        s.execution_details(campaign, test, &q)?.into_iter().next()
    } else {
        None
    };
    // Previous and next: among my tests of the campaign when I have some, else all of them.
    let items = s.campaign_tests(campaign)?;
    let mine: Vec<&CampaignTest> = items
        .iter()
        .filter(|i| {
            i.assignee == user.name()
                || (!user.account.full_name.is_empty() && i.assignee == user.account.full_name)
        })
        .collect();
    let list: Vec<&CampaignTest> = if mine.iter().any(|i| i.reference == test) {
        mine
    } else {
        items.iter().collect()
    };
    let pos = list
        .iter()
        .position(|i| i.reference == test && i.dataset == planned.dataset);
    let key = |i: &&CampaignTest| (i.reference.clone(), i.dataset.clone());
    let previous = pos
        .and_then(|p| p.checked_sub(1))
        .and_then(|p| list.get(p))
        .map(key);
    let next = pos.and_then(|p| list.get(p + 1)).map(key);
    let anomalies = s
        .anomalies()?
        .into_iter()
        .filter(|a| a.status.is_open())
        .map(|a| (a.reference, a.title))
        .collect();
    Ok(ItemView {
        planned,
        latest,
        previous,
        next,
        anomalies,
    })
}

/// What the form sent, to show again after a refusal.
#[derive(Debug, Default, Serialize)]
struct Entered {
    status: String,
    comment: String,
    steps: BTreeMap<i64, (String, String)>,
    anomalies: String,
    anomaly_title: String,
    anomaly_severity: String,
    anomaly_description: String,
}

#[allow(clippy::too_many_arguments)]
fn render_item(
    state: &AppState,
    user: &CurrentUser,
    campaign: &str,
    view: &ItemView,
    entered: Option<&Entered>,
    error: Option<&str>,
    conflict: bool,
    q: &ItemQuery,
) -> Result<Response, WebError> {
    let lang = user.lang();
    let p = &view.planned;
    let based_on = view.latest.as_ref().map_or(0, |l| l.attempt);
    let steps: Vec<serde_json::Value> = p
        .steps
        .iter()
        .map(|s| {
            let (st, actual) = entered
                .and_then(|e| e.steps.get(&s.index).cloned())
                .unwrap_or_default();
            serde_json::json!({"index": s.index, "action": s.action, "expected": s.expected,
                "status": st, "actual": actual})
        })
        .collect();
    let statuses: Vec<serde_json::Value> =
        super::choices(ExecStatus::ALL, ExecStatus::code, |x| x.label(lang));
    let severities: Vec<serde_json::Value> =
        super::choices(Severity::ALL, Severity::code, |x| x.label(lang));
    let latest = view.latest.as_ref().map(|l| {
        serde_json::json!({"attempt": l.attempt, "status": l.status.code(), "status_label": l.status.label(lang),
            "tester": l.tester, "executed_at": l.executed_at, "comment": l.comment, "evidence": l.evidence,
            "anomalies": l.anomalies, "outdated": l.outdated,
            "steps": l.steps.iter().map(|s| serde_json::json!({"index": s.index,
                "status_label": s.status.map(|x| x.label(lang)), "status": s.status.map(|x| x.code()), "actual": s.actual})).collect::<Vec<_>>()})
    });
    let link = |k: &Option<(String, Option<String>)>| {
        k.as_ref()
            .map(|(t, d)| item_href(campaign, t, d.as_deref()))
    };
    let title = format!(
        "{} — {}",
        crate::entities::item_label(&p.test, p.dataset.as_deref()),
        p.title
    );
    let draft_key = format!(
        "{}/{}/{}",
        campaign,
        p.test,
        p.dataset.clone().unwrap_or_default()
    );
    let mut res = render(
        state,
        user,
        "execution.html",
        &title,
        "/my-tests",
        serde_json::json!({"campaign": campaign, "p": p, "steps": steps, "statuses": statuses,
            "severities": severities, "latest": latest, "based_on": based_on,
            "previous": link(&view.previous), "next": link(&view.next),
            "anomalies": view.anomalies, "entered": entered, "error": error, "conflict": conflict,
            "saved": q.saved, "created_anomaly": q.anomaly, "draft_key": draft_key,
            "action": item_href(campaign, &p.test, p.dataset.as_deref()),
            "can_record": user.can(crate::access::Action::RecordExecution),
            "upload_mib": state.upload_limit() / (1024 * 1024),
            "status_label": p.status.label(lang)}),
    )?;
    if conflict {
        *res.status_mut() = axum::http::StatusCode::CONFLICT;
    } else if error.is_some() {
        *res.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(res)
}

/// `GET /campaigns/{campaign}/tests/{test}[?dataset=]`: the execution page.
pub async fn execution_page(
    State(state): State<AppState>,
    user: CurrentUser,
    UrlPath((campaign, test)): UrlPath<(String, String)>,
    Query(q): Query<ItemQuery>,
) -> Result<Response, WebError> {
    let u = user.clone();
    let (c, t, d) = (campaign.clone(), test.clone(), q.dataset.clone());
    let view = state
        .db(move |s| load_item(s, &u, &c, &t, d.as_deref()))
        .await
        .map_err(fail(&user))?;
    render_item(&state, &user, &campaign, &view, None, None, false, &q)
}

/// `POST /campaigns/{campaign}/tests/{test}[?dataset=]` (multipart): records the execution,
/// then back to the page (or on to the next test with "save and next"). A refusal shows the
/// page again with what was typed; a conflict shows the other attempt beside it.
pub async fn execution_save(
    State(state): State<AppState>,
    user: CurrentUser,
    UrlPath((campaign, test)): UrlPath<(String, String)>,
    Query(q): Query<ItemQuery>,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, WebError> {
    let lang = user.lang();
    let limit = state.upload_limit();
    let mut multipart = multipart.map_err(|e| {
        WebError::invalid(
            lang,
            "formulaire multipart attendu",
            "multipart form expected",
        )
        .with_detail(e.body_text())
    })?;
    let mut entered = Entered::default();
    let mut entry = ExecutionEntry {
        test: test.clone(),
        dataset: q.dataset.clone(),
        ..ExecutionEntry::default()
    };
    let mut files = StagedFiles::new().map_err(fail(&user))?;
    let mut go_next = false;
    // The text the page put in the anomaly's description: left as it is, with no title, it
    // asks for no anomaly.
    let mut prefill = String::new();
    loop {
        let Some(field) = super::next_field(&mut multipart, lang, limit).await? else {
            break;
        };
        let name = field.name().unwrap_or("").to_string();
        let file_name = field.file_name().map(str::to_string);
        let bytes = field
            .bytes()
            .await
            .map_err(|_| WebError::too_large(lang, limit))?;
        if let Some(f) = file_name {
            if name == "evidence" && !bytes.is_empty() {
                if bytes.len() > limit {
                    return Err(WebError::too_large(lang, limit));
                }
                files.add(&f, &bytes).map_err(fail(&user))?;
            }
            continue;
        }
        let value = String::from_utf8_lossy(&bytes).into_owned();
        match name.as_str() {
            "based_on" => entry.based_on = value.trim().parse().ok(),
            "status" => entered.status = value,
            "comment" => entered.comment = value,
            "anomalies" => entered.anomalies = value,
            "anomaly_title" => entered.anomaly_title = value,
            "anomaly_severity" => entered.anomaly_severity = value,
            "anomaly_description" => entered.anomaly_description = value,
            "anomaly_prefill" => prefill = value,
            "go" => go_next = value == "next",
            other => {
                if let Some(rest) = other.strip_prefix("step-") {
                    if let Some((n, what)) = rest.split_once('-') {
                        if let Ok(n) = n.parse::<i64>() {
                            let e = entered.steps.entry(n).or_default();
                            match what {
                                "status" => e.0 = value,
                                "actual" => e.1 = value,
                                _ => {}
                            }
                        }
                    }
                }
            }
        }
    }
    entry.status = Some(entered.status.clone());
    entry.comment = entered.comment.clone();
    entry.anomalies = entered
        .anomalies
        .split([',', ' ', ';'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    entry.steps = entered
        .steps
        .iter()
        .filter(|(n, _)| **n > 0 && **n <= u32::MAX as i64)
        .map(|(n, (st, actual))| StepEntry {
            index: *n as u32,
            status: st.clone(),
            actual: actual.clone(),
        })
        .collect();
    let norm = |s: &str| s.replace("\r\n", "\n").trim().to_string();
    let untouched = norm(&entered.anomaly_description) == norm(&prefill);
    if untouched && entered.anomaly_title.trim().is_empty() {
        entered.anomaly_description.clear();
    }
    if !entered.anomaly_title.trim().is_empty() || !entered.anomaly_description.trim().is_empty() {
        entry.new_anomaly = Some(NewAnomaly {
            title: entered.anomaly_title.clone(),
            severity: entered.anomaly_severity.clone(),
            description: entered.anomaly_description.clone(),
        });
    }
    match record_on(&state, &user, campaign.clone(), entry, files).await {
        Ok(saved) => {
            let r = saved.recorded;
            let to = if go_next {
                let u = user.clone();
                let (c, t, d) = (campaign.clone(), test.clone(), r.dataset.clone());
                let view = state
                    .db(move |s| load_item(s, &u, &c, &t, d.as_deref()))
                    .await
                    .map_err(fail(&user))?;
                view.next
                    .map(|(t, d)| item_href(&campaign, &t, d.as_deref()))
            } else {
                None
            };
            let to = to.unwrap_or_else(|| {
                let mut h = item_href(&campaign, &test, r.dataset.as_deref());
                h.push(if h.contains('?') { '&' } else { '?' });
                h.push_str(&format!("saved={}", r.attempt));
                if let Some(a) = &saved.anomaly {
                    h.push_str("&anomaly=");
                    h.push_str(&percent_encode(a));
                }
                h
            });
            Ok(Redirect::to(&to).into_response())
        }
        Err(e) => {
            let conflict = matches!(e, crate::error::Error::Conflict { .. });
            let msg = e.message(lang);
            let u = user.clone();
            let (c, t, d) = (campaign.clone(), test.clone(), q.dataset.clone());
            let view = state
                .db(move |s| load_item(s, &u, &c, &t, d.as_deref()))
                .await
                .map_err(fail(&user))?;
            let q = ItemQuery {
                dataset: q.dataset.clone(),
                saved: None,
                anomaly: None,
            };
            render_item(
                &state,
                &user,
                &campaign,
                &view,
                Some(&entered),
                Some(&msg),
                conflict,
                &q,
            )
        }
    }
}

/// `GET /evidence/{sha256}`: an evidence file. Images, PDF and plain text are shown in the
/// browser; anything else (HTML, SVG, scripts...) is downloaded, never rendered in the page.
pub async fn evidence(
    State(state): State<AppState>,
    user: CurrentUser,
    UrlPath(sha): UrlPath<String>,
) -> Result<Response, WebError> {
    if sha.len() != 64 || !sha.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(WebError::not_found(user.lang()));
    }
    let u = user.clone();
    let (name, bytes) = state
        .db(move |s| {
            let f = s.find_evidence(&sha)?;
            match f.execution.as_deref().and_then(|e| e.rsplit_once('/')) {
                Some((campaign, _)) => check_campaign_scope(s, &u, campaign)?,
                // An anomaly's evidence: vendors reach it through the anomaly pages (their
                // scope is checked there), not by its hash.
                None if u.scope() != crate::access::Scope::All => {
                    return Err(crate::error::Error::NotFound {
                        kind: "preuve",
                        reference: sha.clone(),
                    })
                }
                None => {}
            }
            let bytes = std::fs::read(&f.path).map_err(|e| crate::error::Error::io(&f.path, e))?;
            Ok((f.evidence.file_name, bytes))
        })
        .await
        .map_err(fail(&user))?;
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let inline_type = match ext.as_str() {
        "png" => Some("image/png"),
        "jpg" | "jpeg" => Some("image/jpeg"),
        "gif" => Some("image/gif"),
        "webp" => Some("image/webp"),
        "pdf" => Some("application/pdf"),
        "txt" | "log" => Some("text/plain; charset=utf-8"),
        _ => None,
    };
    let safe_name: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let (content_type, disposition) = match inline_type {
        Some(t) => (t, format!("inline; filename=\"{safe_name}\"")),
        None => (
            "application/octet-stream",
            format!("attachment; filename=\"{safe_name}\""),
        ),
    };
    Ok((
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (header::CONTENT_DISPOSITION, disposition),
            (
                header::CONTENT_SECURITY_POLICY,
                "sandbox; default-src 'none'".to_string(),
            ),
        ],
        bytes,
    )
        .into_response())
}
