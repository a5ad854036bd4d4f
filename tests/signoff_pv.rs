//! The PV and its sign-off rules, project settings, and the integrity of what was signed:
//! sealed files, the audit chain, backup and restore (driving the binary).

mod common;

use common::{file_hash, Project};

/// The small project with results: CT-001 passed, CT-002 failed with an open anomaly, CT-003
/// passed; the PV settings filled in.
fn project() -> Project {
    let p = Project::small();
    p.ok(&[
        "campaign", "add", "C1", "--test", "CT-001", "--test", "CT-002", "--test", "CT-003",
    ]);
    p.ok(&["run", "C1", "CT-001", "--status", "OK"]);
    p.ok(&["run", "C1", "CT-002", "--status", "KO"]);
    p.ok(&["run", "C1", "CT-003", "--status", "OK"]);
    for (k, v) in [
        ("buyer", "Ville de Lyon"),
        ("buyer_service", "Direction du numérique"),
        ("contract", "2026-042"),
        ("contract_title", "Portail des démarches"),
        ("vendor", "ACME SAS"),
        ("signature_place", "Lyon"),
    ] {
        p.ok(&["config", k, v]);
    }
    p
}

fn sign(p: &Project, extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "signoff",
        "C1",
        "--decision",
        "ajournement",
        "--signatory",
        "Alice Martin, cheffe de projet",
    ];
    args.extend_from_slice(extra);
    p.cmd().args(&args).output().expect("run")
}

/// `recette check` that must find problems: its report (stdout).
fn check_fails(p: &Project) -> String {
    let out = p.cmd().arg("check").output().expect("run");
    assert_eq!(out.status.code(), Some(1), "check should fail");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn text(p: &Project, rel: &str) -> String {
    std::fs::read_to_string(p.path().join(rel)).expect(rel)
}

#[test]
fn config_sets_every_field_the_pv_shows() {
    let p = project();
    assert_eq!(
        p.ok(&["config", "buyer_service"]).trim(),
        "Direction du numérique"
    );
    let all = p.ok(&["config"]);
    for k in [
        "buyer",
        "buyer_service",
        "contract",
        "contract_title",
        "vendor",
        "signature_place",
        "decision_days",
    ] {
        assert!(all.contains(k), "{k} missing from:\n{all}");
    }
    let err = p.fails(1, &["config", "acheteur", "x"]);
    assert!(
        err.contains("réglage inconnu") && err.contains("signature_place"),
        "{err}"
    );
}

#[test]
fn pv_names_parties_place_article_and_the_reports_it_rests_on() {
    let p = project();
    let out = sign(
        &p,
        &["--vendor-signatory", "Bob Durand, directeur de projet"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stderr.is_empty(), "no warning with a vendor signatory");
    let pv = text(&p, "signoffs/C1-1/pv-C1.html");
    for want in [
        "Ville de Lyon — Direction du numérique",
        "2026-042",
        "Portail des démarches",
        "Pour l&#x27;acheteur",
        "Pour le titulaire",
        "Alice Martin",
        "cheffe de projet",
        "Bob Durand",
        "ACME SAS",
        "Fait à Lyon, le 15&#x2f;03&#x2f;2026",
        "Signature et cachet",
        "CCAG-TIC 2021, article 34 — ajournement",
    ] {
        assert!(pv.contains(want), "PV lacks {want}");
    }
    // The reports it rests on, by their actual digest.
    for f in [
        "bilan-C1.html",
        "bilan-C1.md",
        "matrice-C1.xlsx",
        "bilan-C1.pdf",
    ] {
        let h = file_hash(&p.path().join("signoffs/C1-1").join(f));
        assert!(pv.contains(&h), "PV lacks the sha256 of {f}");
    }
    assert!(p.path().join("signoffs/C1-1/pv-C1.pdf").exists());
}

#[test]
fn signatory_rules() {
    let p = project();
    // No buyer signatory: clap requires --signatory; a blank one is refused by the library.
    let out = p
        .cmd()
        .args([
            "signoff",
            "C1",
            "--decision",
            "ajournement",
            "--signatory",
            " ",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("signataire de l'acheteur"));
    // Name without function.
    let out = p
        .cmd()
        .args([
            "signoff",
            "C1",
            "--decision",
            "ajournement",
            "--signatory",
            "Alice",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("Nom, fonction"));
    assert!(!p.path().join("signoffs/C1-1").exists(), "nothing sealed");
    // No vendor signatory: signed, with a warning, and an empty vendor block in the PV.
    let out = sign(&p, &[]);
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("Attention") && err.contains("titulaire"),
        "{err}"
    );
    let pv = text(&p, "signoffs/C1-1/pv-C1.html");
    assert!(pv.contains("Le titulaire n&#x27;a pas désigné de signataire."));
}

#[test]
fn dry_run_shows_exactly_what_is_then_sealed() {
    let p = project();
    let dry = sign(&p, &["--dry-run", "--json"]);
    assert!(dry.status.success());
    let dry: serde_json::Value = serde_json::from_slice(&dry.stdout).unwrap();
    assert_eq!(dry["dry_run"], true);
    assert_eq!(dry["id"], serde_json::Value::Null);
    assert!(
        !p.path().join("signoffs").exists(),
        "a dry run writes nothing in the store folder"
    );
    // Nothing recorded: signing now needs no --supersede, and freezes the same files.
    let real = sign(&p, &["--json"]);
    assert!(
        real.status.success(),
        "{}",
        String::from_utf8_lossy(&real.stderr)
    );
    let real: serde_json::Value = serde_json::from_slice(&real.stdout).unwrap();
    assert_eq!(dry["record"]["files"], real["record"]["files"]);
    assert_eq!(dry["record"]["signatories"], real["record"]["signatories"]);
    assert_eq!(real["number"], 1);
    let files = real["record"]["files"].as_array().unwrap();
    assert_eq!(files.len(), 6);
    for f in files {
        let name = f["file_name"].as_str().unwrap();
        assert_eq!(
            f["sha256"].as_str().unwrap(),
            file_hash(&p.path().join("signoffs/C1-1").join(name))
        );
    }
}

#[test]
fn resigning_needs_a_reason_and_keeps_the_old_pv() {
    let p = project();
    assert!(sign(&p, &[]).status.success());
    let out = sign(&p, &[]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("déjà signée") && err.contains("--supersede"),
        "{err}"
    );
    assert!(!p.path().join("signoffs/C1-2").exists());
    let out = sign(
        &p,
        &[
            "--supersede",
            "Signataire du titulaire ajouté",
            "--vendor-signatory",
            "Bob, chef de projet",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let pv2 = text(&p, "signoffs/C1-2/pv-C1.html");
    assert!(pv2.contains("Ce procès-verbal remplace le PV n° 1 du 15&#x2f;03&#x2f;2026"));
    assert!(pv2.contains("Signataire du titulaire ajouté"));
    // The old PV stays, sealed and verifiable.
    let pv1 = p.path().join("signoffs/C1-1/pv-C1.html");
    assert!(p
        .ok(&["verify", pv1.to_str().unwrap()])
        .contains("CONFORME"));
    p.ok(&["check"]);
    // --supersede on a campaign never signed is refused.
    p.ok(&[
        "campaign",
        "create",
        "C2",
        "--title",
        "VSR",
        "--delivery",
        "LIV-1",
    ]);
    let err = p.fails(
        1,
        &[
            "signoff",
            "C2",
            "--decision",
            "admission",
            "--signatory",
            "A, B",
            "--supersede",
            "x",
        ],
    );
    assert!(err.contains("pas encore de PV"), "{err}");
}

#[test]
fn reservations_are_due_after_the_signing_date() {
    let p = project();
    let out = p
        .cmd()
        .env("RECETTE_NOW", "2026-04-20T10:00:00Z")
        .args([
            "signoff",
            "C1",
            "--decision",
            "reserves",
            "--reserve",
            "Documentation",
            "--signatory",
            "Alice, MOA",
            "--json",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // Default strategy: 30 days after 2026-04-20, whatever the campaign's dates.
    for r in v["record"]["reservations"].as_array().unwrap() {
        assert_eq!(r["deadline"], "2026-05-20", "{r}");
    }
}

#[test]
fn check_finds_a_changed_byte_in_a_sealed_file_and_an_altered_or_deleted_audit_row() {
    let p = project();
    assert!(sign(&p, &[]).status.success());
    assert!(p.ok(&["check"]).contains("Base saine"));
    // One byte of the sealed bilan.
    let f = p.path().join("signoffs/C1-1/bilan-C1.md");
    let mut bytes = std::fs::read(&f).unwrap();
    bytes[10] ^= 0x20;
    std::fs::write(&f, bytes).unwrap();
    let out = check_fails(&p);
    assert!(
        out.contains("signoff_file_altered")
            && out.contains("bilan-C1.md")
            && out.contains("signature 1 (campagne C1, PV n° 1)"),
        "{out}"
    );
    // An audit row changed and another deleted behind the triggers' back.
    let conn = rusqlite::Connection::open(p.db()).unwrap();
    conn.execute_batch(
        "DROP TRIGGER audit_immutable; DROP TRIGGER audit_no_delete;
         UPDATE audit SET actor = 'quelqu''un' WHERE id = 3;
         DELETE FROM audit WHERE id = 5;
         CREATE TRIGGER audit_immutable BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'x'); END;
         CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'x'); END;",
    )
    .unwrap();
    drop(conn);
    let v = p.cmd().args(["check", "--json"]).output().unwrap();
    assert_eq!(v.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&v.stdout).unwrap();
    let kinds: Vec<&str> = v["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["kind"].as_str().unwrap())
        .collect();
    assert!(kinds.contains(&"audit_altered"), "{kinds:?}");
    assert!(kinds.contains(&"audit_deleted"), "{kinds:?}");
    let details = v["problems"].to_string();
    assert!(
        details.contains("ligne 3") && details.contains("5 à 5"),
        "{details}"
    );
}

#[test]
fn cutting_the_end_of_the_audit_log_is_found_by_the_signoff() {
    let p = project();
    assert!(sign(&p, &[]).status.success());
    let conn = rusqlite::Connection::open(p.db()).unwrap();
    let max: i64 = conn
        .query_row("SELECT MAX(id) FROM audit", [], |r| r.get(0))
        .unwrap();
    // The sign-off's own audit row and the one before it.
    conn.execute_batch(&format!(
        "DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE id >= {};
         CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'x'); END;",
        max - 1
    ))
    .unwrap();
    drop(conn);
    let out = check_fails(&p);
    assert!(
        out.contains("audit_deleted") && out.contains("enregistrée par la signature 1"),
        "{out}"
    );
}

#[test]
fn backup_copies_store_signoffs_and_evidence_and_restores() {
    let p = project();
    let ev = p.path().join("capture.png");
    std::fs::write(&ev, b"\x89PNG fake evidence").unwrap();
    p.ok(&[
        "run",
        "C1",
        "CT-002",
        "--status",
        "OK",
        "--evidence",
        ev.to_str().unwrap(),
    ]);
    assert!(sign(&p, &[]).status.success());
    let dest = tempfile::tempdir().unwrap();
    let bk = dest.path().join("sauvegarde/recette.db");
    let out = p.ok(&["backup", bk.to_str().unwrap()]);
    assert!(
        out.contains("1 fichier(s) de preuve") && out.contains("6 fichier(s) de PV signés"),
        "{out}"
    );
    // Restore: the backup folder put where a store lives, used as the store.
    let restored = Project::empty();
    copy_dir(&dest.path().join("sauvegarde"), restored.path());
    assert!(restored.ok(&["check"]).contains("Base saine"));
    let pv = restored.path().join("signoffs/C1-1/pv-C1.html");
    assert!(restored
        .ok(&["verify", pv.to_str().unwrap()])
        .contains("CONFORME"));
    // The restored store takes new work and its log stays chained.
    restored.ok(&["run", "C1", "CT-001", "--status", "KO"]);
    restored.ok(&["check"]);
    // A backup never overwrites.
    p.fails(1, &["backup", bk.to_str().unwrap()]);
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dest = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &dest);
        } else {
            std::fs::copy(e.path(), dest).unwrap();
        }
    }
}

/// A PV written again after its sign-off says it is an unsealed copy and where the signed one
/// is; the sealed PV does not.
#[test]
fn a_pv_written_after_the_signoff_says_it_is_an_unsealed_copy() {
    let p = project();
    assert!(sign(&p, &[]).status.success());
    p.ok(&["report", "C1", "--out", "copie", "--format", "pv,pdf"]);
    let copy = text(&p, "copie/pv-C1.html");
    assert!(
        copy.contains("Copie éditée après la signature, non scellée")
            && copy.contains("signoffs&#x2f;C1-1"),
        "{copy}"
    );
    let sealed = text(&p, "signoffs/C1-1/pv-C1.html");
    assert!(!sealed.contains("Copie éditée"), "the sealed PV is no copy");
    if let Ok(o) = std::process::Command::new("pdftotext")
        .arg(p.path().join("copie/pv-C1.pdf"))
        .arg("-")
        .output()
    {
        let pdf = String::from_utf8_lossy(&o.stdout);
        assert!(pdf.contains("non scellée"), "{pdf}");
    }
}
