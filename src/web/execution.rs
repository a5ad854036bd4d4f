//! One execution entry as the execution page and the API send it, turned into the library's
//! [`RunInput`] and recorded in one write transaction under the authenticated account, with
//! an anomaly created on the spot and uploaded evidence. Every check (steps, status from the
//! steps, dates, `based_on` conflicts) is `Tx::record_execution`'s.

use std::path::PathBuf;

use serde::Deserialize;

use super::{AppState, CurrentUser};
use crate::error::{Error, Result};
use crate::model::{ExecStatus, Severity};
use crate::store::{AnomalyPatch, Recorded, RunInput, StepInput, Store};

/// One step's result as sent.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct StepEntry {
    pub index: u32,
    pub status: String,
    #[serde(default)]
    pub actual: String,
}

/// An anomaly to create with the execution.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct NewAnomaly {
    pub title: String,
    pub severity: String,
    #[serde(default)]
    pub description: String,
}

/// An execution as sent (JSON body of the API, or the execution page's form).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ExecutionEntry {
    pub test: String,
    #[serde(default)]
    pub dataset: Option<String>,
    /// The test's status; absent or empty: it follows from the steps.
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub steps: Vec<StepEntry>,
    #[serde(default)]
    pub comment: String,
    /// Existing anomalies to link.
    #[serde(default)]
    pub anomalies: Vec<String>,
    /// The attempt the screen showed (0: none yet); absent: a new attempt in any case.
    #[serde(default)]
    pub based_on: Option<i64>,
    /// An anomaly created on the spot and linked.
    #[serde(default)]
    pub new_anomaly: Option<NewAnomaly>,
}

/// What was recorded, and the anomaly created if any.
#[derive(Debug, Clone)]
pub struct Saved {
    pub recorded: Recorded,
    pub anomaly: Option<String>,
}

impl ExecutionEntry {
    /// The library's run input (words parsed; an empty step status means "not given").
    pub fn to_run(&self, evidence: Vec<PathBuf>) -> Result<RunInput> {
        let mut run = RunInput::status(ExecStatus::NotRun);
        run.status = match self.status.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(s) => Some(ExecStatus::parse(s)?),
        };
        run.dataset = self.dataset.clone().filter(|d| !d.is_empty());
        run.steps = self
            .steps
            .iter()
            .filter(|s| !s.status.trim().is_empty())
            .map(|s| {
                Ok(StepInput {
                    index: s.index,
                    status: ExecStatus::parse(s.status.trim())?,
                    actual: s.actual.trim().to_string(),
                })
            })
            .collect::<Result<_>>()?;
        run.comment = self.comment.trim().to_string();
        run.anomalies = self
            .anomalies
            .iter()
            .map(|a| a.trim().to_string())
            .filter(|a| !a.is_empty())
            .collect();
        run.based_on = self.based_on;
        run.evidence = evidence;
        run.source = "web".into();
        Ok(run)
    }
}

/// Records an entry: in one transaction, the anomaly created on the spot (found in the
/// campaign's delivery) then the execution linking it. The tester is the account.
pub fn record(
    store: &mut Store,
    user: &CurrentUser,
    campaign: &str,
    entry: &ExecutionEntry,
    evidence: Vec<PathBuf>,
) -> Result<Saved> {
    let mut run = entry.to_run(evidence)?;
    run.tester = Some(user.name().to_string());
    let new = match &entry.new_anomaly {
        Some(a) if !a.title.trim().is_empty() => Some((
            a.title.trim().to_string(),
            Severity::parse(a.severity.trim())?,
            a.description.trim().to_string(),
        )),
        Some(a) if !a.description.trim().is_empty() => {
            return Err(Error::input(
                "anomalie : donnez son intitulé",
                "anomaly: give its title",
            ))
        }
        _ => None,
    };
    let found_in = store.campaign(campaign)?.delivery;
    let test = entry.test.trim().to_string();
    store.write_as(user.name(), "web run", |tx| {
        let mut created = None;
        if let Some((title, severity, description)) = &new {
            let reference = tx.next_anomaly_ref()?;
            let patch = AnomalyPatch {
                description: Some(description.clone()),
                found_in: found_in.clone(),
                ..AnomalyPatch::default()
            };
            tx.add_anomaly(&reference, title, *severity, &patch)?;
            run.anomalies.push(reference.clone());
            created = Some(reference);
        }
        let recorded = tx.record_execution(campaign, &test, &run)?;
        Ok(Saved {
            recorded,
            anomaly: created,
        })
    })
}

/// Uploaded files staged under their (base) names in a private folder, for the library's
/// evidence paths; removed when dropped. The folder is made with the first file: most
/// executions come without evidence, and a folder made and removed per request was a tenth
/// of the server's time under load (bench/bench_web.sh, perf).
pub struct StagedFiles {
    dir: Option<tempfile::TempDir>,
    pub paths: Vec<PathBuf>,
}

impl StagedFiles {
    /// No file yet (no folder either).
    pub fn new() -> Result<StagedFiles> {
        Ok(StagedFiles {
            dir: None,
            paths: Vec::new(),
        })
    }

    /// Stages one upload under its base name (a path in the name is dropped; an empty or
    /// hidden name becomes `preuve-N`; two files of one name get their own subfolders).
    pub fn add(&mut self, name: &str, bytes: &[u8]) -> Result<()> {
        let base = name
            .rsplit(['/', '\\'])
            .next()
            .unwrap_or("")
            .chars()
            .filter(|c| !c.is_control())
            .collect::<String>();
        let n = self.paths.len() + 1;
        let base = if base.is_empty() || base.starts_with('.') {
            format!("preuve-{n}")
        } else {
            base
        };
        let root = match &self.dir {
            Some(d) => d.path().to_path_buf(),
            None => {
                let d = tempfile::tempdir().map_err(|e| Error::io(std::env::temp_dir(), e))?;
                let p = d.path().to_path_buf();
                self.dir = Some(d);
                p
            }
        };
        let sub = root.join(n.to_string());
        std::fs::create_dir_all(&sub).map_err(|e| Error::io(&sub, e))?;
        let path = sub.join(base);
        std::fs::write(&path, bytes).map_err(|e| Error::io(&path, e))?;
        self.paths.push(path);
        Ok(())
    }
}

/// Whether the account may see a campaign (vendors: only those on their deliveries). An unseen
/// campaign is answered as unknown, so that its existence does not leak.
pub fn check_campaign_scope(store: &Store, user: &CurrentUser, campaign: &str) -> Result<()> {
    let scope = user.scope();
    if scope == crate::access::Scope::All {
        return Ok(());
    }
    let c = store.campaign(campaign)?;
    let vendor = match &c.delivery {
        Some(d) => store
            .deliveries()?
            .into_iter()
            .find(|x| &x.reference == d)
            .map(|x| x.vendor),
        None => None,
    };
    if scope.sees_campaign(vendor.as_deref()) {
        Ok(())
    } else {
        Err(Error::NotFound {
            kind: "campagne",
            reference: campaign.to_string(),
        })
    }
}

/// Runs [`record`] on the server's store.
pub async fn record_on(
    state: &AppState,
    user: &CurrentUser,
    campaign: String,
    entry: ExecutionEntry,
    files: StagedFiles,
) -> Result<Saved> {
    let u = user.clone();
    state
        .db_as(user.name().to_string(), move |s| {
            check_campaign_scope(s, &u, &campaign)?;
            let out = record(s, &u, &campaign, &entry, files.paths.clone());
            drop(files);
            out
        })
        .await
}
