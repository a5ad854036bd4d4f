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
    /// executed / planned, `None` when nothing is planned (a percentage in JSON).
    #[serde(serialize_with = "crate::i18n::serialize_percent")]
    pub execution_rate: Option<f64>,
    /// passed / executed, `None` when nothing was executed (a percentage in JSON).
    #[serde(serialize_with = "crate::i18n::serialize_percent")]
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
        let mut tally = Tally::default();
        for t in tests {
            tally.add(t.status, &t.assignee, t.attempts);
        }
        tally.testers()
    }

    fn add(&mut self, status: ExecStatus) {
        if status == ExecStatus::NotApplicable {
            return;
        }
        self.planned += 1;
        match status {
            ExecStatus::Passed => self.passed += 1,
            ExecStatus::Failed => self.failed += 1,
            ExecStatus::Blocked => self.blocked += 1,
            _ => self.remaining += 1,
        }
        self.executed = self.passed + self.failed + self.blocked;
    }
}

/// The indicators of a campaign accumulated item by item (status of its latest execution,
/// assignee, number of attempts), so that a store can compute them while reading its rows,
/// without holding the items. [`CampaignIndicators::compute`] is this over a slice.
#[derive(Debug, Default)]
pub struct Tally {
    tests: usize,
    by_status: BTreeMap<&'static str, usize>,
    retests: usize,
    by_tester: BTreeMap<String, TesterProgress>,
}

impl Tally {
    /// Adds one planned item.
    pub fn add(&mut self, status: ExecStatus, assignee: &str, attempts: i64) {
        self.tests += 1;
        *self.by_status.entry(status.code()).or_default() += 1;
        if attempts > 1 {
            self.retests += 1;
        }
        if !self.by_tester.contains_key(assignee) {
            self.by_tester.insert(
                assignee.to_string(),
                TesterProgress {
                    assignee: assignee.to_string(),
                    ..TesterProgress::default()
                },
            );
        }
        if let Some(p) = self.by_tester.get_mut(assignee) {
            p.add(status);
        }
    }

    fn testers(mut self) -> Vec<TesterProgress> {
        let unassigned = self.by_tester.remove("");
        if self.by_tester.is_empty() {
            return Vec::new();
        }
        let mut out: Vec<TesterProgress> =
            std::mem::take(&mut self.by_tester).into_values().collect();
        out.extend(unassigned);
        out
    }

    /// The indicators of the items added.
    pub fn finish(self) -> CampaignIndicators {
        let mut by_status: BTreeMap<String, usize> = ExecStatus::ALL
            .iter()
            .map(|s| (s.code().to_string(), 0))
            .collect();
        for (s, n) in &self.by_status {
            *by_status.entry(s.to_string()).or_default() += n;
        }
        let count = |s: ExecStatus| by_status.get(s.code()).copied().unwrap_or(0);
        let planned = self.tests - count(ExecStatus::NotApplicable);
        let executed =
            count(ExecStatus::Passed) + count(ExecStatus::Failed) + count(ExecStatus::Blocked);
        let ratio = |n: usize, d: usize| (d > 0).then(|| n as f64 / d as f64);
        let pass_rate = ratio(count(ExecStatus::Passed), executed);
        let (tests, retests) = (self.tests, self.retests);
        CampaignIndicators {
            tests,
            planned,
            executed,
            execution_rate: ratio(executed, planned),
            pass_rate,
            retests,
            by_tester: self.testers(),
            by_status,
        }
    }
}

impl CampaignIndicators {
    /// Computes the indicators from the campaign's tests.
    pub fn compute(tests: &[CampaignTest]) -> CampaignIndicators {
        let mut tally = Tally::default();
        for t in tests {
            tally.add(t.status, &t.assignee, t.attempts);
        }
        tally.finish()
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
