//! Sign-offs (PV de recette signé) and reservations: domain types and file hashing.
//!
//! A sign-off freezes a decision, its reservations, its signatories, its date, a JSON snapshot
//! of the indicators and verdict, and the sha256 of every report file. The store forbids any
//! change to a sign-off (SQLite triggers); lifting a reservation fills the reservation's own
//! lifting columns, never the sign-off.

use std::path::{Path, PathBuf};

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::i18n::Lang;
use crate::model::Decision;
use crate::report::view::PvReservation;
use crate::report::{self, Format, Options, PvSignOff};
use crate::store::Store;
use crate::verdict::{add_days, Evaluation};

/// A report file recorded in a sign-off.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SignedFile {
    /// Path relative to the signed folder, `/`-separated.
    pub file_name: String,
    pub sha256: String,
    pub size: i64,
}

/// A reservation (réserve) of a sign-off.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reservation {
    /// `RES-<n>`.
    #[serde(rename = "ref")]
    pub reference: String,
    /// Sign-off id.
    pub signoff: i64,
    pub campaign: String,
    pub description: String,
    /// Severity code of the anomaly, empty when none.
    pub severity: String,
    pub anomaly: Option<String>,
    /// Deadline for lifting, `YYYY-MM-DD`.
    pub deadline: Option<String>,
    pub lifted_at: Option<String>,
    pub lifted_by: Option<String>,
    pub lift_comment: String,
}

impl Reservation {
    /// Whether the reservation is still to be lifted.
    pub fn is_open(&self) -> bool {
        self.lifted_at.is_none()
    }
}

/// A recorded sign-off.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SignOff {
    pub id: i64,
    /// Rank of the sign-off among those of its campaign (1, 2...).
    pub number: i64,
    pub campaign: String,
    pub decision: Decision,
    pub signed_at: String,
    pub actor: String,
    /// "Name, role" of each signatory.
    pub signatories: Vec<String>,
    /// Indicators and verdict when signed.
    pub snapshot: serde_json::Value,
    pub comment: String,
    pub files: Vec<SignedFile>,
    pub reservations: Vec<Reservation>,
}

/// A reservation to record with a new sign-off.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewReservation {
    #[serde(rename = "ref")]
    pub reference: String,
    pub description: String,
    pub severity: String,
    pub anomaly: Option<String>,
    pub deadline: Option<String>,
}

/// A sign-off to record.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NewSignOff {
    pub campaign: String,
    pub decision: Decision,
    pub signatories: Vec<String>,
    pub snapshot: serde_json::Value,
    pub comment: String,
    pub files: Vec<SignedFile>,
    pub reservations: Vec<NewReservation>,
}

/// sha256 (lower-case hex) and size of a file.
pub fn sha256_file(path: &Path) -> Result<(String, i64)> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    Ok((
        crate::store::hex(&Sha256::digest(&bytes)),
        bytes.len() as i64,
    ))
}

/// Hashes every file under `dir` (recursively), ordered by relative path.
pub fn hash_dir(dir: &Path) -> Result<Vec<SignedFile>> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
        let entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
        for e in entries {
            let e = e.map_err(|e| Error::io(dir, e))?;
            let p = e.path();
            let ft = e.file_type().map_err(|err| Error::io(&p, err))?;
            if ft.is_dir() {
                walk(&p, out)?;
            } else if ft.is_file() {
                out.push(p);
            }
        }
        Ok(())
    }
    let mut paths = Vec::new();
    walk(dir, &mut paths)?;
    let mut files = Vec::new();
    for p in paths {
        let (sha256, size) = sha256_file(&p)?;
        let rel = p.strip_prefix(dir).unwrap_or(&p);
        let file_name = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/");
        files.push(SignedFile {
            file_name,
            sha256,
            size,
        });
    }
    files.sort_by(|a, b| a.file_name.cmp(&b.file_name));
    if files.is_empty() {
        return Err(Error::input(
            format!("{} ne contient aucun fichier à signer", dir.display()),
            format!("{} holds no file to sign", dir.display()),
        ));
    }
    Ok(files)
}

/// What to sign.
#[derive(Debug, Clone)]
pub struct SignRequest {
    pub campaign: String,
    pub decision: Decision,
    /// Explicit reservation texts (added to the proposed ones when the decision is `reserves`).
    pub reserves: Vec<String>,
    /// "Name, role" of each signatory (at least one).
    pub signatories: Vec<String>,
    /// Already produced reports to seal; `None` produces the full set into
    /// `<store folder>/signoffs/<campaign>-<n>/` first.
    pub reports: Option<PathBuf>,
    pub comment: String,
    /// Language of the generated reports and of the proposed reservation texts.
    pub lang: Lang,
}

/// What a signature recorded.
#[derive(Debug, Clone, Serialize)]
pub struct Signed {
    pub id: i64,
    pub number: i64,
    /// The folder whose files were sealed.
    pub dir: PathBuf,
    pub record: NewSignOff,
    /// The decision the tool proposed.
    pub proposed: Decision,
}

/// Signs a campaign: builds the reservations (`RES-<n>`, due `reserve_days` after the campaign
/// end date or today), produces the report set (unless `reports` is given), hashes every file
/// and records the sign-off in one transaction.
pub fn sign(store: &mut Store, req: &SignRequest) -> Result<Signed> {
    let signatories: Vec<String> = req
        .signatories
        .iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    if signatories.is_empty() {
        return Err(Error::input(
            "au moins un signataire est requis (--signatory \"Nom, fonction\")",
            "at least one signatory is required (--signatory \"Name, role\")",
        ));
    }
    let eval = Evaluation::load(store, &req.campaign)?;
    let number = store.next_signoff_number(&req.campaign)?;
    let mut next = store.next_reservation_number()?;
    let now = store.context().now();
    let reference_date = eval
        .campaign
        .end_date
        .clone()
        .unwrap_or_else(|| now.get(..10).unwrap_or(&now).to_string());
    let deadline = add_days(&reference_date, eval.strategy.reserve_days);
    let mut reservations = Vec::new();
    if req.decision == Decision::Reserves {
        for r in &eval.verdict.reservations {
            reservations.push(NewReservation {
                reference: format!("RES-{next}"),
                description: r.description.get(req.lang).to_string(),
                severity: r.severity.clone(),
                anomaly: r.anomaly.clone(),
                deadline: Some(r.deadline.clone()),
            });
            next += 1;
        }
    }
    for text in req
        .reserves
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
    {
        reservations.push(NewReservation {
            reference: format!("RES-{next}"),
            description: text.to_string(),
            severity: String::new(),
            anomaly: None,
            deadline: Some(deadline.clone()),
        });
        next += 1;
    }
    if req.decision == Decision::Reserves && reservations.is_empty() {
        return Err(Error::input(
            "une admission avec réserves demande au moins une réserve : aucune n'est proposée, donnez-les avec --reserve",
            "acceptance with reservations needs at least one reservation: none is proposed, give them with --reserve",
        ));
    }
    let dir = match &req.reports {
        Some(d) => d.clone(),
        None => {
            let d = store.root().join("signoffs").join(format!(
                "{}-{number}",
                report::safe_file_part(&req.campaign)
            ));
            let occupied = std::fs::read_dir(&d)
                .map(|mut it| it.next().is_some())
                .unwrap_or(false);
            if occupied {
                return Err(Error::input(
                    format!(
                        "{} existe déjà et n'est pas vide : rien n'a été signé",
                        d.display()
                    ),
                    format!(
                        "{} already exists and is not empty: nothing was signed",
                        d.display()
                    ),
                ));
            }
            let draft = PvSignOff {
                number,
                decision: req.decision,
                signed_at: now.clone(),
                signatories: signatories.clone(),
                reservations: reservations
                    .iter()
                    .map(|r| PvReservation {
                        reference: r.reference.clone(),
                        description: r.description.clone(),
                        severity: r.severity.clone(),
                        deadline: r.deadline.clone().unwrap_or_default(),
                        lifted_at: None,
                    })
                    .collect(),
            };
            let opts = Options {
                lang: req.lang,
                formats: Format::ALL.to_vec(),
                templates: None,
                issued_on: Some(now.clone()),
            };
            report::write_reports(&eval, &opts, &d, Some(&draft))?;
            d
        }
    };
    let files = hash_dir(&dir)?;
    let record = NewSignOff {
        campaign: req.campaign.clone(),
        decision: req.decision,
        signatories,
        snapshot: eval.snapshot(),
        comment: req.comment.clone(),
        files,
        reservations,
    };
    let id = store.write("signoff", |tx| tx.record_signoff(&record))?;
    Ok(Signed {
        id,
        number,
        dir,
        record,
        proposed: eval.verdict.decision,
    })
}
