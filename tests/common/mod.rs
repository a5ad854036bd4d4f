//! Shared helpers for integration tests: run the binary in a temp folder with a fixed clock,
//! actor and language, so every output is deterministic.
#![allow(dead_code)]

pub mod browser;

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use tempfile::TempDir;

/// A temp project folder with its store path.
pub struct Project {
    pub dir: TempDir,
}

impl Project {
    /// A new empty folder (no store yet).
    pub fn empty() -> Project {
        Project {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    /// A folder with an initialised store.
    pub fn new() -> Project {
        let p = Project::empty();
        p.cmd()
            .args(["init", "--project", "Essai"])
            .assert()
            .success();
        p
    }

    /// The store file.
    pub fn db(&self) -> PathBuf {
        self.dir.path().join("recette.db")
    }

    /// The folder.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// `recette` with the store, a fixed clock and actor, French.
    pub fn cmd(&self) -> Command {
        let mut c = Command::cargo_bin("recette").expect("binary");
        c.current_dir(self.dir.path())
            .env("RECETTE_DB", self.db())
            .env("RECETTE_NOW", "2026-03-15T09:00:00Z")
            .env("RECETTE_USER", "testeur")
            .env_remove("RECETTE_LANG")
            // Outputs are compared as text: never coloured, whatever the CI's environment.
            .env_remove("CLICOLOR_FORCE");
        c
    }

    /// Runs a command that must succeed; returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.cmd().args(args).output().expect("run");
        assert!(
            out.status.success(),
            "recette {args:?} failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Runs a command that must fail with `code`; returns stderr.
    pub fn fails(&self, code: i32, args: &[&str]) -> String {
        let out = self.cmd().args(args).output().expect("run");
        assert_eq!(
            out.status.code(),
            Some(code),
            "recette {args:?}: expected exit {code}, got {:?}: {}{}",
            out.status.code(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stderr).into_owned()
    }

    /// Runs a command with `--json` and parses its output.
    pub fn json(&self, args: &[&str]) -> serde_json::Value {
        let mut a: Vec<&str> = args.to_vec();
        a.push("--json");
        serde_json::from_str(&self.ok(&a)).expect("valid JSON")
    }

    /// A small project: 3 requirements, 3 tests with steps, a delivery, a campaign.
    pub fn small() -> Project {
        let p = Project::new();
        p.ok(&[
            "req",
            "add",
            "EXI-001",
            "--title",
            "Créer un dossier",
            "--criticality",
            "critique",
            "--category",
            "Dossiers",
        ]);
        p.ok(&[
            "req",
            "add",
            "EXI-002",
            "--title",
            "Payer en ligne",
            "--criticality",
            "Majeure",
            "--category",
            "Paiement",
        ]);
        p.ok(&[
            "req",
            "add",
            "EXI-003",
            "--title",
            "Exporter",
            "--criticality",
            "basse",
        ]);
        p.ok(&[
            "test",
            "add",
            "CT-001",
            "--title",
            "Création",
            "--step",
            "Ouvrir => Formulaire affiché",
            "--step",
            "Valider => Dossier créé",
            "--covers",
            "EXI-001",
            "--tag",
            "smoke",
        ]);
        p.ok(&[
            "test",
            "add",
            "CT-002",
            "--title",
            "Paiement",
            "--step",
            "Payer => Reçu émis",
            "--covers",
            "EXI-002",
        ]);
        p.ok(&[
            "test",
            "add",
            "CT-003",
            "--title",
            "Parcours",
            "--step",
            "Tout faire => Tout marche",
            "--covers",
            "EXI-001",
            "--covers",
            "EXI-002",
            "--tag",
            "smoke",
        ]);
        p.ok(&[
            "delivery",
            "add",
            "LIV-1",
            "--version",
            "1.0",
            "--vendor",
            "ACME",
            "--planned",
            "01/03/2026",
            "--delivered",
            "2026-03-02",
        ]);
        p.ok(&[
            "campaign",
            "create",
            "C1",
            "--title",
            "VABF 1",
            "--delivery",
            "LIV-1",
            "--phase",
            "VABF",
        ]);
        p
    }
}

/// sha256 of a file's bytes, hex.
pub fn file_hash(path: &Path) -> String {
    use sha2::{Digest, Sha256};
    let bytes = std::fs::read(path).expect("read");
    recette::store::hex(&Sha256::digest(bytes))
}

/// Absolute path of a file under `fixtures/` (commands run in a temp folder).
pub fn fixture(rel: &str) -> String {
    format!("{}/fixtures/{rel}", env!("CARGO_MANIFEST_DIR"))
}

/// Copies `fixtures/vendor/NAME` into the project folder and returns NAME: relative paths keep
/// messages and snapshots independent of where the repository is.
pub fn vendor_fixture(p: &Project, name: &str) -> String {
    let src = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/vendor")
        .join(name);
    std::fs::copy(&src, p.path().join(name)).expect("copy fixture");
    name.to_string()
}

/// Writes a workbook of text cells: (sheet, rows); empty strings are left blank.
pub fn write_xlsx<S: AsRef<str>>(path: &Path, sheets: &[(&str, Vec<Vec<S>>)]) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    for (name, rows) in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(*name).expect("name");
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                if !v.as_ref().is_empty() {
                    ws.write_string(r as u32, c as u16, v.as_ref())
                        .expect("cell");
                }
            }
        }
    }
    wb.save(path).expect("save");
}
