//! Workbooks that leave recette and come back: `export workbook` (round trip into the same
//! and into a fresh store, no formula anywhere), `campaign sheet` (offline execution filled by
//! a tester, conflicts with results recorded meanwhile), and `delivery import` (bordereau de
//! livraison, xlsx and CSV).

mod common;

use std::io::Read;
use std::path::Path;

use calamine::{open_workbook_auto, Data, Reader};
use common::{vendor_fixture as fixture, Project};
use serde_json::{json, Value};

/// The XML parts of an xlsx file, by name.
fn xml_parts(path: &Path) -> Vec<(String, String)> {
    let file = std::fs::File::open(path).expect("open");
    let mut zip = zip::ZipArchive::new(file).expect("zip");
    let mut out = Vec::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).expect("member");
        let name = f.name().map(|n| n.to_string()).unwrap_or_default();
        if name.ends_with(".xml") {
            let mut s = String::new();
            f.read_to_string(&mut s).expect("utf-8 xml");
            out.push((name, s));
        }
    }
    out
}

fn lists(p: &Project) -> Value {
    json!({
        "req": p.json(&["req", "list"]),
        "test": p.json(&["test", "list"]),
        "link": p.json(&["link", "list"]),
        "anomaly": p.json(&["anomaly", "list"]),
    })
}

/// The small project with results, anomalies and texts that look like formulas.
fn project() -> Project {
    let p = Project::small();
    p.ok(&[
        "req",
        "add",
        "EXI-004",
        "--title",
        "=HYPERLINK(\"http://x\";\"clic\")",
        "--description",
        "+33 687 12 34\n@SUM(A1:A9)",
        "--criticality",
        "mineure",
    ]);
    p.ok(&[
        "test",
        "add",
        "CT-004",
        "--title=-2 jours",
        "--step",
        "=1+1 => @x",
        "--step",
        "Saisir => \tRésultat",
        "--covers",
        "EXI-004",
    ]);
    p.ok(&["campaign", "add", "C1", "--all"]);
    p.ok(&[
        "anomaly",
        "add",
        "FA-1",
        "--title",
        "Création impossible",
        "--severity",
        "bloquante",
        "--found-in",
        "LIV-1",
    ]);
    p.ok(&[
        "run",
        "C1",
        "CT-001",
        "--status",
        "KO",
        "--anomaly",
        "FA-1",
        "--comment",
        "=cmd|' /C calc'!A0",
    ]);
    p.ok(&[
        "run",
        "C1",
        "CT-002",
        "--status",
        "OK",
        "--tester",
        "M. Wamytan",
        "--at",
        "2026-03-14T10:30:00",
    ]);
    p.ok(&["run", "C1", "CT-002", "--status", "Bloqué"]);
    p
}

#[test]
fn export_then_import_into_the_same_store_changes_nothing() {
    let p = project();
    let out = p.ok(&["export", "workbook", "projet.xlsx"]);
    assert!(out.starts_with("Classeur écrit : projet.xlsx : 1 livraison(s), 0 stratégie(s), 4 cas de test (6 étape(s)), 4 exigence(s), 5 lien(s), 1 campagne(s), 4 test(s) planifié(s), 3 tentative(s), 0 décision(s) signée(s), 1 anomalie(s)"), "{out}");
    let before = lists(&p);
    let log = p.json(&["log"]).as_array().unwrap().len();
    let v = p.json(&["import", "projet.xlsx"]);
    let t = &v["records"]["totals"];
    assert_eq!(t["created"], 0, "{v:#}");
    assert_eq!(t["updated"], 0, "{v:#}");
    assert_eq!(t["skipped"], 0, "{v:#}");
    // 8 settings, the delivery, requirements, tests, links, campaign, planned tests, attempts,
    // the anomaly.
    assert_eq!(t["unchanged"], 8 + 1 + 4 + 4 + 5 + 1 + 4 + 3 + 1);
    assert_eq!(v["records"]["conflicts"], json!([]));
    assert_eq!(lists(&p), before);
    // Only the import itself is logged.
    assert_eq!(p.json(&["log"]).as_array().unwrap().len(), log + 1);

    // Same store, same clock: the same bytes.
    p.ok(&["export", "workbook", "encore.xlsx"]);
    assert_eq!(
        std::fs::read(p.path().join("projet.xlsx")).unwrap(),
        std::fs::read(p.path().join("encore.xlsx")).unwrap()
    );
}

/// The export says what the workbook does not carry, with how much of it, in words and in
/// JSON; the demo project has some of everything.
#[test]
fn export_lists_what_the_workbook_does_not_carry() {
    let p = Project::new();
    p.ok(&["demo", "--out", "demo", "--json"]);
    let demo = p.path().join("demo").join("recette.db");
    let db = demo.to_str().unwrap();
    let out = p.ok(&["--db", db, "export", "workbook", "projet.xlsx"]);
    assert!(
        out.contains("Ce que le classeur ne porte pas (la base d'origine les garde) :"),
        "{out}"
    );
    for line in [
        "1 PV signé(s) : leurs fichiers scellés et leurs réserves restent dans la base d'origine",
        "8 annonce(s) de correction et document(s) de livraison",
        "2 version(s) antérieure(s) de cas de test",
        "20 étape(s) de l'historique des anomalies",
    ] {
        assert!(out.contains(line), "{line}: {out}");
    }
    // Deliveries, strategies, campaigns, plans, every attempt and step result are carried now.
    for gone in [
        "livraison(s) (avec",
        "campagne(s) (phase",
        "tentative(s) antérieure(s)",
    ] {
        assert!(!out.contains(gone), "{gone}: {out}");
    }
    let v = p.json(&["--db", db, "export", "workbook", "encore.xlsx"]);
    let kinds: Vec<&str> = v["not_carried"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["what"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        ["signoffs", "claims", "test_versions", "anomaly_history"],
        "{v}"
    );
    assert!(v["not_carried"]
        .as_array()
        .unwrap()
        .iter()
        .all(|n| n["count"].as_u64().unwrap() > 0));
    // A small project without deliveries, strategies or sign-offs lists only what it has.
    let small = project();
    let v = small.json(&["export", "workbook", "projet.xlsx"]);
    let kinds: Vec<&str> = v["not_carried"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["what"].as_str().unwrap())
        .collect();
    assert!(!kinds.contains(&"signoffs"), "{v}");
}

/// Every workbook recette writes prints well: each sheet A4 landscape, one page wide, its
/// header row repeated on every page, its name on top and "page X / Y" at the foot.
#[test]
fn every_workbook_prints_on_a4_landscape_with_its_header_repeated() {
    let p = Project::new();
    p.ok(&["demo", "--out", "demo", "--json"]);
    let db = p.path().join("demo").join("recette.db");
    let db = db.to_str().unwrap();
    p.ok(&["--db", db, "export", "workbook", "projet.xlsx"]);
    p.ok(&[
        "--db", db, "report", "VABF-2", "--format", "xlsx", "--out", "rapports",
    ]);
    p.ok(&["--db", db, "report", "copil", "--out", "copil"]);
    p.ok(&["--db", db, "campaign", "sheet", "VABF-2", "hors_ligne.xlsx"]);
    for file in [
        p.path().join("projet.xlsx"),
        p.path().join("rapports").join("matrice-VABF-2.xlsx"),
        p.path().join("copil").join("copil.xlsx"),
        p.path().join("hors_ligne.xlsx"),
    ] {
        let parts = xml_parts(&file);
        let sheets: Vec<&(String, String)> = parts
            .iter()
            .filter(|(n, _)| n.starts_with("xl/worksheets/sheet"))
            .collect();
        assert!(!sheets.is_empty(), "{}", file.display());
        for (name, xml) in &sheets {
            assert!(
                xml.contains(r#"<pageSetup paperSize="9" fitToHeight="0" orientation="landscape""#),
                "{} {name}: no A4 landscape page setup",
                file.display()
            );
            assert!(
                xml.contains(r#"<pageSetUpPr fitToPage="1"/>"#),
                "{name}: fit to width"
            );
            assert!(xml.contains("page &amp;P / &amp;N"), "{name}: page numbers");
        }
        let (_, book) = parts
            .iter()
            .find(|(n, _)| n == "xl/workbook.xml")
            .expect("workbook.xml");
        assert_eq!(
            book.matches("_xlnm.Print_Titles").count(),
            sheets.len(),
            "{}: the header row repeated on every sheet",
            file.display()
        );
    }
}

#[test]
fn exported_texts_are_never_formulas() {
    let p = project();
    p.ok(&["export", "workbook", "projet.xlsx"]);
    let parts = xml_parts(&p.path().join("projet.xlsx"));
    for (name, xml) in &parts {
        assert!(
            !xml.contains("<f>") && !xml.contains("<f "),
            "formula in {name}"
        );
    }
    // Formula-like texts are quote-prefixed (Excel keeps them text when re-edited).
    let styles = &parts.iter().find(|(n, _)| n == "xl/styles.xml").unwrap().1;
    assert!(styles.contains("quotePrefix=\"1\""));
    // And they read back as the same text.
    let mut wb = open_workbook_auto(p.path().join("projet.xlsx")).unwrap();
    let exi = wb.worksheet_range("Exigences").unwrap();
    let row: Vec<String> = exi
        .rows()
        .nth(4)
        .unwrap()
        .iter()
        .map(|d| d.to_string())
        .collect();
    assert_eq!(row[0], "EXI-004");
    assert_eq!(row[1], "=HYPERLINK(\"http://x\";\"clic\")");
    let sheet = wb.worksheet_range("Cas de test").unwrap();
    assert!(sheet
        .rows()
        .any(|r| r.get(11) == Some(&Data::String("=1+1".into()))));
    // Drop-down lists, frozen header, autofilter.
    // Projet, Livraisons, Stratégies, then Exigences.
    let exi_xml = &parts
        .iter()
        .find(|(n, _)| n == "xl/worksheets/sheet4.xml")
        .unwrap()
        .1;
    assert!(
        exi_xml.contains("<dataValidation type=\"list\""),
        "{exi_xml}"
    );
    assert!(exi_xml.contains("\"Critique,Majeure,Mineure\""));
    assert!(exi_xml.contains("state=\"frozen\""));
    assert!(exi_xml.contains("<autoFilter ref=\"A1:H5\""));
}

/// What a person reads of a project: the catalogue, every campaign with its plan, results,
/// verdict and signed decision, the anomalies, the deliveries.
fn everything(p: &Project) -> Value {
    let campaigns: Vec<String> = p
        .json(&["campaign", "list"])
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["ref"].as_str().unwrap().to_string())
        .collect();
    let per_campaign: Vec<Value> = campaigns
        .iter()
        .map(|c| {
            let mut show = p.json(&["campaign", "show", c]);
            // Counts of the store's own audit log differ; every field a person reads stays.
            show.as_object_mut().unwrap().remove("signed");
            json!({
                "show": show,
                "verdict": p.json(&["verdict", c]),
                "status": p.json(&["status", "--campaign", c]),
            })
        })
        .collect();
    json!({
        "lists": lists(p),
        "deliveries": p.json(&["delivery", "list"]),
        "strategies": p.json(&["strategy", "list"]),
        "campaigns": per_campaign,
    })
}

/// `export workbook` then `import` into a fresh store: every campaign gets the same verdict,
/// plan, results (every attempt, with its steps) and indicators, the deliveries, strategy,
/// anomalies (dates and assignee) and signed decisions come along; exporting the rebuilt
/// store gives the same workbook, byte for byte.
#[test]
fn export_into_a_fresh_store_reproduces_every_verdict() {
    let p = Project::empty();
    p.ok(&["demo", "--out", ".", "--json"]);
    p.ok(&["export", "workbook", "projet.xlsx"]);
    let q = Project::new();
    std::fs::copy(p.path().join("projet.xlsx"), q.path().join("projet.xlsx")).unwrap();
    // The dry run shows exactly what the import creates, sheet by sheet.
    let plan = q.json(&["import", "projet.xlsx", "--dry-run"]);
    let sheets: Vec<(String, u64)> = plan["records"]["sheets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["kind"].as_str().unwrap().to_string(),
                s["created"].as_u64().unwrap(),
            )
        })
        .collect();
    let expect: Vec<(String, u64)> = [
        ("settings", 0),
        ("deliveries", 2),
        ("strategies", 1),
        ("requirements", 30),
        ("test_cases", 47),
        ("links", 0),
        ("campaigns", 2),
        ("planned_tests", 74),
        ("decisions", 1),
        ("results", 76),
        ("anomalies", 7),
    ]
    .iter()
    .map(|(k, n)| (k.to_string(), *n))
    .collect();
    assert_eq!(sheets, expect, "{plan:#}");
    assert_eq!(q.json(&["campaign", "list"]), json!([]));
    let v = q.json(&["import", "projet.xlsx"]);
    assert_eq!(v["records"]["issues"], json!([]), "{v:#}");
    assert_eq!(v["records"]["conflicts"], json!([]), "{v:#}");
    assert_eq!(v["records"]["campaigns"], json!(["VABF-1", "VABF-2"]));

    let original = everything(&p);
    let rebuilt = everything(&q);
    let mut differences = Vec::new();
    diff("", &original, &rebuilt, &mut differences);
    // Earlier versions of test cases are the one thing listed as not carried that a person
    // reads here: a rebuilt store starts each test at version 1.
    differences.retain(|d| {
        ![
            "version:",
            "test_version:",
            "executed_version:",
            "modified_since_run:",
        ]
        .iter()
        .any(|f| d.contains(&format!(".{f}")))
    });
    assert_eq!(differences, Vec::<String>::new());
    // Each attempt came with its steps' results.
    let attempt = |p: &Project| {
        p.json(&[
            "execution",
            "show",
            "VABF-1",
            "CT-IMM-002",
            "--attempt",
            "1",
        ])
    };
    let o = attempt(&p);
    let r = attempt(&q);
    assert_eq!(
        r["attempts"][0]["steps"], o["attempts"][0]["steps"],
        "{r:#}"
    );
    // VABF-1 was signed (ajournement) in the original store: the rebuilt one knows it, counts
    // it for VABF-2 and refuses to sign VABF-1 again without --supersede.
    let list = q.ok(&["campaign", "list"]);
    assert!(
        list.contains("Ajournement, signé le 03/04/2026 dans une autre base (PV n° 1, importé)"),
        "{list}"
    );
    assert_eq!(q.json(&["verdict", "VABF-2"])["previous_ajournements"], 1);
    let err = q.fails(
        1,
        &[
            "signoff",
            "VABF-1",
            "--decision",
            "ajournement",
            "--signatory",
            "A. Kasarhérou, cheffe de projet",
        ],
    );
    assert!(
        err.contains("déjà signée dans une autre base (PV n° 1 du 03/04/2026"),
        "{err}"
    );

    // Exporting the rebuilt store gives the same workbook.
    q.ok(&["export", "workbook", "encore.xlsx"]);
    assert_eq!(
        sheet_texts(&p.path().join("projet.xlsx")),
        sheet_texts(&q.path().join("encore.xlsx"))
    );
    // And importing it again changes nothing.
    let again = q.json(&["import", "encore.xlsx"]);
    let t = &again["records"]["totals"];
    assert_eq!(
        (t["created"].clone(), t["updated"].clone()),
        (json!(0), json!(0)),
        "{again:#}"
    );
}

/// The paths where two JSON values differ, with both values.
fn diff(path: &str, a: &Value, b: &Value, out: &mut Vec<String>) {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let keys: std::collections::BTreeSet<&String> = x.keys().chain(y.keys()).collect();
            for k in keys {
                let (va, vb) = (
                    x.get(k).unwrap_or(&Value::Null),
                    y.get(k).unwrap_or(&Value::Null),
                );
                diff(&format!("{path}.{k}"), va, vb, out);
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (va, vb)) in x.iter().zip(y).enumerate() {
                diff(&format!("{path}[{i}]"), va, vb, out);
            }
        }
        _ if a != b => out.push(format!("{path}: {a} != {b}")),
        _ => {}
    }
}

/// Every cell of every sheet, as text.
fn sheet_texts(path: &Path) -> Vec<(String, Vec<Vec<String>>)> {
    let mut wb = open_workbook_auto(path).expect("workbook");
    let names = wb.sheet_names().to_vec();
    names
        .into_iter()
        .map(|n| {
            let range = wb.worksheet_range(&n).expect("sheet");
            let rows = range
                .rows()
                .map(|r| r.iter().map(|d| d.to_string()).collect())
                .collect();
            (n, rows)
        })
        .collect()
}

/// A workbook whose campaigns are left out (a mapping ignores their sheets): each row naming
/// an unknown campaign is refused with its cell, nothing is written.
#[test]
fn fresh_store_without_campaign_names_the_rows() {
    let p = project();
    p.ok(&["export", "workbook", "projet.xlsx"]);
    let q = Project::new();
    std::fs::copy(p.path().join("projet.xlsx"), q.path().join("projet.xlsx")).unwrap();
    std::fs::write(
        q.path().join("sans-campagnes.toml"),
        "[[sheet]]\nname = \"Campagnes\"\nkind = \"ignored\"\n",
    )
    .unwrap();
    let err = q.fails(
        1,
        &["import", "projet.xlsx", "--mapping", "sans-campagnes.toml"],
    );
    assert!(
        err.contains("projet.xlsx › Résultats › ligne 2 : campagne inconnue C1 : créez-la d'abord (recette campaign create C1)"),
        "{err}"
    );
    assert!(
        err.contains("projet.xlsx › Planification › ligne 2 : campagne inconnue C1"),
        "{err}"
    );
    assert_eq!(q.json(&["req", "list"]), json!([]));
}

/// Writes a filled copy of an offline sheet: `fill(test, step, column header) -> value`.
fn fill_sheet(src: &Path, dst: &Path, fill: &dyn Fn(&str, &str, &str) -> Option<String>) {
    let mut wb = open_workbook_auto(src).expect("read sheet");
    let range = wb.worksheet_range("Exécution").expect("Exécution");
    let rows: Vec<Vec<String>> = range
        .rows()
        .map(|r| r.iter().map(|d| d.to_string()).collect())
        .collect();
    let headers = rows[0].clone();
    let col = |h: &str| headers.iter().position(|x| x == h).expect("column");
    let (test_col, step_col) = (col("Cas de test"), col("N° étape"));
    let mut out = rust_xlsxwriter::Workbook::new();
    let ws = out.add_worksheet();
    ws.set_name("Exécution").unwrap();
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            let value = if r == 0 {
                Some(v.clone())
            } else {
                fill(&row[test_col], &row[step_col], &headers[c]).or_else(|| Some(v.clone()))
            };
            if let Some(v) = value.filter(|v| !v.is_empty()) {
                ws.write_string(r as u32, c as u16, v).unwrap();
            }
        }
    }
    out.save(dst).expect("save filled");
}

#[test]
fn offline_sheet_filled_then_imported_with_a_conflict() {
    let p = project();
    let out = p.ok(&["campaign", "sheet", "C1", "hors_ligne.xlsx"]);
    assert!(
        out.starts_with("Feuille d'exécution hors ligne écrite : hors_ligne.xlsx : campagne C1, 4 cas de test, 6 étape(s)"),
        "{out}"
    );
    let path = p.path().join("hors_ligne.xlsx");
    let parts = xml_parts(&path);
    let sheet = &parts
        .iter()
        .find(|(n, _)| n == "xl/worksheets/sheet2.xml")
        .unwrap()
        .1;
    assert!(sheet.contains("<sheetProtection"), "protected");
    assert!(!sheet.contains("password"), "without a password");
    assert!(sheet.contains("\"Conforme,Non conforme,Bloqué,Non passé,Non applicable,En cours\""));
    assert!(parts.iter().all(|(_, x)| !x.contains("<f>")));
    // The workbook as exported is read as a results sheet with nothing to record.
    let v = p.json(&["import", "hors_ligne.xlsx", "--dry-run"]);
    let kinds: Vec<&str> = v["records"]["sheets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["ignored", "results"]);
    assert_eq!(v["records"]["totals"]["created"], 0);

    // A tester fills it offline...
    fill_sheet(&path, &p.path().join("rempli.xlsx"), &|test, step, col| {
        let v = match (test, step, col) {
            ("CT-001", "", "Statut") => "Conforme",
            ("CT-001", "", "Testeur") => "É. Kaloï",
            ("CT-001", "", "Date") => "14/03/2026 14:30",
            ("CT-002", "", "Statut") => "Non conforme",
            ("CT-002", "", "Anomalie") => "FA-1",
            ("CT-003", "1", "Statut") => "Bloqué",
            ("CT-003", "1", "Commentaire") => "Serveur arrêté",
            _ => return None,
        };
        Some(v.to_string())
    });
    // ...while someone records a newer result of CT-002 in the store.
    p.ok(&["run", "C1", "CT-002", "--status", "OK"]);
    let v = p.json(&["import", "rempli.xlsx"]);
    let r = &v["records"];
    assert_eq!(r["campaign"], "C1");
    assert_eq!(r["issues"], json!([]));
    let conflicts = r["conflicts"].as_array().unwrap();
    assert_eq!(conflicts.len(), 1, "{r:#}");
    assert_eq!(conflicts[0]["origin"]["row"], 5);
    assert!(conflicts[0]["message"]
        .as_str()
        .unwrap()
        .starts_with("conflit : CT-002 a été enregistré dans la campagne C1 après l'export"));
    assert_eq!(r["totals"]["created"], 2, "{r:#}");
    assert_eq!(r["totals"]["skipped"], 1);

    let c = p.json(&["campaign", "show", "C1"]);
    let t = |r: &str| {
        c["tests"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["ref"] == r)
            .unwrap()
            .clone()
    };
    assert_eq!(t("CT-001")["status"], "passed");
    assert_eq!(t("CT-001")["tester"], "É. Kaloï");
    assert_eq!(t("CT-001")["executed_at"], "2026-03-14T14:30:00");
    assert_eq!(t("CT-002")["status"], "passed", "the newer result was kept");
    assert_eq!(t("CT-002")["attempts"], 3);
    assert_eq!(t("CT-003")["status"], "blocked");
    let e = p.json(&["campaign", "show", "C1"]);
    assert_eq!(t("CT-004")["attempts"], 0, "{e:#}");
    let text = p.ok(&["import", "rempli.xlsx", "--dry-run"]);
    assert!(text.contains("Conflits (non appliqués) :"), "{text}");
    assert!(
        text.contains("rempli.xlsx › Exécution › ligne 5 : conflit : CT-002"),
        "{text}"
    );
    let text = p.ok(&["--lang", "en", "import", "rempli.xlsx", "--dry-run"]);
    assert!(
        text.contains("rempli.xlsx › Exécution › row 5: conflict: CT-002 was recorded in campaign C1 after the sheet was exported"),
        "{text}"
    );
}

fn note_project() -> Project {
    let p = Project::new();
    p.ok(&["delivery", "add", "LIV-1"]);
    p.ok(&["delivery", "add", "LIV-1.1"]);
    let f = fixture(&p, "cahier_immatriculation.xlsx");
    p.ok(&["import", &f, "--delivery", "LIV-1"]);
    p
}

#[test]
fn delivery_note_moves_fixed_anomalies_to_retest() {
    let p = note_project();
    let f = fixture(&p, "bordereau_livraison_1.1.xlsx");
    let before = p.json(&["delivery", "show", "LIV-1.1"]);
    let dry = p.ok(&[
        "delivery",
        "import",
        &f,
        "--delivery",
        "LIV-1.1",
        "--dry-run",
    ]);
    insta::assert_snapshot!("delivery_note_plan", dry);
    assert_eq!(p.json(&["delivery", "show", "LIV-1.1"]), before);

    p.ok(&["delivery", "import", &f, "--delivery", "LIV-1.1"]);
    let d = p.json(&["delivery", "show", "LIV-1.1"]);
    assert_eq!(d["version"], "1.1.0");
    assert_eq!(d["delivered_date"], "2026-03-20");
    let fixes: Vec<(Value, Value)> = d["fixes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["anomaly"].clone(), f["status"].clone()))
        .collect();
    assert_eq!(
        fixes,
        [
            (json!("FA-001"), json!("a_retester")),
            (json!("FA-002"), json!("a_retester")),
            (json!("FA-003"), json!("a_retester"))
        ]
    );
    assert_eq!(
        d["requirements"],
        json!([{"requirement": "EXI-IMM-004", "change": "changed"},
               {"requirement": "EXI-IMM-005", "change": "delivered"}])
    );
    assert_eq!(d["documents"].as_array().unwrap().len(), 3);
    let fa = p.json(&["anomaly", "list"]);
    assert!(fa
        .as_array()
        .unwrap()
        .iter()
        .all(|a| a["fixed_in"] == "LIV-1.1"));

    // The CSV variant says the same thing: nothing changes.
    let csv = fixture(&p, "bordereau_livraison_1.1.csv");
    let v = p.json(&["delivery", "import", &csv, "--delivery", "LIV-1.1"]);
    assert_eq!(
        v["plan"]["totals"],
        json!({"created": 0, "updated": 0, "unchanged": 10, "skipped": 0})
    );
}

#[test]
fn delivery_note_with_unknown_references_is_refused_unless_partial() {
    let p = Project::new();
    p.ok(&["delivery", "add", "LIV-1.1"]);
    p.ok(&[
        "anomaly",
        "add",
        "FA-001",
        "--title",
        "CPI vide",
        "--severity",
        "bloquante",
    ]);
    p.ok(&[
        "req",
        "add",
        "EXI-IMM-005",
        "--title",
        "Cession",
        "--criticality",
        "mineure",
    ]);
    let f = fixture(&p, "bordereau_livraison_1.1.csv");
    let before = p.json(&["delivery", "show", "LIV-1.1"]);
    let err = p.fails(1, &["delivery", "import", &f, "--delivery", "LIV-1.1"]);
    for line in [
        "erreur : import refusé : 3 problème(s), rien n'a été écrit",
        "  - bordereau_livraison_1.1.csv › bordereau_livraison_1.1 › ligne 9 › A « N° FA » : anomalie inconnue FA-002",
        "  - bordereau_livraison_1.1.csv › bordereau_livraison_1.1 › ligne 10 › A « N° FA » : anomalie inconnue FA-003",
        "  - bordereau_livraison_1.1.csv › bordereau_livraison_1.1 › ligne 14 › A « Exigence » : exigence inconnue EXI-IMM-004",
    ] {
        assert!(err.lines().any(|l| l == line), "missing {line:?} in\n{err}");
    }
    // The same problems in English on request.
    let err = p.fails(
        1,
        &[
            "--lang",
            "en",
            "delivery",
            "import",
            &f,
            "--delivery",
            "LIV-1.1",
        ],
    );
    for line in [
        "  - bordereau_livraison_1.1.csv › bordereau_livraison_1.1 › row 9 › A \"N° FA\": unknown anomaly FA-002",
        "  - bordereau_livraison_1.1.csv › bordereau_livraison_1.1 › row 14 › A \"Exigence\": unknown requirement EXI-IMM-004",
    ] {
        assert!(err.lines().any(|l| l == line), "missing {line:?} in\n{err}");
    }
    assert_eq!(p.json(&["delivery", "show", "LIV-1.1"]), before);
    let v = p.json(&[
        "delivery",
        "import",
        &f,
        "--delivery",
        "LIV-1.1",
        "--partial",
    ]);
    assert_eq!(v["plan"]["issues"].as_array().unwrap().len(), 3);
    assert_eq!(v["plan"]["totals"]["skipped"], 3);
    let d = p.json(&["delivery", "show", "LIV-1.1"]);
    assert_eq!(d["fixes"][0]["anomaly"], "FA-001");
    assert_eq!(d["fixes"][0]["status"], "a_retester");
    assert_eq!(
        d["requirements"],
        json!([{"requirement": "EXI-IMM-005", "change": "delivered"}])
    );
    let missing = p.fails(1, &["delivery", "import", &f, "--delivery", "LIV-9"]);
    assert!(missing.contains("livraison inconnue : LIV-9"), "{missing}");
}

/// A project workbook written by hand: the sheets are recognised by their headers, each bad
/// cell is named (an unknown delivery, a rule that is not one, a yes/no that is neither, a
/// planned test's unknown data set) and nothing is written; once fixed, the dry run shows
/// what the import creates and the import creates it.
#[test]
fn hand_written_project_sheets_name_their_bad_cells() {
    let q = Project::new();
    let path = q.path().join("projet.xlsx");
    let write = |delivery: &str, rule: &str, forced: &str, dataset: &str| {
        common::write_xlsx(
            &path,
            &[
                (
                    "Livraisons",
                    vec![
                        vec!["Référence", "Version", "Titulaire", "Date de livraison"],
                        vec!["LIV-2", "2.0", "Pacific Logiciels", "12/05/2026"],
                    ],
                ),
                (
                    "Stratégies",
                    vec![
                        vec![
                            "Référence",
                            "Titre",
                            "Phase",
                            "Type de critère",
                            "Règle",
                            "Bloquant",
                        ],
                        vec!["STRAT", "Stratégie VSR", "VSR", "sortie", rule, "oui"],
                        vec!["", "", "", "entrée", "documents_not_accepted = 0", "non"],
                    ],
                ),
                (
                    "Cas de test",
                    vec![
                        vec![
                            "Référence",
                            "Titre",
                            "Action",
                            "Jeu de données",
                            "Paramètres",
                        ],
                        vec!["CT-1", "Taxe", "Saisir ${cv} CV", "JDD-7", "cv=7"],
                    ],
                ),
                (
                    "Campagnes",
                    vec![
                        vec![
                            "Référence",
                            "Titre",
                            "Phase",
                            "Livraison",
                            "Stratégie",
                            "Démarrage forcé",
                            "Démarrée le",
                        ],
                        vec![
                            "VSR-1",
                            "VSR",
                            "VSR",
                            delivery,
                            "STRAT",
                            forced,
                            "2026-05-13",
                        ],
                    ],
                ),
                (
                    "Planification",
                    vec![
                        vec!["Campagne", "Cas de test", "Jeu de données", "Attribué à"],
                        vec!["VSR-1", "CT-1", dataset, "Marie"],
                    ],
                ),
            ],
        )
    };
    write("LIV-9", "execution_rate >> 95", "peut-être", "JDD-99");
    let err = q.fails(1, &["import", "projet.xlsx"]);
    for cell in [
        "projet.xlsx › Stratégies › ligne 2 › E « Règle » : règle « execution_rate >> 95 »",
        "projet.xlsx › Campagnes › ligne 2 › F « Démarrage forcé » : oui ou non attendu, lu « peut-être »",
    ] {
        assert!(err.contains(cell), "{cell}\n{err}");
    }
    // Cells are fine, references are not: named with their row.
    write("LIV-9", "execution_rate >= 95", "non", "JDD-99");
    let err = q.fails(1, &["import", "projet.xlsx"]);
    for cell in [
        "projet.xlsx › Campagnes › ligne 2 : livraison inconnue LIV-9",
        "projet.xlsx › Planification › ligne 2 : CT-1 n'a pas de jeu de données « JDD-99 »",
    ] {
        assert!(err.contains(cell), "{cell}\n{err}");
    }
    assert_eq!(q.json(&["delivery", "list"]), json!([]));
    write("LIV-2", "execution_rate >= 95", "non", "JDD-7");
    let plan = q.json(&["import", "projet.xlsx", "--dry-run"]);
    let kinds: Vec<(&str, u64)> = plan["records"]["sheets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["kind"].as_str().unwrap(), s["created"].as_u64().unwrap()))
        .collect();
    assert_eq!(
        kinds,
        [
            ("deliveries", 1),
            ("strategies", 1),
            ("test_cases", 1),
            ("campaigns", 1),
            ("planned_tests", 1)
        ]
    );
    q.ok(&["import", "projet.xlsx"]);
    let show = q.json(&["campaign", "show", "VSR-1"]);
    assert_eq!(show["campaign"]["delivery"], "LIV-2");
    assert_eq!(show["campaign"]["phase"], "vsr");
    assert_eq!(show["campaign"]["state"], "started");
    assert_eq!(show["tests"][0]["dataset"], "JDD-7");
    assert_eq!(show["tests"][0]["assignee"], "Marie");
    let st = q.json(&["strategy", "show", "STRAT"]);
    assert_eq!(st["criteria"][0]["indicator"], "execution_rate");
    assert_eq!(st["entry_criteria"][0]["blocking"], false);
}
