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
use crate::model::Decision;

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
