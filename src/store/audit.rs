//! The audit log: reading it, and its hash chain.
//!
//! Each row carries `hash` = sha256 of its own fields and of `prev_hash`, the hash of the row
//! before it (empty for the first). Altering a row breaks its hash; deleting one breaks the
//! chain at the next row (and leaves a gap in the ids); cutting the end of the log is found by
//! the sign-offs, which record the audit row they follow (`signoff.audit_head`). SQLite
//! triggers refuse updates and deletes; the chain is what shows a change made around them
//! (another SQLite client, a trigger dropped).

use rusqlite::Connection;
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::{hex, Store};
use crate::entities::AuditEntry;
use crate::error::Result;

/// The comment that marks the migration after which the chain of existing rows is computed.
pub(crate) const CHAIN_MARKER: &str = "recette:chain-audit";

/// The fields of an audit row that its hash covers.
pub(crate) struct Row<'a> {
    pub id: i64,
    pub at: &'a str,
    pub actor: &'a str,
    pub action: &'a str,
    pub entity: &'a str,
    pub reference: &'a str,
    pub before: Option<&'a str>,
    pub after: Option<&'a str>,
}

impl Row<'_> {
    /// sha256 (hex) of `prev` and the row's fields, each length-prefixed (an absent `before` or
    /// `after` differs from an empty one).
    pub fn hash(&self, prev: &str) -> String {
        let mut h = Sha256::new();
        let mut field = |v: Option<&str>| match v {
            Some(v) => {
                h.update(format!("{}:", v.len()).as_bytes());
                h.update(v.as_bytes());
            }
            None => h.update(b"-"),
        };
        let id = self.id.to_string();
        for v in [
            Some(prev),
            Some(id.as_str()),
            Some(self.at),
            Some(self.actor),
            Some(self.action),
            Some(self.entity),
            Some(self.reference),
            self.before,
            self.after,
        ] {
            field(v);
        }
        hex(&h.finalize())
    }
}

/// Id and hash of the last audit row (0 and "" when the log is empty).
pub(crate) fn head(conn: &Connection) -> Result<(i64, String)> {
    use rusqlite::OptionalExtension;
    Ok(conn
        .query_row(
            "SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?
        .unwrap_or((0, String::new())))
}

type RawRow = (
    i64,
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    String,
    String,
);

fn raw_rows(conn: &Connection, f: &mut dyn FnMut(RawRow) -> Result<()>) -> Result<()> {
    let mut stmt = conn.prepare(
        "SELECT id, at, actor, action, entity, ref, before, after, prev_hash, hash
         FROM audit ORDER BY id",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        f((
            r.get(0)?,
            r.get(1)?,
            r.get(2)?,
            r.get(3)?,
            r.get(4)?,
            r.get(5)?,
            r.get(6)?,
            r.get(7)?,
            r.get(8)?,
            r.get(9)?,
        ))?;
    }
    Ok(())
}

fn row_of(r: &RawRow) -> Row<'_> {
    Row {
        id: r.0,
        at: &r.1,
        actor: &r.2,
        action: &r.3,
        entity: &r.4,
        reference: &r.5,
        before: r.6.as_deref(),
        after: r.7.as_deref(),
    }
}

/// Migration 0008: computes the chain of the rows written before it, then restores the trigger
/// that refuses updates.
pub(crate) fn chain_existing(conn: &Connection) -> Result<()> {
    let mut chained = Vec::new();
    let mut prev = String::new();
    raw_rows(conn, &mut |r| {
        let hash = row_of(&r).hash(&prev);
        chained.push((r.0, prev.clone(), hash.clone()));
        prev = hash;
        Ok(())
    })?;
    let mut stmt = conn.prepare("UPDATE audit SET prev_hash = ?2, hash = ?3 WHERE id = ?1")?;
    for (id, prev, hash) in chained {
        stmt.execute(rusqlite::params![id, prev, hash])?;
    }
    conn.execute_batch(
        "CREATE TRIGGER audit_immutable BEFORE UPDATE ON audit
         BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;",
    )?;
    Ok(())
}

/// A break in the audit chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChainBreak {
    /// `audit_altered` (a row's content does not match its hash), `audit_deleted` (a row is
    /// missing before this one, or after the one a sign-off recorded).
    pub kind: &'static str,
    pub id: i64,
    pub detail: String,
}

/// Walks the chain: every row's hash recomputed, every `prev_hash` equal to the hash of the row
/// before, ids without gaps; then the audit row each sign-off recorded is still there, unchanged.
pub(crate) fn verify_chain(conn: &Connection) -> Result<Vec<ChainBreak>> {
    let mut out = Vec::new();
    let mut prev: Option<(i64, String)> = None;
    let mut hashes = std::collections::HashMap::new();
    raw_rows(conn, &mut |r| {
        let (prev_id, prev_hash) = prev.clone().unwrap_or((0, String::new()));
        let row = row_of(&r);
        if r.0 != prev_id + 1 || r.8 != prev_hash {
            out.push(ChainBreak {
                kind: "audit_deleted",
                id: r.0,
                detail: if r.0 != prev_id + 1 {
                    format!(
                        "ligne(s) {} à {} du journal d'audit supprimée(s) avant la ligne {}",
                        prev_id + 1,
                        r.0 - 1,
                        r.0
                    )
                } else {
                    format!(
                        "la ligne {} ne suit pas la ligne {} (chaîne rompue)",
                        r.0, prev_id
                    )
                },
            });
        }
        if row.hash(&r.8) != r.9 {
            out.push(ChainBreak {
                kind: "audit_altered",
                id: r.0,
                detail: format!(
                    "ligne {} du journal d'audit modifiée ({} {} {} du {})",
                    r.0, r.3, r.4, r.5, r.1
                ),
            });
        }
        hashes.insert(r.0, r.9.clone());
        prev = Some((r.0, r.9));
        Ok(())
    })?;
    let mut stmt =
        conn.prepare("SELECT id, audit_head FROM signoff WHERE audit_head != '' ORDER BY id")?;
    let heads: Vec<(i64, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (signoff, head) in heads {
        let Some((id, hash)) = head.split_once(':') else {
            continue;
        };
        let id: i64 = id.parse().unwrap_or(0);
        if id > 0 && hashes.get(&id).map(String::as_str) != Some(hash) {
            out.push(ChainBreak {
                kind: "audit_deleted",
                id,
                detail: format!(
                    "la ligne {id} du journal d'audit, enregistrée par la signature {signoff}, est absente ou modifiée"
                ),
            });
        }
    }
    Ok(out)
}

/// Filters for [`Store::audit_log`].
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub entity: Option<String>,
    pub reference: Option<String>,
    /// The account that made the change.
    pub actor: Option<String>,
    pub limit: Option<u32>,
}

impl Store {
    /// Audit entries, oldest first (the newest `limit` when given).
    pub fn audit_log(&self, filter: &AuditFilter) -> Result<Vec<AuditEntry>> {
        let mut stmt = self.conn().prepare(
            "SELECT id, at, actor, action, entity, ref, before, after FROM (
                 SELECT * FROM audit
                 WHERE (?1 IS NULL OR entity = ?1) AND (?2 IS NULL OR ref = ?2 OR ref LIKE ?2 || '/%'
                     -- Creations audited in bulk by an import list their references.
                     OR (action = 'create' AND json_valid(after) AND EXISTS (
                         SELECT 1 FROM json_each(after, '$.refs') WHERE value = ?2
                         UNION ALL SELECT 1 FROM json_each(after, '$.tests') WHERE value = ?2)))
                   AND (?4 IS NULL OR actor = ?4)
                 ORDER BY id DESC LIMIT ?3)
             ORDER BY id",
        )?;
        let limit = filter.limit.map(i64::from).unwrap_or(-1);
        let rows = stmt.query_map(
            rusqlite::params![filter.entity, filter.reference, limit, filter.actor],
            |r| {
                let before: Option<String> = r.get(6)?;
                let after: Option<String> = r.get(7)?;
                Ok(AuditEntry {
                    id: r.get(0)?,
                    at: r.get(1)?,
                    actor: r.get(2)?,
                    action: r.get(3)?,
                    entity: r.get(4)?,
                    reference: r.get(5)?,
                    before: before.and_then(|s| serde_json::from_str(&s).ok()),
                    after: after.and_then(|s| serde_json::from_str(&s).ok()),
                })
            },
        )?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Every account name that wrote in the audit log, sorted (the journal page's filter).
    pub fn audit_actors(&self) -> Result<Vec<String>> {
        let mut stmt = self
            .conn()
            .prepare_cached("SELECT DISTINCT actor FROM audit ORDER BY actor")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
