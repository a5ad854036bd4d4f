//! `recette import` of automated results (JUnit, Robot, NUnit, TRX, xUnit.net, TestNG, CTRF) and
//! `recette results`, through the binary, on the real corpus in `fixtures/results/`.

mod common;

use std::path::Path;

use common::Project;
use serde_json::{json, Value};

/// Copies `fixtures/results` into the project folder (as `results/`), so that file names in
/// outputs are relative and stable.
fn copy_corpus(p: &Project) {
    fn copy(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for e in std::fs::read_dir(from).unwrap() {
            let e = e.unwrap();
            let target = to.join(e.file_name());
            if e.file_type().unwrap().is_dir() {
                copy(&e.path(), &target);
            } else {
                std::fs::copy(e.path(), target).unwrap();
            }
        }
    }
    copy(Path::new("fixtures/results"), &p.path().join("results"));
}

/// A store with requirements PC-001..PC-010 (the corpus' ids), a delivery and campaign AUTO,
/// and the corpus copied beside it.
fn project() -> Project {
    let p = Project::new();
    let mut csv = String::from("Référence;Intitulé;Criticité\n");
    for i in 1..=10 {
        csv.push_str(&format!("PC-{i:03};Exigence {i};majeure\n"));
    }
    std::fs::write(p.path().join("exigences.csv"), csv).unwrap();
    p.ok(&["import", "exigences.csv"]);
    p.ok(&["delivery", "add", "LIV-1", "--version", "1.0"]);
    p.ok(&["campaign", "create", "AUTO", "--delivery", "LIV-1"]);
    copy_corpus(&p);
    p
}

/// Everything a user can see of the store.
fn state(p: &Project) -> Value {
    json!({
        "requirements": p.json(&["req", "list"]),
        "tests": p.json(&["test", "list"]),
        "campaign": p.json(&["campaign", "show", "AUTO"]),
        "results": p.json(&["results", "AUTO"]),
        "anomalies": p.json(&["anomaly", "list"]),
        "log": p.json(&["log"]),
    })
}

fn automated(out: &Value) -> &Value {
    &out["automated"]
}

/// (file, format, results, passed, failed, not run, flaky): every file of the corpus.
const CORPUS: &[(&str, &str, u64, u64, u64, u64, u64)] = &[
    ("junit/ctest-junit.xml", "junit", 4, 1, 3, 0, 0),
    ("junit/gtest.xml", "junit", 8, 4, 2, 2, 0),
    ("junit/jest-junit-bom.xml", "junit", 7, 3, 3, 1, 0),
    ("junit/jest-junit.xml", "junit", 7, 3, 3, 1, 0),
    ("junit/mocha-junit.xml", "junit", 3, 2, 1, 0, 0),
    ("junit/nextest-junit.xml", "junit", 5, 4, 1, 0, 1),
    ("junit/pytest6-xunit1.xml", "junit", 13, 8, 3, 2, 0),
    ("junit/pytest8-xunit1-logging.xml", "junit", 13, 8, 3, 2, 0),
    ("junit/pytest8-xunit2-utf16.xml", "junit", 13, 8, 3, 2, 0),
    ("junit/pytest8-xunit2.xml", "junit", 13, 8, 3, 2, 0),
    ("junit/robot4-xunit.xml", "junit", 7, 4, 3, 0, 0),
    ("junit/robot6-xunit.xml", "junit", 7, 3, 3, 1, 0),
    ("junit/robot7-xunit.xml", "junit", 7, 3, 3, 1, 0),
    ("junit/testng-junitreport.xml", "junit", 7, 3, 2, 2, 0),
    ("junit/vitest-junit.xml", "junit", 11, 4, 4, 3, 0),
    ("robot/rf3-output.xml", "robot", 4, 3, 1, 0, 0),
    ("robot/rf4-output.xml", "robot", 7, 4, 3, 0, 0),
    ("robot/rf6-output.xml", "robot", 7, 3, 3, 1, 0),
    ("robot/rf7-output.xml", "robot", 7, 3, 3, 1, 0),
    ("testng/testng-results.xml", "testng", 6, 3, 2, 1, 0),
    ("ctrf/jest-ctrf.json", "ctrf", 7, 2, 3, 2, 0),
    ("nunit/nunit2-permis.xml", "nunit2", 5, 3, 1, 1, 0),
    ("nunit/nunit3-permis.xml", "nunit3", 6, 3, 2, 1, 0),
    ("trx/mstest-permis.trx", "trx", 6, 3, 2, 1, 0),
    ("xunit/xunit2-permis.xml", "xunit", 6, 3, 2, 1, 0),
    (
        "junit/surefire3-junit5-beforeall.xml",
        "junit",
        3,
        1,
        1,
        1,
        0,
    ),
    ("junit/ant-class-load-error.xml", "junit", 3, 1, 2, 0, 0),
    ("junit/behat-no-name.xml", "junit", 2, 1, 1, 0, 0),
    (
        "robot/rf75-suite-teardown-failed.xml",
        "robot",
        6,
        0,
        5,
        1,
        0,
    ),
    ("nunit/nunit3-root-test-suite.xml", "nunit3", 3, 1, 1, 1, 0),
];

#[test]
fn every_corpus_file_imports_with_exact_counts() {
    let p = project();
    for (file, format, results, passed, failed, not_run, flaky) in CORPUS {
        let path = format!("results/{file}");
        let out = p.json(&["import", &path, "--campaign", "AUTO"]);
        let a = automated(&out);
        let f = &a["files"][0];
        assert_eq!(f["file"], path, "{file}");
        assert_eq!(f["format"], *format, "{file}");
        assert_eq!(f["results"], *results, "{file}");
        assert_eq!(f["passed"], *passed, "{file}");
        assert_eq!(f["failed"], *failed, "{file}");
        assert_eq!(f["not_run"], *not_run, "{file}");
        assert_eq!(f["flaky"], *flaky, "{file}");
        assert_eq!(f["already_imported"], false, "{file}");
        // Every result is matched, makes a test case, or is unmatched.
        let sum = a["matched"].as_u64().unwrap()
            + a["created_tests"].as_u64().unwrap()
            + a["unmatched"].as_u64().unwrap();
        assert_eq!(sum, *results, "{file}: {a}");
        // One execution per test case the file touched.
        let stored = p.json(&["results", "AUTO"]);
        let mut tests: Vec<&str> = stored
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["file"] == path.as_str())
            .filter_map(|r| r["test"].as_str())
            .collect();
        tests.sort();
        tests.dedup();
        assert_eq!(a["executions"], tests.len() as u64, "{file}");
        assert_eq!(
            stored
                .as_array()
                .unwrap()
                .iter()
                .filter(|r| r["file"] == path.as_str())
                .count() as u64,
            *results,
            "{file}"
        );
    }
    // All files of the corpus but the broken ones, in one command: each already imported.
    let out = p.json(&[
        "import",
        "results/junit",
        "results/robot",
        "results/testng",
        "results/ctrf",
        "results/nunit",
        "results/trx",
        "results/xunit",
        "--campaign",
        "AUTO",
    ]);
    let files = automated(&out)["files"].as_array().unwrap();
    assert_eq!(files.len(), CORPUS.len());
    assert!(files.iter().all(|f| f["already_imported"] == true));
    assert_eq!(automated(&out)["executions"], 0);
}

#[test]
fn broken_or_unknown_files_are_refused_and_nothing_is_imported() {
    let p = project();
    p.ok(&["import", "results/junit/gtest.xml", "--campaign", "AUTO"]);
    std::fs::write(
        p.path().join("pom.xml"),
        "<?xml version=\"1.0\"?><project><modelVersion>4.0.0</modelVersion></project>",
    )
    .unwrap();
    std::fs::write(
        p.path().join("autre.json"),
        "{\"name\": \"pas un rapport\"}",
    )
    .unwrap();
    let before = state(&p);
    let cases: &[(&str, &str, &str)] = &[
        (
            "results/broken/truncated-junit.xml",
            "truncated-junit.xml › ligne 12, colonne 58 : fichier XML tronqué (élément <error> non fermé)",
            "truncated-junit.xml › line 12, column 58: truncated XML file (element <error> not closed)",
        ),
        (
            "results/broken/empty.xml",
            "empty.xml : fichier vide (0 octet)",
            "empty.xml: empty file (0 bytes)",
        ),
        (
            "results/broken/binary.xml",
            "binary.xml : contenu binaire (octet 0x00)",
            "binary.xml: binary content (byte 0x00)",
        ),
        (
            "results/broken/proxy-error-page.xml",
            "proxy-error-page.xml : page HTML « 502 Bad Gateway » et non un rapport de tests",
            "proxy-error-page.xml: HTML page",
        ),
        (
            "pom.xml",
            "pom.xml : élément racine <project> inconnu",
            "pom.xml: unknown root element <project>",
        ),
        (
            "autre.json",
            "autre.json : fichier JSON qui n'est ni CTRF (clé « results »), ni Cucumber",
            "autre.json: JSON file",
        ),
    ];
    for (bad, fr, en) in cases {
        // The bad file comes after valid ones: they are not imported either.
        let args = [
            "import",
            "results/junit/jest-junit.xml",
            "results/robot/rf7-output.xml",
            bad,
            "--campaign",
            "AUTO",
        ];
        let err = p.fails(1, &args);
        assert!(err.contains(fr), "{bad}: {err}");
        assert!(err.contains("rien n'a été importé"), "{bad}: {err}");
        let mut en_args = vec!["--lang", "en"];
        en_args.extend_from_slice(&args);
        let err = p.fails(1, &en_args);
        assert!(err.contains(en), "{bad}: {err}");
        assert!(err.contains("nothing was imported"), "{bad}: {err}");
        let mut dry = args.to_vec();
        dry.push("--dry-run");
        p.fails(1, &dry);
    }
    assert_eq!(state(&p), before);
}

#[test]
fn linking_order_keys_then_test_ids_then_requirement_ids() {
    let p = project();
    // 1. automation keys: exact, then glob.
    p.ok(&[
        "test",
        "add",
        "CT-EXACT",
        "--title",
        "Demande B",
        "--kind",
        "automatisé",
        "--automation-key",
        "pytest/test_permis/test_demande_permis_b",
    ]);
    p.ok(&[
        "test",
        "add",
        "CT-GLOB",
        "--title",
        "Âge minimal",
        "--kind",
        "automatisé",
        "--automation-key",
        "pytest/test_permis/test_age_minimal*",
    ]);
    let out = p.json(&[
        "import",
        "results/junit/pytest8-xunit2.xml",
        "--campaign",
        "AUTO",
    ]);
    let a = automated(&out);
    // exact (1) + glob (4 parametrised cases); created: calcul (PC-002, PC-003), duplicata_vol
    // (PC-005), suspension (PC-007), restitution (PC-008); unmatched: no requirement id.
    assert_eq!(a["matched"], 5, "{a}");
    assert_eq!(a["created_tests"], 4, "{a}");
    assert_eq!(a["links"], 5, "{a}");
    assert_eq!(a["unmatched"], 4, "{a}");
    assert_eq!(
        a["unmatched_names"],
        json!([
            "pytest/test_permis/test_cle_jira",
            "pytest/test_permis/test_echange_permis_etranger",
            "pytest/test_permis/test_examen_pratique",
            "pytest/test_permis/test_duplicata_perte"
        ])
    );
    // 5 test cases: CT-EXACT, CT-GLOB (its 4 cases make one execution), 4 AUTO... and the
    // campaign now holds them.
    assert_eq!(a["executions"], 6);
    let glob = p.json(&["results", "AUTO", "--test", "CT-GLOB"]);
    assert_eq!(glob.as_array().unwrap().len(), 4);
    // Requirement ids from pytest `requirement` properties: the created test is linked.
    let pc2 = p.json(&["req", "show", "PC-002"]);
    let text = pc2.to_string();
    assert!(text.contains("AUTO-"), "{text}");

    // 2. a test case id in a `test_id` property (JUnit) or a `TC:` tag (CTRF).
    p.ok(&["test", "add", "CT-101", "--title", "Par propriété"]);
    p.ok(&["test", "add", "CT-102", "--title", "Par étiquette"]);
    std::fs::write(
        p.path().join("tid.xml"),
        r#"<testsuite name="ids"><testcase classname="c" name="par propriété PC-001">
             <properties><property name="test_id" value="CT-101"/></properties>
           </testcase></testsuite>"#,
    )
    .unwrap();
    std::fs::write(
        p.path().join("tag.json"),
        r#"{"results": {"tool": {"name": "t"}, "summary": {}, "tests": [
             {"name": "par étiquette PC-001", "status": "failed", "duration": 3,
              "tags": ["TC:CT-102", "REQ:PC-002"], "message": "KO"}]}}"#,
    )
    .unwrap();
    let out = p.json(&["import", "tid.xml", "tag.json", "--campaign", "AUTO"]);
    let a = automated(&out);
    assert_eq!(
        (a["matched"].as_u64(), a["created_tests"].as_u64()),
        (Some(2), Some(0))
    );
    let tests = p.json(&["campaign", "show", "AUTO"]);
    let status = |t: &str| {
        tests["tests"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["ref"] == t)
            .map(|x| x["status"].clone())
    };
    assert_eq!(status("CT-101"), Some(json!("passed")));
    assert_eq!(status("CT-102"), Some(json!("failed")));

    // 3. requirement ids in Robot tags (`PC-001`, `REQ:PC-002`), NUnit categories, xUnit
    //    traits, TRX categories: each file links its created tests to the requirements.
    for (file, name, reqs) in [
        (
            "results/robot/rf7-output.xml",
            "Calcul des points restants",
            vec!["PC-002", "PC-003"],
        ),
        (
            "results/nunit/nunit3-permis.xml",
            "CalculPointsRestants",
            vec!["PC-002", "PC-003"],
        ),
        (
            "results/xunit/xunit2-permis.xml",
            "Permis.Tests.DemandesTests.CalculPointsRestants",
            vec!["PC-002", "PC-003"],
        ),
        (
            "results/trx/mstest-permis.trx",
            "CalculPointsRestants",
            vec!["PC-002", "PC-003"],
        ),
    ] {
        let out = p.json(&["import", file, "--campaign", "AUTO"]);
        assert!(
            automated(&out)["created_tests"].as_u64().unwrap() > 0,
            "{file}"
        );
        let results = p.json(&["results", "AUTO"]);
        let r = results
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["file"] == file && r["name"] == name)
            .unwrap_or_else(|| panic!("{file}: {name}"));
        let test = r["test"].as_str().unwrap();
        let shown = p.json(&["test", "show", test]);
        assert_eq!(shown["requirements"], json!(reqs), "{file}");
    }
}

#[test]
fn id_pattern_and_create_unmatched() {
    let p = project();
    // nextest names carry `pc_002`-style ids the default pattern does not take.
    p.ok(&["req", "add", "pc_002", "--title", "Points"]);
    let out = p.json(&[
        "import",
        "results/junit/nextest-junit.xml",
        "--campaign",
        "AUTO",
        "--dry-run",
    ]);
    assert_eq!(automated(&out)["created_tests"], 0);
    assert_eq!(out["dry_run"], true);
    let out = p.json(&[
        "import",
        "results/junit/nextest-junit.xml",
        "--campaign",
        "AUTO",
        "--id-pattern",
        "pc_[0-9]{3}",
    ]);
    let a = automated(&out);
    assert_eq!(a["created_tests"], 1, "{a}");
    assert_eq!(a["links"], 1, "{a}");
    assert_eq!(a["unmatched"], 4, "{a}");
    assert_eq!(a["unmatched_tests"], 4, "{a}");
    // With --create-unmatched, every result gets a test case (pytest: 13 results, 13 tests).
    let out = p.json(&[
        "import",
        "results/junit/pytest6-xunit1.xml",
        "--campaign",
        "AUTO",
        "--create-unmatched",
    ]);
    let a = automated(&out);
    assert_eq!(a["unmatched"], 0, "{a}");
    assert_eq!(a["created_tests"], 13, "{a}");
    // The same tests in another layout are now found by their automation key... pytest6 and
    // pytest8 xunit1 share suite/class/name: everything matches.
    let out = p.json(&[
        "import",
        "results/junit/pytest8-xunit1-logging.xml",
        "--campaign",
        "AUTO",
    ]);
    let a = automated(&out);
    assert_eq!(
        (a["matched"].as_u64(), a["created_tests"].as_u64()),
        (Some(13), Some(0)),
        "{a}"
    );
}

#[test]
fn unmatched_names_are_listed_once() {
    let p = project();
    // The xunit2 file and its UTF-16 copy hold the same tests: imported together, each
    // unmatched test is counted twice as a result but listed once.
    let out = p.json(&[
        "import",
        "results/junit/pytest8-xunit2.xml",
        "results/junit/pytest8-xunit2-utf16.xml",
        "--campaign",
        "AUTO",
    ]);
    let a = automated(&out);
    assert_eq!(a["unmatched"], 8, "{a}");
    assert_eq!(a["unmatched_tests"], 4, "{a}");
    assert_eq!(a["unmatched_names"].as_array().unwrap().len(), 4);
    let text = p.ok(&[
        "import",
        "results/junit/pytest6-xunit1.xml",
        "--campaign",
        "AUTO",
    ]);
    let listed = text.matches("test_cle_jira").count();
    assert_eq!(listed, 1, "{text}");
}

#[test]
fn dry_run_gives_the_exact_figures_and_writes_nothing() {
    let p = project();
    let before = state(&p);
    let args = [
        "import",
        "results/junit",
        "results/robot",
        "--campaign",
        "AUTO",
    ];
    let mut dry = args.to_vec();
    dry.push("--dry-run");
    let planned = p.json(&dry);
    assert_eq!(state(&p), before);
    let done = p.json(&args);
    assert_eq!(planned["automated"], done["automated"]);
    assert_eq!(planned["dry_run"], true);
    assert_ne!(state(&p), before);
    let text = p.ok(&dry);
    assert!(
        text.contains("Essai à blanc : rien n'a été écrit."),
        "{text}"
    );
}

#[test]
fn reimporting_the_same_file_changes_nothing() {
    let p = project();
    p.ok(&[
        "import",
        "results/robot/rf7-output.xml",
        "--campaign",
        "AUTO",
    ]);
    let before = state(&p);
    let out = p.json(&[
        "import",
        "results/robot/rf7-output.xml",
        "--campaign",
        "AUTO",
    ]);
    assert_eq!(automated(&out)["files"][0]["already_imported"], true);
    assert_eq!(automated(&out)["executions"], 0);
    // Same content under another name: also recognised.
    std::fs::copy(
        p.path().join("results/robot/rf7-output.xml"),
        p.path().join("copie.xml"),
    )
    .unwrap();
    let out = p.json(&["import", "copie.xml", "--campaign", "AUTO"]);
    assert_eq!(automated(&out)["files"][0]["already_imported"], true);
    let mut after = state(&p);
    // Only the audit log grows (each import command is recorded).
    after["log"] = before["log"].clone();
    assert_eq!(after, before);
    let text = p.ok(&["import", "copie.xml", "--campaign", "AUTO"]);
    assert!(text.contains("déjà importé"), "{text}");
}

#[test]
fn stored_results_keep_every_field_and_nextest_flaky_is_visible() {
    let p = project();
    p.ok(&[
        "import",
        "results/junit/nextest-junit.xml",
        "results/junit/pytest8-xunit1-logging.xml",
        "--campaign",
        "AUTO",
        "--create-unmatched",
    ]);
    let results = p.json(&["results", "AUTO"]);
    let all = results.as_array().unwrap();
    let flaky: Vec<&Value> = all.iter().filter(|r| r["flaky"] == true).collect();
    assert_eq!(flaky.len(), 1);
    assert!(flaky[0]["retries"].as_i64().unwrap() >= 1);
    assert_eq!(flaky[0]["status"], "passed");
    let text = p.ok(&["results", "AUTO"]);
    assert!(text.contains("instable"), "{text}");
    let en = p.ok(&["--lang", "en", "results", "AUTO"]);
    assert!(en.contains("flaky") && en.contains("Test case"), "{en}");
    // A pytest failure: suite, class, message, failure text, properties, output, time.
    let r = all
        .iter()
        .find(|r| {
            r["name"] == "test_calcul_points_restants"
                && r["file"].as_str().unwrap().contains("logging")
        })
        .unwrap();
    assert_eq!(r["status"], "failed");
    assert_eq!(r["classname"], "test_permis");
    assert!(r["message"]
        .as_str()
        .unwrap()
        .contains("solde de points attendu 8"));
    assert!(
        r["failure_text"]
            .as_str()
            .unwrap()
            .contains("assert 9 == 8"),
        "{r}"
    );
    assert!(!r["stdout"].as_str().unwrap().is_empty(), "{r}");
    assert!(r["duration_ms"].as_f64().is_some());
    assert!(r["properties"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p[0] == "requirements" && p[1] == "PC-002, PC-003"));
    let test = r["test"].as_str().unwrap();
    let details = p.ok(&["results", "AUTO", "--test", test]);
    assert!(
        details.contains("Trace d'échec :") && details.contains("Sortie :"),
        "{details}"
    );
    let failed = p.json(&["results", "AUTO", "--status", "KO"]);
    assert!(failed
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["status"] == "failed"));
}

/// A JUnit file with one test, passed or failed.
fn one_test(p: &Project, file: &str, name: &str, failed: bool) {
    let body = if failed {
        r#"<failure message="restitution refusée">AssertionError</failure>"#
    } else {
        ""
    };
    std::fs::write(
        p.path().join(file),
        format!(
            r#"<testsuite name="permis" timestamp="2026-03-1{n}T10:00:00"><testcase classname="Restitution" name="{name}" time="0.5">{body}</testcase></testsuite>"#,
            n = file.len() % 10
        ),
    )
    .unwrap();
}

#[test]
fn worst_status_in_a_file_latest_file_wins() {
    let p = project();
    p.ok(&[
        "test",
        "add",
        "CT-001",
        "--title",
        "Restitution",
        "--kind",
        "automatisé",
        "--automation-key",
        "permis/Restitution/*",
    ]);
    // One file, two results of the test (parametrised): one failed -> the execution fails.
    std::fs::write(
        p.path().join("run1.xml"),
        r#"<testsuite name="permis"><testcase classname="Restitution" name="cas[1]"/><testcase classname="Restitution" name="cas[2]"><failure message="KO 2"/></testcase><testcase classname="Restitution" name="cas[3]"><skipped/></testcase></testsuite>"#,
    )
    .unwrap();
    let out = p.json(&["import", "run1.xml", "--campaign", "AUTO"]);
    assert_eq!(automated(&out)["executions"], 1);
    let show = p.json(&["campaign", "show", "AUTO"]);
    assert_eq!(show["tests"][0]["status"], "failed");
    // A later file where it passes: the newer run supersedes the failure.
    one_test(&p, "run2.xml", "cas[2]", false);
    p.ok(&["import", "run2.xml", "--campaign", "AUTO"]);
    let show = p.json(&["campaign", "show", "AUTO"]);
    assert_eq!(show["tests"][0]["status"], "passed");
    assert_eq!(show["tests"][0]["attempts"], 2);
    // Several files in one command: taken in order, the last one is the latest.
    one_test(&p, "run3.xml", "cas[1]", false);
    one_test(&p, "run4.xml", "cas[1]", true);
    p.ok(&["import", "run3.xml", "run4.xml", "--campaign", "AUTO"]);
    let show = p.json(&["campaign", "show", "AUTO"]);
    assert_eq!(show["tests"][0]["status"], "failed");
    assert_eq!(show["tests"][0]["attempts"], 4);
}

#[test]
fn a_passed_retest_closes_the_anomaly_claimed_fixed() {
    let p = project();
    p.ok(&[
        "test",
        "add",
        "CT-001",
        "--title",
        "Restitution",
        "--kind",
        "automatisé",
        "--automation-key",
        "permis/Restitution/test_restitution",
    ]);
    one_test(&p, "ko.xml", "test_restitution", true);
    p.ok(&["import", "ko.xml", "--campaign", "AUTO"]);
    // The tester qualifies the failure and opens FA-1 on it.
    p.ok(&[
        "anomaly",
        "add",
        "FA-1",
        "--title",
        "Restitution refusée",
        "--severity",
        "majeure",
        "--found-in",
        "LIV-1",
    ]);
    p.ok(&[
        "run",
        "AUTO",
        "CT-001",
        "--status",
        "KO",
        "--anomaly",
        "FA-1",
    ]);
    // The vendor delivers LIV-2 claiming the fix; CI runs again on it.
    p.ok(&["delivery", "add", "LIV-2", "--version", "1.1"]);
    p.ok(&["delivery", "claim", "LIV-2", "--fixes", "FA-1"]);
    p.ok(&["campaign", "create", "RETEST", "--delivery", "LIV-2"]);
    one_test(&p, "ok.xml", "test_restitution", false);
    p.ok(&["import", "ok.xml", "--campaign", "RETEST"]);
    let fa = p.json(&["anomaly", "list"]);
    assert_eq!(fa[0]["ref"], "FA-1");
    assert_eq!(fa[0]["status"], "close", "{fa}");
}

#[test]
fn json_report_of_a_multi_format_import() {
    let p = project();
    p.ok(&[
        "test",
        "add",
        "CT-001",
        "--title",
        "Demande B",
        "--kind",
        "automatisé",
        "--automation-key",
        "*/test_demande_permis_b",
    ]);
    let out = p.json(&[
        "import",
        "results/junit/pytest8-xunit2.xml",
        "results/robot/rf7-output.xml",
        "results/nunit/nunit3-permis.xml",
        "results/trx/mstest-permis.trx",
        "results/xunit/xunit2-permis.xml",
        "results/testng/testng-results.xml",
        "results/ctrf/jest-ctrf.json",
        "--campaign",
        "AUTO",
    ]);
    insta::assert_json_snapshot!("import_results_report", out);
}

#[test]
fn later_results_see_test_cases_and_executions_not_written_yet() {
    // The writer keeps the rows of the last results in memory and writes them by batches:
    // results that come soon after (same batch) or long after (later batch) must find the
    // test cases and executions made by earlier results of the same file.
    let p = project();
    let auto_t1 = recette::import::automated::auto_reference("lot/C/t1");
    let mut xml = String::from(r#"<testsuite name="lot">"#);
    let case = |name: &str, requirement: &str, failure: Option<&str>| {
        let failure = failure
            .map(|m| format!(r#"<failure message="{m}">trace</failure>"#))
            .unwrap_or_default();
        format!(
            r#"<testcase classname="C" name="{name}" time="0.25"><properties><property name="requirement" value="{requirement}"/></properties>{failure}</testcase>"#
        )
    };
    for n in 0..150 {
        xml.push_str(&case(
            &format!("t{n}"),
            &format!("PC-{:03}", n % 10 + 1),
            None,
        ));
        if n == 3 {
            // Same test again, same batch: same execution, which fails.
            xml.push_str(&case("t3", "PC-004", Some("t3 KO")));
            // The automated test case of t1 (made two results ago) by its reference.
            xml.push_str(&format!(
                r#"<testcase classname="ref" name="par référence" time="1"><properties><property name="test_id" value="{auto_t1}"/></properties><failure message="t1 KO"/></testcase>"#
            ));
        }
    }
    // t0 again, many batches later.
    xml.push_str(&case("t0", "PC-001", Some("t0 KO")));
    xml.push_str("</testsuite>");
    std::fs::write(p.path().join("lot.xml"), xml).unwrap();

    let out = p.json(&["import", "lot.xml", "--campaign", "AUTO"]);
    let a = automated(&out);
    assert_eq!(a["results"], 153, "{a}");
    assert_eq!(a["created_tests"], 150, "{a}");
    assert_eq!(a["matched"], 3, "{a}");
    assert_eq!(a["links"], 150, "{a}");
    assert_eq!(a["executions"], 150, "{a}");
    p.ok(&["check"]);

    let show = p.json(&["campaign", "show", "AUTO"]);
    let tests = show["tests"].as_array().unwrap();
    assert_eq!(tests.len(), 150);
    let failed: Vec<&str> = tests
        .iter()
        .filter(|t| t["status"] == "failed")
        .map(|t| t["ref"].as_str().unwrap())
        .collect();
    let mut expected = vec![
        recette::import::automated::auto_reference("lot/C/t0"),
        auto_t1.clone(),
        recette::import::automated::auto_reference("lot/C/t3"),
    ];
    expected.sort();
    let mut failed: Vec<String> = failed.into_iter().map(String::from).collect();
    failed.sort();
    assert_eq!(failed, expected);
    let t1 = p.json(&["results", "AUTO", "--test", &auto_t1]);
    assert_eq!(t1.as_array().unwrap().len(), 2, "{t1}");
    let t0 = p.json(&["results", "AUTO", "--test", &expected[0]]);
    assert_eq!(t0.as_array().unwrap().len(), 2, "{t0}");
}
