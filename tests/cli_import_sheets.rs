//! `recette import` of vendor workbooks, driven through the binary on `fixtures/vendor/*`:
//! the dry-run plan, JSON, error cells, atomicity, `--partial`, idempotence, suspect links,
//! CSV Windows-1252 and ODS, `--print-mapping`/`--mapping`, results with `--delivery`, and
//! blank cells that must not erase stored steps and tags.

mod common;

use common::{vendor_fixture as fixture, write_xlsx, Project};
use serde_json::{json, Value};

/// Everything an import may change, as the JSON lists show it, and the audit log.
fn state(p: &Project) -> Value {
    json!({
        "req": p.json(&["req", "list"]),
        "test": p.json(&["test", "list"]),
        "link": p.json(&["link", "list"]),
        "anomaly": p.json(&["anomaly", "list"]),
        "campaign": p.json(&["campaign", "list"]),
        "log": p.json(&["log"]),
    })
}

fn with_delivery() -> Project {
    let p = Project::new();
    p.ok(&["delivery", "add", "LIV-1"]);
    p
}

#[test]
fn dry_run_plan_per_sheet() {
    let p = with_delivery();
    let f = fixture(&p, "cahier_immatriculation.xlsx");
    let before = state(&p);
    let out = p.ok(&["import", &f, "--delivery", "LIV-1", "--dry-run"]);
    insta::assert_snapshot!("dry_run_plan", out);
    assert_eq!(state(&p), before, "a dry run writes nothing");
}

#[test]
fn json_plan() {
    let p = with_delivery();
    let f = fixture(&p, "cahier_immatriculation.xlsx");
    let v = p.json(&["import", &f, "--delivery", "LIV-1", "--dry-run"]);
    assert_eq!(v["dry_run"], true);
    let r = &v["records"];
    assert_eq!(
        r["totals"],
        json!({"created": 22, "updated": 0, "unchanged": 2, "skipped": 0})
    );
    let sheets: Vec<(String, String, u64)> = r["sheets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["sheet"].as_str().unwrap().to_string(),
                s["kind"].as_str().unwrap().to_string(),
                s["created"].as_u64().unwrap(),
            )
        })
        .collect();
    let expect = [
        ("Sommaire", "ignored", 0),
        ("Historique", "ignored", 0),
        ("Exigences", "requirements", 6),
        ("Cas de test", "test_cases", 4),
        ("Lot 2", "test_cases", 2),
        ("Résultats", "results", 6),
        ("Traçabilité", "links", 1),
        ("Anomalies", "anomalies", 3),
        ("Calculs", "ignored", 0),
    ];
    let expect: Vec<(String, String, u64)> = expect
        .iter()
        .map(|(a, b, c)| (a.to_string(), b.to_string(), *c))
        .collect();
    assert_eq!(sheets, expect);
    assert_eq!(r["campaign"], "IMPORT-LIV-1");
    assert_eq!(r["issues"], json!([]));
}

#[test]
fn errors_name_file_sheet_row_column_and_header() {
    let p = Project::new();
    let f = fixture(&p, "cahier_errone.xlsx");
    let err = p.fails(1, &["import", &f]);
    for line in [
        "erreur : import refusé : 7 problème(s), rien n'a été écrit",
        "  - cahier_errone.xlsx › Exigences › ligne 4 › C « Criticité » : criticité inconnue « peut-être » ; valeurs acceptées : Critique, Majeure, Mineure (ou un synonyme usuel)",
        "  - cahier_errone.xlsx › Exigences › ligne 5 › A « Réf. exigence » : référence « EXI-IMM-001 » en double (déjà ligne 3)",
        "  - cahier_errone.xlsx › Exigences › ligne 6 › A « Réf. exigence » : ligne sans référence",
        "  - cahier_errone.xlsx › Cas de test › ligne 2 › A « Réf. » : étape sans cas de test au-dessus",
        "  - cahier_errone.xlsx › Cas de test › ligne 4 › C « Étape » : nombre entier attendu, lu « deux »",
        "  - cahier_errone.xlsx › Résultats › ligne 2 › B « Résultat » : statut inconnu « peut-être » ; valeurs acceptées : Conforme, Non conforme, Bloqué, Non passé, Non applicable, En cours (ou un synonyme usuel)",
        "  - cahier_errone.xlsx › Résultats › ligne 3 › C « Date d'exécution » : date illisible « le 14 mars » ; formats acceptés : jj/mm/aaaa, jj-mm-aaaa, aaaa-mm-jj [hh:mm]",
    ] {
        assert!(err.lines().any(|l| l == line), "missing {line:?} in\n{err}");
    }
    let en = p.fails(1, &["--lang", "en", "import", &f]);
    assert!(
        en.contains("unknown criticality \"peut-être\"; accepted values: Critical, Major, Minor"),
        "{en}"
    );
}

#[test]
fn one_bad_row_writes_nothing() {
    let p = with_delivery();
    let f = fixture(&p, "cahier_immatriculation.xlsx");
    p.ok(&["import", &f, "--delivery", "LIV-1"]);
    write_xlsx(
        &p.path().join("un_mauvais.xlsx"),
        &[(
            "Exigences",
            vec![
                vec!["Réf. exigence", "Libellé", "Criticité"],
                vec!["EXI-NEW-001", "Nouvelle exigence", "Critique"],
                vec!["EXI-IMM-001", "Titre changé", "Critique"],
                vec!["EXI-NEW-002", "Mauvaise", "très haute"],
            ],
        )],
    );
    let before = state(&p);
    let err = p.fails(1, &["import", "un_mauvais.xlsx"]);
    assert!(
        err.contains("un_mauvais.xlsx › Exigences › ligne 4 › C « Criticité » : criticité inconnue « très haute »"),
        "{err}"
    );
    assert_eq!(state(&p), before, "nothing written, not even the audit log");
}

#[test]
fn partial_skips_and_lists_bad_rows() {
    let p = Project::new();
    let f = fixture(&p, "cahier_errone.xlsx");
    let out = p.ok(&["import", &f, "--partial"]);
    assert!(out.contains("Erreurs :"), "{out}");
    assert!(
        out.contains("cahier_errone.xlsx › Exigences › ligne 4 › C « Criticité »"),
        "{out}"
    );
    let reqs: Vec<String> = p
        .json(&["req", "list"])
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["ref"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(reqs, ["EXI-IMM-001"], "the bad row EXI-IMM-002 is skipped");
    let v = p.json(&["import", &f, "--partial"]);
    assert_eq!(v["records"]["issues"].as_array().unwrap().len(), 7);
}

#[test]
fn second_import_is_all_unchanged() {
    let p = with_delivery();
    let f = fixture(&p, "cahier_immatriculation.xlsx");
    p.ok(&["import", &f, "--delivery", "LIV-1"]);
    let before = state(&p);
    let v = p.json(&["import", &f, "--delivery", "LIV-1"]);
    assert_eq!(
        v["records"]["totals"],
        json!({"created": 0, "updated": 0, "unchanged": 24, "skipped": 0})
    );
    let after = state(&p);
    assert_eq!(after["req"], before["req"]);
    assert_eq!(after["test"], before["test"]);
    assert_eq!(after["link"], before["link"]);
    assert_eq!(after["anomaly"], before["anomaly"]);
}

#[test]
fn changed_requirement_text_makes_revision_2_and_suspect_links() {
    let p = with_delivery();
    let v1 = fixture(&p, "cahier_immatriculation.xlsx");
    let v2 = fixture(&p, "cahier_immatriculation_v2.xlsx");
    p.ok(&["import", &v1, "--delivery", "LIV-1"]);
    assert_eq!(p.json(&["link", "list", "--suspect"]), json!([]));
    let v = p.json(&["import", &v2, "--delivery", "LIV-1"]);
    let exi = v["records"]["sheets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["sheet"] == "Exigences")
        .cloned()
        .unwrap();
    assert_eq!(exi["updated"], 1);
    assert_eq!(exi["unchanged"], 5);
    let r = p.json(&["req", "show", "EXI-IMM-001"]);
    assert_eq!(r["revision"], 2);
    assert_eq!(
        r["description"],
        "Le système attribue un numéro AA-123-AA en moins de 2 secondes"
    );
    assert_eq!(
        p.json(&["link", "list", "--suspect"]),
        json!([{"requirement": "EXI-IMM-001", "test": "CT-IMM-001", "suspect": true}])
    );
}

/// An import audits its creations by a few rows listing the references (not one row per
/// requirement, test or link), `log --ref` still finds them, and an update keeps its own row
/// with the fields before and after.
#[test]
fn import_audits_creations_in_bulk_and_updates_one_by_one() {
    let p = with_delivery();
    let v1 = fixture(&p, "cahier_immatriculation.xlsx");
    let v2 = fixture(&p, "cahier_immatriculation_v2.xlsx");
    p.ok(&["import", &v1, "--delivery", "LIV-1"]);
    let log = p.json(&["log"]);
    let creates: Vec<&Value> = log
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "create" && e["ref"] == v1.as_str())
        .collect();
    let entities: Vec<&str> = creates
        .iter()
        .map(|e| e["entity"].as_str().unwrap())
        .collect();
    assert_eq!(entities, ["exigence", "cas de test", "lien"]);
    assert_eq!(creates[0]["after"]["import"], v1.as_str());
    assert_eq!(creates[0]["after"]["part"], 1);
    assert_eq!(creates[0]["after"]["refs"].as_array().unwrap().len(), 6);
    assert!(creates[2]["after"]["refs"]
        .as_array()
        .unwrap()
        .contains(&json!("EXI-IMM-001 -> CT-IMM-001")));
    // No row of its own for a created requirement; `log --ref` finds it in the list.
    let own = p.json(&["log", "--ref", "EXI-IMM-001"]);
    assert_eq!(own.as_array().unwrap().len(), 1, "{own}");
    assert_eq!(own[0]["entity"], "exigence");
    assert!(own[0]["after"]["refs"]
        .as_array()
        .unwrap()
        .contains(&json!("EXI-IMM-001")));
    assert_eq!(p.json(&["log", "--ref", "EXI-IMM-999"]), json!([]));
    // The update made by the second version is one row with before and after.
    p.ok(&["import", &v2, "--delivery", "LIV-1"]);
    let own = p.json(&["log", "--ref", "EXI-IMM-001"]);
    let own = own.as_array().unwrap();
    assert_eq!(own.len(), 2, "{own:?}");
    assert_eq!(own[1]["action"], "update");
    assert_eq!(own[1]["ref"], "EXI-IMM-001");
    assert_eq!(own[0]["after"]["refs"].as_array().unwrap().len(), 6);
    assert_eq!(own[1]["before"]["revision"], 1);
    assert_eq!(own[1]["after"]["revision"], 2);
}

#[test]
fn csv_windows_1252_and_ods() {
    let p = with_delivery();
    let csv = fixture(&p, "exigences_win1252.csv");
    p.ok(&["import", &csv]);
    let r = p.json(&["req", "show", "EXI-IMM-102"]);
    assert_eq!(r["title"], "Calcul de la taxe; montant en €");
    assert_eq!(r["criticality"], "majeure");
    assert_eq!(
        p.json(&["req", "show", "EXI-IMM-103"])["title"],
        "Édition du récépissé"
    );

    // The offline execution sheet names its campaign and tests: they must exist.
    let cahier = fixture(&p, "cahier_immatriculation.xlsx");
    p.ok(&["import", &cahier, "--delivery", "LIV-1"]);
    p.ok(&["campaign", "create", "VABF-1", "--delivery", "LIV-1"]);
    let ods = fixture(&p, "execution_hors_ligne.ods");
    let v = p.json(&["import", &ods]);
    assert_eq!(v["records"]["campaign"], "VABF-1");
    assert_eq!(v["records"]["conflicts"], json!([]));
    let e = p.json(&["campaign", "show", "VABF-1"]);
    let tests = e["tests"].as_array().unwrap();
    let t1 = tests.iter().find(|t| t["ref"] == "CT-IMM-001").unwrap();
    assert_eq!(t1["status"], "failed");
    assert_eq!(t1["tester"], "C. Durand");
    assert_eq!(t1["executed_at"], "2026-03-14");
    assert_eq!(t1["anomalies"], json!(["FA-010"]));
    let t2 = tests.iter().find(|t| t["ref"] == "CT-IMM-002").unwrap();
    assert_eq!(
        t2["status"], "in_progress",
        "step 1 of 2 passed, no test status: in progress (the status follows from every step)"
    );
    assert_eq!(t2["executed_at"], "2026-03-15T14:05:00");
    assert!(
        !tests.iter().any(|t| t["ref"] == "CT-IMM-003"),
        "a test left blank is not recorded"
    );
    // FA-010 did not exist: created, its title saying where it came from.
    let fa = p.json(&["anomaly", "list"]);
    let fa10 = fa
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["ref"] == "FA-010")
        .unwrap();
    assert_eq!(
        fa10["title"],
        "FA-010 (créée à l'import : execution_hors_ligne.ods › Exécution › ligne 2)"
    );
}

#[test]
fn printed_mapping_gives_the_same_result() {
    let p = with_delivery();
    let f = fixture(&p, "cahier_immatriculation.xlsx");
    let toml = p.ok(&["import", &f, "--print-mapping"]);
    assert!(toml.contains("kind = \"test_cases\""), "{toml}");
    std::fs::write(p.path().join("correspondance.toml"), &toml).unwrap();
    // The same plan, except the reason given for ignored sheets ("ignored by the mapping").
    let without_reasons = |mut v: Value| {
        for s in v["records"]["sheets"].as_array_mut().unwrap() {
            s.as_object_mut().unwrap().remove("reason");
        }
        v
    };
    let detected = without_reasons(p.json(&["import", &f, "--delivery", "LIV-1", "--dry-run"]));
    let mapped = without_reasons(p.json(&[
        "import",
        &f,
        "--delivery",
        "LIV-1",
        "--dry-run",
        "--mapping",
        "correspondance.toml",
    ]));
    assert_eq!(mapped, detected);
}

#[test]
fn results_with_delivery_go_to_import_campaign() {
    let p = with_delivery();
    let f = fixture(&p, "cahier_immatriculation.xlsx");
    p.ok(&["import", &f, "--delivery", "LIV-1"]);
    let c = p.json(&["campaign", "show", "IMPORT-LIV-1"]);
    assert_eq!(c["campaign"]["delivery"], "LIV-1");
    let statuses: Vec<(String, String)> = c["tests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["ref"].as_str().unwrap().to_string(),
                t["status"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(statuses.len(), 6, "{statuses:?}");
    assert!(statuses.contains(&("CT-IMM-002".into(), "failed".into())));
    assert!(statuses.contains(&("102".into(), "not_applicable".into())));
}

#[test]
fn blank_step_and_tag_cells_keep_stored_steps_and_tags() {
    let p = Project::small();
    write_xlsx(
        &p.path().join("titres.xlsx"),
        &[(
            "Cas de test",
            vec![
                vec![
                    "Réf.",
                    "Intitulé",
                    "Étiquettes",
                    "Action",
                    "Résultat attendu",
                ],
                vec!["CT-001", "Création d'un dossier", "", "", ""],
            ],
        )],
    );
    let before = p.json(&["test", "show", "CT-001"]);
    assert_eq!(before["steps"].as_array().unwrap().len(), 2);
    let v = p.json(&["import", "titres.xlsx"]);
    assert_eq!(v["records"]["totals"]["updated"], 1);
    let after = p.json(&["test", "show", "CT-001"]);
    assert_eq!(after["title"], "Création d'un dossier");
    assert_eq!(after["steps"], before["steps"]);
    assert_eq!(after["tags"], json!(["smoke"]));

    // Steps and tags written in the sheet do replace the stored ones.
    write_xlsx(
        &p.path().join("etapes.xlsx"),
        &[(
            "Cas de test",
            vec![
                vec![
                    "Réf.",
                    "Intitulé",
                    "Étiquettes",
                    "Action",
                    "Résultat attendu",
                ],
                vec![
                    "CT-001",
                    "Création d'un dossier",
                    "vabf",
                    "Ouvrir",
                    "Formulaire",
                ],
            ],
        )],
    );
    p.ok(&["import", "etapes.xlsx"]);
    let t = p.json(&["test", "show", "CT-001"]);
    assert_eq!(
        t["steps"],
        json!([{"action": "Ouvrir", "expected": "Formulaire"}])
    );
    assert_eq!(t["tags"], json!(["vabf"]));
}

/// A refused row applies nothing: a step row refused under a test case refuses the whole test
/// case with `--partial` (before, the test was imported with the refused row's step).
#[test]
fn partial_applies_nothing_of_a_refused_step_row() {
    let p = Project::new();
    write_xlsx(
        &p.path().join("etapes.xlsx"),
        &[(
            "Cas de test",
            vec![
                vec![
                    "Référence",
                    "Intitulé",
                    "N° étape",
                    "Action",
                    "Résultat attendu",
                ],
                vec!["CT-1", "Création", "1", "Ouvrir", "Formulaire"],
                vec!["", "", "deux", "Valider", "Dossier créé"],
                vec!["CT-2", "Paiement", "1", "Payer", "Reçu"],
                vec!["", "", "2", "Imprimer", "Reçu imprimé"],
            ],
        )],
    );
    let err = p.fails(1, &["import", "etapes.xlsx"]);
    assert!(err.contains("ligne 3"), "{err}");
    let out = p.ok(&["import", "etapes.xlsx", "--partial"]);
    assert!(out.contains("ligne 3"), "{out}");
    let tests = p.json(&["test", "list"]);
    let refs: Vec<&str> = tests
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["ref"].as_str().unwrap())
        .collect();
    assert_eq!(
        refs,
        ["CT-2"],
        "CT-1 has a refused row: nothing of it applied"
    );
    let ct2 = p.json(&["test", "show", "CT-2"]);
    assert_eq!(ct2["steps"].as_array().unwrap().len(), 2);
}
