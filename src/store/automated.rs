//! Persisting automated results (JUnit, Robot...) inside the import's single transaction. Each
//! file makes one execution per test case it touched, created at the test's first result and
//! attached to every result of it; when the file is complete the execution takes the worst
//! status of its results (order: failed > blocked > in_progress > not_run > passed >
//! not_applicable, see `ExecStatus::severity_rank`).
//!
//! New rows are not written one statement each: the import holds the transaction's write lock
//! (IMMEDIATE), so no other writer exists and the ids of new test cases and executions are
//! handed out here (from the tables' largest ids, as SQLite would). The rows of the last
//! `RESULT_BATCH` results (test cases, tags, links, campaign selections, executions, results)
//! wait in bounded buffers and are written together, parents first, by multi-row INSERTs.
//! Lookups see the waiting rows through small maps that are emptied at each write.
//!
//! Memory stays bounded whatever the file size: nothing is kept per result or per test case
//! beyond the last `RESULT_BATCH` results; every other lookup (automation key, test reference,
//! requirement) is an indexed query.

use std::collections::HashMap;

use rusqlite::{params, OptionalExtension};
use serde_json::json;

use super::multi::MultiInsert;
use super::requirements::check_ref;
use super::{decode, id_of, Store, Tx};
use crate::entities::StoredResult;
use crate::error::Result;
use crate::import::records::AutomatedResult;
use crate::model::ExecStatus;

/// SQL expression ranking a status column like `ExecStatus::severity_rank`.
const RANK: &str =
    "CASE status WHEN 'failed' THEN 5 WHEN 'blocked' THEN 4 WHEN 'in_progress' THEN 3
     WHEN 'not_run' THEN 2 WHEN 'passed' THEN 1 ELSE 0 END";

/// The state of one result file being imported.
#[derive(Debug, Clone)]
pub struct ResultFileImport {
    id: i64,
    campaign_id: i64,
    format: String,
    /// Largest execution id before this file: executions above it were made by this file.
    before: i64,
    /// Id of the next test case this file creates.
    next_test_id: i64,
    /// Id of the next execution this file makes.
    next_execution_id: i64,
    /// Next position for tests added to the campaign by this file.
    next_position: i64,
    /// File name (audit rows).
    file_name: String,
    /// Executions of this file that got a second result since their last recompute: their
    /// status, start, duration and comment are recomputed from their results in batches (at
    /// most `DIRTY_BATCH` ids held).
    dirty: Vec<i64>,
    /// Rows not yet written (those of at most `RESULT_BATCH` results).
    pending: Pending,
    /// References of the test cases created since the last audit row (at most `AUDIT_BATCH`).
    created: Vec<String>,
    /// Audit rows written for created tests.
    audit_parts: u64,
    /// Totals for the file's audit row.
    created_total: u64,
    links_total: u64,
}

/// Rows made by the latest results of a file, not yet written, and what lookups need to know
/// of them. Written (parents first) and emptied every `RESULT_BATCH` results, before any
/// recomputation or new link of a test case they hold, and when the file is complete.
#[derive(Debug, Clone, Default)]
struct Pending {
    tests: Vec<PendingTest>,
    /// (test id, tag).
    tags: Vec<(i64, String)>,
    /// (requirement id, test id, requirement revision).
    links: Vec<(i64, i64, i64)>,
    /// Tests added to the campaign: (test id, position).
    campaign_tests: Vec<(i64, i64)>,
    executions: Vec<PendingExecution>,
    results: Vec<PendingResult>,
    /// Automation key -> id of the pending test cases.
    by_key: HashMap<String, i64>,
    /// Reference -> id of the pending test cases.
    by_ref: HashMap<String, i64>,
    /// Test id -> this file's pending execution of it.
    execution_of: HashMap<i64, i64>,
}

/// An automated test case waiting for its INSERT.
#[derive(Debug, Clone)]
struct PendingTest {
    id: i64,
    reference: String,
    title: String,
    objective: String,
    automation_key: String,
    category: String,
}

/// An execution waiting for its INSERT.
#[derive(Debug, Clone)]
struct PendingExecution {
    id: i64,
    test_id: i64,
    attempt: i64,
    status: &'static str,
    executed_at: String,
    comment: String,
    duration_ms: Option<f64>,
}

/// An automated result waiting for its multi-row INSERT.
#[derive(Debug, Clone)]
struct PendingResult {
    execution_id: Option<i64>,
    test_id: Option<i64>,
    r: AutomatedResult,
}

/// Results whose rows are written together (and rows per full multi-row INSERT).
const RESULT_BATCH: usize = super::multi::ROWS;
/// Tags or links that make the pending rows written early (a few results with many of them).
const ROWS_MAX: usize = 16 * RESULT_BATCH;
// Test cases: without an explicit id (SQLite gives the next one, checked) and OR FAIL, so
// that the statement needs no statement journal (a multi-row INSERT that may abort halfway
// copies every page it changes first; the `ref` index is written at random places). Any
// error fails the whole import anyway. Tables with foreign keys need the journal whatever.
static TEST_CASES: MultiInsert = MultiInsert::new(
    "INSERT OR FAIL INTO test_case(ref, title, objective, prerequisites, kind, automation_key,
         priority, category, active, created_at, updated_at) VALUES ",
    "(?,?,?,'','automated',?,'',?,1,?,?)",
);
static TAGS: MultiInsert = MultiInsert::new("INSERT INTO test_tag(test_id, tag) VALUES ", "(?,?)");
static LINKS: MultiInsert = MultiInsert::new(
    "INSERT OR IGNORE INTO link(requirement_id, test_id, requirement_revision, created_at)
     VALUES ",
    "(?,?,?,?)",
);
static CAMPAIGN_TESTS: MultiInsert = MultiInsert::new(
    "INSERT INTO campaign_test(campaign_id, test_id, position, reason) VALUES ",
    "(?,?,?,'import')",
);
// Automated results run the test as a whole (no data set), against its current version.
static EXECUTIONS: MultiInsert = MultiInsert::new(
    "INSERT INTO execution(id, campaign_id, test_id, attempt, status, tester, executed_at,
         comment, duration_ms, source, test_version) VALUES ",
    "(?,?,?,?,?,?,?,?,?,?,(SELECT version FROM test_case WHERE id = ?))",
);
static RESULTS: MultiInsert = MultiInsert::new(
    "INSERT INTO automated_result(import_id, execution_id, test_id, status, duration_ms,
         start_time, format, source_file, suite_path, classname, name, message, failure_text,
         stdout, properties, retries, flaky) VALUES ",
    "(?,?,?,?,?,?,?,'',?,?,?,?,?,?,?,?,?)",
);

/// Executions recomputed per batch.
const DIRTY_BATCH: usize = 4096;
/// Created test references listed per audit row.
const AUDIT_BATCH: usize = 1000;

/// An automated test case made by a result import.
#[derive(Debug, Clone)]
pub struct NewAutomatedTest<'a> {
    pub reference: &'a str,
    pub title: &'a str,
    pub objective: &'a str,
    pub automation_key: &'a str,
    pub category: &'a str,
    pub tags: &'a [String],
}

/// Which stored automated results to list.
#[derive(Debug, Clone, Default)]
pub struct ResultFilter {
    /// Only the results of this test case.
    pub test: Option<String>,
    /// Only results with this status.
    pub status: Option<ExecStatus>,
    /// Only results that matched no test case.
    pub unmatched: bool,
}

impl Tx<'_> {
    /// Id of a campaign (an unknown campaign is an error).
    pub fn campaign_id(&self, campaign: &str) -> Result<i64> {
        id_of(self.conn(), "campaign", "campagne", campaign)
    }

    /// Id of a test case.
    pub fn test_case_id(&self, reference: &str) -> Result<i64> {
        id_of(self.conn(), "test_case", "cas de test", reference)
    }

    /// Id of a test case, `None` when there is none with this reference.
    pub fn find_test_case(&self, reference: &str) -> Result<Option<i64>> {
        Ok(self
            .conn()
            .prepare_cached("SELECT id FROM test_case WHERE ref = ?1")?
            .query_row([reference], |r| r.get(0))
            .optional()?)
    }

    /// The test case whose automation key is exactly `key` (the smallest reference when
    /// several share it): id and reference.
    pub fn find_by_automation_key(&self, key: &str) -> Result<Option<(i64, String)>> {
        if key.is_empty() {
            return Ok(None);
        }
        // No ORDER BY ... LIMIT: with it SQLite re-prepares the statement at every new key.
        let mut stmt = self
            .conn()
            .prepare_cached("SELECT id, ref FROM test_case WHERE automation_key = ?1")?;
        let mut best: Option<(i64, String)> = None;
        let rows = stmt.query_map([key], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?;
        for row in rows {
            let (id, reference) = row?;
            if best.as_ref().is_none_or(|(_, b)| reference < *b) {
                best = Some((id, reference));
            }
        }
        Ok(best)
    }

    /// Automation keys that are glob patterns (`*`, `?`, `[`), with their test reference, by
    /// reference. Test cases created by result imports (`AUTO-...`) have literal keys and are
    /// left out.
    pub fn automation_globs(&self) -> Result<Vec<(String, String)>> {
        let mut stmt = self.conn().prepare(
            "SELECT ref, automation_key FROM test_case
             WHERE ref NOT LIKE 'AUTO-%' AND (instr(automation_key, '*') > 0
                OR instr(automation_key, '?') > 0 OR instr(automation_key, '[') > 0)
             ORDER BY ref",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Id and current revision of a requirement, `None` when there is none.
    pub fn find_requirement(&self, reference: &str) -> Result<Option<(i64, i64)>> {
        Ok(self
            .conn()
            .prepare_cached("SELECT id, revision FROM requirement WHERE ref = ?1")?
            .query_row([reference], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?)
    }

    /// The test case of an import with this reference: one created by the file and not
    /// written yet, or one in the store.
    pub fn find_result_test(
        &self,
        file: &ResultFileImport,
        reference: &str,
    ) -> Result<Option<i64>> {
        if let Some(id) = file.pending.by_ref.get(reference) {
            return Ok(Some(*id));
        }
        self.find_test_case(reference)
    }

    /// Id of the test case of an import with this exact automation key (see
    /// [`Tx::find_by_automation_key`]): a test case created by the file and not written yet
    /// is the only one with its key (it was created because no test case had it).
    pub fn find_result_test_by_key(
        &self,
        file: &ResultFileImport,
        key: &str,
    ) -> Result<Option<i64>> {
        if let Some(id) = file.pending.by_key.get(key) {
            return Ok(Some(*id));
        }
        Ok(self.find_by_automation_key(key)?.map(|(id, _)| id))
    }

    /// Creates the automated test case of a result (its reference must be new), linked to
    /// `requirements` (existing ones, as `(ref, id, revision)`). Returns the test's id. Its
    /// rows are written with those of the next results (see [`Pending`]).
    ///
    /// Audit: the test is listed (by reference) in the audit rows of its result file, written
    /// every `AUDIT_BATCH` created tests and when the file is complete (see
    /// `finish_result_file`), instead of one audit row per test.
    pub fn create_automated_test(
        &mut self,
        file: &mut ResultFileImport,
        new: &NewAutomatedTest<'_>,
        requirements: &[(String, i64, i64)],
    ) -> Result<i64> {
        check_ref(new.reference, "cas de test")?;
        let id = file.next_test_id;
        file.next_test_id += 1;
        let pending = &mut file.pending;
        pending.tests.push(PendingTest {
            id,
            reference: new.reference.to_string(),
            title: new.title.to_string(),
            objective: new.objective.to_string(),
            automation_key: new.automation_key.to_string(),
            category: new.category.to_string(),
        });
        pending.by_ref.insert(new.reference.to_string(), id);
        // The test was created because no test case had this key (an empty key is never
        // looked up).
        if !new.automation_key.is_empty() {
            pending.by_key.insert(new.automation_key.to_string(), id);
        }
        if !new.tags.is_empty() {
            let mut tags: Vec<&str> = new
                .tags
                .iter()
                .map(|t| t.trim())
                .filter(|t| !t.is_empty())
                .collect();
            tags.sort_unstable();
            tags.dedup();
            pending
                .tags
                .extend(tags.into_iter().map(|t| (id, t.to_string())));
        }
        pending.links.extend(
            requirements
                .iter()
                .map(|(_, req_id, revision)| (*req_id, id, *revision)),
        );
        file.created.push(new.reference.to_string());
        file.created_total += 1;
        file.links_total += requirements.len() as u64;
        if file.created.len() >= AUDIT_BATCH {
            self.audit_created(file)?;
        }
        Ok(id)
    }

    /// Links an existing automated test case (`test`: id, reference) to requirements (as
    /// `(ref, id, current revision)`); links that exist are left as they are. Each new link
    /// has its audit row. Returns the number of links made.
    pub fn link_result_test(
        &mut self,
        file: &mut ResultFileImport,
        (test_id, test): (i64, &str),
        requirements: &[(String, i64, i64)],
    ) -> Result<u64> {
        if requirements.is_empty() {
            return Ok(0);
        }
        // A test created by this file and not written yet: write it (and its links) first.
        if file.pending.by_ref.contains_key(test) {
            self.flush_pending(file)?;
        }
        let mut added = 0;
        for (requirement, req_id, revision) in requirements {
            if self.add_link_ids((*req_id, requirement, *revision), (test_id, test))? {
                added += 1;
            }
        }
        Ok(added)
    }

    /// Notes links added to an existing automated test (for the file's audit row).
    pub fn note_links(&mut self, file: &mut ResultFileImport, links: u64) {
        file.links_total += links;
    }

    /// Writes the audit row listing the tests created since the previous one.
    fn audit_created(&mut self, file: &mut ResultFileImport) -> Result<()> {
        if file.created.is_empty() {
            return Ok(());
        }
        file.audit_parts += 1;
        let tests = std::mem::take(&mut file.created);
        let after = json!({
            "file": file.file_name,
            "part": file.audit_parts,
            "kind": "automated",
            "objective": crate::import::automated::AUTO_OBJECTIVE,
            "tests": tests,
        });
        self.audit("create", "cas de test", &file.file_name, None, Some(after))
    }

    /// The name under which a file with this content was already imported into the campaign.
    pub fn result_file_imported(&self, campaign: &str, sha256: &str) -> Result<Option<String>> {
        let cid = id_of(self.conn(), "campaign", "campagne", campaign)?;
        Ok(self
            .conn()
            .query_row(
                "SELECT file_name FROM result_import WHERE campaign_id = ?1 AND sha256 = ?2",
                params![cid, sha256],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Starts the import of one result file.
    pub fn begin_result_file(
        &mut self,
        campaign: &str,
        sha256: &str,
        file_name: &str,
        format: &str,
    ) -> Result<ResultFileImport> {
        let cid = id_of(self.conn(), "campaign", "campagne", campaign)?;
        let now = self.now().to_string();
        self.conn().execute(
            "INSERT INTO result_import(campaign_id, sha256, file_name, format, imported_at)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![cid, sha256, file_name, format, now],
        )?;
        let id = self.conn().last_insert_rowid();
        // The import holds the write lock: new rows get the ids SQLite would give them (one
        // more than the largest).
        let before: i64 =
            self.conn()
                .query_row("SELECT COALESCE(MAX(id), 0) FROM execution", [], |r| {
                    r.get(0)
                })?;
        let last_test: i64 =
            self.conn()
                .query_row("SELECT COALESCE(MAX(id), 0) FROM test_case", [], |r| {
                    r.get(0)
                })?;
        let last_position: i64 = self.conn().query_row(
            "SELECT COALESCE(MAX(position), 0) FROM campaign_test WHERE campaign_id = ?1",
            [cid],
            |r| r.get(0),
        )?;
        Ok(ResultFileImport {
            id,
            campaign_id: cid,
            format: format.to_string(),
            before,
            next_test_id: last_test + 1,
            next_execution_id: before + 1,
            next_position: last_position + 1,
            file_name: file_name.to_string(),
            dirty: Vec::new(),
            pending: Pending::default(),
            created: Vec::new(),
            audit_parts: 0,
            created_total: 0,
            links_total: 0,
        })
    }

    /// Records one automated result of a file, attached to a test case (or to none when it
    /// matched nothing: it is kept for the record but makes no execution). The test's
    /// execution for this file is made at its first result (and the test added to the
    /// campaign when it was not selected). `fresh`: the test was just created by this result
    /// (it has no execution yet). The rows are written every `RESULT_BATCH` results; the rest
    /// by `finish_result_file`.
    pub fn add_automated_result(
        &mut self,
        file: &mut ResultFileImport,
        test_id: Option<i64>,
        fresh: bool,
        r: AutomatedResult,
    ) -> Result<()> {
        let execution_id = match test_id {
            Some(t) => Some(self.file_execution(file, t, fresh, &r)?),
            None => None,
        };
        let pending = &mut file.pending;
        pending.results.push(PendingResult {
            execution_id,
            test_id,
            r,
        });
        if pending.results.len() >= RESULT_BATCH
            || pending.tags.len() >= ROWS_MAX
            || pending.links.len() >= ROWS_MAX
        {
            self.flush_pending(file)?;
        }
        if file.dirty.len() >= DIRTY_BATCH {
            self.recompute_dirty(file)?;
        }
        Ok(())
    }

    /// Writes the pending rows, parents first (test cases, their tags and links, campaign
    /// selections, executions, automated results), and forgets them.
    fn flush_pending(&mut self, file: &mut ResultFileImport) -> Result<()> {
        let conn = self.conn();
        let now = self.now();
        let p = &mut file.pending;
        TEST_CASES.write_ids(
            conn,
            &p.tests,
            |b, t| {
                b.put(&t.reference)?;
                b.put(&t.title)?;
                b.put(&t.objective)?;
                b.put(&t.automation_key)?;
                b.put(&t.category)?;
                b.put(now)?;
                b.put(now)
            },
            |t| Some(t.id),
        )?;
        TAGS.write(conn, &p.tags, |b, (test, tag)| {
            b.put(test)?;
            b.put(tag)
        })?;
        LINKS.write(conn, &p.links, |b, (req, test, revision)| {
            b.put(req)?;
            b.put(test)?;
            b.put(revision)?;
            b.put(now)
        })?;
        let campaign = file.campaign_id;
        CAMPAIGN_TESTS.write(conn, &p.campaign_tests, |b, (test, position)| {
            b.put(&campaign)?;
            b.put(test)?;
            b.put(position)
        })?;
        let format = file.format.as_str();
        EXECUTIONS.write(conn, &p.executions, |b, e| {
            b.put(&e.id)?;
            b.put(&campaign)?;
            b.put(&e.test_id)?;
            b.put(&e.attempt)?;
            b.put(e.status)?;
            b.put(format)?;
            b.put(&e.executed_at)?;
            b.put(&e.comment)?;
            b.put(&e.duration_ms)?;
            b.put(format)?;
            b.put(&e.test_id)
        })?;
        let import = file.id;
        RESULTS.write(conn, &p.results, |b, p| {
            let r = &p.r;
            // Properties (and tags) as JSON; most results have few, an empty list is '[]'.
            let properties = if r.properties.is_empty() {
                "[]".to_string()
            } else {
                serde_json::to_string(&r.properties).unwrap_or_else(|_| "[]".into())
            };
            b.put(&import)?;
            b.put(&p.execution_id)?;
            b.put(&p.test_id)?;
            b.put(r.status.code())?;
            b.put(&r.duration_ms)?;
            b.put(&r.start_time)?;
            b.put(&r.format)?;
            b.put(&r.suite_path.join(" / "))?;
            b.put(r.classname.as_deref().unwrap_or_default())?;
            b.put(&r.name)?;
            b.put(r.message.as_deref().unwrap_or_default())?;
            b.put(r.failure_text.as_deref().unwrap_or_default())?;
            b.put(r.stdout.as_deref().unwrap_or_default())?;
            b.put(&properties)?;
            b.put(&r.retries)?;
            b.put(&r.flaky)
        })?;
        // Keep the buffers' capacity, not their rows.
        p.tests.clear();
        p.tags.clear();
        p.links.clear();
        p.campaign_tests.clear();
        p.executions.clear();
        p.results.clear();
        p.by_key.clear();
        p.by_ref.clear();
        p.execution_of.clear();
        Ok(())
    }

    /// Recomputes the executions that got more than one result: worst status, earliest start,
    /// summed duration, first failure message.
    fn recompute_dirty(&mut self, file: &mut ResultFileImport) -> Result<()> {
        if file.dirty.is_empty() {
            return Ok(());
        }
        self.flush_pending(file)?;
        let mut ids = std::mem::take(&mut file.dirty);
        ids.sort_unstable();
        ids.dedup();
        let sql = format!(
            "UPDATE execution SET
                 status = (SELECT CASE MAX({RANK}) WHEN 5 THEN 'failed' WHEN 4 THEN 'blocked'
                     WHEN 3 THEN 'in_progress' WHEN 2 THEN 'not_run' WHEN 1 THEN 'passed'
                     ELSE 'not_applicable' END
                     FROM automated_result a WHERE a.execution_id = execution.id),
                 executed_at = COALESCE((SELECT MIN(a.start_time) FROM automated_result a
                     WHERE a.execution_id = execution.id), ?2),
                 duration_ms = (SELECT SUM(a.duration_ms) FROM automated_result a
                     WHERE a.execution_id = execution.id),
                 comment = COALESCE((SELECT a.message FROM automated_result a
                     WHERE a.execution_id = execution.id AND a.status IN ('failed', 'blocked')
                     ORDER BY a.id LIMIT 1), '')
             WHERE id = ?1"
        );
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(&sql)?;
        for id in &ids {
            stmt.execute(params![id, self.now()])?;
        }
        drop(stmt);
        ids.clear();
        file.dirty = ids;
        Ok(())
    }

    /// The execution of `test` made by this file, made now when it is the test's first result
    /// (with this result's status, start, duration and failure message; a later result of the
    /// same test marks it for recomputation).
    fn file_execution(
        &mut self,
        file: &mut ResultFileImport,
        test: i64,
        fresh: bool,
        r: &AutomatedResult,
    ) -> Result<i64> {
        // This file's execution of the test, not written yet: the test's latest.
        if let Some(&id) = file.pending.execution_of.get(&test) {
            if file.dirty.last() != Some(&id) {
                file.dirty.push(id);
            }
            return Ok(id);
        }
        // The latest execution has the largest id and attempt (no ORDER BY ... LIMIT: with it
        // SQLite re-prepares the statement at every new value), and whether the test is in the
        // campaign, in one query. A test just created has no execution and is not in the
        // campaign; nor is it among the pending rows otherwise (its execution would be
        // pending too).
        let (latest, selected): (Option<(i64, i64)>, bool) = if fresh {
            (None, false)
        } else {
            self.conn()
                .prepare_cached(
                    "SELECT MAX(id), MAX(attempt), EXISTS (SELECT 1 FROM campaign_test
                         WHERE campaign_id = ?1 AND test_id = ?2 AND dataset = '')
                     FROM execution WHERE campaign_id = ?1 AND test_id = ?2 AND dataset = ''",
                )?
                .query_row(params![file.campaign_id, test], |r| {
                    let latest = match (r.get::<_, Option<i64>>(0)?, r.get::<_, Option<i64>>(1)?) {
                        (Some(id), Some(attempt)) => Some((id, attempt)),
                        _ => None,
                    };
                    Ok((latest, r.get::<_, bool>(2)?))
                })?
        };
        if let Some((id, _)) = latest.filter(|(id, _)| *id > file.before) {
            if file.dirty.last() != Some(&id) {
                file.dirty.push(id);
            }
            return Ok(id);
        }
        // Added to the campaign unless it is there already.
        if !selected {
            file.pending.campaign_tests.push((test, file.next_position));
            file.next_position += 1;
        }
        let comment = match r.status {
            ExecStatus::Failed | ExecStatus::Blocked => r.message.as_deref().unwrap_or_default(),
            _ => "",
        };
        let id = file.next_execution_id;
        file.next_execution_id += 1;
        file.pending.executions.push(PendingExecution {
            id,
            test_id: test,
            attempt: latest.map(|(_, a)| a).unwrap_or(0) + 1,
            status: r.status.code(),
            executed_at: r.start_time.as_deref().unwrap_or(self.now()).to_string(),
            comment: comment.to_string(),
            duration_ms: r.duration_ms,
        });
        file.pending.execution_of.insert(test, id);
        Ok(id)
    }

    /// Ends the import of one file: each execution it made takes the worst status of its
    /// results, the earliest start, the summed duration and the first failure message; retests
    /// close or reopen anomalies. Returns the number of executions made.
    pub fn finish_result_file(&mut self, file: &mut ResultFileImport, results: u64) -> Result<u64> {
        self.flush_pending(file)?;
        self.recompute_dirty(file)?;
        self.audit_created(file)?;
        self.conn().execute(
            "UPDATE result_import SET results = ?2 WHERE id = ?1",
            params![file.id, results as i64],
        )?;
        let made: i64 = self.conn().query_row(
            "SELECT COUNT(*) FROM execution WHERE id > ?1 AND campaign_id = ?2",
            params![file.before, file.campaign_id],
            |r| r.get(0),
        )?;
        self.audit(
            "import",
            "résultats automatisés",
            &file.file_name,
            None,
            Some(json!({
                "file": file.file_name,
                "format": file.format,
                "results": results,
                "tests_created": file.created_total,
                "links": file.links_total,
                "executions": made,
                "audit_parts": file.audit_parts,
            })),
        )?;
        // Tests with anomalies are few: look their new executions up by test.
        let new: Vec<(i64, i64, String)> = self
            .conn()
            .prepare_cached(
                "SELECT e.id, e.test_id, e.status FROM execution e
                 WHERE e.test_id IN (SELECT p.test_id FROM execution_anomaly ea
                                     JOIN execution p ON p.id = ea.execution_id)
                   AND e.id > ?1 AND e.campaign_id = ?2 AND e.status IN ('passed', 'failed')
                 ORDER BY e.id",
            )?
            .query_map(params![file.before, file.campaign_id], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        for (eid, tid, status) in new {
            let status = decode(&status, ExecStatus::from_code)?;
            self.apply_retest(tid, eid, status)?;
        }
        Ok(made as u64)
    }
}

impl Store {
    /// The automated results stored for a campaign, in import order then file order.
    pub fn automated_results(
        &self,
        campaign: &str,
        filter: &ResultFilter,
    ) -> Result<Vec<StoredResult>> {
        let cid = id_of(self.conn(), "campaign", "campagne", campaign)?;
        let test_id = match &filter.test {
            Some(t) => Some(id_of(self.conn(), "test_case", "cas de test", t)?),
            None => None,
        };
        let mut stmt = self.conn().prepare(
            "SELECT t.ref, e.attempt, COALESCE(NULLIF(a.source_file, ''), i.file_name, ''), a.format,
                    COALESCE(i.imported_at, e.executed_at, ''), a.suite_path,
                    a.classname, a.name, a.status, a.duration_ms, a.start_time, a.message,
                    a.failure_text, a.stdout, a.properties, a.retries, a.flaky
             FROM automated_result a LEFT JOIN result_import i ON i.id = a.import_id
             LEFT JOIN test_case t ON t.id = a.test_id
             LEFT JOIN execution e ON e.id = a.execution_id
             -- Results stored before schema 3 have no import: their execution names the campaign.
             WHERE (i.campaign_id = ?1 OR (a.import_id IS NULL AND e.campaign_id = ?1))
               AND (?2 IS NULL OR a.test_id = ?2)
               AND (?3 IS NULL OR a.status = ?3) AND (?4 = 0 OR a.test_id IS NULL)
             ORDER BY a.import_id, a.id",
        )?;
        let rows = stmt.query_map(
            params![
                cid,
                test_id,
                filter.status.map(|s| s.code()),
                filter.unmatched
            ],
            |r| {
                let properties: String = r.get(14)?;
                let properties: Vec<(String, String)> =
                    serde_json::from_str(&properties).unwrap_or_default();
                let tags = properties
                    .iter()
                    .filter(|(k, _)| k.is_empty())
                    .map(|(_, v)| v.clone())
                    .collect();
                Ok(StoredResult {
                    campaign: campaign.to_string(),
                    test: r.get(0)?,
                    attempt: r.get(1)?,
                    file: r.get(2)?,
                    format: r.get(3)?,
                    imported_at: r.get(4)?,
                    suite_path: r.get(5)?,
                    classname: r.get(6)?,
                    name: r.get(7)?,
                    status: decode(&r.get::<_, String>(8)?, ExecStatus::from_code)?,
                    duration_ms: r.get(9)?,
                    start_time: r.get(10)?,
                    message: r.get(11)?,
                    failure_text: r.get(12)?,
                    stdout: r.get(13)?,
                    properties: properties
                        .into_iter()
                        .filter(|(k, _)| !k.is_empty())
                        .collect(),
                    tags,
                    retries: r.get(15)?,
                    flaky: r.get(16)?,
                })
            },
        )?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
