//! Deliveries, campaigns, the tests they select, and executions with evidence.

use std::path::{Path, PathBuf};

use rusqlite::{params, OptionalExtension};
use serde_json::json;
use sha2::{Digest, Sha256};

use super::requirements::{check_ref, hex};
use super::{decode, id_of, Store, Tx};
use crate::entities::{Campaign, CampaignTest, Delivery, Evidence, Execution, StepResult};
use crate::error::{Error, Result};
use crate::model::{Criticality, ExecStatus, Phase, TestKind};

/// A new delivery.
#[derive(Debug, Clone, Default)]
pub struct NewDelivery {
    pub version: String,
    pub vendor: String,
    pub lot: String,
    pub planned_date: Option<String>,
    pub delivered_date: Option<String>,
    pub notes: String,
}

/// A new campaign.
#[derive(Debug, Clone)]
pub struct NewCampaign {
    pub title: String,
    pub delivery: Option<String>,
    pub strategy: Option<String>,
    pub phase: Phase,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
}

/// Which tests to add to a campaign. The union of every criterion is taken.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub tests: Vec<String>,
    pub criticality: Vec<Criticality>,
    pub tags: Vec<String>,
    pub requirements: Vec<String>,
    pub all: bool,
    pub assignee: Option<String>,
    /// Why these tests are in the campaign (shown in the campaign and retest plans).
    pub reason: String,
}

/// One execution to record.
#[derive(Debug, Clone)]
pub struct RunInput {
    pub status: ExecStatus,
    /// Per-step statuses, 1-based step numbers.
    pub steps: Vec<(u32, ExecStatus)>,
    pub comment: String,
    pub evidence: Vec<PathBuf>,
    pub anomalies: Vec<String>,
    pub tester: Option<String>,
    pub executed_at: Option<String>,
    pub duration_ms: Option<f64>,
    /// `manual`, `sheet`, or the automated format (`junit`, `robot`...).
    pub source: String,
    /// Add the test to the campaign when it is not selected yet (imports), instead of refusing.
    pub add_if_missing: bool,
}

impl RunInput {
    /// A manual result with only a status.
    pub fn status(status: ExecStatus) -> RunInput {
        RunInput {
            status,
            steps: Vec::new(),
            comment: String::new(),
            evidence: Vec::new(),
            anomalies: Vec::new(),
            tester: None,
            executed_at: None,
            duration_ms: None,
            source: "manual".into(),
            add_if_missing: false,
        }
    }
}

fn phase_of(code: &str) -> Option<Phase> {
    Phase::from_code(code)
}

impl Store {
    /// All deliveries, by reference.
    pub fn deliveries(&self) -> Result<Vec<Delivery>> {
        let mut stmt = self.conn().prepare(
            "SELECT ref, version, vendor, lot, planned_date, delivered_date, notes
             FROM delivery ORDER BY ref",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(Delivery {
                reference: r.get(0)?,
                version: r.get(1)?,
                vendor: r.get(2)?,
                lot: r.get(3)?,
                planned_date: r.get(4)?,
                delivered_date: r.get(5)?,
                notes: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// All campaigns, by reference.
    pub fn campaigns(&self) -> Result<Vec<Campaign>> {
        campaigns(self.conn(), None)
    }

    /// One campaign.
    pub fn campaign(&self, reference: &str) -> Result<Campaign> {
        campaigns(self.conn(), Some(reference))?
            .into_iter()
            .next()
            .ok_or_else(|| Error::NotFound {
                kind: "campagne",
                reference: reference.to_string(),
            })
    }

    /// The tests of a campaign with their latest execution, in selection order.
    pub fn campaign_tests(&self, campaign: &str) -> Result<Vec<CampaignTest>> {
        let cid = id_of(self.conn(), "campaign", "campagne", campaign)?;
        let mut stmt = self.conn().prepare(
            "SELECT t.ref, t.title, t.kind, ct.assignee, ct.reason,
                    e.status, (SELECT COUNT(*) FROM execution x WHERE x.campaign_id = ct.campaign_id
                               AND x.test_id = ct.test_id), e.tester, e.executed_at, e.id
             FROM campaign_test ct JOIN test_case t ON t.id = ct.test_id
             LEFT JOIN execution e ON e.campaign_id = ct.campaign_id AND e.test_id = ct.test_id
                AND e.attempt = (SELECT MAX(attempt) FROM execution y
                                 WHERE y.campaign_id = ct.campaign_id AND y.test_id = ct.test_id)
             WHERE ct.campaign_id = ?1 ORDER BY ct.position, t.ref",
        )?;
        let rows = stmt
            .query_map([cid], |r| {
                let status: Option<String> = r.get(5)?;
                Ok((
                    CampaignTest {
                        reference: r.get(0)?,
                        title: r.get(1)?,
                        kind: if r.get::<_, String>(2)? == "automated" {
                            TestKind::Automated
                        } else {
                            TestKind::Manual
                        },
                        assignee: r.get(3)?,
                        reason: r.get(4)?,
                        status: match status {
                            Some(s) => decode(&s, ExecStatus::from_code)?,
                            None => ExecStatus::NotRun,
                        },
                        attempts: r.get(6)?,
                        tester: r.get(7)?,
                        executed_at: r.get(8)?,
                        anomalies: Vec::new(),
                    },
                    r.get::<_, Option<i64>>(9)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut out = Vec::with_capacity(rows.len());
        for (mut t, exec_id) in rows {
            if let Some(id) = exec_id {
                t.anomalies = execution_anomalies(self.conn(), id)?;
            }
            out.push(t);
        }
        Ok(out)
    }

    /// The latest attempt number of each test executed in a campaign.
    pub fn latest_attempts(
        &self,
        campaign: &str,
    ) -> Result<std::collections::BTreeMap<String, i64>> {
        let cid = id_of(self.conn(), "campaign", "campagne", campaign)?;
        let mut stmt = self.conn().prepare(
            "SELECT t.ref, MAX(e.attempt) FROM execution e JOIN test_case t ON t.id = e.test_id
             WHERE e.campaign_id = ?1 GROUP BY t.ref",
        )?;
        let rows = stmt.query_map([cid], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Every execution of a campaign (optionally of one test), in order.
    pub fn executions(&self, campaign: &str, test: Option<&str>) -> Result<Vec<Execution>> {
        let cid = id_of(self.conn(), "campaign", "campagne", campaign)?;
        let mut stmt = self.conn().prepare(
            "SELECT e.id, t.ref, e.attempt, e.status, e.tester, e.executed_at, e.comment,
                    e.duration_ms, e.source
             FROM execution e JOIN test_case t ON t.id = e.test_id
             WHERE e.campaign_id = ?1 AND (?2 IS NULL OR t.ref = ?2)
             ORDER BY t.ref, e.attempt",
        )?;
        let rows = stmt
            .query_map(params![cid, test], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    Execution {
                        campaign: campaign.to_string(),
                        test: r.get(1)?,
                        attempt: r.get(2)?,
                        status: decode(&r.get::<_, String>(3)?, ExecStatus::from_code)?,
                        tester: r.get(4)?,
                        executed_at: r.get(5)?,
                        comment: r.get(6)?,
                        duration_ms: r.get(7)?,
                        source: r.get(8)?,
                        steps: Vec::new(),
                        evidence: Vec::new(),
                        anomalies: Vec::new(),
                    },
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut out = Vec::with_capacity(rows.len());
        for (id, mut e) in rows {
            e.steps = self
                .conn()
                .prepare_cached(
                    "SELECT position, status, comment FROM execution_step
                     WHERE execution_id = ?1 ORDER BY position",
                )?
                .query_map([id], |r| {
                    Ok(StepResult {
                        step: r.get(0)?,
                        status: decode(&r.get::<_, String>(1)?, ExecStatus::from_code)?,
                        comment: r.get(2)?,
                    })
                })?
                .collect::<rusqlite::Result<_>>()?;
            e.evidence = self
                .conn()
                .prepare_cached(
                    "SELECT file_name, sha256, size FROM evidence WHERE execution_id = ?1 ORDER BY id",
                )?
                .query_map([id], |r| {
                    Ok(Evidence {
                        file_name: r.get(0)?,
                        sha256: r.get(1)?,
                        size: r.get(2)?,
                    })
                })?
                .collect::<rusqlite::Result<_>>()?;
            e.anomalies = execution_anomalies(self.conn(), id)?;
            out.push(e);
        }
        Ok(out)
    }
}

fn execution_anomalies(conn: &rusqlite::Connection, execution_id: i64) -> Result<Vec<String>> {
    Ok(conn
        .prepare_cached(
            "SELECT a.ref FROM execution_anomaly ea JOIN anomaly a ON a.id = ea.anomaly_id
             WHERE ea.execution_id = ?1 ORDER BY a.ref",
        )?
        .query_map([execution_id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?)
}

fn campaigns(conn: &rusqlite::Connection, only: Option<&str>) -> Result<Vec<Campaign>> {
    let mut stmt = conn.prepare(
        "SELECT c.ref, c.title, d.ref, s.ref, c.phase, c.start_date, c.end_date,
                (SELECT COUNT(*) FROM campaign_test ct WHERE ct.campaign_id = c.id)
         FROM campaign c LEFT JOIN delivery d ON d.id = c.delivery_id
         LEFT JOIN strategy s ON s.id = c.strategy_id
         WHERE ?1 IS NULL OR c.ref = ?1 ORDER BY c.ref",
    )?;
    let rows = stmt.query_map([only], |r| {
        Ok(Campaign {
            reference: r.get(0)?,
            title: r.get(1)?,
            delivery: r.get(2)?,
            strategy: r.get(3)?,
            phase: decode(&r.get::<_, String>(4)?, phase_of)?,
            start_date: r.get(5)?,
            end_date: r.get(6)?,
            tests: r.get(7)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

impl Tx<'_> {
    /// Creates a delivery.
    pub fn add_delivery(&mut self, reference: &str, d: &NewDelivery) -> Result<()> {
        check_ref(reference, "livraison")?;
        let exists: Option<i64> = self
            .conn()
            .query_row("SELECT id FROM delivery WHERE ref = ?1", [reference], |r| {
                r.get(0)
            })
            .optional()?;
        if exists.is_some() {
            return Err(Error::Duplicate {
                kind: "livraison",
                reference: reference.to_string(),
            });
        }
        let now = self.now().to_string();
        self.conn().execute(
            "INSERT INTO delivery(ref, version, vendor, lot, planned_date, delivered_date, notes, created_at)
             VALUES (?1,?2,?3,?4,?5,?6,?7,?8)",
            params![reference, d.version, d.vendor, d.lot, d.planned_date, d.delivered_date, d.notes, now],
        )?;
        self.audit(
            "create",
            "livraison",
            reference,
            None,
            Some(
                json!({"version": d.version, "vendor": d.vendor, "lot": d.lot,
                        "planned_date": d.planned_date, "delivered_date": d.delivered_date}),
            ),
        )
    }

    /// Creates a campaign.
    pub fn add_campaign(&mut self, reference: &str, c: &NewCampaign) -> Result<()> {
        check_ref(reference, "campagne")?;
        if id_of(self.conn(), "campaign", "campagne", reference).is_ok() {
            return Err(Error::Duplicate {
                kind: "campagne",
                reference: reference.to_string(),
            });
        }
        let delivery = match &c.delivery {
            Some(d) => Some(id_of(self.conn(), "delivery", "livraison", d)?),
            None => None,
        };
        let strategy = match &c.strategy {
            Some(s) => Some(id_of(self.conn(), "strategy", "stratégie", s)?),
            None => None,
        };
        let now = self.now().to_string();
        self.conn().execute(
            "INSERT INTO campaign(ref, title, delivery_id, strategy_id, phase, start_date, end_date, created_at)
             VALUES (?1,?2,?3,?4,?5,?6,?7,?8)",
            params![reference, c.title, delivery, strategy, c.phase.code(), c.start_date, c.end_date, now],
        )?;
        self.audit(
            "create",
            "campagne",
            reference,
            None,
            Some(
                json!({"title": c.title, "delivery": c.delivery, "phase": c.phase,
                        "strategy": c.strategy}),
            ),
        )
    }

    /// Adds the selected tests to a campaign; returns the references newly added, in order.
    /// A selection that matches no test is an error, so a typo never passes silently.
    pub fn select_tests(&mut self, campaign: &str, sel: &Selection) -> Result<Vec<String>> {
        let cid = id_of(self.conn(), "campaign", "campagne", campaign)?;
        let mut ids: Vec<(i64, String)> = Vec::new();
        for t in &sel.tests {
            ids.push((
                id_of(self.conn(), "test_case", "cas de test", t)?,
                t.clone(),
            ));
        }
        for r in &sel.requirements {
            id_of(self.conn(), "requirement", "exigence", r)?;
        }
        let crits: Vec<&str> = sel.criticality.iter().map(|c| c.code()).collect();
        let mut stmt = self.conn().prepare(
            "SELECT t.id, t.ref,
                    EXISTS(SELECT 1 FROM link l JOIN requirement r ON r.id = l.requirement_id
                           WHERE l.test_id = t.id AND r.status != 'obsolete'
                             AND r.criticality IN (SELECT value FROM json_each(?1))),
                    EXISTS(SELECT 1 FROM test_tag g WHERE g.test_id = t.id
                             AND g.tag IN (SELECT value FROM json_each(?2))),
                    EXISTS(SELECT 1 FROM link l JOIN requirement r ON r.id = l.requirement_id
                           WHERE l.test_id = t.id AND r.ref IN (SELECT value FROM json_each(?3)))
             FROM test_case t WHERE t.active = 1 ORDER BY t.ref",
        )?;
        let rows = stmt
            .query_map(
                params![
                    json!(crits).to_string(),
                    json!(sel.tags).to_string(),
                    json!(sel.requirements).to_string()
                ],
                |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, bool>(2)? || r.get::<_, bool>(3)? || r.get::<_, bool>(4)?,
                    ))
                },
            )?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        drop(stmt);
        for (id, r, matched) in rows {
            if sel.all || matched {
                ids.push((id, r));
            }
        }
        if ids.is_empty() {
            return Err(Error::input(
                "la sélection ne correspond à aucun cas de test actif",
                "the selection matches no active test case",
            ));
        }
        let mut position: i64 = self.conn().query_row(
            "SELECT COALESCE(MAX(position), 0) FROM campaign_test WHERE campaign_id = ?1",
            [cid],
            |r| r.get(0),
        )?;
        let mut added = Vec::new();
        for (id, r) in ids {
            position += 1;
            let n = self
                .conn()
                .prepare_cached(
                    "INSERT OR IGNORE INTO campaign_test(campaign_id, test_id, position, assignee, reason)
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                )?
                .execute(params![cid, id, position, sel.assignee.clone().unwrap_or_default(), sel.reason])?;
            if n > 0 {
                added.push(r);
            }
        }
        if !added.is_empty() {
            self.audit(
                "select",
                "campagne",
                campaign,
                None,
                Some(json!({"added": added, "assignee": sel.assignee, "reason": sel.reason})),
            )?;
        }
        Ok(added)
    }

    /// Records one execution (a new attempt) of a test in a campaign. Returns the attempt number.
    pub fn record_execution(&mut self, campaign: &str, test: &str, run: &RunInput) -> Result<i64> {
        let cid = id_of(self.conn(), "campaign", "campagne", campaign)?;
        let tid = id_of(self.conn(), "test_case", "cas de test", test)?;
        let selected: bool = self
            .conn()
            .prepare_cached(
                "SELECT EXISTS(SELECT 1 FROM campaign_test WHERE campaign_id = ?1 AND test_id = ?2)",
            )?
            .query_row(params![cid, tid], |r| r.get(0))?;
        if !selected {
            if !run.add_if_missing {
                return Err(Error::input(
                    format!("le cas de test {test} n'est pas dans la campagne {campaign} : ajoutez-le avec « recette campaign add {campaign} --test {test} »"),
                    format!("test case {test} is not in campaign {campaign}: add it with \"recette campaign add {campaign} --test {test}\""),
                ));
            }
            self.conn()
                .prepare_cached(
                    "INSERT INTO campaign_test(campaign_id, test_id, position, reason)
                     VALUES (?1, ?2, (SELECT COALESCE(MAX(position),0)+1 FROM campaign_test WHERE campaign_id = ?1), ?3)",
                )?
                .execute(params![cid, tid, run.source])?;
        }
        let step_count: i64 = self
            .conn()
            .prepare_cached("SELECT COUNT(*) FROM test_step WHERE test_id = ?1")?
            .query_row([tid], |r| r.get(0))?;
        for (n, _) in &run.steps {
            if *n == 0 || i64::from(*n) > step_count {
                return Err(Error::input(
                    format!(
                        "étape {n} inexistante : le cas de test {test} a {step_count} étape(s)"
                    ),
                    format!("no step {n}: test case {test} has {step_count} step(s)"),
                ));
            }
        }
        let mut anomaly_ids = Vec::new();
        for a in &run.anomalies {
            anomaly_ids.push(id_of(self.conn(), "anomaly", "anomalie", a)?);
        }
        let attempt: i64 = self
            .conn()
            .prepare_cached(
                "SELECT COALESCE(MAX(attempt), 0) + 1 FROM execution WHERE campaign_id = ?1 AND test_id = ?2",
            )?
            .query_row(params![cid, tid], |r| r.get(0))?;
        let tester = run
            .tester
            .clone()
            .unwrap_or_else(|| self.actor().to_string());
        let at = run
            .executed_at
            .clone()
            .unwrap_or_else(|| self.now().to_string());
        self.conn()
            .prepare_cached(
                "INSERT INTO execution(campaign_id, test_id, attempt, status, tester, executed_at,
                     comment, duration_ms, source) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)",
            )?
            .execute(params![
                cid,
                tid,
                attempt,
                run.status.code(),
                tester,
                at,
                run.comment,
                run.duration_ms,
                run.source
            ])?;
        let eid = self.conn().last_insert_rowid();
        for (n, s) in &run.steps {
            self.conn()
                .prepare_cached(
                    "INSERT OR REPLACE INTO execution_step(execution_id, position, status) VALUES (?1,?2,?3)",
                )?
                .execute(params![eid, n, s.code()])?;
        }
        for aid in anomaly_ids {
            self.conn()
                .prepare_cached(
                    "INSERT OR IGNORE INTO execution_anomaly(execution_id, anomaly_id) VALUES (?1, ?2)",
                )?
                .execute(params![eid, aid])?;
        }
        self.apply_retest(tid, eid, run.status)?;
        let mut evidence = Vec::new();
        for path in &run.evidence {
            let ev = store_evidence(self.root(), path)?;
            self.conn()
                .prepare_cached(
                    "INSERT INTO evidence(execution_id, file_name, sha256, size) VALUES (?1,?2,?3,?4)",
                )?
                .execute(params![eid, ev.file_name, ev.sha256, ev.size])?;
            evidence.push(ev);
        }
        self.audit(
            "run",
            "exécution",
            &format!("{campaign}/{test}#{attempt}"),
            None,
            Some(
                json!({"status": run.status, "tester": tester, "executed_at": at,
                        "comment": run.comment, "steps": run.steps, "anomalies": run.anomalies,
                        "evidence": evidence, "source": run.source}),
            ),
        )?;
        Ok(attempt)
    }

    /// The id of the latest execution of a test in a campaign (for importers that add details).
    pub fn latest_execution_id(&self, campaign: &str, test: &str) -> Result<Option<i64>> {
        Ok(self
            .conn()
            .prepare_cached(
                "SELECT e.id FROM execution e JOIN campaign c ON c.id = e.campaign_id
                 JOIN test_case t ON t.id = e.test_id WHERE c.ref = ?1 AND t.ref = ?2
                 ORDER BY e.attempt DESC LIMIT 1",
            )?
            .query_row(params![campaign, test], |r| r.get(0))
            .optional()?)
    }
}

/// Where evidence files live: `<root>/evidence/<first two hex>/<sha256>`.
pub fn evidence_path(root: &Path, sha256: &str) -> PathBuf {
    let prefix = sha256.get(..2).unwrap_or("00");
    root.join("evidence").join(prefix).join(sha256)
}

/// Copies a file into the evidence folder under its content hash. Only the file's base name is
/// kept as its display name, so names like `../../etc/passwd` cannot point anywhere.
fn store_evidence(root: &Path, path: &Path) -> Result<Evidence> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let sha = hex(&Sha256::digest(&bytes));
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| sha.clone());
    let dest = evidence_path(root, &sha);
    if !dest.exists() {
        if let Some(dir) = dest.parent() {
            std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        }
        let tmp = dest.with_extension("tmp");
        std::fs::write(&tmp, &bytes).map_err(|e| Error::io(&tmp, e))?;
        std::fs::rename(&tmp, &dest).map_err(|e| Error::io(&dest, e))?;
    }
    Ok(Evidence {
        file_name,
        sha256: sha,
        size: bytes.len() as i64,
    })
}
