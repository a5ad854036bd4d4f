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

/// A test case (cas de test).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TestCase {
    #[serde(rename = "ref")]
    pub reference: String,
    pub title: String,
    pub objective: String,
    pub prerequisites: String,
    pub kind: TestKind,
    pub automation_key: String,
    pub priority: String,
    pub category: String,
    pub active: bool,
    pub tags: Vec<String>,
    pub steps: Vec<Step>,
    pub requirements: Vec<String>,
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
}

/// A test selected in a campaign, with its latest execution.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CampaignTest {
    #[serde(rename = "ref")]
    pub reference: String,
    pub title: String,
    pub kind: TestKind,
    pub assignee: String,
    pub reason: String,
    /// Status of the latest execution, `not_run` when none.
    pub status: ExecStatus,
    pub attempts: i64,
    pub tester: Option<String>,
    pub executed_at: Option<String>,
    pub anomalies: Vec<String>,
}

/// One execution (attempt) of a test in a campaign.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Execution {
    pub campaign: String,
    pub test: String,
    pub attempt: i64,
    pub status: ExecStatus,
    pub tester: String,
    pub executed_at: String,
    pub comment: String,
    pub duration_ms: Option<f64>,
    pub source: String,
    pub steps: Vec<StepResult>,
    pub evidence: Vec<Evidence>,
    pub anomalies: Vec<String>,
}

/// Result of one step of an execution.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StepResult {
    pub step: i64,
    pub status: ExecStatus,
    pub comment: String,
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
    /// Tests whose executions reference it.
    pub tests: Vec<String>,
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

/// A change of an anomaly's status made by a retest.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AnomalyEvent {
    pub anomaly: String,
    pub at: String,
    pub actor: String,
    /// `retest_passed` or `retest_failed`.
    pub event: String,
    pub from: String,
    pub to: String,
    /// The delivery that claimed the fix.
    pub delivery: Option<String>,
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
