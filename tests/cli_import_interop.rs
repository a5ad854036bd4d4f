//! `recette import` on ReqIF, TestLink and Squash TM files, end to end through the binary.

mod common;

use common::{fixture, Project};
use serde_json::{json, Value};

fn mapping() -> String {
    fixture("interop/doors-mapping.toml")
}

fn refs(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x["ref"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn reqif_without_mapping_is_refused_with_origin_and_writes_nothing() {
    let p = Project::new();
    let err = p.fails(1, &["import", &fixture("interop/immatriculation-v1.reqif")]);
    assert!(
        err.contains("immatriculation-v1.reqif › CCTP SIV - Immatriculation › ligne 151 : EXI-IMM-003 : statut d'exigence inconnu « En revue »"),
        "{err}"
    );
    assert_eq!(p.json(&["req", "list"]), json!([]));
}

#[test]
fn reqif_then_newer_reqif_makes_revisions_and_suspect_links() {
    let p = Project::new();
    let plan = p.json(&[
        "import",
        &fixture("interop/immatriculation-v1.reqif"),
        "--reqif-mapping",
        &mapping(),
        "--dry-run",
    ]);
    assert_eq!(plan["dry_run"], true);
    assert_eq!(plan["records"]["totals"]["created"], 12);
    assert_eq!(p.json(&["req", "list"]), json!([]));
    p.ok(&[
        "import",
        &fixture("interop/immatriculation-v1.reqif"),
        "--reqif-mapping",
        &mapping(),
    ]);
    let reqs = p.json(&["req", "list"]);
    assert_eq!(reqs.as_array().map(Vec::len), Some(8));
    let r3 = p.json(&["req", "show", "EXI-IMM-003"]);
    assert_eq!(
        r3["status"], "brouillon",
        "« En revue » mapped to brouillon"
    );
    assert!(
        !r3["category"].as_str().unwrap().is_empty(),
        "chapter heading becomes the category"
    );
    // Test objects linked by SPEC-RELATIONS become test cases.
    assert_eq!(
        refs(&p.json(&["test", "list"])),
        ["CT-IMM-010", "CT-IMM-011"]
    );
    // Same file again: nothing changes.
    let again = p.json(&[
        "import",
        &fixture("interop/immatriculation-v1.reqif"),
        "--reqif-mapping",
        &mapping(),
    ]);
    assert_eq!(again["records"]["totals"]["created"], 0);
    assert_eq!(again["records"]["totals"]["updated"], 0);
    // v2: two texts changed, one requirement added.
    let v2 = p.json(&[
        "import",
        &fixture("interop/immatriculation-v2.reqif"),
        "--reqif-mapping",
        &mapping(),
    ]);
    assert_eq!(v2["records"]["totals"]["created"], 1);
    assert_eq!(v2["records"]["totals"]["updated"], 2);
    assert_eq!(p.json(&["req", "show", "EXI-IMM-005"])["revision"], 2);
    assert_eq!(
        p.json(&["link", "list", "--suspect"]),
        json!([
            {"requirement": "EXI-IMM-005", "test": "CT-IMM-011", "suspect": true},
        ])
    );
}

#[test]
fn reqifz_archive_imports_like_the_reqif() {
    let a = Project::new();
    a.ok(&[
        "import",
        &fixture("interop/immatriculation-v1.reqif"),
        "--reqif-mapping",
        &mapping(),
    ]);
    let b = Project::new();
    b.ok(&[
        "import",
        &fixture("interop/immatriculation-v1.reqifz"),
        "--reqif-mapping",
        &mapping(),
    ]);
    let strip = |mut v: Value| {
        for r in v.as_array_mut().unwrap() {
            r.as_object_mut().unwrap().remove("source");
        }
        v
    };
    assert_eq!(
        strip(a.json(&["req", "list"])),
        strip(b.json(&["req", "list"]))
    );
}

#[test]
fn hostile_reqif_files_are_refused() {
    let p = Project::new();
    for (file, expect) in [
        ("xxe.reqif", "DOCTYPE"),
        ("billion-laughs.reqif", "DOCTYPE"),
        ("truncated.reqif", "ligne"),
    ] {
        let err = p.fails(1, &["import", &fixture(&format!("interop/hostile/{file}"))]);
        assert!(err.contains(file) && err.contains(expect), "{file}: {err}");
    }
    assert_eq!(p.json(&["req", "list"]), json!([]));
}

#[test]
fn testlink_suites_with_steps_keywords_and_requirements() {
    let p = Project::new();
    p.ok(&[
        "import",
        &fixture("interop/immatriculation-v1.reqif"),
        "--reqif-mapping",
        &mapping(),
    ]);
    p.ok(&[
        "import",
        &fixture("interop/testlink-testsuite.xml"),
        "--testlink-prefix",
        "SIV",
    ]);
    let t = p.json(&["test", "show", "SIV-10"]);
    assert_eq!(t["requirements"], json!(["EXI-IMM-003", "EXI-IMM-004"]));
    assert_eq!(t["steps"].as_array().map(Vec::len), Some(2));
    assert!(t["category"].as_str().unwrap().contains("Immatriculation"));
    assert_eq!(p.json(&["test", "show", "SIV-11"])["kind"], "automated");
    // HTML in TestLink fields never comes through as markup.
    let all = p.ok(&["test", "list", "--json"]);
    assert!(!all.contains("<script"), "{all}");
}

#[test]
fn squash_workbooks_read_together() {
    let p = Project::new();
    p.ok(&[
        "import",
        &fixture("interop/squash-exigences.xlsx"),
        &fixture("interop/squash-cas-de-test.xlsx"),
    ]);
    let reqs = p.json(&["req", "list"]);
    assert_eq!(reqs.as_array().map(Vec::len), Some(5));
    let tests = p.json(&["test", "list"]);
    assert_eq!(tests.as_array().map(Vec::len), Some(3));
    assert!(!p.json(&["link", "list"]).as_array().unwrap().is_empty());
}

#[test]
fn reqif_export_round_trip_and_results_as_attributes() {
    let p = Project::small();
    p.ok(&[
        "req",
        "edit",
        "EXI-002",
        "--description",
        "Paiement par carte\n\n- 3-D Secure\n- reçu émis",
        "--source",
        "CCTP v2",
    ]);
    p.ok(&["campaign", "add", "C1", "--all"]);
    p.ok(&["run", "C1", "CT-001", "--status", "OK"]);
    p.ok(&["run", "C1", "CT-002", "--status", "KO"]);
    let out = p.path().join("export.reqif");
    let msg = p.ok(&["export", "reqif", out.to_str().unwrap()]);
    assert!(msg.contains("3 exigence(s)"), "{msg}");
    let text = std::fs::read_to_string(&out).unwrap();
    // Coverage and latest status travel as enumeration attributes.
    assert!(
        text.contains("EV-RESULT-failed") && text.contains("EV-COVERAGE-uncovered"),
        "{text}"
    );
    // Export then import into the same store changes nothing.
    let plan = p.json(&["import", out.to_str().unwrap(), "--dry-run"]);
    assert_eq!(plan["records"]["totals"]["unchanged"], 3, "{plan}");
    assert_eq!(plan["records"]["totals"]["updated"], 0, "{plan}");
    // Into a fresh store it reproduces the requirements.
    let fresh = Project::new();
    fresh.ok(&["import", out.to_str().unwrap()]);
    let strip = |mut v: Value| {
        for r in v.as_array_mut().unwrap() {
            r.as_object_mut().unwrap().remove("revision");
            r.as_object_mut().unwrap().remove("content_hash");
        }
        v
    };
    assert_eq!(
        strip(fresh.json(&["req", "list"])),
        strip(p.json(&["req", "list"]))
    );
}

// Problems found while reading interoperability files are worded in the user's language:
// French by default, English with `--lang en` or `RECETTE_LANG=en`.

/// Writes `text` to `name` in the project folder and returns its path.
fn write_file(p: &Project, name: &str, text: &str) -> String {
    let path = p.path().join(name);
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_string()
}

/// Asserts that every expected text is in `out`.
fn assert_all(out: &str, expected: &[&str]) {
    for e in expected {
        assert!(out.contains(e), "missing {e:?} in:\n{out}");
    }
}

/// Asserts that none of the texts is in `out`.
fn assert_none(out: &str, unexpected: &[&str]) {
    for e in unexpected {
        assert!(!out.contains(e), "unexpected {e:?} in:\n{out}");
    }
}

/// A ReqIF document with an unknown criticality, a duplicate reference and a hierarchy entry
/// naming an object that does not exist.
const BAD_REQIF: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<REQ-IF xmlns="http://www.omg.org/spec/ReqIF/20110401/reqif.xsd">
  <THE-HEADER><REQ-IF-HEADER IDENTIFIER="H"><TITLE>Mauvais</TITLE></REQ-IF-HEADER></THE-HEADER>
  <CORE-CONTENT><REQ-IF-CONTENT>
    <DATATYPES><DATATYPE-DEFINITION-STRING IDENTIFIER="DT-S" MAX-LENGTH="1000"/></DATATYPES>
    <SPEC-TYPES>
      <SPEC-OBJECT-TYPE IDENTIFIER="T-REQ" LONG-NAME="Requirement"><SPEC-ATTRIBUTES>
        <ATTRIBUTE-DEFINITION-STRING IDENTIFIER="AD-ID" LONG-NAME="ReqIF.ForeignID"><TYPE><DATATYPE-DEFINITION-STRING-REF>DT-S</DATATYPE-DEFINITION-STRING-REF></TYPE></ATTRIBUTE-DEFINITION-STRING>
        <ATTRIBUTE-DEFINITION-STRING IDENTIFIER="AD-NAME" LONG-NAME="ReqIF.Name"><TYPE><DATATYPE-DEFINITION-STRING-REF>DT-S</DATATYPE-DEFINITION-STRING-REF></TYPE></ATTRIBUTE-DEFINITION-STRING>
        <ATTRIBUTE-DEFINITION-STRING IDENTIFIER="AD-CRIT" LONG-NAME="Criticality"><TYPE><DATATYPE-DEFINITION-STRING-REF>DT-S</DATATYPE-DEFINITION-STRING-REF></TYPE></ATTRIBUTE-DEFINITION-STRING>
      </SPEC-ATTRIBUTES></SPEC-OBJECT-TYPE>
    </SPEC-TYPES>
    <SPEC-OBJECTS>
      <SPEC-OBJECT IDENTIFIER="O1"><TYPE><SPEC-OBJECT-TYPE-REF>T-REQ</SPEC-OBJECT-TYPE-REF></TYPE><VALUES>
        <ATTRIBUTE-VALUE-STRING THE-VALUE="EXI-1"><DEFINITION><ATTRIBUTE-DEFINITION-STRING-REF>AD-ID</ATTRIBUTE-DEFINITION-STRING-REF></DEFINITION></ATTRIBUTE-VALUE-STRING>
        <ATTRIBUTE-VALUE-STRING THE-VALUE="Première"><DEFINITION><ATTRIBUTE-DEFINITION-STRING-REF>AD-NAME</ATTRIBUTE-DEFINITION-STRING-REF></DEFINITION></ATTRIBUTE-VALUE-STRING>
        <ATTRIBUTE-VALUE-STRING THE-VALUE="Énorme"><DEFINITION><ATTRIBUTE-DEFINITION-STRING-REF>AD-CRIT</ATTRIBUTE-DEFINITION-STRING-REF></DEFINITION></ATTRIBUTE-VALUE-STRING>
      </VALUES></SPEC-OBJECT>
      <SPEC-OBJECT IDENTIFIER="O2"><TYPE><SPEC-OBJECT-TYPE-REF>T-REQ</SPEC-OBJECT-TYPE-REF></TYPE><VALUES>
        <ATTRIBUTE-VALUE-STRING THE-VALUE="EXI-1"><DEFINITION><ATTRIBUTE-DEFINITION-STRING-REF>AD-ID</ATTRIBUTE-DEFINITION-STRING-REF></DEFINITION></ATTRIBUTE-VALUE-STRING>
        <ATTRIBUTE-VALUE-STRING THE-VALUE="Doublon"><DEFINITION><ATTRIBUTE-DEFINITION-STRING-REF>AD-NAME</ATTRIBUTE-DEFINITION-STRING-REF></DEFINITION></ATTRIBUTE-VALUE-STRING>
      </VALUES></SPEC-OBJECT>
    </SPEC-OBJECTS>
    <SPECIFICATIONS><SPECIFICATION IDENTIFIER="S1" LONG-NAME="Spec"><CHILDREN>
      <SPEC-HIERARCHY IDENTIFIER="H1"><OBJECT><SPEC-OBJECT-REF>O1</SPEC-OBJECT-REF></OBJECT></SPEC-HIERARCHY>
      <SPEC-HIERARCHY IDENTIFIER="H2"><OBJECT><SPEC-OBJECT-REF>O2</SPEC-OBJECT-REF></OBJECT></SPEC-HIERARCHY>
      <SPEC-HIERARCHY IDENTIFIER="H3"><OBJECT><SPEC-OBJECT-REF>FANTOME</SPEC-OBJECT-REF></OBJECT></SPEC-HIERARCHY>
    </CHILDREN></SPECIFICATION></SPECIFICATIONS>
  </REQ-IF-CONTENT></CORE-CONTENT>
</REQ-IF>
"#;

#[test]
fn reqif_problems_in_english_on_request() {
    let p = Project::new();
    let v1 = fixture("interop/immatriculation-v1.reqif");
    let err = p.fails(1, &["--lang", "en", "import", &v1]);
    assert_all(
        &err,
        &[
            "immatriculation-v1.reqif › CCTP SIV - Immatriculation › row 151: EXI-IMM-003: unknown requirement status \"En revue\"; accepted values: ",
            " (or add the value to the [status] section of the ReqIF mapping)",
        ],
    );
    assert_none(&err, &["inconnu", "correspondance", "ligne"]);
    // RECETTE_LANG=en does the same.
    let out = p
        .cmd()
        .env("RECETTE_LANG", "en")
        .args(["import", &v1])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("(or add the value to the [status] section of the ReqIF mapping)"),
        "{err}"
    );

    let bad = write_file(&p, "mauvais.reqif", BAD_REQIF);
    let err = p.fails(1, &["--lang", "en", "import", &bad]);
    assert_all(
        &err,
        &[
            "mauvais.reqif › Spec › row 14: EXI-1: unknown criticality \"Énorme\"; accepted values: ",
            " (or add the value to the [criticality] section of the ReqIF mapping)",
            "mauvais.reqif › Spec › row 19: duplicate reference \"EXI-1\" in the document",
            "mauvais.reqif › Spec › row 27: SPEC-HIERARCHY points to an unknown SPEC-OBJECT \"FANTOME\"",
        ],
    );
    assert_none(&err, &["inconnu", "en double", "désigne"]);
    // French by default, worded as before.
    let err = p.fails(1, &["import", &bad]);
    assert_all(
        &err,
        &[
            "mauvais.reqif › Spec › ligne 14 : EXI-1 : criticité inconnue « Énorme » ; valeurs acceptées : ",
            " (ou ajoutez la valeur à la section [criticality] de la correspondance ReqIF)",
            "mauvais.reqif › Spec › ligne 19 : référence « EXI-1 » en double dans le document",
            "mauvais.reqif › Spec › ligne 27 : SPEC-HIERARCHY désigne un SPEC-OBJECT inconnu « FANTOME »",
        ],
    );
    assert_eq!(p.json(&["req", "list"]), json!([]));
}

#[test]
fn reqif_sheet_reasons_in_english_on_request() {
    let p = Project::new();
    let args = |lang: &'static str| {
        vec![
            "--lang".to_string(),
            lang.to_string(),
            "import".to_string(),
            fixture("interop/immatriculation-v1.reqifz"),
            "--reqif-mapping".to_string(),
            mapping(),
            "--dry-run".to_string(),
        ]
    };
    let reasons = |lang: &'static str| -> Vec<String> {
        let a = args(lang);
        let a: Vec<&str> = a.iter().map(String::as_str).collect();
        p.json(&a)["records"]["sheets"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|s| s["reason"].as_str().map(str::to_string))
            .collect()
    };
    let en = reasons("en").join("\n");
    assert_all(
        &en,
        &[
            "1 relation(s) between requirements or to unknown objects ignored",
            "attributes not imported: Testable, Poids, Date de revue",
            "attachment, not a ReqIF document",
        ],
    );
    let fr = reasons("fr").join("\n");
    assert_all(
        &fr,
        &[
            "1 relation(s) entre exigences ou vers des objets inconnus ignorée(s)",
            "attributs non repris : Testable, Poids, Date de revue",
            "pièce jointe, pas un document ReqIF",
        ],
    );
}

/// A TestLink test suite: a test case without external id, unknown importance and execution
/// type, a duplicate external id.
const BAD_TESTSUITE: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<testsuite name="Racine">
  <testcase name="Sans identifiant"><summary>x</summary></testcase>
  <testcase name="A"><externalid>1</externalid><importance>7</importance><execution_type>9</execution_type></testcase>
  <testcase name="B"><externalid>1</externalid></testcase>
</testsuite>
"#;

/// A TestLink requirement specification: a requirement without docid, an unknown status.
const BAD_REQ_SPEC: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<requirement-specification>
  <req_spec title="Spec">
    <requirement><title>Sans docid</title></requirement>
    <requirement><docid>R-1</docid><title>Statut</title><status>Z</status></requirement>
  </req_spec>
</requirement-specification>
"#;

#[test]
fn testlink_problems_in_english_on_request() {
    let p = Project::new();
    let suite = write_file(&p, "suite.xml", BAD_TESTSUITE);
    let err = p.fails(1, &["--lang", "en", "import", &suite]);
    assert_all(
        &err,
        &[
            "suite.xml › Racine › row 3: test case \"Sans identifiant\" has no <externalid>: it cannot be given a reference",
            "suite.xml › Racine › row 4: 1: unknown <importance> \"7\" (1, 2 or 3 expected)",
            "suite.xml › Racine › row 4: 1: unknown <execution_type> \"9\" (1 for manual or 2 for automated expected)",
            "suite.xml › Racine › row 5: duplicate reference \"1\" in the file",
        ],
    );
    assert_none(&err, &["sans <externalid>", "inconnu", "en double"]);
    let err = p.fails(1, &["import", &suite]);
    assert_all(
        &err,
        &[
            "suite.xml › Racine › ligne 3 : cas de test « Sans identifiant » sans <externalid> : impossible de lui donner une référence",
            "suite.xml › Racine › ligne 4 : 1 : <importance> « 7 » inconnue (1, 2 ou 3 attendu)",
            "suite.xml › Racine › ligne 4 : 1 : <execution_type> « 9 » inconnu (1 manuel ou 2 automatisé attendu)",
            "suite.xml › Racine › ligne 5 : référence « 1 » en double dans le fichier",
        ],
    );

    let spec = write_file(&p, "exigences.xml", BAD_REQ_SPEC);
    let err = p.fails(1, &["--lang", "en", "import", &spec]);
    assert_all(
        &err,
        &[
            "exigences.xml › Spec › row 4: requirement without <docid>: it cannot be given a reference",
            "exigences.xml › Spec › row 5: R-1: unknown requirement status \"Z\"; accepted values: ",
            " (or a TestLink code D, R, W, F, I, V, N, O)",
        ],
    );
    assert_none(&err, &["sans <docid>", "inconnu", "code TestLink"]);
    let err = p.fails(1, &["import", &spec]);
    assert_all(
        &err,
        &[
            "exigences.xml › Spec › ligne 4 : exigence sans <docid> : impossible de lui donner une référence",
            "exigences.xml › Spec › ligne 5 : R-1 : statut d'exigence inconnu « Z » ; valeurs acceptées : ",
            " (ou code TestLink D, R, W, F, I, V, N, O)",
        ],
    );
    assert_eq!(p.json(&["test", "list"]), json!([]));
    assert_eq!(p.json(&["req", "list"]), json!([]));
}

/// Writes a Squash TM workbook with one problem of each kind.
fn bad_squash_workbook(path: &std::path::Path) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let sheets: [(&str, &[&[&str]]); 5] = [
        (
            "TEST_CASES",
            &[
                &[
                    "ACTION",
                    "TC_PATH",
                    "TC_REFERENCE",
                    "TC_NAME",
                    "TC_IMPORTANCE",
                ],
                &["C", "/P/Dossier/Cas 1", "CT-1", "Cas 1", "ENORME"],
                &["D", "/P/Cas 2", "CT-2", "Cas 2", ""],
                &["C", "/P/Cas 3", "CT-1", "Cas 3", ""],
                &["C", "", "", "Sans chemin", ""],
            ],
        ),
        (
            "STEPS",
            &[
                &["TC_OWNER_PATH", "TC_STEP_ACTION"],
                &["/P/Fantome", "Faire"],
            ],
        ),
        (
            "REQUIREMENT",
            &[
                &[
                    "REQ_PATH",
                    "REQ_VERSION_REFERENCE",
                    "REQ_VERSION_CRITICALITY",
                    "REQ_VERSION_STATUS",
                ],
                &["/P/Exigence", "EXI-1", "ENORME", "BIZARRE"],
                &["/P/Sans reference", "", "", ""],
            ],
        ),
        (
            "COVERAGE",
            &[
                &["REQ_PATH", "TC_PATH"],
                &["/P/Inconnue", "/P/Dossier/Cas 1"],
                &["/P/Exigence", "/P/Inconnu"],
            ],
        ),
        ("LINK_REQ_TC", &[&["AUTRE"], &["x"]]),
    ];
    for (name, rows) in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(name).unwrap();
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                ws.write_string(r as u32, c as u16, *v).unwrap();
            }
        }
    }
    wb.save(path).unwrap();
}

#[test]
fn squash_problems_in_english_on_request() {
    let p = Project::new();
    let path = p.path().join("squash.xlsx");
    bad_squash_workbook(&path);
    let file = path.to_str().unwrap();
    let err = p.fails(1, &["--lang", "en", "import", file]);
    assert_all(
        &err,
        &[
            "TEST_CASES › row 2 › E \"TC_IMPORTANCE\": unknown TC_IMPORTANCE \"ENORME\" (VERY_HIGH, HIGH, MEDIUM or LOW expected)",
            "TEST_CASES › row 3 › A \"ACTION\": ACTION \"D\" not supported: only creations (C) and updates (U) are imported",
            "TEST_CASES › row 4 › C \"TC_REFERENCE\": duplicate reference \"CT-1\"",
            "TEST_CASES › row 5: TC_PATH (/Project/.../Name) and TC_REFERENCE are required",
            "STEPS › row 2 › A \"TC_OWNER_PATH\": no test case \"/P/Fantome\" in the TEST_CASES sheets of the workbooks read",
            "REQUIREMENT › row 2 › C \"REQ_VERSION_CRITICALITY\": unknown criticality \"ENORME\"; accepted values: ",
            " (or CRITICAL, MAJOR, MINOR, UNDEFINED)",
            "REQUIREMENT › row 2 › D \"REQ_VERSION_STATUS\": unknown requirement status \"BIZARRE\"; accepted values: ",
            " (or WORK_IN_PROGRESS, UNDER_REVIEW, APPROVED, OBSOLETE)",
            "REQUIREMENT › row 3: REQ_PATH (/Project/.../Name) and REQ_VERSION_REFERENCE are required",
            "COVERAGE › row 2 › A \"REQ_PATH\": requirement \"/P/Inconnue\" is in no REQUIREMENT sheet of the workbooks read (read the requirement and test case workbooks together)",
            "COVERAGE › row 3 › B \"TC_PATH\": test case \"/P/Inconnu\" is in no TEST_CASES sheet of the workbooks read (read the requirement and test case workbooks together)",
            "LINK_REQ_TC › row 1: missing required column(s): REQ_PATH, TC_PATH; headers found: AUTRE",
        ],
    );
    assert_none(
        &err,
        &[
            "« ",
            "inconnu",
            "en double",
            "sont obligatoires",
            "absente",
            "ligne",
        ],
    );
    let err = p.fails(1, &["import", file]);
    assert_all(
        &err,
        &[
            "TEST_CASES › ligne 2 › E « TC_IMPORTANCE » : TC_IMPORTANCE « ENORME » inconnue (VERY_HIGH, HIGH, MEDIUM ou LOW attendu)",
            "TEST_CASES › ligne 3 › A « ACTION » : ACTION « D » non prise en charge : seules la création (C) et la mise à jour (U) sont importées",
            "TEST_CASES › ligne 4 › C « TC_REFERENCE » : référence « CT-1 » en double",
            "TEST_CASES › ligne 5 : TC_PATH (/Projet/.../Nom) et TC_REFERENCE sont obligatoires",
            "STEPS › ligne 2 › A « TC_OWNER_PATH » : pas de cas de test « /P/Fantome » dans la feuille TEST_CASES des classeurs lus",
            "REQUIREMENT › ligne 2 › C « REQ_VERSION_CRITICALITY » : criticité inconnue « ENORME » ; valeurs acceptées : ",
            " (ou CRITICAL, MAJOR, MINOR, UNDEFINED)",
            "REQUIREMENT › ligne 2 › D « REQ_VERSION_STATUS » : statut d'exigence inconnu « BIZARRE » ; valeurs acceptées : ",
            " (ou WORK_IN_PROGRESS, UNDER_REVIEW, APPROVED, OBSOLETE)",
            "REQUIREMENT › ligne 3 : REQ_PATH (/Projet/.../Nom) et REQ_VERSION_REFERENCE sont obligatoires",
            "COVERAGE › ligne 2 › A « REQ_PATH » : exigence « /P/Inconnue » absente des feuilles REQUIREMENT des classeurs lus (lisez ensemble les classeurs d'exigences et de cas de test)",
            "COVERAGE › ligne 3 › B « TC_PATH » : cas de test « /P/Inconnu » absent des feuilles TEST_CASES des classeurs lus (lisez ensemble les classeurs d'exigences et de cas de test)",
            "LINK_REQ_TC › ligne 1 : colonne(s) obligatoire(s) absente(s) : REQ_PATH, TC_PATH ; en-têtes trouvés : AUTRE",
        ],
    );
    assert_eq!(p.json(&["test", "list"]), json!([]));
}

#[test]
fn squash_sheet_reasons_in_english_on_request() {
    let p = Project::new();
    let path = p.path().join("squash-notes.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    for (name, rows) in [
        (
            "REQUIREMENT",
            vec![
                vec![
                    "REQ_PATH",
                    "REQ_VERSION_NUM",
                    "REQ_VERSION_REFERENCE",
                    "REQ_VERSION_NAME",
                    "NOTE",
                ],
                vec!["/P/Exigence", "1", "EXI-1", "Ancienne", ""],
                vec!["/P/Exigence", "2", "EXI-1", "Nouvelle", "x"],
            ],
        ),
        ("Notes", vec![vec!["Texte libre"]]),
    ] {
        let ws = wb.add_worksheet();
        ws.set_name(name).unwrap();
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                ws.write_string(r as u32, c as u16, *v).unwrap();
            }
        }
    }
    wb.save(&path).unwrap();
    let file = path.to_str().unwrap();
    let reasons = |lang: &str| -> String {
        p.json(&["--lang", lang, "import", file, "--dry-run"])["records"]["sheets"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|s| s["reason"].as_str().map(str::to_string))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_all(
        &reasons("en"),
        &[
            "1 earlier version(s) ignored; columns not imported: NOTE",
            "sheet not part of the Squash TM exchange format",
        ],
    );
    assert_all(
        &reasons("fr"),
        &[
            "1 version(s) antérieure(s) ignorée(s) ; colonnes non reprises : NOTE",
            "feuille inconnue du format d'échange Squash TM",
        ],
    );
}
