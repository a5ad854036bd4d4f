//! Anomalies and their lifecycle: every status change goes through [`Tx::update_anomaly`],
//! which applies the rule of [`AnomalyStatus::next`] (and the comment that reopening or
//! rejecting needs) and writes one `anomaly_event` row per move: who, when, from, to, comment,
//! delivery and, for retests, the execution. Comments (internal or shared), attachments and
//! direct links to requirements live beside it.

use std::path::Path;

use rusqlite::{params, OptionalExtension};
use serde_json::json;

use super::campaigns::store_evidence;
use super::requirements::check_ref;
use super::{decode, id_of, Store, Tx};
use crate::entities::{
    item_label, Anomaly, AnomalyComment, AnomalyDetail, AnomalyExecution, AnomalyHistoryEntry,
    Evidence, Visibility,
};
use crate::error::{Error, Result};
use crate::model::{AnomalyStatus, ExecStatus, Severity};

/// Changes to an anomaly; `None` leaves a field unchanged.
#[derive(Debug, Clone, Default)]
pub struct AnomalyPatch {
    pub title: Option<String>,
    pub description: Option<String>,
    pub severity: Option<Severity>,
    pub status: Option<AnomalyStatus>,
    pub found_in: Option<String>,
    pub fixed_in: Option<String>,
    /// Who must act on it; `Some("")` clears it.
    pub assignee: Option<String>,
    /// Why the status changes (required to reopen or reject); kept in the history row.
    pub comment: Option<String>,
}

impl AnomalyPatch {
    /// Whether the patch changes nothing.
    pub fn is_empty(&self) -> bool {
        self.title.is_none()
            && self.description.is_none()
            && self.severity.is_none()
            && self.status.is_none()
            && self.found_in.is_none()
            && self.fixed_in.is_none()
            && self.assignee.is_none()
    }
}

/// What made a status change, for its history row.
#[derive(Debug, Clone, Copy)]
pub(crate) struct MoveCause<'a> {
    /// `move`, `fix_claimed`, `retest_passed`, `retest_failed`, `import`.
    pub event: &'a str,
    pub execution_id: Option<i64>,
    /// Delivery recorded on the row; `None`: the anomaly's fixing delivery after the change.
    pub delivery_id: Option<i64>,
}

const BY_HAND: MoveCause<'static> = MoveCause {
    event: "move",
    execution_id: None,
    delivery_id: None,
};

/// The error for a move the lifecycle does not allow, listing the allowed next statuses.
pub fn lifecycle_error(reference: &str, from: AnomalyStatus, to: AnomalyStatus) -> Error {
    let list = |lang| {
        from.next()
            .iter()
            .map(|s| s.label(lang))
            .collect::<Vec<_>>()
            .join(", ")
    };
    use crate::i18n::Lang;
    Error::input(
        format!(
            "anomalie {reference} : passage de « {} » à « {} » interdit ; statuts possibles depuis « {} » : {}",
            from.label(Lang::Fr),
            to.label(Lang::Fr),
            from.label(Lang::Fr),
            list(Lang::Fr)
        ),
        format!(
            "anomaly {reference}: moving from \"{}\" to \"{}\" is not allowed; allowed next statuses from \"{}\": {}",
            from.label(Lang::En),
            to.label(Lang::En),
            from.label(Lang::En),
            list(Lang::En)
        ),
    )
}

/// Checks one move of the lifecycle: allowed, and with a comment when it reopens or rejects.
pub fn check_move(
    reference: &str,
    from: AnomalyStatus,
    to: AnomalyStatus,
    comment: Option<&str>,
) -> Result<()> {
    if from == to {
        return Ok(());
    }
    if !from.can_move_to(to) {
        return Err(lifecycle_error(reference, from, to));
    }
    if from.move_needs_comment(to) && comment.is_none_or(|c| c.trim().is_empty()) {
        use crate::i18n::Lang;
        return Err(Error::input(
            format!(
                "anomalie {reference} : passer à « {} » demande un commentaire qui dise pourquoi (--comment)",
                to.label(Lang::Fr)
            ),
            format!(
                "anomaly {reference}: moving to \"{}\" needs a comment saying why (--comment)",
                to.label(Lang::En)
            ),
        ));
    }
    Ok(())
}

fn load(conn: &rusqlite::Connection, only: Option<&str>) -> Result<Vec<Anomaly>> {
    let mut stmt = conn.prepare_cached(
        "SELECT a.id, a.ref, a.title, a.description, a.severity, a.status, df.ref, dx.ref,
                a.reopen_count, a.created_at, a.closed_at, a.assignee
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
                    assignee: r.get(11)?,
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

fn not_found(reference: &str) -> Error {
    Error::NotFound {
        kind: "anomalie",
        reference: reference.to_string(),
    }
}

/// Everything `anomaly show` gives; internal comments only when `internal` is true.
fn detail(conn: &rusqlite::Connection, reference: &str, internal: bool) -> Result<AnomalyDetail> {
    let anomaly = load(conn, Some(reference))?
        .into_iter()
        .next()
        .ok_or_else(|| not_found(reference))?;
    let id = id_of(conn, "anomaly", "anomalie", reference)?;
    let history = conn
        .prepare_cached(
            "SELECT e.at, e.actor, e.event, e.from_status, e.to_status, e.comment, d.ref,
                    c.ref, t.ref, x.dataset, x.attempt
             FROM anomaly_event e LEFT JOIN delivery d ON d.id = e.delivery_id
             LEFT JOIN execution x ON x.id = e.execution_id
             LEFT JOIN campaign c ON c.id = x.campaign_id LEFT JOIN test_case t ON t.id = x.test_id
             WHERE e.anomaly_id = ?1 ORDER BY e.id",
        )?
        .query_map([id], |r| {
            let from: String = r.get(3)?;
            let execution = match (
                r.get::<_, Option<String>>(7)?,
                r.get::<_, Option<String>>(8)?,
                r.get::<_, Option<String>>(9)?,
                r.get::<_, Option<i64>>(10)?,
            ) {
                (Some(c), Some(t), ds, Some(n)) => {
                    Some(format!("{c}/{}#{n}", item_label(&t, ds.as_deref())))
                }
                _ => None,
            };
            Ok(AnomalyHistoryEntry {
                at: r.get(0)?,
                actor: r.get(1)?,
                event: r.get(2)?,
                from: if from.is_empty() {
                    None
                } else {
                    Some(decode(&from, AnomalyStatus::from_code)?)
                },
                to: decode(&r.get::<_, String>(4)?, AnomalyStatus::from_code)?,
                comment: r.get(5)?,
                delivery: r.get(6)?,
                execution,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let comments = conn
        .prepare_cached(
            "SELECT at, actor, visibility, text FROM anomaly_comment
             WHERE anomaly_id = ?1 AND (?2 OR visibility = 'shared') ORDER BY id",
        )?
        .query_map(params![id, internal], |r| {
            Ok(AnomalyComment {
                at: r.get(0)?,
                actor: r.get(1)?,
                visibility: decode(&r.get::<_, String>(2)?, Visibility::from_code)?,
                text: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let evidence = conn
        .prepare_cached(
            "SELECT file_name, sha256, size FROM anomaly_evidence WHERE anomaly_id = ?1 ORDER BY id",
        )?
        .query_map([id], |r| {
            Ok(Evidence {
                file_name: r.get(0)?,
                sha256: r.get(1)?,
                size: r.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let requirements = conn
        .prepare_cached(
            "SELECT r.ref FROM anomaly_requirement ar JOIN requirement r ON r.id = ar.requirement_id
             WHERE ar.anomaly_id = ?1
             UNION
             SELECT r.ref FROM execution_anomaly ea JOIN execution e ON e.id = ea.execution_id
             JOIN link l ON l.test_id = e.test_id JOIN requirement r ON r.id = l.requirement_id
             WHERE ea.anomaly_id = ?1
             ORDER BY 1",
        )?
        .query_map([id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let executions = conn
        .prepare_cached(
            "SELECT c.ref, t.ref, e.dataset, e.attempt, e.status, e.tester, e.executed_at
             FROM execution_anomaly ea JOIN execution e ON e.id = ea.execution_id
             JOIN campaign c ON c.id = e.campaign_id JOIN test_case t ON t.id = e.test_id
             WHERE ea.anomaly_id = ?1 ORDER BY e.executed_at, c.ref, t.ref, e.dataset, e.attempt",
        )?
        .query_map([id], |r| {
            let ds: String = r.get(2)?;
            Ok(AnomalyExecution {
                campaign: r.get(0)?,
                test: r.get(1)?,
                dataset: (!ds.is_empty()).then_some(ds),
                attempt: r.get(3)?,
                status: decode(&r.get::<_, String>(4)?, ExecStatus::from_code)?,
                tester: r.get(5)?,
                executed_at: r.get(6)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(AnomalyDetail {
        next_statuses: anomaly.status.next().to_vec(),
        anomaly,
        history,
        comments,
        evidence,
        requirements,
        executions,
    })
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

    /// One anomaly with its whole history, comments, attachments, requirements and
    /// executions. `internal`: include internal comments (never for the vendor role).
    pub fn anomaly_detail(&self, reference: &str, internal: bool) -> Result<AnomalyDetail> {
        detail(self.conn(), reference, internal)
    }
}

impl Tx<'_> {
    /// One anomaly, read inside the transaction.
    pub fn anomaly(&self, reference: &str) -> Result<Option<Anomaly>> {
        Ok(load(self.conn(), Some(reference))?.into_iter().next())
    }

    /// One anomaly with everything `anomaly show` gives, read inside the transaction.
    pub fn anomaly_detail(&self, reference: &str, internal: bool) -> Result<AnomalyDetail> {
        detail(self.conn(), reference, internal)
    }

    /// Creates an anomaly (status `ouverte` unless the patch gives one), with its creation as
    /// the first row of its history.
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
                 fixed_in_delivery_id, created_at, updated_at, closed_at, assignee)
             VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?8,?9,?10)",
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
                patch.assignee.clone().unwrap_or_default(),
            ],
        )?;
        let aid = self.conn().last_insert_rowid();
        self.insert_event(
            aid,
            "create",
            "",
            status,
            patch.comment.as_deref().unwrap_or(""),
            None,
            fixed.or(found),
        )?;
        let after = self.anomaly(reference)?;
        self.audit("create", "anomalie", reference, None, Some(json!(after)))
    }

    /// Writes one history row.
    #[allow(clippy::too_many_arguments)]
    fn insert_event(
        &mut self,
        anomaly_id: i64,
        event: &str,
        from: &str,
        to: AnomalyStatus,
        comment: &str,
        execution_id: Option<i64>,
        delivery_id: Option<i64>,
    ) -> Result<()> {
        let now = self.now().to_string();
        let actor = self.actor().to_string();
        self.conn()
            .prepare_cached(
                "INSERT INTO anomaly_event(anomaly_id, at, actor, event, from_status, to_status,
                     comment, execution_id, delivery_id) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)",
            )?
            .execute(params![
                anomaly_id,
                now,
                actor,
                event,
                from,
                to.code(),
                comment,
                execution_id,
                delivery_id
            ])?;
        Ok(())
    }

    /// Changes an anomaly. A status change must be a move of the lifecycle
    /// ([`AnomalyStatus::next`]; reopening and rejecting need `patch.comment`), and writes a
    /// history row; a reopening is counted. Returns whether anything changed.
    pub fn update_anomaly(&mut self, reference: &str, patch: &AnomalyPatch) -> Result<bool> {
        self.change_anomaly(reference, patch, BY_HAND)
    }

    /// [`Tx::update_anomaly`] with the cause of the move, for its history row.
    pub(crate) fn change_anomaly(
        &mut self,
        reference: &str,
        patch: &AnomalyPatch,
        cause: MoveCause<'_>,
    ) -> Result<bool> {
        let before = self
            .anomaly(reference)?
            .ok_or_else(|| not_found(reference))?;
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
        if let Some(v) = &patch.assignee {
            after.assignee = v.trim().to_string();
        }
        if let Some(v) = &patch.found_in {
            id_of(self.conn(), "delivery", "livraison", v)?;
            after.found_in = Some(v.clone());
        }
        if let Some(v) = &patch.fixed_in {
            id_of(self.conn(), "delivery", "livraison", v)?;
            after.fixed_in = Some(v.clone());
        }
        let moved = patch.status.filter(|s| *s != before.status);
        if let Some(s) = moved {
            check_move(reference, before.status, s, patch.comment.as_deref())?;
            if before.status.is_reopening(s) {
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
                 reopen_count=?8, closed_at=?9, updated_at=?10, assignee=?11 WHERE ref=?1",
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
                now,
                after.assignee,
            ],
        )?;
        if let Some(s) = moved {
            let aid = id_of(self.conn(), "anomaly", "anomalie", reference)?;
            let delivery = match cause.delivery_id {
                Some(d) => Some(d),
                None => match &after.fixed_in {
                    Some(d) => Some(id_of(self.conn(), "delivery", "livraison", d)?),
                    None => None,
                },
            };
            self.insert_event(
                aid,
                cause.event,
                before.status.code(),
                s,
                patch.comment.as_deref().unwrap_or("").trim(),
                cause.execution_id,
                delivery,
            )?;
        }
        self.audit(
            "update",
            "anomalie",
            reference,
            Some(json!(before)),
            Some(json!(after)),
        )?;
        Ok(true)
    }

    /// Adds a comment to an anomaly. An empty text is refused.
    pub fn comment_anomaly(
        &mut self,
        reference: &str,
        text: &str,
        visibility: Visibility,
    ) -> Result<AnomalyComment> {
        let text = text.trim();
        if text.is_empty() {
            return Err(Error::input(
                "commentaire vide : donnez --text",
                "empty comment: give --text",
            ));
        }
        let aid = id_of(self.conn(), "anomaly", "anomalie", reference)?;
        let c = AnomalyComment {
            at: self.now().to_string(),
            actor: self.actor().to_string(),
            visibility,
            text: text.to_string(),
        };
        self.conn().execute(
            "INSERT INTO anomaly_comment(anomaly_id, at, actor, visibility, text) VALUES (?1,?2,?3,?4,?5)",
            params![aid, c.at, c.actor, visibility.code(), c.text],
        )?;
        self.audit(
            "comment",
            "anomalie",
            reference,
            None,
            Some(json!({"visibility": visibility, "text": c.text})),
        )?;
        Ok(c)
    }

    /// Attaches a file to an anomaly, stored under its sha256 beside the store like execution
    /// evidence (`recette evidence get` reads it back).
    pub fn attach_to_anomaly(&mut self, reference: &str, path: &Path) -> Result<Evidence> {
        let aid = id_of(self.conn(), "anomaly", "anomalie", reference)?;
        let ev = store_evidence(self.root(), path)?;
        let now = self.now().to_string();
        let actor = self.actor().to_string();
        self.conn().execute(
            "INSERT INTO anomaly_evidence(anomaly_id, file_name, sha256, size, at, actor)
             VALUES (?1,?2,?3,?4,?5,?6)",
            params![aid, ev.file_name, ev.sha256, ev.size, now, actor],
        )?;
        self.audit("attach", "anomalie", reference, None, Some(json!(ev)))?;
        Ok(ev)
    }

    /// Links an anomaly to a requirement it concerns. Returns `false` when already linked.
    pub fn link_anomaly_requirement(&mut self, reference: &str, requirement: &str) -> Result<bool> {
        let aid = id_of(self.conn(), "anomaly", "anomalie", reference)?;
        let rid = id_of(self.conn(), "requirement", "exigence", requirement)?;
        let n = self.conn().execute(
            "INSERT OR IGNORE INTO anomaly_requirement(anomaly_id, requirement_id) VALUES (?1, ?2)",
            params![aid, rid],
        )?;
        if n > 0 {
            self.audit(
                "link",
                "anomalie",
                reference,
                None,
                Some(json!({"requirement": requirement})),
            )?;
        }
        Ok(n > 0)
    }
}
