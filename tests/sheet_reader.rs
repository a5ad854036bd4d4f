//! The workbook reader on vendor-like fixtures (see fixtures/vendor/make_fixtures.py).

use std::path::{Path, PathBuf};

use recette::import::records::ImportBatch;
use recette::import::sheet::{
    is_spreadsheet, read_spreadsheet, read_spreadsheet_with_progress, Mapping, SheetOptions,
};
use recette::model::{Criticality, ExecStatus, ReqStatus, Severity, Step};

fn fixture(name: &str) -> PathBuf {
    Path::new("fixtures/vendor").join(name)
}

fn read(name: &str) -> (ImportBatch, Mapping) {
    read_spreadsheet(&fixture(name), &SheetOptions::default()).expect("readable fixture")
}

fn cahier() -> ImportBatch {
    let (b, _) = read("cahier_immatriculation.xlsx");
    assert!(b.issues.is_empty(), "{:#?}", b.issues);
    b
}

fn write_temp(dir: &tempfile::TempDir, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.path().join(name);
    std::fs::write(&p, bytes).expect("temp file");
    p
}

#[test]
fn header_found_below_merged_title_rows_with_nbsp_headers() {
    let (b, m) = read("cahier_immatriculation.xlsx");
    let req = &b.requirements;
    assert_eq!(req.len(), 6);
    assert_eq!(req[0].reference, "EXI-IMM-001");
    assert_eq!(req[0].origin.row, Some(5));
    assert_eq!(req[0].criticality, Some(Criticality::Critique));
    assert_eq!(req[1].criticality, Some(Criticality::Critique), "Haute");
    assert_eq!(req[3].criticality, Some(Criticality::Majeure), "moyenne");
    assert_eq!(req[5].criticality, Some(Criticality::Mineure), "Basse");
    assert_eq!(req[2].reference, "EXI-IMM-003", "trimmed");
    assert_eq!(req[2].status, Some(ReqStatus::Brouillon));
    assert_eq!(
        req[3].origin.row,
        Some(9),
        "blank row skipped, numbering kept"
    );
    let s = m.sheet("Exigences").expect("mapped");
    assert_eq!(s.header_row, Some(4));
    assert_eq!(
        s.headers.get("A").map(String::as_str),
        Some("Réf.\u{a0}exigence")
    );
    assert_eq!(m.sheet("Cas de test").and_then(|s| s.header_row), Some(3));
}

#[test]
fn numeric_ids_are_kept_as_written() {
    let b = cahier();
    let refs: Vec<&str> = b.test_cases.iter().map(|t| t.reference.as_str()).collect();
    assert_eq!(
        refs,
        [
            "CT-IMM-001",
            "CT-IMM-002",
            "CT-IMM-003",
            "CT-IMM-004",
            "101",
            "102"
        ]
    );
    assert_eq!(b.results[4].test_ref, "101");
    assert_eq!(b.results[5].test_ref, "102");
}

#[test]
fn dates_become_iso() {
    let b = cahier();
    let dates: Vec<Option<&str>> = b.results.iter().map(|r| r.executed_at.as_deref()).collect();
    assert_eq!(
        dates,
        [
            Some("2026-03-14T10:30:00"),
            Some("2026-03-14"),
            Some("2026-03-15T09:15:00"),
            Some("2026-03-16"),
            Some("2026-03-17"),
            Some("2026-03-17"),
        ]
    );
}

#[test]
fn status_words_in_several_spellings() {
    use ExecStatus::*;
    let b = cahier();
    let st: Vec<ExecStatus> = b.results.iter().filter_map(|r| r.status).collect();
    assert_eq!(st, [Passed, Failed, Passed, Failed, Blocked, NotApplicable]);
    assert_eq!(b.anomalies[0].severity, Some(Severity::Bloquante));
}

#[test]
fn multi_valued_cells_are_split() {
    let b = cahier();
    assert_eq!(
        b.test_cases[0].requirement_refs,
        ["EXI-IMM-001", "EXI-IMM-002"]
    );
    assert_eq!(
        b.test_cases[1].requirement_refs,
        ["EXI-IMM-003", "EXI-IMM-004", "EXI-IMM-005"]
    );
    assert_eq!(
        b.test_cases[0].tags.as_deref(),
        Some(&["VN".to_string(), "immat".to_string()][..])
    );
    assert_eq!(b.results[1].anomaly_refs, ["FA-001", "FA-002"]);
    let links: Vec<(&str, &str)> = b
        .links
        .iter()
        .map(|l| (l.requirement_ref.as_str(), l.test_ref.as_str()))
        .collect();
    assert_eq!(
        links,
        [
            ("EXI-IMM-001", "CT-IMM-001"),
            ("EXI-IMM-002", "CT-IMM-001"),
            ("EXI-IMM-002", "CT-IMM-004")
        ]
    );
}

#[test]
fn continuation_rows_add_steps() {
    let b = cahier();
    let step = |a: &str, e: &str| Step {
        action: a.into(),
        expected: e.into(),
    };
    let t = &b.test_cases;
    assert_eq!(t[0].steps.as_ref().map(Vec::len), Some(3));
    assert_eq!(
        t[0].steps.as_ref().and_then(|s| s.get(2)),
        Some(&step("Éditer le certificat", "Le PDF s'affiche"))
    );
    assert_eq!(
        t[1].steps.as_ref().map(Vec::len),
        Some(2),
        "blank row inside the steps"
    );
    assert_eq!(
        t[2].steps.as_ref().map(Vec::len),
        Some(2),
        "reference repeated on each step row"
    );
    assert_eq!(t[0].prerequisites.as_deref(), Some("Compte agent habilité"));
    assert_eq!(t[0].kind, Some(recette::model::TestKind::Manual));
    assert_eq!(t[1].kind, Some(recette::model::TestKind::Automated));
}

#[test]
fn formula_cells_give_their_cached_value() {
    let b = cahier();
    assert_eq!(
        b.test_cases[3].title.as_deref(),
        Some("Changement de titulaire")
    );
}

#[test]
fn hidden_and_front_matter_sheets_are_ignored_with_a_reason() {
    let b = cahier();
    let kinds: Vec<(&str, &str)> = b
        .sheets
        .iter()
        .map(|s| (s.sheet.as_str(), s.kind.as_str()))
        .collect();
    assert_eq!(
        kinds,
        [
            ("Sommaire", "ignored"),
            ("Historique", "ignored"),
            ("Exigences", "requirements"),
            ("Cas de test", "test_cases"),
            ("Lot 2", "test_cases"),
            ("Résultats", "results"),
            ("Traçabilité", "links"),
            ("Anomalies", "anomalies"),
            ("Calculs", "ignored"),
        ]
    );
    assert_eq!(b.sheets[8].reason.as_deref(), Some("feuille masquée"));
    assert!(b.sheets[0]
        .reason
        .as_deref()
        .is_some_and(|r| r.contains("sommaire")));
    assert!(b
        .requirements
        .iter()
        .all(|r| !r.reference.starts_with("EXI-CACHE")));
}

#[test]
fn csv_windows_1252_with_semicolons() {
    let (b, m) = read("exigences_win1252.csv");
    assert!(b.issues.is_empty(), "{:#?}", b.issues);
    let titles: Vec<&str> = b
        .requirements
        .iter()
        .filter_map(|r| r.title.as_deref())
        .collect();
    assert_eq!(
        titles,
        [
            "Immatriculer un véhicule d'occasion, importé ou non",
            "Calcul de la taxe; montant en €",
            "Édition du récépissé"
        ]
    );
    assert_eq!(b.requirements[0].origin.row, Some(4));
    assert_eq!(
        b.requirements[0].origin.sheet.as_deref(),
        Some("exigences_win1252")
    );
    let s = &m.sheets[0];
    assert_eq!(
        (s.delimiter.as_deref(), s.encoding.as_deref()),
        (Some(";"), Some("windows-1252"))
    );
}

#[test]
fn csv_utf16_with_bom() {
    let (b, m) = read("resultats_utf16.csv");
    assert!(b.issues.is_empty(), "{:#?}", b.issues);
    assert_eq!(b.results.len(), 2);
    assert_eq!(b.results[0].tester.as_deref(), Some("Élodie Brûlé"));
    assert_eq!(
        b.results[0].executed_at.as_deref(),
        Some("2026-03-14T10:30:00")
    );
    assert_eq!(b.results[1].status, Some(ExecStatus::Failed));
    assert_eq!(m.sheets[0].encoding.as_deref(), Some("UTF-16LE"));
}

#[test]
fn csv_utf8_bom_commas_and_invalid_bytes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = write_temp(
        &dir,
        "r.csv",
        b"\xEF\xBB\xBFID,Titre,Criticit\xC3\xA9\nE-1,\"Un, deux\",P1\n",
    );
    let (b, _) = read_spreadsheet(&p, &SheetOptions::default()).expect("read");
    assert_eq!(b.requirements[0].title.as_deref(), Some("Un, deux"));
    assert_eq!(b.requirements[0].criticality, Some(Criticality::Critique));
    // UTF-8 with a broken byte falls back to Windows-1252 rather than failing.
    let p = write_temp(&dir, "w.csv", b"ID;Titre\nE-1;caf\xE9 \xFF\n");
    let (b, _) = read_spreadsheet(&p, &SheetOptions::default()).expect("read");
    assert_eq!(b.requirements[0].title.as_deref(), Some("café ÿ"));
}

#[test]
fn ods_requirements_and_offline_execution_sheet() {
    let (b, _) = read("execution_hors_ligne.ods");
    assert!(b.issues.is_empty(), "{:#?}", b.issues);
    assert_eq!(b.requirements.len(), 2, "hidden sheet not read");
    assert_eq!(
        b.requirements[0].criticality,
        Some(Criticality::Critique),
        "Priorité = Must"
    );
    assert_eq!(b.results.len(), 2, "a test without any status was not run");
    let r = &b.results[0];
    assert_eq!(r.test_ref, "CT-IMM-001");
    assert_eq!(r.status, None, "no test status: it follows from the steps");
    let steps: Vec<(u32, ExecStatus)> = r.step_results.iter().map(|s| (s.step, s.status)).collect();
    assert_eq!(steps, [(1, ExecStatus::Passed), (2, ExecStatus::Failed)]);
    assert_eq!(r.campaign_ref.as_deref(), Some("VABF-1"));
    assert_eq!(r.base_attempt, Some(2));
    assert_eq!(r.anomaly_refs, ["FA-010"]);
    assert_eq!(r.executed_at.as_deref(), Some("2026-03-14"));
    assert_eq!(r.comment.as_deref(), Some("Étape 2 : Numéro en double"));
    assert_eq!(
        b.results[1].executed_at.as_deref(),
        Some("2026-03-15T14:05:00")
    );
    assert_eq!(b.sheets[2].reason.as_deref(), Some("feuille masquée"));
}

#[test]
fn progress_is_reported() {
    let mut calls = Vec::new();
    let opts = SheetOptions::default();
    read_spreadsheet_with_progress(&fixture("cahier_immatriculation.xlsx"), &opts, &mut |n| {
        calls.push(n)
    })
    .expect("read");
    assert!(calls.last().is_some_and(|n| *n > 20), "{calls:?}");
}

#[test]
fn spreadsheet_extensions() {
    for f in [
        "a.xlsx", "a.XLSM", "a.xls", "a.ods", "a.csv", "a.tsv", "a.txt",
    ] {
        assert!(is_spreadsheet(Path::new(f)), "{f}");
    }
    for f in ["a.xml", "a.json", "a"] {
        assert!(!is_spreadsheet(Path::new(f)), "{f}");
    }
}

#[test]
fn results_per_step_with_an_explicit_test_status() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = "Cas de test;N° étape;Statut étape;Statut du test;Exécuté par;Date\n\
                CT-1;1;OK;;Léa;14/03/2026 10:30\n\
                ;2;KO;Conforme;;\n\
                CT-2;1;OK;;Léa;2026-03-14\n\
                CT-2;2;Bloqué;;;\n";
    let p = write_temp(&dir, "pas.csv", text.as_bytes());
    let (b, m) = read_spreadsheet(&p, &SheetOptions::default()).expect("read");
    assert!(b.issues.is_empty(), "{:#?}", b.issues);
    assert_eq!(m.sheets[0].kind, recette::import::sheet::SheetKind::Results);
    let r: Vec<(&str, Option<ExecStatus>, usize)> = b
        .results
        .iter()
        .map(|r| (r.test_ref.as_str(), r.status, r.step_results.len()))
        .collect();
    assert_eq!(
        r,
        [
            ("CT-1", Some(ExecStatus::Passed), 2),
            ("CT-2", None, 2)
        ],
        "explicit test status kept (checked against the steps when recorded), else none: it follows from the steps"
    );
    assert_eq!(
        b.results[0].executed_at.as_deref(),
        Some("2026-03-14T10:30:00")
    );
    assert_eq!(b.results[0].tester.as_deref(), Some("Léa"));
}

/// The progress bar's total: the rows an xlsx declares (every worksheet), the line breaks of
/// a CSV; nothing for formats whose size cannot be told without reading them.
#[test]
fn estimated_rows_of_a_workbook_and_a_csv() {
    let dir = tempfile::tempdir().unwrap();
    let xlsx = dir.path().join("cahier.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for r in 0..120u32 {
        ws.write_string(r, 0, format!("EXI-{r}")).unwrap();
    }
    let ws = wb.add_worksheet();
    for r in 0..30u32 {
        ws.write_string(r, 2, "x").unwrap();
    }
    wb.save(&xlsx).unwrap();
    assert_eq!(recette::import::sheet::estimated_rows(&xlsx), Some(150));
    let csv = write_temp(&dir, "exigences.csv", b"Ref;Titre\nEXI-1;a\nEXI-2;b\n");
    assert_eq!(recette::import::sheet::estimated_rows(&csv), Some(3));
    let junit = write_temp(&dir, "junit.xml", b"<testsuite/>");
    assert_eq!(recette::import::sheet::estimated_rows(&junit), None);
    // A vendor workbook declares its sheets too; an ods file cannot be told.
    assert!(
        recette::import::sheet::estimated_rows(&fixture("cahier_immatriculation.xlsx"))
            .unwrap_or(0)
            > 10
    );
    assert_eq!(
        recette::import::sheet::estimated_rows(&fixture("execution_hors_ligne.ods")),
        None
    );
}
