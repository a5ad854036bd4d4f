//! Test cases, their steps and tags.

use rusqlite::{params, OptionalExtension};
use serde_json::json;

use super::requirements::{check_ref, Change};
use super::{decode, id_of, Store, Tx};
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

fn kind_from_code(code: &str) -> Option<TestKind> {
    match code {
        "manual" => Some(TestKind::Manual),
        "automated" => Some(TestKind::Automated),
        _ => None,
    }
}

fn load(conn: &rusqlite::Connection, reference: &str) -> Result<Option<TestCase>> {
    let row = conn
        .prepare_cached(
            "SELECT id, ref, title, objective, prerequisites, kind, automation_key, priority,
                    category, active FROM test_case WHERE ref = ?1",
        )?
        .query_row([reference], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                TestCase {
                    reference: r.get(1)?,
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
                },
            ))
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
    tc.requirements = conn
        .prepare_cached(
            "SELECT r.ref FROM link l JOIN requirement r ON r.id = l.requirement_id
             WHERE l.test_id = ?1 ORDER BY r.ref",
        )?
        .query_map([id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(Some(tc))
}

impl Store {
    /// All test cases with steps, tags and requirements, ordered by reference.
    pub fn test_cases(&self) -> Result<Vec<TestCase>> {
        let refs: Vec<String> = self
            .conn()
            .prepare("SELECT ref FROM test_case ORDER BY ref")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let mut out = Vec::with_capacity(refs.len());
        for r in refs {
            if let Some(tc) = load(self.conn(), &r)? {
                out.push(tc);
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
        load(self.conn(), reference)
    }

    /// Creates or updates a test case by reference.
    pub fn upsert_test_case(&mut self, reference: &str, patch: &TestCasePatch) -> Result<Change> {
        check_ref(reference, "cas de test")?;
        let before = load(self.conn(), reference)?;
        let now = self.now().to_string();
        let mut new = before.clone().unwrap_or(TestCase {
            reference: reference.to_string(),
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
        });
        macro_rules! set {
            ($field:ident) => {
                if let Some(v) = &patch.$field {
                    new.$field = v.clone();
                }
            };
        }
        set!(title);
        set!(objective);
        set!(prerequisites);
        set!(kind);
        set!(automation_key);
        set!(priority);
        set!(category);
        set!(active);
        set!(steps);
        if let Some(tags) = &patch.tags {
            let mut t: Vec<String> = tags
                .iter()
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect();
            t.sort();
            t.dedup();
            new.tags = t;
        }
        if before.as_ref() == Some(&new) {
            return Ok(Change::Unchanged);
        }
        let id = match &before {
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
                        now
                    ])?;
                self.conn().last_insert_rowid()
            }
            Some(_) => {
                let id = id_of(self.conn(), "test_case", "cas de test", reference)?;
                self.conn()
                    .prepare_cached(
                        "UPDATE test_case SET title=?2, objective=?3, prerequisites=?4, kind=?5,
                             automation_key=?6, priority=?7, category=?8, active=?9, updated_at=?10
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
                        now
                    ])?;
                id
            }
        };
        if before.as_ref().map(|b| &b.steps) != Some(&new.steps) {
            self.conn()
                .prepare_cached("DELETE FROM test_step WHERE test_id = ?1")?
                .execute([id])?;
            for (i, s) in new.steps.iter().enumerate() {
                self.conn()
                    .prepare_cached(
                        "INSERT INTO test_step(test_id, position, action, expected) VALUES (?1,?2,?3,?4)",
                    )?
                    .execute(params![id, i as i64 + 1, s.action, s.expected])?;
            }
        }
        if before.as_ref().map(|b| &b.tags) != Some(&new.tags) {
            self.conn()
                .prepare_cached("DELETE FROM test_tag WHERE test_id = ?1")?
                .execute([id])?;
            for t in &new.tags {
                self.conn()
                    .prepare_cached("INSERT INTO test_tag(test_id, tag) VALUES (?1, ?2)")?
                    .execute(params![id, t])?;
            }
        }
        let (action, change) = if before.is_some() {
            ("update", Change::Updated)
        } else {
            ("create", Change::Created)
        };
        self.audit(
            action,
            "cas de test",
            reference,
            before.map(|b| json!(b)),
            Some(json!(new)),
        )?;
        Ok(change)
    }
}
