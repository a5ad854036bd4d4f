//! Applying an [`ImportBatch`] to the store: upsert by reference, links, results as executions,
//! anomalies created or linked, a change plan per sheet. Runs inside the caller's transaction,
//! so `Store::dry_run` gives the exact plan and a failed import writes nothing.

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use foldhash::{HashMap as FastMap, HashSet as FastSet};

use rusqlite::{params, OptionalExtension};
use serde::Serialize;
use serde_json::json;

use super::campaigns::NewCampaign;
use super::executions::{RunInput, StepInput};
use super::requirements::{check_ref, Change, RequirementPatch};
use super::testcases::TestCasePatch;
use super::{check_move, AnomalyPatch, Tx};
use crate::entities::{Requirement, TestCase};
use crate::error::{Error, Result};
use crate::i18n::Lang;
use crate::import::records::{
    AnomalyRecord, ImportBatch, ImportIssue, LinkRecord, Origin, ProjectRecord, RequirementRecord,
    ResultRecord, SheetSummary, TestCaseRecord,
};
use crate::model::{ExecStatus, Phase, Severity};

/// The latest execution of a test: (attempt, status, tester, executed_at, comment).
type LatestExecution = (i64, ExecStatus, String, String, String);

/// How to apply a batch.
#[derive(Debug, Clone, Default)]
pub struct ApplyOptions {
    /// Campaign that receives results (`--campaign`).
    pub campaign: Option<String>,
    /// Delivery under test (`--delivery`): results go to a campaign created for it when no
    /// campaign is given.
    pub delivery: Option<String>,
    /// Skip bad rows instead of refusing the whole import (`--partial`).
    pub partial: bool,
    /// Language of the problems found while applying (French by default).
    pub lang: Lang,
}

/// What an import did (or would do), per sheet and in total.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ImportReport {
    /// Per file and sheet: kind and counts.
    pub sheets: Vec<SheetPlan>,
    /// Problems found (rows skipped with `--partial`; otherwise the import was refused).
    pub issues: Vec<ImportIssue>,
    /// Offline results not applied because the store has a newer result for that test.
    pub conflicts: Vec<ImportIssue>,
    /// What the import applies but a person should look at (a data set without a value for a
    /// parameter its test uses); they never refuse the import.
    pub warnings: Vec<ImportIssue>,
    /// Campaign that received results, if any (the last one, when several did).
    pub campaign: Option<String>,
    /// Every campaign that received results, in the order they first did.
    pub campaigns: Vec<String>,
    /// Totals over every sheet.
    pub totals: Counts,
}

/// Counts of one sheet.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub skipped: u64,
}

/// The plan of one sheet.
#[derive(Debug, Clone, Serialize)]
pub struct SheetPlan {
    pub file: String,
    pub sheet: String,
    pub kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    pub rows: u64,
    #[serde(flatten)]
    pub counts: Counts,
    /// Columns with a header that nothing reads.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ignored_columns: Vec<crate::import::records::IgnoredColumn>,
    /// Rows with data only in ignored columns.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ignored_rows: Vec<u64>,
}

impl ImportReport {
    /// Leaves out of the plan the sheets read as data that gave nothing (ignored ones stay,
    /// with their reason).
    fn drop_empty_sheets(&mut self) {
        self.sheets
            .retain(|s| s.kind == "ignored" || s.rows > 0 || s.counts != Counts::default());
    }

    pub(super) fn count(&mut self, origin: &Origin, kind: &str, change: Option<Change>) {
        let sheet = origin.sheet.as_deref().unwrap_or_default();
        let idx = match self
            .sheets
            .iter()
            .position(|s| s.kind == kind && s.sheet == sheet && *s.file == *origin.file)
        {
            Some(i) => i,
            None => {
                self.sheets.push(SheetPlan {
                    file: origin.file.to_string(),
                    sheet: sheet.to_string(),
                    kind: kind.to_string(),
                    reason: None,
                    rows: 0,
                    counts: Counts::default(),
                    ignored_columns: Vec::new(),
                    ignored_rows: Vec::new(),
                });
                self.sheets.len() - 1
            }
        };
        let c = &mut self.sheets[idx].counts;
        let t = &mut self.totals;
        match change {
            Some(Change::Created) => {
                c.created += 1;
                t.created += 1;
            }
            Some(Change::Updated) => {
                c.updated += 1;
                t.updated += 1;
            }
            Some(Change::Unchanged) => {
                c.unchanged += 1;
                t.unchanged += 1;
            }
            None => {
                c.skipped += 1;
                t.skipped += 1;
            }
        }
    }
}

/// Rows refused as a whole, as (file, sheet, row): the batch's issues, then test cases naming
/// an unknown requirement (their steps and links are refused with them).
type BadRows = HashSet<(Arc<str>, Option<Arc<str>>, u64)>;

fn is_bad(bad: &BadRows, o: &Origin) -> bool {
    !bad.is_empty()
        && o.row
            .is_some_and(|row| bad.contains(&(o.file.clone(), o.sheet.clone(), row)))
}

/// Whether a row of a record read over rows `origin.row..=last` was refused.
fn is_bad_span(bad: &BadRows, o: &Origin, last: Option<u64>) -> bool {
    if bad.is_empty() {
        return false;
    }
    let (Some(first), Some(last)) = (o.row, last) else {
        return is_bad(bad, o);
    };
    (first..=last.max(first)).any(|row| bad.contains(&(o.file.clone(), o.sheet.clone(), row)))
}

fn mark_bad(bad: &mut BadRows, o: &Origin) {
    if let Some(row) = o.row {
        bad.insert((o.file.clone(), o.sheet.clone(), row));
    }
}

/// The state of applying one import: what is known of the store, the plan so far, the rows
/// refused.
pub(super) struct Applier {
    /// Language of the problems found.
    pub(super) lang: Lang,
    known: Known,
    pub(super) report: ImportReport,
    bad_rows: BadRows,
}

impl Applier {
    /// Whether the row of a record was refused.
    pub(super) fn is_bad(&self, o: &Origin) -> bool {
        is_bad(&self.bad_rows, o)
    }

    /// Whether a row of a record read over rows `origin.row..=last` was refused.
    pub(super) fn is_bad_span(&self, o: &Origin, last: Option<u64>) -> bool {
        is_bad_span(&self.bad_rows, o, last)
    }
}

/// A streamed import under way (see [`Tx::stream_begin`]).
pub struct StreamApply {
    ap: Applier,
    opts: ApplyOptions,
    /// The file imported (the `ref` of the import's audit rows).
    source: String,
    /// Whether test cases are being applied (no requirement or anomaly may come after).
    tests_started: bool,
    /// Kept until every requirement is applied.
    anomalies: Vec<AnomalyRecord>,
    /// Kept until every test case is applied.
    links: Vec<LinkRecord>,
    results: Vec<ResultRecord>,
}

/// Why a streamed import gave up (never shown: the import is then applied whole).
fn abandoned(why: &str) -> Error {
    Error::input(
        format!("import en flux abandonné : {why}"),
        format!("streamed import abandoned: {why}"),
    )
}

/// A sheet's plan before anything is counted.
fn sheet_plan(s: &SheetSummary) -> SheetPlan {
    SheetPlan {
        file: s.file.clone(),
        sheet: s.sheet.clone(),
        kind: s.kind.clone(),
        reason: s.reason.clone(),
        rows: s.rows,
        counts: Counts::default(),
        ignored_columns: s.ignored_columns.clone(),
        ignored_rows: s.ignored_rows.clone(),
    }
}

/// From this many lookups of one kind on, [`Known`] reads the whole table once instead of
/// querying each reference (a full read costs about as much as a few hundred lookups on a
/// store of a few thousand rows, and an import of a large workbook does tens of thousands).
const BULK_LOOKUPS: usize = 256;

/// What [`Known`] holds for one reference.
enum Entry<T> {
    /// No such row.
    Absent,
    /// The row as stored: id and fields (boxed: the map holds mostly `Written` entries of a
    /// few words each, which an inline `T` would make as large as a whole row).
    Stored(i64, Box<T>),
    /// A row this batch wrote: its id and (requirements) revision. Read again from the store,
    /// inside the transaction, only if the batch names the reference once more (keeping every
    /// written row whole would cost more than re-reading the rare duplicates).
    Written { id: i64, revision: i64 },
}

/// What `apply_batch` knows of the stored requirements, test cases and links: read once in
/// bulk for a large batch, else looked up reference by reference and remembered; kept up to
/// date as the batch writes, so no row is read twice and no new row is read back.
#[derive(Default)]
struct Known {
    /// Requirements by reference.
    requirements: FastMap<String, Entry<Requirement>>,
    /// Whether `requirements` holds every stored requirement.
    all_requirements: bool,
    /// Test cases by reference (fields, steps and tags; their `requirements` are not kept).
    tests: FastMap<String, Entry<TestCase>>,
    /// Whether `tests` holds every stored test case.
    all_tests: bool,
    /// Every link as (requirement id, test id), when read in bulk.
    links: Option<FastSet<(i64, i64)>>,
}

impl Known {
    /// Reads in bulk what the batch will look up many times.
    fn load(tx: &Tx<'_>, batch: &ImportBatch, bulk_from: usize) -> Result<Known> {
        let link_rows: usize = batch
            .test_cases
            .iter()
            .map(|t| t.requirement_refs.len())
            .sum::<usize>()
            + batch.links.len();
        if batch.requirements.len() + batch.test_cases.len() + batch.links.len() >= bulk_from {
            tx.prepare_bulk_write()?;
        }
        Known::read(
            tx,
            batch.requirements.len() + link_rows >= bulk_from,
            batch.test_cases.len() + batch.links.len() >= bulk_from,
            link_rows >= bulk_from,
        )
    }

    /// Reads every stored requirement, test case and link (a streamed import is large).
    fn load_all(tx: &Tx<'_>) -> Result<Known> {
        tx.prepare_bulk_write()?;
        Known::read(tx, true, true, true)
    }

    /// Reads in bulk the stored requirements, test cases and links asked for.
    fn read(tx: &Tx<'_>, requirements: bool, tests: bool, links: bool) -> Result<Known> {
        let mut known = Known::default();
        if requirements {
            known.requirements = super::requirements::all_by_ref(tx.conn())?
                .into_iter()
                .map(|(k, (id, r))| (k, Entry::Stored(id, Box::new(r))))
                .collect();
            known.all_requirements = true;
        }
        if tests {
            known.tests = tx
                .all_test_cases_by_ref()?
                .into_iter()
                .map(|(k, (id, t))| (k, Entry::Stored(id, Box::new(t))))
                .collect();
            known.all_tests = true;
        }
        if links {
            known.links = Some(tx.link_ids()?);
        }
        Ok(known)
    }

    /// The stored requirement (id and fields), if any.
    fn requirement(&mut self, tx: &Tx<'_>, reference: &str) -> Result<Option<(i64, &Requirement)>> {
        let reload = match self.requirements.get(reference) {
            None => !self.all_requirements,
            Some(Entry::Written { .. }) => true,
            Some(_) => false,
        };
        if reload {
            tx.flush_new_rows()?; // A requirement this batch wrote may still be buffered.
            let found = match super::requirements::find_with_id(tx.conn(), reference)? {
                Some((id, r)) => Entry::Stored(id, Box::new(r)),
                None => Entry::Absent,
            };
            self.requirements.insert(reference.to_string(), found);
        }
        Ok(match self.requirements.get(reference) {
            Some(Entry::Stored(id, r)) => Some((*id, &**r)),
            _ => None,
        })
    }

    /// A requirement's id and current revision, if it exists.
    fn requirement_key(&mut self, tx: &Tx<'_>, reference: &str) -> Result<Option<(i64, i64)>> {
        match self.requirements.get(reference) {
            Some(Entry::Written { id, revision }) => Ok(Some((*id, *revision))),
            Some(Entry::Stored(id, r)) => Ok(Some((*id, r.revision))),
            Some(Entry::Absent) => Ok(None),
            None => Ok(self
                .requirement(tx, reference)?
                .map(|(id, r)| (id, r.revision))),
        }
    }

    /// Records what an upsert wrote.
    fn wrote_requirement(&mut self, reference: &str, id: i64, revision: i64) {
        self.requirements
            .insert(reference.to_string(), Entry::Written { id, revision });
    }

    /// The stored test case (id, fields, steps and tags), if any.
    fn test(&mut self, tx: &Tx<'_>, reference: &str) -> Result<Option<(i64, &TestCase)>> {
        let reload = match self.tests.get(reference) {
            None => !self.all_tests,
            Some(Entry::Written { .. }) => true,
            Some(_) => false,
        };
        if reload {
            let found = match tx.test_case_with_id(reference)? {
                Some((id, t)) => Entry::Stored(id, Box::new(t)),
                None => Entry::Absent,
            };
            self.tests.insert(reference.to_string(), found);
        }
        Ok(match self.tests.get(reference) {
            Some(Entry::Stored(id, t)) => Some((*id, &**t)),
            _ => None,
        })
    }

    /// The row id of a test case, if it exists.
    fn test_id(&mut self, tx: &Tx<'_>, reference: &str) -> Result<Option<i64>> {
        match self.tests.get(reference) {
            Some(Entry::Written { id, .. } | Entry::Stored(id, _)) => Ok(Some(*id)),
            Some(Entry::Absent) => Ok(None),
            None => Ok(self.test(tx, reference)?.map(|(id, _)| id)),
        }
    }

    /// Records what an upsert wrote.
    fn wrote_test(&mut self, reference: &str, id: i64) {
        self.tests
            .insert(reference.to_string(), Entry::Written { id, revision: 0 });
    }

    /// Whether a test case exists (without reading it whole when not known yet).
    fn test_exists(&self, tx: &Tx<'_>, reference: &str) -> Result<bool> {
        match self.tests.get(reference) {
            Some(Entry::Absent) => Ok(false),
            Some(_) => Ok(true),
            None if self.all_tests => Ok(false),
            None => tx.exists("test_case", reference),
        }
    }

    /// Links a test to a requirement at the requirement's current revision; `false` when the
    /// link existed already. Both must exist.
    fn add_link(&mut self, tx: &mut Tx<'_>, requirement: &str, test: &str) -> Result<bool> {
        let Some((req_id, revision)) = self.requirement_key(tx, requirement)? else {
            return Err(Error::NotFound {
                kind: "exigence",
                reference: requirement.to_string(),
            });
        };
        let Some(test_id) = self.test_id(tx, test)? else {
            return Err(Error::NotFound {
                kind: "cas de test",
                reference: test.to_string(),
            });
        };
        if self
            .links
            .as_ref()
            .is_some_and(|l| l.contains(&(req_id, test_id)))
        {
            return Ok(false);
        }
        // With every stored link read, a link not in the set is new: queued for a multi-row
        // INSERT (written before anything reads links, see `apply_batch_with`).
        let added = tx.add_link_ids_known(
            (req_id, requirement, revision),
            (test_id, test),
            self.links.is_some(),
        )?;
        if let Some(l) = &mut self.links {
            l.insert((req_id, test_id));
        }
        Ok(added)
    }
}

/// A problem found while applying, worded in `lang`.
/// The history comment of a status change read from a file: the row that carried it.
fn origin_comment(origin: &Origin) -> String {
    format!("import : {origin}")
}

/// Status changes read from a file are history rows of the event `import`.
const IMPORT_MOVE: super::anomalies::MoveCause<'static> = super::anomalies::MoveCause {
    event: "import",
    execution_id: None,
    delivery_id: None,
};

pub(super) fn issue(origin: &Origin, lang: Lang, fr: String, en: String) -> ImportIssue {
    ImportIssue {
        origin: origin.clone(),
        message: match lang {
            Lang::Fr => fr,
            Lang::En => en,
        },
    }
}

impl Tx<'_> {
    /// Whether a row with this reference exists in `table` (a constant table name).
    pub(super) fn exists(&self, table: &'static str, reference: &str) -> Result<bool> {
        let sql = format!("SELECT 1 FROM {table} WHERE ref = ?1");
        Ok(self
            .conn()
            .prepare_cached(&sql)?
            .query_row([reference], |_| Ok(()))
            .optional()?
            .is_some())
    }

    /// Applies a batch. Without `partial`, any problem (in the batch or found here, such as an
    /// unknown requirement) returns `Error::Import` and the caller's transaction is rolled back.
    pub fn apply_batch(
        &mut self,
        batch: &ImportBatch,
        opts: &ApplyOptions,
    ) -> Result<ImportReport> {
        self.apply_batch_with(batch, opts, BULK_LOOKUPS)
    }

    /// [`Tx::apply_batch_inner`] with its creations audited in bulk (a few rows listing the
    /// references created, see [`Tx::begin_created_audit`]) rather than one row each.
    fn apply_batch_with(
        &mut self,
        batch: &ImportBatch,
        opts: &ApplyOptions,
        bulk_from: usize,
    ) -> Result<ImportReport> {
        let source = batch
            .sheets
            .first()
            .map(|s| s.file.clone())
            .unwrap_or_default();
        self.begin_created_audit(&source);
        // `apply_batch_inner` writes its queued links before it returns `Ok`; on error the
        // caller rolls back: nothing of this batch is kept, its audit included.
        let out = self.apply_batch_inner(batch, opts, bulk_from);
        let ended = self.end_created_audit();
        let report = out?;
        ended?;
        self.audit_import(&source, &report)?;
        Ok(report)
    }

    /// The audit row of an import: its plan and totals.
    fn audit_import(&mut self, source: &str, report: &ImportReport) -> Result<()> {
        self.audit(
            "import",
            "import",
            source,
            None,
            Some(json!({"sheets": report.sheets, "totals": report.totals,
                        "skipped_issues": report.issues.len(), "conflicts": report.conflicts.len()})),
        )?;
        Ok(())
    }

    /// [`Tx::apply_batch`], reading the store in bulk from `bulk_from` lookups of a kind on
    /// (tests compare both ways of knowing the store).
    fn apply_batch_inner(
        &mut self,
        batch: &ImportBatch,
        opts: &ApplyOptions,
        bulk_from: usize,
    ) -> Result<ImportReport> {
        let mut report = ImportReport {
            issues: batch.issues.clone(),
            ..ImportReport::default()
        };
        for s in &batch.sheets {
            report.sheets.push(sheet_plan(s));
        }
        let mut bad_rows = BadRows::default();
        for i in &batch.issues {
            mark_bad(&mut bad_rows, &i.origin);
        }
        let mut ap = Applier {
            lang: opts.lang,
            known: Known::load(self, batch, bulk_from)?,
            report,
            bad_rows,
        };
        self.apply_project_head(&mut ap, &batch.project)?;
        for r in &batch.requirements {
            self.apply_requirement(&mut ap, r)?;
        }
        for a in &batch.anomalies {
            self.apply_anomaly(&mut ap, a, opts)?;
        }
        for t in &batch.test_cases {
            self.apply_test_case(&mut ap, t)?;
        }
        self.apply_links_and_results(&mut ap, &batch.links, &batch.project, &batch.results, opts)?;
        let mut report = ap.report;
        report.drop_empty_sheets();
        if !report.issues.is_empty() && !opts.partial {
            return Err(Error::Import {
                issues: report.issues,
            });
        }
        Ok(report)
    }

    /// Upserts one requirement.
    fn apply_requirement(&mut self, ap: &mut Applier, r: &RequirementRecord) -> Result<()> {
        if is_bad(&ap.bad_rows, &r.origin) {
            ap.report.count(&r.origin, "requirements", None);
            return Ok(());
        }
        check_ref(&r.reference, "exigence")?;
        let patch = RequirementPatch {
            title: r.title.clone(),
            description: r.description.clone(),
            criticality: r.criticality,
            category: r.category.clone(),
            status: r.status,
            source: r.source.clone(),
        };
        let before = ap.known.requirement(self, &r.reference)?;
        let (change, now) = self.upsert_requirement_from(&r.reference, patch, before)?;
        if let Some((id, revision)) = now {
            ap.known.wrote_requirement(&r.reference, id, revision);
        }
        ap.report.count(&r.origin, "requirements", Some(change));
        Ok(())
    }

    /// Upserts one anomaly (its deliveries must exist).
    fn apply_anomaly(
        &mut self,
        ap: &mut Applier,
        a: &AnomalyRecord,
        opts: &ApplyOptions,
    ) -> Result<()> {
        let mut unknown = Vec::new();
        for d in [&a.found_in, &a.fixed_in].into_iter().flatten() {
            if !self.exists("delivery", d)? {
                unknown.push(issue(
                    &a.origin,
                    opts.lang,
                    format!("livraison inconnue {d}"),
                    format!("unknown delivery {d}"),
                ));
            }
        }
        if !unknown.is_empty() || is_bad(&ap.bad_rows, &a.origin) {
            ap.report.issues.extend(unknown);
            ap.report.count(&a.origin, "anomalies", None);
            return Ok(());
        }
        let change = if self.exists("anomaly", &a.reference)? {
            let patch = AnomalyPatch {
                title: a.title.clone(),
                description: a.description.clone(),
                severity: a.severity,
                status: a.status,
                found_in: a.found_in.clone(),
                fixed_in: a.fixed_in.clone(),
                assignee: None,
                // A workbook carries no comment per move: the row it came from says why.
                comment: Some(origin_comment(&a.origin)),
            };
            if let (Some(to), Some(before)) = (a.status, self.anomaly(&a.reference)?) {
                if let Err(e) = check_move(&a.reference, before.status, to, Some("import")) {
                    ap.report.issues.push(issue(
                        &a.origin,
                        opts.lang,
                        e.message(crate::i18n::Lang::Fr),
                        e.message(crate::i18n::Lang::En),
                    ));
                    ap.report.count(&a.origin, "anomalies", None);
                    return Ok(());
                }
            }
            if self.change_anomaly(&a.reference, &patch, IMPORT_MOVE)? {
                Change::Updated
            } else {
                Change::Unchanged
            }
        } else {
            let patch = AnomalyPatch {
                description: a.description.clone(),
                status: a.status,
                found_in: a.found_in.clone().or_else(|| opts.delivery.clone()),
                fixed_in: a.fixed_in.clone(),
                assignee: a.assignee.clone(),
                ..AnomalyPatch::default()
            };
            let title = a.title.clone().unwrap_or_else(|| a.reference.clone());
            self.add_anomaly(
                &a.reference,
                &title,
                a.severity.unwrap_or(Severity::Majeure),
                &patch,
            )?;
            // The dates a workbook gives (raised, closed) are the anomaly's own, not the
            // import's: its age and the indicators of a rebuilt store stay the same.
            if a.created_at.is_some() || a.closed_at.is_some() || a.reopen_count.is_some() {
                self.conn().execute(
                    "UPDATE anomaly SET created_at = COALESCE(?2, created_at),
                         closed_at = CASE WHEN closed_at IS NULL THEN NULL ELSE COALESCE(?3, closed_at) END,
                         reopen_count = COALESCE(?4, reopen_count)
                     WHERE ref = ?1",
                    params![a.reference, a.created_at, a.closed_at, a.reopen_count],
                )?;
            }
            Change::Created
        };
        ap.report.count(&a.origin, "anomalies", Some(change));
        Ok(())
    }

    /// Upserts one test case with its steps and tags, and links it to the requirements it
    /// names (which must exist).
    fn apply_test_case(&mut self, ap: &mut Applier, t: &TestCaseRecord) -> Result<()> {
        let mut unknown = false;
        for r in &t.requirement_refs {
            if ap.known.requirement_key(self, r)?.is_none() {
                unknown = true;
                ap.report.issues.push(issue(
                    &t.origin,
                    ap.lang,
                    format!("exigence inconnue {r}"),
                    format!("unknown requirement {r}"),
                ));
            }
        }
        // A refused row applies nothing: a test read over several rows (its steps, data sets,
        // tags) is refused whole when one of them is.
        if unknown || is_bad_span(&ap.bad_rows, &t.origin, t.last_row) {
            mark_bad(&mut ap.bad_rows, &t.origin);
            ap.report.count(&t.origin, "test_cases", None);
            return Ok(());
        }
        check_ref(&t.reference, "cas de test")?;
        let patch = TestCasePatch {
            title: t.title.clone(),
            objective: t.objective.clone(),
            prerequisites: t.prerequisites.clone(),
            kind: t.kind,
            automation_key: t.automation_key.clone(),
            priority: t.priority.clone(),
            category: t.category.clone(),
            active: None,
            steps: t.steps.clone(),
            tags: t.tags.clone(),
        };
        let before = ap.known.test(self, &t.reference)?;
        let (mut change, now) = self.upsert_test_case_from(&t.reference, patch, before, false)?;
        if let Some(id) = now {
            ap.known.wrote_test(&t.reference, id);
        }
        if let Some(sets) = t.datasets.as_ref().filter(|d| !d.is_empty()) {
            if self.apply_datasets(ap, t, sets)? && change == Change::Unchanged {
                change = Change::Updated;
            }
        }
        for r in &t.requirement_refs {
            if ap.known.add_link(self, r, &t.reference)? && change == Change::Unchanged {
                change = Change::Updated;
            }
        }
        ap.report.count(&t.origin, "test_cases", Some(change));
        Ok(())
    }

    /// Creates or updates the data sets read under a test (rows with data sets are few: read
    /// and written one test at a time); warns of parameters the test uses without a value.
    fn apply_datasets(
        &mut self,
        ap: &mut Applier,
        t: &TestCaseRecord,
        sets: &[crate::import::records::DatasetRecord],
    ) -> Result<bool> {
        let Some((id, tc)) = self.test_case_with_id(&t.reference)? else {
            return Ok(false);
        };
        let pairs: Vec<(String, crate::params::Values)> = sets
            .iter()
            .map(|d| (d.name.clone(), d.parameters.clone()))
            .collect();
        let changed = self.upsert_datasets(id, &t.reference, &pairs)?;
        let used = super::datasets::test_parameters(&tc);
        for d in sets {
            let missing = crate::params::missing(&used, &d.parameters);
            if !missing.is_empty() {
                let list = missing
                    .iter()
                    .map(|m| format!("${{{m}}}"))
                    .collect::<Vec<_>>()
                    .join(", ");
                ap.report.warnings.push(issue(
                    &d.origin,
                    ap.lang,
                    format!("{} [{}] : aucune valeur pour {list} (le texte reste affiché tel quel à l'exécution)", t.reference, d.name),
                    format!("{} [{}]: no value for {list} (the text is shown as written when run)", t.reference, d.name),
                ));
            }
        }
        Ok(changed)
    }

    /// Links of link sheets (and of requirement sheets' test columns), then results: what comes
    /// after every requirement and test case of the import.
    fn apply_links_and_results(
        &mut self,
        ap: &mut Applier,
        links: &[LinkRecord],
        project: &[ProjectRecord],
        results: &[ResultRecord],
        opts: &ApplyOptions,
    ) -> Result<()> {
        for l in links {
            let mut problems = Vec::new();
            if ap
                .known
                .requirement_key(self, &l.requirement_ref)?
                .is_none()
            {
                problems.push(issue(
                    &l.origin,
                    opts.lang,
                    format!("exigence inconnue {}", l.requirement_ref),
                    format!("unknown requirement {}", l.requirement_ref),
                ));
            }
            if ap.known.test_id(self, &l.test_ref)?.is_none() {
                problems.push(issue(
                    &l.origin,
                    opts.lang,
                    format!("cas de test inconnu {}", l.test_ref),
                    format!("unknown test case {}", l.test_ref),
                ));
            }
            if !problems.is_empty() || is_bad(&ap.bad_rows, &l.origin) {
                ap.report.issues.extend(problems);
                ap.report.count(&l.origin, "links", None);
                continue;
            }
            let added = ap.known.add_link(self, &l.requirement_ref, &l.test_ref)?;
            ap.report.count(
                &l.origin,
                "links",
                Some(if added {
                    Change::Created
                } else {
                    Change::Unchanged
                }),
            );
        }
        // Queued links are written before anything reads them.
        self.flush_links()?;
        self.apply_planned(ap, project)?;
        if !results.is_empty() {
            self.apply_results(results, opts, &mut ap.report, &ap.bad_rows, &ap.known)?;
        }
        Ok(())
    }

    /// Starts an import whose records arrive in chunks while the file is still being read
    /// (`recette import` of one large workbook): the store is read in bulk, as for a large
    /// batch, and creations are audited in bulk under `source` (the file).
    ///
    /// The records must be applied exactly as [`Tx::apply_batch`] would apply the whole
    /// batch, or not at all: every requirement before any test case, anomalies in between,
    /// links and results last. Chunks are applied as they come while that order holds;
    /// whenever it cannot be kept (a requirement after a test case), or anything goes wrong
    /// (an issue, an unknown reference), [`Tx::stream_chunk`] or [`Tx::stream_finish`]
    /// returns an error, the caller rolls back and imports the whole batch the usual way,
    /// which then reports exactly what it always reports.
    pub fn stream_begin(&mut self, source: &str, opts: &ApplyOptions) -> Result<StreamApply> {
        self.begin_created_audit(source);
        Ok(StreamApply {
            ap: Applier {
                lang: opts.lang,
                known: Known::load_all(self)?,
                report: ImportReport::default(),
                bad_rows: BadRows::default(),
            },
            opts: opts.clone(),
            source: source.to_string(),
            tests_started: false,
            anomalies: Vec::new(),
            links: Vec::new(),
            results: Vec::new(),
        })
    }

    /// Applies one chunk of a streamed import (see [`Tx::stream_begin`]).
    /// The chunk's requirements and test cases are left in it (the reader thread that
    /// allocated them can free them: freeing on the thread that allocated is much cheaper with
    /// the system allocator); anomalies, links and results are taken for later.
    pub fn stream_chunk(&mut self, st: &mut StreamApply, chunk: &mut ImportBatch) -> Result<()> {
        if st.tests_started && !(chunk.requirements.is_empty() && chunk.anomalies.is_empty()) {
            return Err(abandoned("exigence ou anomalie après des cas de test"));
        }
        if !chunk.project.is_empty() {
            // Deliveries, strategies, campaigns and plans come first in the whole-batch order.
            return Err(abandoned("livraisons, stratégies ou campagnes"));
        }
        for r in &chunk.requirements {
            self.apply_requirement(&mut st.ap, r)?;
        }
        st.anomalies.append(&mut chunk.anomalies);
        if !chunk.test_cases.is_empty() {
            self.stream_start_tests(st)?;
            for t in &chunk.test_cases {
                self.apply_test_case(&mut st.ap, t)?;
            }
        }
        st.links.append(&mut chunk.links);
        st.results.append(&mut chunk.results);
        if !chunk.issues.is_empty() || !st.ap.report.issues.is_empty() {
            return Err(abandoned("problèmes trouvés"));
        }
        Ok(())
    }

    /// Anomalies are applied once every requirement is, before the first test case.
    fn stream_start_tests(&mut self, st: &mut StreamApply) -> Result<()> {
        if !st.tests_started {
            st.tests_started = true;
            for a in std::mem::take(&mut st.anomalies) {
                self.apply_anomaly(&mut st.ap, &a, &st.opts)?;
            }
        }
        Ok(())
    }

    /// Ends a streamed import with what the reader returned last (the sheets read, the issues
    /// found, any records not handed over yet) and returns the same report as
    /// [`Tx::apply_batch`] on the whole batch.
    pub fn stream_finish(
        &mut self,
        mut st: StreamApply,
        mut rest: ImportBatch,
    ) -> Result<ImportReport> {
        if !rest.issues.is_empty() {
            return Err(abandoned("problèmes trouvés"));
        }
        let recognised = rest.sheets.iter().any(|s| s.kind != "ignored");
        if !recognised {
            return Err(abandoned("aucune donnée reconnue"));
        }
        if rest.sheets.first().is_none_or(|s| s.file != st.source) {
            return Err(abandoned("source différente"));
        }
        let sheets = std::mem::take(&mut rest.sheets);
        self.stream_chunk(&mut st, &mut rest)?;
        self.stream_start_tests(&mut st)?;
        let (links, results) = (
            std::mem::take(&mut st.links),
            std::mem::take(&mut st.results),
        );
        self.apply_links_and_results(&mut st.ap, &links, &[], &results, &st.opts)?;
        if !st.ap.report.issues.is_empty() {
            return Err(abandoned("problèmes trouvés"));
        }
        // The plan lists sheets as `apply_batch` does: those read, in order, then any other
        // (file, sheet, kind) counted (links read from a requirement sheet).
        let mut counted = std::mem::take(&mut st.ap.report.sheets);
        let mut report = st.ap.report;
        for s in &sheets {
            let mut plan = sheet_plan(s);
            if let Some(i) = counted
                .iter()
                .position(|c| c.kind == s.kind && c.sheet == s.sheet && c.file == s.file)
            {
                plan.counts = counted.remove(i).counts;
            }
            report.sheets.push(plan);
        }
        report.sheets.extend(counted);
        report.drop_empty_sheets();
        self.end_created_audit()?;
        self.audit_import(&st.source, &report)?;
        Ok(report)
    }

    /// The campaign that receives imported results: the one given, the one named in the file,
    /// or one created for the delivery (`IMPORT-<delivery>`).
    pub fn campaign_for_results(
        &mut self,
        opts: &ApplyOptions,
        named: Option<&str>,
    ) -> Result<String> {
        if let Some(c) = opts.campaign.as_deref().or(named) {
            if !self.exists("campaign", c)? {
                return Err(Error::NotFound {
                    kind: "campagne",
                    reference: c.to_string(),
                });
            }
            return Ok(c.to_string());
        }
        let Some(d) = &opts.delivery else {
            return Err(Error::input(
                "ce fichier contient des résultats : précisez la campagne (--campaign) ou la livraison testée (--delivery)",
                "this file holds results: give the campaign (--campaign) or the delivery under test (--delivery)",
            ));
        };
        let reference = format!("IMPORT-{d}");
        if !self.exists("campaign", &reference)? {
            self.add_campaign(
                &reference,
                &NewCampaign {
                    title: format!("Résultats importés — livraison {d}"),
                    delivery: Some(d.clone()),
                    strategy: None,
                    phase: Phase::Vabf,
                    start_date: None,
                    end_date: None,
                },
            )?;
        }
        Ok(reference)
    }

    fn apply_results(
        &mut self,
        results: &[ResultRecord],
        opts: &ApplyOptions,
        report: &mut ImportReport,
        bad_rows: &BadRows,
        known: &Known,
    ) -> Result<()> {
        // Group per campaign so a sheet naming its campaign (offline sheets) lands there.
        let mut campaigns: BTreeMap<Option<String>, String> = BTreeMap::new();
        for r in results {
            if is_bad(bad_rows, &r.origin) {
                report.count(&r.origin, "results", None);
                continue;
            }
            let campaign = match campaigns.get(&r.campaign_ref) {
                Some(c) => c.clone(),
                None => match self.campaign_for_results(opts, r.campaign_ref.as_deref()) {
                    Ok(c) => {
                        campaigns.insert(r.campaign_ref.clone(), c.clone());
                        c
                    }
                    // A campaign named in the sheet but absent from the store is a problem of
                    // that row (and of every row naming it), reported with its cell.
                    Err(Error::NotFound { reference, .. })
                        if opts.campaign.is_none()
                            && r.campaign_ref.as_deref() == Some(reference.as_str()) =>
                    {
                        report.issues.push(issue(
                            &r.origin,
                            opts.lang,
                            format!("campagne inconnue {reference} : créez-la d'abord (recette campaign create {reference})"),
                            format!("unknown campaign {reference}: create it first (recette campaign create {reference})"),
                        ));
                        report.count(&r.origin, "results", None);
                        continue;
                    }
                    Err(e) => return Err(e),
                },
            };
            report.campaign = Some(campaign.clone());
            if !report.campaigns.contains(&campaign) {
                report.campaigns.push(campaign.clone());
            }
            if !known.test_exists(self, &r.test_ref)? {
                report.issues.push(issue(
                    &r.origin,
                    opts.lang,
                    format!("cas de test inconnu {}", r.test_ref),
                    format!("unknown test case {}", r.test_ref),
                ));
                report.count(&r.origin, "results", None);
                continue;
            }
            let dataset = r.dataset.clone().unwrap_or_default();
            let mut latest = self.latest_execution(&campaign, &r.test_ref, &dataset, None)?;
            if let Some(n) = r.attempt {
                // A project workbook lists every attempt: the store's attempt of that number,
                // when it has one, is what the row must be compared with.
                let label = crate::entities::item_label(&r.test_ref, r.dataset.as_deref());
                match self.latest_execution(&campaign, &r.test_ref, &dataset, Some(i64::from(n)))? {
                    Some(stored) => {
                        let same = r.status == Some(stored.1)
                            && r.tester.as_ref().is_none_or(|t| *t == stored.2)
                            && r.executed_at.as_ref().is_none_or(|d| *d == stored.3)
                            && r.comment.clone().unwrap_or_default() == stored.4;
                        if !same {
                            report.conflicts.push(issue(
                                &r.origin,
                                opts.lang,
                                format!("conflit : la tentative {n} de {label} dans la campagne {campaign} n'est pas celle de la feuille ; ligne non appliquée"),
                                format!("conflict: attempt {n} of {label} in campaign {campaign} is not the sheet's; row not applied"),
                            ));
                            report.count(&r.origin, "results", None);
                        } else {
                            report.count(&r.origin, "results", Some(Change::Unchanged));
                        }
                        continue;
                    }
                    None => {
                        let next = latest.as_ref().map_or(1, |l| l.0 + 1);
                        if next != i64::from(n) {
                            report.warnings.push(issue(
                                &r.origin,
                                opts.lang,
                                format!("{label} : tentative {n} de la feuille enregistrée comme tentative {next} (la campagne {campaign} en a {})", next - 1),
                                format!("{label}: the sheet's attempt {n} recorded as attempt {next} (campaign {campaign} has {})", next - 1),
                            ));
                        }
                        // Never the same as the latest: it is a new attempt.
                        latest = None;
                    }
                }
            }
            if let (Some(base), Some((attempt, ..))) = (r.base_attempt, &latest) {
                if i64::from(base) < *attempt {
                    report.conflicts.push(issue(
                        &r.origin,
                        opts.lang,
                        format!(
                            "conflit : {} a été enregistré dans la campagne {campaign} après l'export de la feuille (essai {attempt}) ; ligne non appliquée",
                            r.test_ref
                        ),
                        format!(
                            "conflict: {} was recorded in campaign {campaign} after the sheet was exported (attempt {attempt}); row not applied",
                            r.test_ref
                        ),
                    ));
                    report.count(&r.origin, "results", None);
                    continue;
                }
            }
            if let Some(sheet) = &r.assignee {
                let stored: Option<String> = self
                    .conn()
                    .prepare_cached(
                        "SELECT ct.assignee FROM campaign_test ct JOIN campaign c ON c.id = ct.campaign_id
                         JOIN test_case t ON t.id = ct.test_id
                         WHERE c.ref = ?1 AND t.ref = ?2 AND ct.dataset = ?3",
                    )?
                    .query_row(params![campaign, r.test_ref, dataset], |row| row.get(0))
                    .optional()?;
                if let Some(stored) = stored.filter(|s| s != sheet) {
                    let label = crate::entities::item_label(&r.test_ref, Some(&dataset));
                    report.warnings.push(issue(
                        &r.origin,
                        opts.lang,
                        format!("{label} : la feuille l'attribue à « {sheet} », la campagne à « {stored} » ; l'affectation n'est pas modifiée par l'import (recette campaign assign)"),
                        format!("{label}: the sheet assigns it to \"{sheet}\", the campaign to \"{stored}\"; the import does not change assignments (recette campaign assign)"),
                    ));
                }
            }
            let comment = r.comment.clone().unwrap_or_default();
            if let Some((_, status, tester, at, c)) = &latest {
                let same = r.status == Some(*status)
                    && r.tester.as_ref().is_none_or(|t| t == tester)
                    && r.executed_at.as_ref().is_none_or(|d| d == at)
                    && c == &comment;
                if same {
                    report.count(&r.origin, "results", Some(Change::Unchanged));
                    continue;
                }
            }
            if r.status == Some(ExecStatus::NotRun)
                && latest.is_none()
                && r.tester.is_none()
                && r.comment.is_none()
            {
                // An empty row of an offline sheet: nothing was run.
                report.count(&r.origin, "results", Some(Change::Unchanged));
                continue;
            }
            let mut anomalies = Vec::new();
            for a in &r.anomaly_refs {
                if !self.exists("anomaly", a)? {
                    // Created so the result can reference it; its title says where it came
                    // from so that someone completes it, and the plan counts it.
                    let title = format!("{a} (créée à l'import : {})", r.origin);
                    let patch = AnomalyPatch {
                        found_in: opts.delivery.clone(),
                        description: Some(comment.clone()),
                        ..AnomalyPatch::default()
                    };
                    self.add_anomaly(a, &title, Severity::Majeure, &patch)?;
                    report.count(&r.origin, "anomalies", Some(Change::Created));
                }
                anomalies.push(a.clone());
            }
            // Results typed in a vendor's workbook are imported as they are, a date in the
            // future flagged; an offline sheet (filled in recette's own sheet) is checked.
            let vendor = r.base_attempt.is_none();
            if let Some(at) = r
                .executed_at
                .as_deref()
                .filter(|at| vendor && crate::execution::is_in_future(at, self.now()))
            {
                report.warnings.push(issue(
                    &r.origin,
                    opts.lang,
                    format!("{} : date d'exécution {at} dans le futur (maintenant : {}) ; importée telle quelle", r.test_ref, self.now()),
                    format!("{}: execution date {at} is in the future (now: {}); imported as it is", r.test_ref, self.now()),
                ));
            }
            let run = RunInput {
                allow_future_date: vendor,
                dataset: r.dataset.clone(),
                status: r.status,
                steps: r
                    .step_results
                    .iter()
                    .map(|s| StepInput {
                        index: s.step,
                        status: s.status,
                        actual: s.actual.clone(),
                    })
                    .collect(),
                based_on: None,
                comment,
                evidence: Vec::new(),
                anomalies,
                tester: r.tester.clone(),
                executed_at: r.executed_at.clone(),
                duration_ms: None,
                source: if r.base_attempt.is_some() {
                    "sheet".into()
                } else {
                    "import".into()
                },
                add_if_missing: true,
            };
            match self.record_execution(&campaign, &r.test_ref, &run) {
                Ok(_) => report.count(&r.origin, "results", Some(Change::Created)),
                Err(Error::Input { fr, en }) => {
                    report.issues.push(issue(&r.origin, opts.lang, fr, en));
                    report.count(&r.origin, "results", None);
                }
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    /// Latest execution of a test (and data set, `""` for none) in a campaign, or its attempt
    /// `attempt`: (attempt, status, tester, executed_at, comment).
    fn latest_execution(
        &self,
        campaign: &str,
        test: &str,
        dataset: &str,
        attempt: Option<i64>,
    ) -> Result<Option<LatestExecution>> {
        let row = self
            .conn()
            .prepare_cached(
                "SELECT e.attempt, e.status, e.tester, e.executed_at, e.comment
                 FROM execution e JOIN campaign c ON c.id = e.campaign_id
                 JOIN test_case t ON t.id = e.test_id
                 WHERE c.ref = ?1 AND t.ref = ?2 AND e.dataset = ?3
                   AND (?4 IS NULL OR e.attempt = ?4)
                 ORDER BY e.attempt DESC LIMIT 1",
            )?
            .query_row(params![campaign, test, dataset, attempt], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                ))
            })
            .optional()?;
        Ok(match row {
            Some((a, s, t, d, c)) => Some((a, super::decode(&s, ExecStatus::from_code)?, t, d, c)),
            None => None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::records::{LinkRecord, RequirementRecord, TestCaseRecord};
    use crate::model::{Criticality, Step};
    use crate::store::{AuditFilter, Context, Store};

    fn origin(row: u64) -> Origin {
        Origin::file("cahier.xlsx")
            .with_sheet("Feuille")
            .with_row(row)
    }

    fn requirement(i: usize, title: &str) -> RequirementRecord {
        RequirementRecord {
            origin: origin(i as u64),
            reference: format!("EXI-{i:04}"),
            title: Some(title.to_string()),
            description: Some(format!("Description {i}")),
            criticality: Some(if i.is_multiple_of(2) {
                Criticality::Critique
            } else {
                Criticality::Mineure
            }),
            ..RequirementRecord::default()
        }
    }

    fn test_case(i: usize, action: &str, reqs: &[usize]) -> TestCaseRecord {
        TestCaseRecord {
            origin: origin(1000 + i as u64),
            reference: format!("CT-{i:04}"),
            title: Some(format!("Scénario {i}")),
            steps: Some(vec![
                Step {
                    action: action.to_string(),
                    expected: "OK".into(),
                },
                Step {
                    action: format!("Étape 2 de {i}"),
                    expected: String::new(),
                },
            ]),
            tags: Some(vec![" b ".into(), "a".into(), "b".into()]),
            requirement_refs: reqs.iter().map(|r| format!("EXI-{r:04}")).collect(),
            ..TestCaseRecord::default()
        }
    }

    /// A first import, then a second one that updates some rows (new revisions, so suspect
    /// links), repeats references, adds links and leaves the rest unchanged.
    fn batches() -> (ImportBatch, ImportBatch) {
        let first = ImportBatch {
            requirements: (0..300).map(|i| requirement(i, "Titre")).collect(),
            test_cases: (0..300)
                .map(|i| test_case(i, "Ouvrir", &[i, (i + 1) % 300]))
                .collect(),
            ..ImportBatch::default()
        };
        let mut second = first.clone();
        for i in (0..300).step_by(7) {
            second.requirements[i].title = Some("Titre révisé".into());
        }
        // The same requirement twice in one batch: the second sees the first's write.
        second
            .requirements
            .push(requirement(3, "Titre encore révisé"));
        second.requirements.push(requirement(400, "Nouvelle"));
        for i in (0..300).step_by(11) {
            second.test_cases[i] = test_case(i, "Ouvrir autrement", &[i, 400]);
        }
        second.test_cases.push(test_case(5, "Ouvrir encore", &[5]));
        second.test_cases.push(test_case(500, "Nouveau", &[400, 3]));
        second.links = vec![
            LinkRecord {
                origin: origin(2000),
                requirement_ref: "EXI-0010".into(),
                test_ref: "CT-0500".into(),
            },
            LinkRecord {
                origin: origin(2001),
                requirement_ref: "EXI-0400".into(),
                test_ref: "CT-0500".into(),
            },
        ];
        (first, second)
    }

    /// Everything an import leaves behind, comparable across stores.
    fn state(store: &Store) -> String {
        let audit: Vec<_> = store
            .audit_log(&AuditFilter::default())
            .unwrap_or_default()
            .into_iter()
            .map(|a| (a.action, a.entity, a.reference, a.before, a.after))
            .collect();
        format!(
            "{:?}\n{:?}\n{:?}\n{:?}",
            store.requirements().ok(),
            store.test_cases().ok(),
            store.links().ok(),
            audit
        )
    }

    #[test]
    fn bulk_and_row_by_row_lookups_give_the_same_store_and_plans() -> Result<()> {
        let (first, second) = batches();
        let dir = tempfile::tempdir().map_err(|e| Error::Other(e.to_string()))?;
        let mut runs = Vec::new();
        for bulk_from in [0, usize::MAX] {
            let ctx = Context {
                actor: "test".into(),
                fixed_now: Some("2026-03-15T09:00:00Z".into()),
            };
            let path = dir.path().join(format!("{bulk_from}.db"));
            let mut store = Store::init(&path, ctx, "p")?;
            let opts = ApplyOptions::default();
            let mut plans = Vec::new();
            for batch in [&first, &second, &second] {
                let report =
                    store.write("import", |tx| tx.apply_batch_with(batch, &opts, bulk_from))?;
                plans
                    .push(serde_json::to_string(&report).map_err(|e| Error::Other(e.to_string()))?);
            }
            runs.push((plans, state(&store)));
        }
        assert_eq!(runs[0].0, runs[1].0);
        assert_eq!(runs[0].1, runs[1].1);
        let plans = &runs[0].0;
        assert!(plans[1].contains("\"updated\":"), "{}", plans[1]);
        // Re-importing the same file changes nothing.
        assert!(
            plans[2].contains("\"created\":0,\"updated\":0"),
            "{}",
            plans[2]
        );
        assert!(runs[0].1.contains("Titre encore révisé"));
        Ok(())
    }
}
