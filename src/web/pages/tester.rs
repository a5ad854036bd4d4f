//! The tester's screens: "Mes tests" (what is assigned to me, by campaign), a campaign with its
//! progress and filters, and the execution page of one test.

use axum::extract::State;
use axum::response::Response;
use serde::Serialize;

use super::{fail, render};
use crate::entities::{AssignedTest, CampaignTest};
use crate::i18n::Lang;
use crate::model::ExecStatus;
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
    [
        ExecStatus::Passed,
        ExecStatus::Failed,
        ExecStatus::Blocked,
        ExecStatus::InProgress,
        ExecStatus::NotRun,
        ExecStatus::NotApplicable,
    ]
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
    let tests = state
        .db(move |s| s.assigned_tests(&name))
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
