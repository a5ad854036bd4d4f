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
