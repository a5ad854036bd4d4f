//! Anomalies and their lifecycle.

use rusqlite::{params, OptionalExtension};
use serde_json::json;

use super::requirements::check_ref;
use super::{decode, id_of, Store, Tx};
use crate::entities::Anomaly;
use crate::error::{Error, Result};
use crate::model::{AnomalyStatus, Severity};

/// Changes to an anomaly; `None` leaves a field unchanged.
#[derive(Debug, Clone, Default)]
pub struct AnomalyPatch {
    pub title: Option<String>,
    pub description: Option<String>,
    pub severity: Option<Severity>,
    pub status: Option<AnomalyStatus>,
    pub found_in: Option<String>,
    pub fixed_in: Option<String>,
}

fn load(conn: &rusqlite::Connection, only: Option<&str>) -> Result<Vec<Anomaly>> {
    let mut stmt = conn.prepare_cached(
        "SELECT a.id, a.ref, a.title, a.description, a.severity, a.status, df.ref, dx.ref,
                a.reopen_count, a.created_at, a.closed_at
         FROM anomaly a LEFT JOIN delivery df ON df.id = a.found_in_delivery_id
         LEFT JOIN delivery dx ON dx.id = a.fixed_in_delivery_id
         WHERE ?1 IS NULL OR a.ref = ?1 ORDER BY a.ref",
    )?;
    let rows = stmt
        .query_map([only], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                Anomaly {
                    reference: r.get(1)?,
                    title: r.get(2)?,
                    description: r.get(3)?,
                    severity: decode(&r.get::<_, String>(4)?, Severity::from_code)?,
                    status: decode(&r.get::<_, String>(5)?, AnomalyStatus::from_code)?,
                    found_in: r.get(6)?,
                    fixed_in: r.get(7)?,
                    reopen_count: r.get(8)?,
                    created_at: r.get(9)?,
                    closed_at: r.get(10)?,
                    tests: Vec::new(),
                },
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut out = Vec::with_capacity(rows.len());
    for (id, mut a) in rows {
        a.tests = conn
            .prepare_cached(
                "SELECT DISTINCT t.ref FROM execution_anomaly ea JOIN execution e ON e.id = ea.execution_id
                 JOIN test_case t ON t.id = e.test_id WHERE ea.anomaly_id = ?1 ORDER BY t.ref",
            )?
            .query_map([id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        out.push(a);
    }
    Ok(out)
}

impl Store {
    /// All anomalies, by reference.
    pub fn anomalies(&self) -> Result<Vec<Anomaly>> {
        load(self.conn(), None)
    }

    /// One anomaly.
    pub fn anomaly(&self, reference: &str) -> Result<Option<Anomaly>> {
        Ok(load(self.conn(), Some(reference))?.into_iter().next())
    }
}

impl Tx<'_> {
    /// One anomaly, read inside the transaction.
    pub fn anomaly(&self, reference: &str) -> Result<Option<Anomaly>> {
        Ok(load(self.conn(), Some(reference))?.into_iter().next())
    }

    /// Creates an anomaly.
    pub fn add_anomaly(
        &mut self,
        reference: &str,
        title: &str,
        severity: Severity,
        patch: &AnomalyPatch,
    ) -> Result<()> {
        check_ref(reference, "anomalie")?;
        let exists: Option<i64> = self
            .conn()
            .query_row("SELECT id FROM anomaly WHERE ref = ?1", [reference], |r| {
                r.get(0)
            })
            .optional()?;
        if exists.is_some() {
            return Err(Error::Duplicate {
                kind: "anomalie",
                reference: reference.to_string(),
            });
        }
        let found = match &patch.found_in {
            Some(d) => Some(id_of(self.conn(), "delivery", "livraison", d)?),
            None => None,
        };
        let fixed = match &patch.fixed_in {
            Some(d) => Some(id_of(self.conn(), "delivery", "livraison", d)?),
            None => None,
        };
        let status = patch.status.unwrap_or(AnomalyStatus::Ouverte);
        let now = self.now().to_string();
        self.conn().execute(
            "INSERT INTO anomaly(ref, title, description, severity, status, found_in_delivery_id,
                 fixed_in_delivery_id, created_at, updated_at, closed_at)
             VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?8,?9)",
            params![
                reference,
                title,
                patch.description.clone().unwrap_or_default(),
                severity.code(),
                status.code(),
                found,
                fixed,
                now,
                (!status.is_open()).then(|| now.clone()),
            ],
        )?;
        let after = self.anomaly(reference)?;
        self.audit("create", "anomalie", reference, None, Some(json!(after)))
    }

    /// Changes an anomaly. Moving from corrigée/à retester/close back to ouverte or rouverte
    /// counts a reopening.
    pub fn update_anomaly(&mut self, reference: &str, patch: &AnomalyPatch) -> Result<bool> {
        let before = self.anomaly(reference)?.ok_or_else(|| Error::NotFound {
            kind: "anomalie",
            reference: reference.to_string(),
        })?;
        let mut after = before.clone();
        if let Some(v) = &patch.title {
            after.title = v.clone();
        }
        if let Some(v) = &patch.description {
            after.description = v.clone();
        }
        if let Some(v) = patch.severity {
            after.severity = v;
        }
        if let Some(v) = &patch.found_in {
            id_of(self.conn(), "delivery", "livraison", v)?;
            after.found_in = Some(v.clone());
        }
        if let Some(v) = &patch.fixed_in {
            id_of(self.conn(), "delivery", "livraison", v)?;
            after.fixed_in = Some(v.clone());
        }
        if let Some(s) = patch.status {
            let reopening = matches!(s, AnomalyStatus::Rouverte | AnomalyStatus::Ouverte)
                && matches!(
                    before.status,
                    AnomalyStatus::Corrigee | AnomalyStatus::ARetester | AnomalyStatus::Close
                );
            if reopening {
                after.reopen_count += 1;
            }
            if !s.is_open() && before.status.is_open() {
                after.closed_at = Some(self.now().to_string());
            } else if s.is_open() {
                after.closed_at = None;
            }
            after.status = s;
        }
        if after == before {
            return Ok(false);
        }
        let now = self.now().to_string();
        self.conn().execute(
            "UPDATE anomaly SET title=?2, description=?3, severity=?4, status=?5,
                 found_in_delivery_id=(SELECT id FROM delivery WHERE ref=?6),
                 fixed_in_delivery_id=(SELECT id FROM delivery WHERE ref=?7),
                 reopen_count=?8, closed_at=?9, updated_at=?10 WHERE ref=?1",
            params![
                reference,
                after.title,
                after.description,
                after.severity.code(),
                after.status.code(),
                after.found_in,
                after.fixed_in,
                after.reopen_count,
                after.closed_at,
                now
            ],
        )?;
        self.audit(
            "update",
            "anomalie",
            reference,
            Some(json!(before)),
            Some(json!(after)),
        )?;
        Ok(true)
    }
}
