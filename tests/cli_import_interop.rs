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
