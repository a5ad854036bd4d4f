//! Sign-offs (immutable, enforced by triggers), their files and reservations.

use std::collections::HashMap;

use rusqlite::{params, OptionalExtension};
use serde_json::json;

use super::{decode, id_of, Store, Tx};
use crate::error::{Error, Result};
use crate::model::Decision;
use crate::signoff::{
    signatories_from_json, ImportedDecision, NewSignOff, Reservation, SignOff, Signatory,
    SignedFile,
};

const RESERVATION_COLUMNS: &str = "r.ref, r.signoff_id, c.ref, r.description, r.severity, a.ref,
     r.deadline, r.lifted_at, r.lifted_by, r.lift_comment";

fn reservation_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Reservation> {
    Ok(Reservation {
        reference: r.get(0)?,
        signoff: r.get(1)?,
        campaign: r.get(2)?,
        description: r.get(3)?,
        severity: r.get(4)?,
        anomaly: r.get(5)?,
        deadline: r.get(6)?,
        lifted_at: r.get(7)?,
        lifted_by: r.get(8)?,
        lift_comment: r.get(9)?,
    })
}

fn reservations(conn: &rusqlite::Connection, open_only: bool) -> Result<Vec<Reservation>> {
    let sql = format!(
        "SELECT {RESERVATION_COLUMNS} FROM reservation r JOIN signoff s ON s.id = r.signoff_id
         JOIN campaign c ON c.id = s.campaign_id LEFT JOIN anomaly a ON a.id = r.anomaly_id
         WHERE (?1 = 0 OR r.lifted_at IS NULL) ORDER BY r.id"
    );
    let rows = conn
        .prepare(&sql)?
        .query_map([open_only], reservation_row)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

fn load(conn: &rusqlite::Connection, campaign: Option<i64>) -> Result<Vec<SignOff>> {
    let mut stmt = conn.prepare(
        "SELECT s.id, c.ref, s.decision, s.signed_at, s.actor, s.signatories, s.indicators,
                s.comment,
                (SELECT COUNT(*) FROM signoff p WHERE p.campaign_id = s.campaign_id AND p.id <= s.id),
                s.place, s.supersedes, s.supersede_reason
         FROM signoff s JOIN campaign c ON c.id = s.campaign_id
         WHERE ?1 IS NULL OR s.campaign_id = ?1 ORDER BY s.id",
    )?;
    let mut out: Vec<SignOff> = stmt
        .query_map([campaign], |r| {
            let signatories: String = r.get(5)?;
            let snapshot: String = r.get(6)?;
            let signers = signatories_from_json(&signatories);
            Ok(SignOff {
                id: r.get(0)?,
                campaign: r.get(1)?,
                decision: decode(&r.get::<_, String>(2)?, Decision::from_code)?,
                signed_at: r.get(3)?,
                actor: r.get(4)?,
                signatories: signers.iter().map(Signatory::display).collect(),
                signers,
                place: r.get(9)?,
                supersedes: r.get(10)?,
                supersede_reason: r.get(11)?,
                snapshot: serde_json::from_str(&snapshot).unwrap_or(serde_json::Value::Null),
                comment: r.get(7)?,
                number: r.get(8)?,
                files: Vec::new(),
                reservations: Vec::new(),
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let index: HashMap<i64, usize> = out.iter().enumerate().map(|(i, s)| (s.id, i)).collect();
    let mut stmt = conn.prepare(
        "SELECT signoff_id, file_name, sha256, size FROM signoff_file ORDER BY signoff_id, file_name",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        if let Some(&i) = index.get(&r.get::<_, i64>(0)?) {
            out[i].files.push(SignedFile {
                file_name: r.get(1)?,
                sha256: r.get(2)?,
                size: r.get(3)?,
            });
        }
    }
    for res in reservations(conn, false)? {
        if let Some(&i) = index.get(&res.signoff) {
            out[i].reservations.push(res);
        }
    }
    Ok(out)
}

impl Store {
    /// Every sign-off (of one campaign when given), oldest first.
    pub fn signoffs(&self, campaign: Option<&str>) -> Result<Vec<SignOff>> {
        let cid = match campaign {
            Some(c) => Some(id_of(self.conn(), "campaign", "campagne", c)?),
            None => None,
        };
        load(self.conn(), cid)
    }

    /// Decisions signed in another store and imported from its workbook (of one campaign when
    /// given), by campaign and number.
    pub fn imported_decisions(&self, campaign: Option<&str>) -> Result<Vec<ImportedDecision>> {
        let cid = match campaign {
            Some(c) => Some(id_of(self.conn(), "campaign", "campagne", c)?),
            None => None,
        };
        let mut stmt = self.conn().prepare(
            "SELECT c.ref, i.number, i.decision, i.signed_at, i.signatories, i.files, i.source
             FROM imported_decision i JOIN campaign c ON c.id = i.campaign_id
             WHERE ?1 IS NULL OR i.campaign_id = ?1 ORDER BY c.ref, i.number",
        )?;
        let rows = stmt.query_map([cid], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, String>(6)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (campaign, number, decision, signed_at, signatories, files, source) = row?;
            out.push(ImportedDecision {
                campaign,
                number,
                decision: decode(&decision, Decision::from_code)?,
                signed_at,
                signatories: signatories.lines().map(str::to_string).collect(),
                files,
                source,
            });
        }
        Ok(out)
    }

    /// The sign-offs that recorded a file with this sha256, with the recorded file name.
    pub fn signoffs_with_file(&self, sha256: &str) -> Result<Vec<(SignOff, String)>> {
        let hits: Vec<(i64, String)> = self
            .conn()
            .prepare("SELECT signoff_id, file_name FROM signoff_file WHERE sha256 = ?1 ORDER BY signoff_id, file_name")?
            .query_map([sha256], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        if hits.is_empty() {
            return Ok(Vec::new());
        }
        let all = load(self.conn(), None)?;
        Ok(hits
            .into_iter()
            .filter_map(|(id, name)| all.iter().find(|s| s.id == id).map(|s| (s.clone(), name)))
            .collect())
    }

    /// The rank the next sign-off of a campaign will have.
    pub fn next_signoff_number(&self, campaign: &str) -> Result<i64> {
        let cid = id_of(self.conn(), "campaign", "campagne", campaign)?;
        Ok(self.conn().query_row(
            "SELECT (SELECT COUNT(*) FROM signoff WHERE campaign_id = ?1)
                  + (SELECT COUNT(*) FROM imported_decision WHERE campaign_id = ?1) + 1",
            [cid],
            |r| r.get(0),
        )?)
    }

    /// The number the next reservation will get (`RES-<n>`).
    pub fn next_reservation_number(&self) -> Result<i64> {
        next_reservation_number(self.conn())
    }

    /// Signed-off ajournements pronounced for the same phase as this campaign, on its delivery
    /// or on a delivery of the same (non-empty) lot: a corrected delivery presented again is
    /// usually a new delivery of the same lot. Decisions signed in another store and imported
    /// from its workbook count too.
    pub fn signed_ajournements(&self, campaign: &str) -> Result<i64> {
        let cid = id_of(self.conn(), "campaign", "campagne", campaign)?;
        Ok(self.conn().query_row(
            "SELECT COUNT(*) FROM (SELECT campaign_id, decision FROM signoff
                                   UNION ALL SELECT campaign_id, decision FROM imported_decision) s
             JOIN campaign c ON c.id = s.campaign_id
             JOIN campaign me ON me.id = ?1
             LEFT JOIN delivery d ON d.id = c.delivery_id
             LEFT JOIN delivery md ON md.id = me.delivery_id
             WHERE s.decision = 'ajournement' AND c.phase = me.phase
               AND (c.delivery_id IS me.delivery_id
                    OR (d.lot IS NOT NULL AND d.lot != '' AND d.lot = md.lot))",
            [cid],
            |r| r.get(0),
        )?)
    }

    /// Reservations, oldest first; only those not lifted with `open_only`.
    pub fn reservations(&self, open_only: bool) -> Result<Vec<Reservation>> {
        reservations(self.conn(), open_only)
    }
}

fn next_reservation_number(conn: &rusqlite::Connection) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT COALESCE(MAX(CAST(substr(ref, 5) AS INTEGER)), 0) + 1 FROM reservation
         WHERE ref LIKE 'RES-%'",
        [],
        |r| r.get(0),
    )?)
}

impl Tx<'_> {
    /// Records a sign-off, its files and reservations; returns its id. The reservation
    /// references must be the next free ones (they were printed in the reports being signed).
    pub fn record_signoff(&mut self, s: &NewSignOff) -> Result<i64> {
        let cid = id_of(self.conn(), "campaign", "campagne", &s.campaign)?;
        if !s
            .signatories
            .iter()
            .any(|x| x.party == crate::signoff::Party::Buyer && !x.name.trim().is_empty())
        {
            return Err(Error::input(
                "au moins un signataire de l'acheteur est requis (--signatory \"Nom, fonction\")",
                "at least one signatory for the buyer is required (--signatory \"Name, function\")",
            ));
        }
        let first = next_reservation_number(self.conn())?;
        for (next, r) in (first..).zip(s.reservations.iter()) {
            if r.reference != format!("RES-{next}") {
                return Err(Error::input(
                    format!(
                        "la réserve {} n'est plus libre : relancez la signature",
                        r.reference
                    ),
                    format!("reservation {} is no longer free: sign again", r.reference),
                ));
            }
        }
        let now = self.now().to_string();
        let (head_id, head_hash) = self.audit_head()?;
        let audit_head = if head_id > 0 {
            format!("{head_id}:{head_hash}")
        } else {
            String::new()
        };
        self.conn().execute(
            "INSERT INTO signoff(campaign_id, decision, signed_at, actor, signatories, indicators,
                                 comment, place, supersedes, supersede_reason, audit_head)
             VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11)",
            params![
                cid,
                s.decision.code(),
                now,
                self.actor(),
                json!(s.signatories).to_string(),
                s.snapshot.to_string(),
                s.comment,
                s.place,
                s.supersedes,
                s.supersede_reason,
                audit_head
            ],
        )?;
        let id = self.conn().last_insert_rowid();
        for f in &s.files {
            self.conn()
                .prepare_cached(
                    "INSERT INTO signoff_file(signoff_id, file_name, sha256, size) VALUES (?1,?2,?3,?4)",
                )?
                .execute(params![id, f.file_name, f.sha256, f.size])?;
        }
        for r in &s.reservations {
            let anomaly = match &r.anomaly {
                Some(a) => Some(id_of(self.conn(), "anomaly", "anomalie", a)?),
                None => None,
            };
            self.conn()
                .prepare_cached(
                    "INSERT INTO reservation(signoff_id, ref, description, severity, anomaly_id, deadline)
                     VALUES (?1,?2,?3,?4,?5,?6)",
                )?
                .execute(params![id, r.reference, r.description, r.severity, anomaly, r.deadline])?;
        }
        self.audit(
            "signoff",
            "campagne",
            &s.campaign,
            None,
            Some(json!({
                "signoff": id, "decision": s.decision, "signatories": s.signatories,
                "supersedes": s.supersedes, "reason": s.supersede_reason,
                "files": s.files, "reservations": s.reservations
            })),
        )?;
        Ok(id)
    }

    /// Lifts a reservation (records who, when and why); lifting twice is refused.
    pub fn lift_reservation(&mut self, reference: &str, comment: &str) -> Result<()> {
        let lifted: Option<Option<String>> = self
            .conn()
            .query_row(
                "SELECT lifted_at FROM reservation WHERE ref = ?1",
                [reference],
                |r| r.get(0),
            )
            .optional()?;
        match lifted {
            None => {
                return Err(Error::NotFound {
                    kind: "réserve",
                    reference: reference.to_string(),
                })
            }
            Some(Some(at)) => {
                return Err(Error::input(
                    format!("la réserve {reference} a déjà été levée le {at}"),
                    format!("reservation {reference} was already lifted on {at}"),
                ))
            }
            Some(None) => {}
        }
        let now = self.now().to_string();
        let actor = self.actor().to_string();
        self.conn().execute(
            "UPDATE reservation SET lifted_at = ?2, lifted_by = ?3, lift_comment = ?4 WHERE ref = ?1",
            params![reference, now, actor, comment],
        )?;
        self.audit(
            "lift",
            "réserve",
            reference,
            None,
            Some(json!({"lifted_at": now, "lifted_by": actor, "comment": comment})),
        )
    }
}
