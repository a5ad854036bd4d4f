//! Deliveries, campaigns, the tests they select, and executions with evidence.

use std::path::{Path, PathBuf};

use rusqlite::{params, OptionalExtension};
use serde_json::json;
use sha2::{Digest, Sha256};

use super::requirements::{check_ref, hex};
use super::{decode, id_of, Store, Tx};
use std::collections::HashMap;

use crate::entities::{AssignedTest, Campaign, CampaignTest, Delivery, Evidence};
use crate::error::{Error, Result};
use crate::indicators::{CampaignIndicators, Tally};
use crate::model::{Criticality, ExecStatus, Phase};

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

/// Which tests to add to a campaign. The union of every criterion is taken; each selected
/// test is planned with every active data set it has (or only those of `datasets`, when given).
#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub tests: Vec<String>,
    pub criticality: Vec<Criticality>,
    pub tags: Vec<String>,
    pub requirements: Vec<String>,
    pub all: bool,
    /// Only these data sets of the selected tests (tests without any of them are left out).
    pub datasets: Vec<String>,
    pub assignee: Option<String>,
    /// Why these tests are in the campaign (shown in the campaign and retest plans).
    pub reason: String,
    /// Each test's own reason, by reference (overrides `reason`): one call plans a whole
    /// retest or a selection whose tests each came in for their own reasons.
    pub reasons: std::collections::BTreeMap<String, String>,
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

    /// The indicators of a campaign (as [`CampaignIndicators::compute`] over
    /// [`Store::campaign_tests`]), read row by row: memory does not grow with the campaign.
    pub fn campaign_indicators(&self, campaign: &str) -> Result<CampaignIndicators> {
        let cid = id_of(self.conn(), "campaign", "campagne", campaign)?;
        indicators(self.conn(), cid)
    }

    /// The planned items of a campaign — each test, or each (test, data set) — with their
    /// latest execution and its anomalies, in selection order. A few bulk queries whatever
    /// the size of the campaign.
    pub fn campaign_tests(&self, campaign: &str) -> Result<Vec<CampaignTest>> {
        let cid = id_of(self.conn(), "campaign", "campagne", campaign)?;
        load_items(self.conn(), cid, Anomalies::Latest, None)
    }

    /// The items of a campaign assigned to `assignee` (`""`: the unassigned ones).
    pub fn campaign_tests_of(&self, campaign: &str, assignee: &str) -> Result<Vec<CampaignTest>> {
        let cid = id_of(self.conn(), "campaign", "campagne", campaign)?;
        load_items(self.conn(), cid, Anomalies::Latest, Some(assignee))
    }

    /// What is assigned to `assignee` in every campaign ("my tests"), campaigns by reference.
    pub fn assigned_tests(&self, assignee: &str) -> Result<Vec<AssignedTest>> {
        let campaigns: Vec<(i64, String, String)> = self
            .conn()
            .prepare(
                "SELECT c.id, c.ref, c.title FROM campaign c
                 WHERE EXISTS (SELECT 1 FROM campaign_test ct WHERE ct.campaign_id = c.id
                               AND ct.assignee = ?1)
                 ORDER BY c.ref",
            )?
            .query_map([assignee], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let mut out = Vec::new();
        for (cid, reference, title) in campaigns {
            for t in load_items(self.conn(), cid, Anomalies::Latest, Some(assignee))? {
                out.push(AssignedTest {
                    campaign: reference.clone(),
                    campaign_title: title.clone(),
                    test: t,
                });
            }
        }
        Ok(out)
    }

    /// The latest attempt of each (test, data set) executed in a campaign; the data set is
    /// `""` for a test without data sets.
    pub fn latest_attempts(
        &self,
        campaign: &str,
    ) -> Result<std::collections::BTreeMap<(String, String), i64>> {
        let cid = id_of(self.conn(), "campaign", "campagne", campaign)?;
        let mut stmt = self.conn().prepare(
            "SELECT t.ref, e.dataset, MAX(e.attempt) FROM execution e
             JOIN test_case t ON t.id = e.test_id
             WHERE e.campaign_id = ?1 GROUP BY t.ref, e.dataset",
        )?;
        let rows = stmt.query_map([cid], |r| Ok(((r.get(0)?, r.get(1)?), r.get(2)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

/// Which anomalies an item lists: those of its latest execution, or of all its executions
/// in the campaign (reports).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Anomalies {
    Latest,
    All,
}

/// `Some(name)` for a data set, `None` for `""`.
pub(super) fn dataset_of(name: String) -> Option<String> {
    (!name.is_empty()).then_some(name)
}

/// The indicators of campaign `cid` computed while reading one row per planned item (its
/// assignee, the status of its latest execution and its number of attempts, as `load_items`
/// gives them), without holding the items: what an import of 200,000 results reports.
pub(super) fn indicators(conn: &rusqlite::Connection, cid: i64) -> Result<CampaignIndicators> {
    let mut stmt = conn.prepare_cached(
        "SELECT ct.assignee, e.status, COALESCE(e.n, 0)
         FROM campaign_test ct
         LEFT JOIN (SELECT test_id, dataset, status, COUNT(*) AS n, MAX(attempt)
                    FROM execution WHERE campaign_id = ?1 GROUP BY test_id, dataset) e
           ON e.test_id = ct.test_id AND e.dataset = ct.dataset
         WHERE ct.campaign_id = ?1",
    )?;
    let mut rows = stmt.query([cid])?;
    let mut tally = Tally::default();
    while let Some(r) = rows.next()? {
        let assignee: String = r.get(0)?;
        let status = match r.get::<_, Option<String>>(1)? {
            Some(code) => decode(&code, ExecStatus::from_code)?,
            None => ExecStatus::NotRun,
        };
        tally.add(status, &assignee, r.get(2)?);
    }
    Ok(tally.finish())
}

/// The planned items of campaign `cid` (only those assigned to `assignee` when given), with
/// their latest execution: four queries, joined in memory.
pub(super) fn load_items(
    conn: &rusqlite::Connection,
    cid: i64,
    anomalies_of: Anomalies,
    assignee: Option<&str>,
) -> Result<Vec<CampaignTest>> {
    type Key = (i64, String);
    let mut anomalies: HashMap<Key, Vec<String>> = HashMap::new();
    {
        let sql = match anomalies_of {
            Anomalies::All => {
                "SELECT DISTINCT e.test_id, e.dataset, a.ref FROM execution e
                 JOIN execution_anomaly ea ON ea.execution_id = e.id
                 JOIN anomaly a ON a.id = ea.anomaly_id
                 WHERE e.campaign_id = ?1 ORDER BY e.test_id, e.dataset, a.ref"
            }
            Anomalies::Latest => {
                "SELECT e.test_id, e.dataset, a.ref FROM execution e
                 JOIN execution_anomaly ea ON ea.execution_id = e.id
                 JOIN anomaly a ON a.id = ea.anomaly_id
                 WHERE e.campaign_id = ?1
                   AND e.attempt = (SELECT MAX(x.attempt) FROM execution x
                                    WHERE x.campaign_id = e.campaign_id AND x.test_id = e.test_id
                                      AND x.dataset = e.dataset)
                 ORDER BY e.test_id, e.dataset, a.ref"
            }
        };
        let mut stmt = conn.prepare_cached(sql)?;
        let mut rows = stmt.query([cid])?;
        while let Some(r) = rows.next()? {
            anomalies
                .entry((r.get(0)?, r.get(1)?))
                .or_default()
                .push(r.get(2)?);
        }
    }
    struct Latest {
        status: ExecStatus,
        attempts: i64,
        tester: String,
        executed_at: String,
        version: i64,
    }
    let mut latest: HashMap<Key, Latest> = HashMap::new();
    {
        // One row per item: SQLite takes the bare columns from the row of MAX(attempt).
        let mut stmt = conn.prepare_cached(
            "SELECT test_id, dataset, status, tester, executed_at, COUNT(*), test_version,
                    MAX(attempt)
             FROM execution WHERE campaign_id = ?1 GROUP BY test_id, dataset",
        )?;
        let mut rows = stmt.query([cid])?;
        while let Some(r) = rows.next()? {
            latest.insert(
                (r.get(0)?, r.get(1)?),
                Latest {
                    status: decode(&r.get::<_, String>(2)?, ExecStatus::from_code)?,
                    tester: r.get(3)?,
                    executed_at: r.get(4)?,
                    attempts: r.get(5)?,
                    version: r.get(6)?,
                },
            );
        }
    }
    let values = super::datasets::all_dataset_values(conn)?;
    let mut stmt = conn.prepare_cached(
        "SELECT t.id, t.ref, t.title, t.kind, ct.assignee, ct.reason, ct.dataset, t.version
         FROM campaign_test ct JOIN test_case t ON t.id = ct.test_id
         WHERE ct.campaign_id = ?1 AND (?2 IS NULL OR ct.assignee = ?2)
         ORDER BY ct.position, t.ref, ct.dataset",
    )?;
    let mut rows = stmt.query(params![cid, assignee])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        let dataset: String = r.get(6)?;
        let key = (id, dataset);
        let l = latest.remove(&key);
        let parameters = values.get(&key).cloned().unwrap_or_default();
        let version: i64 = r.get(7)?;
        let title: String = r.get(2)?;
        out.push(CampaignTest {
            reference: r.get(1)?,
            title: crate::params::substitute(&title, &parameters),
            parameters,
            kind: decode(&r.get::<_, String>(3)?, super::testcases::kind_from_code)?,
            assignee: r.get(4)?,
            reason: r.get(5)?,
            status: l.as_ref().map(|l| l.status).unwrap_or(ExecStatus::NotRun),
            attempts: l.as_ref().map(|l| l.attempts).unwrap_or(0),
            tester: l.as_ref().map(|l| l.tester.clone()),
            executed_at: l.as_ref().map(|l| l.executed_at.clone()),
            anomalies: anomalies.remove(&key).unwrap_or_default(),
            test_version: version,
            executed_version: l.as_ref().map(|l| l.version),
            modified_since_run: l.as_ref().is_some_and(|l| l.version < version),
            dataset: dataset_of(key.1),
        });
    }
    Ok(out)
}

pub(super) fn execution_anomalies(
    conn: &rusqlite::Connection,
    execution_id: i64,
) -> Result<Vec<String>> {
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
                (SELECT COUNT(*) FROM campaign_test ct WHERE ct.campaign_id = c.id),
                c.state, c.started_at, c.start_forced, c.start_checks
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
            state: r.get(8)?,
            started_at: r.get(9)?,
            start_forced: r.get(10)?,
            start_checks: serde_json::from_str(&r.get::<_, String>(11)?)
                .unwrap_or(serde_json::Value::Null),
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

    /// Plans the selected tests in a campaign, each with every active data set it has (or
    /// the data sets of `sel.datasets`); returns the items newly planned, in order, as
    /// `CT-001` or `CT-001 [JDD-1]`. A selection that matches no test is an error, so a typo
    /// never passes silently; a retired test named explicitly is refused.
    pub fn select_tests(&mut self, campaign: &str, sel: &Selection) -> Result<Vec<String>> {
        let cid = id_of(self.conn(), "campaign", "campagne", campaign)?;
        let mut ids: Vec<(i64, String)> = Vec::new();
        for t in &sel.tests {
            let (id, active): (i64, bool) = self
                .conn()
                .prepare_cached("SELECT id, active FROM test_case WHERE ref = ?1")?
                .query_row([t], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?
                .ok_or_else(|| Error::NotFound {
                    kind: "cas de test",
                    reference: t.clone(),
                })?;
            if !active {
                return Err(Error::input(
                    format!("le cas de test {t} est retiré : il ne peut plus être planifié (recette test restore {t} pour le reprendre)"),
                    format!("test case {t} is retired: it cannot be planned any more (recette test restore {t} brings it back)"),
                ));
            }
            ids.push((id, t.clone()));
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
            if (sel.all || matched) && !ids.iter().any(|(i, _)| *i == id) {
                ids.push((id, r));
            }
        }
        if ids.is_empty() {
            return Err(Error::input(
                "la sélection ne correspond à aucun cas de test actif",
                "the selection matches no active test case",
            ));
        }
        let datasets = super::datasets::active_datasets_by_test(self.conn())?;
        let mut items: Vec<(i64, String, String)> = Vec::new();
        for (id, r) in ids {
            match datasets.get(&id) {
                Some(names) => {
                    for n in names {
                        if sel.datasets.is_empty() || sel.datasets.contains(n) {
                            items.push((id, r.clone(), n.clone()));
                        }
                    }
                }
                None if sel.datasets.is_empty() => items.push((id, r, String::new())),
                None => {}
            }
        }
        if items.is_empty() {
            return Err(Error::input(
                format!(
                    "aucun des cas de test sélectionnés n'a le jeu de données {}",
                    sel.datasets.join(", ")
                ),
                format!(
                    "none of the selected test cases has data set {}",
                    sel.datasets.join(", ")
                ),
            ));
        }
        let mut position: i64 = self.conn().query_row(
            "SELECT COALESCE(MAX(position), 0) FROM campaign_test WHERE campaign_id = ?1",
            [cid],
            |r| r.get(0),
        )?;
        let mut added = Vec::new();
        for (id, r, dataset) in items {
            if !dataset.is_empty() {
                // The test got data sets after it was planned whole: its item without data set
                // is replaced, unless it was run (kept for history).
                self.conn()
                    .prepare_cached(
                        "DELETE FROM campaign_test WHERE campaign_id = ?1 AND test_id = ?2 AND dataset = ''
                           AND NOT EXISTS (SELECT 1 FROM execution e WHERE e.campaign_id = ?1
                                           AND e.test_id = ?2 AND e.dataset = '')",
                    )?
                    .execute(params![cid, id])?;
            }
            position += 1;
            let n = self
                .conn()
                .prepare_cached(
                    "INSERT OR IGNORE INTO campaign_test(campaign_id, test_id, dataset, position, assignee, reason)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                )?
                .execute(params![cid, id, dataset, position, sel.assignee.clone().unwrap_or_default(),
                    sel.reasons.get(&r).unwrap_or(&sel.reason)])?;
            if n > 0 {
                added.push(crate::entities::item_label(&r, Some(&dataset)));
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
}

impl Tx<'_> {
    /// Takes `tests` out of a campaign: their items never run are removed; those already run
    /// stay (their results are history) and are returned as kept. Audited.
    pub fn unselect_tests(&mut self, campaign: &str, tests: &[String]) -> Result<Unselected> {
        let cid = id_of(self.conn(), "campaign", "campagne", campaign)?;
        let mut out = Unselected::default();
        for t in tests {
            let rows: Vec<(i64, String, bool)> = self
                .conn()
                .prepare_cached(
                    "SELECT ct.test_id, ct.dataset, EXISTS(SELECT 1 FROM execution e
                         WHERE e.campaign_id = ct.campaign_id AND e.test_id = ct.test_id
                           AND e.dataset = ct.dataset)
                     FROM campaign_test ct JOIN test_case tc ON tc.id = ct.test_id
                     WHERE ct.campaign_id = ?1 AND tc.ref = ?2 ORDER BY ct.dataset",
                )?
                .query_map(params![cid, t], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                .collect::<rusqlite::Result<_>>()?;
            if rows.is_empty() {
                out.absent.push(t.clone());
            }
            for (tid, dataset, run) in rows {
                let label = crate::entities::item_label(t, Some(&dataset));
                if run {
                    out.kept.push(label);
                    continue;
                }
                self.conn()
                    .prepare_cached(
                        "DELETE FROM campaign_test WHERE campaign_id = ?1 AND test_id = ?2 AND dataset = ?3",
                    )?
                    .execute(params![cid, tid, dataset])?;
                out.removed.push(label);
            }
        }
        if !out.removed.is_empty() {
            self.audit(
                "unselect",
                "campagne",
                campaign,
                None,
                Some(json!({"removed": out.removed, "kept": out.kept})),
            )?;
        }
        Ok(out)
    }
}

/// What [`Tx::unselect_tests`] did.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Unselected {
    /// Items taken out (`REF` or `REF [data set]`).
    pub removed: Vec<String>,
    /// Items kept because they were run.
    pub kept: Vec<String>,
    /// Tests named that were not in the campaign.
    pub absent: Vec<String>,
}

/// Where evidence files live: `<root>/evidence/<first two hex>/<sha256>`.
pub fn evidence_path(root: &Path, sha256: &str) -> PathBuf {
    let prefix = sha256.get(..2).unwrap_or("00");
    root.join("evidence").join(prefix).join(sha256)
}

/// Copies a file into the evidence folder under its content hash. Only the file's base name is
/// kept as its display name, so names like `../../etc/passwd` cannot point anywhere.
pub(super) fn store_evidence(root: &Path, path: &Path) -> Result<Evidence> {
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
