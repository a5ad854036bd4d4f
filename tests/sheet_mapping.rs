//! The workbook reader's problems and mappings: exact error origins, messages in English, the
//! TOML mapping round trip and overrides, and random CSV input.

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use recette::i18n::Lang;
use recette::import::records::ImportBatch;
use recette::import::sheet::{read_spreadsheet, Mapping, SheetOptions};
use recette::model::ExecStatus;

fn fixture(name: &str) -> PathBuf {
    Path::new("fixtures/vendor").join(name)
}

fn read(name: &str) -> (ImportBatch, Mapping) {
    read_spreadsheet(&fixture(name), &SheetOptions::default()).expect("readable fixture")
}

fn write_temp(dir: &tempfile::TempDir, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.path().join(name);
    std::fs::write(&p, bytes).expect("temp file");
    p
}

#[test]
fn error_origins_are_exact() {
    let (b, _) = read("cahier_errone.xlsx");
    let f = "fixtures/vendor/cahier_errone.xlsx";
    let got: Vec<String> = b.issues.iter().map(ToString::to_string).collect();
    let want = [
        format!("{f} › Exigences › ligne 4 › C « Criticité » : criticité inconnue « peut-être » ; valeurs acceptées : Critique, Majeure, Mineure (ou un synonyme usuel)"),
        format!("{f} › Exigences › ligne 5 › A « Réf. exigence » : référence « EXI-IMM-001 » en double (déjà ligne 3)"),
        format!("{f} › Exigences › ligne 6 › A « Réf. exigence » : ligne sans référence"),
        format!("{f} › Cas de test › ligne 2 › A « Réf. » : étape sans cas de test au-dessus"),
        format!("{f} › Cas de test › ligne 4 › C « Étape » : nombre entier attendu, lu « deux »"),
        format!("{f} › Résultats › ligne 2 › B « Résultat » : statut inconnu « peut-être » ; valeurs acceptées : Conforme, Non conforme, Bloqué, Non passé, Non applicable, En cours (ou un synonyme usuel)"),
        format!("{f} › Résultats › ligne 3 › C « Date d'exécution » : date illisible « le 14 mars » ; formats acceptés : jj/mm/aaaa, jj-mm-aaaa, aaaa-mm-jj [hh:mm]"),
    ];
    assert_eq!(got, want);
    // Good rows of a bad file are still read (for --partial).
    assert_eq!(b.requirements.len(), 2);
    assert_eq!(b.test_cases[0].steps.as_ref().map(Vec::len), Some(2));
}

#[test]
fn messages_in_english_on_request() {
    let opts = SheetOptions {
        lang: Lang::En,
        ..SheetOptions::default()
    };
    let (b, _) = read_spreadsheet(&fixture("cahier_errone.xlsx"), &opts).expect("read");
    assert_eq!(
        b.issues[0].message,
        "unknown criticality \"peut-être\"; accepted values: Critical, Major, Minor (or a usual synonym)"
    );
    assert_eq!(
        b.issues[1].message,
        "duplicate reference \"EXI-IMM-001\" (already row 3)"
    );
}

/// Printing the mapping, parsing it back and reading again with it gives the same records.
#[test]
fn mapping_toml_round_trip() {
    for name in [
        "cahier_immatriculation.xlsx",
        "cahier_errone.xlsx",
        "exigences_win1252.csv",
        "resultats_utf16.csv",
        "execution_hors_ligne.ods",
    ] {
        let (first, mapping) = read(name);
        let text = mapping.to_toml();
        let parsed = Mapping::from_toml(&text, "m.toml").expect("own output parses");
        let reparsed = Mapping::from_toml(&parsed.to_toml(), "m.toml").expect("stable");
        assert_eq!(reparsed, parsed, "{name}");
        let opts = SheetOptions {
            mapping: Some(parsed),
            ..SheetOptions::default()
        };
        let (again, _) = read_spreadsheet(&fixture(name), &opts).expect("read with mapping");
        let json = |b: &ImportBatch| {
            let mut v = serde_json::to_value(b).expect("json");
            if let Some(sheets) = v.get_mut("sheets").and_then(|s| s.as_array_mut()) {
                for s in sheets {
                    s.as_object_mut().map(|o| o.remove("reason"));
                }
            }
            v
        };
        assert_eq!(json(&first), json(&again), "{name}");
    }
}

#[test]
fn given_mapping_overrides_detection_and_words() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = write_temp(
        &dir,
        "recette.csv",
        "Quoi;Verdict client\nCT-1;Validé client\nCT-2;Refusé\n".as_bytes(),
    );
    let (b, _) = read_spreadsheet(&p, &SheetOptions::default()).expect("read");
    assert_eq!(
        b.sheets[0].kind, "ignored",
        "no id-like header: not guessed"
    );
    let toml = r#"
[[sheet]]
name = "recette"
kind = "results"
header_row = 1
[sheet.columns]
a = "test_ref"
B = "status"
[sheet.status_words]
"Validé client" = "passed"
"refuse" = "Non conforme"
"#;
    let mapping = Mapping::from_toml(toml, "m.toml").expect("mapping");
    let opts = SheetOptions {
        mapping: Some(mapping),
        ..SheetOptions::default()
    };
    let (b, m) = read_spreadsheet(&p, &opts).expect("read");
    assert!(b.issues.is_empty(), "{:#?}", b.issues);
    let st: Vec<(&str, ExecStatus)> = b
        .results
        .iter()
        .map(|r| (r.test_ref.as_str(), r.status.unwrap_or(ExecStatus::NotRun)))
        .collect();
    assert_eq!(
        st,
        [("CT-1", ExecStatus::Passed), ("CT-2", ExecStatus::Failed)]
    );
    assert!(m.to_toml().contains("\"Validé client\" = \"passed\""));
    assert!(m.to_toml().contains("A = \"test_ref\"  # Quoi"));
}

#[test]
fn mapping_can_ignore_a_sheet() {
    let toml = "[[sheet]]\nname = \"Anomalies\"\nkind = \"ignored\"\n";
    let opts = SheetOptions {
        mapping: Some(Mapping::from_toml(toml, "m.toml").expect("m")),
        ..SheetOptions::default()
    };
    let (b, _) = read_spreadsheet(&fixture("cahier_immatriculation.xlsx"), &opts).expect("read");
    assert!(b.anomalies.is_empty());
    assert_eq!(b.test_cases.len(), 6);
}

#[test]
fn unreadable_workbook_is_an_error_not_a_panic() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = write_temp(&dir, "faux.xlsx", b"PK\x03\x04 not really a zip");
    let err = read_spreadsheet(&p, &SheetOptions::default()).expect_err("must fail");
    assert!(err.to_string().contains("classeur illisible"), "{err}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Any bytes in a .csv file are read without panicking.
    #[test]
    fn random_csv_never_panics(
        bytes in prop::collection::vec(
            prop_oneof![
                Just(b';'), Just(b','), Just(b'\t'), Just(b'"'), Just(b'\n'), Just(b'\r'),
                Just(0xFFu8), Just(0xFEu8), Just(0xE9u8), Just(0xC3u8), b'0'..=b'9',
                Just(b'A'), Just(b' '), any::<u8>(),
            ],
            0..400,
        ),
        header in prop::sample::select(vec!["", "ID;Titre;Criticité\n", "Cas de test,Résultat,N° étape\n", "Réf.;Étape;Action\n"]),
    ) {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut all = header.as_bytes().to_vec();
        all.extend(&bytes);
        let p = write_temp(&dir, "x.csv", &all);
        let (_, mapping) = read_spreadsheet(&p, &SheetOptions::default()).expect("csv always reads");
        let text = mapping.to_toml();
        prop_assert!(Mapping::from_toml(&text, "m.toml").is_ok(), "{}", text);
    }
}
