//! Executions: recording one (checked against the test and the domain's rules, numbered
//! inside the write transaction) and reading them back as they were run.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rusqlite::{params, OptionalExtension};
use serde::Serialize;
use serde_json::json;

use super::campaigns::{dataset_of, execution_anomalies, store_evidence};
use super::datasets::{dataset_values, encode_values};
use super::versions::steps_of_version;
use super::{decode, id_of, Store, Tx};
use crate::entities::{
    CoveredRequirement, Evidence, Execution, ExecutionDetail, PlannedExecution, PlannedStep,
    StepAsRun, StepResult, TestCase, TestHistoryEntry,
};
use crate::error::{Error, Result};
use crate::execution::{check_status, is_in_future, status_from_steps};
use crate::model::{Criticality, ExecStatus};
use crate::params::{self, Values};

/// The result of one step, as a tester records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepInput {
    /// 1-based step number.
    pub index: u32,
    pub status: ExecStatus,
    /// What the tester saw (résultat obtenu); may be empty.
    pub actual: String,
}

impl StepInput {
    /// A step result without actual result.
    pub fn new(index: u32, status: ExecStatus) -> StepInput {
        StepInput {
            index,
            status,
            actual: String::new(),
        }
    }
}

/// One execution to record.
#[derive(Debug, Clone)]
pub struct RunInput {
    /// The data set run; may be omitted when the campaign plans the test once.
    pub dataset: Option<String>,
    /// The test's status; `None`: it follows from the steps ([`status_from_steps`]).
    pub status: Option<ExecStatus>,
    /// Per-step results.
    pub steps: Vec<StepInput>,
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
    /// The attempt the tester saw when starting (0: none yet): recording fails with
    /// [`Error::Conflict`] when someone recorded a newer one meanwhile.
    pub based_on: Option<i64>,
    /// Accept a date in the future (a vendor's workbook: the import warns instead).
    pub allow_future_date: bool,
}

impl RunInput {
    /// A manual result with only a status.
    pub fn status(status: ExecStatus) -> RunInput {
        RunInput {
            dataset: None,
            status: Some(status),
            steps: Vec::new(),
            comment: String::new(),
            evidence: Vec::new(),
            anomalies: Vec::new(),
            tester: None,
            executed_at: None,
            duration_ms: None,
            source: "manual".into(),
            add_if_missing: false,
            based_on: None,
            allow_future_date: false,
        }
    }
}

/// What was recorded.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Recorded {
    pub campaign: String,
    pub test: String,
    pub dataset: Option<String>,
    pub attempt: i64,
    /// The status recorded (given, or following from the steps).
    pub status: ExecStatus,
    pub test_version: i64,
}

/// Which attempts to read back.
#[derive(Debug, Clone, Default)]
pub struct ExecutionQuery {
    /// Only this data set (by name).
    pub dataset: Option<String>,
    /// Only this attempt.
    pub attempt: Option<i64>,
}

/// A test's row id, version and whether it is active.
fn test_row(conn: &rusqlite::Connection, test: &str) -> Result<(i64, i64, bool)> {
    conn.prepare_cached("SELECT id, version, active FROM test_case WHERE ref = ?1")?
        .query_row([test], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?
        .ok_or_else(|| Error::NotFound {
            kind: "cas de test",
            reference: test.to_string(),
        })
}

/// The data sets a campaign plans for a test (`""`: the test without data set).
fn planned_datasets(conn: &rusqlite::Connection, cid: i64, tid: i64) -> Result<Vec<String>> {
    Ok(conn
        .prepare_cached(
            "SELECT dataset FROM campaign_test WHERE campaign_id = ?1 AND test_id = ?2
             ORDER BY position, dataset",
        )?
        .query_map(params![cid, tid], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?)
}

fn quote_list(items: &[String]) -> String {
    items.join(", ")
}

impl Tx<'_> {
    /// Records one execution (the next attempt) of a planned test — or (test, data set) — in
    /// a campaign, after checking it: the data set is planned, step numbers exist and appear
    /// once, the date is not in the future, the status does not hide a failed or blocked step
    /// (no status: it follows from the steps), and with `based_on`, no newer attempt was
    /// recorded meanwhile ([`Error::Conflict`]). The attempt number is computed inside the
    /// write transaction, so concurrent writers never collide nor leave gaps.
    pub fn record_execution(
        &mut self,
        campaign: &str,
        test: &str,
        run: &RunInput,
    ) -> Result<Recorded> {
        let cid = id_of(self.conn(), "campaign", "campagne", campaign)?;
        let (tid, version, _) = test_row(self.conn(), test)?;
        let planned = planned_datasets(self.conn(), cid, tid)?;
        let wanted = run.dataset.as_deref().filter(|d| !d.is_empty());
        let dataset = match (wanted, planned.as_slice()) {
            (Some(d), _) if planned.iter().any(|p| p == d) => d.to_string(),
            (Some(d), _) => {
                let Some((_, active)) = dataset_values(self.conn(), tid, d)? else {
                    let known = self.datasets_of(tid)?;
                    return Err(Error::input(
                        format!(
                            "{test} n'a pas de jeu de données « {d} » (jeux de données : {})",
                            if known.is_empty() {
                                "aucun".into()
                            } else {
                                quote_list(&known)
                            }
                        ),
                        format!(
                            "{test} has no data set \"{d}\" (data sets: {})",
                            if known.is_empty() {
                                "none".into()
                            } else {
                                quote_list(&known)
                            }
                        ),
                    ));
                };
                if !run.add_if_missing || !active {
                    return Err(Error::input(
                        format!("le jeu de données « {d} » de {test} n'est pas planifié dans la campagne {campaign} : ajoutez-le avec « recette campaign add {campaign} --test {test} --dataset {d} »"),
                        format!("data set \"{d}\" of {test} is not planned in campaign {campaign}: add it with \"recette campaign add {campaign} --test {test} --dataset {d}\""),
                    ));
                }
                self.plan_item(cid, tid, d, &run.source)?;
                d.to_string()
            }
            (None, [only]) => only.clone(),
            (None, []) if run.add_if_missing => {
                self.plan_item(cid, tid, "", &run.source)?;
                String::new()
            }
            (None, []) => {
                return Err(Error::input(
                    format!("le cas de test {test} n'est pas dans la campagne {campaign} : ajoutez-le avec « recette campaign add {campaign} --test {test} »"),
                    format!("test case {test} is not in campaign {campaign}: add it with \"recette campaign add {campaign} --test {test}\""),
                ));
            }
            (None, several) => {
                let names: Vec<String> =
                    several.iter().filter(|d| !d.is_empty()).cloned().collect();
                return Err(Error::input(
                    format!("{test} est planifié avec plusieurs jeux de données dans {campaign} : précisez --dataset ({})", quote_list(&names)),
                    format!("{test} is planned with several data sets in {campaign}: give --dataset ({})", quote_list(&names)),
                ));
            }
        };
        let count: i64 = self
            .conn()
            .prepare_cached("SELECT COUNT(*) FROM test_step WHERE test_id = ?1")?
            .query_row([tid], |r| r.get(0))?;
        let count = usize::try_from(count).unwrap_or(0);
        let mut by_step: Vec<ExecStatus> = vec![ExecStatus::NotRun; count];
        let mut seen = vec![false; count];
        for s in &run.steps {
            let n = s.index;
            if n == 0 || n as usize > count {
                return Err(Error::input(
                    format!("étape {n} inexistante : le cas de test {test} a {count} étape(s)"),
                    format!("no step {n}: test case {test} has {count} step(s)"),
                ));
            }
            let i = n as usize - 1;
            if seen[i] {
                return Err(Error::input(
                    format!("étape {n} donnée deux fois pour {test}"),
                    format!("step {n} given twice for {test}"),
                ));
            }
            seen[i] = true;
            by_step[i] = s.status;
        }
        let status = match run.status {
            Some(s) => {
                if !run.steps.is_empty() {
                    check_status(s, &by_step).map_err(|c| {
                        Error::input(
                            format!("{test} : {}", c.message(crate::i18n::Lang::Fr)),
                            format!("{test}: {}", c.message(crate::i18n::Lang::En)),
                        )
                    })?;
                }
                s
            }
            None if run.steps.is_empty() => {
                return Err(Error::input(
                    format!("{test} : donnez le statut (--status) ou le résultat des étapes (--step N=statut)"),
                    format!("{test}: give the status (--status) or the steps' results (--step N=status)"),
                ));
            }
            None => status_from_steps(&by_step).unwrap_or(ExecStatus::InProgress),
        };
        let at = run
            .executed_at
            .clone()
            .unwrap_or_else(|| self.now().to_string());
        if !run.allow_future_date && is_in_future(&at, self.now()) {
            return Err(Error::input(
                format!(
                    "{test} : date d'exécution {at} dans le futur (maintenant : {})",
                    self.now()
                ),
                format!(
                    "{test}: execution date {at} is in the future (now: {})",
                    self.now()
                ),
            ));
        }
        let mut anomaly_ids = Vec::new();
        for a in &run.anomalies {
            anomaly_ids.push(id_of(self.conn(), "anomaly", "anomalie", a)?);
        }
        let latest: i64 = self
            .conn()
            .prepare_cached(
                "SELECT COALESCE(MAX(attempt), 0) FROM execution
                 WHERE campaign_id = ?1 AND test_id = ?2 AND dataset = ?3",
            )?
            .query_row(params![cid, tid, dataset], |r| r.get(0))?;
        if let Some(base) = run.based_on {
            if base < latest {
                return Err(Error::Conflict {
                    campaign: campaign.to_string(),
                    test: test.to_string(),
                    dataset: dataset_of(dataset.clone()),
                    based_on: base,
                    latest,
                });
            }
            if base > latest {
                return Err(Error::input(
                    format!("{test} : essai de base {base} inexistant (dernier essai : {latest})"),
                    format!(
                        "{test}: base attempt {base} does not exist (latest attempt: {latest})"
                    ),
                ));
            }
        }
        let attempt = latest + 1;
        let values = if dataset.is_empty() {
            Values::new()
        } else {
            dataset_values(self.conn(), tid, &dataset)?
                .map(|(v, _)| v)
                .unwrap_or_default()
        };
        let tester = run
            .tester
            .clone()
            .unwrap_or_else(|| self.actor().to_string());
        self.conn()
            .prepare_cached(
                "INSERT INTO execution(campaign_id, test_id, dataset, attempt, status, tester,
                     executed_at, comment, duration_ms, source, test_version, parameters)
                 VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12)",
            )?
            .execute(params![
                cid,
                tid,
                dataset,
                attempt,
                status.code(),
                tester,
                at,
                run.comment,
                run.duration_ms,
                run.source,
                version,
                encode_values(&values)
            ])?;
        let eid = self.conn().last_insert_rowid();
        for s in &run.steps {
            self.conn()
                .prepare_cached(
                    "INSERT INTO execution_step(execution_id, position, status, actual) VALUES (?1,?2,?3,?4)",
                )?
                .execute(params![eid, s.index, s.status.code(), s.actual])?;
        }
        for aid in anomaly_ids {
            self.conn()
                .prepare_cached(
                    "INSERT OR IGNORE INTO execution_anomaly(execution_id, anomaly_id) VALUES (?1, ?2)",
                )?
                .execute(params![eid, aid])?;
        }
        self.apply_retest(tid, eid, status)?;
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
        let label = crate::entities::item_label(test, Some(&dataset));
        let steps_json: Vec<serde_json::Value> = run
            .steps
            .iter()
            .map(|s| {
                if s.actual.is_empty() {
                    json!([s.index, s.status])
                } else {
                    json!([s.index, s.status, s.actual])
                }
            })
            .collect();
        let mut after = json!({"status": status, "tester": tester, "executed_at": at,
                "comment": run.comment, "steps": steps_json, "anomalies": run.anomalies,
                "evidence": evidence, "source": run.source});
        if !dataset.is_empty() {
            after["dataset"] = json!(dataset);
        }
        if version > 1 {
            after["test_version"] = json!(version);
        }
        self.audit(
            "run",
            "exécution",
            &format!("{campaign}/{label}#{attempt}"),
            None,
            Some(after),
        )?;
        Ok(Recorded {
            campaign: campaign.to_string(),
            test: test.to_string(),
            dataset: dataset_of(dataset),
            attempt,
            status,
            test_version: version,
        })
    }

    /// Plans an item not selected yet (imports add the tests they bring results for).
    fn plan_item(&mut self, cid: i64, tid: i64, dataset: &str, reason: &str) -> Result<()> {
        self.conn()
            .prepare_cached(
                "INSERT INTO campaign_test(campaign_id, test_id, dataset, position, reason)
                 VALUES (?1, ?2, ?3, (SELECT COALESCE(MAX(position),0)+1 FROM campaign_test WHERE campaign_id = ?1), ?4)",
            )?
            .execute(params![cid, tid, dataset, reason])?;
        Ok(())
    }

    fn datasets_of(&self, tid: i64) -> Result<Vec<String>> {
        Ok(self
            .conn()
            .prepare_cached(
                "SELECT name FROM test_dataset WHERE test_id = ?1 ORDER BY position, id",
            )?
            .query_map([tid], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?)
    }
}

/// The stored rows of executions, before their details are attached.
struct Row {
    id: i64,
    test_id: i64,
    exec: Execution,
}

fn execution_rows(
    conn: &rusqlite::Connection,
    campaign: &str,
    cid: i64,
    test: Option<&str>,
) -> Result<Vec<Row>> {
    let mut stmt = conn.prepare_cached(
        "SELECT e.id, t.ref, e.dataset, e.attempt, e.status, e.tester, e.executed_at, e.comment,
                e.duration_ms, e.source, e.test_version, e.parameters, e.test_id
         FROM execution e JOIN test_case t ON t.id = e.test_id
         LEFT JOIN test_dataset d ON d.test_id = e.test_id AND d.name = e.dataset
         WHERE e.campaign_id = ?1 AND (?2 IS NULL OR t.ref = ?2)
         ORDER BY t.ref, COALESCE(d.position, 0), e.dataset, e.attempt",
    )?;
    let rows = stmt
        .query_map(params![cid, test], |r| {
            let parameters: String = r.get(11)?;
            Ok(Row {
                id: r.get(0)?,
                test_id: r.get(12)?,
                exec: Execution {
                    campaign: campaign.to_string(),
                    test: r.get(1)?,
                    dataset: dataset_of(r.get(2)?),
                    attempt: r.get(3)?,
                    status: decode(&r.get::<_, String>(4)?, ExecStatus::from_code)?,
                    tester: r.get(5)?,
                    executed_at: r.get(6)?,
                    comment: r.get(7)?,
                    duration_ms: r.get(8)?,
                    source: r.get(9)?,
                    test_version: r.get(10)?,
                    parameters: serde_json::from_str(&parameters).unwrap_or_default(),
                    steps: Vec::new(),
                    evidence: Vec::new(),
                    anomalies: Vec::new(),
                },
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

fn attach_details(conn: &rusqlite::Connection, rows: &mut [Row]) -> Result<()> {
    for row in rows {
        let e = &mut row.exec;
        e.steps = conn
            .prepare_cached(
                "SELECT position, status, actual, comment FROM execution_step
                 WHERE execution_id = ?1 ORDER BY position",
            )?
            .query_map([row.id], |r| {
                Ok(StepResult {
                    step: r.get(0)?,
                    status: decode(&r.get::<_, String>(1)?, ExecStatus::from_code)?,
                    actual: r.get(2)?,
                    comment: r.get(3)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        e.evidence = conn
            .prepare_cached(
                "SELECT file_name, sha256, size FROM evidence WHERE execution_id = ?1 ORDER BY id",
            )?
            .query_map([row.id], |r| {
                Ok(Evidence {
                    file_name: r.get(0)?,
                    sha256: r.get(1)?,
                    size: r.get(2)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        e.anomalies = execution_anomalies(conn, row.id)?;
    }
    Ok(())
}

/// One evidence file found by [`Store::find_evidence`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EvidenceFile {
    #[serde(flatten)]
    pub evidence: Evidence,
    /// The execution it was attached to: `campagne/CT-001#2`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub execution: Option<String>,
    /// The anomaly it was attached to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub anomaly: Option<String>,
    /// The file in the store's evidence folder.
    #[serde(skip)]
    pub path: PathBuf,
}

impl EvidenceFile {
    /// Where it was attached: the execution (`campagne/CT-001#2`) or the anomaly.
    pub fn place(&self) -> &str {
        self.execution
            .as_deref()
            .or(self.anomaly.as_deref())
            .unwrap_or("")
    }
}

impl Store {
    /// Every execution of a campaign (optionally of one test), by test, data set and attempt.
    pub fn executions(&self, campaign: &str, test: Option<&str>) -> Result<Vec<Execution>> {
        let cid = id_of(self.conn(), "campaign", "campagne", campaign)?;
        let mut rows = execution_rows(self.conn(), campaign, cid, test)?;
        attach_details(self.conn(), &mut rows)?;
        Ok(rows.into_iter().map(|r| r.exec).collect())
    }

    /// The attempts of one test in a campaign as they were run: each with the texts of the
    /// version it ran (values substituted), every step with its result and actual result,
    /// evidence and anomalies. An unknown data set or attempt is an error naming the known ones.
    pub fn execution_details(
        &self,
        campaign: &str,
        test: &str,
        q: &ExecutionQuery,
    ) -> Result<Vec<ExecutionDetail>> {
        let cid = id_of(self.conn(), "campaign", "campagne", campaign)?;
        let tc = self.test_case(test)?.ok_or_else(|| Error::NotFound {
            kind: "cas de test",
            reference: test.to_string(),
        })?;
        let mut rows = execution_rows(self.conn(), campaign, cid, Some(test))?;
        if let Some(d) = &q.dataset {
            let known: Vec<String> = rows.iter().filter_map(|r| r.exec.dataset.clone()).collect();
            rows.retain(|r| r.exec.dataset.as_deref() == Some(d.as_str()));
            if rows.is_empty() {
                let mut known = known;
                known.dedup();
                return Err(Error::input(
                    format!("aucune exécution de {test} avec le jeu de données « {d} » dans {campaign} (jeux exécutés : {})", if known.is_empty() { "aucun".into() } else { known.join(", ") }),
                    format!("no execution of {test} with data set \"{d}\" in {campaign} (data sets run: {})", if known.is_empty() { "none".into() } else { known.join(", ") }),
                ));
            }
        }
        if let Some(a) = q.attempt {
            let known: Vec<String> = rows.iter().map(|r| r.exec.attempt.to_string()).collect();
            rows.retain(|r| r.exec.attempt == a);
            if rows.is_empty() {
                return Err(Error::input(
                    format!(
                        "{test} n'a pas d'essai {a} dans {campaign} (essais : {})",
                        if known.is_empty() {
                            "aucun".into()
                        } else {
                            known.join(", ")
                        }
                    ),
                    format!(
                        "{test} has no attempt {a} in {campaign} (attempts: {})",
                        if known.is_empty() {
                            "none".into()
                        } else {
                            known.join(", ")
                        }
                    ),
                ));
            }
        }
        attach_details(self.conn(), &mut rows)?;
        let mut texts: HashMap<i64, (String, String, Vec<crate::model::Step>)> = HashMap::new();
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let e = row.exec;
            let (title, prerequisites, steps) = match texts.entry(e.test_version) {
                std::collections::hash_map::Entry::Occupied(o) => o.into_mut(),
                std::collections::hash_map::Entry::Vacant(v) => v.insert(steps_of_version(
                    self.conn(),
                    row.test_id,
                    e.test_version,
                    &tc,
                )?),
            };
            let v = &e.parameters;
            let mut results: HashMap<i64, &StepResult> =
                e.steps.iter().map(|s| (s.step, s)).collect();
            let mut as_run: Vec<StepAsRun> = steps
                .iter()
                .enumerate()
                .map(|(i, s)| {
                    let r = results.remove(&(i as i64 + 1));
                    StepAsRun {
                        index: i as i64 + 1,
                        action: params::substitute(&s.action, v),
                        expected: params::substitute(&s.expected, v),
                        status: r.map(|r| r.status),
                        actual: r.map(|r| r.actual.clone()).unwrap_or_default(),
                        comment: r.map(|r| r.comment.clone()).unwrap_or_default(),
                    }
                })
                .collect();
            // Results of steps the version does not have (a store older than versions).
            let mut rest: Vec<&StepResult> = results.into_values().collect();
            rest.sort_by_key(|r| r.step);
            as_run.extend(rest.into_iter().map(|r| StepAsRun {
                index: r.step,
                action: String::new(),
                expected: String::new(),
                status: Some(r.status),
                actual: r.actual.clone(),
                comment: r.comment.clone(),
            }));
            out.push(ExecutionDetail {
                outdated: e.test_version < tc.version,
                title: params::substitute(title, v),
                prerequisites: params::substitute(prerequisites, v),
                steps: as_run,
                campaign: e.campaign,
                test: e.test,
                dataset: e.dataset,
                attempt: e.attempt,
                status: e.status,
                tester: e.tester,
                executed_at: e.executed_at,
                comment: e.comment,
                duration_ms: e.duration_ms,
                source: e.source,
                test_version: e.test_version,
                parameters: e.parameters,
                evidence: e.evidence,
                anomalies: e.anomalies,
            });
        }
        Ok(out)
    }

    /// What a tester needs to run a planned item now: current texts with the data set's
    /// values substituted, covered requirements, assignee, status and latest attempt. The
    /// data set may be omitted when the campaign plans the test once.
    pub fn planned_execution(
        &self,
        campaign: &str,
        test: &str,
        dataset: Option<&str>,
    ) -> Result<PlannedExecution> {
        let cid = id_of(self.conn(), "campaign", "campagne", campaign)?;
        let (tid, _, _) = test_row(self.conn(), test)?;
        let items = super::campaigns::load_items(
            self.conn(),
            cid,
            super::campaigns::Anomalies::Latest,
            None,
        )?;
        let mine: Vec<_> = items.into_iter().filter(|i| i.reference == test).collect();
        let item = match dataset {
            Some(d) => mine.iter().find(|i| i.dataset.as_deref() == Some(d)),
            None if mine.len() == 1 => mine.first(),
            None => None,
        };
        let Some(item) = item else {
            let names: Vec<String> = mine.iter().filter_map(|i| i.dataset.clone()).collect();
            return Err(match (dataset, mine.is_empty()) {
                (_, true) => Error::input(
                    format!("le cas de test {test} n'est pas dans la campagne {campaign}"),
                    format!("test case {test} is not in campaign {campaign}"),
                ),
                (Some(d), false) => Error::input(
                    format!("le jeu de données « {d} » de {test} n'est pas planifié dans {campaign} (planifiés : {})", names.join(", ")),
                    format!("data set \"{d}\" of {test} is not planned in {campaign} (planned: {})", names.join(", ")),
                ),
                (None, false) => Error::input(
                    format!("{test} est planifié avec plusieurs jeux de données dans {campaign} : précisez le jeu ({})", names.join(", ")),
                    format!("{test} is planned with several data sets in {campaign}: give the data set ({})", names.join(", ")),
                ),
            });
        };
        let tc: TestCase = self.test_case(test)?.ok_or_else(|| Error::NotFound {
            kind: "cas de test",
            reference: test.to_string(),
        })?;
        let v = &item.parameters;
        let used = super::datasets::test_parameters(&tc);
        let requirements = self
            .conn()
            .prepare_cached(
                "SELECT r.ref, r.title, r.criticality FROM link l JOIN requirement r ON r.id = l.requirement_id
                 WHERE l.test_id = ?1 AND r.status != 'obsolete' ORDER BY r.ref",
            )?
            .query_map([tid], |r| {
                Ok(CoveredRequirement {
                    reference: r.get(0)?,
                    title: r.get(1)?,
                    criticality: decode(&r.get::<_, String>(2)?, Criticality::from_code)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        let latest_attempt: i64 = self.conn().query_row(
            "SELECT COALESCE(MAX(attempt), 0) FROM execution
             WHERE campaign_id = ?1 AND test_id = ?2 AND dataset = ?3",
            params![cid, tid, item.dataset.clone().unwrap_or_default()],
            |r| r.get(0),
        )?;
        Ok(PlannedExecution {
            campaign: campaign.to_string(),
            test: test.to_string(),
            dataset: item.dataset.clone(),
            parameters: v.clone(),
            missing_parameters: if item.dataset.is_some() {
                params::missing(&used, v)
            } else {
                used
            },
            title: params::substitute(&tc.title, v),
            objective: params::substitute(&tc.objective, v),
            prerequisites: params::substitute(&tc.prerequisites, v),
            kind: tc.kind,
            test_version: tc.version,
            steps: tc
                .steps
                .iter()
                .enumerate()
                .map(|(i, s)| PlannedStep {
                    index: i as i64 + 1,
                    action: params::substitute(&s.action, v),
                    expected: params::substitute(&s.expected, v),
                })
                .collect(),
            requirements,
            assignee: item.assignee.clone(),
            status: item.status,
            latest_attempt,
        })
    }

    /// Every execution of a test across campaigns and deliveries, oldest first.
    pub fn test_history(&self, test: &str) -> Result<Vec<TestHistoryEntry>> {
        let (tid, _, _) = test_row(self.conn(), test)?;
        let mut stmt = self.conn().prepare_cached(
            "SELECT e.id, c.ref, d.ref, e.dataset, e.attempt, e.test_version, e.status, e.tester,
                    e.executed_at, e.source
             FROM execution e JOIN campaign c ON c.id = e.campaign_id
             LEFT JOIN delivery d ON d.id = c.delivery_id
             WHERE e.test_id = ?1 ORDER BY e.executed_at, e.id",
        )?;
        let rows = stmt
            .query_map([tid], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    TestHistoryEntry {
                        campaign: r.get(1)?,
                        delivery: r.get(2)?,
                        dataset: dataset_of(r.get(3)?),
                        attempt: r.get(4)?,
                        test_version: r.get(5)?,
                        status: decode(&r.get::<_, String>(6)?, ExecStatus::from_code)?,
                        tester: r.get(7)?,
                        executed_at: r.get(8)?,
                        source: r.get(9)?,
                        anomalies: Vec::new(),
                    },
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut out = Vec::with_capacity(rows.len());
        for (id, mut e) in rows {
            e.anomalies = execution_anomalies(self.conn(), id)?;
            out.push(e);
        }
        Ok(out)
    }

    /// The evidence file with this sha256 (or a unique prefix of at least 6 characters), or
    /// this file name. Several different files under one name are an error listing them.
    pub fn find_evidence(&self, key: &str) -> Result<EvidenceFile> {
        let key = key.trim();
        let hexish = key.len() >= 6 && key.chars().all(|c| c.is_ascii_hexdigit());
        let mut stmt = self.conn().prepare_cached(
            "SELECT v.file_name, v.sha256, v.size, c.ref, t.ref, e.dataset, e.attempt, NULL, v.id, 0
             FROM evidence v JOIN execution e ON e.id = v.execution_id
             JOIN campaign c ON c.id = e.campaign_id JOIN test_case t ON t.id = e.test_id
             WHERE v.file_name = ?1 OR (?2 AND v.sha256 LIKE ?3 || '%')
             UNION ALL
             SELECT v.file_name, v.sha256, v.size, NULL, NULL, NULL, NULL, a.ref, v.id, 1
             FROM anomaly_evidence v JOIN anomaly a ON a.id = v.anomaly_id
             WHERE v.file_name = ?1 OR (?2 AND v.sha256 LIKE ?3 || '%')
             ORDER BY 10, 9",
        )?;
        let found: Vec<EvidenceFile> = stmt
            .query_map(params![key, hexish, key.to_ascii_lowercase()], |r| {
                let sha: String = r.get(1)?;
                let execution = match (
                    r.get::<_, Option<String>>(3)?,
                    r.get::<_, Option<String>>(4)?,
                    r.get::<_, Option<String>>(5)?,
                    r.get::<_, Option<i64>>(6)?,
                ) {
                    (Some(c), Some(t), ds, Some(n)) => Some(format!(
                        "{c}/{}#{n}",
                        crate::entities::item_label(&t, ds.as_deref())
                    )),
                    _ => None,
                };
                Ok(EvidenceFile {
                    path: super::campaigns::evidence_path(self.root().as_path(), &sha),
                    evidence: Evidence {
                        file_name: r.get(0)?,
                        sha256: sha,
                        size: r.get(2)?,
                    },
                    execution,
                    anomaly: r.get(7)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        let mut distinct: Vec<&EvidenceFile> = Vec::new();
        for f in &found {
            if !distinct
                .iter()
                .any(|d| d.evidence.sha256 == f.evidence.sha256)
            {
                distinct.push(f);
            }
        }
        match distinct.as_slice() {
            [] => Err(Error::NotFound {
                kind: "preuve",
                reference: key.to_string(),
            }),
            [one] => Ok((*one).clone()),
            many => {
                let list: Vec<String> = many
                    .iter()
                    .map(|f| {
                        format!(
                            "{} {} ({}, {} o)",
                            f.evidence.sha256,
                            f.evidence.file_name,
                            f.place(),
                            f.evidence.size
                        )
                    })
                    .collect();
                Err(Error::input(
                    format!("« {key} » désigne {} preuves différentes ; donnez l'empreinte sha256 de celle voulue :\n  {}", many.len(), list.join("\n  ")),
                    format!("\"{key}\" names {} different evidence files; give the sha256 of the one you want:\n  {}", many.len(), list.join("\n  ")),
                ))
            }
        }
    }

    /// Copies the evidence file named by `key` ([`Store::find_evidence`]) to `out`, after
    /// checking that its content still has its sha256.
    pub fn copy_evidence(&self, key: &str, out: &Path) -> Result<EvidenceFile> {
        use sha2::{Digest, Sha256};
        let f = self.find_evidence(key)?;
        let bytes = std::fs::read(&f.path).map_err(|e| Error::io(&f.path, e))?;
        let sha = super::requirements::hex(&Sha256::digest(&bytes));
        if sha != f.evidence.sha256 {
            return Err(Error::input(
                format!("{} : le fichier de preuve a été altéré (empreinte {sha} au lieu de {}) ; rien n'a été copié (recette check)", f.path.display(), f.evidence.sha256),
                format!("{}: the evidence file was altered (sha256 {sha} instead of {}); nothing was copied (recette check)", f.path.display(), f.evidence.sha256),
            ));
        }
        std::fs::write(out, &bytes).map_err(|e| Error::io(out, e))?;
        Ok(f)
    }
}
