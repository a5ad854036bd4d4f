//! `recette import` of one large workbook runs on two threads: one reads, the other applies the
//! records as they arrive (`import_streamed` in `src/cli/import.rs`). Whatever the file, the
//! outcome must be exactly the one of the whole-batch import: same output, same exit code, same
//! store, row for row. `RECETTE_IMPORT_STREAM` forces either way (`never`, `always`) or demands
//! the streamed one (`require`: an error when the file cannot be streamed), so each scenario is
//! run both ways on the fixtures and on workbooks written here, and the stores are compared.

mod common;

use std::path::Path;

use common::{vendor_fixture as fixture, write_xlsx, Project};

fn row(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|c| c.to_string()).collect()
}

/// Every row of every table, in rowid order: two stores with the same dump hold the same data
/// with the same ids.
fn dump(db: &Path) -> String {
    let conn = rusqlite::Connection::open(db).expect("open store");
    let mut tables: Vec<(String, bool)> = conn
        .prepare("SELECT name, sql LIKE '%WITHOUT ROWID%' FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        .expect("schema")
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("tables")
        .collect::<Result<_, _>>()
        .expect("tables");
    tables.sort();
    let mut out = String::new();
    for (t, without_rowid) in tables {
        let order = if without_rowid { "1" } else { "rowid" };
        let mut stmt = conn
            .prepare(&format!("SELECT * FROM \"{t}\" ORDER BY {order}"))
            .expect("select");
        let n = stmt.column_count();
        let mut rows = stmt.query([]).expect("rows");
        out.push_str(&format!("## {t}\n"));
        while let Some(r) = rows.next().expect("row") {
            let vals: Vec<String> = (0..n)
                .map(|i| format!("{:?}", r.get_ref(i).expect("value")))
                .collect();
            out.push_str(&vals.join("|"));
            out.push('\n');
        }
    }
    out
}

/// One command's outcome: exit code, stdout, stderr.
fn run(p: &Project, mode: &str, args: &[&str]) -> (Option<i32>, String, String) {
    let out = p
        .cmd()
        .env("RECETTE_IMPORT_STREAM", mode)
        .args(args)
        .output()
        .expect("run");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Runs the same set-up and imports in two fresh projects, one importing whole and one with
/// `mode`; asserts equal outputs after every command and equal stores at the end. Files are
/// made by `files` in each project folder.
fn same_both_ways(
    mode: &str,
    files: &dyn Fn(&Project),
    setup: &[&[&str]],
    imports: &[&[&str]],
) -> Vec<(Option<i32>, String, String)> {
    let whole = Project::new();
    let streamed = Project::new();
    for p in [&whole, &streamed] {
        files(p);
        for cmd in setup {
            p.ok(cmd);
        }
    }
    let mut outs = Vec::new();
    for args in imports {
        let a = run(&whole, "never", args);
        let b = run(&streamed, mode, args);
        assert_eq!(
            a, b,
            "recette {args:?}: whole (left) and {mode} (right) differ"
        );
        outs.push(a);
    }
    assert_eq!(dump(&whole.db()), dump(&streamed.db()), "stores differ");
    outs
}

#[test]
fn vendor_workbooks_stream_to_the_same_store_and_output() {
    let files = |p: &Project| {
        fixture(p, "cahier_immatriculation.xlsx");
        fixture(p, "cahier_immatriculation_v2.xlsx");
        fixture(p, "exigences_win1252.csv");
    };
    let outs = same_both_ways(
        "require",
        &files,
        &[&["delivery", "add", "LIV-1"]],
        &[
            &[
                "import",
                "cahier_immatriculation.xlsx",
                "--delivery",
                "LIV-1",
            ],
            // Changed requirement texts: new revisions and suspect links.
            &[
                "import",
                "cahier_immatriculation_v2.xlsx",
                "--delivery",
                "LIV-1",
                "--json",
            ],
            // All unchanged.
            &[
                "import",
                "cahier_immatriculation_v2.xlsx",
                "--delivery",
                "LIV-1",
            ],
            &[
                "import",
                "cahier_immatriculation.xlsx",
                "--delivery",
                "LIV-1",
                "--dry-run",
                "--json",
            ],
            &["import", "exigences_win1252.csv", "--json"],
        ],
    );
    assert!(outs.iter().all(|(code, ..)| *code == Some(0)));
    assert!(
        outs[0].1.contains("cahier_immatriculation.xlsx"),
        "{}",
        outs[0].1
    );
}

/// Requirements, anomalies, test cases with steps, links and results in one workbook, in the
/// order a vendor writes them.
fn full_workbook(p: &Project, order: &[&str]) {
    let mut reqs = vec![
        row(&["Cahier de recette"]),
        row(&[]),
        row(&["Réf. exigence", "Libellé", "Criticité", "Cas de test"]),
    ];
    let mut tests = vec![row(&[
        "ID",
        "Titre",
        "Exigences couvertes",
        "N° étape",
        "Action",
        "Résultat attendu",
    ])];
    for i in 1..=700 {
        let crit = ["Critique", "majeure", "Mineure"][i % 3];
        let test_col = if i % 50 == 0 {
            format!("CT-{:04}", i - 1)
        } else {
            String::new()
        };
        reqs.push(row(&[
            &format!("EXI-{i:04}"),
            &format!("Exigence {i}"),
            crit,
            &test_col,
        ]));
        tests.push(row(&[
            &format!("CT-{i:04}"),
            &format!("Cas {i}"),
            &format!("EXI-{i:04}; EXI-{:04}", i % 700 + 1),
            "1",
            &format!("Action {i}"),
            "OK",
        ]));
        tests.push(row(&[
            "",
            "",
            "",
            "2",
            "Vérifier",
            &format!("Résultat {i}"),
        ]));
    }
    let anomalies = vec![
        row(&["Réf. anomalie", "Titre", "Sévérité", "Trouvée dans"]),
        row(&["ANO-1", "Plantage à l'enregistrement", "Bloquante", "LIV-1"]),
        row(&["ANO-2", "Libellé tronqué", "mineure", "LIV-1"]),
    ];
    let links = vec![
        row(&["Exigence", "Cas de test"]),
        row(&["EXI-0003", "CT-0100"]),
        row(&["EXI-0004", "CT-0200, CT-0300"]),
    ];
    let results = vec![
        row(&[
            "Cas de test",
            "Statut",
            "Testeur",
            "Date d'exécution",
            "Anomalie",
        ]),
        row(&["CT-0001", "OK", "Marie", "14/03/2026", ""]),
        row(&["CT-0002", "KO", "Marie", "2026-03-14", "ANO-1"]),
        row(&["CT-0003", "Bloqué", "Paul", "15/03/2026", ""]),
    ];
    let by_name = |n: &str| -> (&str, Vec<Vec<String>>) {
        match n {
            "req" => ("Exigences", reqs.clone()),
            "test" => ("Cas de test", tests.clone()),
            "ano" => ("Anomalies", anomalies.clone()),
            "link" => ("Liens", links.clone()),
            _ => ("Résultats", results.clone()),
        }
    };
    let sheets: Vec<(&str, Vec<Vec<String>>)> = order.iter().map(|n| by_name(n)).collect();
    write_xlsx(&p.path().join("cahier.xlsx"), &sheets);
}

#[test]
fn every_kind_of_sheet_streams_in_the_usual_order() {
    let files = |p: &Project| full_workbook(p, &["req", "ano", "test", "link", "res"]);
    let outs = same_both_ways(
        "require",
        &files,
        &[&["delivery", "add", "LIV-1"]],
        &[
            &["import", "cahier.xlsx", "--delivery", "LIV-1", "--json"],
            &["import", "cahier.xlsx", "--delivery", "LIV-1"],
        ],
    );
    let plan: serde_json::Value = serde_json::from_str(&outs[0].1).expect("JSON");
    let totals = &plan["records"]["totals"];
    // 700 requirements, 2 anomalies, 700 tests, link rows, 3 results.
    assert!(
        totals["created"].as_u64().is_some_and(|n| n > 1400),
        "{totals}"
    );
    assert_eq!(totals["skipped"], 0, "{totals}");
}

#[test]
fn a_corrected_mapping_streams_too() {
    let files = |p: &Project| {
        fixture(p, "cahier_immatriculation.xlsx");
        let toml = p.ok(&["import", "cahier_immatriculation.xlsx", "--print-mapping"]);
        // The user's correction: the results sheet is not to be imported.
        let blocks: Vec<String> = toml
            .split("[[sheet]]")
            .map(|b| {
                if b.contains("kind = \"results\"") {
                    let name = b.lines().find(|l| l.starts_with("name = ")).unwrap_or("");
                    format!("\n{name}\nkind = \"ignored\"\n\n")
                } else {
                    b.to_string()
                }
            })
            .collect();
        assert!(blocks.len() > 3, "{toml}");
        let edited = blocks.join("[[sheet]]");
        assert_ne!(edited, toml);
        std::fs::write(p.path().join("correspondance.toml"), edited).expect("write mapping");
    };
    let outs = same_both_ways(
        "require",
        &files,
        &[],
        &[&[
            "import",
            "cahier_immatriculation.xlsx",
            "--mapping",
            "correspondance.toml",
            "--json",
        ]],
    );
    assert_eq!(outs[0].0, Some(0), "{}", outs[0].2);
    assert!(outs[0].1.contains("\"ignored\""), "{}", outs[0].1);
}

#[test]
fn a_workbook_that_cannot_stream_is_imported_whole_with_the_same_outcome() {
    // Test cases before the requirements they cover, an anomaly sheet after the test cases:
    // the order of a streamed import would differ, so it is imported whole.
    for order in [
        &["test", "req"][..],
        &["req", "test", "ano"][..],
        &["test", "req", "ano", "link", "res"][..],
    ] {
        let files = |p: &Project| full_workbook(p, order);
        let outs = same_both_ways(
            "always",
            &files,
            &[&["delivery", "add", "LIV-1"]],
            &[&["import", "cahier.xlsx", "--delivery", "LIV-1", "--json"]],
        );
        assert_eq!(outs[0].0, Some(0), "{order:?}: {}", outs[0].2);
        let p = Project::new();
        files(&p);
        p.ok(&["delivery", "add", "LIV-1"]);
        let (code, _, err) = run(&p, "require", &["import", "cahier.xlsx"]);
        assert_eq!(code, Some(1), "{order:?} streamed: {err}");
        assert!(err.contains("import en flux impossible"), "{err}");
    }
}

#[test]
fn a_workbook_with_errors_is_refused_exactly_as_always() {
    let files = |p: &Project| {
        fixture(p, "cahier_errone.xlsx");
    };
    let outs = same_both_ways(
        "always",
        &files,
        &[&["delivery", "add", "LIV-1"]],
        &[
            &["import", "cahier_errone.xlsx"],
            &["import", "cahier_errone.xlsx", "--dry-run", "--json"],
        ],
    );
    assert_eq!(outs[0].0, Some(1), "{}", outs[0].2);
    assert!(outs[0].2.contains("cahier_errone.xlsx ›"), "{}", outs[0].2);
    // An unknown requirement found while applying (not while reading) is refused the same way.
    let files = |p: &Project| full_workbook(p, &["test"]);
    let outs = same_both_ways(
        "always",
        &files,
        &[],
        &[
            &["import", "cahier.xlsx"],
            &["--lang", "en", "import", "cahier.xlsx"],
        ],
    );
    assert_eq!(outs[0].0, Some(1));
    assert!(
        outs[1].2.contains("unknown requirement EXI-0001"),
        "{}",
        outs[1].2
    );
    assert!(
        outs[0].2.contains("exigence inconnue EXI-0001"),
        "{}",
        outs[0].2
    );
}
