//! Test cases, their steps and tags.

use rusqlite::{params, OptionalExtension};
use std::collections::HashMap;

use super::requirements::{check_ref, Change};
use super::{decode, Store, Tx};
use crate::entities::TestCase;
use crate::error::{Error, Result};
use crate::model::{Step, TestKind};

/// Fields to set on a test case; `None` leaves a field unchanged (or defaulted on creation).
/// `steps` and `tags`, when given, replace the stored ones.
#[derive(Debug, Clone, Default)]
pub struct TestCasePatch {
    pub title: Option<String>,
    pub objective: Option<String>,
    pub prerequisites: Option<String>,
    pub kind: Option<TestKind>,
    pub automation_key: Option<String>,
    pub priority: Option<String>,
    pub category: Option<String>,
    pub active: Option<bool>,
    pub steps: Option<Vec<Step>>,
    pub tags: Option<Vec<String>>,
}

/// Whether going from `old` to `new` makes a new version: what the tester does or checks
/// changed (objective, prerequisites, a step's action or expected result, steps added or
/// removed). Title, kind, automation key, priority, category, tags and links are described in
/// place (and audited).
pub fn changes_version(old: &TestCase, new: &TestCase) -> bool {
    old.objective != new.objective
        || old.prerequisites != new.prerequisites
        || old.steps != new.steps
}

pub(super) fn kind_from_code(code: &str) -> Option<TestKind> {
    match code {
        "manual" => Some(TestKind::Manual),
        "automated" => Some(TestKind::Automated),
        _ => None,
    }
}

/// A test case's fields from `SELECT id, ref, title, objective, prerequisites, kind,
/// automation_key, priority, category, active, version` (steps, tags and requirements empty).
pub(super) fn test_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<TestCase> {
    Ok(TestCase {
        reference: r.get(1)?,
        version: r.get(10)?,
        title: r.get(2)?,
        objective: r.get(3)?,
        prerequisites: r.get(4)?,
        kind: decode(&r.get::<_, String>(5)?, kind_from_code)?,
        automation_key: r.get(6)?,
        priority: r.get(7)?,
        category: r.get(8)?,
        active: r.get(9)?,
        tags: Vec::new(),
        steps: Vec::new(),
        requirements: Vec::new(),
    })
}

/// The references of the requirements a test is linked to, ordered.
fn requirement_refs(conn: &rusqlite::Connection, id: i64) -> Result<Vec<String>> {
    Ok(conn
        .prepare_cached(
            "SELECT r.ref FROM link l JOIN requirement r ON r.id = l.requirement_id
             WHERE l.test_id = ?1 ORDER BY r.ref",
        )?
        .query_map([id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?)
}

fn load(conn: &rusqlite::Connection, reference: &str) -> Result<Option<TestCase>> {
    Ok(load_with_id(conn, reference)?.map(|(_, tc)| tc))
}

/// One test case with its row id, steps, tags and requirements.
fn load_with_id(conn: &rusqlite::Connection, reference: &str) -> Result<Option<(i64, TestCase)>> {
    let row = conn
        .prepare_cached(
            "SELECT id, ref, title, objective, prerequisites, kind, automation_key, priority,
                    category, active, version FROM test_case WHERE ref = ?1",
        )?
        .query_row([reference], |r| {
            Ok((r.get::<_, i64>(0)?, test_from_row(r)?))
        })
        .optional()?;
    let Some((id, mut tc)) = row else {
        return Ok(None);
    };
    tc.steps = conn
        .prepare_cached(
            "SELECT action, expected FROM test_step WHERE test_id = ?1 ORDER BY position",
        )?
        .query_map([id], |r| {
            Ok(Step {
                action: r.get(0)?,
                expected: r.get(1)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    tc.tags = conn
        .prepare_cached("SELECT tag FROM test_tag WHERE test_id = ?1 ORDER BY tag")?
        .query_map([id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    tc.requirements = requirement_refs(conn, id)?;
    Ok(Some((id, tc)))
}

impl Store {
    /// All test cases with steps, tags and requirements, ordered by reference: four bulk
    /// queries (cases, steps, tags, links), not four per test.
    pub fn test_cases(&self) -> Result<Vec<TestCase>> {
        let conn = self.conn();
        let mut ids: Vec<i64> = Vec::new();
        let mut out: Vec<TestCase> = Vec::new();
        {
            let mut q = conn.prepare(
                "SELECT id, ref, title, objective, prerequisites, kind, automation_key, priority,
                        category, active, version FROM test_case ORDER BY ref",
            )?;
            let mut rows = q.query([])?;
            while let Some(r) = rows.next()? {
                ids.push(r.get(0)?);
                out.push(test_from_row(r)?);
            }
        }
        let index: HashMap<i64, usize> = ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
        {
            let mut q = conn.prepare(
                "SELECT test_id, action, expected FROM test_step ORDER BY test_id, position",
            )?;
            let mut rows = q.query([])?;
            while let Some(r) = rows.next()? {
                if let Some(&i) = index.get(&r.get::<_, i64>(0)?) {
                    out[i].steps.push(Step {
                        action: r.get(1)?,
                        expected: r.get(2)?,
                    });
                }
            }
        }
        {
            let mut q = conn.prepare("SELECT test_id, tag FROM test_tag ORDER BY test_id, tag")?;
            let mut rows = q.query([])?;
            while let Some(r) = rows.next()? {
                if let Some(&i) = index.get(&r.get::<_, i64>(0)?) {
                    out[i].tags.push(r.get(1)?);
                }
            }
        }
        {
            let mut q = conn.prepare(
                "SELECT l.test_id, r.ref FROM link l JOIN requirement r ON r.id = l.requirement_id
                 ORDER BY l.test_id, r.ref",
            )?;
            let mut rows = q.query([])?;
            while let Some(r) = rows.next()? {
                if let Some(&i) = index.get(&r.get::<_, i64>(0)?) {
                    out[i].requirements.push(r.get(1)?);
                }
            }
        }
        Ok(out)
    }

    /// One test case.
    pub fn test_case(&self, reference: &str) -> Result<Option<TestCase>> {
        load(self.conn(), reference)
    }
}

impl Tx<'_> {
    /// Creates a test case; its reference must be new.
    pub fn add_test_case(&mut self, reference: &str, patch: &TestCasePatch) -> Result<()> {
        check_ref(reference, "cas de test")?;
        if load(self.conn(), reference)?.is_some() {
            return Err(Error::Duplicate {
                kind: "cas de test",
                reference: reference.to_string(),
            });
        }
        self.upsert_test_case(reference, patch).map(|_| ())
    }

    /// One test case, read inside the transaction.
    pub fn test_case(&self, reference: &str) -> Result<Option<TestCase>> {
        self.flush_new_rows()?;
        load(self.conn(), reference)
    }

    /// One test case with its row id, read inside the transaction (buffered creations
    /// included: written first).
    pub(super) fn test_case_with_id(&self, reference: &str) -> Result<Option<(i64, TestCase)>> {
        self.flush_new_rows()?;
        load_with_id(self.conn(), reference)
    }

    /// Creates or updates a test case by reference.
    pub fn upsert_test_case(&mut self, reference: &str, patch: &TestCasePatch) -> Result<Change> {
        check_ref(reference, "cas de test")?;
        let before = load_with_id(self.conn(), reference)?;
        let (change, _) = self.upsert_test_case_from(
            reference,
            patch.clone(),
            before.as_ref().map(|(i, t)| (*i, t)),
            true,
        )?;
        Ok(change)
    }

    /// [`Tx::upsert_test_case`] when the caller already knows the stored test (`before`: its
    /// id, fields, steps and tags; `None` when the reference is new) and has checked the
    /// reference. `before.requirements` is only trusted when `with_requirements`; otherwise the
    /// linked requirements are read when the audit row of an update needs them. Returns the
    /// change and, when something was written, the row id. The patch is taken by value: its
    /// texts move into the stored test without a copy.
    pub(super) fn upsert_test_case_from(
        &mut self,
        reference: &str,
        patch: TestCasePatch,
        before: Option<(i64, &TestCase)>,
        with_requirements: bool,
    ) -> Result<(Change, Option<i64>)> {
        let mut new = match before {
            Some((_, b)) => b.clone(),
            None => TestCase {
                reference: reference.to_string(),
                version: 1,
                title: String::new(),
                objective: String::new(),
                prerequisites: String::new(),
                kind: TestKind::Manual,
                automation_key: String::new(),
                priority: String::new(),
                category: String::new(),
                active: true,
                tags: Vec::new(),
                steps: Vec::new(),
                requirements: Vec::new(),
            },
        };
        macro_rules! set {
            ($field:ident) => {
                if let Some(v) = patch.$field {
                    new.$field = v;
                }
            };
        }
        set!(title);
        set!(objective);
        set!(prerequisites);
        set!(automation_key);
        set!(priority);
        set!(category);
        set!(steps);
        if let Some(v) = patch.kind {
            new.kind = v;
        }
        if let Some(v) = patch.active {
            new.active = v;
        }
        if let Some(tags) = patch.tags {
            let mut t: Vec<String> = tags
                .iter()
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect();
            t.sort();
            t.dedup();
            new.tags = t;
        }
        // `new` starts from `before`, so its requirements are equal whether or not they were
        // loaded: the comparison is on fields, steps and tags.
        if before.is_some_and(|(_, b)| *b == new) {
            return Ok((Change::Unchanged, None));
        }
        // A bulk import buffers a new test's rows, steps and tags (multi-row INSERTs), the
        // test itself kept (no copy); its audit is the bulk one.
        match before {
            None if self.buffering_new_rows() && self.note_created("cas de test", reference)? => {
                return Ok((Change::Created, Some(self.buffer_new_test(new)?)));
            }
            None => {}
            // Buffered creations first: steps and tags keep the order they were made in.
            Some(_) => self.flush_new_rows()?,
        }
        // What the tester does or checks changed: the current content becomes an earlier
        // version, kept as it was, and the test takes the next version number.
        if let Some((id, b)) = before {
            if changes_version(b, &new) {
                let steps = serde_json::to_string(&b.steps)
                    .map_err(|e| Error::Other(format!("versions : {e}")))?;
                self.conn()
                    .prepare_cached(
                        "INSERT INTO test_version(test_id, version, title, objective, prerequisites,
                             steps, created_at, replaced_at)
                         SELECT id, version, title, objective, prerequisites, ?2,
                                COALESCE(NULLIF(version_at, ''), created_at), ?3
                         FROM test_case WHERE id = ?1",
                    )?
                    .execute(params![id, steps, self.now()])?;
                self.conn()
                    .prepare_cached("UPDATE test_case SET version_at = ?2 WHERE id = ?1")?
                    .execute(params![id, self.now()])?;
                new.version = b.version + 1;
            }
        }
        let id = match before {
            None => {
                self.conn()
                    .prepare_cached(
                        "INSERT INTO test_case(ref, title, objective, prerequisites, kind,
                             automation_key, priority, category, active, created_at, updated_at)
                         VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?10)",
                    )?
                    .execute(params![
                        reference,
                        new.title,
                        new.objective,
                        new.prerequisites,
                        new.kind.code(),
                        new.automation_key,
                        new.priority,
                        new.category,
                        new.active,
                        self.now()
                    ])?;
                self.conn().last_insert_rowid()
            }
            Some((id, _)) => {
                self.conn()
                    .prepare_cached(
                        "UPDATE test_case SET title=?2, objective=?3, prerequisites=?4, kind=?5,
                             automation_key=?6, priority=?7, category=?8, active=?9, updated_at=?10,
                             version=?11
                         WHERE id = ?1",
                    )?
                    .execute(params![
                        id,
                        new.title,
                        new.objective,
                        new.prerequisites,
                        new.kind.code(),
                        new.automation_key,
                        new.priority,
                        new.category,
                        new.active,
                        self.now(),
                        new.version
                    ])?;
                id
            }
        };
        // A new test has no steps nor tags yet (foreign keys cascade deletions, so no orphan
        // row can wait under a reused id): only an existing one needs clearing first.
        let old_steps = before.map(|(_, b)| &b.steps);
        if old_steps != Some(&new.steps) {
            if old_steps.is_some() {
                self.conn()
                    .prepare_cached("DELETE FROM test_step WHERE test_id = ?1")?
                    .execute([id])?;
            }
            // Multi-row INSERTs (an import writes tens of thousands of steps; one statement
            // each was a fifth of its SQLite time).
            use super::multi::STEPS;
            let rows: Vec<(i64, &Step)> = new
                .steps
                .iter()
                .enumerate()
                .map(|(i, s)| (i as i64 + 1, s))
                .collect();
            STEPS.write(self.conn(), &rows, |b, (position, s)| {
                b.put(&id)?;
                b.put(position)?;
                b.put(&s.action)?;
                b.put(&s.expected)
            })?;
        }
        let old_tags = before.map(|(_, b)| &b.tags);
        if old_tags != Some(&new.tags) {
            if old_tags.is_some() {
                self.conn()
                    .prepare_cached("DELETE FROM test_tag WHERE test_id = ?1")?
                    .execute([id])?;
            }
            for t in &new.tags {
                self.conn()
                    .prepare_cached("INSERT INTO test_tag(test_id, tag) VALUES (?1, ?2)")?
                    .execute(params![id, t])?;
            }
        }
        match before {
            None => {
                if !self.note_created("cas de test", reference)? {
                    self.audit_of::<TestCase, _>(
                        "create",
                        "cas de test",
                        reference,
                        None,
                        Some(&new),
                    )?;
                }
                Ok((Change::Created, Some(id)))
            }
            Some((_, b)) if with_requirements => {
                self.audit_of("update", "cas de test", reference, Some(b), Some(&new))?;
                Ok((Change::Updated, Some(id)))
            }
            Some((_, b)) => {
                let mut old = b.clone();
                self.flush_links()?;
                old.requirements = requirement_refs(self.conn(), id)?;
                new.requirements.clone_from(&old.requirements);
                self.audit_of("update", "cas de test", reference, Some(&old), Some(&new))?;
                Ok((Change::Updated, Some(id)))
            }
        }
    }

    /// Every test case with its row id, steps and tags (not its requirements), keyed by
    /// reference: what an import compares against.
    pub(super) fn all_test_cases_by_ref(
        &self,
    ) -> Result<std::collections::HashMap<String, (i64, TestCase)>> {
        self.flush_new_rows()?;
        let conn = self.conn();
        let mut by_id: std::collections::HashMap<i64, TestCase> = conn
            .prepare(
                "SELECT id, ref, title, objective, prerequisites, kind, automation_key, priority,
                        category, active, version FROM test_case",
            )?
            .query_map([], |r| Ok((r.get(0)?, test_from_row(r)?)))?
            .collect::<rusqlite::Result<_>>()?;
        {
            let mut stmt = conn.prepare(
                "SELECT test_id, action, expected FROM test_step ORDER BY test_id, position",
            )?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                if let Some(tc) = by_id.get_mut(&r.get::<_, i64>(0)?) {
                    tc.steps.push(Step {
                        action: r.get(1)?,
                        expected: r.get(2)?,
                    });
                }
            }
        }
        {
            let mut stmt =
                conn.prepare("SELECT test_id, tag FROM test_tag ORDER BY test_id, tag")?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                if let Some(tc) = by_id.get_mut(&r.get::<_, i64>(0)?) {
                    tc.tags.push(r.get(1)?);
                }
            }
        }
        Ok(by_id
            .into_iter()
            .map(|(id, tc)| (tc.reference.clone(), (id, tc)))
            .collect())
    }
}
