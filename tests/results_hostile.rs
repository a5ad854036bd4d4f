//! Hostile and damaged inputs: entities, nesting, sizes, encodings, and a proptest that damages
//! the fixtures (truncation, bit flips) and checks that no parser panics.

use std::io::Write;
use std::path::{Path, PathBuf};

use proptest::prelude::*;
use recette::import::results::{read_all, read_results, ReadOptions, ResultFormat};
use recette::model::ExecStatus;

fn temp_file(name: &str, bytes: &[u8]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join(name);
    let mut f = std::fs::File::create(&path).unwrap_or_else(|e| panic!("{e}"));
    f.write_all(bytes).unwrap_or_else(|e| panic!("{e}"));
    (dir, path)
}

fn error(path: &Path, opts: &ReadOptions) -> String {
    match read_all(path, None, opts) {
        Ok((s, _)) => panic!("should be refused: {s:?}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn doctype_entities_are_never_expanded() {
    let laughs = r#"<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<testsuite><testcase name="a">&lol2;</testcase></testsuite>"#;
    let (_d, p) = temp_file("laughs.xml", laughs.as_bytes());
    let e = error(&p, &ReadOptions::default());
    assert!(e.contains("ligne 2") && e.contains("DOCTYPE"), "{e}");
    let external = r#"<?xml version="1.0"?>
<!DOCTYPE t [<!ENTITY x SYSTEM "file:///etc/passwd">]><testsuite><testcase name="&x;"/></testsuite>"#;
    let (_d2, p2) = temp_file("xxe.xml", external.as_bytes());
    assert!(error(&p2, &ReadOptions::default()).contains("DOCTYPE"));
    // Predefined and numeric entities decode.
    let plain = r#"<testsuite><testcase name="x &amp; &#233;&#x20AC;"><failure>&quot;a&quot; &lt;</failure></testcase></testsuite>"#;
    let (_d3, p3) = temp_file("plain.xml", plain.as_bytes());
    let (_, rs) = read_all(&p3, None, &ReadOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(rs[0].name, "x & é€");
    assert_eq!(rs[0].failure_text.as_deref(), Some("\"a\" <"));
    // Any other entity cannot have been declared: the file is not well-formed.
    let unknown =
        "<testsuite>\n<testcase name=\"a\"><failure>x &foo; y</failure></testcase></testsuite>";
    let (_d4, p4) = temp_file("unknown.xml", unknown.as_bytes());
    let e = error(&p4, &ReadOptions::default());
    assert!(
        e.contains(
            "unknown.xml › ligne 2, colonne 31 : XML mal formé : entité non déclarée « &foo; »"
        ),
        "{e}"
    );
}

/// Documents that are not well-formed XML are refused, in every XML format, with line and
/// column, whatever the format asked for.
#[test]
fn not_well_formed_documents_are_refused_with_line_and_column() {
    let cases: &[(&str, &str)] = &[
        (
            "<testsuite name=\"s\">\n  <testcase name=\"a<b\"/>\n</testsuite>",
            "ligne 2, colonne 3 : XML mal formé : caractère « < » dans la valeur de l'attribut « name » de <testcase>",
        ),
        (
            "<testsuite name=\"s\"><testcase name=\"a & b\"/></testsuite>",
            "ligne 1, colonne 21 : XML mal formé : « & » isolé ou entité invalide dans la valeur de l'attribut « name » de <testcase>",
        ),
        (
            "<testsuite name=\"s\">\n<1case name=\"a\"/></testsuite>",
            "ligne 2, colonne 1 : XML mal formé : nom d'élément invalide « <1case »",
        ),
        (
            "<testsuite name=\"s\"><!-- a -- b --><testcase name=\"a\"/></testsuite>",
            "ligne 1, colonne 21 : XML mal formé : « -- » à l'intérieur d'un commentaire XML",
        ),
        (
            "<testsuite name=\"s\"><testcase name=\"a\" name=\"b\"/></testsuite>",
            "attribut mal formé dans <testcase> (attribut en double",
        ),
        (
            "<testsuite name=\"s\"><testcase name=\"a\"/></testsuite><testsuite/>",
            "contenu après la fin du document (élément <testsuite>)",
        ),
    ];
    for (i, (xml, expected)) in cases.iter().enumerate() {
        let (_d, p) = temp_file(&format!("bad{i}.xml"), xml.as_bytes());
        let e = error(&p, &ReadOptions::default());
        assert!(e.contains(expected), "{xml}\n{e}");
        // Forcing any XML format gives the same refusal (the document is read before its
        // vocabulary matters, or its root is refused first).
        for format in [ResultFormat::Junit, ResultFormat::Nunit3, ResultFormat::Trx] {
            let forced = read_all(&p, Some(format), &ReadOptions::default());
            assert!(forced.is_err(), "{xml} read as {format}");
        }
    }
    // The corpus file: a raw `<` in a test name, as a broken writer leaves it.
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/results/broken/not-well-formed-attribute.xml");
    let e = error(&p, &ReadOptions::default());
    assert!(
        e.contains(
            "not-well-formed-attribute.xml › ligne 4, colonne 3 : XML mal formé : caractère « < »"
        ),
        "{e}"
    );
}

/// A DOCTYPE with parameter entities, before an unknown root and a second root: the message
/// names the DOCTYPE and its line, whether the format is detected or forced.
#[test]
fn hostile_doctype_is_named_with_its_line_whatever_the_root_or_format() {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/results/broken/doctype-parameter-entities.xml");
    let detected = error(&p, &ReadOptions::default());
    assert!(
        detected.contains(
            "doctype-parameter-entities.xml › ligne 2 : DOCTYPE avec déclarations d'entités"
        ),
        "{detected}"
    );
    assert!(!detected.contains("racine"), "{detected}");
    for format in ResultFormat::ALL {
        match read_all(&p, Some(*format), &ReadOptions::default()) {
            Ok(_) => panic!("read as {format}"),
            Err(e) => assert!(
                e.to_string().contains("› ligne 2 : DOCTYPE"),
                "{format}: {e}"
            ),
        }
    }
}

#[test]
fn very_deep_nesting_fails_cleanly() {
    let depth = 100_000;
    let mut xml = String::from("<testsuites>");
    xml.push_str(&"<testsuite>".repeat(depth));
    xml.push_str(&"</testsuite>".repeat(depth));
    xml.push_str("</testsuites>");
    let (_d, p) = temp_file("deep.xml", xml.as_bytes());
    let e = error(&p, &ReadOptions::default());
    assert!(
        e.contains("imbrication trop profonde") && e.contains("256"),
        "{e}"
    );
}

#[test]
fn one_huge_event_is_refused() {
    let mut xml = String::from("<testsuite><testcase name=\"a\"><system-out>");
    xml.push_str(&"x".repeat(300_000));
    xml.push_str("</system-out></testcase></testsuite>");
    let (_d, p) = temp_file("big.xml", xml.as_bytes());
    let opts = ReadOptions {
        max_event_bytes: 100_000,
        ..ReadOptions::default()
    };
    assert!(error(&p, &opts).contains("plus de 100000 octets"));
    // Under the default limit it is read, and the output cut.
    let (_, rs) = read_all(&p, None, &ReadOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    assert!(rs[0].stdout.as_deref().unwrap_or("").len() < 70_000);
}

#[test]
fn junit_variants_in_one_file() {
    let xml = r#"<?xml version="1.0" encoding="ISO-8859-1"?>
<testsuites><testsuite name="outer" timestamp="2026-01-02T03:04:05">
 <testsuite name="inner">
  <testcase name="t1" time="1,234.5"><properties>
    <property name="requirement" value="PC-001"/><property name="requirement" value="PC-002"/>
    <property name="note">texte libre é</property></properties></testcase>
  <testcase name="t2" time="0,160" status="notrun"/>
  <testcase name="t3" time="80.803us"><flakyError message="x"/></testcase>
  <testcase name="t4" time="12ms"><error message="boom">trace</error><rerunError/><rerunError/></testcase>
 </testsuite></testsuite></testsuites>"#;
    let latin1: Vec<u8> = xml.chars().map(|c| c as u32 as u8).collect();
    let (_d, p) = temp_file("variants.xml", &latin1);
    let (s, rs) = read_all(&p, None, &ReadOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        (s.results, s.passed, s.failed, s.not_run, s.flaky),
        (4, 2, 1, 1, 1)
    );
    let ids = recette::import::results::link::requirement_ids(
        &rs[0],
        &recette::import::results::link::IdPattern::default(),
    );
    assert_eq!(ids, ["PC-001", "PC-002"]);
    assert_eq!(rs[0].suite_path, ["outer", "inner"]);
    assert_eq!(rs[0].classname, None);
    assert_eq!(rs[0].start_time.as_deref(), Some("2026-01-02T03:04:05"));
    assert_eq!(rs[0].duration_ms, Some(1_234_500.0));
    assert!(rs[0]
        .properties
        .contains(&("note".into(), "texte libre é".into())));
    assert_eq!(rs[0].origin.row, Some(4));
    assert_eq!(rs[1].duration_ms, Some(160.0));
    assert_eq!(rs[2].status, ExecStatus::Passed);
    assert!((rs[2].duration_ms.unwrap_or(0.0) - 0.080803).abs() < 1e-12);
    assert_eq!(
        (rs[3].status, rs[3].retries, rs[3].flaky),
        (ExecStatus::Failed, 2, false)
    );
    assert_eq!(rs[3].message.as_deref(), Some("boom"));
}

#[test]
fn robot_keyword_message_when_test_message_is_empty() {
    let xml = r#"<robot generator="Robot 6.1.1" schemaversion="4"><suite name="S"><test name="T">
<kw name="K"><kw name="Inner"><msg level="FAIL">cause profonde</msg>
<status status="FAIL" starttime="20240101 12:00:00.000" endtime="20240101 12:00:00.010">cause profonde</status></kw>
<status status="FAIL" starttime="20240101 12:00:00.000" endtime="20240101 12:00:00.020"/></kw>
<status status="FAIL" starttime="20240101 12:00:00.000" endtime="20240101 12:00:01.500"/></test>
<status status="FAIL" starttime="20240101 12:00:00.000" endtime="20240101 12:00:02.000"/></suite>
<statistics><suite><stat name="S">S</stat></suite></statistics></robot>"#;
    let (_d, p) = temp_file("output.xml", xml.as_bytes());
    let (_, rs) = read_all(&p, None, &ReadOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(rs.len(), 1);
    assert_eq!(rs[0].message.as_deref(), Some("cause profonde"));
    assert_eq!(rs[0].duration_ms, Some(1500.0));
    assert_eq!(rs[0].start_time.as_deref(), Some("2024-01-01T12:00:00.000"));
}

#[test]
fn trx_definitions_before_results_and_testng_config() {
    let trx = r#"<TestRun xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010">
<TestDefinitions><UnitTest name="A" id="1"><TestMethod className="Ns.C" name="A"/></UnitTest></TestDefinitions>
<Results><UnitTestResult testId="1" testName="A" outcome="Timeout" duration="00:01:00"/></Results></TestRun>"#;
    let (_d, p) = temp_file("r.trx", trx.as_bytes());
    let (_, rs) = read_all(&p, None, &ReadOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        (rs[0].classname.as_deref(), rs[0].status),
        (Some("Ns.C"), ExecStatus::Failed)
    );
    assert_eq!(rs[0].duration_ms, Some(60_000.0));
    let ng = r#"<testng-results><suite name="s"><test name="t"><class name="C">
<test-method name="setUp" is-config="true" status="PASS"/>
<test-method name="init" is-config="true" status="FAIL"><exception class="E"><message>db down</message></exception></test-method>
<test-method name="m" status="SKIP" retried="true"/>
<test-method name="m" status="PASS"/></class></test></suite></testng-results>"#;
    let (_d2, p2) = temp_file("testng-results.xml", ng.as_bytes());
    let (_, rs) = read_all(&p2, None, &ReadOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(rs.len(), 2);
    assert_eq!(
        (rs[0].name.as_str(), rs[0].status),
        ("init", ExecStatus::Failed)
    );
    assert!(rs[0]
        .properties
        .contains(&("testng.config".into(), "true".into())));
    assert_eq!((rs[1].retries, rs[1].flaky), (1, true));
}

#[test]
fn json_damage_and_unknown_roots() {
    let (_d, p) = temp_file(
        "c.json",
        br#"{"results":{"tests":[{"name":"a","status":"passed"},{"name":"#,
    );
    let e = error(&p, &ReadOptions::default());
    assert!(e.contains("JSON tronqué") && e.contains("ligne 1"), "{e}");
    let (_d2, p2) = temp_file(
        "c2.json",
        br#"{"results":{"tests":[{"name":"a","status":"weird"}]}}"#,
    );
    assert!(error(&p2, &ReadOptions::default()).contains("statut CTRF inconnu"));
    let (_d3, p3) = temp_file("x.json", br#"{"a":1}"#);
    assert!(error(&p3, &ReadOptions::default()).contains("fichier JSON qui n'est ni CTRF"));
    let (_d4, p4) = temp_file("x.xml", b"<report><t/></report>");
    assert!(error(&p4, &ReadOptions::default()).contains("élément racine <report> inconnu"));
    let (_d5, p5) = temp_file("x.xml", b"hello");
    assert!(error(&p5, &ReadOptions::default()).contains("ni XML, ni JSON, ni TAP"));
    let (_d6, p6) = temp_file("x.xml", b"<testsuite><testcase name='a'></testsuite>");
    let e6 = error(&p6, &ReadOptions::default());
    assert!(
        e6.contains("</testsuite> trouvé alors que </testcase> était attendu"),
        "{e6}"
    );
}

#[test]
fn utf16_big_endian_without_declaration() {
    let xml = "<testsuite><testcase name=\"é\"/></testsuite>";
    let mut bytes = vec![0xFE, 0xFF];
    for u in xml.encode_utf16() {
        bytes.extend_from_slice(&u.to_be_bytes());
    }
    let (_d, p) = temp_file("be.xml", &bytes);
    let (_, rs) = read_all(&p, None, &ReadOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(rs[0].name, "é");
}

fn fixtures() -> Vec<(Vec<u8>, Option<ResultFormat>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/results");
    [
        "junit/pytest8-xunit2.xml",
        "junit/pytest8-xunit2-utf16.xml",
        "junit/nextest-junit.xml",
        "robot/rf7-output.xml",
        "robot/rf3-output.xml",
        "testng/testng-results.xml",
        "ctrf/jest-ctrf.json",
        "nunit/nunit3-permis.xml",
        "nunit/nunit2-permis.xml",
        "trx/mstest-permis.trx",
        "xunit/xunit2-permis.xml",
        "cucumber/cucumber-js-12.9-permis.json",
        "tap/node20-test-runner.tap",
        "playwright/playwright-1.65-permis.json",
        "robot/rf75-suite-teardown-failed.xml",
    ]
    .iter()
    .map(|rel| (std::fs::read(root.join(rel)).unwrap_or_default(), None))
    .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn damaged_fixtures_never_panic(
        which in 0usize..15,
        cut in 0.0f64..1.0,
        flips in proptest::collection::vec((0.0f64..1.0, 0u8..8), 0..6),
        forced in proptest::option::of(0usize..11),
    ) {
        let files = fixtures();
        let (mut bytes, _) = files[which].clone();
        let len = bytes.len();
        bytes.truncate(((len as f64) * cut) as usize + 1);
        for (at, bit) in flips {
            let n = bytes.len();
            let i = ((n as f64) * at) as usize % n.max(1);
            if let Some(b) = bytes.get_mut(i) {
                *b ^= 1 << bit;
            }
        }
        let (_d, p) = temp_file("damaged.xml", &bytes);
        let format = forced.map(|i| ResultFormat::ALL[i]);
        let mut count = 0u64;
        let outcome = read_results(&p, format, &ReadOptions::default(), &mut |_| {
            count += 1;
            Ok(())
        });
        if let Ok(s) = outcome {
            prop_assert_eq!(s.results, count);
        }
    }
}
