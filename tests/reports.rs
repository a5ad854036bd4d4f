//! Snapshots of every report on the demo project, in French and English (fixed clock).

use std::path::Path;

use recette::i18n::Lang;
use recette::report::{self, Format, Options};
use recette::store::{Context, Store};
use recette::trace::{compute, Scope};
use recette::verdict::Evaluation;

const NOW: &str = "2026-04-03T17:00:00Z";

fn demo(dir: &Path) -> Store {
    let ctx = Context {
        actor: "demo".into(),
        fixed_now: Some(NOW.into()),
    };
    let mut store = recette::demo::build(dir, ctx, Lang::Fr).unwrap();
    recette::demo::write_reports(&mut store, dir, Lang::Fr).unwrap();
    store
}

fn write(store: &Store, campaign: &str, lang: Lang, out: &Path) {
    let eval = Evaluation::load(store, campaign).unwrap();
    let signed = report::latest_signoff(store, campaign).unwrap();
    report::write_reports(
        &eval,
        &Options {
            lang,
            formats: Format::ALL.to_vec(),
            templates: None,
            issued_on: Some(NOW.into()),
        },
        out,
        signed.as_ref(),
    )
    .unwrap();
}

/// A readable dump of a workbook: every sheet, every non-empty row, cells separated by " | ".
fn dump_xlsx(path: &Path) -> String {
    use calamine::{open_workbook, Reader, Xlsx};
    let mut wb: Xlsx<_> = open_workbook(path).unwrap();
    let mut out = String::new();
    for name in wb.sheet_names().to_vec() {
        out.push_str(&format!("## {name}\n"));
        let range = wb.worksheet_range(&name).unwrap();
        for row in range.rows() {
            let cells: Vec<String> = row.iter().map(|c| c.to_string()).collect();
            if cells.iter().any(|c| !c.is_empty()) {
                out.push_str(&cells.join(" | "));
                out.push('\n');
            }
        }
    }
    out
}

#[test]
fn demo_reports_snapshots() {
    let dir = tempfile::tempdir().unwrap();
    let store = demo(dir.path());
    for (lang, code) in [(Lang::Fr, "fr"), (Lang::En, "en")] {
        let out = dir.path().join(format!("out-{code}"));
        write(&store, "VABF-2", lang, &out);
        write(&store, "VABF-1", lang, &out);
        for file in [
            "bilan-VABF-2.html",
            "bilan-VABF-2.md",
            "pv-VABF-2.html",
            "pv-VABF-1.html",
        ] {
            let text = std::fs::read_to_string(out.join(file)).unwrap();
            insta::assert_snapshot!(format!("{code}__{file}"), text);
        }
        insta::assert_snapshot!(
            format!("{code}__matrice-VABF-2.xlsx"),
            dump_xlsx(&out.join("matrice-VABF-2.xlsx"))
        );
        // The same input gives the same bytes.
        let again = dir.path().join(format!("again-{code}"));
        write(&store, "VABF-2", lang, &again);
        for f in [
            "bilan-VABF-2.html",
            "bilan-VABF-2.md",
            "pv-VABF-2.html",
            "matrice-VABF-2.xlsx",
            "bilan-VABF-2.pdf",
            "pv-VABF-2.pdf",
        ] {
            assert!(
                std::fs::read(out.join(f)).unwrap() == std::fs::read(again.join(f)).unwrap(),
                "{f} is not deterministic"
            );
        }
    }
    let bilan1 = std::fs::read_to_string(dir.path().join("out-fr/bilan-VABF-1.md")).unwrap();
    insta::assert_snapshot!("fr__bilan-VABF-1.md", bilan1);
}

#[test]
fn demo_trace_and_verdict_json() {
    let dir = tempfile::tempdir().unwrap();
    let store = demo(dir.path());
    let trace = compute(&store.trace_data(&Scope::Campaign("VABF-2".into())).unwrap());
    insta::assert_json_snapshot!("trace-VABF-2", trace);
    let latest = compute(&store.trace_data(&Scope::Latest).unwrap());
    insta::assert_json_snapshot!("trace-latest-summary", latest.summary);
    let v1 = Evaluation::load(&store, "VABF-1").unwrap().verdict;
    let v2 = Evaluation::load(&store, "VABF-2").unwrap().verdict;
    assert_eq!(v1.decision, recette::model::Decision::Ajournement);
    assert_eq!(v2.decision, recette::model::Decision::Reserves);
    assert_eq!(
        v2.previous_ajournements, 1,
        "VABF-1 was signed off as ajournement"
    );
    insta::assert_json_snapshot!("verdict-VABF-2", v2);
}

#[test]
fn templates_can_be_overridden() {
    let dir = tempfile::tempdir().unwrap();
    let store = demo(dir.path());
    let tpl = dir.path().join("tpl");
    std::fs::create_dir_all(&tpl).unwrap();
    std::fs::write(
        tpl.join("pv.html"),
        "<p>PV {{ campaign.ref }} : {{ pv_decision.label }} — {{ project }}</p>",
    )
    .unwrap();
    let eval = Evaluation::load(&store, "VABF-2").unwrap();
    let out = dir.path().join("o");
    report::write_reports(
        &eval,
        &Options {
            lang: Lang::Fr,
            formats: vec![Format::Pv, Format::Html],
            templates: Some(tpl),
            issued_on: None,
        },
        &out,
        None,
    )
    .unwrap();
    let pv = std::fs::read_to_string(out.join("pv-VABF-2.html")).unwrap();
    assert_eq!(
        pv,
        "<p>PV VABF-2 : Admission avec réserves — SIV-NC — Système d&#x27;immatriculation des véhicules</p>"
    );
    // The other template stays the embedded one.
    let bilan = std::fs::read_to_string(out.join("bilan-VABF-2.html")).unwrap();
    assert!(bilan.contains("Bilan de recette"));
    assert!(!out.join("bilan-VABF-2.md").exists());
}

/// A test case a results import created is read by its name, with its `AUTO-<hash>` reference
/// beside it, in every report that lists the tests of a requirement.
#[test]
fn automated_tests_are_shown_by_their_name() {
    let dir = tempfile::tempdir().unwrap();
    let store = demo(dir.path());
    let out = dir.path().join("out");
    write(&store, "VABF-2", Lang::Fr, &out);
    let html = std::fs::read_to_string(out.join("bilan-VABF-2.html")).unwrap();
    assert!(
        html.contains(
            r#"test_declaration_horodatee_et_notifiee <small class="auto">AUTO-58047f39e7</small>"#
        ),
        "bilan HTML"
    );
    let md = std::fs::read_to_string(out.join("bilan-VABF-2.md")).unwrap();
    assert!(
        md.contains(r"test\_declaration\_horodatee\_et\_notifiee (AUTO-58047f39e7)"),
        "bilan Markdown"
    );
    let xlsx = dump_xlsx(&out.join("matrice-VABF-2.xlsx"));
    assert!(
        xlsx.contains("test_declaration_horodatee_et_notifiee (AUTO-58047f39e7)"),
        "matrix"
    );
    // A manual test keeps its reference alone.
    assert!(
        html.contains(r#"<span class="t">CT-CES-001 <b"#),
        "manual test"
    );
    let trace = compute(&store.trace_data(&Scope::Campaign("VABF-2".into())).unwrap());
    let named: Vec<_> = trace
        .requirements
        .iter()
        .flat_map(|r| &r.tests)
        .filter(|t| t.name.is_some())
        .collect();
    assert!(!named.is_empty());
    assert!(named.iter().all(|t| t.reference.starts_with("AUTO-")));
}

/// The matrix's summary keeps its figures as numbers and its charts beside the tables (the
/// widest has 7 columns, A to G), not over them.
#[test]
fn matrix_summary_figures_are_numbers_and_its_charts_cover_no_table() {
    use calamine::{open_workbook, Data, Reader, Xlsx};
    let dir = tempfile::tempdir().unwrap();
    let store = demo(dir.path());
    let out = dir.path().join("out");
    write(&store, "VABF-2", Lang::Fr, &out);
    let path = out.join("matrice-VABF-2.xlsx");
    let mut wb: Xlsx<_> = open_workbook(&path).unwrap();
    let synth = wb.worksheet_range("Synthèse").unwrap();
    let rate = synth
        .rows()
        .find(|r| r.first().is_some_and(|c| *c == "Taux d'exécution"))
        .and_then(|r| r.get(1).cloned());
    assert!(matches!(rate, Some(Data::Float(_))), "{rate:?}");
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
    let mut drawing = String::new();
    use std::io::Read;
    zip.by_name("xl/drawings/drawing1.xml")
        .unwrap()
        .read_to_string(&mut drawing)
        .unwrap();
    let cols: Vec<u32> = drawing
        .split("<xdr:from><xdr:col>")
        .skip(1)
        .filter_map(|s| s.split('<').next()?.parse().ok())
        .collect();
    assert_eq!(cols.len(), 2, "{drawing}");
    assert!(
        cols.iter().all(|c| *c >= 7),
        "charts start at column {cols:?}"
    );
}
