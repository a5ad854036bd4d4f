//! Backups and integrity checks.

use std::path::Path;
use std::time::Duration;

use rusqlite::backup::{Backup, StepResult};
use rusqlite::Connection;
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::campaigns::evidence_path;
use super::requirements::hex;
use super::Store;
use crate::error::{Error, Result};

/// One problem found by [`Store::check`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CheckProblem {
    /// `integrity`, `foreign_key`, `evidence_missing`, `evidence_altered`, `schema`,
    /// `audit_altered`, `audit_deleted`, `signoff_file_missing`, `signoff_file_altered`.
    pub kind: String,
    pub detail: String,
}

/// What [`Store::backup`] copied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BackupSummary {
    pub pages: i64,
    pub evidence_files: usize,
    /// Sealed report files of the sign-offs copied (`signoffs/<campaign>-<n>/`).
    pub signoff_files: usize,
}

impl Store {
    /// Copies the store to `out` with SQLite's online backup (consistent even while other
    /// processes write), then the evidence files beside it. Refuses to overwrite a file.
    pub fn backup(&self, out: &Path) -> Result<BackupSummary> {
        if out.exists() {
            return Err(Error::input(
                format!(
                    "{} existe déjà : choisissez un autre fichier",
                    out.display()
                ),
                format!("{} already exists: choose another file", out.display()),
            ));
        }
        if let Some(dir) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        }
        let mut dst = Connection::open(out)?;
        let pages = {
            let backup = Backup::new(self.conn(), &mut dst)?;
            let mut busy_rounds = 0u32;
            loop {
                match backup.step(-1)? {
                    StepResult::Done => break,
                    StepResult::More => {}
                    StepResult::Busy | StepResult::Locked => {
                        busy_rounds += 1;
                        if busy_rounds > 600 {
                            return Err(Error::Other(
                                "sauvegarde impossible : base verrouillée trop longtemps".into(),
                            ));
                        }
                        std::thread::sleep(Duration::from_millis(50));
                    }
                    _ => {}
                }
            }
            i64::from(backup.progress().pagecount)
        };
        drop(dst);
        let mut evidence_files = 0;
        let out_root = out.parent().map(Path::to_path_buf).unwrap_or_default();
        for (sha, _) in self.evidence_hashes()? {
            let src = evidence_path(&self.root(), &sha);
            let dest = evidence_path(&out_root, &sha);
            if src.exists() && !dest.exists() {
                if let Some(d) = dest.parent() {
                    std::fs::create_dir_all(d).map_err(|e| Error::io(d, e))?;
                }
                std::fs::copy(&src, &dest).map_err(|e| Error::io(&dest, e))?;
                evidence_files += 1;
            }
        }
        let mut signoff_files = 0;
        for (dir, files) in self.sealed_folders()? {
            for f in files {
                let src = self.root().join(&dir).join(&f.file_name);
                let dest = out_root.join(&dir).join(&f.file_name);
                if src.exists() && !dest.exists() {
                    if let Some(d) = dest.parent() {
                        std::fs::create_dir_all(d).map_err(|e| Error::io(d, e))?;
                    }
                    std::fs::copy(&src, &dest).map_err(|e| Error::io(&dest, e))?;
                    signoff_files += 1;
                }
            }
        }
        Ok(BackupSummary {
            pages,
            evidence_files,
            signoff_files,
        })
    }

    /// Each sign-off's sealed folder (relative to the store's folder) with its recorded files.
    fn sealed_folders(&self) -> Result<Vec<(String, Vec<crate::signoff::SignedFile>)>> {
        Ok(self
            .signoffs(None)?
            .into_iter()
            .map(|s| {
                (
                    crate::signoff::sealed_folder(&s.campaign, s.number),
                    s.files,
                )
            })
            .collect())
    }

    fn evidence_hashes(&self) -> Result<Vec<(String, String)>> {
        let mut stmt = self.conn().prepare(
            "SELECT sha256, MIN(file_name) FROM evidence GROUP BY sha256 ORDER BY sha256",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Checks the store: SQLite integrity, foreign keys, immutability triggers, and every
    /// evidence file present with the hash it was recorded with. Empty when all is well.
    pub fn check(&self) -> Result<Vec<CheckProblem>> {
        let mut problems = Vec::new();
        let mut stmt = self.conn().prepare("PRAGMA integrity_check")?;
        for row in stmt.query_map([], |r| r.get::<_, String>(0))? {
            let row = row?;
            if row != "ok" {
                problems.push(CheckProblem {
                    kind: "integrity".into(),
                    detail: row,
                });
            }
        }
        let mut stmt = self.conn().prepare("PRAGMA foreign_key_check")?;
        let rows = stmt.query_map([], |r| {
            Ok(format!(
                "{} ligne {} -> {}",
                r.get::<_, String>(0)?,
                r.get::<_, Option<i64>>(1)?.unwrap_or(0),
                r.get::<_, String>(2)?
            ))
        })?;
        for row in rows {
            problems.push(CheckProblem {
                kind: "foreign_key".into(),
                detail: row?,
            });
        }
        for trigger in [
            "signoff_immutable",
            "signoff_no_delete",
            "audit_immutable",
            "audit_no_delete",
        ] {
            let present: bool = self.conn().query_row(
                "SELECT EXISTS(SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = ?1)",
                [trigger],
                |r| r.get(0),
            )?;
            if !present {
                problems.push(CheckProblem {
                    kind: "schema".into(),
                    detail: format!("déclencheur {trigger} absent"),
                });
            }
        }
        for (sha, name) in self.evidence_hashes()? {
            let path = evidence_path(&self.root(), &sha);
            match std::fs::read(&path) {
                Err(_) => problems.push(CheckProblem {
                    kind: "evidence_missing".into(),
                    detail: format!("{name} ({})", path.display()),
                }),
                Ok(bytes) => {
                    if hex(&Sha256::digest(&bytes)) != sha {
                        problems.push(CheckProblem {
                            kind: "evidence_altered".into(),
                            detail: format!("{name} ({})", path.display()),
                        });
                    }
                }
            }
        }
        for b in super::audit::verify_chain(self.conn())? {
            problems.push(CheckProblem {
                kind: b.kind.into(),
                detail: b.detail,
            });
        }
        for s in self.signoffs(None)? {
            let dir = crate::signoff::sealed_folder(&s.campaign, s.number);
            for f in &s.files {
                let path = self.root().join(&dir).join(&f.file_name);
                let which = format!(
                    "signature {} (campagne {}, PV n° {}) : {dir}/{}",
                    s.id, s.campaign, s.number, f.file_name
                );
                match std::fs::read(&path) {
                    Err(_) => problems.push(CheckProblem {
                        kind: "signoff_file_missing".into(),
                        detail: which,
                    }),
                    Ok(bytes) => {
                        if hex(&Sha256::digest(&bytes)) != f.sha256 {
                            problems.push(CheckProblem {
                                kind: "signoff_file_altered".into(),
                                detail: which,
                            });
                        }
                    }
                }
            }
        }
        Ok(problems)
    }
}
