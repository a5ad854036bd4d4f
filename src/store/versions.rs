//! Test cases that change: editing (a new version when what the tester does or checks
//! changes), retiring and restoring, and reading earlier versions back.

use rusqlite::{params, OptionalExtension};
use serde::Serialize;
use serde_json::json;

use super::testcases::TestCasePatch;
use super::{id_of, Store, Tx};
use crate::entities::{TestCase, TestCaseDetail, TestVersion, VersionSummary};
use crate::error::{Error, Result};
use crate::model::{Step, TestKind};

/// One change of a test's steps, applied in order after [`TestEdit::steps`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StepEdit {
    /// Replaces step N (1-based).
    Set(u32, Step),
    /// Inserts a step at N (1-based; N = count + 1 appends).
    Insert(u32, Step),
    /// Appends a step.
    Append(Step),
    /// Removes step N (1-based).
    Remove(u32),
}

/// What `recette test edit` changes; `None` and empty lists leave a field as it is.
#[derive(Debug, Clone, Default)]
pub struct TestEdit {
    pub title: Option<String>,
    pub objective: Option<String>,
    pub prerequisites: Option<String>,
    pub kind: Option<TestKind>,
    pub automation_key: Option<String>,
    pub priority: Option<String>,
    pub category: Option<String>,
    /// Replaces every step.
    pub steps: Option<Vec<Step>>,
    /// Step by step changes, after `steps`.
    pub step_edits: Vec<StepEdit>,
    pub add_tags: Vec<String>,
    pub remove_tags: Vec<String>,
    /// Requirements to link (at their current revision).
    pub add_requirements: Vec<String>,
    /// Requirements to unlink.
    pub remove_requirements: Vec<String>,
}

/// What an edit did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TestEditOutcome {
    #[serde(rename = "ref")]
    pub reference: String,
    /// Something changed.
    pub changed: bool,
    /// The edit made a new version.
    pub new_version: bool,
    /// The test's version after the edit.
    pub version: i64,
    pub links_added: Vec<String>,
    pub links_removed: Vec<String>,
}

fn step_out_of_range(reference: &str, n: u32, count: usize) -> Error {
    Error::input(
        format!("--step {n} : le cas de test {reference} a {count} étape(s)"),
        format!("step {n}: test case {reference} has {count} step(s)"),
    )
}

fn check_step(reference: &str, s: &Step) -> Result<()> {
    if s.action.trim().is_empty() {
        return Err(Error::input(
            format!("{reference} : étape à l'action vide (attendu « action => résultat attendu »)"),
            format!(
                "{reference}: step with an empty action (expected \"action => expected result\")"
            ),
        ));
    }
    Ok(())
}

/// Applies the step edits to `steps`.
fn edit_steps(reference: &str, steps: &mut Vec<Step>, edits: &[StepEdit]) -> Result<()> {
    for e in edits {
        match e {
            StepEdit::Set(n, s) => {
                check_step(reference, s)?;
                let count = steps.len();
                let slot = (*n as usize)
                    .checked_sub(1)
                    .and_then(|i| steps.get_mut(i))
                    .ok_or_else(|| step_out_of_range(reference, *n, count))?;
                *slot = s.clone();
            }
            StepEdit::Insert(n, s) => {
                check_step(reference, s)?;
                let i = *n as usize;
                if i == 0 || i > steps.len() + 1 {
                    return Err(step_out_of_range(reference, *n, steps.len()));
                }
                steps.insert(i - 1, s.clone());
            }
            StepEdit::Append(s) => {
                check_step(reference, s)?;
                steps.push(s.clone());
            }
            StepEdit::Remove(n) => {
                let i = *n as usize;
                if i == 0 || i > steps.len() {
                    return Err(step_out_of_range(reference, *n, steps.len()));
                }
                steps.remove(i - 1);
            }
        }
    }
    Ok(())
}

impl Tx<'_> {
    /// Edits a test case: fields, steps (all or one by one), tags and covered requirements, in
    /// one audited change. A change of the objective, prerequisites or steps makes a new
    /// version (the executions already recorded keep the version they ran).
    pub fn edit_test_case(&mut self, reference: &str, edit: &TestEdit) -> Result<TestEditOutcome> {
        let (_, before) = self
            .test_case_with_id(reference)?
            .ok_or_else(|| Error::NotFound {
                kind: "cas de test",
                reference: reference.to_string(),
            })?;
        if let Some(t) = &edit.title {
            if t.trim().is_empty() {
                return Err(Error::input(
                    format!("{reference} : l'intitulé ne peut pas être vide"),
                    format!("{reference}: the title cannot be empty"),
                ));
            }
        }
        let mut steps = match &edit.steps {
            Some(s) => {
                for st in s {
                    check_step(reference, st)?;
                }
                s.clone()
            }
            None => before.steps.clone(),
        };
        edit_steps(reference, &mut steps, &edit.step_edits)?;
        let mut tags = before.tags.clone();
        for t in &edit.remove_tags {
            let Some(i) = tags.iter().position(|x| x == t.trim()) else {
                return Err(Error::input(
                    format!(
                        "{reference} n'a pas l'étiquette « {t} » (étiquettes : {})",
                        list_or_none(&tags)
                    ),
                    format!(
                        "{reference} has no tag \"{t}\" (tags: {})",
                        list_or_none(&tags)
                    ),
                ));
            };
            tags.remove(i);
        }
        tags.extend(edit.add_tags.iter().cloned());
        for r in &edit.remove_requirements {
            if !before.requirements.contains(r) {
                return Err(Error::input(
                    format!(
                        "{reference} ne couvre pas {r} (exigences couvertes : {})",
                        list_or_none(&before.requirements)
                    ),
                    format!(
                        "{reference} does not cover {r} (covered requirements: {})",
                        list_or_none(&before.requirements)
                    ),
                ));
            }
        }
        let patch = TestCasePatch {
            title: edit.title.clone(),
            objective: edit.objective.clone(),
            prerequisites: edit.prerequisites.clone(),
            kind: edit.kind,
            automation_key: edit.automation_key.clone(),
            priority: edit.priority.clone(),
            category: edit.category.clone(),
            active: None,
            steps: Some(steps),
            tags: Some(tags),
        };
        let change = self.upsert_test_case(reference, &patch)?;
        let mut links_added = Vec::new();
        for r in &edit.add_requirements {
            if self.add_link(r, reference)? {
                links_added.push(r.clone());
            }
        }
        let mut links_removed = Vec::new();
        for r in &edit.remove_requirements {
            self.remove_link(r, reference)?;
            links_removed.push(r.clone());
        }
        let after = self
            .test_case(reference)?
            .map(|t| t.version)
            .unwrap_or(before.version);
        Ok(TestEditOutcome {
            reference: reference.to_string(),
            changed: change != super::Change::Unchanged
                || !links_added.is_empty()
                || !links_removed.is_empty(),
            new_version: after > before.version,
            version: after,
            links_added,
            links_removed,
        })
    }

    /// Retires a test case (obsolete): it stays in history and in the campaigns that planned
    /// it, but new campaign selections refuse it and coverage leaves it out.
    pub fn retire_test_case(&mut self, reference: &str, reason: &str) -> Result<()> {
        let (id, active) = test_state(self.conn(), reference)?;
        if !active {
            return Err(Error::input(
                format!("{reference} est déjà retiré (recette test restore {reference} pour le reprendre)"),
                format!("{reference} is already retired (recette test restore {reference} brings it back)"),
            ));
        }
        self.conn().execute(
            "UPDATE test_case SET active = 0, retired_reason = ?2, updated_at = ?3 WHERE id = ?1",
            params![id, reason, self.now()],
        )?;
        self.audit(
            "retire",
            "cas de test",
            reference,
            Some(json!({"active": true})),
            Some(json!({"active": false, "reason": reason})),
        )
    }

    /// Brings a retired test case back (active again).
    pub fn restore_test_case(&mut self, reference: &str) -> Result<()> {
        let (id, active) = test_state(self.conn(), reference)?;
        if active {
            return Err(Error::input(
                format!("{reference} n'est pas retiré"),
                format!("{reference} is not retired"),
            ));
        }
        self.conn().execute(
            "UPDATE test_case SET active = 1, retired_reason = '', updated_at = ?2 WHERE id = ?1",
            params![id, self.now()],
        )?;
        self.audit(
            "restore",
            "cas de test",
            reference,
            Some(json!({"active": false})),
            Some(json!({"active": true})),
        )
    }
}

fn list_or_none(items: &[String]) -> String {
    if items.is_empty() {
        "aucune".to_string()
    } else {
        items.join(", ")
    }
}

/// A test's id and whether it is active.
fn test_state(conn: &rusqlite::Connection, reference: &str) -> Result<(i64, bool)> {
    conn.prepare_cached("SELECT id, active FROM test_case WHERE ref = ?1")?
        .query_row([reference], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?
        .ok_or_else(|| Error::NotFound {
            kind: "cas de test",
            reference: reference.to_string(),
        })
}

/// A stored earlier version: (version, title, objective, prerequisites, steps, created, replaced).
type StoredVersion = (i64, String, String, String, Vec<Step>, String, String);

fn stored_versions(conn: &rusqlite::Connection, test_id: i64) -> Result<Vec<StoredVersion>> {
    let rows: Vec<(i64, String, String, String, String, String, String)> = conn
        .prepare_cached(
            "SELECT version, title, objective, prerequisites, steps, created_at, replaced_at
             FROM test_version WHERE test_id = ?1 ORDER BY version",
        )?
        .query_map([test_id], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    rows.into_iter()
        .map(|(v, t, o, p, steps, c, rep)| {
            let steps: Vec<Step> = serde_json::from_str(&steps)
                .map_err(|e| Error::Other(format!("version {v} illisible dans la base : {e}")))?;
            Ok((v, t, o, p, steps, c, rep))
        })
        .collect()
}

/// The steps of version `version` of a test (the current steps when it is the current one).
pub(super) fn steps_of_version(
    conn: &rusqlite::Connection,
    test_id: i64,
    version: i64,
    current: &TestCase,
) -> Result<(String, String, Vec<Step>)> {
    if version >= current.version {
        return Ok((
            current.title.clone(),
            current.prerequisites.clone(),
            current.steps.clone(),
        ));
    }
    let row: Option<(String, String, String)> = conn
        .prepare_cached(
            "SELECT title, prerequisites, steps FROM test_version WHERE test_id = ?1 AND version = ?2",
        )?
        .query_row(params![test_id, version], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .optional()?;
    match row {
        Some((title, pre, steps)) => {
            let steps: Vec<Step> = serde_json::from_str(&steps).map_err(|e| {
                Error::Other(format!("version {version} illisible dans la base : {e}"))
            })?;
            Ok((title, pre, steps))
        }
        // Executions older than versions ran "version 1" of whatever the steps were then.
        None => Ok((
            current.title.clone(),
            current.prerequisites.clone(),
            current.steps.clone(),
        )),
    }
}

impl Store {
    /// A test case with its data sets, parameters and versions.
    pub fn test_case_detail(&self, reference: &str) -> Result<TestCaseDetail> {
        let test = self.test_case(reference)?.ok_or_else(|| Error::NotFound {
            kind: "cas de test",
            reference: reference.to_string(),
        })?;
        let id = id_of(self.conn(), "test_case", "cas de test", reference)?;
        let (reason, version_at): (String, String) = self.conn().query_row(
            "SELECT retired_reason, COALESCE(NULLIF(version_at, ''), created_at)
             FROM test_case WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let mut versions: Vec<VersionSummary> = stored_versions(self.conn(), id)?
            .into_iter()
            .map(|(v, _, _, _, steps, c, rep)| VersionSummary {
                version: v,
                created_at: c,
                replaced_at: Some(rep),
                steps: steps.len(),
            })
            .collect();
        versions.push(VersionSummary {
            version: test.version,
            created_at: version_at,
            replaced_at: None,
            steps: test.steps.len(),
        });
        let parameters = super::datasets::test_parameters(&test);
        let datasets = self.datasets(reference)?;
        Ok(TestCaseDetail {
            retired_reason: (!test.active && !reason.is_empty()).then_some(reason),
            parameters,
            datasets,
            versions,
            test,
        })
    }

    /// Version `version` of a test case as it was (the current one included).
    pub fn test_version(&self, reference: &str, version: i64) -> Result<TestVersion> {
        let detail = self.test_case_detail(reference)?;
        let t = &detail.test;
        let id = id_of(self.conn(), "test_case", "cas de test", reference)?;
        if version == t.version {
            let created_at = detail
                .versions
                .last()
                .map(|v| v.created_at.clone())
                .unwrap_or_default();
            return Ok(TestVersion {
                reference: reference.to_string(),
                version,
                current: true,
                title: t.title.clone(),
                objective: t.objective.clone(),
                prerequisites: t.prerequisites.clone(),
                steps: t.steps.clone(),
                created_at,
                replaced_at: None,
            });
        }
        stored_versions(self.conn(), id)?
            .into_iter()
            .find(|v| v.0 == version)
            .map(
                |(v, title, objective, prerequisites, steps, c, rep)| TestVersion {
                    reference: reference.to_string(),
                    version: v,
                    current: false,
                    title,
                    objective,
                    prerequisites,
                    steps,
                    created_at: c,
                    replaced_at: Some(rep),
                },
            )
            .ok_or_else(|| {
                let known: Vec<String> = detail
                    .versions
                    .iter()
                    .map(|v| v.version.to_string())
                    .collect();
                Error::input(
                    format!(
                        "{reference} n'a pas de version {version} (versions : {})",
                        known.join(", ")
                    ),
                    format!(
                        "{reference} has no version {version} (versions: {})",
                        known.join(", ")
                    ),
                )
            })
    }
}
