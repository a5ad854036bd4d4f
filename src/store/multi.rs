//! Multi-row INSERTs for bulk writers (imports): one statement per `ROWS` rows instead of one
//! per row, the statement texts built once per table and size.

use std::sync::OnceLock;

use rusqlite::{Connection, ToSql};

use super::Tx;
use crate::entities::{Requirement, TestCase};
use crate::error::{Error, Result};
use crate::model::Step;

/// Rows per full multi-row INSERT.
pub(crate) const ROWS: usize = 64;
/// Row counts of the multi-row INSERTs: a full batch is one statement, the rest of a write at
/// most one statement per smaller power of two.
const SIZES: [usize; 7] = [ROWS, 32, 16, 8, 4, 2, 1];

/// A multi-row INSERT into one table, its texts (one per size of `SIZES`) built once.
pub(crate) struct MultiInsert {
    /// `INSERT INTO table(columns) VALUES `.
    head: &'static str,
    /// One row's values: `(?,?,...)`.
    row: &'static str,
    texts: OnceLock<Vec<String>>,
}

/// Binds the values of consecutive rows of a multi-row statement.
pub(crate) struct Binder<'s, 'c> {
    stmt: &'s mut rusqlite::Statement<'c>,
    next: usize,
}

impl Binder<'_, '_> {
    pub(crate) fn put<T: ToSql + ?Sized>(&mut self, value: &T) -> rusqlite::Result<()> {
        self.next += 1;
        self.stmt.raw_bind_parameter(self.next, value)
    }
}

impl MultiInsert {
    pub(crate) const fn new(head: &'static str, row: &'static str) -> MultiInsert {
        MultiInsert {
            head,
            row,
            texts: OnceLock::new(),
        }
    }

    /// Writes `rows` in order (rows without an explicit id get ascending ids in this order);
    /// `bind` binds one row's values.
    pub(crate) fn write<T>(
        &self,
        conn: &Connection,
        rows: &[T],
        bind: impl Fn(&mut Binder<'_, '_>, &T) -> rusqlite::Result<()>,
    ) -> Result<()> {
        self.write_ids(conn, rows, bind, |_| None)
    }

    /// [`MultiInsert::write`] for rows whose id SQLite gives: `id` is the id a row must get
    /// (checked after each statement).
    pub(crate) fn write_ids<T>(
        &self,
        conn: &Connection,
        rows: &[T],
        bind: impl Fn(&mut Binder<'_, '_>, &T) -> rusqlite::Result<()>,
        id: impl Fn(&T) -> Option<i64>,
    ) -> Result<()> {
        let texts = self.texts.get_or_init(|| {
            SIZES
                .iter()
                .map(|&n| format!("{}{}", self.head, vec![self.row; n].join(",")))
                .collect()
        });
        let mut rest = rows;
        for (size, sql) in SIZES.iter().zip(texts) {
            while rest.len() >= *size {
                let (group, tail) = rest.split_at(*size);
                let mut stmt = conn.prepare_cached(sql)?;
                let mut binder = Binder {
                    stmt: &mut stmt,
                    next: 0,
                };
                for row in group {
                    bind(&mut binder, row)?;
                }
                stmt.raw_execute()?;
                if let Some(expected) = group.last().and_then(&id) {
                    let given = conn.last_insert_rowid();
                    if given != expected {
                        return Err(Error::Other(format!(
                            "{}: id {given} au lieu de {expected}",
                            self.head.trim_end()
                        )));
                    }
                }
                rest = tail;
            }
        }
        Ok(())
    }
}

/// Pending rows (all tables together) that make [`NewRows`] written early.
const NEW_ROWS_MAX: usize = 64 * ROWS;

/// Requirements and test cases created by a bulk import and not written yet, with the ids they
/// will get: the import holds the transaction's write lock (IMMEDIATE), so no other writer
/// exists and a new row gets one more than the largest id of its table, as SQLite would give
/// it (checked after each statement). They are written together, parents first (requirement
/// rows and their first revision, test cases, their steps and tags), by multi-row INSERTs of
/// [`ROWS`], in the order they were created: every table gets the rows, ids and row order the
/// row-by-row writes would have given it.
///
/// Whatever reads those tables or writes rows next to them during the import writes the
/// pending rows first ([`Tx::flush_new_rows`]): the test-case and link readers of the store
/// module, [`Tx::flush_links`], updates of requirements and test cases, the end of the
/// import's bulk audit ([`Tx::end_created_audit`]) and the commit.
#[derive(Debug, Default)]
pub(crate) struct NewRows {
    /// Whether creations are buffered: from [`Tx::prepare_bulk_write`] to the end of the
    /// import's bulk audit.
    on: bool,
    /// Id of the next requirement created (`None`: one more than the largest stored).
    next_requirement: Option<i64>,
    /// Id of the next test case created (`None`: one more than the largest stored).
    next_test: Option<i64>,
    /// New requirements (at revision 1) with their ids.
    requirements: Vec<(i64, Requirement)>,
    /// New test cases (fields, steps and tags) with their ids.
    tests: Vec<(i64, TestCase)>,
    /// Rows the pending entities make.
    rows: usize,
}

static REQUIREMENTS: MultiInsert = MultiInsert::new(
    // Without an explicit id (SQLite gives the next one, checked) and OR FAIL: the statement
    // needs no statement journal (see automated.rs); any error fails the whole import anyway.
    "INSERT OR FAIL INTO requirement(ref, title, description, criticality, category, status,
         source, revision, content_hash, created_at, updated_at) VALUES ",
    "(?,?,?,?,?,?,?,?,?,?,?)",
);
static REVISIONS: MultiInsert = MultiInsert::new(
    "INSERT INTO requirement_revision(requirement_id, revision, title, description,
         criticality, content_hash, created_at) VALUES ",
    "(?,?,?,?,?,?,?)",
);
static TEST_CASES: MultiInsert = MultiInsert::new(
    "INSERT OR FAIL INTO test_case(ref, title, objective, prerequisites, kind, automation_key,
         priority, category, active, created_at, updated_at) VALUES ",
    "(?,?,?,?,?,?,?,?,?,?,?)",
);
/// Steps of test cases (also written by updates, see testcases.rs).
pub(crate) static STEPS: MultiInsert = MultiInsert::new(
    "INSERT INTO test_step(test_id, position, action, expected) VALUES ",
    "(?,?,?,?)",
);
static TAGS: MultiInsert = MultiInsert::new("INSERT INTO test_tag(test_id, tag) VALUES ", "(?,?)");

impl Tx<'_> {
    /// Buffers creations from now on (a bulk import).
    pub(crate) fn buffer_new_rows(&self) {
        #[cfg(test)]
        if tests::UNBUFFERED.with(std::cell::Cell::get) {
            return;
        }
        self.new_rows.borrow_mut().on = true;
    }

    /// Writes the pending creations and buffers no more.
    pub(crate) fn stop_buffering_new_rows(&self) -> Result<()> {
        self.flush_new_rows()?;
        self.new_rows.borrow_mut().on = false;
        Ok(())
    }

    /// The largest id of `table` (a constant table name) plus one: the id SQLite gives the
    /// next row.
    fn next_id(&self, table: &'static str) -> Result<i64> {
        let sql = format!("SELECT COALESCE(MAX(id), 0) + 1 FROM {table}");
        Ok(self
            .conn()
            .prepare_cached(&sql)?
            .query_row([], |r| r.get(0))?)
    }

    /// Whether creations are buffered (a bulk import is under way).
    pub(crate) fn buffering_new_rows(&self) -> bool {
        self.new_rows.borrow().on
    }

    /// Buffers a new requirement (`new`, at revision 1) when creations are buffered (see
    /// [`Tx::buffering_new_rows`]): returns the id it will get.
    pub(crate) fn buffer_new_requirement(&mut self, new: Requirement) -> Result<i64> {
        let id = self.next_buffered_id("requirement", |r| &mut r.next_requirement)?;
        let rows = self.new_rows.get_mut();
        rows.requirements.push((id, new));
        rows.rows += 2;
        self.flush_if_full()?;
        Ok(id)
    }

    /// [`Tx::buffer_new_requirement`] for a new test case (fields, steps and tags).
    pub(crate) fn buffer_new_test(&mut self, new: TestCase) -> Result<i64> {
        let id = self.next_buffered_id("test_case", |r| &mut r.next_test)?;
        let rows = self.new_rows.get_mut();
        rows.rows += 1 + new.steps.len() + new.tags.len();
        rows.tests.push((id, new));
        self.flush_if_full()?;
        Ok(id)
    }

    /// The id the next buffered row of `table` gets: read from the store once, then counted
    /// in `next` (the buffer's counter for that table).
    fn next_buffered_id(
        &mut self,
        table: &'static str,
        next: fn(&mut NewRows) -> &mut Option<i64>,
    ) -> Result<i64> {
        let id = match *next(self.new_rows.get_mut()) {
            Some(id) => id,
            None => self.next_id(table)?,
        };
        *next(self.new_rows.get_mut()) = Some(id + 1);
        Ok(id)
    }

    /// Writes the buffered rows once there are [`NEW_ROWS_MAX`] of them.
    fn flush_if_full(&mut self) -> Result<()> {
        if self.new_rows.get_mut().rows >= NEW_ROWS_MAX {
            self.flush_new_rows()?;
        }
        Ok(())
    }

    /// Writes the pending creations, parents first, and forgets them.
    pub(crate) fn flush_new_rows(&self) -> Result<()> {
        let mut rows = self.new_rows.borrow_mut();
        if rows.rows == 0 {
            return Ok(());
        }
        let conn = self.conn();
        let now = self.now();
        REQUIREMENTS.write_ids(
            conn,
            &rows.requirements,
            |b, (_, r)| {
                b.put(&r.reference)?;
                b.put(&r.title)?;
                b.put(&r.description)?;
                b.put(r.criticality.code())?;
                b.put(&r.category)?;
                b.put(r.status.code())?;
                b.put(&r.source)?;
                b.put(&r.revision)?;
                b.put(&r.content_hash)?;
                b.put(now)?;
                b.put(now)
            },
            |(id, _)| Some(*id),
        )?;
        REVISIONS.write(conn, &rows.requirements, |b, (id, r)| {
            b.put(id)?;
            b.put(&r.revision)?;
            b.put(&r.title)?;
            b.put(&r.description)?;
            b.put(r.criticality.code())?;
            b.put(&r.content_hash)?;
            b.put(now)
        })?;
        TEST_CASES.write_ids(
            conn,
            &rows.tests,
            |b, (_, t)| {
                b.put(&t.reference)?;
                b.put(&t.title)?;
                b.put(&t.objective)?;
                b.put(&t.prerequisites)?;
                b.put(t.kind.code())?;
                b.put(&t.automation_key)?;
                b.put(&t.priority)?;
                b.put(&t.category)?;
                b.put(&t.active)?;
                b.put(now)?;
                b.put(now)
            },
            |(id, _)| Some(*id),
        )?;
        let steps: Vec<(i64, i64, &Step)> = rows
            .tests
            .iter()
            .flat_map(|(id, t)| {
                t.steps
                    .iter()
                    .enumerate()
                    .map(move |(i, s)| (*id, i as i64 + 1, s))
            })
            .collect();
        STEPS.write(conn, &steps, |b, (id, position, s)| {
            b.put(id)?;
            b.put(position)?;
            b.put(&s.action)?;
            b.put(&s.expected)
        })?;
        let tags: Vec<(i64, &str)> = rows
            .tests
            .iter()
            .flat_map(|(id, t)| t.tags.iter().map(move |tag| (*id, tag.as_str())))
            .collect();
        TAGS.write(conn, &tags, |b, (id, tag)| {
            b.put(id)?;
            b.put(*tag)
        })?;
        drop((steps, tags));
        rows.requirements.clear();
        rows.tests.clear();
        rows.rows = 0;
        // Read again at the next creation: whatever wrote those tables since is seen.
        rows.next_requirement = None;
        rows.next_test = None;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;

    use crate::error::{Error, Result};
    use crate::import::records::{
        ImportBatch, LinkRecord, Origin, RequirementRecord, ResultRecord, TestCaseRecord,
    };
    use crate::model::{Criticality, ExecStatus, Phase, Step};
    use crate::store::{ApplyOptions, Context, NewCampaign, Store};

    thread_local! {
        /// Creations written row by row even in bulk (the reference the buffer is compared to).
        pub(super) static UNBUFFERED: Cell<bool> = const { Cell::new(false) };
    }

    fn origin(row: u64) -> Origin {
        Origin::file("cahier.xlsx")
            .with_sheet("Feuille")
            .with_row(row)
    }

    fn requirement(reference: &str, title: &str) -> RequirementRecord {
        RequirementRecord {
            origin: origin(1),
            reference: reference.to_string(),
            title: Some(title.to_string()),
            description: Some(format!("Description de {reference}")),
            criticality: Some(Criticality::Critique),
            category: Some("Lot 1".into()),
            ..RequirementRecord::default()
        }
    }

    fn test_case(reference: &str, action: &str, tags: &[&str], reqs: &[&str]) -> TestCaseRecord {
        TestCaseRecord {
            origin: origin(2),
            reference: reference.to_string(),
            title: Some(format!("Scénario {reference}")),
            steps: Some(vec![
                Step {
                    action: action.to_string(),
                    expected: "OK".into(),
                },
                Step {
                    action: "Fermer".into(),
                    expected: String::new(),
                },
            ]),
            tags: Some(tags.iter().map(|t| t.to_string()).collect()),
            requirement_refs: reqs.iter().map(|r| r.to_string()).collect(),
            ..TestCaseRecord::default()
        }
    }

    /// Every row of every table, by rowid: ids, values and the order rows were written in.
    fn rows(store: &Store) -> Result<Vec<String>> {
        let conn = store.conn();
        let tables: Vec<String> = conn
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let mut out = Vec::new();
        for t in tables {
            let mut stmt = conn.prepare(&format!("SELECT rowid, * FROM \"{t}\" ORDER BY rowid"))?;
            let n = stmt.column_count();
            let mut q = stmt.query([])?;
            while let Some(r) = q.next()? {
                let values: Vec<rusqlite::types::Value> =
                    (0..n).map(|i| r.get(i)).collect::<rusqlite::Result<_>>()?;
                out.push(format!("{t} {values:?}"));
            }
        }
        Ok(out)
    }

    /// Imports that create requirements and test cases among updates (new revisions, steps and
    /// tags replaced), name a new reference twice, add links and results: the buffered
    /// creations leave every table as row-by-row writes do (same ids, rows and row order).
    #[test]
    fn buffered_creations_write_the_rows_of_row_by_row_creations() -> Result<()> {
        let n = 700; // more than NEW_ROWS_MAX rows, and over the bulk threshold of imports
        let first = ImportBatch {
            requirements: (0..n)
                .map(|i| requirement(&format!("EXI-{i:04}"), "Titre"))
                .collect(),
            test_cases: (0..n)
                .map(|i| {
                    let r = format!("EXI-{i:04}");
                    test_case(&format!("CT-{i:04}"), "Ouvrir", &["b", " a "], &[&r])
                })
                .collect(),
            ..ImportBatch::default()
        };
        let mut second = ImportBatch::default();
        for i in 0..n {
            let r = format!("EXI-{i:04}");
            let title = if i % 3 == 0 {
                "Titre révisé"
            } else {
                "Titre"
            };
            second.requirements.push(requirement(&r, title));
            if i % 5 == 0 {
                let new = format!("NEW-{i:04}");
                second.requirements.push(requirement(&new, "Nouvelle"));
                if i % 25 == 0 {
                    // Named again in the same batch: read back, then updated.
                    second
                        .requirements
                        .push(requirement(&new, "Nouvelle, revue"));
                }
            }
        }
        for i in 0..n {
            let (t, r) = (format!("CT-{i:04}"), format!("EXI-{i:04}"));
            let action = if i % 4 == 0 {
                "Ouvrir autrement"
            } else {
                "Ouvrir"
            };
            second
                .test_cases
                .push(test_case(&t, action, &["b", "a"], &[&r]));
            if i % 5 == 0 {
                let (new, req) = (format!("CTN-{i:04}"), format!("NEW-{i:04}"));
                second
                    .test_cases
                    .push(test_case(&new, "Nouveau", &["n"], &[&req, &r]));
                if i % 50 == 0 {
                    second
                        .test_cases
                        .push(test_case(&new, "Nouveau, revu", &[], &[&req]));
                }
            }
        }
        second.links = (0..n)
            .step_by(7)
            .map(|i| LinkRecord {
                origin: origin(3),
                requirement_ref: format!("NEW-{:04}", i / 5 * 5),
                test_ref: format!("CT-{i:04}"),
            })
            .collect();
        second.results = (0..n)
            .step_by(10)
            .map(|i| ResultRecord {
                origin: origin(4),
                test_ref: format!("CTN-{i:04}"),
                dataset: None,
                assignee: None,
                status: Some(ExecStatus::Passed),
                step_results: vec![crate::import::records::StepResultRecord {
                    step: 1,
                    status: ExecStatus::Passed,
                    actual: String::new(),
                }],
                tester: Some("Claire".into()),
                executed_at: Some("2026-03-14".into()),
                comment: None,
                anomaly_refs: Vec::new(),
                campaign_ref: None,
                base_attempt: None,
                attempt: None,
            })
            .collect();
        let dir = tempfile::tempdir().map_err(|e| Error::Other(e.to_string()))?;
        let mut runs = Vec::new();
        for unbuffered in [false, true] {
            UNBUFFERED.with(|u| u.set(unbuffered));
            let ctx = Context {
                actor: "test".into(),
                fixed_now: Some("2026-03-15T09:00:00Z".into()),
            };
            let mut store = Store::init(&dir.path().join(format!("{unbuffered}.db")), ctx, "p")?;
            store.write("campaign", |tx| {
                tx.add_campaign(
                    "C1",
                    &NewCampaign {
                        title: "Campagne".into(),
                        delivery: None,
                        strategy: None,
                        phase: Phase::Vabf,
                        start_date: None,
                        end_date: None,
                    },
                )
            })?;
            let opts = ApplyOptions {
                campaign: Some("C1".into()),
                ..ApplyOptions::default()
            };
            let mut plans = Vec::new();
            for batch in [&first, &second, &second] {
                let report = store.write("import", |tx| tx.apply_batch(batch, &opts))?;
                plans.push(format!("{:?}", report.totals));
            }
            runs.push((plans, rows(&store)?));
        }
        UNBUFFERED.with(|u| u.set(false));
        assert_eq!(runs[0].0, runs[1].0);
        assert!(!runs[0].0[1].contains("updated: 0,"), "{:?}", runs[0].0);
        assert_eq!(runs[0].1.len(), runs[1].1.len());
        for (a, b) in runs[0].1.iter().zip(&runs[1].1) {
            assert_eq!(a, b);
        }
        let text = runs[0].1.join("\n");
        assert!(text.contains("Nouvelle, revue") && text.contains("Nouveau, revu"));
        assert!(text.contains("execution "), "results recorded");
        Ok(())
    }
}
