//! Campaign indicators: tests by status, execution and pass rates, anomalies by severity,
//! progress per tester. Rules from the domain brief: execution rate = executed / planned (N/A
//! excluded); pass rate = passed / executed. A test run with several data sets counts once per
//! data set (each is planned and executed on its own).

use serde::Serialize;
use std::collections::BTreeMap;

use crate::entities::{Anomaly, CampaignTest};
use crate::model::{ExecStatus, Severity};

/// Counts and rates over the tests of one campaign.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct CampaignIndicators {
    /// Tests selected in the campaign.
    pub tests: usize,
    /// Tests by the status of their latest execution (every status present, zeros included).
    pub by_status: BTreeMap<String, usize>,
    /// Planned tests: all but not applicable.
    pub planned: usize,
    /// Executed tests: passed + failed + blocked.
    pub executed: usize,
    /// executed / planned, `None` when nothing is planned.
    pub execution_rate: Option<f64>,
    /// passed / executed, `None` when nothing was executed.
    pub pass_rate: Option<f64>,
    /// Tests run more than once (retests).
    pub retests: usize,
    /// Progress per assigned tester, by name; unassigned items last (empty name).
    pub by_tester: Vec<TesterProgress>,
}

/// What one tester has to run in a campaign and how far they are.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct TesterProgress {
    /// The assignee; empty for the items nobody is assigned.
    pub assignee: String,
    /// Items assigned (N/A excluded).
    pub planned: usize,
    /// Passed + failed + blocked.
    pub executed: usize,
    pub passed: usize,
    pub failed: usize,
    pub blocked: usize,
    /// Planned but not executed yet (not run or in progress).
    pub remaining: usize,
}

impl TesterProgress {
    /// Progress per assignee of these items: named testers by name, then the unassigned
    /// (when there are some, and only when someone is assigned something).
    pub fn compute(tests: &[CampaignTest]) -> Vec<TesterProgress> {
        let mut by: BTreeMap<&str, TesterProgress> = BTreeMap::new();
        for t in tests {
            let p = by
                .entry(t.assignee.as_str())
                .or_insert_with(|| TesterProgress {
                    assignee: t.assignee.clone(),
                    ..TesterProgress::default()
                });
            if t.status == ExecStatus::NotApplicable {
                continue;
            }
            p.planned += 1;
            match t.status {
                ExecStatus::Passed => p.passed += 1,
                ExecStatus::Failed => p.failed += 1,
                ExecStatus::Blocked => p.blocked += 1,
                _ => p.remaining += 1,
            }
            p.executed = p.passed + p.failed + p.blocked;
        }
        let unassigned = by.remove("");
        if by.is_empty() {
            return Vec::new();
        }
        let mut out: Vec<TesterProgress> = by.into_values().collect();
        out.extend(unassigned);
        out
    }
}

impl CampaignIndicators {
    /// Computes the indicators from the campaign's tests.
    pub fn compute(tests: &[CampaignTest]) -> CampaignIndicators {
        let mut by_status: BTreeMap<String, usize> = ExecStatus::ALL
            .iter()
            .map(|s| (s.code().to_string(), 0))
            .collect();
        for t in tests {
            *by_status.entry(t.status.code().to_string()).or_default() += 1;
        }
        let count = |s: ExecStatus| by_status.get(s.code()).copied().unwrap_or(0);
        let planned = tests.len() - count(ExecStatus::NotApplicable);
        let executed =
            count(ExecStatus::Passed) + count(ExecStatus::Failed) + count(ExecStatus::Blocked);
        let ratio = |n: usize, d: usize| (d > 0).then(|| n as f64 / d as f64);
        CampaignIndicators {
            tests: tests.len(),
            planned,
            executed,
            execution_rate: ratio(executed, planned),
            pass_rate: ratio(count(ExecStatus::Passed), executed),
            retests: tests.iter().filter(|t| t.attempts > 1).count(),
            by_tester: TesterProgress::compute(tests),
            by_status,
        }
    }

    /// Number of tests with a status.
    pub fn count(&self, status: ExecStatus) -> usize {
        self.by_status.get(status.code()).copied().unwrap_or(0)
    }
}

/// Open and total anomalies by severity.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct AnomalyCounts {
    /// Open anomalies by severity code (every severity present).
    pub open: BTreeMap<String, usize>,
    /// All anomalies by severity code.
    pub total: BTreeMap<String, usize>,
}

impl AnomalyCounts {
    /// Counts the given anomalies.
    pub fn compute<'a>(anomalies: impl IntoIterator<Item = &'a Anomaly>) -> AnomalyCounts {
        let zero: BTreeMap<String, usize> = Severity::ALL
            .iter()
            .map(|s| (s.code().to_string(), 0))
            .collect();
        let mut c = AnomalyCounts {
            open: zero.clone(),
            total: zero,
        };
        for a in anomalies {
            *c.total.entry(a.severity.code().to_string()).or_default() += 1;
            if a.status.is_open() {
                *c.open.entry(a.severity.code().to_string()).or_default() += 1;
            }
        }
        c
    }

    /// Open anomalies of a severity.
    pub fn open(&self, s: Severity) -> usize {
        self.open.get(s.code()).copied().unwrap_or(0)
    }
}
