//! Vendor follow-up: delivery claims and documents, decision deadline, retest campaign
//! selection with reasons, anomalies closed or reopened by retests, vendor indicators.

mod common;

use common::Project;
use serde_json::json;

/// A first delivery with a failed campaign and two anomalies, then a second delivery that
/// claims to fix both.
fn project() -> Project {
    let p = Project::small();
    p.ok(&[
        "test",
        "add",
        "CT-004",
        "--title",
        "Export",
        "--step",
        "Exporter => Fichier",
        "--covers",
        "EXI-003",
        "--tag",
        "non-regression",
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
        "anomaly",
        "add",
        "FA-2",
        "--title",
        "Reçu faux",
        "--severity",
        "majeure",
        "--found-in",
        "LIV-1",
    ]);
    p.ok(&["run", "C1", "CT-001", "--status", "KO", "--anomaly", "FA-1"]);
    p.ok(&["run", "C1", "CT-002", "--status", "KO", "--anomaly", "FA-2"]);
    p.ok(&["run", "C1", "CT-003", "--status", "Bloqué"]);
    p.ok(&["run", "C1", "CT-004", "--status", "OK"]);
    p.ok(&[
        "delivery",
        "add",
        "LIV-2",
        "--version",
        "1.1",
        "--vendor",
        "ACME",
        "--planned",
        "2026-03-10",
        "--delivered",
        "2026-03-12",
        "--decision-days",
        "15",
        "--fixes",
        "FA-1",
        "--fixes",
        "FA-2",
        "--changes",
        "EXI-003",
        "--document",
        "Notes de version",
        "--document",
        "Guide d'installation",
    ]);
    p
}

#[test]
fn delivery_claims_move_anomalies_to_retest_and_compute_the_deadline() {
    let p = project();
    let d = p.json(&["delivery", "show", "LIV-2"]);
    assert_eq!(d["decision_days"], 15);
    assert_eq!(d["decision_deadline"], "2026-03-27");
    assert_eq!(d["fixes"][0]["anomaly"], "FA-1");
    assert_eq!(d["fixes"][0]["status"], "a_retester");
    assert_eq!(
        d["requirements"],
        json!([{"requirement": "EXI-003", "change": "changed"}])
    );
    assert_eq!(
        d["documents"][0],
        json!({"name": "Guide d'installation", "state": "expected", "comment": ""})
    );
    let a = p.json(&["anomaly", "list"]);
    assert_eq!(a[0]["fixed_in"], "LIV-2");
    // Project default when the delivery sets none.
    p.ok(&["config", "decision_days", "45"]);
    p.ok(&["delivery", "add", "LIV-3", "--delivered", "01/04/2026"]);
    assert_eq!(
        p.json(&["delivery", "show", "LIV-3"])["decision_deadline"],
        "2026-05-16"
    );
    let err = p.fails(
        1,
        &[
            "delivery",
            "doc",
            "LIV-2",
            "Notes de version",
            "--state",
            "perdu",
        ],
    );
    assert!(err.contains("état de document inconnu"), "{err}");
}

#[test]
fn retest_dry_run_lists_each_test_with_its_reasons_and_writes_nothing() {
    let p = project();
    let plan = p.json(&[
        "campaign",
        "create",
        "C2",
        "--delivery",
        "LIV-2",
        "--retest",
        "--dry-run",
    ]);
    insta::assert_json_snapshot!("retest_plan", plan);
    let refs: Vec<&str> = plan["tests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["ref"].as_str().unwrap())
        .collect();
    // Retests first (FA-1 -> CT-001, FA-2 -> CT-002), then the changed requirement's test, then
    // non-regression (critical requirement EXI-001 -> CT-003, blocked in C1).
    assert_eq!(refs, ["CT-001", "CT-002", "CT-004", "CT-003"]);
    assert_eq!(
        p.json(&["campaign", "list"]).as_array().map(Vec::len),
        Some(1)
    );
    // Without the failed-in-last-campaign rule and with no critical tests, CT-003 is not there.
    let plan = p.json(&[
        "campaign",
        "create",
        "C2",
        "--delivery",
        "LIV-2",
        "--retest",
        "--dry-run",
        "--nr-criticality",
        "mineure",
        "--no-nr-failed",
    ]);
    let refs: Vec<&str> = plan["tests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["ref"].as_str().unwrap())
        .collect();
    assert_eq!(refs, ["CT-001", "CT-002", "CT-004"]);
}

#[test]
fn retests_close_or_reopen_anomalies_and_feed_vendor_indicators() {
    let p = project();
    p.ok(&[
        "campaign",
        "create",
        "C2",
        "--delivery",
        "LIV-2",
        "--retest",
    ]);
    let c = p.json(&["campaign", "show", "C2"]);
    assert_eq!(
        c["tests"][0]["reason"],
        "retest FA-1 ; non-régression : exigence critique EXI-001 ; en échec dans la campagne C1"
    );
    p.cmd()
        .args(["--as", "Marie", "run", "C2", "CT-001", "--status", "OK"])
        .assert()
        .success();
    p.ok(&["run", "C2", "CT-002", "--status", "KO"]);
    let a = p.json(&["anomaly", "list"]);
    assert_eq!(a[0]["status"], "close");
    assert_eq!(a[0]["closed_at"], "2026-03-15T09:00:00Z");
    assert_eq!(a[1]["status"], "rouverte");
    assert_eq!(a[1]["reopen_count"], 1);
    // The failed retest is linked to the reopened anomaly.
    assert_eq!(
        p.json(&["campaign", "show", "C2"])["tests"][1]["anomalies"],
        json!(["FA-2"])
    );
    let log = p.json(&["log", "--ref", "FA-1"]);
    assert_eq!(log.as_array().unwrap().last().unwrap()["actor"], "Marie");
    let v = p.json(&["vendor"]);
    insta::assert_json_snapshot!("vendor", v);
    let liv2 = &v["deliveries"][1];
    assert_eq!(liv2["days_late"], 2);
    assert_eq!(liv2["fixes_claimed"], 2);
    assert_eq!(liv2["fixes_confirmed"], 1);
    // Rates are percentages in every JSON output.
    assert_eq!(liv2["reopen_rate"], 50.0);
    assert_eq!(liv2["first_time_pass_rate"], 50.0);
    assert_eq!(
        liv2["documents_missing"],
        json!(["Guide d'installation", "Notes de version"])
    );
    assert_eq!(liv2["days_to_decision"], 12);
    assert_eq!(
        v["deliveries"][0]["anomalies_found"],
        json!({"bloquante": 1, "majeure": 1, "mineure": 0})
    );
    // Receiving the documents removes them from the missing list.
    p.ok(&[
        "delivery",
        "doc",
        "LIV-2",
        "Notes de version",
        "--state",
        "accepté",
    ]);
    p.ok(&[
        "delivery",
        "doc",
        "LIV-2",
        "Guide d'installation",
        "--state",
        "reçu",
    ]);
    assert_eq!(
        p.json(&["vendor"])["deliveries"][1]["documents_missing"],
        json!([])
    );
    let text = p.ok(&["vendor"]);
    assert!(
        text.contains("27/03/2026 (J-12)") && text.contains("50,0 %"),
        "{text}"
    );
}

#[test]
fn retest_without_anything_to_run_is_refused() {
    let p = Project::small();
    p.ok(&["delivery", "add", "LIV-2"]);
    let err = p.fails(
        1,
        &[
            "campaign",
            "create",
            "C2",
            "--delivery",
            "LIV-2",
            "--retest",
            "--no-nr-failed",
            "--nr-criticality",
            "mineure",
            "--nr-tag",
            "aucune",
        ],
    );
    assert!(err.contains("aucun test à reprendre"), "{err}");
    p.fails(2, &["campaign", "create", "C2", "--retest"]);
}
