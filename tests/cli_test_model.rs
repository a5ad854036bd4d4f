//! The test model end to end: test cases that change (edit, versions, retire), data sets,
//! assignment, executions read back, the checks of `run`, and the workbooks that carry them.

mod common;

use std::path::Path;

use calamine::{open_workbook_auto, Reader};
use common::{write_xlsx, Project};
use serde_json::{json, Value};

/// The tests of `campaign show --json`.
fn items(p: &Project, campaign: &str) -> Vec<Value> {
    p.json(&["campaign", "show", campaign])["tests"]
        .as_array()
        .expect("tests")
        .clone()
}

/// The small project with CT-001 parametrised: `${cv}` and `${montant}` in its steps, two data
/// sets, planned in C1.
fn parametrised() -> Project {
    let p = Project::small();
    p.ok(&[
        "test",
        "edit",
        "CT-001",
        "--step",
        "Saisir un véhicule de ${cv} CV => Le formulaire est prérempli",
        "--step",
        "Valider => La taxe est de ${montant} F",
    ]);
    p.ok(&[
        "test",
        "dataset",
        "add",
        "CT-001",
        "JDD-7CV",
        "--param",
        "cv=7",
        "--param",
        "montant=31 200",
    ]);
    p.ok(&[
        "test",
        "dataset",
        "add",
        "CT-001",
        "JDD-11CV",
        "--param",
        "cv=11",
        "--param",
        "montant=53 900",
    ]);
    p.ok(&["campaign", "add", "C1", "--all"]);
    p
}

#[test]
fn an_edit_of_the_steps_makes_a_new_version_and_old_results_keep_theirs() {
    let p = Project::small();
    p.ok(&["campaign", "add", "C1", "--test", "CT-001"]);
    p.ok(&[
        "run",
        "C1",
        "CT-001",
        "--step",
        "1=OK",
        "--step",
        "2=KO:Erreur 500",
    ]);
    assert_eq!(p.json(&["test", "show", "CT-001"])["version"], 1);

    // Metadata is edited in place.
    let out = p.json(&[
        "test",
        "edit",
        "CT-001",
        "--title",
        "Création d'un dossier",
        "--automation-key",
        "suite/creation",
        "--priority",
        "P1",
        "--add-tag",
        "nr",
        "--remove-tag",
        "smoke",
        "--covers",
        "EXI-003",
    ]);
    assert_eq!(out["changed"], true);
    assert_eq!(out["new_version"], false);
    assert_eq!(out["links_added"], json!(["EXI-003"]));
    let t = p.json(&["test", "show", "CT-001"]);
    assert_eq!(t["version"], 1);
    assert_eq!(t["automation_key"], "suite/creation");
    assert_eq!(t["tags"], json!(["nr"]));
    assert_eq!(t["requirements"], json!(["EXI-001", "EXI-003"]));

    // A step changes: version 2; the execution keeps the text it was run against.
    let out = p.ok(&[
        "test",
        "edit",
        "CT-001",
        "--set-step",
        "2=Valider la demande => Numéro attribué",
    ]);
    assert!(out.contains("nouvelle version 2"), "{out}");
    let t = p.json(&["test", "show", "CT-001"]);
    assert_eq!(t["version"], 2);
    assert_eq!(t["versions"].as_array().map(Vec::len), Some(2));
    assert_eq!(t["versions"][0]["replaced_at"], "2026-03-15T09:00:00Z");
    assert_eq!(t["versions"][1]["replaced_at"], Value::Null);
    let v1 = p.json(&["test", "show", "CT-001", "--version", "1"]);
    assert_eq!(v1["steps"][1]["action"], "Valider");
    assert_eq!(v1["current"], false);
    let e = p.json(&["execution", "show", "C1", "CT-001"]);
    assert_eq!(e[0]["test_version"], 1);
    assert_eq!(e[0]["outdated"], true);
    assert_eq!(e[0]["steps"][1]["action"], "Valider");
    assert_eq!(e[0]["steps"][1]["expected"], "Dossier créé");
    assert_eq!(e[0]["steps"][1]["actual"], "Erreur 500");
    let c = &items(&p, "C1")[0];
    assert_eq!(c["modified_since_run"], true);
    assert_eq!(c["executed_version"], 1);
    assert_eq!(c["test_version"], 2);
    let tr = p.json(&["trace", "--campaign", "C1"]);
    assert_eq!(tr["summary"]["modified_tests"], 1);
    assert_eq!(
        tr["requirements"][0]["tests"][0]["modified_since_run"],
        true
    );
    assert!(p
        .ok(&["campaign", "show", "C1"])
        .contains("CT-001 (v1 → v2)"));
    // A new run is against version 2; nothing is flagged any more.
    p.ok(&["run", "C1", "CT-001", "--status", "OK"]);
    assert_eq!(items(&p, "C1")[0]["modified_since_run"], false);
    assert_eq!(
        p.json(&["test", "show", "CT-001", "--version", "2"])["current"],
        true
    );

    // Errors name what is wrong.
    let err = p.fails(1, &["test", "edit", "CT-001", "--remove-tag", "absente"]);
    assert!(
        err.contains("CT-001 n'a pas l'étiquette « absente » (étiquettes : nr)"),
        "{err}"
    );
    let err = p.fails(1, &["test", "edit", "CT-001", "--set-step", "9=X => Y"]);
    assert!(
        err.contains("--step 9 : le cas de test CT-001 a 2 étape(s)"),
        "{err}"
    );
    let err = p.fails(1, &["test", "show", "CT-001", "--version", "7"]);
    assert!(
        err.contains("CT-001 n'a pas de version 7 (versions : 1, 2)"),
        "{err}"
    );
    let err = p.fails(
        1,
        &[
            "--lang",
            "en",
            "test",
            "edit",
            "CT-001",
            "--uncovers",
            "EXI-002",
        ],
    );
    assert!(err.contains("CT-001 does not cover EXI-002"), "{err}");
    // Every change is in the audit log.
    let log = p.json(&["log", "--ref", "CT-001"]);
    let updates = log
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "update")
        .count();
    assert_eq!(updates, 2, "{log}");
}

#[test]
fn insert_add_and_remove_steps() {
    let p = Project::small();
    p.ok(&[
        "test",
        "edit",
        "CT-001",
        "--insert-step",
        "1=Se connecter => Accueil",
        "--add-step",
        "Imprimer => Reçu",
        "--remove-step",
        "3",
    ]);
    let t = p.json(&["test", "show", "CT-001"]);
    let actions: Vec<&str> = t["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["Se connecter", "Ouvrir", "Imprimer"]);
    assert_eq!(t["version"], 2, "one edit, one new version");
}

#[test]
fn a_retired_test_leaves_coverage_and_new_campaigns_until_restored() {
    let p = Project::small();
    p.ok(&["campaign", "add", "C1", "--test", "CT-002"]);
    p.ok(&[
        "test",
        "retire",
        "CT-002",
        "--reason",
        "Remplacé par CT-003",
    ]);
    p.ok(&["test", "retire", "CT-003"]);
    let t = p.json(&["test", "show", "CT-002"]);
    assert_eq!(t["active"], false);
    assert_eq!(t["retired_reason"], "Remplacé par CT-003");
    let tr = p.json(&["trace"]);
    let exi2 = tr["requirements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ref"] == "EXI-002")
        .unwrap()
        .clone();
    assert_eq!(exi2["coverage"], "uncovered", "only retired tests cover it");
    let err = p.fails(1, &["campaign", "add", "C1", "--test", "CT-003"]);
    assert!(err.contains("le cas de test CT-003 est retiré"), "{err}");
    p.ok(&["campaign", "create", "C2"]);
    p.ok(&["campaign", "add", "C2", "--all"]);
    let refs: Vec<Value> = items(&p, "C2").iter().map(|t| t["ref"].clone()).collect();
    assert_eq!(refs, [json!("CT-001")]);
    // Kept where it was planned, and in the list.
    assert_eq!(items(&p, "C1").len(), 1);
    assert_eq!(
        p.json(&["test", "list", "--retired"])
            .as_array()
            .map(Vec::len),
        Some(2)
    );
    let err = p.fails(1, &["test", "retire", "CT-002"]);
    assert!(err.contains("déjà retiré"), "{err}");
    p.ok(&["test", "restore", "CT-003"]);
    p.ok(&["campaign", "add", "C2", "--test", "CT-003"]);
    assert_eq!(
        p.json(&["test", "list", "--active"])
            .as_array()
            .map(Vec::len),
        Some(2)
    );
}

#[test]
fn each_data_set_is_planned_run_and_counted_on_its_own() {
    let p = parametrised();
    // A data set lacking a value is said so.
    let out = p.ok(&[
        "test", "dataset", "add", "CT-001", "JDD-VIDE", "--param", "cv=2",
    ]);
    assert!(out.contains("aucune valeur pour ${montant}"), "{out}");
    p.ok(&["test", "dataset", "rm", "CT-001", "JDD-VIDE"]);
    let sets = p.json(&["test", "dataset", "list", "CT-001"]);
    assert_eq!(sets.as_array().map(Vec::len), Some(2), "never run: deleted");
    let c = items(&p, "C1");
    let ct1: Vec<&Value> = c.iter().filter(|t| t["ref"] == "CT-001").collect();
    assert_eq!(ct1.len(), 2);
    assert_eq!(ct1[0]["dataset"], "JDD-7CV");
    assert_eq!(
        ct1[0]["parameters"],
        json!({"cv": "7", "montant": "31 200"})
    );
    assert_eq!(c.len(), 4, "CT-001 twice, CT-002, CT-003");

    let err = p.fails(1, &["run", "C1", "CT-001", "--status", "OK"]);
    assert!(
        err.contains("précisez --dataset (JDD-7CV, JDD-11CV)"),
        "{err}"
    );
    p.ok(&[
        "run",
        "C1",
        "CT-001",
        "--dataset",
        "JDD-7CV",
        "--status",
        "OK",
    ]);
    p.ok(&[
        "run",
        "C1",
        "CT-001",
        "--dataset",
        "JDD-11CV",
        "--step",
        "1=OK",
        "--step",
        "2=KO:Taxe de 49 500 F",
    ]);
    p.ok(&["run", "C1", "CT-003", "--status", "OK"]);
    // The values are in the texts as run.
    let e = p.json(&["execution", "show", "C1", "CT-001", "--dataset", "JDD-11CV"]);
    assert_eq!(e.as_array().map(Vec::len), Some(1));
    assert_eq!(e[0]["steps"][0]["action"], "Saisir un véhicule de 11 CV");
    assert_eq!(e[0]["steps"][1]["expected"], "La taxe est de 53 900 F");
    assert_eq!(e[0]["parameters"]["cv"], "11");
    // The test fails over the campaign because one of its data sets failed.
    let tr = p.json(&["trace", "--campaign", "C1"]);
    let exi1 = &tr["requirements"][0];
    assert_eq!(exi1["ref"], "EXI-001");
    assert_eq!(exi1["tests"][0]["status"], "failed");
    assert_eq!(exi1["status"], "failed");
    // Indicators count data sets.
    let ind = &p.json(&["campaign", "show", "C1"])["indicators"];
    assert_eq!(ind["tests"], 4);
    assert_eq!(ind["executed"], 3);
    assert_eq!(ind["by_status"]["passed"], 2);

    // Attempts are numbered per data set.
    p.ok(&[
        "run",
        "C1",
        "CT-001",
        "--dataset",
        "JDD-11CV",
        "--status",
        "OK",
    ]);
    let e = p.json(&["execution", "show", "C1", "CT-001"]);
    let attempts: Vec<(Value, Value)> = e
        .as_array()
        .unwrap()
        .iter()
        .map(|x| (x["dataset"].clone(), x["attempt"].clone()))
        .collect();
    assert_eq!(
        attempts,
        [
            (json!("JDD-7CV"), json!(1)),
            (json!("JDD-11CV"), json!(1)),
            (json!("JDD-11CV"), json!(2))
        ]
    );

    // A rename follows the data set into campaigns and executions; editing values never
    // changes what was run.
    p.ok(&[
        "test",
        "dataset",
        "edit",
        "CT-001",
        "JDD-11CV",
        "--rename",
        "JDD-11CV-NORD",
        "--param",
        "montant=60 000",
    ]);
    let e = p.json(&[
        "execution",
        "show",
        "C1",
        "CT-001",
        "--dataset",
        "JDD-11CV-NORD",
        "--attempt",
        "1",
    ]);
    assert_eq!(e[0]["parameters"]["montant"], "53 900");
    assert_eq!(
        p.json(&["campaign", "show", "C1"])["tests"][1]["parameters"]["montant"],
        "60 000"
    );
    // A data set already run is kept, inactive, for history.
    let out = p.ok(&["test", "dataset", "rm", "CT-001", "JDD-7CV"]);
    assert!(out.contains("gardé inactif"), "{out}");
    assert_eq!(
        p.json(&["test", "dataset", "list", "CT-001"])[0]["active"],
        false
    );
    p.ok(&["campaign", "create", "C2"]);
    p.ok(&["campaign", "add", "C2", "--test", "CT-001"]);
    let c2 = items(&p, "C2");
    assert_eq!(c2.len(), 1, "an inactive data set is not planned again");
    assert_eq!(c2[0]["dataset"], "JDD-11CV-NORD");
    // `campaign add --dataset` plans only the named ones.
    p.ok(&["campaign", "create", "C3"]);
    let err = p.fails(
        1,
        &[
            "campaign",
            "add",
            "C3",
            "--test",
            "CT-002",
            "--dataset",
            "JDD-X",
        ],
    );
    assert!(
        err.contains("aucun des cas de test sélectionnés n'a le jeu de données JDD-X"),
        "{err}"
    );
}

#[test]
fn data_set_show_is_worded_and_snapshotted() {
    let p = parametrised();
    p.ok(&[
        "run",
        "C1",
        "CT-001",
        "--dataset",
        "JDD-7CV",
        "--step",
        "1=OK",
        "--step",
        "2=KO:Taxe de 12 000 F",
        "--comment",
        "Barème ancien",
        "--tester",
        "Marie",
    ]);
    insta::assert_snapshot!(
        "execution_show_dataset",
        p.ok(&["execution", "show", "C1", "CT-001"])
    );
    insta::assert_snapshot!("test_show_parametrised", p.ok(&["test", "show", "CT-001"]));
    let en = p.ok(&["--lang", "en", "execution", "show", "C1", "CT-001"]);
    assert!(
        en.contains("C1 / CT-001 [JDD-7CV] — attempt 1: Failed"),
        "{en}"
    );
}

#[test]
fn assignment_spreads_evenly_reassigns_and_unassigns() {
    let p = parametrised();
    let out = p.json(&[
        "campaign",
        "assign",
        "C1",
        "--all",
        "--spread",
        "Ana,Bruno,Chloé",
    ]);
    assert_eq!(out["selected"], 4);
    assert_eq!(out["load"], json!([["Ana", 2], ["Bruno", 1], ["Chloé", 1]]));
    let who: Vec<Value> = items(&p, "C1")
        .iter()
        .map(|t| t["assignee"].clone())
        .collect();
    assert_eq!(
        who,
        [json!("Ana"), json!("Bruno"), json!("Chloé"), json!("Ana")]
    );
    // Spreading again gives the same shares: deterministic.
    let again = p.json(&[
        "campaign",
        "assign",
        "C1",
        "--all",
        "--spread",
        "Ana,Bruno,Chloé",
    ]);
    assert_eq!(again["changes"], json!([]));
    // Reassign one data set, unassign a tag.
    p.ok(&[
        "campaign",
        "assign",
        "C1",
        "--test",
        "CT-001",
        "--dataset",
        "JDD-11CV",
        "--to",
        "Chloé",
    ]);
    p.ok(&["campaign", "assign", "C1", "--test", "CT-003", "--unassign"]);
    let mine = p.json(&["campaign", "show", "C1", "--assignee", "Chloé"]);
    let labels: Vec<(Value, Value)> = mine["tests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["ref"].clone(), t["dataset"].clone()))
        .collect();
    assert_eq!(
        labels,
        [
            (json!("CT-001"), json!("JDD-11CV")),
            (json!("CT-002"), json!(null))
        ]
    );
    // Per-tester progress in status and campaign show.
    p.ok(&["run", "C1", "CT-002", "--status", "KO"]);
    let st = p.json(&["status"]);
    let by = &st["campaigns"][0]["indicators"]["by_tester"];
    assert_eq!(
        by[1],
        json!({"assignee": "Chloé", "planned": 2, "executed": 1, "passed": 0, "failed": 1, "blocked": 0, "remaining": 1})
    );
    assert_eq!(by[2]["assignee"], "", "the unassigned last");
    let text = p.ok(&["status"]);
    assert!(text.contains("Avancement par testeur — C1"), "{text}");
    assert!(text.contains("(non attribués)"), "{text}");
    // Audited.
    let log = p.json(&["log", "--entity", "campagne"]);
    assert!(log.to_string().contains("\"to\":\"Chloé\""), "{log}");
    // Errors.
    let err = p.fails(
        1,
        &["campaign", "assign", "C1", "--tag", "absent", "--to", "Ana"],
    );
    assert!(
        err.contains("la sélection ne correspond à aucun test planifié dans la campagne C1"),
        "{err}"
    );
    let err = p.fails(
        1,
        &["campaign", "assign", "C1", "--all", "--spread", "Ana,Ana"],
    );
    assert!(err.contains("« Ana » nommé deux fois"), "{err}");
    p.fails(2, &["campaign", "assign", "C1", "--all"]);
}

#[test]
fn run_is_checked_and_the_status_follows_from_the_steps() {
    let p = Project::small();
    p.ok(&["campaign", "add", "C1", "--all"]);
    for (args, expected) in [
        (
            vec!["--step", "1=OK", "--step", "1=KO"],
            "étape 1 donnée deux fois pour CT-001",
        ),
        (
            vec!["--step", "3=OK"],
            "étape 3 inexistante : le cas de test CT-001 a 2 étape(s)",
        ),
        (
            vec!["--status", "OK", "--step", "2=KO"],
            "statut « Conforme » contredit par les étapes : étape(s) 2 « Non conforme »",
        ),
        (
            vec!["--status", "OK", "--step", "1=Bloqué"],
            "statut possible : Bloqué ou Non conforme",
        ),
        (
            vec!["--status", "OK", "--at", "2026-03-17"],
            "date d'exécution 2026-03-17 dans le futur",
        ),
        (
            vec![],
            "donnez le statut (--status) ou le résultat des étapes",
        ),
        (vec!["--step", "2=KO:"], ""),
    ] {
        let mut a = vec!["run", "C1", "CT-001"];
        a.extend(args.iter());
        if expected.is_empty() {
            p.ok(&a);
            continue;
        }
        let err = p.fails(1, &a);
        assert!(err.contains(expected), "{a:?}: {err}");
    }
    assert_eq!(
        items(&p, "C1")[0]["attempts"],
        1,
        "refused runs wrote nothing"
    );
    for (steps, status) in [
        (vec!["--step", "1=OK", "--step", "2=KO"], "failed"),
        (vec!["--step", "1=Bloqué", "--step", "2=OK"], "blocked"),
        (vec!["--step", "1=OK", "--step", "2=N/A"], "passed"),
        (vec!["--step", "1=OK"], "in_progress"),
    ] {
        let mut a = vec!["run", "C1", "CT-001"];
        a.extend(steps.iter());
        p.ok(&a);
        assert_eq!(items(&p, "C1")[0]["status"], status, "{steps:?}");
    }
    // The actual result of a step is kept with it.
    p.ok(&[
        "run",
        "C1",
        "CT-002",
        "--step",
        "1=KO:Le reçu n'est pas émis",
    ]);
    let e = p.json(&["execution", "show", "C1", "CT-002", "--attempt", "1"]);
    assert_eq!(e[0]["status"], "failed");
    assert_eq!(e[0]["steps"][0]["actual"], "Le reçu n'est pas émis");
    let err = p.fails(1, &["execution", "show", "C1", "CT-002", "--attempt", "4"]);
    assert!(
        err.contains("CT-002 n'a pas d'essai 4 dans C1 (essais : 1)"),
        "{err}"
    );
    // Based on an older attempt: a typed conflict, nothing written.
    p.ok(&["run", "C1", "CT-002", "--status", "OK", "--based-on", "1"]);
    let err = p.fails(
        1,
        &["run", "C1", "CT-002", "--status", "OK", "--based-on", "1"],
    );
    assert!(
        err.contains(
            "conflit : CT-002 a été enregistré dans la campagne C1 (essai 2) depuis l'essai 1"
        ),
        "{err}"
    );
    let err = p.fails(
        1,
        &[
            "--lang",
            "en",
            "run",
            "C1",
            "CT-002",
            "--status",
            "OK",
            "--based-on",
            "0",
        ],
    );
    assert!(
        err.contains("conflict: CT-002 was recorded in campaign C1 (attempt 2) since attempt 0"),
        "{err}"
    );
    assert_eq!(
        items(&p, "C1")
            .iter()
            .find(|t| t["ref"] == "CT-002")
            .unwrap()["attempts"],
        2
    );
}

#[test]
fn evidence_comes_back_by_hash_or_name() {
    let p = Project::small();
    p.ok(&["campaign", "add", "C1", "--all"]);
    let dir = p.path();
    std::fs::create_dir_all(dir.join("a")).unwrap();
    std::fs::create_dir_all(dir.join("b")).unwrap();
    std::fs::write(dir.join("a/capture.png"), b"premiere capture").unwrap();
    std::fs::write(dir.join("b/capture.png"), b"seconde capture").unwrap();
    std::fs::write(dir.join("journal.txt"), b"journal").unwrap();
    p.ok(&[
        "run",
        "C1",
        "CT-001",
        "--status",
        "KO",
        "--evidence",
        "a/capture.png",
        "--evidence",
        "journal.txt",
    ]);
    p.ok(&[
        "run",
        "C1",
        "CT-002",
        "--status",
        "KO",
        "--evidence",
        "b/capture.png",
    ]);
    let e = p.json(&["execution", "show", "C1", "CT-001"]);
    let sha = e[0]["evidence"][0]["sha256"].as_str().unwrap().to_string();
    assert_eq!(e[0]["evidence"][0]["size"], 16);
    let err = p.fails(1, &["evidence", "get", "capture.png", "--out", "x.png"]);
    assert!(
        err.contains("« capture.png » désigne 2 preuves différentes"),
        "{err}"
    );
    assert!(err.contains(&sha) && err.contains("C1/CT-001#1"), "{err}");
    assert!(!dir.join("x.png").exists());
    p.ok(&["evidence", "get", &sha[..8], "--out", "x.png"]);
    assert_eq!(
        std::fs::read(dir.join("x.png")).unwrap(),
        b"premiere capture"
    );
    p.ok(&["evidence", "get", "journal.txt", "--out", "j.txt"]);
    assert_eq!(std::fs::read(dir.join("j.txt")).unwrap(), b"journal");
    let err = p.fails(1, &["evidence", "get", "absent.pdf", "--out", "y"]);
    assert!(err.contains("preuve inconnue : absent.pdf"), "{err}");
    // An altered evidence file is not handed out.
    let stored = recette::store::evidence_path(dir, &sha);
    std::fs::write(&stored, b"altered").unwrap();
    let err = p.fails(1, &["evidence", "get", &sha, "--out", "z.png"]);
    assert!(err.contains("le fichier de preuve a été altéré"), "{err}");
}

#[test]
fn a_test_history_spans_campaigns_and_deliveries() {
    let p = Project::small();
    p.ok(&["campaign", "add", "C1", "--test", "CT-001"]);
    p.ok(&[
        "run",
        "C1",
        "CT-001",
        "--status",
        "KO",
        "--at",
        "2026-03-10",
        "--tester",
        "Ana",
    ]);
    p.ok(&[
        "run",
        "C1",
        "CT-001",
        "--status",
        "OK",
        "--at",
        "2026-03-11",
        "--tester",
        "Ana",
    ]);
    p.ok(&["test", "edit", "CT-001", "--add-step", "Imprimer => Reçu"]);
    p.ok(&["delivery", "add", "LIV-2"]);
    p.ok(&["campaign", "create", "C2", "--delivery", "LIV-2"]);
    p.ok(&["campaign", "add", "C2", "--test", "CT-001"]);
    p.ok(&[
        "run",
        "C2",
        "CT-001",
        "--status",
        "OK",
        "--at",
        "2026-03-14",
        "--tester",
        "Bruno",
    ]);
    let h = p.json(&["test", "history", "CT-001"]);
    let rows: Vec<(Value, Value, Value, Value, Value)> = h
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["campaign"].clone(),
                e["delivery"].clone(),
                e["attempt"].clone(),
                e["test_version"].clone(),
                e["status"].clone(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            (
                json!("C1"),
                json!("LIV-1"),
                json!(1),
                json!(1),
                json!("failed")
            ),
            (
                json!("C1"),
                json!("LIV-1"),
                json!(2),
                json!(1),
                json!("passed")
            ),
            (
                json!("C2"),
                json!("LIV-2"),
                json!(1),
                json!(2),
                json!("passed")
            ),
        ]
    );
    assert!(p.ok(&["test", "history", "CT-001"]).contains("Bruno"));
}

/// A vendor workbook with a parametrised test: one row per data set under the test.
fn parametrised_workbook(path: &Path, second_action: &str) {
    write_xlsx(
        path,
        &[(
            "Cas de test",
            vec![
                vec![
                    "Réf.",
                    "Intitulé",
                    "N° étape",
                    "Action",
                    "Résultat attendu",
                    "Jeu de données",
                    "Paramètres",
                    "Remarque interne",
                ],
                vec![
                    "CT-TAXE",
                    "Taxe ${cv} CV",
                    "1",
                    "Saisir ${cv} CV",
                    "Taxe ${montant} F",
                    "JDD-7",
                    "cv=7; montant=31 200",
                    "",
                ],
                vec!["", "", "2", second_action, "Reçu", "JDD-11", "cv=11", ""],
                vec!["", "", "", "", "", "", "", "à revoir"],
                vec!["", "", "", "", "", "JDD-12", "cv=12; montant=60 000", ""],
            ],
        )],
    );
}

#[test]
fn a_workbook_brings_data_sets_and_says_what_it_does_not_read() {
    let p = Project::new();
    parametrised_workbook(&p.path().join("cahier.xlsx"), "Valider");
    let plan = p.json(&["import", "cahier.xlsx", "--dry-run"]);
    let sheet = &plan["records"]["sheets"][0];
    assert_eq!(
        sheet["ignored_columns"],
        json!([{"column": "H", "header": "Remarque interne"}])
    );
    assert_eq!(sheet["ignored_rows"], json!([4]));
    let warnings = plan["records"]["warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0]["message"]
        .as_str()
        .unwrap()
        .contains("CT-TAXE [JDD-11] : aucune valeur pour ${montant}"));
    let text = p.ok(&["import", "cahier.xlsx", "--dry-run"]);
    assert!(
        text.contains("cahier.xlsx › Cas de test : colonnes non lues : H « Remarque interne »"),
        "{text}"
    );
    assert!(
        text.contains("lignes ignorées (données seulement dans des colonnes non lues) : 4"),
        "{text}"
    );
    p.ok(&["import", "cahier.xlsx"]);
    let t = p.json(&["test", "show", "CT-TAXE"]);
    let names: Vec<&str> = t["datasets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["JDD-7", "JDD-11", "JDD-12"]);
    assert_eq!(t["datasets"][1]["missing"], json!(["montant"]));
    assert_eq!(t["parameters"], json!(["cv", "montant"]));
    // The same file again changes nothing; changed steps make a new version.
    let again = p.json(&["import", "cahier.xlsx"]);
    assert_eq!(again["records"]["totals"]["unchanged"], 1);
    parametrised_workbook(&p.path().join("cahier.xlsx"), "Valider la demande");
    let v2 = p.json(&["import", "cahier.xlsx"]);
    assert_eq!(v2["records"]["totals"]["updated"], 1);
    assert_eq!(p.json(&["test", "show", "CT-TAXE"])["version"], 2);
    // Bad parameter cells name their cell.
    write_xlsx(
        &p.path().join("faux.xlsx"),
        &[(
            "Cas de test",
            vec![
                vec!["Réf.", "Intitulé", "Action", "Jeu de données", "Paramètres"],
                vec!["CT-X", "X", "Faire", "JDD-1", "cv=7"],
                vec!["", "", "Refaire", "", "cv=8"],
                vec!["", "", "", "JDD-1", ""],
                vec!["", "", "", "JDD-2", "cv 7"],
            ],
        )],
    );
    let err = p.fails(1, &["import", "faux.xlsx"]);
    assert!(
        err.contains(
            "faux.xlsx › Cas de test › ligne 5 › E « Paramètres » : « cv 7 » : attendu nom=valeur"
        ),
        "{err}"
    );
    assert!(
        err.contains("ligne 3 › E « Paramètres » : paramètres sans jeu de données"),
        "{err}"
    );
    assert!(err.contains("ligne 4 › D « Jeu de données » : jeu de données « JDD-1 » en double pour CT-X (déjà ligne 2)"), "{err}");
}

#[test]
fn the_project_workbook_carries_data_sets_and_results_per_data_set() {
    let p = parametrised();
    p.ok(&[
        "run",
        "C1",
        "CT-001",
        "--dataset",
        "JDD-11CV",
        "--status",
        "OK",
    ]);
    p.ok(&["export", "workbook", "projet.xlsx"]);
    let fresh = Project::new();
    std::fs::copy(
        p.path().join("projet.xlsx"),
        fresh.path().join("projet.xlsx"),
    )
    .unwrap();
    fresh.ok(&["delivery", "add", "LIV-1"]);
    fresh.ok(&["campaign", "create", "C1", "--delivery", "LIV-1"]);
    fresh.ok(&["import", "projet.xlsx"]);
    let sets = fresh.json(&["test", "dataset", "list", "CT-001"]);
    assert_eq!(sets, p.json(&["test", "dataset", "list", "CT-001"]));
    let e = fresh.json(&["execution", "show", "C1", "CT-001"]);
    assert_eq!(e[0]["dataset"], "JDD-11CV");
    assert_eq!(e[0]["status"], "passed");
}

/// Fills the yellow cells of an offline sheet: `fill(test, data set, step, header)`.
fn fill_sheet(src: &Path, dst: &Path, fill: &dyn Fn(&str, &str, &str, &str) -> Option<String>) {
    let mut wb = open_workbook_auto(src).expect("read sheet");
    let range = wb.worksheet_range("Exécution").expect("Exécution");
    let rows: Vec<Vec<String>> = range
        .rows()
        .map(|r| r.iter().map(|d| d.to_string()).collect())
        .collect();
    let headers = rows[0].clone();
    let col = |h: &str| headers.iter().position(|x| x == h).expect("column");
    let (t, d, s) = (col("Cas de test"), col("Jeu de données"), col("N° étape"));
    let mut out = rust_xlsxwriter::Workbook::new();
    let ws = out.add_worksheet();
    ws.set_name("Exécution").unwrap();
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            let value = if r == 0 {
                Some(v.clone())
            } else {
                fill(&row[t], &row[d], &row[s], &headers[c]).or_else(|| Some(v.clone()))
            };
            if let Some(v) = value.filter(|v| !v.is_empty()) {
                ws.write_string(r as u32, c as u16, v).unwrap();
            }
        }
    }
    out.save(dst).expect("save filled");
}

#[test]
fn an_offline_sheet_for_one_tester_reads_back_per_data_set() {
    let p = parametrised();
    p.ok(&[
        "campaign", "assign", "C1", "--test", "CT-001", "--to", "Ana",
    ]);
    p.ok(&[
        "campaign", "assign", "C1", "--test", "CT-002", "--test", "CT-003", "--to", "Bruno",
    ]);
    let s = p.json(&["campaign", "sheet", "C1", "ana.xlsx", "--assignee", "Ana"]);
    assert_eq!(s["tests"], 2);
    assert_eq!(s["assignee"], "Ana");
    let err = p.fails(
        1,
        &[
            "campaign",
            "sheet",
            "C1",
            "x.xlsx",
            "--assignee",
            "Personne",
        ],
    );
    assert!(
        err.contains("aucun test de la campagne C1 n'est attribué à « Personne »"),
        "{err}"
    );
    // The texts carry the values of each data set.
    let mut wb = open_workbook_auto(p.path().join("ana.xlsx")).unwrap();
    let cells: Vec<String> = wb
        .worksheet_range("Exécution")
        .unwrap()
        .rows()
        .flat_map(|r| r.iter().map(|d| d.to_string()).collect::<Vec<_>>())
        .collect();
    assert!(
        cells.contains(&"Saisir un véhicule de 11 CV".to_string()),
        "{cells:?}"
    );
    assert!(
        cells.contains(&"La taxe est de 31 200 F".to_string()),
        "{cells:?}"
    );
    assert!(!cells.contains(&"CT-002".to_string()), "only Ana's tests");

    fill_sheet(
        &p.path().join("ana.xlsx"),
        &p.path().join("rempli.xlsx"),
        &|t, d, step, h| {
            let v = match (t, d, step, h) {
                ("CT-001", "JDD-7CV", "1", "Statut") => "OK",
                ("CT-001", "JDD-7CV", "2", "Statut") => "OK",
                ("CT-001", "JDD-11CV", "1", "Statut") => "OK",
                ("CT-001", "JDD-11CV", "2", "Statut") => "KO",
                ("CT-001", "JDD-11CV", "2", "Résultat obtenu") => "Taxe de 49 500 F",
                ("CT-001", _, "", "Testeur") => "Ana",
                _ => return None,
            };
            Some(v.to_string())
        },
    );
    // Meanwhile the lead gives one of them to someone else: the import says so, and keeps it.
    p.ok(&[
        "campaign",
        "assign",
        "C1",
        "--test",
        "CT-001",
        "--dataset",
        "JDD-7CV",
        "--to",
        "Bruno",
    ]);
    let v = p.json(&["import", "rempli.xlsx"]);
    let r = &v["records"];
    assert_eq!(r["issues"], json!([]), "{r:#}");
    assert_eq!(r["totals"]["created"], 2, "{r:#}");
    let w = r["warnings"].as_array().unwrap();
    assert_eq!(w.len(), 1, "the reassigned data set only: {w:?}");
    assert!(w[0]["message"]
        .as_str()
        .unwrap()
        .contains("CT-001 [JDD-7CV] : la feuille l'attribue à « Ana », la campagne à « Bruno »"));
    let c = items(&p, "C1");
    assert_eq!(c[0]["status"], "passed");
    assert_eq!(c[0]["assignee"], "Bruno");
    assert_eq!(c[1]["status"], "failed");
    let e = p.json(&["execution", "show", "C1", "CT-001", "--dataset", "JDD-11CV"]);
    assert_eq!(e[0]["steps"][1]["actual"], "Taxe de 49 500 F");
    assert_eq!(e[0]["tester"], "Ana");
    assert_eq!(e[0]["source"], "sheet");
}

#[test]
fn the_library_serves_the_web_execution_page_and_detects_conflicts() {
    use recette::store::{Context, RunInput, StepInput, Store};
    let p = parametrised();
    p.ok(&["campaign", "assign", "C1", "--all", "--to", "Ana"]);
    let ctx = Context {
        actor: "web".into(),
        fixed_now: Some("2026-03-15T09:00:00Z".into()),
    };
    let mut store = Store::open(&p.db(), ctx).unwrap();
    let page = store
        .planned_execution("C1", "CT-001", Some("JDD-11CV"))
        .unwrap();
    assert_eq!(page.steps[1].expected, "La taxe est de 53 900 F");
    assert_eq!(page.requirements[0].reference, "EXI-001");
    assert_eq!(page.assignee, "Ana");
    assert_eq!(page.latest_attempt, 0);
    assert!(page.missing_parameters.is_empty());
    assert!(
        store.planned_execution("C1", "CT-001", None).is_err(),
        "two data sets: say which"
    );
    let mine = store.assigned_tests("Ana").unwrap();
    assert_eq!(mine.len(), 4);
    assert_eq!(mine[0].campaign, "C1");

    let mut run = RunInput::status(recette::model::ExecStatus::Passed);
    run.status = None;
    run.dataset = Some("JDD-11CV".into());
    run.based_on = Some(page.latest_attempt);
    run.steps = vec![
        StepInput::new(1, recette::model::ExecStatus::Passed),
        StepInput::new(2, recette::model::ExecStatus::Passed),
    ];
    let rec = store
        .write("run", |tx| tx.record_execution("C1", "CT-001", &run))
        .unwrap();
    assert_eq!(rec.attempt, 1);
    assert_eq!(rec.status, recette::model::ExecStatus::Passed);
    // A second tester saved from the same page: a typed conflict.
    match store.write("run", |tx| tx.record_execution("C1", "CT-001", &run)) {
        Err(recette::Error::Conflict {
            latest,
            based_on,
            dataset,
            ..
        }) => {
            assert_eq!((latest, based_on), (1, 0));
            assert_eq!(dataset.as_deref(), Some("JDD-11CV"));
        }
        other => panic!("expected a conflict, got {other:?}"),
    }
}

#[test]
fn concurrent_writers_never_lose_nor_skip_an_attempt() {
    use recette::store::{Context, RunInput, Store};
    let p = Project::small();
    p.ok(&["campaign", "add", "C1", "--test", "CT-001"]);
    let threads: Vec<_> = (0..4)
        .map(|n| {
            let db = p.db();
            std::thread::spawn(move || {
                let ctx = Context {
                    actor: format!("testeur-{n}"),
                    fixed_now: Some("2026-03-15T09:00:00Z".into()),
                };
                let mut store = Store::open(&db, ctx).expect("open");
                for _ in 0..15 {
                    let run = RunInput::status(recette::model::ExecStatus::Passed);
                    store
                        .write("run", |tx| tx.record_execution("C1", "CT-001", &run))
                        .expect("run");
                }
            })
        })
        .collect();
    for t in threads {
        t.join().expect("thread");
    }
    let e = p.json(&["execution", "show", "C1", "CT-001"]);
    let attempts: Vec<i64> = e
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["attempt"].as_i64().unwrap())
        .collect();
    assert_eq!(attempts, (1..=60).collect::<Vec<_>>());
}

mod params_properties {
    use proptest::prelude::*;
    use recette::params::{
        format_assignments, parameters_in, parse_assignments, substitute, Values,
    };

    fn values() -> impl Strategy<Value = Values> {
        proptest::collection::btree_map(
            "[a-zA-Zé_][a-zA-Z0-9_.é-]{0,8}",
            // A value: anything but separators, trimmed (as the reader trims).
            "[^;\n\r]{0,12}".prop_map(|v| v.trim().to_string()),
            0..5,
        )
    }

    proptest! {
        #[test]
        fn assignments_read_back_what_was_written(v in values()) {
            prop_assert_eq!(parse_assignments(&format_assignments(&v)).unwrap(), v);
        }

        #[test]
        fn every_placeholder_is_found_and_substituted(v in values(), filler in "[a-z ]{0,6}") {
            let text: String = v.keys().map(|k| format!("{filler}${{{k}}}")).collect();
            let found = parameters_in(&text);
            prop_assert_eq!(found.len(), v.len());
            let out = substitute(&text, &v);
            for k in v.keys() {
                let placeholder = format!("${{{k}}}");
                prop_assert!(!out.contains(&placeholder) || v.values().any(|x| x.contains(&placeholder)));
            }
        }

        #[test]
        fn no_text_makes_the_reader_panic(s in "\\PC{0,40}") {
            let _ = parse_assignments(&s);
            let _ = parameters_in(&s);
            let _ = substitute(&s, &Values::new());
        }
    }
}
