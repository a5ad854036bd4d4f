//! Requirements, their revisions, and requirement <-> test links.

use rusqlite::{params, OptionalExtension, Row};
use serde_json::json;
use sha2::{Digest, Sha256};

use super::{decode, id_of, Store, Tx};
use crate::entities::{LinkedTest, Requirement, RequirementDetail, Revision};
use crate::error::{Error, Result};
use crate::model::{Criticality, ReqStatus};

/// Fields to set on a requirement; `None` leaves a field unchanged (or defaulted on creation).
#[derive(Debug, Clone, Default)]
pub struct RequirementPatch {
    pub title: Option<String>,
    pub description: Option<String>,
    pub criticality: Option<Criticality>,
    pub category: Option<String>,
    pub status: Option<ReqStatus>,
    pub source: Option<String>,
}

/// What an upsert did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Created,
    Updated,
    Unchanged,
}

/// sha256 of the text that defines a requirement: a new hash makes a new revision.
pub fn content_hash(title: &str, description: &str, criticality: Criticality) -> String {
    let mut h = Sha256::new();
    h.update(title.as_bytes());
    h.update([0u8]);
    h.update(description.as_bytes());
    h.update([0u8]);
    h.update(criticality.code().as_bytes());
    hex(&h.finalize())
}

/// Lower-case hex of bytes.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from(DIGITS[usize::from(b >> 4)]));
        s.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    s
}

const COLUMNS: &str =
    "ref, title, description, criticality, category, status, source, revision, content_hash";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Requirement> {
    from_row_at(r, 0)
}

/// A requirement from the [`COLUMNS`] of a row, starting at column `i`.
fn from_row_at(r: &Row<'_>, i: usize) -> rusqlite::Result<Requirement> {
    Ok(Requirement {
        reference: r.get(i)?,
        title: r.get(i + 1)?,
        description: r.get(i + 2)?,
        criticality: decode(&r.get::<_, String>(i + 3)?, Criticality::from_code)?,
        category: r.get(i + 4)?,
        status: decode(&r.get::<_, String>(i + 5)?, ReqStatus::from_code)?,
        source: r.get(i + 6)?,
        revision: r.get(i + 7)?,
        content_hash: r.get(i + 8)?,
    })
}

impl Store {
    /// All requirements, ordered by reference.
    pub fn requirements(&self) -> Result<Vec<Requirement>> {
        let sql = format!("SELECT {COLUMNS} FROM requirement ORDER BY ref");
        let mut stmt = self.conn().prepare(&sql)?;
        let rows = stmt.query_map([], from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// One requirement, if it exists.
    pub fn requirement(&self, reference: &str) -> Result<Option<Requirement>> {
        find(self.conn(), reference)
    }

    /// One requirement with its linked tests and revisions.
    pub fn requirement_detail(&self, reference: &str) -> Result<RequirementDetail> {
        let requirement = find(self.conn(), reference)?.ok_or_else(|| Error::NotFound {
            kind: "exigence",
            reference: reference.to_string(),
        })?;
        let mut stmt = self.conn().prepare(
            "SELECT t.ref, t.title, l.requirement_revision
             FROM link l JOIN requirement r ON r.id = l.requirement_id
             JOIN test_case t ON t.id = l.test_id
             WHERE r.ref = ?1 ORDER BY t.ref",
        )?;
        let tests = stmt
            .query_map([reference], |r| {
                let rev: i64 = r.get(2)?;
                Ok(LinkedTest {
                    reference: r.get(0)?,
                    title: r.get(1)?,
                    requirement_revision: rev,
                    suspect: rev < requirement.revision,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        let mut stmt = self.conn().prepare(
            "SELECT v.revision, v.title, v.content_hash, v.created_at
             FROM requirement_revision v JOIN requirement r ON r.id = v.requirement_id
             WHERE r.ref = ?1 ORDER BY v.revision",
        )?;
        let revisions = stmt
            .query_map([reference], |r| {
                Ok(Revision {
                    revision: r.get(0)?,
                    title: r.get(1)?,
                    content_hash: r.get(2)?,
                    created_at: r.get(3)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(RequirementDetail {
            requirement,
            tests,
            revisions,
        })
    }

    /// Every link as (requirement ref, test ref, suspect), ordered.
    pub fn links(&self) -> Result<Vec<(String, String, bool)>> {
        let mut stmt = self.conn().prepare(
            "SELECT r.ref, t.ref, l.requirement_revision < r.revision
             FROM link l JOIN requirement r ON r.id = l.requirement_id
             JOIN test_case t ON t.id = l.test_id ORDER BY r.ref, t.ref",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

/// One requirement with its row id, if it exists.
pub(super) fn find_with_id(
    conn: &rusqlite::Connection,
    reference: &str,
) -> Result<Option<(i64, Requirement)>> {
    let sql = format!("SELECT id, {COLUMNS} FROM requirement WHERE ref = ?1");
    Ok(conn
        .prepare_cached(&sql)?
        .query_row([reference], |r| Ok((r.get(0)?, from_row_at(r, 1)?)))
        .optional()?)
}

/// Every requirement with its row id, keyed by reference: what an import compares against.
pub(super) fn all_by_ref(
    conn: &rusqlite::Connection,
) -> Result<std::collections::HashMap<String, (i64, Requirement)>> {
    let sql = format!("SELECT id, {COLUMNS} FROM requirement");
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map([], |r| {
        let req = from_row_at(r, 1)?;
        Ok((req.reference.clone(), (r.get(0)?, req)))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn find(conn: &rusqlite::Connection, reference: &str) -> Result<Option<Requirement>> {
    let sql = format!("SELECT {COLUMNS} FROM requirement WHERE ref = ?1");
    Ok(conn
        .prepare_cached(&sql)?
        .query_row([reference], from_row)
        .optional()?)
}

impl Tx<'_> {
    /// Creates a requirement; its reference must be new.
    pub fn add_requirement(&mut self, reference: &str, patch: &RequirementPatch) -> Result<()> {
        check_ref(reference, "exigence")?;
        if find(self.conn(), reference)?.is_some() {
            return Err(Error::Duplicate {
                kind: "exigence",
                reference: reference.to_string(),
            });
        }
        self.upsert_requirement(reference, patch).map(|_| ())
    }

    /// Edits an existing requirement.
    pub fn edit_requirement(
        &mut self,
        reference: &str,
        patch: &RequirementPatch,
    ) -> Result<Change> {
        if find(self.conn(), reference)?.is_none() {
            return Err(Error::NotFound {
                kind: "exigence",
                reference: reference.to_string(),
            });
        }
        self.upsert_requirement(reference, patch)
    }

    /// Creates or updates a requirement by reference. A change of title, description or
    /// criticality makes a new revision, which makes existing links suspect.
    pub fn upsert_requirement(
        &mut self,
        reference: &str,
        patch: &RequirementPatch,
    ) -> Result<Change> {
        check_ref(reference, "exigence")?;
        let before = find_with_id(self.conn(), reference)?;
        let (change, _) = self.upsert_requirement_from(
            reference,
            patch.clone(),
            before.as_ref().map(|(i, r)| (*i, r)),
        )?;
        Ok(change)
    }

    /// [`Tx::upsert_requirement`] when the caller already knows the stored row (`before`: its
    /// id and fields, `None` when the reference is new) and has checked the reference. Returns
    /// the change and, when something was written, the row id and the requirement as stored
    /// now.
    pub(super) fn upsert_requirement_from(
        &mut self,
        reference: &str,
        patch: RequirementPatch,
        before: Option<(i64, &Requirement)>,
    ) -> Result<(Change, Option<(i64, i64)>)> {
        match before {
            None => {
                let title = patch.title.unwrap_or_default();
                let description = patch.description.unwrap_or_default();
                let criticality = patch.criticality.unwrap_or(Criticality::Majeure);
                let new = Requirement {
                    reference: reference.to_string(),
                    content_hash: content_hash(&title, &description, criticality),
                    title,
                    description,
                    criticality,
                    category: patch.category.unwrap_or_default(),
                    status: patch.status.unwrap_or(ReqStatus::Validee),
                    source: patch.source.unwrap_or_default(),
                    revision: 1,
                };
                // A bulk import buffers the rows (written by multi-row INSERTs), the requirement
                // itself kept (no copy); its audit is the bulk one.
                if self.buffering_new_rows() && self.note_created("exigence", reference)? {
                    return Ok((
                        Change::Created,
                        Some((self.buffer_new_requirement(new)?, 1)),
                    ));
                }
                let id = self.insert_requirement(&new)?;
                // The row as inserted: reading it back would give the same fields.
                if !self.note_created("exigence", reference)? {
                    self.audit_of::<Requirement, _>(
                        "create",
                        "exigence",
                        reference,
                        None,
                        Some(&new),
                    )?;
                }
                Ok((Change::Created, Some((id, 1))))
            }
            Some((id, old)) => {
                let mut new = old.clone();
                if let Some(v) = patch.title {
                    new.title = v;
                }
                if let Some(v) = patch.description {
                    new.description = v;
                }
                if let Some(v) = patch.criticality {
                    new.criticality = v;
                }
                if let Some(v) = patch.category {
                    new.category = v;
                }
                if let Some(v) = patch.status {
                    new.status = v;
                }
                if let Some(v) = patch.source {
                    new.source = v;
                }
                new.content_hash = content_hash(&new.title, &new.description, new.criticality);
                if new.content_hash != old.content_hash {
                    new.revision = old.revision + 1;
                }
                if new == *old {
                    return Ok((Change::Unchanged, None));
                }
                // Buffered creations first: revisions keep the order they were made in.
                self.flush_new_rows()?;
                self.conn()
                    .prepare_cached(
                        "UPDATE requirement SET title=?2, description=?3, criticality=?4,
                             category=?5, status=?6, source=?7, revision=?8, content_hash=?9,
                             updated_at=?10 WHERE id=?1",
                    )?
                    .execute(params![
                        id,
                        new.title,
                        new.description,
                        new.criticality.code(),
                        new.category,
                        new.status.code(),
                        new.source,
                        new.revision,
                        new.content_hash,
                        self.now(),
                    ])?;
                if new.revision != old.revision {
                    self.add_revision(
                        id,
                        new.revision,
                        &new.title,
                        &new.description,
                        new.criticality,
                        &new.content_hash,
                    )?;
                }
                self.audit_of("update", "exigence", reference, Some(old), Some(&new))?;
                Ok((Change::Updated, Some((id, new.revision))))
            }
        }
    }

    /// Inserts a new requirement (`new`, at revision 1) and its first revision; returns its id.
    fn insert_requirement(&mut self, new: &Requirement) -> Result<i64> {
        self.conn()
            .prepare_cached(
                "INSERT INTO requirement(ref, title, description, criticality, category,
                     status, source, revision, content_hash, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 1, ?8, ?9, ?9)",
            )?
            .execute(params![
                new.reference,
                new.title,
                new.description,
                new.criticality.code(),
                new.category,
                new.status.code(),
                new.source,
                new.content_hash,
                self.now(),
            ])?;
        let id = self.conn().last_insert_rowid();
        self.add_revision(
            id,
            1,
            &new.title,
            &new.description,
            new.criticality,
            &new.content_hash,
        )?;
        Ok(id)
    }

    fn add_revision(
        &mut self,
        id: i64,
        revision: i64,
        title: &str,
        description: &str,
        criticality: Criticality,
        hash: &str,
    ) -> Result<()> {
        self.conn()
            .prepare_cached(
                "INSERT INTO requirement_revision(requirement_id, revision, title, description,
                     criticality, content_hash, created_at) VALUES (?1,?2,?3,?4,?5,?6,?7)",
            )?
            .execute(params![
                id,
                revision,
                title,
                description,
                criticality.code(),
                hash,
                self.now()
            ])?;
        Ok(())
    }

    /// Links a test to a requirement at its current revision. Returns `false` when the link
    /// already existed (it is left as it is).
    pub fn add_link(&mut self, requirement: &str, test: &str) -> Result<bool> {
        self.flush_new_rows()?;
        let (req_id, revision): (i64, i64) = self
            .conn()
            .prepare_cached("SELECT id, revision FROM requirement WHERE ref = ?1")?
            .query_row([requirement], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?
            .ok_or_else(|| Error::NotFound {
                kind: "exigence",
                reference: requirement.to_string(),
            })?;
        let test_id = id_of(self.conn(), "test_case", "cas de test", test)?;
        self.add_link_ids((req_id, requirement, revision), (test_id, test))
    }

    /// [`Tx::add_link`] with the ids already known: the requirement as (id, ref, current
    /// revision), the test as (id, ref).
    pub(super) fn add_link_ids(
        &mut self,
        requirement: (i64, &str, i64),
        test: (i64, &str),
    ) -> Result<bool> {
        self.add_link_ids_known(requirement, test, false)
    }

    /// [`Tx::add_link_ids`]; `known_new`: the caller knows the link does not exist (it read
    /// every link of the store), so it is queued for a multi-row INSERT.
    pub(super) fn add_link_ids_known(
        &mut self,
        (req_id, requirement, revision): (i64, &str, i64),
        (test_id, test): (i64, &str),
        known_new: bool,
    ) -> Result<bool> {
        let n = if known_new {
            self.queue_new_link((req_id, test_id, revision))?;
            1
        } else {
            // Its requirement or test may be a buffered creation.
            self.flush_new_rows()?;
            self.conn()
                .prepare_cached(
                    "INSERT OR IGNORE INTO link(requirement_id, test_id, requirement_revision, created_at)
                     VALUES (?1, ?2, ?3, ?4)",
                )?
                .execute(params![req_id, test_id, revision, self.now()])?
        };
        if n == 0 {
            return Ok(false);
        }
        let label = format!("{requirement} -> {test}");
        if !self.note_created("lien", &label)? {
            /// The audit record of a new link (fields in the order `json!` would sort them).
            #[derive(serde::Serialize)]
            struct NewLink<'a> {
                requirement: &'a str,
                revision: i64,
                test: &'a str,
            }
            let after = NewLink {
                requirement,
                revision,
                test,
            };
            self.audit_of::<NewLink<'_>, _>("create", "lien", &label, None, Some(&after))?;
        }
        Ok(true)
    }

    /// Every link as (requirement id, test id).
    pub(super) fn link_ids(&self) -> Result<foldhash::HashSet<(i64, i64)>> {
        let mut stmt = self
            .conn()
            .prepare("SELECT requirement_id, test_id FROM link")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Removes a link; an unknown link is an error.
    pub fn remove_link(&mut self, requirement: &str, test: &str) -> Result<()> {
        let req_id = id_of(self.conn(), "requirement", "exigence", requirement)?;
        let test_id = id_of(self.conn(), "test_case", "cas de test", test)?;
        let n = self.conn().execute(
            "DELETE FROM link WHERE requirement_id = ?1 AND test_id = ?2",
            params![req_id, test_id],
        )?;
        if n == 0 {
            return Err(Error::NotFound {
                kind: "lien",
                reference: format!("{requirement} -> {test}"),
            });
        }
        self.audit(
            "delete",
            "lien",
            &format!("{requirement} -> {test}"),
            Some(json!({"requirement": requirement, "test": test})),
            None,
        )
    }

    /// Marks suspect links as reviewed: they now point at the requirement's current revision.
    /// With `test = None`, every link of the requirement. Returns how many links changed.
    pub fn review_links(&mut self, requirement: &str, test: Option<&str>) -> Result<usize> {
        let req_id = id_of(self.conn(), "requirement", "exigence", requirement)?;
        let test_id = match test {
            Some(t) => Some(id_of(self.conn(), "test_case", "cas de test", t)?),
            None => None,
        };
        let now = self.now().to_string();
        let n = self.conn().execute(
            "UPDATE link SET requirement_revision =
                 (SELECT revision FROM requirement WHERE id = ?1), reviewed_at = ?3
             WHERE requirement_id = ?1 AND (?2 IS NULL OR test_id = ?2)
               AND requirement_revision < (SELECT revision FROM requirement WHERE id = ?1)",
            params![req_id, test_id, now],
        )?;
        if n > 0 {
            self.audit(
                "review",
                "lien",
                requirement,
                None,
                Some(json!({"requirement": requirement, "test": test, "links": n})),
            )?;
        }
        Ok(n)
    }
}

/// A reference must be non-empty, printable, without leading/trailing spaces, at most 100 chars.
pub(crate) fn check_ref(reference: &str, kind: &'static str) -> Result<()> {
    let ok = !reference.is_empty()
        && reference.len() <= 100
        && reference.trim() == reference
        && !reference.chars().any(char::is_control);
    if ok {
        Ok(())
    } else {
        Err(Error::input(
            format!("référence de {kind} invalide « {reference} » : attendu un texte non vide sans espace au début ni à la fin (100 caractères au plus)"),
            format!("invalid {kind} reference \"{reference}\": expected non-empty text without leading or trailing spaces (at most 100 characters)"),
        ))
    }
}
