//! The library entry points the CLI and the web share (`recette::ops`), driven as the web
//! drives them: uploads in memory, dry run then apply, typed outcomes.

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

use recette::i18n::Lang;
use recette::import::input::Input;
use recette::import::results::ResultFormat;
use recette::ops::import::{run_import, ImportError, ImportRequest};
use recette::ops::{self, no_progress};
use recette::store::{Context, NewCampaign, ResultFilter, Store};

fn ctx() -> Context {
    Context {
        actor: "web-testeur".into(),
        fixed_now: Some("2026-03-15T09:00:00Z".into()),
    }
}

fn store_with_campaign(dir: &Path) -> Store {
    let mut store = Store::init(&dir.join("recette.db"), ctx(), "Essai").unwrap();
    store
        .write("campaign create", |tx| {
            tx.add_campaign(
                "C",
                &NewCampaign {
                    title: "Campagne".into(),
                    delivery: None,
                    strategy: None,
                    phase: recette::model::Phase::parse("vabf").unwrap(),
                    start_date: None,
                    end_date: None,
                },
            )
        })
        .unwrap();
    store
}

const JUNIT: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<testsuite name="ci" tests="3" failures="1">
  <testcase classname="app.Login" name="accepts a known user" time="0.5"/>
  <testcase classname="app.Login" name="refuses a wrong password" time="0.2">
    <failure message="expected 401">stack</failure>
  </testcase>
  <testcase classname="app.Export" name="writes the file" time="1.0"/>
</testsuite>
"#;

fn upload(name: &str, text: &str) -> Input {
    Input::Bytes {
        name: name.into(),
        bytes: text.as_bytes().to_vec(),
    }
}

#[test]
fn an_uploaded_result_file_is_named_as_sent_everywhere() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = store_with_campaign(dir.path());
    let req = ImportRequest {
        inputs: vec![upload("junit-ci.xml", JUNIT)],
        campaign: Some("C".into()),
        create_unmatched: true,
        ..ImportRequest::default()
    };
    let read = AtomicU64::new(0);
    let progress = |n| read.store(n, Ordering::Relaxed);
    let outcome = run_import(&mut store, &req, &progress).unwrap();
    let auto = outcome.automated.as_ref().unwrap();
    assert_eq!(auto.files.len(), 1);
    assert_eq!(auto.files[0].file, "junit-ci.xml");
    assert_eq!(
        (
            auto.files[0].passed,
            auto.files[0].failed,
            auto.created_tests
        ),
        (2, 1, 3)
    );
    assert_eq!(
        read.load(Ordering::Relaxed),
        3,
        "progress reports the results read"
    );
    let stored = store
        .automated_results("C", &ResultFilter::default())
        .unwrap();
    assert_eq!(stored.len(), 3);
    assert!(
        stored.iter().all(|r| r.file == "junit-ci.xml"),
        "{stored:?}"
    );
    // The campaign's indicators come with the outcome (the JSON keeps its fields).
    let ind = outcome.campaign_indicators.as_ref().unwrap();
    assert_eq!(ind.tests, 3);
    let json = serde_json::to_value(&outcome).unwrap();
    let keys: Vec<&String> = json.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["automated", "dry_run", "records"]);
    // The same upload again is recognised by its content.
    let again = run_import(&mut store, &req, &no_progress).unwrap();
    assert!(again.automated.unwrap().files[0].already_imported);
}

#[test]
fn a_dry_run_plans_exactly_what_the_import_then_does() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = store_with_campaign(dir.path());
    let csv =
        "Référence;Intitulé;Criticité\nEXI-1;Saisir une demande;critique\nEXI-2;Valider;mineure\n";
    let mut req = ImportRequest {
        inputs: vec![upload("exigences.csv", csv)],
        dry_run: true,
        ..ImportRequest::default()
    };
    let plan = run_import(&mut store, &req, &no_progress).unwrap();
    assert!(plan.dry_run && !plan.rejected);
    assert_eq!(plan.records.totals.created, 2);
    assert_eq!(plan.records.sheets[0].file, "exigences.csv");
    assert!(
        store.requirements().unwrap().is_empty(),
        "a dry run writes nothing"
    );
    req.dry_run = false;
    let done = run_import(&mut store, &req, &no_progress).unwrap();
    assert_eq!(
        serde_json::to_value(&plan.records).unwrap(),
        serde_json::to_value(&done.records).unwrap()
    );
    assert_eq!(store.requirements().unwrap().len(), 2);
}

#[test]
fn a_dry_run_with_errors_says_the_import_would_be_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = store_with_campaign(dir.path());
    let csv =
        "Référence;Intitulé;Criticité\nEXI-1;Saisir;critique\nEXI-2;Valider;pas une criticité\n";
    let mut req = ImportRequest {
        inputs: vec![upload("exigences.csv", csv)],
        dry_run: true,
        ..ImportRequest::default()
    };
    let plan = run_import(&mut store, &req, &no_progress).unwrap();
    assert!(plan.rejected);
    let issue = plan.records.issues[0].describe(Lang::Fr);
    assert!(issue.starts_with("exigences.csv"), "{issue}");
    // Applied for real it is refused in its transaction; with `partial` the good row goes in.
    req.dry_run = false;
    let err = run_import(&mut store, &req, &no_progress).unwrap_err();
    assert!(matches!(err, ImportError::RolledBack(_)), "{err:?}");
    assert!(store.requirements().unwrap().is_empty());
    req.partial = true;
    let done = run_import(&mut store, &req, &no_progress).unwrap();
    assert!(!done.rejected);
    assert_eq!(store.requirements().unwrap().len(), 1);
}

#[test]
fn a_bad_upload_is_named_as_sent_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = store_with_campaign(dir.path());
    let req = ImportRequest {
        inputs: vec![
            upload("ok.xml", JUNIT),
            upload(
                "C:\\Users\\ana\\cassé.xml",
                "<testsuite><testcase name=\"a\"></testsuite>",
            ),
        ],
        campaign: Some("C".into()),
        format: Some(ResultFormat::Junit),
        create_unmatched: true,
        ..ImportRequest::default()
    };
    let err = run_import(&mut store, &req, &no_progress).unwrap_err();
    let msg = err.error().message(Lang::Fr);
    assert!(msg.contains("cassé.xml"), "{msg}");
    assert!(
        !msg.contains("recette-upload") && !msg.contains("Users"),
        "{msg}"
    );
    let stored = store
        .automated_results("C", &ResultFilter::default())
        .unwrap();
    assert!(stored.is_empty(), "the good file is not kept either");
}

#[test]
fn results_for_an_unknown_campaign_are_refused_in_the_transaction() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = store_with_campaign(dir.path());
    let req = ImportRequest {
        inputs: vec![upload("junit.xml", JUNIT)],
        campaign: Some("NOPE".into()),
        ..ImportRequest::default()
    };
    match run_import(&mut store, &req, &no_progress) {
        Err(ImportError::RolledBack(e)) => {
            assert!(e.message(Lang::En).contains("NOPE"), "{e}")
        }
        other => panic!("expected a rollback, got {other:?}"),
    }
}

#[test]
fn the_mapping_is_detected_without_a_store() {
    let req = ImportRequest {
        inputs: vec![upload(
            "exigences.csv",
            "Référence;Intitulé;Criticité\nEXI-1;Saisir;critique\n",
        )],
        ..ImportRequest::default()
    };
    let mapping = ops::import::detected_mapping(&req, &no_progress).unwrap();
    let toml = mapping.to_toml();
    assert!(toml.contains("exigences"), "{toml}");
}

#[test]
fn an_uploaded_delivery_note_is_planned_under_its_name() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = store_with_campaign(dir.path());
    store
        .write("delivery add", |tx| {
            tx.add_delivery("LIV-1", &recette::store::NewDelivery::default())
        })
        .unwrap();
    let note = std::fs::read(format!(
        "{}/fixtures/vendor/bordereau_livraison_1.1.csv",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let req = ops::delivery::NoteImportRequest {
        input: Input::Bytes {
            name: "bordereau.csv".into(),
            bytes: note,
        },
        delivery: "LIV-1".into(),
        dry_run: true,
        partial: false,
        lang: Lang::Fr,
    };
    let out = ops::delivery::import_note(&mut store, &req).unwrap();
    assert!(out.dry_run);
    // The anomalies and requirements it names do not exist in this store.
    assert!(out.rejected && !out.plan.issues.is_empty());
    let first = out.plan.issues[0].describe(Lang::Fr);
    assert!(first.starts_with("bordereau.csv"), "{first}");
    assert!(store.delivery_detail("LIV-1").unwrap().fixes.is_empty());
}

#[test]
fn claiming_nothing_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = store_with_campaign(dir.path());
    let err = ops::delivery::claim(&mut store, "LIV-1", &Default::default()).unwrap_err();
    assert!(err.message(Lang::En).contains("nothing to record"));
}

#[test]
fn an_unsigned_upload_does_not_verify() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_with_campaign(dir.path());
    let v = ops::signoff::verify(&store, &upload("pv.html", "<p>pas signé</p>")).unwrap();
    assert_eq!(v.file, "pv.html");
    assert!(v.matches.is_empty());
    assert_eq!(v.sha256.len(), 64);
}

#[test]
fn demo_flows_retest_gate_reports_and_dashboard() {
    let dir = tempfile::tempdir().unwrap();
    let demo = ops::project::demo(dir.path(), ctx(), Lang::Fr).unwrap();
    let mut store = demo.store;
    let campaigns = demo.dashboard.campaigns.len();
    assert!(campaigns >= 2);
    let mut req = ops::campaign::RetestRequest {
        reference: "VABF-3".into(),
        title: String::new(),
        delivery: "LIV-1.1".into(),
        phase: recette::model::Phase::parse("vabf").unwrap(),
        strategy: None,
        start_date: None,
        end_date: None,
        criticality: Vec::new(),
        tags: Vec::new(),
        failed_in_last_campaign: true,
        dry_run: true,
    };
    let plan = ops::campaign::create_retest(&mut store, &req).unwrap();
    assert!(!plan.tests.is_empty());
    assert!(plan.tests.iter().all(|t| !t.reasons.is_empty()));
    assert_eq!(store.campaigns().unwrap().len(), campaigns, "dry run");
    req.dry_run = false;
    let created = ops::campaign::create_retest(&mut store, &req).unwrap();
    assert_eq!(created.tests.len(), plan.tests.len());
    let c = store.campaign("VABF-3").unwrap();
    assert_eq!(c.title, "Retests et non-régression — livraison LIV-1.1");
    // Each planned test once per data set: CT-IMM-008 has two.
    let items = store.campaign_tests("VABF-3").unwrap();
    let mut refs: Vec<&str> = items.iter().map(|t| t.reference.as_str()).collect();
    refs.dedup();
    assert_eq!(refs.len(), plan.tests.len());
    assert_eq!(items.len(), plan.tests.len() + 1);

    // VABF-2 proposes acceptance with reservations: the gate passes only when allowed.
    assert!(!ops::verdict::gate(&store, "VABF-2", false).unwrap().pass);
    assert!(ops::verdict::gate(&store, "VABF-2", true).unwrap().pass);
    assert!(!ops::verdict::gate(&store, "VABF-1", true).unwrap().pass);

    let out = dir.path().join("copil");
    let r = ops::verdict::write_reports(
        &store,
        &ops::verdict::ReportRequest {
            campaign: "copil".into(),
            out: out.clone(),
            formats: Vec::new(),
            templates: None,
            lang: Lang::Fr,
        },
    )
    .unwrap();
    match r {
        ops::verdict::ReportOutcome::Copil { files, .. } => {
            assert_eq!(files, [out.join("copil.html"), out.join("copil.xlsx")])
        }
        other => panic!("{other:?}"),
    }
    let one = ops::status::dashboard(&store, Some("VABF-3")).unwrap();
    assert_eq!(one.campaigns.len(), 1);
    assert_eq!(
        one.campaigns[0].indicators.tests,
        items.len(),
        "data sets count"
    );
}

/// The indicators an import reports are read row by row from the store (no list of 200,000
/// items in memory): they equal those computed from the campaign's items, retests included.
#[test]
fn import_indicators_are_those_of_the_campaign_items() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = store_with_campaign(dir.path());
    let second = JUNIT
        .replace("<failure message=\"expected 401\">stack</failure>", "")
        .replace("time=\"1.0\"/>", "time=\"1.0\"><skipped/></testcase>")
        .replace("tests=\"3\"", "tests=\"4\"")
        .replace(
            "</testsuite>",
            "  <testcase classname=\"app.New\" name=\"is new\"><error/></testcase>\n</testsuite>",
        );
    let mut last = None;
    for (name, text) in [("a.xml", JUNIT.to_string()), ("b.xml", second)] {
        let req = ImportRequest {
            inputs: vec![upload(name, &text)],
            campaign: Some("C".into()),
            create_unmatched: true,
            ..ImportRequest::default()
        };
        last = run_import(&mut store, &req, &no_progress)
            .unwrap()
            .campaign_indicators;
    }
    let items = store.campaign_tests("C").unwrap();
    let from_items = recette::indicators::CampaignIndicators::compute(&items);
    assert_eq!(store.campaign_indicators("C").unwrap(), from_items);
    assert_eq!(last.as_ref(), Some(&from_items));
    assert_eq!(
        (from_items.tests, from_items.retests, from_items.executed),
        (4, 3, 3)
    );
}
