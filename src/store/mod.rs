//! The SQLite store: the only module that contains SQL.
//!
//! One file per project (WAL, foreign keys, busy timeout, versioned migrations). Reads are
//! methods on [`Store`]; every change goes through [`Store::write`], which runs one transaction
//! and records audit rows, so a command either applies whole or not at all.
//! The rest of the crate sees domain types only, so another backend can replace this module.

mod accounts;
pub(crate) mod anomalies;
mod assign;
mod attach;
mod audit;
mod automated;
mod bench;
mod campaigns;
mod datasets;
mod deliveries;
mod delivery_note;
mod executions;
mod import;
mod import_project;
mod maintenance;
mod multi;
mod requirements;
mod retest;
mod signoff;
mod strategy;
mod testcases;
mod trace;
mod versions;

pub use accounts::{
    check_account_name, Account, NewAccount, SessionRow, TokenInfo, TokenSelector, TokenState,
};
pub use anomalies::{check_move, lifecycle_error, AnomalyPatch};
pub use assign::{AssignOutcome, Assignment, ItemSelection};
pub use audit::{AuditFilter, ChainBreak};
pub use automated::{NewAutomatedTest, ResultFileImport, ResultFilter};
pub use bench::BenchSizes;
pub use campaigns::evidence_path;
pub use campaigns::{NewCampaign, NewDelivery, Selection, Unselected};
pub use datasets::{
    check_dataset_name, test_parameters, DatasetCheck, DatasetEdit, DatasetRemoval,
};
pub use deliveries::{
    add_days, parse_document_state, DeliveryPatch, DEFAULT_DECISION_DAYS, DOCUMENT_STATES,
};
pub use delivery_note::{NoteItem, NotePlan};
pub use executions::{EvidenceFile, ExecutionQuery, Recorded, RunInput, StepInput};
pub use import::{ApplyOptions, Counts, ImportReport, SheetPlan};
pub use maintenance::{BackupSummary, CheckProblem};
pub use requirements::{content_hash, hex, Change, RequirementPatch};
pub use retest::{reason_text, PlannedTest, RegressionRule};
pub use strategy::{CriterionPatch, Kind as CriterionKind};
pub use testcases::{changes_version, TestCasePatch};
pub use versions::{StepEdit, TestEdit, TestEditOutcome};

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, OptionalExtension, Transaction};

use crate::error::{Error, Result};

/// `PRAGMA application_id` of recette stores ("RCTT").
pub const APPLICATION_ID: i64 = 0x5243_5454;

/// Migrations, in order; the schema version is the number of migrations applied.
const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_init.sql"),
    include_str!("migrations/0002_deliveries.sql"),
    include_str!("migrations/0003_result_imports.sql"),
    include_str!("migrations/0004_result_lookups.sql"),
    include_str!("migrations/0005_report_indexes.sql"),
    include_str!("migrations/0006_test_model.sql"),
    include_str!("migrations/0007_anomaly_lifecycle.sql"),
    include_str!("migrations/0008_signoff_chain.sql"),
    include_str!("migrations/0009_accounts.sql"),
    include_str!("migrations/0010_token_expiry.sql"),
    include_str!("migrations/0011_audit_actor.sql"),
    include_str!("migrations/0012_imported_decisions.sql"),
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Who acts and when: recorded in the audit log and on created rows.
#[derive(Debug, Clone)]
pub struct Context {
    /// The actor (`--as`, `RECETTE_USER`, or the OS user).
    pub actor: String,
    /// A fixed clock (`RECETTE_NOW`), for reproducible runs; the system clock otherwise.
    pub fixed_now: Option<String>,
}

impl Context {
    /// The current time, ISO 8601 in UTC to the second.
    pub fn now(&self) -> String {
        match &self.fixed_now {
            Some(t) => t.clone(),
            None => chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        }
    }
}

/// An open store.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    ctx: Context,
}

/// A write transaction: every change of one command, with its audit rows.
pub struct Tx<'a> {
    tx: Transaction<'a>,
    ctx: &'a Context,
    now: String,
    root: &'a Path,
    /// During an import: the entities it creates, audited by a few rows listing their
    /// references instead of one row each (see [`Tx::begin_created_audit`]).
    created: Option<CreatedAudit>,
    /// New links known not to exist yet (bulk import), written by multi-row INSERTs of
    /// [`multi::ROWS`] (see [`Tx::queue_new_link`]).
    pending_links: Vec<(i64, i64, i64)>,
    /// Requirements and test cases created by a bulk import, not written yet (see
    /// [`multi::NewRows`]); in a cell so that readers holding `&Tx` write them first.
    new_rows: std::cell::RefCell<multi::NewRows>,
    /// Id and hash of the last audit row (read on the first audit row of the transaction).
    audit_head: Option<(i64, String)>,
}

/// The creations of one import not yet written to the audit log: per entity, the references
/// created since its last audit row (at most [`CREATED_PER_ROW`] each).
#[derive(Debug)]
struct CreatedAudit {
    /// The import's source (its first file), the `ref` of its audit rows.
    source: String,
    /// Entity (`exigence`, `cas de test`, `lien`) -> parts written so far, pending references.
    pending: Vec<(&'static str, u64, Vec<String>)>,
}

/// References listed per audit row of an import's creations.
const CREATED_PER_ROW: usize = 1000;

impl Store {
    /// Creates a new store at `path` (refuses an existing non-empty file).
    pub fn init(path: &Path, ctx: Context, project: &str) -> Result<Store> {
        if path.exists() && std::fs::metadata(path).map(|m| m.len() > 0).unwrap_or(true) {
            return Err(Error::input(
                format!("{} existe déjà : rien n'a été modifié", path.display()),
                format!("{} already exists: nothing was changed", path.display()),
            ));
        }
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        let conn = Connection::open(path)?;
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
            ctx,
        };
        store.configure()?;
        store.migrate(0)?;
        let project = project.to_string();
        store.write("init", |tx| {
            tx.set_project_value("name", &project)?;
            tx.audit(
                "init",
                "projet",
                &project,
                None,
                Some(serde_json::json!({"name": project})),
            )
        })?;
        Ok(store)
    }

    /// Opens an existing store, migrating it to the current schema. A file that is not a
    /// recette store, or that has a newer schema, is refused untouched.
    pub fn open(path: &Path, ctx: Context) -> Result<Store> {
        if !path.exists() {
            return Err(Error::NoStore {
                path: path.to_path_buf(),
            });
        }
        // Check identity read-only first so a foreign file is never modified (no WAL switch).
        let version = {
            let ro = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY).map_err(
                |_| Error::NotAStore {
                    path: path.to_path_buf(),
                },
            )?;
            let app_id: i64 = ro
                .query_row("PRAGMA application_id", [], |r| r.get(0))
                .map_err(|_| Error::NotAStore {
                    path: path.to_path_buf(),
                })?;
            if app_id != APPLICATION_ID {
                return Err(Error::NotAStore {
                    path: path.to_path_buf(),
                });
            }
            let version: i64 = ro.query_row("PRAGMA user_version", [], |r| r.get(0))?;
            version
        };
        if version > SCHEMA_VERSION {
            return Err(Error::NewerSchema {
                path: path.to_path_buf(),
                found: version,
                supported: SCHEMA_VERSION,
            });
        }
        let conn = Connection::open(path)?;
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
            ctx,
        };
        store.configure()?;
        store.migrate(version)?;
        Ok(store)
    }

    fn configure(&mut self) -> Result<()> {
        // An import cycles through a few dozen distinct statements per row (upserts, steps,
        // links, audit); rusqlite's default cache of 16 would re-prepare them on every row.
        self.conn.set_prepared_statement_cache_capacity(128);
        self.conn.busy_timeout(Duration::from_secs(30))?;
        self.conn.pragma_update(None, "journal_mode", "WAL")?;
        self.conn.pragma_update(None, "foreign_keys", true)?;
        self.conn.pragma_update(None, "synchronous", "NORMAL")?;
        // Big imports (200,000 automated results) touch many pages in one transaction: a 16 MiB
        // page cache (instead of 2 MiB) keeps them from spilling to the WAL and being read
        // back; it is only allocated as used. Every statement of an import stays prepared.
        self.conn.pragma_update(None, "cache_size", -16384)?;
        // Sorts and temporary b-trees (bulk reads of an import) in memory, not in a temp file.
        self.conn.pragma_update(None, "temp_store", "MEMORY")?;
        Ok(())
    }

    fn migrate(&mut self, from: i64) -> Result<()> {
        self.migrate_to(from, SCHEMA_VERSION)
    }

    fn migrate_to(&mut self, from: i64, to: i64) -> Result<()> {
        if from >= to {
            return Ok(());
        }
        // Foreign keys are off while migrations run (SQLite's procedure for rebuilding a
        // table: dropping a parent table must not cascade into its children), then checked
        // before the commit: a migration that would leave a dangling reference fails whole.
        // The pragma has no effect inside a transaction, hence before it.
        self.conn.pragma_update(None, "foreign_keys", false)?;
        let out = self.run_migrations(to);
        self.conn.pragma_update(None, "foreign_keys", true)?;
        out
    }

    fn run_migrations(&mut self, to: i64) -> Result<()> {
        // IMMEDIATE: take the write lock before reading the version, so two processes never
        // migrate at once.
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let current: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        for (i, sql) in MIGRATIONS
            .iter()
            .enumerate()
            .take(to.max(0) as usize)
            .skip(current.max(0) as usize)
        {
            tx.execute_batch(sql)?;
            if sql.contains(audit::CHAIN_MARKER) {
                audit::chain_existing(&tx)?;
            }
            tx.pragma_update(None, "user_version", (i + 1) as i64)?;
        }
        let dangling: i64 =
            tx.query_row("SELECT COUNT(*) FROM pragma_foreign_key_check", [], |r| {
                r.get(0)
            })?;
        if dangling > 0 {
            return Err(Error::Other(format!(
                "migration du schéma refusée : {dangling} référence(s) orpheline(s) ; la base est restée intacte"
            )));
        }
        tx.pragma_update(None, "application_id", APPLICATION_ID)?;
        tx.commit()?;
        Ok(())
    }

    /// Creates an empty store with only the first `version` migrations applied, as an earlier
    /// release of recette would have written it. For migration tests: open it afterwards with
    /// [`Store::open`] to run the remaining migrations.
    #[doc(hidden)]
    pub fn create_at_schema_version(path: &Path, version: i64) -> Result<()> {
        let conn = Connection::open(path)?;
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
            ctx: Context {
                actor: "migration-test".into(),
                fixed_now: None,
            },
        };
        store.configure()?;
        store.migrate_to(0, version.clamp(1, SCHEMA_VERSION))
    }

    /// The store file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The folder beside the store that holds evidence files and reports.
    pub fn root(&self) -> PathBuf {
        self.path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."))
    }

    /// Who acts.
    pub fn context(&self) -> &Context {
        &self.ctx
    }

    /// Changes who acts from now on (the team server sets the authenticated account before
    /// each request's work); returns the previous actor.
    pub fn set_actor(&mut self, actor: &str) -> String {
        std::mem::replace(&mut self.ctx.actor, actor.to_string())
    }

    /// The schema version of the open file.
    pub fn schema_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }

    /// A project setting (`name`, ...).
    pub fn project_value(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row("SELECT value FROM project WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()?)
    }

    /// Runs `f` in one write transaction; commits when it returns `Ok`, rolls back otherwise.
    /// `_label` names the command, for diagnostics.
    pub fn write<T>(
        &mut self,
        _label: &str,
        f: impl FnOnce(&mut Tx<'_>) -> Result<T>,
    ) -> Result<T> {
        self.transaction(true, f)
    }

    /// [`Store::write`] under another actor: the team server's one writer records each change
    /// under the authenticated account, never a name taken from the request.
    pub fn write_as<T>(
        &mut self,
        actor: &str,
        label: &str,
        f: impl FnOnce(&mut Tx<'_>) -> Result<T>,
    ) -> Result<T> {
        let saved = self.set_actor(actor);
        let out = self.write(label, f);
        self.set_actor(&saved);
        out
    }

    /// Runs `f` in a write transaction that is always rolled back: for `--dry-run`, so the
    /// plan it shows is computed by exactly the code that would apply it.
    pub fn dry_run<T>(&mut self, f: impl FnOnce(&mut Tx<'_>) -> Result<T>) -> Result<T> {
        self.transaction(false, f)
    }

    fn transaction<T>(
        &mut self,
        commit: bool,
        f: impl FnOnce(&mut Tx<'_>) -> Result<T>,
    ) -> Result<T> {
        let root = self.root();
        // IMMEDIATE takes the write lock first, so concurrent writers wait (busy timeout)
        // instead of failing on a lock upgrade.
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let mut t = Tx {
            tx,
            now: self.ctx.now(),
            ctx: &self.ctx,
            root: &root,
            created: None,
            pending_links: Vec::new(),
            new_rows: Default::default(),
            audit_head: None,
        };
        let out = f(&mut t);
        match (&out, commit) {
            (Ok(_), true) => {
                // Creations still buffered (an import writes them before it ends).
                t.flush_new_rows()?;
                t.flush_links()?;
                t.tx.commit()?
            }
            _ => t.tx.rollback()?,
        }
        out
    }

    /// Read access for store-internal query helpers.
    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Write access for store-internal bulk helpers.
    pub(crate) fn conn_mut(&mut self) -> &mut Connection {
        &mut self.conn
    }
}

impl Tx<'_> {
    /// The transaction's timestamp.
    pub fn now(&self) -> &str {
        &self.now
    }

    /// The actor.
    pub fn actor(&self) -> &str {
        &self.ctx.actor
    }

    /// The folder beside the store (evidence files live under `evidence/`).
    pub fn root(&self) -> &Path {
        self.root
    }

    pub(crate) fn conn(&self) -> &Connection {
        &self.tx
    }

    /// Sets a project setting.
    pub fn set_project_value(&mut self, key: &str, value: &str) -> Result<()> {
        self.tx.execute(
            "INSERT INTO project(key, value) VALUES (?1, ?2)
             ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [key, value],
        )?;
        Ok(())
    }

    /// Sizes the page cache for a bulk write (an import of thousands of rows): with SQLite's
    /// default 2 MB, a transaction writing tens of megabytes spills pages to the WAL before the
    /// commit, then reads some of them back and writes them again. Up to 128 MB of pages (only
    /// as many as the transaction touches) stay in memory instead: a 100,000-row workbook fits
    /// whole; a 1,000,000-row CSV spills some, in the same time within the noise and 130 MB
    /// less memory than with 256 MB (BENCHMARKS.md, issue 20).
    /// Durability is unchanged: the commit still writes every page to the WAL with the usual
    /// `synchronous=NORMAL`.
    ///
    /// Creations of requirements and test cases are buffered from now on and written by
    /// multi-row INSERTs (see [`multi::NewRows`]) until [`Tx::end_created_audit`].
    pub(crate) fn prepare_bulk_write(&self) -> Result<()> {
        self.tx.pragma_update(None, "cache_size", -128 * 1024)?;
        self.buffer_new_rows();
        Ok(())
    }

    /// Appends an audit row.
    pub fn audit(
        &mut self,
        action: &str,
        entity: &str,
        reference: &str,
        before: Option<serde_json::Value>,
        after: Option<serde_json::Value>,
    ) -> Result<()> {
        self.audit_text(
            action,
            entity,
            reference,
            before.map(|v| v.to_string()).as_deref(),
            after.map(|v| v.to_string()).as_deref(),
        )
    }

    /// Appends an audit row, serialising `before` and `after` straight to JSON text (no
    /// intermediate `serde_json::Value`): for bulk writers such as imports.
    pub(crate) fn audit_of<B: serde::Serialize + ?Sized, A: serde::Serialize + ?Sized>(
        &mut self,
        action: &str,
        entity: &str,
        reference: &str,
        before: Option<&B>,
        after: Option<&A>,
    ) -> Result<()> {
        let json = |e: serde_json::Error| Error::Other(format!("journal d'audit : {e}"));
        let before = before
            .map(serde_json::to_string)
            .transpose()
            .map_err(json)?;
        let after = after.map(serde_json::to_string).transpose().map_err(json)?;
        self.audit_text(
            action,
            entity,
            reference,
            before.as_deref(),
            after.as_deref(),
        )
    }

    /// From now until [`Tx::end_created_audit`], creations are audited in bulk: one `create`
    /// row per entity and per [`CREATED_PER_ROW`] references, `ref` = `source`, `after` =
    /// `{"import": source, "part": n, "refs": [...]}`. The created rows themselves hold what
    /// was created (a requirement's first revision keeps its text; a later update of a test
    /// case records its fields before and after), and `recette log --ref X` finds X in these
    /// lists. Updates keep one row each with their fields before and after.
    pub(crate) fn begin_created_audit(&mut self, source: &str) {
        self.created = Some(CreatedAudit {
            source: source.to_string(),
            pending: Vec::new(),
        });
    }

    /// Notes a creation when creations are audited in bulk; `false` when they are not (the
    /// caller writes its own audit row).
    pub(crate) fn note_created(&mut self, entity: &'static str, reference: &str) -> Result<bool> {
        let Some(c) = &mut self.created else {
            return Ok(false);
        };
        let idx = match c.pending.iter().position(|(e, ..)| *e == entity) {
            Some(i) => i,
            None => {
                c.pending.push((entity, 0, Vec::new()));
                c.pending.len() - 1
            }
        };
        c.pending[idx].2.push(reference.to_string());
        if c.pending[idx].2.len() >= CREATED_PER_ROW {
            self.flush_created(idx)?;
        }
        Ok(true)
    }

    /// Writes the audit rows of the creations still pending and stops auditing in bulk; writes
    /// the buffered creations and stops buffering them (see [`Tx::prepare_bulk_write`]).
    pub(crate) fn end_created_audit(&mut self) -> Result<()> {
        self.stop_buffering_new_rows()?;
        let n = self.created.as_ref().map_or(0, |c| c.pending.len());
        for idx in 0..n {
            self.flush_created(idx)?;
        }
        self.created = None;
        Ok(())
    }

    fn flush_created(&mut self, idx: usize) -> Result<()> {
        /// The `after` of a bulk creation row.
        #[derive(serde::Serialize)]
        struct Created<'a> {
            import: &'a str,
            part: u64,
            refs: &'a [String],
        }
        let Some(c) = &mut self.created else {
            return Ok(());
        };
        let (entity, part, refs) = &mut c.pending[idx];
        if refs.is_empty() {
            return Ok(());
        }
        *part += 1;
        let (entity, part, refs) = (*entity, *part, std::mem::take(refs));
        let source = c.source.clone();
        self.audit_of::<(), _>(
            "create",
            entity,
            &source,
            None,
            Some(&Created {
                import: &source,
                part,
                refs: &refs,
            }),
        )
    }

    /// Queues a link `(requirement id, test id, requirement revision)` that the caller knows is
    /// new (an import that read every link of the store): written with others by multi-row
    /// INSERTs of [`multi::ROWS`]. Pending links are written by [`Tx::flush_links`], which the
    /// import calls before anything reads links and before it ends.
    pub(crate) fn queue_new_link(&mut self, link: (i64, i64, i64)) -> Result<()> {
        self.pending_links.push(link);
        // Bounded, but not to one statement: each write of the links writes the buffered
        // creations first (their parents), which would cut those into small statements.
        if self.pending_links.len() >= 64 * multi::ROWS {
            self.flush_links()?;
        }
        Ok(())
    }

    /// Writes the queued links (and first the buffered creations: their parents).
    pub(crate) fn flush_links(&mut self) -> Result<()> {
        self.flush_new_rows()?;
        static LINKS: multi::MultiInsert = multi::MultiInsert::new(
            "INSERT INTO link(requirement_id, test_id, requirement_revision, created_at) VALUES ",
            "(?,?,?,?)",
        );
        if self.pending_links.is_empty() {
            return Ok(());
        }
        let links = std::mem::take(&mut self.pending_links);
        LINKS.write(&self.tx, &links, |b, (req, test, revision)| {
            b.put(req)?;
            b.put(test)?;
            b.put(revision)?;
            b.put(&self.now)
        })?;
        let mut links = links;
        links.clear();
        self.pending_links = links;
        Ok(())
    }

    /// Appends an audit row whose `before` and `after` are JSON text already.
    /// Id and hash of the last audit row written (0 and "" when the log is empty).
    pub(crate) fn audit_head(&mut self) -> Result<(i64, String)> {
        if self.audit_head.is_none() {
            self.audit_head = Some(audit::head(&self.tx)?);
        }
        Ok(self.audit_head.clone().unwrap_or_default())
    }

    fn audit_text(
        &mut self,
        action: &str,
        entity: &str,
        reference: &str,
        before: Option<&str>,
        after: Option<&str>,
    ) -> Result<()> {
        let (last_id, prev) = match self.audit_head.take() {
            Some(h) => h,
            None => audit::head(&self.tx)?,
        };
        let id = last_id + 1;
        let row = audit::Row {
            id,
            at: &self.now,
            actor: &self.ctx.actor,
            action,
            entity,
            reference,
            before,
            after,
        };
        let hash = row.hash(&prev);
        self.tx
            .prepare_cached(
                "INSERT INTO audit(id, at, actor, action, entity, ref, before, after, prev_hash, hash)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            )?
            .execute(rusqlite::params![
                id,
                self.now,
                self.ctx.actor,
                action,
                entity,
                reference,
                before,
                after,
                prev,
                hash,
            ])?;
        self.audit_head = Some((id, hash));
        Ok(())
    }
}

/// Looks up the id of a row by its `ref` in `table` (a constant table name, never user input).
pub(crate) fn id_of(
    conn: &Connection,
    table: &'static str,
    kind: &'static str,
    reference: &str,
) -> Result<i64> {
    let sql = format!("SELECT id FROM {table} WHERE ref = ?1");
    conn.prepare_cached(&sql)?
        .query_row([reference], |r| r.get(0))
        .optional()?
        .ok_or_else(|| Error::NotFound {
            kind,
            reference: reference.to_string(),
        })
}

/// Reads an enumerated code written by this module; a bad code means a corrupt store.
pub(crate) fn decode<T>(value: &str, parse: fn(&str) -> Option<T>) -> rusqlite::Result<T> {
    parse(value).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            0,
            rusqlite::types::Type::Text,
            format!("valeur inattendue dans la base : {value}").into(),
        )
    })
}
