//! Traceability rules, exit criteria and decisions, sign-off, verify, gate and report safety,
//! on small stores built through the library (and the CLI for exit codes).

use std::path::Path;

use assert_cmd::Command;
use recette::model::{
    AnomalyStatus, Criticality, Decision, ExecStatus, Phase, ReqStatus, Severity,
};
use recette::report::{self, Format, Options};
use recette::signoff::{sign, SignRequest};
use recette::store::{
    AnomalyPatch, Context, NewCampaign, NewDelivery, RequirementPatch, RunInput, Selection, Store,
    TestCasePatch, Tx,
};
use recette::trace::{compute, Coverage, ReqTraceStatus, Scope};
use recette::verdict::{Criterion, Evaluation, Strategy};

const NOW: &str = "2026-04-03T17:00:00Z";

fn ctx() -> Context {
    Context {
        actor: "testeur".into(),
        fixed_now: Some(NOW.into()),
    }
}

fn new_store(dir: &Path) -> Store {
    Store::init(&dir.join("recette.db"), ctx(), "Projet test").unwrap()
}

fn req(tx: &mut Tx<'_>, r: &str, crit: Criticality, title: &str) {
    tx.add_requirement(
        r,
        &RequirementPatch {
            title: Some(title.into()),
            criticality: Some(crit),
            category: Some("Lot A".into()),
            ..RequirementPatch::default()
        },
    )
    .unwrap();
}

fn test(tx: &mut Tx<'_>, t: &str, covers: &[&str]) {
    tx.add_test_case(
        t,
        &TestCasePatch {
            title: Some(format!("Test {t}")),
            active: Some(true),
            ..TestCasePatch::default()
        },
    )
    .unwrap();
    for r in covers {
        tx.add_link(r, t).unwrap();
    }
}

fn campaign(
    tx: &mut Tx<'_>,
    c: &str,
    delivery: Option<&str>,
    strategy: Option<&str>,
    tests: &[&str],
) {
    tx.add_campaign(
        c,
        &NewCampaign {
            title: format!("Campagne {c}"),
            delivery: delivery.map(str::to_string),
            strategy: strategy.map(str::to_string),
            phase: Phase::Vabf,
            start_date: Some("2026-03-01".into()),
            end_date: Some("2026-03-10".into()),
        },
    )
    .unwrap();
    if !tests.is_empty() {
        tx.select_tests(
            c,
            &Selection {
                tests: tests.iter().map(|s| s.to_string()).collect(),
                ..Selection::default()
            },
        )
        .unwrap();
    }
}

fn run(tx: &mut Tx<'_>, c: &str, t: &str, s: ExecStatus, at: &str) {
    let mut r = RunInput::status(s);
    r.executed_at = Some(at.into());
    tx.record_execution(c, t, &r).unwrap();
}

fn status_of(store: &Store, scope: Scope, r: &str) -> ReqTraceStatus {
    let t = compute(&store.trace_data(&scope).unwrap());
    t.requirements
        .iter()
        .find(|x| x.reference == r)
        .map(|x| x.status)
        .unwrap()
}

// ---------------------------------------------------------------- traceability rules

#[test]
fn requirement_status_rules() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = new_store(dir.path());
    store
        .write("t", |tx| {
            for (r, c) in [
                ("R-PASS", Criticality::Critique),
                ("R-FAIL", Criticality::Critique),
                ("R-BLOCK", Criticality::Majeure),
                ("R-NOTRUN", Criticality::Majeure),
                ("R-NA", Criticality::Mineure),
                ("R-ALLNA", Criticality::Mineure),
                ("R-OUT", Criticality::Mineure),
                ("R-NONE", Criticality::Critique),
                ("R-OBS", Criticality::Critique),
            ] {
                req(tx, r, c, r);
            }
            test(tx, "T1", &["R-PASS", "R-FAIL", "R-BLOCK", "R-NA", "R-OBS"]);
            test(tx, "T2", &["R-PASS"]);
            test(tx, "T3", &["R-FAIL", "R-BLOCK"]);
            test(tx, "T4", &["R-BLOCK"]);
            test(tx, "T5", &["R-NOTRUN", "R-NA"]);
            test(tx, "T6", &["R-NOTRUN"]);
            test(tx, "T7", &["R-NA", "R-ALLNA"]);
            test(tx, "T8", &["R-OUT"]);
            campaign(
                tx,
                "C1",
                None,
                None,
                &["T1", "T2", "T3", "T4", "T5", "T6", "T7"],
            );
            run(tx, "C1", "T1", ExecStatus::Passed, "2026-03-02T10:00:00");
            // The latest attempt wins: T2 failed first, then passed.
            run(tx, "C1", "T2", ExecStatus::Failed, "2026-03-02T10:00:00");
            run(tx, "C1", "T2", ExecStatus::Passed, "2026-03-03T10:00:00");
            run(tx, "C1", "T3", ExecStatus::Failed, "2026-03-02T10:00:00");
            run(tx, "C1", "T4", ExecStatus::Blocked, "2026-03-02T10:00:00");
            run(tx, "C1", "T5", ExecStatus::Passed, "2026-03-02T10:00:00");
            run(tx, "C1", "T6", ExecStatus::NotRun, "2026-03-02T10:00:00");
            run(
                tx,
                "C1",
                "T7",
                ExecStatus::NotApplicable,
                "2026-03-02T10:00:00",
            );
            tx.upsert_requirement(
                "R-OBS",
                &RequirementPatch {
                    status: Some(ReqStatus::Obsolete),
                    ..RequirementPatch::default()
                },
            )?;
            Ok(())
        })
        .unwrap();
    let c1 = || Scope::Campaign("C1".into());
    assert_eq!(status_of(&store, c1(), "R-PASS"), ReqTraceStatus::Passed);
    // failed beats blocked.
    assert_eq!(status_of(&store, c1(), "R-FAIL"), ReqTraceStatus::Failed);
    // failed (T3) beats blocked (T4) and passed (T1).
    assert_eq!(status_of(&store, c1(), "R-BLOCK"), ReqTraceStatus::Failed);
    assert_eq!(status_of(&store, c1(), "R-NOTRUN"), ReqTraceStatus::NotRun);
    // T7 N/A is ignored; T1 and T5 passed.
    assert_eq!(status_of(&store, c1(), "R-NA"), ReqTraceStatus::Passed);
    assert_eq!(status_of(&store, c1(), "R-ALLNA"), ReqTraceStatus::NotRun);
    // T8 is linked but not in the campaign: not run.
    assert_eq!(status_of(&store, c1(), "R-OUT"), ReqTraceStatus::NotRun);
    assert_eq!(status_of(&store, c1(), "R-NONE"), ReqTraceStatus::Uncovered);
    let t = compute(&store.trace_data(&c1()).unwrap());
    assert!(
        t.requirements.iter().all(|r| r.reference != "R-OBS"),
        "obsolete excluded"
    );
    assert_eq!(t.summary.obsolete, 1);
    assert_eq!(t.summary.requirements, 8);
    assert_eq!(t.summary.uncovered, 1);
    let none = t
        .requirements
        .iter()
        .find(|r| r.reference == "R-NONE")
        .unwrap();
    assert_eq!(none.coverage, Coverage::Uncovered);
    assert_eq!(t.summary.by_criticality["critique"].requirements, 3);
    assert_eq!(t.summary.by_criticality["critique"].passed, 1);
    // JSON shape.
    let v = serde_json::to_value(&t).unwrap();
    let r0 = &v["requirements"][0];
    for k in [
        "ref",
        "title",
        "criticality",
        "category",
        "coverage",
        "status",
        "suspect",
        "tests",
    ] {
        assert!(r0.get(k).is_some(), "missing {k}");
    }
    assert!(v["summary"]["coverage_rate"].is_number());
}

#[test]
fn status_of_a_blocked_requirement_and_suspect_links() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = new_store(dir.path());
    store
        .write("t", |tx| {
            req(tx, "R1", Criticality::Critique, "Titre");
            test(tx, "T1", &["R1"]);
            test(tx, "T2", &["R1"]);
            campaign(tx, "C1", None, None, &["T1", "T2"]);
            run(tx, "C1", "T1", ExecStatus::Passed, "2026-03-02T10:00:00");
            run(tx, "C1", "T2", ExecStatus::Blocked, "2026-03-02T10:00:00");
            // A new revision makes both links suspect; reviewing T1 clears it.
            tx.upsert_requirement(
                "R1",
                &RequirementPatch {
                    title: Some("Titre modifié".into()),
                    ..RequirementPatch::default()
                },
            )?;
            tx.review_links("R1", Some("T1"))?;
            Ok(())
        })
        .unwrap();
    let t = compute(&store.trace_data(&Scope::Campaign("C1".into())).unwrap());
    let r = &t.requirements[0];
    assert_eq!(r.status, ReqTraceStatus::Blocked);
    assert!(r.suspect);
    assert!(!r.tests[0].suspect && r.tests[1].suspect);
    assert_eq!(t.summary.suspect_links, 1);
}

#[test]
fn delivery_and_latest_scopes() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = new_store(dir.path());
    store
        .write("t", |tx| {
            tx.add_delivery("L1", &NewDelivery::default())?;
            tx.add_delivery("L2", &NewDelivery::default())?;
            req(tx, "R1", Criticality::Critique, "R1");
            test(tx, "T1", &["R1"]);
            campaign(tx, "C1", Some("L1"), None, &["T1"]);
            campaign(tx, "C2", Some("L2"), None, &["T1"]);
            run(tx, "C1", "T1", ExecStatus::Failed, "2026-03-02T10:00:00");
            run(tx, "C2", "T1", ExecStatus::Passed, "2026-03-20T10:00:00");
            Ok(())
        })
        .unwrap();
    assert_eq!(
        status_of(&store, Scope::Delivery("L1".into()), "R1"),
        ReqTraceStatus::Failed
    );
    assert_eq!(
        status_of(&store, Scope::Delivery("L2".into()), "R1"),
        ReqTraceStatus::Passed
    );
    assert_eq!(
        status_of(&store, Scope::Latest, "R1"),
        ReqTraceStatus::Passed
    );
    let t = compute(&store.trace_data(&Scope::Latest).unwrap());
    assert_eq!(t.summary.by_campaign["C1"].failed, 1);
    assert_eq!(t.summary.by_campaign["C2"].passed, 1);
}

// ---------------------------------------------------------------- decisions

/// A store with one critical requirement, two tests, one campaign on delivery L1, and a strategy:
/// blocking `failed_tests = 0`, non-blocking `pass_rate >= 100`... configurable by the caller.
fn decision_store(dir: &Path, results: &[(&str, ExecStatus)], criteria: &[(&str, bool)]) -> Store {
    let mut store = new_store(dir);
    let strategy = Strategy {
        reference: "S1".into(),
        title: "Stratégie".into(),
        phase: Phase::Vabf,
        scope: String::new(),
        max_ajournements: 1,
        reserve_days: 15,
        criteria: criteria
            .iter()
            .map(|(r, b)| Criterion::parse(r, *b, "").unwrap())
            .collect(),
        entry_criteria: Vec::new(),
        smoke_tag: "smoke".into(),
    };
    store
        .write("t", |tx| {
            tx.add_delivery(
                "L1",
                &NewDelivery {
                    lot: "Lot 1".into(),
                    ..NewDelivery::default()
                },
            )?;
            tx.add_strategy(&strategy)?;
            req(tx, "R1", Criticality::Critique, "R1");
            test(tx, "T1", &["R1"]);
            test(tx, "T2", &["R1"]);
            campaign(tx, "C1", Some("L1"), Some("S1"), &["T1", "T2"]);
            for (t, s) in results {
                run(tx, "C1", t, *s, "2026-03-02T10:00:00");
            }
            Ok(())
        })
        .unwrap();
    store
}

fn decision(store: &Store, c: &str) -> Decision {
    Evaluation::load(store, c).unwrap().verdict.decision
}

#[test]
fn admission_when_all_met_and_no_open_anomaly() {
    let dir = tempfile::tempdir().unwrap();
    let store = decision_store(
        dir.path(),
        &[("T1", ExecStatus::Passed), ("T2", ExecStatus::Passed)],
        &[
            ("failed_tests = 0", true),
            ("passed_rate_critique = 100", true),
        ],
    );
    let e = Evaluation::load(&store, "C1").unwrap();
    assert_eq!(e.verdict.decision, Decision::Admission);
    assert!(e.verdict.criteria.iter().all(|c| c.met));
    assert!(e.verdict.reservations.is_empty());
}

#[test]
fn reserves_with_open_anomaly_and_unmet_non_blocking() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = decision_store(
        dir.path(),
        &[("T1", ExecStatus::Passed), ("T2", ExecStatus::Failed)],
        &[("open_bloquante = 0", true), ("pass_rate >= 100", false)],
    );
    store
        .write("t", |tx| {
            tx.add_anomaly(
                "FA-1",
                "Libellé tronqué",
                Severity::Mineure,
                &AnomalyPatch {
                    found_in: Some("L1".into()),
                    ..AnomalyPatch::default()
                },
            )
        })
        .unwrap();
    let e = Evaluation::load(&store, "C1").unwrap();
    assert_eq!(e.verdict.decision, Decision::Reserves);
    assert_eq!(e.verdict.reservations.len(), 2);
    let a = &e.verdict.reservations[0];
    assert_eq!(a.anomaly.as_deref(), Some("FA-1"));
    // Due 15 days after the signing date (today until signed: 2026-04-03), not after the
    // campaign's end (2026-03-10).
    assert_eq!(a.deadline, "2026-04-18");
    assert!(e.verdict.reservations[1].criterion.is_some());
}

#[test]
fn ajournement_then_rejet_after_max_ajournements() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = decision_store(
        dir.path(),
        &[("T1", ExecStatus::Passed), ("T2", ExecStatus::Failed)],
        &[("failed_tests = 0", true)],
    );
    assert_eq!(decision(&store, "C1"), Decision::Ajournement);
    sign(
        &mut store,
        &SignRequest {
            campaign: "C1".into(),
            decision: Decision::Ajournement,
            reserves: vec![],
            reservations: None,
            deadline: None,
            signatories: vec!["Alice, MOA".into()],
            vendor_signatories: vec![],
            reports: None,
            comment: String::new(),
            supersede: None,
            dry_run: false,
            lang: recette::i18n::Lang::Fr,
        },
    )
    .unwrap();
    // A corrected delivery of the same lot, presented again, still failing: max 1 ajournement.
    store
        .write("t", |tx| {
            tx.add_delivery(
                "L2",
                &NewDelivery {
                    lot: "Lot 1".into(),
                    ..NewDelivery::default()
                },
            )?;
            campaign(tx, "C2", Some("L2"), Some("S1"), &["T1", "T2"]);
            run(tx, "C2", "T1", ExecStatus::Passed, "2026-03-20T10:00:00");
            run(tx, "C2", "T2", ExecStatus::Failed, "2026-03-20T10:00:00");
            Ok(())
        })
        .unwrap();
    let e = Evaluation::load(&store, "C2").unwrap();
    assert_eq!(e.verdict.previous_ajournements, 1);
    assert_eq!(e.verdict.decision, Decision::Rejet);
}

#[test]
fn rejet_when_nothing_could_be_executed() {
    let dir = tempfile::tempdir().unwrap();
    let store = decision_store(
        dir.path(),
        &[("T1", ExecStatus::NotRun)],
        &[("open_bloquante = 0", true)],
    );
    assert_eq!(decision(&store, "C1"), Decision::Rejet);
}

#[test]
fn default_strategy_when_campaign_has_none() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = new_store(dir.path());
    store
        .write("t", |tx| {
            req(tx, "R1", Criticality::Critique, "R1");
            test(tx, "T1", &["R1"]);
            campaign(tx, "C1", None, None, &["T1"]);
            run(tx, "C1", "T1", ExecStatus::Passed, "2026-03-02T10:00:00");
            Ok(())
        })
        .unwrap();
    let e = Evaluation::load(&store, "C1").unwrap();
    assert!(e.verdict.default_strategy);
    assert_eq!(e.verdict.criteria.len(), 5);
    assert_eq!(e.verdict.decision, Decision::Admission);
}

// ---------------------------------------------------------------- sign-off, verify, gate

fn bin() -> Command {
    let mut c = Command::cargo_bin("recette").unwrap();
    c.env("RECETTE_NOW", NOW)
        .env("RECETTE_USER", "testeur")
        .env_remove("RECETTE_DB")
        .env_remove("RECETTE_LANG");
    c
}

#[test]
fn signoff_is_immutable_and_verify_detects_one_byte() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = decision_store(
        dir.path(),
        &[("T1", ExecStatus::Passed), ("T2", ExecStatus::Failed)],
        &[("open_bloquante = 0", true)],
    );
    store
        .write("t", |tx| {
            tx.add_anomaly(
                "FA-1",
                "Anomalie",
                Severity::Majeure,
                &AnomalyPatch {
                    found_in: Some("L1".into()),
                    ..AnomalyPatch::default()
                },
            )
        })
        .unwrap();
    let signed = sign(
        &mut store,
        &SignRequest {
            campaign: "C1".into(),
            decision: Decision::Reserves,
            reserves: vec!["Fournir la documentation d'exploitation".into()],
            reservations: None,
            deadline: None,
            signatories: vec!["Alice Martin, cheffe de projet MOA".into()],
            vendor_signatories: vec!["Bob, titulaire".into()],
            reports: None,
            comment: String::new(),
            supersede: None,
            dry_run: false,
            lang: recette::i18n::Lang::Fr,
        },
    )
    .unwrap();
    assert_eq!(signed.number, 1);
    let refs: Vec<&str> = signed
        .record
        .reservations
        .iter()
        .map(|r| r.reference.as_str())
        .collect();
    assert_eq!(refs, ["RES-1", "RES-2"]);
    assert_eq!(
        signed.record.files.len(),
        6,
        "bilan html, md, pdf, matrice, pv html, pdf"
    );
    let pv = signed.dir.join("pv-C1.html");
    let html = std::fs::read_to_string(&pv).unwrap();
    assert!(html.contains("RES-1") && html.contains("Alice Martin"));
    drop(store);

    let db = dir.path().join("recette.db");
    // The triggers forbid changing or deleting a sign-off.
    let conn = rusqlite::Connection::open(&db).unwrap();
    assert!(conn
        .execute("UPDATE signoff SET decision = 'admission'", [])
        .is_err());
    assert!(conn.execute("DELETE FROM signoff", []).is_err());
    assert!(conn
        .execute("UPDATE signoff_file SET sha256 = 'x'", [])
        .is_err());
    drop(conn);

    // verify: the file matches; one changed byte does not.
    bin()
        .args(["--db"])
        .arg(&db)
        .arg("verify")
        .arg(&pv)
        .assert()
        .success()
        .stdout(predicates::str::contains("C1"))
        .stdout(predicates::str::contains("Alice Martin"));
    let mut bytes = std::fs::read(&pv).unwrap();
    let i = bytes.len() / 2;
    bytes[i] ^= 0x01;
    let tampered = dir.path().join("pv-modifie.html");
    std::fs::write(&tampered, &bytes).unwrap();
    bin()
        .args(["--db"])
        .arg(&db)
        .arg("verify")
        .arg(&tampered)
        .assert()
        .code(1);

    // Lifting a reservation never changes the sign-off.
    bin()
        .args(["--db"])
        .arg(&db)
        .args(["reserve", "lift", "RES-2", "--comment", "Livrée"])
        .assert()
        .success();
    bin()
        .args(["--db"])
        .arg(&db)
        .args(["reserve", "lift", "RES-2"])
        .assert()
        .code(1);
    let out = bin()
        .args(["--db"])
        .arg(&db)
        .args(["reserve", "list", "--open", "--json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 1);
    assert_eq!(v[0]["ref"], "RES-1");
    bin()
        .args(["--db"])
        .arg(&db)
        .arg("verify")
        .arg(&pv)
        .assert()
        .success();
    // Audited.
    let out = bin()
        .args(["--db"])
        .arg(&db)
        .args(["log", "--json"])
        .output()
        .unwrap();
    let log = String::from_utf8_lossy(&out.stdout);
    assert!(log.contains("\"signoff\"") && log.contains("\"lift\""));
}

#[test]
fn gate_exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("recette.db");
    let ok = |args: &[&str]| {
        bin().args(["--db"]).arg(&db).args(args).assert().success();
    };
    ok(&["init", "--project", "Gate"]);
    ok(&[
        "req",
        "add",
        "R1",
        "--title",
        "Exigence",
        "--criticality",
        "critique",
    ]);
    ok(&["test", "add", "T1", "--title", "Test", "--covers", "R1"]);
    ok(&["test", "add", "T2", "--title", "Test 2", "--covers", "R1"]);
    ok(&["strategy", "create", "S1", "--phase", "vabf"]);
    ok(&["strategy", "criterion", "S1", "open_bloquante = 0"]);
    ok(&[
        "strategy",
        "criterion",
        "S1",
        "pass_rate >= 100",
        "--non-blocking",
    ]);
    ok(&["campaign", "create", "C1", "--strategy", "S1"]);
    ok(&["campaign", "add", "C1", "--all"]);
    ok(&["run", "C1", "T1", "--status", "OK"]);
    ok(&["run", "C1", "T2", "--status", "OK"]);
    bin()
        .args(["--db"])
        .arg(&db)
        .args(["gate", "C1"])
        .assert()
        .code(0);
    // A failed test: pass rate unmet but non-blocking -> reserves.
    ok(&["run", "C1", "T2", "--status", "KO"]);
    bin()
        .args(["--db"])
        .arg(&db)
        .args(["gate", "C1"])
        .assert()
        .code(1)
        .stdout(predicates::str::contains("Admission avec réserves"));
    bin()
        .args(["--db"])
        .arg(&db)
        .args(["gate", "C1", "--allow-reserves"])
        .assert()
        .code(0);
    // An open blocking anomaly on the campaign -> ajournement.
    ok(&[
        "anomaly",
        "add",
        "FA-1",
        "--title",
        "Plantage",
        "--severity",
        "bloquante",
    ]);
    ok(&["run", "C1", "T2", "--status", "KO", "--anomaly", "FA-1"]);
    bin()
        .args(["--db"])
        .arg(&db)
        .args(["--lang", "en", "gate", "C1", "--allow-reserves"])
        .assert()
        .code(1)
        .stdout(predicates::str::contains("Postponement"));
    let out = bin()
        .args(["--db"])
        .arg(&db)
        .args(["verdict", "C1", "--json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["decision"], "ajournement");
    // Strategy round trip.
    let out = bin()
        .args(["--db"])
        .arg(&db)
        .args(["strategy", "show", "S1", "--json"])
        .output()
        .unwrap();
    let s: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(s["criteria"].as_array().unwrap().len(), 2);
    bin()
        .args(["--db"])
        .arg(&db)
        .args(["strategy", "criterion", "S1", "bogus >= 1"])
        .assert()
        .code(1);

    // Reports produced by hand, then sealed with --reports; verify finds them.
    let out = dir.path().join("rapports");
    bin()
        .args(["--db"])
        .arg(&db)
        .args(["--lang", "en", "report", "C1", "--out"])
        .arg(&out)
        .args(["--format", "html,pv"])
        .assert()
        .success()
        .stdout(predicates::str::contains("bilan-C1.html"));
    assert!(out.join("pv-C1.html").exists() && !out.join("bilan-C1.md").exists());
    bin()
        .args(["--db"])
        .arg(&db)
        .args([
            "signoff",
            "C1",
            "--decision",
            "ajournement",
            "--signatory",
            "Alice, MOA",
            "--reports",
        ])
        .arg(&out)
        .assert()
        .success();
    bin()
        .args(["--db"])
        .arg(&db)
        .arg("verify")
        .arg(out.join("bilan-C1.html"))
        .assert()
        .success()
        .stdout(predicates::str::contains("Ajournement"));
    // The next verdict counts that ajournement.
    let out = bin()
        .args(["--db"])
        .arg(&db)
        .args(["verdict", "C1", "--json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["previous_ajournements"], 1);
}

#[test]
fn strategy_fixture_imports() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("recette.db");
    bin()
        .args(["--db"])
        .arg(&db)
        .args(["init"])
        .assert()
        .success();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/strategies/vabf.toml");
    bin()
        .args(["--db"])
        .arg(&db)
        .args(["strategy", "import"])
        .arg(&fixture)
        .assert()
        .success();
    // Importing again replaces it.
    bin()
        .args(["--db"])
        .arg(&db)
        .args(["strategy", "import"])
        .arg(&fixture)
        .assert()
        .success()
        .stdout(predicates::str::contains("remplacée"));
    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, "ref = \"S\"\n[[criteria]]\nrule = \"nope = 1\"\n").unwrap();
    bin()
        .args(["--db"])
        .arg(&db)
        .args(["strategy", "import"])
        .arg(&bad)
        .assert()
        .code(1)
        .stderr(predicates::str::contains("critère 1"));
}

// ---------------------------------------------------------------- hostile text

#[test]
fn hostile_text_is_harmless_in_every_report() {
    const SCRIPT: &str = "<script>alert(1)</script>";
    const FORMULA: &str = "=cmd|' /C calc'!A0";
    let dir = tempfile::tempdir().unwrap();
    let mut store = new_store(dir.path());
    store
        .write("t", |tx| {
            req(tx, "R1", Criticality::Critique, SCRIPT);
            req(tx, "R2", Criticality::Critique, FORMULA);
            test(tx, "T1", &["R1", "R2"]);
            campaign(tx, "C1", None, None, &["T1"]);
            run(tx, "C1", "T1", ExecStatus::Failed, "2026-03-02T10:00:00");
            tx.add_anomaly(
                "FA-1",
                "@SUM(1+1)*cmd|' /C calc'!A0",
                Severity::Majeure,
                &AnomalyPatch {
                    status: Some(AnomalyStatus::Ouverte),
                    ..AnomalyPatch::default()
                },
            )?;
            Ok(())
        })
        .unwrap();
    let eval = Evaluation::load(&store, "C1").unwrap();
    let out = dir.path().join("rapports");
    report::write_reports(
        &eval,
        &Options {
            lang: recette::i18n::Lang::Fr,
            formats: Format::ALL.to_vec(),
            templates: None,
            issued_on: None,
        },
        &out,
        None,
    )
    .unwrap();
    let html = std::fs::read_to_string(out.join("bilan-C1.html")).unwrap();
    assert!(!html.contains(SCRIPT));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt;"));
    assert!(
        !html.to_lowercase().contains("<script"),
        "no script element at all"
    );
    assert!(
        !html.contains("http://") && !html.contains("https://")
            || html.contains("http://www.w3.org/2000/svg")
    );
    let md = std::fs::read_to_string(out.join("bilan-C1.md")).unwrap();
    assert!(!md.contains("<script>"));
    assert!(md.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(
        md.contains("=cmd\\|' /C calc'\\!A0"),
        "pipe escaped in markdown"
    );

    // xlsx: read back with calamine; the cell is a string, not a formula.
    use calamine::{open_workbook, Data, Reader, Xlsx};
    let path = out.join("matrice-C1.xlsx");
    let mut wb: Xlsx<_> = open_workbook(&path).unwrap();
    let range = wb.worksheet_range("Traçabilité").unwrap();
    let cell = range
        .rows()
        .find(|r| r.first() == Some(&Data::String("R2".into())))
        .map(|r| r[1].clone())
        .unwrap();
    assert_eq!(cell, Data::String(FORMULA.into()));
    let formulas = wb.worksheet_formula("Traçabilité").unwrap();
    assert!(formulas.used_cells().all(|(_, _, f)| f.is_empty()));
    // And no <f> element anywhere in the sheets; the quote-prefix style is present.
    let file = std::fs::File::open(&path).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    let mut styles = String::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let name = f.name().map(|n| n.to_string()).unwrap_or_default();
        let mut text = String::new();
        std::io::Read::read_to_string(&mut f, &mut text).unwrap();
        if name.starts_with("xl/worksheets/") {
            assert!(
                !text.contains("<f>") && !text.contains("<f "),
                "{name} holds a formula"
            );
        }
        if name == "xl/styles.xml" {
            styles = text;
        }
    }
    assert!(styles.contains("quotePrefix=\"1\""));
}
