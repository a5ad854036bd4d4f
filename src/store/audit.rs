//! Reading the audit log.

use super::Store;
use crate::entities::AuditEntry;
use crate::error::Result;

/// Filters for [`Store::audit_log`].
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub entity: Option<String>,
    pub reference: Option<String>,
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
                 ORDER BY id DESC LIMIT ?3)
             ORDER BY id",
        )?;
        let limit = filter.limit.map(i64::from).unwrap_or(-1);
        let rows = stmt.query_map(
            rusqlite::params![filter.entity, filter.reference, limit],
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
}
