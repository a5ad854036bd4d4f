//! Campaign indicators: tests by status, execution and pass rates, anomalies by severity.
//! Rules from the domain brief: execution rate = executed / planned (N/A excluded);
//! pass rate = passed / executed.

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
