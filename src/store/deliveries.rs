//! Vendor follow-up: what a delivery claims (fixes, requirements), its documents, its decision
//! deadline, and the retest hook that closes or reopens anomalies.

use rusqlite::{params, OptionalExtension};
use serde_json::json;

use super::{decode, id_of, Store, Tx};
use crate::entities::{
    AnomalyEvent, DeliveryDetail, DeliveryDocument, DeliveryFix, DeliveryRequirement,
};
use crate::error::{Error, Result};
use crate::model::{AnomalyStatus, ExecStatus, Severity};

/// Default number of days to notify a decision after a delivery, when neither the delivery nor
/// the project (`recette config decision_days N`) sets one.
pub const DEFAULT_DECISION_DAYS: i64 = 30;

/// An open reservation: (reservation ref, deadline, delivery ref of its campaign).
pub type OpenReservation = (String, Option<String>, Option<String>);

/// Changes to a delivery; `None` leaves a field unchanged.
#[derive(Debug, Clone, Default)]
pub struct DeliveryPatch {
    pub version: Option<String>,
    pub vendor: Option<String>,
    pub lot: Option<String>,
    pub planned_date: Option<String>,
    pub delivered_date: Option<String>,
    pub notes: Option<String>,
    pub known_issues: Option<String>,
    pub decision_days: Option<i64>,
}

/// Document states, as stored.
pub const DOCUMENT_STATES: &[&str] = &["expected", "received", "accepted", "refused"];

/// Parses a document state in French or English.
pub fn parse_document_state(word: &str) -> Result<&'static str> {
    match crate::model::normalize_word(word).as_str() {
        "expected" | "attendu" | "a recevoir" | "manquant" | "missing" | "a venir" | "non livre"
        | "non fourni" | "en attente" => Ok("expected"),
        "received" | "recu" | "livre" | "fourni" | "joint" | "transmis" | "delivered" => {
            Ok("received")
        }
        "accepted" | "accepte" | "valide" | "conforme" => Ok("accepted"),
        "refused" | "refuse" | "rejete" | "non conforme" => Ok("refused"),
        _ => Err(Error::input(
            format!("état de document inconnu « {word} » ; valeurs acceptées : attendu, reçu, accepté, refusé"),
            format!("unknown document state \"{word}\"; accepted values: expected, received, accepted, refused"),
        )),
    }
}

/// Adds `days` to an ISO date (date part only).
pub fn add_days(date: &str, days: i64) -> Option<String> {
    let d = chrono::NaiveDate::parse_from_str(date.get(..10)?, "%Y-%m-%d").ok()?;
    Some(
        (d + chrono::Duration::days(days))
            .format("%Y-%m-%d")
            .to_string(),
    )
}

impl Store {
    /// Project default of decision days.
    pub fn decision_days(&self) -> Result<i64> {
        Ok(self
            .project_value("decision_days")?
            .and_then(|v| v.parse().ok())
            .unwrap_or(DEFAULT_DECISION_DAYS))
    }

    /// A delivery with its claims, documents and decision deadline.
    pub fn delivery_detail(&self, reference: &str) -> Result<DeliveryDetail> {
        let delivery = self
            .deliveries()?
            .into_iter()
            .find(|d| d.reference == reference)
            .ok_or_else(|| Error::NotFound {
                kind: "livraison",
                reference: reference.to_string(),
            })?;
        let id = id_of(self.conn(), "delivery", "livraison", reference)?;
        let (known_issues, days): (String, Option<i64>) = self.conn().query_row(
            "SELECT known_issues, decision_days FROM delivery WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let decision_days = match days {
            Some(d) => d,
            None => self.decision_days()?,
        };
        let fixes = self
            .conn()
            .prepare(
                "SELECT a.ref, a.title, a.severity, a.status FROM delivery_fix f
                 JOIN anomaly a ON a.id = f.anomaly_id WHERE f.delivery_id = ?1 ORDER BY a.ref",
            )?
            .query_map([id], |r| {
                Ok(DeliveryFix {
                    anomaly: r.get(0)?,
                    title: r.get(1)?,
                    severity: decode(&r.get::<_, String>(2)?, Severity::from_code)?,
                    status: decode(&r.get::<_, String>(3)?, AnomalyStatus::from_code)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        let requirements = self
            .conn()
            .prepare(
                "SELECT r.ref, x.change FROM delivery_requirement x
                 JOIN requirement r ON r.id = x.requirement_id WHERE x.delivery_id = ?1 ORDER BY r.ref",
            )?
            .query_map([id], |r| {
                Ok(DeliveryRequirement {
                    requirement: r.get(0)?,
                    change: r.get(1)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        let documents = self
            .conn()
            .prepare(
                "SELECT name, state, comment FROM delivery_document WHERE delivery_id = ?1 ORDER BY name",
            )?
            .query_map([id], |r| {
                Ok(DeliveryDocument {
                    name: r.get(0)?,
                    state: r.get(1)?,
                    comment: r.get(2)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        let campaigns = self
            .conn()
            .prepare("SELECT ref FROM campaign WHERE delivery_id = ?1 ORDER BY ref")?
            .query_map([id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let decision_deadline = delivery
            .delivered_date
            .as_deref()
            .and_then(|d| add_days(d, decision_days));
        Ok(DeliveryDetail {
            delivery,
            known_issues,
            decision_days,
            decision_deadline,
            fixes,
            requirements,
            documents,
            campaigns,
        })
    }

    /// How many fix claims, requirement claims and delivery documents every delivery has (what
    /// a project workbook leaves out).
    pub fn delivery_claims_and_documents(&self) -> Result<u64> {
        Ok(self.conn().query_row(
            "SELECT (SELECT COUNT(*) FROM delivery_fix) + (SELECT COUNT(*) FROM delivery_requirement)
                  + (SELECT COUNT(*) FROM delivery_document)",
            [],
            |r| r.get::<_, i64>(0),
        )? as u64)
    }

    /// Every anomaly event (retest closures and reopenings), oldest first.
    pub fn anomaly_events(&self) -> Result<Vec<AnomalyEvent>> {
        let mut stmt = self.conn().prepare(
            "SELECT a.ref, e.at, e.actor, e.event, e.from_status, e.to_status, d.ref, e.comment
             FROM anomaly_event e JOIN anomaly a ON a.id = e.anomaly_id
             LEFT JOIN delivery d ON d.id = e.delivery_id ORDER BY e.id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(AnomalyEvent {
                anomaly: r.get(0)?,
                at: r.get(1)?,
                actor: r.get(2)?,
                event: r.get(3)?,
                from: r.get(4)?,
                to: r.get(5)?,
                delivery: r.get(6)?,
                comment: r.get(7)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Open reservations with a deadline, with the delivery of their campaign:
    /// (reservation ref, deadline, delivery ref).
    pub fn open_reservations(&self) -> Result<Vec<OpenReservation>> {
        let mut stmt = self.conn().prepare(
            "SELECT r.ref, r.deadline, d.ref FROM reservation r
             JOIN signoff s ON s.id = r.signoff_id JOIN campaign c ON c.id = s.campaign_id
             LEFT JOIN delivery d ON d.id = c.delivery_id
             WHERE r.lifted_at IS NULL ORDER BY r.ref",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

impl Tx<'_> {
    /// Changes a delivery.
    pub fn update_delivery(&mut self, reference: &str, p: &DeliveryPatch) -> Result<()> {
        let id = id_of(self.conn(), "delivery", "livraison", reference)?;
        self.conn().execute(
            "UPDATE delivery SET version = COALESCE(?2, version), vendor = COALESCE(?3, vendor),
                 lot = COALESCE(?4, lot), planned_date = COALESCE(?5, planned_date),
                 delivered_date = COALESCE(?6, delivered_date), notes = COALESCE(?7, notes),
                 known_issues = COALESCE(?8, known_issues),
                 decision_days = COALESCE(?9, decision_days) WHERE id = ?1",
            params![
                id,
                p.version,
                p.vendor,
                p.lot,
                p.planned_date,
                p.delivered_date,
                p.notes,
                p.known_issues,
                p.decision_days
            ],
        )?;
        self.audit(
            "update",
            "livraison",
            reference,
            None,
            Some(
                json!({"version": p.version, "vendor": p.vendor, "lot": p.lot,
                        "planned_date": p.planned_date, "delivered_date": p.delivered_date,
                        "known_issues": p.known_issues, "decision_days": p.decision_days}),
            ),
        )
    }

    /// Records that a delivery claims to fix an anomaly: the anomaly moves to "à retester" with
    /// this fixing delivery. Returns `false` when already claimed.
    pub fn claim_fix(&mut self, delivery: &str, anomaly: &str) -> Result<bool> {
        let did = id_of(self.conn(), "delivery", "livraison", delivery)?;
        let aid = id_of(self.conn(), "anomaly", "anomalie", anomaly)?;
        let n = self.conn().execute(
            "INSERT OR IGNORE INTO delivery_fix(delivery_id, anomaly_id) VALUES (?1, ?2)",
            params![did, aid],
        )?;
        let current = self.anomaly(anomaly)?;
        let needs_move = current.as_ref().is_some_and(|a| {
            a.status != AnomalyStatus::ARetester || a.fixed_in.as_deref() != Some(delivery)
        });
        if needs_move {
            self.change_anomaly(
                anomaly,
                &super::AnomalyPatch {
                    status: Some(AnomalyStatus::ARetester),
                    fixed_in: Some(delivery.to_string()),
                    ..super::AnomalyPatch::default()
                },
                super::anomalies::MoveCause {
                    event: "fix_claimed",
                    execution_id: None,
                    delivery_id: Some(did),
                },
            )?;
        }
        if n > 0 {
            self.audit(
                "claim_fix",
                "livraison",
                delivery,
                None,
                Some(json!({"anomaly": anomaly})),
            )?;
        }
        Ok(n > 0 || needs_move)
    }

    /// Records that a delivery claims to deliver (`delivered`) or change (`changed`) a requirement.
    pub fn claim_requirement(
        &mut self,
        delivery: &str,
        requirement: &str,
        change: &str,
    ) -> Result<bool> {
        let did = id_of(self.conn(), "delivery", "livraison", delivery)?;
        let rid = id_of(self.conn(), "requirement", "exigence", requirement)?;
        let n = self.conn().execute(
            "INSERT INTO delivery_requirement(delivery_id, requirement_id, change) VALUES (?1, ?2, ?3)
             ON CONFLICT DO UPDATE SET change = excluded.change WHERE change != excluded.change",
            params![did, rid, change],
        )?;
        if n > 0 {
            self.audit(
                "claim_requirement",
                "livraison",
                delivery,
                None,
                Some(json!({"requirement": requirement, "change": change})),
            )?;
        }
        Ok(n > 0)
    }

    /// Sets the state of a document expected with a delivery (creates it if new).
    pub fn set_document(
        &mut self,
        delivery: &str,
        name: &str,
        state: &str,
        comment: &str,
    ) -> Result<bool> {
        let did = id_of(self.conn(), "delivery", "livraison", delivery)?;
        let now = self.now().to_string();
        let n = self.conn().execute(
            "INSERT INTO delivery_document(delivery_id, name, state, comment, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT DO UPDATE SET state = excluded.state, comment = excluded.comment,
                 updated_at = excluded.updated_at
             WHERE state != excluded.state OR comment != excluded.comment",
            params![did, name, state, comment, now],
        )?;
        if n > 0 {
            self.audit(
                "document",
                "livraison",
                delivery,
                None,
                Some(json!({"document": name, "state": state, "comment": comment})),
            )?;
        }
        Ok(n > 0)
    }

    /// After an execution is recorded: anomalies met by earlier executions of the same test that
    /// wait for a retest (corrigée / à retester) are closed when it passed and reopened when it
    /// failed (counting a reopening), with who and when in `anomaly_event`.
    pub(crate) fn apply_retest(
        &mut self,
        test_id: i64,
        execution_id: i64,
        status: ExecStatus,
    ) -> Result<()> {
        if !matches!(status, ExecStatus::Passed | ExecStatus::Failed) {
            return Ok(());
        }
        let waiting: Vec<(i64, String, String, Option<i64>)> = self
            .conn()
            .prepare_cached(
                "SELECT DISTINCT a.id, a.ref, a.status, a.fixed_in_delivery_id FROM anomaly a
                 JOIN execution_anomaly ea ON ea.anomaly_id = a.id
                 JOIN execution e ON e.id = ea.execution_id
                 WHERE e.test_id = ?1 AND e.id != ?2 AND a.status IN ('corrigee', 'a_retester')
                 ORDER BY a.ref",
            )?
            .query_map(params![test_id, execution_id], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        let label: Option<String> = if status == ExecStatus::Failed {
            self.conn()
                .prepare_cached(
                    "SELECT c.ref, t.ref, e.dataset, e.attempt FROM execution e
                     JOIN campaign c ON c.id = e.campaign_id JOIN test_case t ON t.id = e.test_id
                     WHERE e.id = ?1",
                )?
                .query_row([execution_id], |r| {
                    let ds: String = r.get(2)?;
                    Ok(format!(
                        "{}/{}#{}",
                        r.get::<_, String>(0)?,
                        crate::entities::item_label(&r.get::<_, String>(1)?, Some(&ds)),
                        r.get::<_, i64>(3)?
                    ))
                })
                .optional()?
        } else {
            None
        };
        for (aid, reference, _from, fixed_in) in waiting {
            let (to, event) = if status == ExecStatus::Passed {
                (AnomalyStatus::Close, "retest_passed")
            } else {
                (AnomalyStatus::Rouverte, "retest_failed")
            };
            // The reason a failed retest reopens the anomaly is the execution itself.
            let comment = label.as_ref().map(|l| format!("retest en échec : {l}"));
            self.change_anomaly(
                &reference,
                &super::AnomalyPatch {
                    status: Some(to),
                    comment,
                    ..super::AnomalyPatch::default()
                },
                super::anomalies::MoveCause {
                    event,
                    execution_id: Some(execution_id),
                    delivery_id: fixed_in,
                },
            )?;
            if status == ExecStatus::Failed {
                self.conn()
                    .prepare_cached(
                        "INSERT OR IGNORE INTO execution_anomaly(execution_id, anomaly_id) VALUES (?1, ?2)",
                    )?
                    .execute(params![execution_id, aid])?;
            }
        }
        Ok(())
    }

    /// Whether a delivery exists.
    pub fn delivery_exists(&self, reference: &str) -> Result<bool> {
        Ok(self
            .conn()
            .query_row("SELECT 1 FROM delivery WHERE ref = ?1", [reference], |_| {
                Ok(())
            })
            .optional()?
            .is_some())
    }
}
