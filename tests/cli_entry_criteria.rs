//! Entry criteria beside exit criteria: measured by `campaign start`, which refuses with the
//! reasons or starts with `--force` (recorded in the audit log and the bilan); one criterion
//! edited or removed without re-importing the strategy; the TOML strategy file carries them.

mod common;

use common::Project;

fn project() -> Project {
    let p = Project::small();
    let toml = r#"
ref = "STRAT-E"
title = "Avec critères d'entrée"
smoke_tag = "smoke"

[[criteria]]
rule = "open_bloquante = 0"

[[entry_criteria]]
rule = "documents_not_accepted = 0"
label = "Documents de livraison acceptés"

[[entry_criteria]]
rule = "smoke_passed_rate = 100"
label = "Tests de fumée passés"

[[entry_criteria]]
rule = "carried_open_bloquante = 0"
label = "Aucune anomalie bloquante reportée"
"#;
    std::fs::write(p.path().join("strat.toml"), toml).unwrap();
    p.ok(&["strategy", "import", "strat.toml"]);
    p.ok(&[
        "delivery",
        "doc",
        "LIV-1",
        "Notes de version",
        "--state",
        "received",
    ]);
    p.ok(&["delivery", "add", "LIV-0"]);
    p.ok(&[
        "anomaly",
        "add",
        "FA-0",
        "--title",
        "Ancienne",
        "--severity",
        "bloquante",
        "--found-in",
        "LIV-0",
    ]);
    p.ok(&["strategy", "attach", "STRAT-E", "C1"]);
    p
}

#[test]
fn start_is_refused_with_the_reasons_then_forced_and_recorded() {
    let p = project();
    let err = p.fails(1, &["campaign", "start", "C1"]);
    assert!(err.contains("Démarrage refusé"), "{err}");
    assert!(
        err.contains("Documents de livraison acceptés : 1 mesuré"),
        "{err}"
    );
    assert!(
        err.contains("Tests de fumée passés : 0,0 % mesuré"),
        "{err}"
    );
    assert!(
        err.contains("Aucune anomalie bloquante reportée : 1 mesuré"),
        "{err}"
    );
    assert_eq!(
        p.json(&["campaign", "show", "C1"])["campaign"]["state"],
        "planned"
    );
    let out = p
        .cmd()
        .args(["--lang", "en", "campaign", "start", "C1"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(err.contains("Start refused"), "{err}");
    // JSON says why too.
    let out = p
        .cmd()
        .args(["campaign", "start", "C1", "--json"])
        .output()
        .unwrap();
    let j: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(j["started"], false);
    assert_eq!(j["entry_criteria"].as_array().unwrap().len(), 3);
    assert_eq!(j["unmet"].as_array().unwrap().len(), 3);
    // Forced: started, recorded in the audit log and the bilan.
    let out = p.ok(&["campaign", "start", "C1", "--force"]);
    assert!(out.contains("EN DÉROGATION"), "{out}");
    let c = p.json(&["campaign", "show", "C1"]);
    assert_eq!(c["campaign"]["state"], "started", "{c}");
    assert_eq!(c["campaign"]["start_forced"], true);
    assert_eq!(c["campaign"]["started_at"], "2026-03-15T09:00:00Z");
    let log = p.json(&["log"]);
    assert!(
        log.as_array()
            .unwrap()
            .iter()
            .any(|e| e["action"] == "start_forced" && e["ref"] == "C1"),
        "{log}"
    );
    p.ok(&["report", "C1", "--out", "r", "--format", "md"]);
    let md = std::fs::read_to_string(p.path().join("r/bilan-C1.md")).unwrap();
    assert!(
        md.contains("en dérogation aux critères d'entrée non remplis"),
        "{md}"
    );
    assert!(md.contains("Tests de fumée passés (0,0 %)"), "{md}");
    // Starting again changes nothing.
    let again = p.json(&["campaign", "start", "C1"]);
    assert_eq!(again["already_started"], true);
}

#[test]
fn start_when_the_entry_criteria_are_met() {
    let p = project();
    p.ok(&[
        "delivery",
        "doc",
        "LIV-1",
        "Notes de version",
        "--state",
        "accepted",
    ]);
    p.ok(&[
        "anomaly",
        "edit",
        "FA-0",
        "--status",
        "rejetée",
        "--comment",
        "Hors périmètre",
    ]);
    // The smoke tests CT-001 and CT-003 pass on the delivery (a smoke campaign on LIV-1).
    p.ok(&["campaign", "create", "FUMEE", "--delivery", "LIV-1"]);
    p.ok(&["campaign", "add", "FUMEE", "--tag", "smoke"]);
    p.ok(&["run", "FUMEE", "CT-001", "--status", "OK"]);
    p.ok(&["run", "FUMEE", "CT-003", "--status", "OK"]);
    let j = p.json(&["campaign", "start", "C1"]);
    assert_eq!(j["started"], true, "{j}");
    assert_eq!(j["forced"], false);
    assert!(j["entry_criteria"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["met"] == true));
    let md = {
        p.ok(&["report", "C1", "--out", "r", "--format", "md"]);
        std::fs::read_to_string(p.path().join("r/bilan-C1.md")).unwrap()
    };
    assert!(!md.contains("dérogation"), "{md}");
}

#[test]
fn one_criterion_is_edited_or_removed_without_reimporting() {
    let p = project();
    p.ok(&[
        "strategy",
        "edit-criterion",
        "STRAT-E",
        "2",
        "--entry",
        "--rule",
        "smoke_not_passed <= 1",
        "--non-blocking",
    ]);
    p.ok(&["strategy", "rm-criterion", "STRAT-E", "1", "--entry"]);
    p.ok(&[
        "strategy",
        "criterion",
        "STRAT-E",
        "carried_open_majeure <= 2",
        "--entry",
    ]);
    p.ok(&[
        "strategy",
        "edit-criterion",
        "STRAT-E",
        "1",
        "--rule",
        "open_bloquante <= 1",
    ]);
    let s = p.json(&["strategy", "show", "STRAT-E"]);
    let rules: Vec<(String, bool)> = s["entry_criteria"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                format!(
                    "{} {} {}",
                    c["indicator"].as_str().unwrap(),
                    c["operator"].as_str().unwrap(),
                    c["threshold"]
                ),
                c["blocking"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        rules,
        vec![
            ("smoke_not_passed <= 1.0".to_string(), false),
            ("carried_open_bloquante = 0.0".to_string(), true),
            ("carried_open_majeure <= 2.0".to_string(), true),
        ]
    );
    assert_eq!(s["criteria"][0]["threshold"], 1.0);
    // Errors name what is wrong.
    let err = p.fails(1, &["strategy", "rm-criterion", "STRAT-E", "9", "--entry"]);
    assert!(
        err.contains("pas de critère d'entrée n° 9 (3 critère(s)"),
        "{err}"
    );
    let err = p.fails(
        1,
        &[
            "strategy",
            "criterion",
            "STRAT-E",
            "execution_rate >= 9",
            "--entry",
        ],
    );
    assert!(err.contains("indicateur inconnu"), "{err}");
    let err = p.fails(1, &["strategy", "edit-criterion", "STRAT-E", "1"]);
    assert!(err.contains("rien à changer"), "{err}");
}
