//! Persisting automated results (JUnit, Robot...): rows are streamed in with cached prepared
//! statements inside the import's single transaction. Each file makes one execution per test
//! case it touched, created at the test's first result and attached to every result of it; when
//! the file is complete the execution takes the worst status of its results (order: failed >
//! blocked > in_progress > not_run > passed > not_applicable, see `ExecStatus::severity_rank`).
//!
//! Memory stays bounded whatever the file size: nothing is kept per result or per test case
//! outside SQLite; every lookup (automation key, test reference, requirement) is an indexed
//! query.

use rusqlite::{params, OptionalExtension};
use serde_json::json;

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
    /// Next position for tests added to the campaign by this file.
    next_position: i64,
}

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

    /// Creates the automated test case of a result (its reference must be new), linked to
    /// `requirements` (existing ones, as `(ref, id, revision)`), with one audit row that lists
    /// the test and its links. Returns the test's id.
    pub fn create_automated_test(
        &mut self,
        new: &NewAutomatedTest<'_>,
        requirements: &[(String, i64, i64)],
    ) -> Result<i64> {
        check_ref(new.reference, "cas de test")?;
        let now = self.now().to_string();
        self.conn()
            .prepare_cached(
                "INSERT INTO test_case(ref, title, objective, prerequisites, kind, automation_key,
                     priority, category, active, created_at, updated_at)
                 VALUES (?1, ?2, ?3, '', 'automated', ?4, '', ?5, 1, ?6, ?6)",
            )?
            .execute(params![
                new.reference,
                new.title,
                new.objective,
                new.automation_key,
                new.category,
                now
            ])?;
        let id = self.conn().last_insert_rowid();
        let mut tags: Vec<&str> = new
            .tags
            .iter()
            .map(|t| t.trim())
            .filter(|t| !t.is_empty())
            .collect();
        tags.sort_unstable();
        tags.dedup();
        for t in &tags {
            self.conn()
                .prepare_cached("INSERT INTO test_tag(test_id, tag) VALUES (?1, ?2)")?
                .execute(params![id, t])?;
        }
        for (_, req_id, revision) in requirements {
            self.conn()
                .prepare_cached(
                    "INSERT OR IGNORE INTO link(requirement_id, test_id, requirement_revision, created_at)
                     VALUES (?1, ?2, ?3, ?4)",
                )?
                .execute(params![req_id, id, revision, now])?;
        }
        let reqs: Vec<&str> = requirements.iter().map(|(r, ..)| r.as_str()).collect();
        self.audit(
            "create",
            "cas de test",
            new.reference,
            None,
            Some(json!({
                "ref": new.reference,
                "title": new.title,
                "kind": "automated",
                "automation_key": new.automation_key,
                "category": new.category,
                "tags": tags,
                "requirements": reqs,
            })),
        )?;
        Ok(id)
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
        let before: i64 =
            self.conn()
                .query_row("SELECT COALESCE(MAX(id), 0) FROM execution", [], |r| {
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
            next_position: last_position + 1,
        })
    }

    /// Writes one automated result of a file, attached to a test case (or to none when it
    /// matched nothing: it is kept for the record but makes no execution). The test's
    /// execution for this file is made at its first result (and the test added to the
    /// campaign when it was not selected).
    pub fn add_automated_result(
        &mut self,
        file: &mut ResultFileImport,
        test_id: Option<i64>,
        r: &AutomatedResult,
        source_file: &str,
    ) -> Result<()> {
        let execution_id = match test_id {
            Some(t) => Some(self.file_execution(file, t, r)?),
            None => None,
        };
        let properties = serde_json::to_string(&r.properties).unwrap_or_else(|_| "[]".into());
        self.conn()
            .prepare_cached(
                "INSERT INTO automated_result(import_id, execution_id, test_id, status, duration_ms,
                     start_time, format, source_file, suite_path, classname, name, message,
                     failure_text, stdout, properties, retries, flaky)
                 VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17)",
            )?
            .execute(params![
                file.id,
                execution_id,
                test_id,
                r.status.code(),
                r.duration_ms,
                r.start_time,
                r.format,
                source_file,
                r.suite_path.join(" / "),
                r.classname.as_deref().unwrap_or_default(),
                r.name,
                r.message.as_deref().unwrap_or_default(),
                r.failure_text.as_deref().unwrap_or_default(),
                r.stdout.as_deref().unwrap_or_default(),
                properties,
                r.retries,
                r.flaky
            ])?;
        Ok(())
    }

    /// The execution of `test` made by this file, made now when it is the test's first result.
    fn file_execution(
        &mut self,
        file: &mut ResultFileImport,
        test: i64,
        r: &AutomatedResult,
    ) -> Result<i64> {
        // The latest execution has the largest id and attempt (no ORDER BY ... LIMIT: with it
        // SQLite re-prepares the statement at every new value).
        let latest: Option<(i64, i64)> = self
            .conn()
            .prepare_cached(
                "SELECT MAX(id), MAX(attempt) FROM execution WHERE campaign_id = ?1 AND test_id = ?2",
            )?
            .query_row(params![file.campaign_id, test], |r| {
                Ok(match (r.get::<_, Option<i64>>(0)?, r.get::<_, Option<i64>>(1)?) {
                    (Some(id), Some(attempt)) => Some((id, attempt)),
                    _ => None,
                })
            })?;
        if let Some((id, _)) = latest.filter(|(id, _)| *id > file.before) {
            return Ok(id);
        }
        let added = self
            .conn()
            .prepare_cached(
                "INSERT OR IGNORE INTO campaign_test(campaign_id, test_id, position, reason)
                 VALUES (?1, ?2, ?3, 'import')",
            )?
            .execute(params![file.campaign_id, test, file.next_position])?;
        file.next_position += added as i64;
        let now = self.now().to_string();
        self.conn()
            .prepare_cached(
                "INSERT INTO execution(campaign_id, test_id, attempt, status, tester, executed_at,
                     comment, duration_ms, source)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, '', NULL, ?5)",
            )?
            .execute(params![
                file.campaign_id,
                test,
                latest.map(|(_, a)| a).unwrap_or(0) + 1,
                r.status.code(),
                file.format,
                r.start_time.as_deref().unwrap_or(&now),
            ])?;
        Ok(self.conn().last_insert_rowid())
    }

    /// Ends the import of one file: each execution it made takes the worst status of its
    /// results, the earliest start, the summed duration and the first failure message; retests
    /// close or reopen anomalies. Returns the number of executions made.
    pub fn finish_result_file(&mut self, file: &ResultFileImport, results: u64) -> Result<u64> {
        self.conn().execute(
            "UPDATE result_import SET results = ?2 WHERE id = ?1",
            params![file.id, results as i64],
        )?;
        let now = self.now().to_string();
        let sql = format!(
            "UPDATE execution SET
                 status = (SELECT CASE MAX({RANK}) WHEN 5 THEN 'failed' WHEN 4 THEN 'blocked'
                     WHEN 3 THEN 'in_progress' WHEN 2 THEN 'not_run' WHEN 1 THEN 'passed'
                     ELSE 'not_applicable' END
                     FROM automated_result a WHERE a.execution_id = execution.id),
                 executed_at = COALESCE((SELECT MIN(a.start_time) FROM automated_result a
                     WHERE a.execution_id = execution.id), ?3),
                 duration_ms = (SELECT SUM(a.duration_ms) FROM automated_result a
                     WHERE a.execution_id = execution.id),
                 comment = COALESCE((SELECT a.message FROM automated_result a
                     WHERE a.execution_id = execution.id AND a.status IN ('failed', 'blocked')
                     ORDER BY a.id LIMIT 1), '')
             WHERE id > ?1 AND campaign_id = ?2"
        );
        let made = self
            .conn()
            .execute(&sql, params![file.before, file.campaign_id, now])?;
        let new: Vec<(i64, i64, String)> = self
            .conn()
            .prepare_cached(
                "SELECT e.id, e.test_id, e.status FROM execution e
                 WHERE e.id > ?1 AND e.campaign_id = ?2 AND e.status IN ('passed', 'failed')
                   AND EXISTS (SELECT 1 FROM execution p JOIN execution_anomaly ea ON ea.execution_id = p.id
                               WHERE p.test_id = e.test_id)
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
            "SELECT t.ref, e.attempt, a.source_file, a.format,
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
