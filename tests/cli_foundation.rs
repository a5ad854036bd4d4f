//! End-to-end tests of the foundation commands: init, req, test, link, delivery, campaign, run,
//! anomaly, status, log, and the refusal of bad input that leaves the store unchanged.

mod common;

use common::{file_hash, Project};
use serde_json::json;

#[test]
fn init_creates_a_store_and_refuses_to_overwrite() {
    let p = Project::empty();
    let out = p.ok(&["init", "--project", "Essai"]);
    assert!(out.contains("Base recette créée"), "{out}");
    assert!(p.db().exists());
    let before = file_hash(&p.db());
    let err = p.fails(1, &["init"]);
    assert!(err.contains("existe déjà"), "{err}");
    assert_eq!(file_hash(&p.db()), before);
}

#[test]
fn commands_without_store_say_how_to_start() {
    let p = Project::empty();
    let err = p.fails(1, &["req", "list"]);
    assert!(err.contains("recette init"), "{err}");
    let err = p
        .cmd()
        .args(["--lang", "en", "req", "list"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&err.stderr).contains("no recette store"));
}

#[test]
fn requirement_json_has_stable_fields() {
    let p = Project::small();
    let list = p.json(&["req", "list"]);
    insta::assert_json_snapshot!("req_list", list);
    let show = p.json(&["req", "show", "EXI-001"]);
    assert_eq!(show["ref"], "EXI-001");
    assert_eq!(show["criticality"], "critique");
    assert_eq!(show["tests"].as_array().map(Vec::len), Some(2));
    // Criticality accepted in French synonyms: "basse" -> mineure.
    assert_eq!(list[2]["criticality"], "mineure");
}

#[test]
fn test_case_json_has_steps_tags_and_requirements() {
    let p = Project::small();
    let tests = p.json(&["test", "list"]);
    insta::assert_json_snapshot!("test_list", tests);
    let smoke = p.json(&["test", "list", "--tag", "smoke"]);
    assert_eq!(smoke.as_array().map(Vec::len), Some(2));
    let t = p.json(&["test", "show", "CT-001"]);
    assert_eq!(
        t["steps"][1],
        json!({"action": "Valider", "expected": "Dossier créé"})
    );
}

#[test]
fn duplicate_reference_is_refused_and_store_unchanged() {
    let p = Project::small();
    let before = p.json(&["req", "list"]);
    let log_before = p.json(&["log"]);
    let err = p.fails(1, &["req", "add", "EXI-001", "--title", "Autre"]);
    assert!(
        err.contains("déjà existant") && err.contains("EXI-001"),
        "{err}"
    );
    assert_eq!(p.json(&["req", "list"]), before);
    assert_eq!(p.json(&["log"]), log_before);
}

#[test]
fn unknown_reference_is_refused() {
    let p = Project::small();
    let err = p.fails(1, &["link", "add", "EXI-999", "CT-001"]);
    assert!(
        err.contains("exigence inconnu") && err.contains("EXI-999"),
        "{err}"
    );
    let err = p.fails(1, &["run", "C1", "CT-404", "--status", "OK"]);
    assert!(err.contains("CT-404"), "{err}");
    // A failing `test add --covers` writes nothing: the test case is not created either.
    let err = p.fails(
        1,
        &[
            "test", "add", "CT-009", "--title", "x", "--covers", "EXI-404",
        ],
    );
    assert!(err.contains("EXI-404"), "{err}");
    assert!(p
        .json(&["test", "list"])
        .as_array()
        .unwrap()
        .iter()
        .all(|t| t["ref"] != "CT-009"));
}

#[test]
fn bad_status_word_lists_accepted_words() {
    let p = Project::small();
    p.ok(&["campaign", "add", "C1", "--all"]);
    let err = p.fails(1, &["run", "C1", "CT-001", "--status", "peut-être"]);
    assert!(err.contains("statut inconnu « peut-être »"), "{err}");
    assert!(
        err.contains("Conforme") && err.contains("passed") && err.contains("Bloqué"),
        "{err}"
    );
    let out = p
        .cmd()
        .args(["--lang", "en", "run", "C1", "CT-001", "--status", "maybe"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("unknown status \"maybe\"; accepted values")
    );
    assert_eq!(
        p.json(&["campaign", "show", "C1"])["indicators"]["executed"],
        0
    );
}

#[test]
fn statuses_accepted_in_french_and_english_words() {
    let p = Project::small();
    p.ok(&["campaign", "add", "C1", "--all"]);
    for (test, word) in [
        ("CT-001", "Non-Conforme"),
        ("CT-002", "BLOQUÉ"),
        ("CT-003", "passed"),
    ] {
        p.ok(&["run", "C1", test, "--status", word]);
    }
    let show = p.json(&["campaign", "show", "C1"]);
    let statuses: Vec<&str> = show["tests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["failed", "blocked", "passed"]);
}

#[test]
fn usage_errors_exit_with_2() {
    let p = Project::new();
    p.fails(2, &["req", "add"]);
    p.fails(2, &["no-such-command"]);
}

#[test]
fn foreign_sqlite_file_is_refused_untouched() {
    let p = Project::empty();
    let conn = rusqlite::Connection::open(p.db()).unwrap();
    conn.execute_batch("CREATE TABLE t(x); INSERT INTO t VALUES (1);")
        .unwrap();
    drop(conn);
    let before = file_hash(&p.db());
    let err = p.fails(1, &["req", "list"]);
    assert!(err.contains("n'est pas une base recette"), "{err}");
    assert_eq!(file_hash(&p.db()), before);
    assert!(!p.path().join("recette.db-wal").exists());
}

#[test]
fn text_file_is_refused_untouched() {
    let p = Project::empty();
    std::fs::write(p.db(), "ceci n'est pas une base\n").unwrap();
    let err = p.fails(1, &["status"]);
    assert!(err.contains("n'est pas une base recette"), "{err}");
    assert_eq!(
        std::fs::read_to_string(p.db()).unwrap(),
        "ceci n'est pas une base\n"
    );
}

#[test]
fn newer_schema_is_refused_untouched() {
    let p = Project::new();
    let conn = rusqlite::Connection::open(p.db()).unwrap();
    conn.pragma_update(None, "user_version", 999).unwrap();
    conn.pragma_update(None, "journal_mode", "DELETE").unwrap();
    drop(conn);
    let before = file_hash(&p.db());
    let err = p.fails(1, &["req", "list"]);
    assert!(
        err.contains("version 999") && err.contains("mettez recette à jour"),
        "{err}"
    );
    assert_eq!(file_hash(&p.db()), before);
}

#[test]
fn store_made_by_first_schema_version_opens_and_keeps_data() {
    // fixtures/stores/v1.db was written by schema version 1 (see fixtures/stores/README.md).
    let p = Project::empty();
    std::fs::copy("fixtures/stores/v1.db", p.db()).unwrap();
    let reqs = p.json(&["req", "list"]);
    assert_eq!(reqs[0]["ref"], "EXI-001");
    let conn = rusqlite::Connection::open(p.db()).unwrap();
    let v: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(v, recette::store::SCHEMA_VERSION);
}

#[test]
fn editing_a_requirement_makes_links_suspect_until_reviewed() {
    let p = Project::small();
    let out = p.ok(&["req", "edit", "EXI-001", "--description", "Nouveau texte"]);
    assert!(
        out.contains("révision 2") && out.contains("2 lien(s) suspect(s)"),
        "{out}"
    );
    let links = p.json(&["link", "list", "--suspect"]);
    assert_eq!(
        links,
        json!([
            {"requirement": "EXI-001", "test": "CT-001", "suspect": true},
            {"requirement": "EXI-001", "test": "CT-003", "suspect": true},
        ])
    );
    p.ok(&["link", "review", "EXI-001", "--test", "CT-001"]);
    assert_eq!(
        p.json(&["link", "list", "--suspect"])
            .as_array()
            .map(Vec::len),
        Some(1)
    );
    p.ok(&["link", "review", "EXI-001"]);
    assert_eq!(p.json(&["link", "list", "--suspect"]), json!([]));
    // Changing only the category makes no revision.
    p.ok(&["req", "edit", "EXI-002", "--category", "Régie"]);
    assert_eq!(p.json(&["req", "show", "EXI-002"])["revision"], 1);
    let out = p.ok(&["req", "edit", "EXI-002", "--category", "Régie"]);
    assert!(out.contains("Aucun changement"), "{out}");
}

#[test]
fn run_records_steps_evidence_and_anomalies() {
    let p = Project::small();
    p.ok(&["campaign", "add", "C1", "--criticality", "critique"]);
    assert_eq!(
        p.json(&["campaign", "show", "C1"])["tests"]
            .as_array()
            .map(Vec::len),
        Some(2)
    );
    p.ok(&[
        "anomaly",
        "add",
        "FA-1",
        "--title",
        "Le dossier n'est pas créé",
        "--severity",
        "bloquante",
        "--found-in",
        "LIV-1",
    ]);
    let shot = p.path().join("capture.png");
    std::fs::write(&shot, b"\x89PNG fake image").unwrap();
    p.ok(&[
        "run",
        "C1",
        "CT-001",
        "--status",
        "KO",
        "--step",
        "1=OK",
        "--step",
        "2=KO",
        "--comment",
        "Erreur 500",
        "--evidence",
        shot.to_str().unwrap(),
        "--anomaly",
        "FA-1",
        "--tester",
        "Marie",
        "--at",
        "14/03/2026",
    ]);
    p.ok(&["run", "C1", "CT-001", "--status", "OK"]);
    let show = p.json(&["campaign", "show", "C1"]);
    insta::assert_json_snapshot!("campaign_show", show);
    // Evidence is stored by content hash beside the store.
    let hash = file_hash(&shot);
    assert!(p
        .path()
        .join("evidence")
        .join(&hash[..2])
        .join(&hash)
        .exists());
    // A step that does not exist is refused.
    let err = p.fails(
        1,
        &["run", "C1", "CT-001", "--status", "KO", "--step", "3=KO"],
    );
    assert!(err.contains("étape 3"), "{err}");
    // A test not in the campaign is refused with the command to add it.
    let err = p.fails(1, &["run", "C1", "CT-002", "--status", "OK"]);
    assert!(
        err.contains("recette campaign add C1 --test CT-002"),
        "{err}"
    );
    let anomalies = p.json(&["anomaly", "list"]);
    assert_eq!(anomalies[0]["tests"], json!(["CT-001"]));
}

#[test]
fn anomaly_lifecycle_counts_reopenings() {
    let p = Project::small();
    p.ok(&[
        "anomaly",
        "add",
        "FA-1",
        "--title",
        "Bug",
        "--severity",
        "Majeure",
    ]);
    p.ok(&[
        "anomaly",
        "set",
        "FA-1",
        "--status",
        "corrigée",
        "--fixed-in",
        "LIV-1",
    ]);
    p.ok(&[
        "anomaly",
        "set",
        "FA-1",
        "--status",
        "rouverte",
        "--comment",
        "Toujours présent",
    ]);
    let a = &p.json(&["anomaly", "list"])[0];
    assert_eq!(a["status"], "rouverte");
    assert_eq!(a["reopen_count"], 1);
    assert_eq!(a["fixed_in"], "LIV-1");
    // A reopened anomaly goes through the fix and its retest again before it closes.
    p.ok(&["anomaly", "set", "FA-1", "--status", "à retester"]);
    p.ok(&["anomaly", "set", "FA-1", "--status", "close"]);
    assert_eq!(p.json(&["anomaly", "list", "--open"]), json!([]));
    let err = p.fails(1, &["anomaly", "set", "FA-1", "--status", "perdue"]);
    assert!(err.contains("statut d'anomalie inconnu"), "{err}");
}

#[test]
fn dashboard_counts_statuses_and_rates() {
    let p = Project::small();
    p.ok(&["campaign", "add", "C1", "--all"]);
    p.ok(&["run", "C1", "CT-001", "--status", "OK"]);
    p.ok(&["run", "C1", "CT-002", "--status", "KO"]);
    let d = p.json(&["status"]);
    let ind = &d["campaigns"][0]["indicators"];
    assert_eq!(ind["planned"], 3);
    assert_eq!(ind["executed"], 2);
    assert_eq!(ind["pass_rate"], 50.0);
    let text = p.ok(&["status"]);
    assert!(text.contains("66,7 %") && text.contains("50,0 %"), "{text}");
    let en = p.ok(&["--lang", "en", "status"]);
    assert!(en.contains("66.7%") && en.contains("Campaign"), "{en}");
}

#[test]
fn audit_log_records_who_and_what() {
    let p = Project::small();
    p.cmd()
        .args([
            "--as",
            "Chef de projet",
            "req",
            "edit",
            "EXI-003",
            "--title",
            "Exporter en CSV",
        ])
        .assert()
        .success();
    let log = p.json(&["log", "--ref", "EXI-003"]);
    let last = &log[log.as_array().unwrap().len() - 1];
    assert_eq!(last["actor"], "Chef de projet");
    assert_eq!(last["action"], "update");
    assert_eq!(last["before"]["title"], "Exporter");
    assert_eq!(last["after"]["title"], "Exporter en CSV");
    assert_eq!(last["at"], "2026-03-15T09:00:00Z");
}

#[test]
fn demo_builds_a_project_with_real_figures() {
    let p = Project::empty();
    let out = p.dir.path().join("demo");
    let mut c = p.cmd();
    c.args(["demo", "--json", "--out", out.to_str().unwrap()])
        .env_remove("RECETTE_NOW");
    let o = c.output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let d: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(d["requirements"], 30);
    // 40 written test cases + 7 automated ones created by the CI results import (from the
    // `requirement` properties of the demo's JUnit file, fixtures/demo/).
    assert_eq!(d["test_cases"], 47);
    insta::assert_json_snapshot!("demo_dashboard", d);
}

/// `recette ... --json | head` ends quietly: no panic, no backtrace, when the reader goes away.
#[test]
fn output_into_a_closed_pipe_ends_quietly() {
    use std::io::Read;
    use std::process::Stdio;
    let p = Project::new();
    let csv: String = std::iter::once("Référence;Titre;Description\n".to_string())
        .chain((1..=1500).map(|i| format!("EXI-{i:04};Exigence {i};{}\n", "texte ".repeat(20))))
        .collect();
    std::fs::write(p.path().join("exigences.csv"), csv).unwrap();
    p.ok(&["import", "exigences.csv"]);
    let cmd = p.cmd();
    let mut child = std::process::Command::new(cmd.get_program())
        .args(["req", "list", "--json"])
        .envs(cmd.get_envs().filter_map(|(k, v)| Some((k, v?))))
        .env_remove("RECETTE_LANG")
        .current_dir(p.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 16];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    // The read end is dropped here: the rest of the output (well over a pipe's 64 KiB) has
    // nowhere to go.
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(stderr.is_empty(), "{stderr}");
    assert_eq!(&first[..1], b"[");
}
