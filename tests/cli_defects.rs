//! Smaller defects of issue 14: a requirement passed only through suspect links is "à
//! revérifier" (trace, verdict indicators, bilan); StrictDoc's Python escapes in ReqIF are
//! restored. (`import --partial` and refused step rows: tests/cli_import_sheets.rs.)

mod common;

use common::Project;

fn suspect_only() -> Project {
    let p = Project::small();
    p.ok(&["campaign", "add", "C1", "--all"]);
    p.ok(&["run", "C1", "CT-001", "--status", "OK"]);
    p.ok(&["run", "C1", "CT-002", "--status", "OK"]);
    p.ok(&["run", "C1", "CT-003", "--status", "OK"]);
    // EXI-002 changes: its links to CT-002 and CT-003 become suspect, and those are its only
    // results.
    p.ok(&[
        "req",
        "edit",
        "EXI-002",
        "--title",
        "Payer en ligne par carte",
    ]);
    p
}

#[test]
fn a_requirement_passed_only_through_suspect_links_is_to_recheck() {
    let p = suspect_only();
    let t = p.json(&["trace", "--campaign", "C1"]);
    let status = |r: &str| {
        t["requirements"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["ref"] == r)
            .unwrap()["status"]
            .clone()
    };
    assert_eq!(status("EXI-002"), "to_recheck");
    assert_eq!(status("EXI-001"), "passed");
    assert_eq!(t["summary"]["by_status"]["to_recheck"], 1);
    assert_eq!(t["summary"]["by_status"]["passed"], 1);
    assert_eq!(t["summary"]["by_criticality"]["majeure"]["to_recheck"], 1);
    assert_eq!(t["summary"]["by_criticality"]["majeure"]["passed"], 0);
    // The verdict does not count it as passed.
    let v = p.json(&["verdict", "C1"]);
    let m = &v["measures"];
    let m = if m.is_null() { &v["indicators"] } else { m };
    assert_eq!(m["passed_rate_majeure"], 0.0, "{v}");
    assert_eq!(m["to_recheck_requirements"], 1.0, "{v}");
    // The bilan names it.
    p.ok(&["report", "C1", "--out", "rapports", "--format", "md"]);
    let md = std::fs::read_to_string(p.path().join("rapports/bilan-C1.md")).unwrap();
    assert!(md.contains("À revérifier"), "{md}");
    let out = p.ok(&["trace", "--campaign", "C1"]);
    assert!(out.contains("À revérifier 1"), "{out}");
    // Reviewing the links makes the results count again.
    p.ok(&["link", "review", "EXI-002"]);
    let t = p.json(&["trace", "--campaign", "C1"]);
    assert_eq!(t["summary"]["by_status"]["to_recheck"], 0);
    assert_eq!(t["summary"]["by_status"]["passed"], 2);
}

#[test]
fn a_failed_result_through_a_suspect_link_stays_failed() {
    let p = Project::small();
    p.ok(&["campaign", "add", "C1", "--all"]);
    p.ok(&["run", "C1", "CT-002", "--status", "KO"]);
    p.ok(&["run", "C1", "CT-003", "--status", "OK"]);
    p.ok(&[
        "req",
        "edit",
        "EXI-002",
        "--title",
        "Payer en ligne par carte",
    ]);
    let t = p.json(&["trace", "--campaign", "C1"]);
    assert_eq!(t["summary"]["by_status"]["failed"], 1);
    assert_eq!(t["summary"]["by_status"]["to_recheck"], 0);
}

#[test]
fn strictdoc_reqif_gets_its_characters_back() {
    let p = Project::new();
    let f = common::fixture("interop/strictdoc-exigences.reqif");
    let dest = p.path().join("strictdoc-exigences.reqif");
    std::fs::copy(&f, &dest).unwrap();
    let out = p.ok(&["import", "strictdoc-exigences.reqif"]);
    assert!(out.contains("Dématérialisation"), "{out}");
    let r = p.json(&["req", "show", "EXI-DEM-001"]);
    assert_eq!(r["title"], "Création d’un dossier");
    assert_eq!(
        r["description"],
        "L’usager dépose sa demande ; le système crée le dossier à l’état « déposé »."
    );
    assert_eq!(r["source"], "Exigences dématérialisation");
    let r = p.json(&["req", "show", "EXI-DEM-002"]);
    assert_eq!(r["title"], "Reçu payé en €");
    assert_eq!(
        r["description"],
        "Le chemin C:\\recette reste écrit tel quel."
    );
    // A file from another tool keeps its backslashes: only StrictDoc's header turns them on.
    let other = std::fs::read_to_string(&f)
        .unwrap()
        .replace("<REQ-IF-TOOL-ID>strictdoc", "<REQ-IF-TOOL-ID>DOORS")
        .replace("<SOURCE-TOOL-ID>strictdoc", "<SOURCE-TOOL-ID>DOORS")
        .replace("EXI-DEM-00", "EXI-AUT-00");
    std::fs::write(p.path().join("autre.reqif"), other).unwrap();
    p.ok(&["import", "autre.reqif"]);
    let r = p.json(&["req", "show", "EXI-AUT-001"]);
    assert_eq!(r["title"], "Cr\\xe9ation d\\u2019un dossier");
}
