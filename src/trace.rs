//! Traceability and coverage: pure computation over data the store loads in bulk
//! ([`TraceData`], see `Store::trace_data`).
//!
//! Rules (domain brief):
//! - only non-obsolete requirements count; obsolete ones are left out of the list and counted
//!   in `summary.obsolete`;
//! - a requirement is *covered* when at least one **active** test case is linked to it; inactive
//!   test cases are ignored everywhere (coverage, status, suspect links);
//! - the status of a requirement over a scope takes the latest execution of each linked test in
//!   the scope: `failed` if any failed, else `blocked` if any blocked, else `not_run` if any is
//!   not run (no execution, not selected in the scope, or `in_progress`), else `passed`.
//!   `not_applicable` results are ignored; when every linked test is not applicable the
//!   requirement is `not_run` (nothing verified it). No linked active test: `uncovered`;
//! - a link is *suspect* when it was made against an older revision of the requirement; a
//!   requirement that would be `passed` but whose every counted result comes through a suspect
//!   link (run against an older revision) is `to_recheck` ("à revérifier"): it does not count
//!   as passed until the link is reviewed or a test linked to the current revision passes;
//! - a test run with several data sets takes, in each campaign, the worst of its data sets
//!   (`crate::execution::aggregate_datasets`); its result is *modified since run* when the test
//!   has a newer version than the one its latest result in the scope ran.
//!
//! The latest execution of a test in one campaign is its highest attempt; across several
//! campaigns (delivery or latest scope) it is the one with the latest `executed_at` (ties: the
//! one recorded last).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::{Criticality, ExecStatus, ReqStatus};

/// Which executions a trace looks at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "ref", rename_all = "snake_case")]
pub enum Scope {
    /// One campaign.
    Campaign(String),
    /// Every campaign of a delivery.
    Delivery(String),
    /// The latest result of each test across all campaigns.
    Latest,
}

/// A requirement as the trace needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct TraceRequirement {
    pub reference: String,
    pub title: String,
    pub criticality: Criticality,
    pub category: String,
    pub status: ReqStatus,
    pub revision: i64,
}

/// A test case as the trace needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct TraceTest {
    pub reference: String,
    pub title: String,
    pub active: bool,
    /// Current version.
    pub version: i64,
}

impl TraceTest {
    /// The name people read for a test case a results import created (`AUTO-<hash>`, whose
    /// reference says nothing): its title, the automated test's own name.
    pub fn readable_name(&self) -> Option<String> {
        (crate::import::automated::is_auto_reference(&self.reference)
            && !self.title.trim().is_empty()
            && self.title != self.reference)
            .then(|| self.title.clone())
    }
}

/// A link between `requirements[requirement]` and `tests[test]`, made at `revision`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TraceLink {
    pub requirement: usize,
    pub test: usize,
    pub revision: i64,
}

/// The latest result of one selected test in one campaign.
#[derive(Debug, Clone, PartialEq)]
pub struct TestResult {
    /// Index in [`TraceData::tests`].
    pub test: usize,
    /// Status of the latest execution; `None` when never executed.
    pub status: Option<ExecStatus>,
    /// When the latest execution ran.
    pub executed_at: Option<String>,
    /// Recording order of the latest execution (ties on `executed_at`).
    pub seq: i64,
    /// Version of the test the latest execution ran (the oldest one over its data sets).
    pub version: Option<i64>,
}

/// The selected tests of one campaign in the scope.
#[derive(Debug, Clone, PartialEq)]
pub struct CampaignResults {
    pub reference: String,
    pub results: Vec<TestResult>,
}

/// Everything a trace is computed from, loaded in a few bulk queries.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TraceData {
    /// Every requirement (obsolete included), ordered by reference.
    pub requirements: Vec<TraceRequirement>,
    /// Every test case.
    pub tests: Vec<TraceTest>,
    /// Every link.
    pub links: Vec<TraceLink>,
    /// The campaigns of the scope, ordered by reference.
    pub campaigns: Vec<CampaignResults>,
}

/// Coverage of a requirement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Coverage {
    Covered,
    Uncovered,
}

/// Aggregated status of a requirement over a scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReqTraceStatus {
    Passed,
    /// Passed only through suspect links: to verify again against the current revision.
    ToRecheck,
    Failed,
    Blocked,
    NotRun,
    Uncovered,
}

impl ReqTraceStatus {
    /// Every value, in display order.
    pub const ALL: &'static [ReqTraceStatus] = &[
        ReqTraceStatus::Passed,
        ReqTraceStatus::ToRecheck,
        ReqTraceStatus::Failed,
        ReqTraceStatus::Blocked,
        ReqTraceStatus::NotRun,
        ReqTraceStatus::Uncovered,
    ];

    /// Canonical code (as in JSON).
    pub fn code(self) -> &'static str {
        match self {
            ReqTraceStatus::Passed => "passed",
            ReqTraceStatus::ToRecheck => "to_recheck",
            ReqTraceStatus::Failed => "failed",
            ReqTraceStatus::Blocked => "blocked",
            ReqTraceStatus::NotRun => "not_run",
            ReqTraceStatus::Uncovered => "uncovered",
        }
    }

    /// Label for users.
    pub fn label(self, lang: crate::i18n::Lang) -> &'static str {
        match self {
            ReqTraceStatus::Passed => ExecStatus::Passed.label(lang),
            ReqTraceStatus::ToRecheck => lang.pick("À revérifier", "To recheck"),
            ReqTraceStatus::Failed => ExecStatus::Failed.label(lang),
            ReqTraceStatus::Blocked => ExecStatus::Blocked.label(lang),
            ReqTraceStatus::NotRun => ExecStatus::NotRun.label(lang),
            ReqTraceStatus::Uncovered => lang.pick("Non couverte", "Uncovered"),
        }
    }
}

/// Aggregates the statuses of the linked active tests of one requirement (see module rules).
pub fn aggregate(statuses: &[ExecStatus]) -> ReqTraceStatus {
    if statuses.is_empty() {
        return ReqTraceStatus::Uncovered;
    }
    let considered: Vec<ExecStatus> = statuses
        .iter()
        .copied()
        .filter(|s| *s != ExecStatus::NotApplicable)
        .collect();
    if considered.is_empty() {
        return ReqTraceStatus::NotRun;
    }
    if considered.contains(&ExecStatus::Failed) {
        ReqTraceStatus::Failed
    } else if considered.contains(&ExecStatus::Blocked) {
        ReqTraceStatus::Blocked
    } else if considered
        .iter()
        .any(|s| matches!(s, ExecStatus::NotRun | ExecStatus::InProgress))
    {
        ReqTraceStatus::NotRun
    } else {
        ReqTraceStatus::Passed
    }
}

/// [`aggregate`] over the linked tests with, for each, whether its link is suspect: a
/// requirement that would be passed while every result counted (N/A ignored) comes through a
/// suspect link is [`ReqTraceStatus::ToRecheck`].
pub fn aggregate_links(tests: &[(ExecStatus, bool)]) -> ReqTraceStatus {
    let statuses: Vec<ExecStatus> = tests.iter().map(|t| t.0).collect();
    let status = aggregate(&statuses);
    let all_suspect = tests
        .iter()
        .filter(|t| t.0 != ExecStatus::NotApplicable)
        .all(|t| t.1);
    if status == ReqTraceStatus::Passed && all_suspect {
        ReqTraceStatus::ToRecheck
    } else {
        status
    }
}

/// A linked test and its status in the scope.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TestStatus {
    #[serde(rename = "ref")]
    pub reference: String,
    pub status: ExecStatus,
    /// The link was made against an older revision of the requirement.
    pub suspect: bool,
    /// The test case changed (new version) after the result counted here was recorded.
    pub modified_since_run: bool,
    /// Readable name of an automated test case a results import created (`AUTO-<hash>`,
    /// named after its result): its title. `None` for the other test cases.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Revision of the requirement the link was made against.
    #[serde(skip)]
    pub link_revision: i64,
}

impl TestStatus {
    /// The test as a line of text reads it: `CT-001`, or `name (AUTO-<hash>)`.
    pub fn display(&self) -> String {
        named_reference(&self.reference, self.name.as_deref())
    }
}

/// `reference`, or `name (reference)` when the test has a readable name.
pub fn named_reference(reference: &str, name: Option<&str>) -> String {
    match name {
        Some(n) => format!("{n} ({reference})"),
        None => reference.to_string(),
    }
}

/// One requirement of the trace.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RequirementTrace {
    #[serde(rename = "ref")]
    pub reference: String,
    pub title: String,
    pub criticality: Criticality,
    pub category: String,
    pub coverage: Coverage,
    pub status: ReqTraceStatus,
    /// At least one link is suspect.
    pub suspect: bool,
    pub tests: Vec<TestStatus>,
    /// Current revision.
    #[serde(skip)]
    pub revision: i64,
}

/// Counts and rates over a group of requirements.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Rollup {
    pub requirements: usize,
    pub covered: usize,
    pub uncovered: usize,
    pub passed: usize,
    /// Passed only through suspect links (not counted as passed).
    pub to_recheck: usize,
    pub failed: usize,
    pub blocked: usize,
    pub not_run: usize,
    /// covered / requirements (`None` when the group is empty).
    #[serde(serialize_with = "crate::i18n::serialize_percent")]
    pub coverage_rate: Option<f64>,
    /// passed / requirements (`None` when the group is empty).
    #[serde(serialize_with = "crate::i18n::serialize_percent")]
    pub passed_rate: Option<f64>,
}

impl Rollup {
    fn add(&mut self, r: &RequirementTrace) {
        self.requirements += 1;
        match r.coverage {
            Coverage::Covered => self.covered += 1,
            Coverage::Uncovered => self.uncovered += 1,
        }
        match r.status {
            ReqTraceStatus::Passed => self.passed += 1,
            ReqTraceStatus::ToRecheck => self.to_recheck += 1,
            ReqTraceStatus::Failed => self.failed += 1,
            ReqTraceStatus::Blocked => self.blocked += 1,
            ReqTraceStatus::NotRun => self.not_run += 1,
            ReqTraceStatus::Uncovered => {}
        }
    }

    fn finish(mut self) -> Rollup {
        let ratio = |n: usize, d: usize| (d > 0).then(|| n as f64 / d as f64);
        self.coverage_rate = ratio(self.covered, self.requirements);
        self.passed_rate = ratio(self.passed, self.requirements);
        self
    }

    /// Requirements with a given aggregated status.
    pub fn count(&self, s: ReqTraceStatus) -> usize {
        match s {
            ReqTraceStatus::Passed => self.passed,
            ReqTraceStatus::ToRecheck => self.to_recheck,
            ReqTraceStatus::Failed => self.failed,
            ReqTraceStatus::Blocked => self.blocked,
            ReqTraceStatus::NotRun => self.not_run,
            ReqTraceStatus::Uncovered => self.uncovered,
        }
    }
}

/// Totals and roll-ups of a trace.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct TraceSummary {
    /// Active (non-obsolete) requirements.
    pub requirements: usize,
    /// Obsolete requirements, left out of everything else.
    pub obsolete: usize,
    pub covered: usize,
    pub uncovered: usize,
    /// Requirements by aggregated status (every status present).
    pub by_status: BTreeMap<String, usize>,
    /// covered / requirements.
    #[serde(serialize_with = "crate::i18n::serialize_percent")]
    pub coverage_rate: Option<f64>,
    /// passed / requirements.
    #[serde(serialize_with = "crate::i18n::serialize_percent")]
    pub passed_rate: Option<f64>,
    /// Suspect links (to active tests of active requirements).
    pub suspect_links: usize,
    /// Requirements with at least one suspect link.
    pub suspect_requirements: usize,
    /// Linked active tests whose result in the scope ran an older version of the test.
    pub modified_tests: usize,
    /// Roll-up per criticality (every criticality present).
    pub by_criticality: BTreeMap<String, Rollup>,
    /// Roll-up per category (lot); an empty category is "".
    pub by_category: BTreeMap<String, Rollup>,
    /// Roll-up per campaign of the scope: the requirements with at least one linked test selected
    /// in that campaign, their status over that campaign alone.
    pub by_campaign: BTreeMap<String, Rollup>,
}

/// A computed trace.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Trace {
    pub requirements: Vec<RequirementTrace>,
    pub summary: TraceSummary,
}

/// The latest status of each test of `data` over its campaigns — the one the trace counts —
/// aligned with [`TraceData::tests`]; `None` for a test in none of them.
pub fn latest_test_statuses(data: &TraceData) -> Vec<Option<ExecStatus>> {
    latest_statuses(data.tests.len(), &data.campaigns)
        .into_iter()
        .map(|l| l.map(|x| x.0))
        .collect()
}

/// The latest result of a test over the scope: status, when, recording order, version run.
type Latest<'a> = (ExecStatus, Option<&'a str>, i64, Option<i64>);

/// Latest status of each test over a set of campaigns; `None` when the test is not in any.
fn latest_statuses<'a>(
    n_tests: usize,
    campaigns: impl IntoIterator<Item = &'a CampaignResults>,
) -> Vec<Option<Latest<'a>>> {
    let mut out: Vec<Option<Latest<'a>>> = vec![None; n_tests];
    for c in campaigns {
        for r in &c.results {
            let Some(slot) = out.get_mut(r.test) else {
                continue;
            };
            let cand = (
                r.status.unwrap_or(ExecStatus::NotRun),
                r.executed_at.as_deref(),
                r.seq,
                r.version,
            );
            let newer = match slot {
                None => true,
                Some((_, at, seq, _)) => match (r.status, &r.executed_at, *at) {
                    // A campaign where the test never ran does not hide a real result.
                    (None, _, _) => false,
                    (Some(_), Some(a), Some(b)) => (a.as_str(), r.seq) > (b, *seq),
                    (Some(_), Some(_), None) => true,
                    (Some(_), None, _) => false,
                },
            };
            if newer {
                *slot = Some(cand);
            }
        }
    }
    out
}

/// Computes the trace from bulk data.
pub fn compute(data: &TraceData) -> Trace {
    let n_tests = data.tests.len();
    // Active links grouped by requirement, tests in reference order.
    let mut by_req: Vec<Vec<(usize, i64)>> = vec![Vec::new(); data.requirements.len()];
    for l in &data.links {
        let active = data.tests.get(l.test).is_some_and(|t| t.active);
        if active {
            if let Some(v) = by_req.get_mut(l.requirement) {
                v.push((l.test, l.revision));
            }
        }
    }
    for v in &mut by_req {
        v.sort_by(|a, b| data.tests[a.0].reference.cmp(&data.tests[b.0].reference));
        v.dedup_by_key(|x| x.0);
    }
    let overall = latest_statuses(n_tests, &data.campaigns);
    let status_of = |t: usize| overall[t].map(|x| x.0).unwrap_or(ExecStatus::NotRun);
    let modified = |t: usize| {
        overall[t]
            .and_then(|x| x.3)
            .is_some_and(|v| v < data.tests[t].version)
    };

    let mut requirements = Vec::new();
    let mut obsolete = 0;
    let mut scratch = Vec::new();
    for (i, r) in data.requirements.iter().enumerate() {
        if r.status == ReqStatus::Obsolete {
            obsolete += 1;
            continue;
        }
        let links = &by_req[i];
        let tests: Vec<TestStatus> = links
            .iter()
            .map(|&(t, rev)| TestStatus {
                reference: data.tests[t].reference.clone(),
                status: status_of(t),
                suspect: rev < r.revision,
                modified_since_run: modified(t),
                name: data.tests[t].readable_name(),
                link_revision: rev,
            })
            .collect();
        scratch.clear();
        scratch.extend(tests.iter().map(|t| (t.status, t.suspect)));
        requirements.push(RequirementTrace {
            reference: r.reference.clone(),
            title: r.title.clone(),
            criticality: r.criticality,
            category: r.category.clone(),
            coverage: if tests.is_empty() {
                Coverage::Uncovered
            } else {
                Coverage::Covered
            },
            status: aggregate_links(&scratch),
            suspect: tests.iter().any(|t| t.suspect),
            tests,
            revision: r.revision,
        });
    }

    let mut total = Rollup::default();
    let mut by_criticality: BTreeMap<String, Rollup> = Criticality::ALL
        .iter()
        .map(|c| (c.code().to_string(), Rollup::default()))
        .collect();
    let mut by_category: BTreeMap<String, Rollup> = BTreeMap::new();
    let mut suspect_links = 0;
    for r in &requirements {
        total.add(r);
        by_criticality
            .entry(r.criticality.code().to_string())
            .or_default()
            .add(r);
        by_category.entry(r.category.clone()).or_default().add(r);
        suspect_links += r.tests.iter().filter(|t| t.suspect).count();
    }

    // Per campaign: requirements touched by the campaign, status over that campaign alone.
    let mut by_campaign = BTreeMap::new();
    for c in &data.campaigns {
        let statuses = latest_statuses(n_tests, std::iter::once(c));
        let mut roll = Rollup::default();
        for (i, r) in data.requirements.iter().enumerate() {
            if r.status == ReqStatus::Obsolete {
                continue;
            }
            let links = &by_req[i];
            if !links.iter().any(|(t, _)| statuses[*t].is_some()) {
                continue;
            }
            scratch.clear();
            scratch.extend(links.iter().map(|(t, rev)| {
                (
                    statuses[*t].map(|x| x.0).unwrap_or(ExecStatus::NotRun),
                    *rev < r.revision,
                )
            }));
            let rt = RequirementTrace {
                reference: String::new(),
                title: String::new(),
                criticality: r.criticality,
                category: String::new(),
                coverage: Coverage::Covered,
                status: aggregate_links(&scratch),
                suspect: false,
                tests: Vec::new(),
                revision: r.revision,
            };
            roll.add(&rt);
        }
        by_campaign.insert(c.reference.clone(), roll.finish());
    }

    let total = total.finish();
    let by_status = ReqTraceStatus::ALL
        .iter()
        .map(|s| (s.code().to_string(), total.count(*s)))
        .collect();
    let summary = TraceSummary {
        requirements: total.requirements,
        obsolete,
        covered: total.covered,
        uncovered: total.uncovered,
        by_status,
        coverage_rate: total.coverage_rate,
        passed_rate: total.passed_rate,
        suspect_links,
        suspect_requirements: requirements.iter().filter(|r| r.suspect).count(),
        modified_tests: {
            let mut seen: Vec<&str> = requirements
                .iter()
                .flat_map(|r| r.tests.iter())
                .filter(|t| t.modified_since_run)
                .map(|t| t.reference.as_str())
                .collect();
            seen.sort_unstable();
            seen.dedup();
            seen.len()
        },
        by_criticality: by_criticality
            .into_iter()
            .map(|(k, v)| (k, v.finish()))
            .collect(),
        by_category: by_category
            .into_iter()
            .map(|(k, v)| (k, v.finish()))
            .collect(),
        by_campaign,
    };
    Trace {
        requirements,
        summary,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ExecStatus::*;

    #[test]
    fn aggregation_rules() {
        assert_eq!(aggregate(&[]), ReqTraceStatus::Uncovered);
        assert_eq!(aggregate(&[Passed, Passed]), ReqTraceStatus::Passed);
        assert_eq!(
            aggregate(&[Passed, Failed, Blocked]),
            ReqTraceStatus::Failed
        );
        assert_eq!(
            aggregate(&[Passed, Blocked, NotRun]),
            ReqTraceStatus::Blocked
        );
        assert_eq!(aggregate(&[Passed, NotRun]), ReqTraceStatus::NotRun);
        assert_eq!(aggregate(&[Passed, InProgress]), ReqTraceStatus::NotRun);
        assert_eq!(aggregate(&[Passed, NotApplicable]), ReqTraceStatus::Passed);
        assert_eq!(aggregate(&[NotApplicable]), ReqTraceStatus::NotRun);
    }

    fn req(r: &str, crit: Criticality, status: ReqStatus, revision: i64) -> TraceRequirement {
        TraceRequirement {
            reference: r.into(),
            title: r.into(),
            criticality: crit,
            category: "Cat".into(),
            status,
            revision,
        }
    }

    fn test(r: &str, active: bool) -> TraceTest {
        TraceTest {
            reference: r.into(),
            title: r.into(),
            active,
            version: 1,
        }
    }

    fn res(test: usize, status: Option<ExecStatus>, at: &str, seq: i64) -> TestResult {
        TestResult {
            test,
            status,
            executed_at: status.map(|_| at.to_string()),
            seq,
            version: status.map(|_| 1),
        }
    }

    #[test]
    fn compute_rules() {
        let data = TraceData {
            requirements: vec![
                req("R1", Criticality::Critique, ReqStatus::Validee, 1),
                req("R2", Criticality::Majeure, ReqStatus::Validee, 2),
                req("R3", Criticality::Mineure, ReqStatus::Validee, 1),
                req("R4", Criticality::Critique, ReqStatus::Obsolete, 1),
                req("R5", Criticality::Majeure, ReqStatus::Brouillon, 1),
            ],
            tests: vec![
                test("T1", true),
                test("T2", true),
                test("T3", false),
                test("T4", true),
            ],
            links: vec![
                TraceLink {
                    requirement: 0,
                    test: 0,
                    revision: 1,
                },
                TraceLink {
                    requirement: 1,
                    test: 1,
                    revision: 1,
                },
                TraceLink {
                    requirement: 1,
                    test: 3,
                    revision: 2,
                },
                // Only an inactive test: uncovered.
                TraceLink {
                    requirement: 2,
                    test: 2,
                    revision: 1,
                },
                TraceLink {
                    requirement: 3,
                    test: 0,
                    revision: 1,
                },
                // T4 linked but not in the campaign: not run.
                TraceLink {
                    requirement: 4,
                    test: 3,
                    revision: 1,
                },
            ],
            campaigns: vec![CampaignResults {
                reference: "C1".into(),
                results: vec![
                    res(0, Some(Passed), "2026-01-01", 1),
                    res(1, Some(NotApplicable), "2026-01-01", 2),
                ],
            }],
        };
        let t = compute(&data);
        assert_eq!(t.requirements.len(), 4, "obsolete left out");
        assert_eq!(t.summary.obsolete, 1);
        let r1 = &t.requirements[0];
        assert_eq!(r1.status, ReqTraceStatus::Passed);
        let r2 = &t.requirements[1];
        // T2 N/A is ignored, T4 not in the campaign counts as not run.
        assert_eq!(r2.status, ReqTraceStatus::NotRun);
        assert!(r2.suspect, "link at revision 1 of revision 2");
        assert!(r2.tests[0].suspect && !r2.tests[1].suspect);
        let r3 = &t.requirements[2];
        assert_eq!(r3.coverage, Coverage::Uncovered);
        assert_eq!(r3.status, ReqTraceStatus::Uncovered);
        assert_eq!(t.requirements[3].status, ReqTraceStatus::NotRun);
        assert_eq!(t.summary.requirements, 4);
        assert_eq!(t.summary.covered, 3);
        assert_eq!(t.summary.suspect_links, 1);
        assert_eq!(t.summary.by_criticality["critique"].passed, 1);
        assert_eq!(t.summary.by_criticality["critique"].passed_rate, Some(1.0));
        assert_eq!(t.summary.by_campaign["C1"].requirements, 2);
    }

    #[test]
    fn latest_across_campaigns() {
        let data = TraceData {
            requirements: vec![req("R1", Criticality::Critique, ReqStatus::Validee, 1)],
            tests: vec![test("T1", true)],
            links: vec![TraceLink {
                requirement: 0,
                test: 0,
                revision: 1,
            }],
            campaigns: vec![
                CampaignResults {
                    reference: "C1".into(),
                    results: vec![res(0, Some(Failed), "2026-01-01T10:00:00", 1)],
                },
                CampaignResults {
                    reference: "C2".into(),
                    results: vec![res(0, Some(Passed), "2026-02-01T10:00:00", 2)],
                },
                // Selected in a third campaign but not run there: does not hide the result.
                CampaignResults {
                    reference: "C3".into(),
                    results: vec![res(0, None, "", 0)],
                },
            ],
        };
        let t = compute(&data);
        assert_eq!(t.requirements[0].status, ReqTraceStatus::Passed);
        assert_eq!(t.summary.by_campaign["C1"].failed, 1);
        assert_eq!(t.summary.by_campaign["C3"].not_run, 1);
    }
}
