//! Records produced by importers, before they reach the store.
//!
//! Importers read files and yield these records, each with the [`Origin`] it came from; they
//! never touch the database. The store decides how to upsert them (see `store::import`).

use serde::Serialize;
use std::fmt;
use std::sync::Arc;

use crate::model::{AnomalyStatus, Criticality, ExecStatus, ReqStatus, Severity, Step, TestKind};

/// Where a record (or an error) comes from: file, sheet, row, column and header.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Origin {
    /// File name as given by the user (shared by every record of the file: a large import
    /// holds a million origins).
    pub file: Arc<str>,
    /// Sheet name (workbooks) or element path (XML), if any (shared likewise).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sheet: Option<Arc<str>>,
    /// 1-based row (spreadsheets) or line (text and XML files).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub row: Option<u64>,
    /// Column letter (spreadsheets) or 1-based column number (text files), as text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    /// Header of the column, as written in the file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub header: Option<String>,
}

impl Origin {
    /// An origin naming only a file.
    pub fn file(file: impl Into<String>) -> Origin {
        Origin {
            file: Arc::from(file.into()),
            ..Origin::default()
        }
    }
    /// The same origin at another sheet.
    pub fn with_sheet(&self, sheet: impl Into<String>) -> Origin {
        Origin {
            sheet: Some(Arc::from(sheet.into())),
            ..self.clone()
        }
    }
    /// The same origin at another row/line.
    pub fn with_row(&self, row: u64) -> Origin {
        Origin {
            row: Some(row),
            ..self.clone()
        }
    }
    /// The same origin at a column, with its header.
    pub fn with_column(&self, column: impl Into<String>, header: Option<&str>) -> Origin {
        Origin {
            column: Some(column.into()),
            header: header.map(str::to_string),
            ..self.clone()
        }
    }
}

impl Origin {
    /// `cahier.xlsx › Cas de test › ligne 7 › C « Exigences couvertes »` in French,
    /// `cahier.xlsx › Cas de test › row 7 › C "Exigences couvertes"` in English.
    pub fn describe(&self, lang: crate::i18n::Lang) -> String {
        use std::fmt::Write;
        let en = lang == crate::i18n::Lang::En;
        let mut out = self.file.to_string();
        if let Some(s) = &self.sheet {
            let _ = write!(out, " › {s}");
        }
        if let Some(r) = self.row {
            let _ = write!(out, " › {} {r}", if en { "row" } else { "ligne" });
        }
        if let Some(c) = &self.column {
            let _ = write!(out, " › {c}");
            if let Some(h) = &self.header {
                let _ = if en {
                    write!(out, " \"{h}\"")
                } else {
                    write!(out, " « {h} »")
                };
            }
        }
        out
    }
}

impl fmt::Display for Origin {
    /// The French form of [`Origin::describe`].
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe(crate::i18n::Lang::Fr))
    }
}

/// A problem found while reading a file: where, and what was expected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportIssue {
    /// Where.
    pub origin: Origin,
    /// What is wrong and what was expected, in the user's language.
    pub message: String,
}

impl ImportIssue {
    /// The issue with its origin worded in `lang` (the message is in the language it was
    /// written in).
    pub fn describe(&self, lang: crate::i18n::Lang) -> String {
        let sep = if lang == crate::i18n::Lang::En {
            ":"
        } else {
            " :"
        };
        format!("{}{sep} {}", self.origin.describe(lang), self.message)
    }
}

impl fmt::Display for ImportIssue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} : {}", self.origin, self.message)
    }
}

/// A requirement as read from a file. `None` fields are left unchanged on update.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct RequirementRecord {
    pub origin: Origin,
    pub reference: String,
    pub title: Option<String>,
    pub description: Option<String>,
    pub criticality: Option<Criticality>,
    pub category: Option<String>,
    pub status: Option<ReqStatus>,
    pub source: Option<String>,
}

/// A test case as read from a file. `None` fields are left unchanged on update; `steps` replace
/// the stored steps when `Some`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct TestCaseRecord {
    pub origin: Origin,
    pub reference: String,
    pub title: Option<String>,
    pub objective: Option<String>,
    pub prerequisites: Option<String>,
    pub steps: Option<Vec<Step>>,
    pub kind: Option<TestKind>,
    pub automation_key: Option<String>,
    pub tags: Option<Vec<String>>,
    pub priority: Option<String>,
    pub category: Option<String>,
    /// Requirements this test covers (links are added, never removed by an import).
    pub requirement_refs: Vec<String>,
    /// Data sets read under the test (created or updated, never removed by an import);
    /// `None` when the sheet names none.
    pub datasets: Option<Vec<DatasetRecord>>,
    /// The last row of a test read over several rows (steps, data sets, tags under its first
    /// row, `origin.row`): a refused row in between refuses the whole test case.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_row: Option<u64>,
}

/// A data set (jeu de données) of a test case, as read from a row under the test.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct DatasetRecord {
    /// The row (and cell of the name).
    pub origin: Origin,
    pub name: String,
    pub parameters: crate::params::Values,
}

/// The result of one step, as read from a results sheet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StepResultRecord {
    /// 1-based step number.
    pub step: u32,
    pub status: ExecStatus,
    /// Résultat obtenu; may be empty.
    pub actual: String,
}

/// A requirement <-> test link as read from a file.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct LinkRecord {
    pub origin: Origin,
    pub requirement_ref: String,
    pub test_ref: String,
}

/// The result of one test (manual execution written in a workbook).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResultRecord {
    pub origin: Origin,
    pub test_ref: String,
    /// The data set run, when the sheet names one.
    pub dataset: Option<String>,
    /// The tester the sheet says the test is assigned to (offline sheets): compared with the
    /// campaign's assignment, never applied.
    pub assignee: Option<String>,
    /// The test's status; `None`: it follows from the steps (the domain's rule, applied when
    /// the result is recorded).
    pub status: Option<ExecStatus>,
    /// Per-step results, by 1-based step number.
    pub step_results: Vec<StepResultRecord>,
    pub tester: Option<String>,
    /// ISO 8601 date or date-time (`2026-03-14` or `2026-03-14T10:30:00`).
    pub executed_at: Option<String>,
    pub comment: Option<String>,
    pub anomaly_refs: Vec<String>,
    /// Campaign named in the file, if any (offline sheets carry it).
    pub campaign_ref: Option<String>,
    /// For offline sheets: the latest attempt known when the sheet was exported; a newer one in
    /// the store is a conflict.
    pub base_attempt: Option<u32>,
    /// For project workbooks (every attempt, in order): the attempt this row is. The store's
    /// own attempt of that number, when it has one, must be this result (else a conflict);
    /// otherwise the row is recorded as the next attempt.
    pub attempt: Option<u32>,
}

/// An anomaly as read from a file.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct AnomalyRecord {
    pub origin: Origin,
    pub reference: String,
    pub title: Option<String>,
    pub description: Option<String>,
    /// Delivery the anomaly was found in (must exist in the store).
    pub found_in: Option<String>,
    /// Delivery that fixes it (must exist in the store).
    pub fixed_in: Option<String>,
    pub severity: Option<Severity>,
    pub status: Option<AnomalyStatus>,
    /// Who must act on it (a new anomaly only: an existing one keeps its assignee).
    pub assignee: Option<String>,
    /// When it was raised (ISO date or date-time; a new anomaly only).
    pub created_at: Option<String>,
    /// When it was closed (a new closed or rejected anomaly only).
    pub closed_at: Option<String>,
    /// How many times it was reopened (a new anomaly only).
    pub reopen_count: Option<u32>,
}

/// A delivery (livraison) as read from a deliveries sheet. `None` fields are left unchanged
/// on update.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct DeliveryRecord {
    pub origin: Origin,
    pub reference: String,
    pub version: Option<String>,
    pub vendor: Option<String>,
    pub lot: Option<String>,
    pub planned_date: Option<String>,
    pub delivered_date: Option<String>,
    pub notes: Option<String>,
}

/// A test strategy as read from a strategies sheet: its fields on its first row, one criterion
/// per row of its block. Applied whole: the stored strategy is replaced (fields and criteria).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StrategyRecord {
    pub origin: Origin,
    /// The last row of its block (a refused row in it refuses the strategy).
    pub last_row: Option<u64>,
    pub strategy: crate::verdict::Strategy,
}

/// A campaign as read from a campaigns sheet. `None` fields are left unchanged on update.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct CampaignRecord {
    pub origin: Origin,
    pub reference: String,
    pub title: Option<String>,
    pub phase: Option<crate::model::Phase>,
    pub delivery: Option<String>,
    pub strategy: Option<String>,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    /// When it was started (`recette campaign start`); `None`: still planned.
    pub started_at: Option<String>,
    /// Started with `--force` although entry criteria were unmet.
    pub forced: bool,
    /// The entry criteria as measured when it was started (shown in the bilan).
    pub start_checks: Option<Vec<crate::verdict::CriterionResult>>,
}

/// A test planned in a campaign (with one of its data sets), as read from a plan sheet.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct PlannedRecord {
    pub origin: Origin,
    pub campaign: String,
    pub test: String,
    pub dataset: Option<String>,
    pub assignee: Option<String>,
    pub reason: Option<String>,
}

/// What a project workbook (`recette export workbook`) carries besides the test model:
/// deliveries, strategies, campaigns and their planned tests, the decisions signed, applied
/// before everything else (campaigns after the deliveries and strategies they name, decisions
/// after their campaigns, plans after the tests).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ProjectRecord {
    Delivery(DeliveryRecord),
    Strategy(StrategyRecord),
    Campaign(CampaignRecord),
    Planned(PlannedRecord),
    Decision(DecisionRecord),
    Setting(SettingRecord),
}

/// A project setting (`recette config`) as read from the "Projet" sheet.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SettingRecord {
    pub origin: Origin,
    pub setting: crate::settings::Setting,
    pub value: String,
}

/// A decision signed in another store (sheet "Décisions" of a project workbook): it counts as
/// a sign-off of its campaign (earlier ajournements, already signed), its sealed files named.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DecisionRecord {
    pub origin: Origin,
    pub campaign: String,
    /// The record's number among its campaign's (PV n°).
    pub number: u32,
    pub decision: crate::model::Decision,
    /// ISO date or date-time.
    pub signed_at: String,
    pub signatories: Vec<String>,
    /// The sealed files as the original store recorded them (`name (sha256 …)` per line).
    pub files: String,
}

/// Everything an importer read from one input, with the problems it found.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ImportBatch {
    pub requirements: Vec<RequirementRecord>,
    pub test_cases: Vec<TestCaseRecord>,
    pub links: Vec<LinkRecord>,
    pub results: Vec<ResultRecord>,
    pub anomalies: Vec<AnomalyRecord>,
    /// Deliveries, strategies, campaigns and planned tests (project workbooks).
    pub project: Vec<ProjectRecord>,
    /// Sheets (or parts) that were recognised, with the kind they were read as.
    pub sheets: Vec<SheetSummary>,
    /// Problems; without `--partial`, any problem aborts the import.
    pub issues: Vec<ImportIssue>,
}

/// How one sheet (or part of a file) was read.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SheetSummary {
    pub file: String,
    pub sheet: String,
    /// `requirements`, `test_cases`, `links`, `results`, `anomalies`, or `ignored`.
    pub kind: String,
    /// Why it was ignored, when it was.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Data rows read.
    pub rows: u64,
    /// Columns with a header that no field reads: nothing of them is imported.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ignored_columns: Vec<IgnoredColumn>,
    /// Rows holding data only in ignored columns: nothing of them is imported.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ignored_rows: Vec<u64>,
}

/// A column an import does not read.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct IgnoredColumn {
    /// Column letter.
    pub column: String,
    /// Header as written.
    pub header: String,
}

impl ImportBatch {
    /// Appends another batch.
    pub fn extend(&mut self, other: ImportBatch) {
        self.requirements.extend(other.requirements);
        self.test_cases.extend(other.test_cases);
        self.links.extend(other.links);
        self.results.extend(other.results);
        self.anomalies.extend(other.anomalies);
        self.project.extend(other.project);
        self.sheets.extend(other.sheets);
        self.issues.extend(other.issues);
    }
}

/// Where a reader puts the records it reads: an [`ImportBatch`] (the whole file in memory), or
/// a pipeline that hands them in chunks to the store while the rest of the file is read
/// (`recette import` of a large workbook).
pub trait RecordSink {
    fn requirement(&mut self, r: RequirementRecord);
    fn test_case(&mut self, t: TestCaseRecord);
    fn link(&mut self, l: LinkRecord);
    fn result(&mut self, r: ResultRecord);
    fn anomaly(&mut self, a: AnomalyRecord);
    fn project(&mut self, p: ProjectRecord);
}

impl RecordSink for ImportBatch {
    fn requirement(&mut self, r: RequirementRecord) {
        self.requirements.push(r);
    }
    fn test_case(&mut self, t: TestCaseRecord) {
        self.test_cases.push(t);
    }
    fn link(&mut self, l: LinkRecord) {
        self.links.push(l);
    }
    fn result(&mut self, r: ResultRecord) {
        self.results.push(r);
    }
    fn anomaly(&mut self, a: AnomalyRecord) {
        self.anomalies.push(a);
    }
    fn project(&mut self, p: ProjectRecord) {
        self.project.push(p);
    }
}

/// A [`RecordSink`] that hands records over a channel in chunks of [`ChunkSink::RECORDS`]
/// (the reader thread of a streamed import). Once the receiving end is gone (the import gave
/// up), records are dropped.
pub struct ChunkSink {
    send: std::sync::mpsc::SyncSender<ImportBatch>,
    /// Chunks the receiver is done with, freed here (see [`ChunkSink::with_returns`]).
    returns: Option<std::sync::mpsc::Receiver<ImportBatch>>,
    chunk: ImportBatch,
    held: usize,
    dead: bool,
}

impl ChunkSink {
    /// Records per chunk: small enough for the store to start early, large enough that the
    /// hand-over costs nothing.
    pub const RECORDS: usize = 512;

    pub fn new(send: std::sync::mpsc::SyncSender<ImportBatch>) -> ChunkSink {
        ChunkSink {
            send,
            returns: None,
            chunk: ImportBatch::default(),
            held: 0,
            dead: false,
        }
    }

    /// Also frees the chunks sent back on `returns` once the receiver is done with them: memory
    /// is then freed by the thread that allocated it, which the system allocator does without
    /// contending with the receiving thread.
    pub fn with_returns(mut self, returns: std::sync::mpsc::Receiver<ImportBatch>) -> ChunkSink {
        self.returns = Some(returns);
        self
    }

    /// Sends the records held, if any.
    pub fn flush(&mut self) {
        if let Some(r) = &self.returns {
            while r.try_recv().is_ok() {}
        }
        if self.held == 0 || self.dead {
            return;
        }
        self.held = 0;
        let chunk = std::mem::take(&mut self.chunk);
        if self.send.send(chunk).is_err() {
            self.dead = true;
        }
    }

    /// Keeps one record (`put` adds it to the chunk), sending the chunk once it is full.
    fn keep(&mut self, put: impl FnOnce(&mut ImportBatch)) {
        if self.dead {
            return;
        }
        put(&mut self.chunk);
        self.held += 1;
        if self.held >= Self::RECORDS {
            self.flush();
        }
    }
}

impl RecordSink for ChunkSink {
    fn requirement(&mut self, r: RequirementRecord) {
        self.keep(|c| c.requirement(r));
    }
    fn test_case(&mut self, t: TestCaseRecord) {
        self.keep(|c| c.test_case(t));
    }
    fn link(&mut self, l: LinkRecord) {
        self.keep(|c| c.link(l));
    }
    fn result(&mut self, r: ResultRecord) {
        self.keep(|c| c.result(r));
    }
    fn anomaly(&mut self, a: AnomalyRecord) {
        self.keep(|c| c.anomaly(a));
    }
    fn project(&mut self, p: ProjectRecord) {
        self.keep(|c| c.project(p));
    }
}

/// One result of an automated test, as read from a JUnit, Robot, NUnit, TRX, xUnit, TestNG or
/// CTRF file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AutomatedResult {
    /// Where the test case element starts (file and line).
    pub origin: Origin,
    /// Format it was read from (`junit`, `robot`, ...).
    pub format: String,
    /// Enclosing suites, outermost first.
    pub suite_path: Vec<String>,
    /// Class name, when the format has one.
    pub classname: Option<String>,
    /// Test name.
    pub name: String,
    /// Final status (after retries).
    pub status: ExecStatus,
    /// Duration in milliseconds.
    pub duration_ms: Option<f64>,
    /// Short message (failure or skip message).
    pub message: Option<String>,
    /// Failure or error text (stack trace), cut to a documented limit.
    pub failure_text: Option<String>,
    /// Start time as written (ISO 8601 when the format gives one).
    pub start_time: Option<String>,
    /// Properties, tags, categories and traits as (name, value); tags have an empty name.
    pub properties: Vec<(String, String)>,
    /// Tags / categories / groups.
    pub tags: Vec<String>,
    /// How many times it was re-run.
    pub retries: u32,
    /// Failed at least once then passed.
    pub flaky: bool,
    /// Standard output and error, cut to a documented limit.
    pub stdout: Option<String>,
}

impl AutomatedResult {
    /// `suite/class/name`, the key automation keys are matched against.
    pub fn key(&self) -> String {
        let mut parts: Vec<&str> = self.suite_path.iter().map(String::as_str).collect();
        if let Some(c) = &self.classname {
            parts.push(c);
        }
        parts.push(&self.name);
        parts.join("/")
    }
}

/// A delivery note (bordereau de livraison) as read from a workbook or CSV file: what the
/// vendor says the delivery contains. The store checks every reference against the project.
#[derive(Debug, Clone, Default, Serialize)]
pub struct DeliveryNoteRecord {
    /// Version written in the note ("Version : 1.1.0"), with its cell.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<(String, Origin)>,
    /// Delivery date written in the note, ISO 8601, with its cell.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delivered_date: Option<(String, Origin)>,
    /// Anomalies the delivery says it fixes.
    pub fixes: Vec<NoteLine>,
    /// Requirements delivered (`delivered`) or changed (`changed`).
    pub requirements: Vec<NoteLine>,
    /// Documents delivered, with their state (`expected`, `received`...) and a comment.
    pub documents: Vec<NoteLine>,
    /// Sheets read and how.
    pub sheets: Vec<SheetSummary>,
    /// Problems found while reading.
    pub issues: Vec<ImportIssue>,
}

/// One line of a delivery note.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct NoteLine {
    /// Where (the cell of the reference).
    pub origin: Origin,
    /// Anomaly or requirement reference, or document name.
    #[serde(rename = "ref")]
    pub reference: String,
    /// Requirements: `delivered` or `changed`; documents: their state code; fixes: empty.
    pub detail: String,
    /// Comment or title written on the line.
    pub comment: String,
}
