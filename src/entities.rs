//! The domain entities as the store returns them. Field names are the stable JSON names.

use serde::Serialize;

use crate::model::{
    AnomalyStatus, Criticality, ExecStatus, Phase, ReqStatus, Severity, Step, TestKind,
};

/// A requirement (exigence) at its current revision.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Requirement {
    #[serde(rename = "ref")]
    pub reference: String,
    pub title: String,
    pub description: String,
    pub criticality: Criticality,
    pub category: String,
    pub status: ReqStatus,
    pub source: String,
    pub revision: i64,
    pub content_hash: String,
}

/// A requirement with the tests linked to it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RequirementDetail {
    #[serde(flatten)]
    pub requirement: Requirement,
    pub tests: Vec<LinkedTest>,
    pub revisions: Vec<Revision>,
}

/// One revision of a requirement.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Revision {
    pub revision: i64,
    pub title: String,
    pub content_hash: String,
    pub created_at: String,
}

/// A test linked to a requirement, with the link's state.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LinkedTest {
    #[serde(rename = "ref")]
    pub reference: String,
    pub title: String,
    pub requirement_revision: i64,
    pub suspect: bool,
}

/// A test case (cas de test) at its current version.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TestCase {
    #[serde(rename = "ref")]
    pub reference: String,
    /// Current version: a change of the objective, prerequisites or steps makes the next one.
    pub version: i64,
    pub title: String,
    pub objective: String,
    pub prerequisites: String,
    pub kind: TestKind,
    pub automation_key: String,
    pub priority: String,
    pub category: String,
    /// `false` once retired (obsolete): kept in history, out of new campaigns and coverage.
    pub active: bool,
    pub tags: Vec<String>,
    pub steps: Vec<Step>,
    pub requirements: Vec<String>,
}

/// A test case with its data sets, parameters and versions (`recette test show`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TestCaseDetail {
    #[serde(flatten)]
    pub test: TestCase,
    /// Why it was retired, when it was.
    pub retired_reason: Option<String>,
    /// Parameters its texts use (`${name}`), in order of first appearance.
    pub parameters: Vec<String>,
    pub datasets: Vec<Dataset>,
    /// Every version, oldest first (the last is the current one).
    pub versions: Vec<VersionSummary>,
}

/// A data set (jeu de données) of a test case: values of its parameters.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Dataset {
    pub name: String,
    pub parameters: crate::params::Values,
    /// `false` once removed while planned or run somewhere: kept for history only.
    pub active: bool,
    /// Parameters the test uses that this data set gives no value.
    pub missing: Vec<String>,
}

/// One version of a test case, in the versions list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VersionSummary {
    pub version: i64,
    pub created_at: String,
    /// When the next version replaced it (`None`: the current version).
    pub replaced_at: Option<String>,
    pub steps: usize,
}

/// The content of one version of a test case (`recette test show REF --version N`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TestVersion {
    #[serde(rename = "ref")]
    pub reference: String,
    pub version: i64,
    pub current: bool,
    pub title: String,
    pub objective: String,
    pub prerequisites: String,
    pub steps: Vec<Step>,
    pub created_at: String,
    pub replaced_at: Option<String>,
}

/// A delivery (livraison) of the vendor.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Delivery {
    #[serde(rename = "ref")]
    pub reference: String,
    pub version: String,
    pub vendor: String,
    pub lot: String,
    pub planned_date: Option<String>,
    pub delivered_date: Option<String>,
    pub notes: String,
}

/// A campaign (campagne de recette) with its counts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Campaign {
    #[serde(rename = "ref")]
    pub reference: String,
    pub title: String,
    pub delivery: Option<String>,
    pub strategy: Option<String>,
    pub phase: Phase,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    pub tests: i64,
    /// `planned` or `started` (`recette campaign start`).
    pub state: String,
    /// When it was started.
    pub started_at: Option<String>,
    /// Started with `--force` although entry criteria were unmet.
    pub start_forced: bool,
    /// The entry criteria as measured at start (JSON of `verdict::CriterionResult`s).
    pub start_checks: serde_json::Value,
}

/// A test planned in a campaign (with one of its data sets, if it has any), with its latest
/// execution: what a campaign runs and counts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CampaignTest {
    #[serde(rename = "ref")]
    pub reference: String,
    /// The data set it is run with; `None` for a test without data sets.
    pub dataset: Option<String>,
    /// The data set's current values (empty without data set).
    pub parameters: crate::params::Values,
    /// Title, with the data set's values substituted.
    pub title: String,
    pub kind: TestKind,
    /// Tester assigned; empty when nobody is.
    pub assignee: String,
    pub reason: String,
    /// Status of the latest execution, `not_run` when none.
    pub status: ExecStatus,
    pub attempts: i64,
    pub tester: Option<String>,
    pub executed_at: Option<String>,
    pub anomalies: Vec<String>,
    /// Current version of the test case.
    pub test_version: i64,
    /// Version the latest execution was run against.
    pub executed_version: Option<i64>,
    /// The test case changed (new version) after its latest execution here.
    pub modified_since_run: bool,
}

impl CampaignTest {
    /// `CT-001` or `CT-001 [JDD-7CV]`: how people name the item.
    pub fn label(&self) -> String {
        item_label(&self.reference, self.dataset.as_deref())
    }
}

/// `CT-001` or `CT-001 [JDD-7CV]`.
pub fn item_label(test: &str, dataset: Option<&str>) -> String {
    match dataset {
        Some(d) if !d.is_empty() => format!("{test} [{d}]"),
        _ => test.to_string(),
    }
}

/// One execution (attempt) of a test in a campaign.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Execution {
    pub campaign: String,
    pub test: String,
    /// Data set it was run with (`None`: the test has none).
    pub dataset: Option<String>,
    /// Attempt number, per (campaign, test, data set), from 1 without gaps.
    pub attempt: i64,
    pub status: ExecStatus,
    pub tester: String,
    pub executed_at: String,
    pub comment: String,
    pub duration_ms: Option<f64>,
    pub source: String,
    /// Version of the test case it was run against.
    pub test_version: i64,
    /// Values of the data set when it was run.
    pub parameters: crate::params::Values,
    pub steps: Vec<StepResult>,
    pub evidence: Vec<Evidence>,
    pub anomalies: Vec<String>,
}

/// Result of one step of an execution.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StepResult {
    pub step: i64,
    pub status: ExecStatus,
    /// What the tester saw (résultat obtenu).
    pub actual: String,
    pub comment: String,
}

/// One attempt as it was run, for reading back (`recette execution show`): the texts of the
/// version it was run against with the data set's values substituted, each step's result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExecutionDetail {
    pub campaign: String,
    pub test: String,
    pub dataset: Option<String>,
    pub attempt: i64,
    pub status: ExecStatus,
    pub tester: String,
    pub executed_at: String,
    pub comment: String,
    pub duration_ms: Option<f64>,
    pub source: String,
    pub test_version: i64,
    /// The test case has a newer version than the one this attempt ran.
    pub outdated: bool,
    pub parameters: crate::params::Values,
    pub title: String,
    pub prerequisites: String,
    /// Every step of the version, with its result when one was recorded.
    pub steps: Vec<StepAsRun>,
    pub evidence: Vec<Evidence>,
    pub anomalies: Vec<String>,
}

/// A step as it was run: its texts (values substituted) and result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StepAsRun {
    pub index: i64,
    pub action: String,
    pub expected: String,
    /// `None`: no result recorded for this step.
    pub status: Option<ExecStatus>,
    pub actual: String,
    pub comment: String,
}

/// What a tester needs to run one planned item now (the web's execution page): the current
/// texts with the data set's values substituted, the covered requirements, who is assigned and
/// the latest attempt (to record `based_on` it).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlannedExecution {
    pub campaign: String,
    pub test: String,
    pub dataset: Option<String>,
    pub parameters: crate::params::Values,
    /// Parameters used by the texts without a value in the data set (left as `${name}`).
    pub missing_parameters: Vec<String>,
    pub title: String,
    pub objective: String,
    pub prerequisites: String,
    pub kind: TestKind,
    pub test_version: i64,
    pub steps: Vec<PlannedStep>,
    pub requirements: Vec<CoveredRequirement>,
    pub assignee: String,
    pub status: ExecStatus,
    /// Latest attempt of this item in the campaign (0: never run).
    pub latest_attempt: i64,
}

/// A step to run, values substituted.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlannedStep {
    pub index: i64,
    pub action: String,
    pub expected: String,
}

/// A requirement a test covers, as the tester sees it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CoveredRequirement {
    #[serde(rename = "ref")]
    pub reference: String,
    pub title: String,
    pub criticality: crate::model::Criticality,
}

/// A planned item assigned to someone, across campaigns ("my tests").
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AssignedTest {
    pub campaign: String,
    pub campaign_title: String,
    #[serde(flatten)]
    pub test: CampaignTest,
}

/// One execution of a test, wherever it ran (`recette test history`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TestHistoryEntry {
    pub campaign: String,
    pub delivery: Option<String>,
    pub dataset: Option<String>,
    pub attempt: i64,
    pub test_version: i64,
    pub status: ExecStatus,
    pub tester: String,
    pub executed_at: String,
    pub source: String,
    pub anomalies: Vec<String>,
}

/// An evidence file, stored by content hash beside the store.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evidence {
    pub file_name: String,
    pub sha256: String,
    pub size: i64,
}

/// An anomaly (fiche d'anomalie).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Anomaly {
    #[serde(rename = "ref")]
    pub reference: String,
    pub title: String,
    pub description: String,
    pub severity: Severity,
    pub status: AnomalyStatus,
    pub found_in: Option<String>,
    pub fixed_in: Option<String>,
    pub reopen_count: i64,
    pub created_at: String,
    pub closed_at: Option<String>,
    /// Who must act on it (often the vendor); empty when nobody is named.
    pub assignee: String,
    /// Tests whose executions reference it.
    pub tests: Vec<String>,
}

/// Who may read a comment on an anomaly: `internal` comments are the buyer's and are never
/// shown to the vendor role; `shared` ones are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Visibility {
    Internal,
    Shared,
}

impl Visibility {
    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            Visibility::Internal => "internal",
            Visibility::Shared => "shared",
        }
    }
    /// Parses a stored code.
    pub fn from_code(code: &str) -> Option<Visibility> {
        match code {
            "internal" => Some(Visibility::Internal),
            "shared" => Some(Visibility::Shared),
            _ => None,
        }
    }
    /// The label shown to users.
    pub fn label(self, lang: crate::i18n::Lang) -> &'static str {
        match self {
            Visibility::Internal => lang.pick("interne", "internal"),
            Visibility::Shared => lang.pick("partagé", "shared"),
        }
    }
}

/// One move of an anomaly's lifecycle (its creation included), oldest first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AnomalyHistoryEntry {
    pub at: String,
    pub actor: String,
    /// `create`, `move`, `fix_claimed`, `retest_passed`, `retest_failed` or `import`.
    pub event: String,
    /// `None` for the creation.
    pub from: Option<AnomalyStatus>,
    pub to: AnomalyStatus,
    pub comment: String,
    /// The delivery concerned (found in, fixed in, or whose fix was retested).
    pub delivery: Option<String>,
    /// The execution that made the move (`campagne/CT-001#2`), for retests.
    pub execution: Option<String>,
}

/// A comment on an anomaly.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AnomalyComment {
    pub at: String,
    pub actor: String,
    pub visibility: Visibility,
    pub text: String,
}

/// An execution that met an anomaly.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AnomalyExecution {
    pub campaign: String,
    pub test: String,
    pub dataset: Option<String>,
    pub attempt: i64,
    pub status: ExecStatus,
    pub tester: String,
    pub executed_at: String,
}

/// An anomaly with everything `anomaly show` gives: its whole history, comments (internal
/// ones only for readers allowed to see them), attachments, the requirements it concerns and
/// the executions that met it, and the statuses it may move to next.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AnomalyDetail {
    #[serde(flatten)]
    pub anomaly: Anomaly,
    pub next_statuses: Vec<AnomalyStatus>,
    pub history: Vec<AnomalyHistoryEntry>,
    pub comments: Vec<AnomalyComment>,
    pub evidence: Vec<Evidence>,
    /// Requirements linked directly or through the tests of its executions.
    pub requirements: Vec<String>,
    pub executions: Vec<AnomalyExecution>,
}

/// One entry of the audit log.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuditEntry {
    pub id: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub entity: String,
    #[serde(rename = "ref")]
    pub reference: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

/// A delivery with what it claims and the documents that must come with it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeliveryDetail {
    #[serde(flatten)]
    pub delivery: Delivery,
    pub known_issues: String,
    /// Days the buyer has to notify a decision after delivery.
    pub decision_days: i64,
    /// Delivered date + decision days: after it, admission is tacit.
    pub decision_deadline: Option<String>,
    /// Anomalies the delivery claims to fix, with their current status.
    pub fixes: Vec<DeliveryFix>,
    /// Requirements the delivery claims to deliver or change.
    pub requirements: Vec<DeliveryRequirement>,
    pub documents: Vec<DeliveryDocument>,
    /// Campaigns run on this delivery.
    pub campaigns: Vec<String>,
}

/// An anomaly a delivery claims to fix.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeliveryFix {
    pub anomaly: String,
    pub title: String,
    pub severity: Severity,
    pub status: AnomalyStatus,
}

/// A requirement a delivery claims to deliver (`delivered`) or change (`changed`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeliveryRequirement {
    pub requirement: String,
    pub change: String,
}

/// A document expected with a delivery: `expected`, `received`, `accepted` or `refused`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeliveryDocument {
    pub name: String,
    pub state: String,
    pub comment: String,
}

/// A change of an anomaly's status (see [`AnomalyHistoryEntry`] for the events).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AnomalyEvent {
    pub anomaly: String,
    pub at: String,
    pub actor: String,
    /// `create`, `move`, `fix_claimed`, `retest_passed`, `retest_failed` or `import`.
    pub event: String,
    pub from: String,
    pub to: String,
    /// The delivery that claimed the fix (retests), or the delivery concerned.
    pub delivery: Option<String>,
    pub comment: String,
}

/// One stored automated result (JUnit, Robot...), as `recette results` lists it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredResult {
    pub campaign: String,
    /// Test case it was attached to (`None`: it matched nothing).
    pub test: Option<String>,
    /// Attempt of the execution it was grouped into.
    pub attempt: Option<i64>,
    /// Result file, as named on the command line, and its format.
    pub file: String,
    pub format: String,
    pub imported_at: String,
    /// Enclosing suites, outermost first, joined with ` / `.
    pub suite_path: String,
    pub classname: String,
    pub name: String,
    pub status: ExecStatus,
    pub duration_ms: Option<f64>,
    pub start_time: Option<String>,
    pub message: String,
    pub failure_text: String,
    /// Standard output and error, cut at the import limit (64 KiB by default).
    pub stdout: String,
    /// Properties, categories and traits as (name, value); tags have an empty name.
    pub properties: Vec<(String, String)>,
    pub tags: Vec<String>,
    pub retries: i64,
    pub flaky: bool,
}
