//! The result parsers against the fixtures (real tool output, plus hand-written .NET formats).
//! Expected numbers were counted in the files with grep, not taken from the parsers.

use std::path::{Path, PathBuf};

use recette::i18n::Lang;
use recette::import::records::AutomatedResult;
use recette::import::results::link::{requirement_ids, IdPattern};
use recette::import::results::{
    detect_format, expand_paths, read_all, read_results, ReadOptions, ResultFormat, CUT_MARKER,
};
use recette::model::ExecStatus;

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/results")
        .join(rel)
}

fn read(rel: &str) -> Vec<AutomatedResult> {
    match read_all(&fixture(rel), None, &ReadOptions::default()) {
        Ok((_, r)) => r,
        Err(e) => panic!("{rel}: {e}"),
    }
}

fn by_name<'a>(rs: &'a [AutomatedResult], name: &str) -> &'a AutomatedResult {
    rs.iter()
        .find(|r| r.name == name)
        .unwrap_or_else(|| panic!("no result named {name}"))
}

fn err_of(path: &Path) -> String {
    match read_all(path, None, &ReadOptions::default()) {
        Ok((s, _)) => panic!("{} should be refused, read {s:?}", path.display()),
        Err(e) => e.to_string(),
    }
}

#[test]
fn every_fixture_gives_the_counted_results() {
    use ResultFormat::*;
    // file, format, results, passed, failed, not run, flaky
    let expected: &[(&str, ResultFormat, u64, u64, u64, u64, u64)] = &[
        ("junit/pytest8-xunit2.xml", Junit, 13, 8, 3, 2, 0),
        ("junit/pytest8-xunit2-utf16.xml", Junit, 13, 8, 3, 2, 0),
        ("junit/pytest8-xunit1-logging.xml", Junit, 13, 8, 3, 2, 0),
        ("junit/pytest6-xunit1.xml", Junit, 13, 8, 3, 2, 0),
        ("junit/jest-junit.xml", Junit, 7, 3, 3, 1, 0),
        ("junit/jest-junit-bom.xml", Junit, 7, 3, 3, 1, 0),
        ("junit/mocha-junit.xml", Junit, 3, 2, 1, 0, 0),
        ("junit/vitest-junit.xml", Junit, 11, 4, 4, 3, 0),
        ("junit/gtest.xml", Junit, 8, 4, 2, 2, 0),
        ("junit/ctest-junit.xml", Junit, 4, 1, 3, 0, 0),
        ("junit/nextest-junit.xml", Junit, 5, 4, 1, 0, 1),
        ("junit/robot4-xunit.xml", Junit, 7, 4, 3, 0, 0),
        ("junit/robot6-xunit.xml", Junit, 7, 3, 3, 1, 0),
        ("junit/robot7-xunit.xml", Junit, 7, 3, 3, 1, 0),
        ("junit/testng-junitreport.xml", Junit, 7, 3, 2, 2, 0),
        ("robot/rf3-output.xml", Robot, 4, 3, 1, 0, 0),
        ("robot/rf4-output.xml", Robot, 7, 4, 3, 0, 0),
        ("robot/rf6-output.xml", Robot, 7, 3, 3, 1, 0),
        ("robot/rf7-output.xml", Robot, 7, 3, 3, 1, 0),
        ("testng/testng-results.xml", Testng, 6, 3, 2, 1, 0),
        ("ctrf/jest-ctrf.json", Ctrf, 7, 2, 3, 2, 0),
        ("nunit/nunit3-permis.xml", Nunit3, 6, 3, 2, 1, 0),
        ("nunit/nunit2-permis.xml", Nunit2, 5, 3, 1, 1, 0),
        ("trx/mstest-permis.trx", Trx, 6, 3, 2, 1, 0),
        ("xunit/xunit2-permis.xml", Xunit, 6, 3, 2, 1, 0),
    ];
    for &(rel, format, n, passed, failed, not_run, flaky) in expected {
        let path = fixture(rel);
        assert_eq!(detect_format(&path).ok(), Some(format), "{rel}");
        let mut seen = 0;
        let s = read_results(&path, None, &ReadOptions::default(), &mut |r| {
            seen += 1;
            assert_eq!(r.format, format.code(), "{rel}");
            assert!(!r.name.is_empty(), "{rel}");
            assert!(r.origin.file.ends_with(rel), "{rel}");
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{rel}: {e}"));
        let got = (s.results, s.passed, s.failed, s.not_run, s.flaky);
        assert_eq!(got, (n, passed, failed, not_run, flaky), "{rel}");
        assert_eq!(seen, n, "{rel}");
    }
}

#[test]
fn pytest_properties_give_requirement_ids() {
    let rs = read("junit/pytest8-xunit2.xml");
    let p = IdPattern::default();
    let points = by_name(&rs, "test_calcul_points_restants");
    assert_eq!(requirement_ids(points, &p), ["PC-002", "PC-003"]);
    assert_eq!(points.status, ExecStatus::Failed);
    assert_eq!(points.classname.as_deref(), Some("test_permis"));
    assert_eq!(points.suite_path, ["pytest"]);
    assert!(points
        .failure_text
        .as_deref()
        .unwrap_or("")
        .contains("assert points == 8"));
    assert_eq!(
        requirement_ids(by_name(&rs, "test_cle_jira"), &p),
        ["PCN-17"]
    );
    // Parameters in names are not ids; the property is.
    let param = by_name(&rs, "test_age_minimal[D <bus> & \"car\"-24]");
    assert_eq!(requirement_ids(param, &p), ["PC-006"]);
    let setup = by_name(&rs, "test_echange_permis_etranger");
    assert_eq!(setup.status, ExecStatus::Failed);
    assert!(setup
        .message
        .as_deref()
        .unwrap_or("")
        .contains("ConnectionError"));
    let xfail = by_name(&rs, "test_duplicata_vol");
    assert_eq!(xfail.status, ExecStatus::NotRun);
    assert_eq!(xfail.message.as_deref(), Some("anomalie ANO-42 connue"));
}

#[test]
fn several_requirement_properties_on_one_test() {
    let rs = read("nunit/nunit3-permis.xml");
    let p = IdPattern::default();
    assert_eq!(
        requirement_ids(by_name(&rs, "CalculPointsRestants"), &p),
        ["PC-002", "PC-003"]
    );
    // Categories on a ParameterizedMethod suite are inherited by its cases.
    assert_eq!(
        requirement_ids(by_name(&rs, "AgeMinimal(\"B\",15)"), &p),
        ["PC-006"]
    );
    let xs = read("xunit/xunit2-permis.xml");
    let t = by_name(&xs, "Permis.Tests.DemandesTests.CalculPointsRestants");
    assert_eq!(requirement_ids(t, &p), ["PC-002", "PC-003"]);
    assert!(t.stdout.as_deref().unwrap_or("").contains("2026-0042"));
    let name_id = by_name(&xs, "PC-004 échange de permis étranger <UE> & \"hors UE\"");
    assert_eq!(requirement_ids(name_id, &p), ["PC-004"]);
}

#[test]
fn encodings_and_bom_give_the_same_results() {
    assert_eq!(
        strip_origin(read("junit/pytest8-xunit2-utf16.xml")),
        strip_origin(read("junit/pytest8-xunit2.xml"))
    );
    assert_eq!(
        strip_origin(read("junit/jest-junit-bom.xml")),
        strip_origin(read("junit/jest-junit.xml"))
    );
}

fn strip_origin(rs: Vec<AutomatedResult>) -> Vec<AutomatedResult> {
    rs.into_iter()
        .map(|mut r| {
            r.origin = Default::default();
            r
        })
        .collect()
}

#[test]
fn nextest_reruns_and_flaky() {
    let rs = read("junit/nextest-junit.xml");
    let flaky = by_name(&rs, "tests::pc_007_instable");
    assert_eq!(
        (flaky.status, flaky.flaky, flaky.retries),
        (ExecStatus::Passed, true, 1)
    );
    // The rerun's output is not the test's output.
    assert!(!flaky.stdout.as_deref().unwrap_or("").contains("FAILED"));
    let broken = by_name(&rs, "tests::pc_003_solde_nul");
    assert_eq!(
        (broken.status, broken.flaky, broken.retries),
        (ExecStatus::Failed, false, 1)
    );
    let out = by_name(&rs, "tests::pc_001_sortie")
        .stdout
        .clone()
        .unwrap_or_default();
    assert!(out.contains("sortie standard é à ü"));
}

#[test]
fn gtest_attributes_and_disabled() {
    let rs = read("junit/gtest.xml");
    assert_eq!(
        by_name(&rs, "DISABLED_Restitution").status,
        ExecStatus::NotRun
    );
    assert_eq!(by_name(&rs, "ExamenPratique").status, ExecStatus::NotRun);
    let p = by_name(&rs, "Categorie/2");
    assert!(p.properties.contains(&("value_param".into(), "15".into())));
    assert_eq!(p.suite_path, ["Categories/AgeMinimal"]);
}

#[test]
fn robot_versions_agree() {
    let names = |rs: &[AutomatedResult]| rs.iter().map(|r| r.name.clone()).collect::<Vec<_>>();
    let rf7 = read("robot/rf7-output.xml");
    let (rf6, rf4, rf3) = (
        read("robot/rf6-output.xml"),
        read("robot/rf4-output.xml"),
        read("robot/rf3-output.xml"),
    );
    assert_eq!(names(&rf7), names(&rf6));
    assert_eq!(names(&rf7), names(&rf4));
    for r in &rf3 {
        let twin = by_name(&rf7, &r.name);
        assert_eq!(
            r.tags
                .iter()
                .filter(|t| t.starts_with("PC-"))
                .collect::<Vec<_>>(),
            twin.tags
                .iter()
                .filter(|t| t.starts_with("PC-"))
                .collect::<Vec<_>>()
        );
    }
    for (a, b) in rf7.iter().zip(&rf6) {
        assert_eq!(
            (a.status, &a.suite_path, &a.tags),
            (b.status, &b.suite_path, &b.tags)
        );
    }
    let p = IdPattern::default();
    let points = by_name(&rf7, "Calcul des points restants");
    assert_eq!(points.suite_path, ["Permis", "01 Demandes"]);
    assert_eq!(requirement_ids(points, &p), ["PC-002", "PC-003"]);
    assert_eq!(
        points.message.as_deref(),
        Some("Solde de points attendu 8: 9 != 8")
    );
    assert_eq!(
        points.start_time.as_deref(),
        Some("2026-11-22T19:14:31.295069")
    );
    assert!((points.duration_ms.unwrap_or(0.0) - 1.598).abs() < 1e-9);
    let old = by_name(&rf4, "Calcul des points restants");
    assert_eq!(old.start_time.as_deref(), Some("2026-11-22T19:14:33.749"));
    assert_eq!(old.duration_ms, Some(2.0));
    let setup = by_name(&rf7, "Échange de permis étranger");
    assert_eq!(
        setup.message.as_deref(),
        Some("Setup failed:\nBase ANTS injoignable")
    );
    assert_eq!(by_name(&rf7, "Examen pratique").status, ExecStatus::NotRun);
    // RF 3 has no skip: the robot:skip test passed, as written.
    assert_eq!(by_name(&rf3, "Examen pratique").status, ExecStatus::Passed);
    // The statistics section (with its own <tag> and <suite>) does not add results or tags.
    assert_eq!(
        by_name(&rf7, "Suspension administrative").tags,
        ["lot-2", "PC-007"]
    );
}

#[test]
fn testng_groups_and_skip_reason() {
    let rs = read("testng/testng-results.xml");
    let p = IdPattern::default();
    let b = by_name(&rs, "demandePermisB");
    assert_eq!(requirement_ids(b, &p), ["PC-001"]);
    assert!(b.tags.contains(&"lot-1".to_string()));
    let skip = by_name(&rs, "echangePermisEtranger");
    assert_eq!(skip.status, ExecStatus::NotRun);
    assert!(skip.message.as_deref().unwrap_or("").contains("depends on"));
    let ages: Vec<_> = rs.iter().filter(|r| r.name == "ageMinimal").collect();
    assert_eq!(ages.len(), 3);
    assert!(ages[2]
        .properties
        .contains(&("parameters".into(), "C, 15".into())));
}

#[test]
fn trx_joins_definitions() {
    let rs = read("trx/mstest-permis.trx");
    let p = IdPattern::default();
    let points = by_name(&rs, "CalculPointsRestants");
    assert_eq!(
        points.classname.as_deref(),
        Some("Permis.Tests.DemandesTests")
    );
    assert_eq!(requirement_ids(points, &p), ["PC-002", "PC-003"]);
    assert_eq!(points.duration_ms, Some(45.0));
    let b = by_name(&rs, "DemandePermisB");
    assert!(b
        .properties
        .contains(&("owner".into(), "équipe titres".into())));
    assert_eq!(requirement_ids(b, &p), ["PC-001"]);
    assert_eq!(
        b.stdout.as_deref(),
        Some("demande déposée pour le dossier 2026-0001")
    );
    // A data-driven test is its rows (InnerResults), not the parent that sums them up.
    assert!(rs.iter().all(|r| r.name != "AgeMinimal"));
    let a1 = by_name(&rs, "AgeMinimal (A1,16)");
    assert_eq!(a1.status, ExecStatus::Passed);
    assert_eq!(a1.classname.as_deref(), Some("Permis.Tests.ControlesTests"));
    let row = by_name(&rs, "AgeMinimal (B,15)");
    assert_eq!(row.status, ExecStatus::Failed);
    assert_eq!(
        row.message.as_deref(),
        Some("Assert.IsTrue failed. B : âge 15 insuffisant")
    );
    assert_eq!(row.duration_ms, Some(6.0));
}

#[test]
fn ctrf_fields() {
    let rs = read("ctrf/jest-ctrf.json");
    let r = &rs[2];
    assert_eq!(r.origin.sheet.as_deref(), Some("results.tests[2]"));
    assert_eq!(
        r.suite_path,
        ["permis.test.js", "Demandes de permis", "échange"]
    );
    assert_eq!(r.status, ExecStatus::Failed);
    assert!(r
        .failure_text
        .as_deref()
        .unwrap_or("")
        .contains("permis.test.js:5:67"));
}

#[test]
fn broken_files_have_distinct_messages() {
    let empty = err_of(&fixture("broken/empty.xml"));
    assert!(empty.contains("fichier vide"), "{empty}");
    let binary = err_of(&fixture("broken/binary.xml"));
    assert!(binary.contains("contenu binaire"), "{binary}");
    let html = err_of(&fixture("broken/proxy-error-page.xml"));
    assert!(
        html.contains("page HTML") && html.contains("502 Bad Gateway"),
        "{html}"
    );
    let cut = err_of(&fixture("broken/truncated-junit.xml"));
    assert!(
        cut.contains("truncated-junit.xml › ligne 12, colonne"),
        "{cut}"
    );
    assert!(
        cut.contains("fichier XML tronqué (élément <error> non fermé)"),
        "{cut}"
    );
    let e = read_all(
        &fixture("broken/truncated-junit.xml"),
        None,
        &ReadOptions::default(),
    );
    let en = e.err().map(|e| e.message(Lang::En)).unwrap_or_default();
    assert!(
        en.contains("line 12") && en.contains("truncated XML file"),
        "{en}"
    );
}

#[test]
fn forced_wrong_format_is_refused() {
    let e = read_all(
        &fixture("junit/gtest.xml"),
        Some(ResultFormat::Robot),
        &ReadOptions::default(),
    );
    let msg = e.err().map(|e| e.to_string()).unwrap_or_default();
    assert!(
        msg.contains("élément racine <testsuites>") && msg.contains("Robot"),
        "{msg}"
    );
    assert_eq!(ResultFormat::parse("auto").ok(), Some(None));
    assert_eq!(
        ResultFormat::parse("MSTest").ok(),
        Some(Some(ResultFormat::Trx))
    );
    assert!(ResultFormat::parse("excel").is_err());
}

#[test]
fn small_output_limit_cuts_with_a_marker() {
    let opts = ReadOptions {
        max_output_bytes: 200,
        ..ReadOptions::default()
    };
    let (_, rs) =
        read_all(&fixture("junit/pytest8-xunit2.xml"), None, &opts).unwrap_or_default_panic();
    let r = by_name(&rs, "test_restitution");
    let text = r.failure_text.as_deref().unwrap_or("");
    assert!(
        text.ends_with(CUT_MARKER) && text.len() <= 200 + CUT_MARKER.len(),
        "{text}"
    );
    assert!(r.message.as_deref().unwrap_or("").ends_with(CUT_MARKER));
}

trait OrPanic<T> {
    fn unwrap_or_default_panic(self) -> T;
}
impl<T> OrPanic<T> for recette::Result<T> {
    fn unwrap_or_default_panic(self) -> T {
        self.unwrap_or_else(|e| panic!("{e}"))
    }
}

#[test]
fn sink_error_stops_reading() {
    let mut n = 0;
    let r = read_results(
        &fixture("junit/vitest-junit.xml"),
        None,
        &ReadOptions::default(),
        &mut |_| {
            n += 1;
            if n == 2 {
                Err(recette::Error::Other("stop".into()))
            } else {
                Ok(())
            }
        },
    );
    assert_eq!(r.err().map(|e| e.to_string()), Some("stop".to_string()));
    assert_eq!(n, 2);
}

#[test]
fn expand_paths_is_sorted_and_strict() {
    let root = fixture("");
    let all = expand_paths(&[root.display().to_string()]).unwrap_or_default_panic();
    // 39 of the parsers' fixtures, 79 of the copied corpus (.xml, .json, .trx, .tap).
    assert_eq!(all.len(), 118);
    let mut sorted = all.clone();
    sorted.sort();
    assert_eq!(all, sorted);
    let pattern = format!("{}/junit/robot*.xml", root.display());
    let robots = expand_paths(&[pattern.clone(), pattern]).unwrap_or_default_panic();
    assert_eq!(robots.len(), 3);
    assert!(expand_paths(&["/nonexistent/x.xml".into()]).is_err());
    assert!(expand_paths(&[format!("{}/*.nothing", root.display())]).is_err());
}

/// Surefire 3 + JUnit 5: a failure in `@BeforeAll` is one `<testcase name="">` with the error;
/// a skipped nested class is one too. Each is a result named after its class.
#[test]
fn junit_testcase_without_name_is_named_after_its_class() {
    let rs = read("junit/surefire3-junit5-beforeall.xml");
    assert_eq!(rs.len(), 3);
    let r = by_name(&rs, "fr.permis.DemandeIT");
    assert_eq!(r.status, ExecStatus::Failed);
    assert_eq!(r.classname.as_deref(), Some("fr.permis.DemandeIT"));
    assert_eq!(r.message.as_deref(), Some("Base PC-001 injoignable"));
    let nested = by_name(&rs, "fr.permis.DemandeIT$Renouvellement");
    assert_eq!(nested.status, ExecStatus::NotRun);
    assert_eq!(by_name(&rs, "consultationPC003").status, ExecStatus::Passed);
    // The failed class's requirement id is in its message only: the name carries none.
    assert!(requirement_ids(r, &IdPattern::default()).is_empty());
}

/// Behat writes `name="" classname=""` (with a file), other tools no name at all: the file,
/// then the suite, then the line name the result.
#[test]
fn junit_testcase_without_name_nor_classname() {
    let rs = read("junit/behat-no-name.xml");
    assert_eq!(rs.len(), 2);
    assert_eq!(rs[0].name, "features/permis.feature");
    assert_eq!(rs[0].status, ExecStatus::Failed);
    assert!(rs[0].message.as_deref().unwrap_or("").contains("PC-005"));
    assert_eq!(rs[1].name, "testcase (7)");
    assert_eq!(rs[1].status, ExecStatus::Passed);
}

/// An `<error>` or `<failure>` directly under `<testsuite>` (a class that failed to load) is a
/// failed result named after the suite, as Jenkins keeps it; the suite does not pass.
#[test]
fn junit_error_directly_under_testsuite_is_a_failed_result() {
    let (s, rs) = read_all(
        &fixture("junit/ant-class-load-error.xml"),
        None,
        &ReadOptions::default(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((s.results, s.passed, s.failed), (3, 1, 2));
    let load = by_name(&rs, "fr.permis.SuspensionTest");
    assert_eq!(load.status, ExecStatus::Failed);
    assert_eq!(load.message.as_deref(), Some("fr/permis/Dossier"));
    assert!(load
        .failure_text
        .as_deref()
        .unwrap_or("")
        .contains("NoClassDefFoundError"));
    assert_eq!(load.origin.row, Some(6));
    let fixture_failure = by_name(&rs, "fr.permis.DuplicataTest");
    assert_eq!(fixture_failure.status, ExecStatus::Failed);
    assert_eq!(
        fixture_failure.message.as_deref(),
        Some("Fixture de classe en échec")
    );
    assert_eq!(by_name(&rs, "duplicataPC004").status, ExecStatus::Passed);
}

/// Robot Framework 7.5 (run here, sources in `robot/rf75-suites/`): a failed suite teardown
/// fails every test of its suite and sub-suites (Robot's statistics: 0 passed, 5 failed,
/// 1 skipped); a failed suite setup already failed its tests in the file.
#[test]
fn robot_failed_suite_teardown_fails_the_suite_tests() {
    let (s, rs) = read_all(
        &fixture("robot/rf75-suite-teardown-failed.xml"),
        None,
        &ReadOptions::default(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((s.results, s.passed, s.failed, s.not_run), (6, 0, 5, 1));
    let normal = by_name(&rs, "Annulation PC-006");
    assert_eq!(normal.status, ExecStatus::Failed);
    assert_eq!(
        normal.message.as_deref(),
        Some("Parent suite teardown failed:\nNettoyage de la base impossible")
    );
    let nested = by_name(&rs, "Duplicata PC-004");
    assert_eq!(
        nested.message.as_deref(),
        Some(
            "Numéro de dossier absent\n\nAlso parent suite teardown failed:\nFichiers \
             temporaires non supprimés\n\nAlso parent suite teardown failed:\nNettoyage de la \
             base impossible"
        )
    );
    let setup = by_name(&rs, "Demande de permis PC-001");
    assert_eq!(setup.status, ExecStatus::Failed);
    assert!(setup
        .message
        .as_deref()
        .unwrap_or("")
        .starts_with("Parent suite setup failed:\nConnexion au service PC indisponible"));
    assert_eq!(by_name(&rs, "Suspension PC-005").status, ExecStatus::NotRun);
    // Tags still link.
    assert_eq!(requirement_ids(normal, &IdPattern::default()), ["PC-006"]);
}

/// NUnit 3 writes a lone `<test-suite>` root for an assembly or a fixture: detected and read.
#[test]
fn nunit3_root_test_suite() {
    let path = fixture("nunit/nunit3-root-test-suite.xml");
    assert_eq!(detect_format(&path).ok(), Some(ResultFormat::Nunit3));
    let (s, rs) = read_all(&path, Some(ResultFormat::Nunit3), &ReadOptions::default())
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((s.results, s.passed, s.failed, s.not_run), (3, 1, 1, 1));
    let r = by_name(&rs, "CalculPointsRestants");
    assert_eq!(r.suite_path, ["Permis.Tests.dll", "DemandesTests"]);
    assert_eq!(r.classname.as_deref(), Some("Permis.Tests.DemandesTests"));
    assert_eq!(
        requirement_ids(by_name(&rs, "DemandePermisB"), &IdPattern::default()),
        ["PC-001"]
    );
}

/// cucumber-js 12.9 run here (`fixtures/results/cucumber/src`): cucumber's own summary says
/// 6 scenarios (2 failed, 1 undefined, 1 pending, 2 passed).
#[test]
fn cucumber_scenarios_outline_rows_hooks_and_tags() {
    let path = fixture("cucumber/cucumber-js-12.9-permis.json");
    assert_eq!(detect_format(&path).ok(), Some(ResultFormat::Cucumber));
    let (s, rs) = read_all(&path, None, &ReadOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((s.results, s.passed, s.failed, s.not_run), (6, 2, 2, 2));
    let p = IdPattern::default();
    // One result per example row, under the outline's name.
    let rows: Vec<_> = rs
        .iter()
        .filter(|r| r.name == "Calcul des points restants")
        .collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].status, ExecStatus::Passed);
    assert_eq!(rows[1].status, ExecStatus::Failed);
    assert!(rows[1]
        .failure_text
        .as_deref()
        .unwrap_or("")
        .starts_with("Then il reste 9 points\nAssertionError"));
    assert_eq!(requirement_ids(rows[1], &p), ["PC-001", "PC-002"]);
    assert_eq!(rows[0].suite_path, ["Demandes de permis"]);
    // Durations are nanoseconds: a few steps take well under a second.
    assert!(rows[0].duration_ms.is_some_and(|d| d > 0.0 && d < 1000.0));
    // A failed After hook fails a scenario whose steps passed.
    let hook = by_name(&rs, "Suspension");
    assert_eq!(hook.status, ExecStatus::Failed);
    assert_eq!(
        hook.message.as_deref(),
        Some("Error: nettoyage du dossier PC-005 impossible")
    );
    // Pending and undefined steps: not run.
    assert_eq!(by_name(&rs, "Examen pratique").status, ExecStatus::NotRun);
    assert_eq!(by_name(&rs, "Duplicata").status, ExecStatus::NotRun);
    // Test-case tag.
    let depot = by_name(&rs, "Dépôt d'une demande");
    assert_eq!(depot.status, ExecStatus::Passed);
    assert_eq!(
        recette::import::results::link::test_case_refs(depot, &p),
        ["CT-010"]
    );
}

/// `node --test --test-reporter=tap` (Node 20) run here: subtests, SKIP, TODO, YAML blocks.
#[test]
fn tap_points_subtests_directives_and_yaml() {
    let path = fixture("tap/node20-test-runner.tap");
    assert_eq!(detect_format(&path).ok(), Some(ResultFormat::Tap));
    let (s, rs) = read_all(&path, None, &ReadOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((s.results, s.passed, s.failed, s.not_run), (7, 3, 2, 2));
    let points = by_name(&rs, "PC-002 calcul des points restants");
    assert_eq!(points.suite_path, ["Demandes de permis"]);
    assert_eq!(points.status, ExecStatus::Failed);
    assert_eq!(points.message.as_deref(), Some("points restants"));
    assert!(points
        .failure_text
        .as_deref()
        .unwrap_or("")
        .contains("operator: 'strictEqual'"));
    assert!(points.duration_ms.is_some_and(|d| d > 0.0 && d < 1000.0));
    let todo = by_name(&rs, "PC-004 duplicata");
    assert_eq!(todo.status, ExecStatus::NotRun);
    assert_eq!(todo.message.as_deref(), Some("TODO pas encore livré"));
    let skip = by_name(&rs, "PC-003 examen pratique");
    assert_eq!(skip.message.as_deref(), Some("centre indisponible"));
    let gel = by_name(&rs, "dossier gelé");
    assert_eq!(gel.suite_path, ["PC-005 suspension"]);
    assert_eq!(gel.message.as_deref(), Some("dossier PC-005 encore actif"));
    // Parents that only sum up their subtests are not results.
    assert!(rs.iter().all(|r| r.name != "Demandes de permis"));
    assert_eq!(
        requirement_ids(gel, &IdPattern::default()),
        Vec::<String>::new()
    );
    assert_eq!(by_name(&rs, "PC-006 annulation").status, ExecStatus::Passed);
}

/// Literal YAML scalars (tap-parser's fixture), Bail out!, a short plan, a parent failing on its
/// own, escaped `#`.
#[test]
fn tap_bail_out_plan_and_literal_yaml() {
    let (_, rs) = read_all(
        &fixture("corpus/tap/tap-parser-yaml-literal.tap"),
        None,
        &ReadOptions::default(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(rs.len(), 1);
    assert_eq!(
        rs[0].message.as_deref(),
        Some("Failed with error '42 is not 43'")
    );
    assert!(rs[0]
        .failure_text
        .as_deref()
        .unwrap_or("")
        .contains("label: |\n    Expected the test to give the value 43."));
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let p = dir.path().join("run.tap");
    let text = "TAP version 14\n1..4\n    ok 1 - enfant\nnot ok 1 - parent\nok 2 - a \\# b # skip\nBail out! base PC-009 perdue\nok 3 - jamais lu\n";
    std::fs::write(&p, text).unwrap_or_else(|e| panic!("{e}"));
    let (s, rs) = read_all(&p, None, &ReadOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    let names: Vec<_> = rs.iter().map(|r| (r.name.as_str(), r.status)).collect();
    assert_eq!(
        names,
        [
            ("enfant", ExecStatus::Passed),
            ("parent", ExecStatus::Failed),
            ("a # b", ExecStatus::NotRun),
            ("Bail out!", ExecStatus::Failed),
        ]
    );
    assert_eq!(rs[0].suite_path, ["parent"]);
    assert_eq!(rs[3].message.as_deref(), Some("base PC-009 perdue"));
    assert_eq!(s.failed, 2);
    std::fs::write(&p, "1..3\nok 1\nok 2 - b\n").unwrap_or_else(|e| panic!("{e}"));
    let (_, rs) = read_all(&p, None, &ReadOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(rs[0].name, "test 1");
    assert_eq!(rs[2].name, "plan 1..3");
    assert_eq!(rs[2].status, ExecStatus::Failed);
    std::fs::write(&p, "ok 1 - a\n  ---\n  message: x\n").unwrap_or_else(|e| panic!("{e}"));
    let e = read_all(&p, None, &ReadOptions::default())
        .err()
        .map(|e| e.to_string());
    assert!(
        e.as_deref()
            .unwrap_or("")
            .contains("run.tap › ligne 2 : bloc YAML non fermé"),
        "{e:?}"
    );
}

/// Playwright 1.65 `--reporter=json` run here: two projects, retries, flaky, tags, annotations,
/// attachments; Playwright's stats: 4 expected, 2 unexpected, 2 flaky, 4 skipped.
#[test]
fn playwright_projects_retries_flaky_annotations_attachments() {
    let path = fixture("playwright/playwright-1.65-permis.json");
    assert_eq!(detect_format(&path).ok(), Some(ResultFormat::Playwright));
    let (s, rs) = read_all(&path, None, &ReadOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        (s.results, s.passed, s.failed, s.not_run, s.flaky),
        (12, 6, 2, 4, 2)
    );
    let p = IdPattern::default();
    let failed: Vec<_> = rs
        .iter()
        .filter(|r| r.name == "calcul des points restants")
        .collect();
    assert_eq!(failed.len(), 2);
    assert_eq!(
        failed[0].suite_path,
        ["api", "permis.spec.mjs", "Demandes de permis"]
    );
    assert_eq!(failed[1].suite_path[0], "api-recette");
    assert_eq!(failed[0].status, ExecStatus::Failed);
    assert_eq!(failed[0].retries, 1);
    let msg = failed[0].message.as_deref().unwrap_or("");
    assert!(msg.starts_with("Error: points restants"), "{msg}");
    assert!(!msg.contains('\u{1b}'), "ANSI colours removed: {msg:?}");
    assert!(failed[0]
        .properties
        .contains(&("issue".into(), "FA-12".into())));
    assert!(failed[0]
        .properties
        .contains(&("attachment".into(), "points.json (application/json)".into())));
    assert_eq!(requirement_ids(failed[0], &p), ["PC-002"]);
    let flaky = by_name(&rs, "duplicata");
    assert!(flaky.flaky && flaky.retries == 1 && flaky.status == ExecStatus::Passed);
    let fixme = by_name(&rs, "suspension");
    assert_eq!(fixme.status, ExecStatus::NotRun);
    assert_eq!(fixme.message.as_deref(), Some("pas encore livré"));
    assert_eq!(requirement_ids(fixme, &p), ["PC-005"]);
    let out = by_name(&rs, "annulation");
    assert_eq!(
        out.stdout.as_deref(),
        Some("annulation du dossier 2026-0006")
    );
    assert!(out
        .properties
        .contains(&("attachment".into(), "trace-annulation (text/plain)".into())));
}
