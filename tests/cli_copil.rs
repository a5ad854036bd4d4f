//! `recette report copil`: the steering-committee dashboard (HTML and xlsx) over every delivery
//! and campaign, with its risks and decisions.

mod common;

use std::io::Read;

use common::Project;

fn demo(p: &Project) -> String {
    let out = p.path().join("demo");
    let mut c = p.cmd();
    c.args(["demo", "--out", out.to_str().unwrap()])
        .env("RECETTE_NOW", "2026-04-03T17:00:00Z");
    assert!(c.output().unwrap().status.success());
    out.join("recette.db").to_str().unwrap().to_string()
}

fn copil(p: &Project, db: &str, now: &str, lang: &str) -> (String, std::path::PathBuf) {
    let out = p.path().join(format!("copil-{lang}-{now}"));
    let mut c = p.cmd();
    c.env("RECETTE_DB", db).env("RECETTE_NOW", now).args([
        "--lang",
        lang,
        "report",
        "copil",
        "--out",
        out.to_str().unwrap(),
    ]);
    let o = c.output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    (
        std::fs::read_to_string(out.join("copil.html")).unwrap(),
        out.join("copil.xlsx"),
    )
}

#[test]
fn dashboard_shows_progress_trends_risks_and_decisions() {
    let p = Project::empty();
    let db = demo(&p);
    let (html, xlsx) = copil(&p, &db, "2026-04-20T10:00:00Z", "fr");
    insta::assert_snapshot!("copil_fr", html);
    // Self-contained: no script, no external resource.
    assert!(!html.contains("<script") && !html.contains("<link") && !html.contains("src=\"http"));
    // Risks: decision deadline of LIV-1.1 (23/04/2026) is 3 days away; a document is missing.
    assert!(
        text(&html).contains("décision à notifier avant le 23/04/2026 (J-3)"),
        "deadline risk"
    );
    assert!(html.contains("Rapport de tests du prestataire"));
    // The signed ajournement of VABF-1 is in the decisions.
    assert!(html.contains("Claire Wahetra"));
    // Workbook with native charts and the same figures.
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&xlsx).unwrap()).unwrap();
    assert!(zip.by_name("xl/charts/chart1.xml").is_ok());
    assert!(zip.by_name("xl/charts/chart2.xml").is_ok());
    let mut sheet = String::new();
    zip.by_name("xl/worksheets/sheet2.xml")
        .unwrap()
        .read_to_string(&mut sheet)
        .unwrap();
    assert!(!sheet.contains("<f>"), "no formula in the campaigns sheet");
}

#[test]
fn passed_deadline_is_flagged_as_tacit_acceptance_and_english_works() {
    let p = Project::empty();
    let db = demo(&p);
    let (html, _) = copil(&p, &db, "2026-05-02T10:00:00Z", "fr");
    assert!(
        html.contains("échéance dépassée : admission tacite"),
        "passed deadline"
    );
    let (en, _) = copil(&p, &db, "2026-04-20T10:00:00Z", "en");
    assert!(
        en.contains("Steering committee dashboard")
            && en.contains("decision due by 2026-04-23 (J-3)")
    );
    insta::assert_snapshot!("copil_en", en);
}

#[test]
fn blocking_anomalies_and_overdue_reservations_are_risks() {
    let p = Project::small();
    p.ok(&[
        "anomaly",
        "add",
        "FA-<b>",
        "--title",
        "<script>alert(1)</script>",
        "--severity",
        "bloquante",
    ]);
    p.ok(&["campaign", "add", "C1", "--all"]);
    p.ok(&["run", "C1", "CT-001", "--status", "OK"]);
    p.ok(&[
        "signoff",
        "C1",
        "--decision",
        "reserves",
        "--reserve",
        "Corriger le libellé",
        "--signatory",
        "A, MOA",
    ]);
    let db = p.db().to_str().unwrap().to_string();
    let (html, _) = copil(&p, &db, "2027-01-01T00:00:00Z", "fr");
    assert!(html.contains("Anomalie bloquante ouverte"));
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt;")
            || html.contains("&lt;script&gt;"),
        "escaped"
    );
    assert!(!html.contains("<script>alert"));
    assert!(
        html.contains("Réserve non levée après l&#x27;échéance")
            || html.contains("Réserve non levée")
    );
}

/// The page's text with minijinja's entity escapes of `/` and `'` read back.
fn text(html: &str) -> String {
    html.replace("&#x2f;", "/").replace("&#x27;", "'")
}

/// The COPIL workbook stores what it shows as numbers, percentages and dates (they sort, sum
/// and chart in a spreadsheet); its charts start at 0 and pass is green, never red.
#[test]
fn the_workbook_stores_numbers_and_dates_and_its_charts_read_right() {
    use calamine::{open_workbook, Data, Reader, Xlsx};
    let p = Project::empty();
    let db = demo(&p);
    let (_, xlsx) = copil(&p, &db, "2026-04-20T10:00:00Z", "fr");
    let mut wb: Xlsx<_> = open_workbook(&xlsx).unwrap();
    // The whole workbook, sheet by sheet, as a snapshot.
    let mut dump = String::new();
    for name in wb.sheet_names().to_vec() {
        dump.push_str(&format!("## {name}\n"));
        for row in wb.worksheet_range(&name).unwrap().rows() {
            let cells: Vec<String> = row
                .iter()
                .map(|c| match c {
                    Data::DateTime(d) => format!("date:{}", d.as_f64()),
                    Data::Float(f) => format!("num:{f}"),
                    other => other.to_string(),
                })
                .collect();
            dump.push_str(&cells.join(" | "));
            dump.push('\n');
        }
    }
    insta::assert_snapshot!("copil_fr_xlsx", dump);
    let synth = wb.worksheet_range("Synthèse").unwrap();
    assert!(
        matches!(synth.get((2, 1)), Some(Data::DateTime(_))),
        "issue date: {:?}",
        synth.get((2, 1))
    );
    match synth.get((4, 1)) {
        Some(Data::Float(v)) => assert!((0.0..=1.0).contains(v), "coverage {v}"),
        other => panic!("coverage stored as {other:?}"),
    }
    let liv = wb.worksheet_range("Livraisons").unwrap();
    assert!(
        matches!(liv.get((1, 2)), Some(Data::DateTime(_))),
        "planned date: {:?}",
        liv.get((1, 2))
    );
    assert!(
        matches!(liv.get((1, 4)), Some(Data::Float(_))),
        "days late: {:?}",
        liv.get((1, 4))
    );
    let dec = wb.worksheet_range("Décisions").unwrap();
    assert!(
        matches!(dec.get((1, 2)), Some(Data::DateTime(_))),
        "decision date: {:?}",
        dec.get((1, 2))
    );
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&xlsx).unwrap()).unwrap();
    let mut chart = String::new();
    zip.by_name("xl/charts/chart1.xml")
        .unwrap()
        .read_to_string(&mut chart)
        .unwrap();
    assert!(chart.contains(r#"<c:min val="0"/>"#), "axis from 0");
    assert!(chart.contains("2E7D32"), "pass rate in green");
    assert!(!chart.contains("C0504D"), "no red series");
}
