//! Persisting automated results (JUnit, Robot...): rows are streamed in with prepared
//! statements inside the import's single transaction, then grouped into one execution per test
//! case whose status is the worst of its results (order: failed > blocked > in_progress >
//! not_run > passed > not_applicable, see `ExecStatus::severity_rank`).

use std::collections::{BTreeSet, HashMap};

use rusqlite::{params, OptionalExtension};

use super::{id_of, Tx};
use crate::error::Result;
use crate::import::records::AutomatedResult;

/// What the linker needs to know about the store, loaded once per import.
#[derive(Debug, Clone, Default)]
pub struct AutomationIndex {
    /// Test case refs with their automation key (non-empty keys only).
    pub automation_keys: Vec<(String, String)>,
    /// Every test case ref with its id.
    pub test_ids: HashMap<String, i64>,
    /// Every requirement ref.
    pub requirement_refs: BTreeSet<String>,
}

/// SQL expression ranking a status column like `ExecStatus::severity_rank`.
const RANK: &str =
    "CASE status WHEN 'failed' THEN 5 WHEN 'blocked' THEN 4 WHEN 'in_progress' THEN 3
     WHEN 'not_run' THEN 2 WHEN 'passed' THEN 1 ELSE 0 END";

impl Tx<'_> {
    /// Id of a campaign (an unknown campaign is an error).
    pub fn campaign_id(&self, campaign: &str) -> Result<i64> {
        id_of(self.conn(), "campaign", "campagne", campaign)
    }

    /// Id of a test case.
    pub fn test_case_id(&self, reference: &str) -> Result<i64> {
        id_of(self.conn(), "test_case", "cas de test", reference)
    }

    /// Loads the automation index.
    pub fn automation_index(&self) -> Result<AutomationIndex> {
        let mut idx = AutomationIndex::default();
        let mut stmt = self
            .conn()
            .prepare("SELECT id, ref, automation_key FROM test_case ORDER BY ref")?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?;
        for row in rows {
            let (id, r, k) = row?;
            if !k.is_empty() {
                idx.automation_keys.push((r.clone(), k));
            }
            idx.test_ids.insert(r, id);
        }
        let mut stmt = self.conn().prepare("SELECT ref FROM requirement")?;
        for row in stmt.query_map([], |r| r.get::<_, String>(0))? {
            idx.requirement_refs.insert(row?);
        }
        Ok(idx)
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

    /// Starts the import of one result file; returns its id.
    pub fn begin_result_file(
        &mut self,
        campaign: &str,
        sha256: &str,
        file_name: &str,
        format: &str,
    ) -> Result<i64> {
        let cid = id_of(self.conn(), "campaign", "campagne", campaign)?;
        let now = self.now().to_string();
        self.conn().execute(
            "INSERT INTO result_import(campaign_id, sha256, file_name, format, imported_at)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![cid, sha256, file_name, format, now],
        )?;
        Ok(self.conn().last_insert_rowid())
    }

    /// Writes one automated result of an import, attached to a test case (or none when it
    /// matched nothing: it is kept for the record but makes no execution).
    pub fn add_automated_result(
        &mut self,
        import_id: i64,
        test_id: Option<i64>,
        r: &AutomatedResult,
        source_file: &str,
    ) -> Result<()> {
        let properties = serde_json::to_string(&r.properties).unwrap_or_else(|_| "[]".into());
        self.conn()
            .prepare_cached(
                "INSERT INTO automated_result(import_id, test_id, status, duration_ms, start_time,
                     format, source_file, suite_path, classname, name, message, failure_text,
                     stdout, properties, retries, flaky)
                 VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16)",
            )?
            .execute(params![
                import_id,
                test_id,
                r.status.code(),
                r.duration_ms,
                r.start_time,
                r.format,
                source_file,
                r.suite_path.join(" / "),
                r.classname.clone().unwrap_or_default(),
                r.name,
                r.message.clone().unwrap_or_default(),
                r.failure_text.clone().unwrap_or_default(),
                r.stdout.clone().unwrap_or_default(),
                properties,
                r.retries,
                r.flaky
            ])?;
        Ok(())
    }

    /// Ends the import of one file: one new execution per test case it touched, with the worst
    /// status of its results, the earliest start, the summed duration and the first failure
    /// message; tests are added to the campaign when needed; retests close or reopen anomalies.
    /// Returns the number of executions made.
    pub fn finish_result_file(&mut self, import_id: i64, results: u64) -> Result<u64> {
        let (cid, format): (i64, String) = self.conn().query_row(
            "SELECT campaign_id, format FROM result_import WHERE id = ?1",
            [import_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        self.conn().execute(
            "UPDATE result_import SET results = ?2 WHERE id = ?1",
            params![import_id, results as i64],
        )?;
        let now = self.now().to_string();
        let before: i64 =
            self.conn()
                .query_row("SELECT COALESCE(MAX(id), 0) FROM execution", [], |r| {
                    r.get(0)
                })?;
        self.conn().execute(
            "INSERT OR IGNORE INTO campaign_test(campaign_id, test_id, position, reason)
             SELECT ?1, test_id, (SELECT COALESCE(MAX(position), 0) FROM campaign_test WHERE campaign_id = ?1)
                    + ROW_NUMBER() OVER (ORDER BY test_id), 'import'
             FROM (SELECT DISTINCT test_id FROM automated_result WHERE import_id = ?2 AND test_id IS NOT NULL)",
            params![cid, import_id],
        )?;
        let sql = format!(
            "INSERT INTO execution(campaign_id, test_id, attempt, status, tester, executed_at, comment,
                 duration_ms, source)
             SELECT ?1, a.test_id,
                 COALESCE((SELECT MAX(attempt) FROM execution e WHERE e.campaign_id = ?1 AND e.test_id = a.test_id), 0) + 1,
                 CASE MAX({RANK}) WHEN 5 THEN 'failed' WHEN 4 THEN 'blocked' WHEN 3 THEN 'in_progress'
                     WHEN 2 THEN 'not_run' WHEN 1 THEN 'passed' ELSE 'not_applicable' END,
                 ?3, COALESCE(MIN(a.start_time), ?4),
                 COALESCE((SELECT x.message FROM automated_result x WHERE x.import_id = ?2
                     AND x.test_id = a.test_id AND x.status IN ('failed', 'blocked') ORDER BY x.id LIMIT 1), ''),
                 SUM(a.duration_ms), ?3
             FROM automated_result a WHERE a.import_id = ?2 AND a.test_id IS NOT NULL
             GROUP BY a.test_id ORDER BY a.test_id"
        );
        let made = self
            .conn()
            .execute(&sql, params![cid, import_id, format, now])?;
        self.conn().execute(
            "UPDATE automated_result SET execution_id = (SELECT e.id FROM execution e
                 WHERE e.campaign_id = ?1 AND e.test_id = automated_result.test_id AND e.id > ?3)
             WHERE import_id = ?2 AND test_id IS NOT NULL",
            params![cid, import_id, before],
        )?;
        let new: Vec<(i64, i64, String)> = self
            .conn()
            .prepare(
                "SELECT e.id, e.test_id, e.status FROM execution e
                 WHERE e.id > ?1 AND e.campaign_id = ?2 AND e.status IN ('passed', 'failed')
                   AND EXISTS (SELECT 1 FROM execution p JOIN execution_anomaly ea ON ea.execution_id = p.id
                               WHERE p.test_id = e.test_id)",
            )?
            .query_map(params![before, cid], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?;
        for (eid, tid, status) in new {
            let status = super::decode(&status, crate::model::ExecStatus::from_code)?;
            self.apply_retest(tid, eid, status)?;
        }
        Ok(made as u64)
    }
}
