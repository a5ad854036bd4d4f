//! Interoperability readers and the ReqIF writer, on the fixtures of `fixtures/interop/`.

use std::path::{Path, PathBuf};

use recette::i18n::Lang;
use recette::interop::reqif::{read_reqif_str, write_reqif, ReqifExportItem, ReqifWriteOptions};
use recette::interop::testlink::{read_testlink, TestlinkOptions};
use recette::interop::{detect, read, squash, InteropFormat, ReqifMapping};
use recette::model::{Criticality, ReqStatus, Step, TestKind};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/interop")
        .join(name)
}

fn doors_mapping() -> ReqifMapping {
    ReqifMapping::load(&fixture("doors-mapping.toml")).unwrap()
}

#[test]
fn detects_every_fixture() {
    for (name, format) in [
        ("immatriculation-v1.reqif", Some(InteropFormat::Reqif)),
        ("immatriculation-v1.reqifz", Some(InteropFormat::Reqifz)),
        ("testlink-testsuite.xml", Some(InteropFormat::TestLink)),
        ("testlink-exigences.xml", Some(InteropFormat::TestLink)),
        ("squash-cas-de-test.xlsx", Some(InteropFormat::Squash)),
        ("squash-exigences.xlsx", Some(InteropFormat::Squash)),
        ("README.md", None),
    ] {
        assert_eq!(detect(&fixture(name)), format, "{name}");
    }
}

#[test]
fn reqif_requirements_chapters_enums_and_xhtml() {
    let batch = read(
        &fixture("immatriculation-v1.reqif"),
        InteropFormat::Reqif,
        Some(&doors_mapping()),
        Lang::Fr,
    )
    .unwrap();
    assert!(batch.issues.is_empty(), "{:?}", batch.issues);
    let refs: Vec<&str> = batch
        .requirements
        .iter()
        .map(|r| r.reference.as_str())
        .collect();
    assert_eq!(
        refs,
        (1..=8)
            .map(|i| format!("EXI-IMM-00{i}"))
            .collect::<Vec<_>>()
    );
    let r = |reference: &str| {
        batch
            .requirements
            .iter()
            .find(|r| r.reference == reference)
            .unwrap()
    };

    let r4 = r("EXI-IMM-004");
    assert_eq!(r4.title.as_deref(), Some("Attribution du numéro SIV"));
    assert_eq!(r4.category.as_deref(), Some("3.2 Immatriculation"));
    assert_eq!(r4.criticality, Some(Criticality::Critique));
    assert_eq!(
        r4.status,
        Some(ReqStatus::Validee),
        "default value of the status attribute"
    );
    assert_eq!(
        r4.description.as_deref(),
        Some("Le système **doit** attribuer un numéro d'immatriculation au format SIV :\n\n- deux lettres, trois chiffres, deux lettres (AA-123-AA) ;\n- unique sur le territoire national ;\n- attribué dans l'ordre chronologique.")
    );
    assert_eq!(r4.source.as_deref(), Some("CCTP SIV - Immatriculation"));
    assert_eq!(r4.origin.row, Some(177));

    assert_eq!(
        r("EXI-IMM-001").category.as_deref(),
        Some("3 Gestion des immatriculations")
    );
    let r2 = r("EXI-IMM-002");
    assert_eq!(r2.category.as_deref(), Some("3.1 Dépôt de la demande"));
    assert_eq!(r2.criticality, Some(Criticality::Majeure));
    assert!(r2.description.as_deref().unwrap().ends_with("\n\n1. l'identité du titulaire ;\n2. les caractéristiques du véhicule (VIN, genre, marque) ;\n3. les pièces justificatives numérisées."));
    assert_eq!(
        r("EXI-IMM-003").status,
        Some(ReqStatus::Brouillon),
        "mapped « En revue »"
    );
    assert_eq!(r("EXI-IMM-005").description.as_deref(), Some("Le certificat provisoire d'immatriculation (CPI) est édité en PDF dès l'attribution du numéro.\nIl est valable un mois."));
    assert_eq!(r("EXI-IMM-006").criticality, Some(Criticality::Mineure));
    assert_eq!(
        r("EXI-IMM-007").criticality,
        None,
        "no value: the store applies its default"
    );
    assert_eq!(
        r("EXI-IMM-007").description.as_deref(),
        Some("95 % des pages s'affichent en moins de 2 secondes & aucune en plus de 8 secondes.")
    );
    assert_eq!(r("EXI-IMM-008").status, Some(ReqStatus::Obsolete));
    assert_eq!(
        r("EXI-IMM-008").category.as_deref(),
        Some("4 Exigences non fonctionnelles")
    );

    let links: Vec<(&str, &str)> = batch
        .links
        .iter()
        .map(|l| (l.requirement_ref.as_str(), l.test_ref.as_str()))
        .collect();
    assert_eq!(
        links,
        [("EXI-IMM-004", "CT-IMM-010"), ("EXI-IMM-005", "CT-IMM-011")]
    );
    let ignored = batch.sheets.iter().find(|s| s.kind == "ignored").unwrap();
    assert_eq!(
        ignored.reason.as_deref(),
        Some("attributs non repris : Testable, Poids, Date de revue")
    );
}

#[test]
fn reqif_unknown_enum_value_is_an_issue_without_mapping() {
    let batch = read(
        &fixture("immatriculation-v1.reqif"),
        InteropFormat::Reqif,
        None,
        Lang::Fr,
    )
    .unwrap();
    assert_eq!(batch.issues.len(), 1);
    let issue = &batch.issues[0];
    assert_eq!(issue.origin.row, Some(151));
    assert!(
        issue
            .message
            .starts_with("EXI-IMM-003 : statut d'exigence inconnu « En revue »"),
        "{}",
        issue.message
    );
    assert_eq!(batch.requirements.len(), 8);
}

#[test]
fn reqifz_reads_inner_document_and_lists_attachments() {
    let batch = read(
        &fixture("immatriculation-v1.reqifz"),
        InteropFormat::Reqifz,
        Some(&doors_mapping()),
        Lang::Fr,
    )
    .unwrap();
    assert_eq!(batch.requirements.len(), 8);
    assert_eq!(batch.links.len(), 2);
    assert!(batch.requirements[0]
        .origin
        .file
        .ends_with("immatriculation-v1.reqifz!immatriculation-v1.reqif"));
    assert!(batch
        .sheets
        .iter()
        .any(|s| s.sheet == "files/schema-plaque.png" && s.kind == "ignored"));
}

#[test]
fn reqif_v2_changes_two_texts_and_adds_one() {
    let m = doors_mapping();
    let v1 = read(
        &fixture("immatriculation-v1.reqif"),
        InteropFormat::Reqif,
        Some(&m),
        Lang::Fr,
    )
    .unwrap();
    let v2 = read(
        &fixture("immatriculation-v2.reqif"),
        InteropFormat::Reqif,
        Some(&m),
        Lang::Fr,
    )
    .unwrap();
    assert_eq!(v2.requirements.len(), 9);
    let changed: Vec<&str> = v2
        .requirements
        .iter()
        .filter(|b| {
            v1.requirements
                .iter()
                .find(|a| a.reference == b.reference)
                .is_none_or(|a| a.description != b.description)
        })
        .map(|r| r.reference.as_str())
        .collect();
    assert_eq!(changed, ["EXI-IMM-003", "EXI-IMM-005", "EXI-IMM-009"]);
    let added = v2
        .requirements
        .iter()
        .find(|r| r.reference == "EXI-IMM-009")
        .unwrap();
    assert_eq!(added.category.as_deref(), Some("3.2 Immatriculation"));
}

#[test]
fn xhtml_script_never_comes_out_as_markup() {
    let doc = std::fs::read_to_string(fixture("immatriculation-v1.reqif")).unwrap().replace(
        "<xhtml:br/>Il est valable",
        "</xhtml:p><xhtml:script>alert('x')</xhtml:script><xhtml:p onclick=\"evil()\">&lt;script&gt;alert(1)&lt;/script&gt; Il est valable",
    );
    let batch = read_reqif_str(&doc, "inline.reqif", Some(&doors_mapping()), Lang::Fr).unwrap();
    let d = batch
        .requirements
        .iter()
        .find(|r| r.reference == "EXI-IMM-005")
        .unwrap()
        .description
        .clone()
        .unwrap();
    assert!(d.contains("alert(1)"), "the replacement happened: {d}");
    assert!(!d.contains("alert('x')"), "{d}");
    assert!(!d.contains("onclick") && !d.contains("evil"), "{d}");
    assert!(!d.replace("\\<", "").contains('<'), "{d}");
    assert!(
        d.ends_with("\\<script>alert(1)\\</script> Il est valable un mois."),
        "{d}"
    );
}

#[test]
fn hostile_reqif_files_are_refused_without_expansion() {
    for name in ["hostile/xxe.reqif", "hostile/billion-laughs.reqif"] {
        let err = read(&fixture(name), InteropFormat::Reqif, None, Lang::Fr).unwrap_err();
        let fr = err.to_string();
        assert!(
            fr.contains("ligne 2, colonne 1")
                && fr.contains("DOCTYPE déclarant des entités refusé"),
            "{fr}"
        );
        assert!(err
            .message(Lang::En)
            .contains("DOCTYPE declaring entities refused"));
        assert!(!fr.contains("root:") && !fr.contains("lollol"));
    }
    let err = read(
        &fixture("hostile/truncated.reqif"),
        InteropFormat::Reqif,
        None,
        Lang::Fr,
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("truncated.reqif, ligne 118, colonne") && err.contains("fichier tronqué"),
        "{err}"
    );
    // An undeclared entity without a DOCTYPE is refused too.
    let err = read_reqif_str("<REQ-IF>&xxe;</REQ-IF>", "e.reqif", None, Lang::Fr)
        .unwrap_err()
        .to_string();
    assert!(err.contains("&xxe;") && err.contains("refusée"), "{err}");
}

fn export_items() -> Vec<ReqifExportItem> {
    let item = |reference: &str,
                title: &str,
                description: &str,
                criticality,
                category: Option<&str>,
                status,
                coverage: &str,
                result: &str| ReqifExportItem {
        reference: reference.into(),
        title: title.into(),
        description: description.into(),
        criticality,
        category: category.map(str::to_string),
        status,
        coverage: coverage.into(),
        result_status: result.into(),
        source: String::new(),
    };
    vec![
        item("EXI-IMM-004", "Attribution du numéro SIV", "Le système **doit** attribuer :\n\n- un numéro AA-123-AA ;\n- unique.\n\nLigne 1\nLigne 2 & \"fin\"", Criticality::Critique, Some("3.2 Immatriculation"), ReqStatus::Validee, "covered", "failed"),
        item("EXI-IMM-003", "Contrôle du VIN", "17 caractères.", Criticality::Majeure, Some("3.1 Dépôt de la demande"), ReqStatus::Brouillon, "covered", "passed"),
        item("EXI-IMM-005", "Édition du CPI", "", Criticality::Mineure, Some("3.2 Immatriculation"), ReqStatus::Validee, "covered", "not_run"),
        item("EXI IMM/008", "", "Retirée.", Criticality::Mineure, None, ReqStatus::Obsolete, "uncovered", "uncovered"),
    ]
}

#[test]
fn reqif_write_then_read_gives_the_same_requirements() {
    let items = export_items();
    let options = ReqifWriteOptions {
        title: "Bilan de recette SIV".into(),
        ..ReqifWriteOptions::default()
    };
    let xml = write_reqif(&items, &options).unwrap();
    assert_eq!(xml, write_reqif(&items, &options).unwrap(), "deterministic");
    assert!(xml.contains("<CREATION-TIME>1970-01-01T00:00:00Z</CREATION-TIME>"));
    let batch = read_reqif_str(&xml, "export.reqif", None, Lang::Fr).unwrap();
    assert!(batch.issues.is_empty(), "{:?}", batch.issues);
    assert!(
        batch.sheets.iter().all(|s| s.kind != "ignored"),
        "{:?}",
        batch.sheets
    );
    // Read order follows the hierarchy: categories in order of first appearance, then the rest.
    let order: Vec<&str> = batch
        .requirements
        .iter()
        .map(|r| r.reference.as_str())
        .collect();
    assert_eq!(
        order,
        ["EXI-IMM-004", "EXI-IMM-005", "EXI-IMM-003", "EXI IMM/008"]
    );
    for item in &items {
        let r = batch
            .requirements
            .iter()
            .find(|r| r.reference == item.reference)
            .unwrap();
        assert_eq!(
            r.title.as_deref().unwrap_or(""),
            item.title,
            "{}",
            item.reference
        );
        assert_eq!(
            r.description.as_deref().unwrap_or(""),
            item.description,
            "{}",
            item.reference
        );
        assert_eq!(r.criticality, Some(item.criticality));
        assert_eq!(r.category, item.category);
        assert_eq!(r.status, Some(item.status));
    }
    let with_time = write_reqif(
        &items,
        &ReqifWriteOptions {
            creation_time: Some("2026-03-14T10:30:00Z".into()),
            lang: Lang::En,
            ..options
        },
    )
    .unwrap();
    assert!(
        with_time.contains("<CREATION-TIME>2026-03-14T10:30:00Z</CREATION-TIME>")
            && with_time.contains("LONG-NAME=\"Critical\"")
    );
}

#[test]
fn reqif_writer_refuses_bad_items() {
    let mut items = export_items();
    items[1].reference = items[0].reference.clone();
    assert!(write_reqif(&items, &ReqifWriteOptions::default()).is_err());
    let mut items = export_items();
    items[0].result_status = "bof".into();
    let err = write_reqif(&items, &ReqifWriteOptions::default())
        .unwrap_err()
        .to_string();
    assert!(err.contains("« bof »"), "{err}");
}

#[test]
fn testlink_test_suite() {
    let opts = TestlinkOptions {
        prefix: Some("SIV".into()),
        lang: Lang::Fr,
    };
    let batch = read_testlink(&fixture("testlink-testsuite.xml"), &opts).unwrap();
    assert!(batch.issues.is_empty(), "{:?}", batch.issues);
    let refs: Vec<&str> = batch
        .test_cases
        .iter()
        .map(|t| t.reference.as_str())
        .collect();
    assert_eq!(refs, ["SIV-10", "SIV-11", "SIV-12"]);
    let t = &batch.test_cases[0];
    assert_eq!(t.title.as_deref(), Some("Immatriculer un véhicule neuf"));
    assert_eq!(
        t.category.as_deref(),
        Some("SIV / Immatriculation / Véhicules neufs")
    );
    assert_eq!(
        t.objective.as_deref(),
        Some("Vérifier l'attribution d'un numéro **SIV** à un véhicule neuf.")
    );
    assert_eq!(
        t.prerequisites.as_deref(),
        Some("Agent habilité connecté\n\n- dossier complet\n- VIN valide")
    );
    assert_eq!(t.priority.as_deref(), Some("haute"));
    assert_eq!(t.kind, Some(TestKind::Manual));
    assert_eq!(
        t.tags.as_deref(),
        Some(
            &[
                "Non-régression".to_string(),
                "VABF".into(),
                "Lot : Lot 1".into()
            ][..]
        )
    );
    assert_eq!(t.requirement_refs, ["EXI-IMM-004", "EXI-IMM-003"]);
    assert_eq!(
        t.steps.as_deref(),
        Some(
            &[
                Step {
                    action: "Saisir le VIN VF1AB000123456789".into(),
                    expected: "Le VIN est accepté".into()
                },
                Step {
                    action: "Valider la demande".into(),
                    expected:
                        "Un numéro au format **AA-123-AA** est attribué\net le CPI est proposé"
                            .into()
                },
            ][..]
        )
    );
    let t = &batch.test_cases[1];
    assert_eq!(
        (t.kind, t.priority.as_deref()),
        (Some(TestKind::Automated), Some("moyenne"))
    );
    assert_eq!(
        t.automation_key.as_deref(),
        Some("siv/cpi/test_edition_cpi.robot")
    );
    let steps = t.steps.as_ref().unwrap();
    assert_eq!(steps[0].action, "Cliquer sur « Éditer le CPI »");
    assert_eq!(steps[0].expected, "Un PDF s'ouvre", "script dropped");
    let t = &batch.test_cases[2];
    assert_eq!(t.category.as_deref(), Some("SIV / Immatriculation"));
    assert_eq!(t.priority.as_deref(), Some("basse"));
    assert_eq!(
        t.steps.as_ref().unwrap()[0].expected,
        "Le message « VIN invalide » s'affiche"
    );
    // Without a prefix the bare external id is the reference.
    let bare = read(
        &fixture("testlink-testsuite.xml"),
        InteropFormat::TestLink,
        None,
        Lang::Fr,
    )
    .unwrap();
    assert_eq!(bare.test_cases[0].reference, "10");
}

#[test]
fn testlink_requirement_specification() {
    let batch = read(
        &fixture("testlink-exigences.xml"),
        InteropFormat::TestLink,
        None,
        Lang::Fr,
    )
    .unwrap();
    assert!(batch.issues.is_empty(), "{:?}", batch.issues);
    let got: Vec<(&str, Option<&str>, Option<ReqStatus>)> = batch
        .requirements
        .iter()
        .map(|r| (r.reference.as_str(), r.category.as_deref(), r.status))
        .collect();
    assert_eq!(
        got,
        [
            (
                "EXI-IMM-002",
                Some("CCTP SIV / 3.1 Dépôt de la demande"),
                Some(ReqStatus::Validee)
            ),
            (
                "EXI-IMM-003",
                Some("CCTP SIV / 3.1 Dépôt de la demande"),
                Some(ReqStatus::Brouillon)
            ),
            (
                "EXI-IMM-004",
                Some("CCTP SIV / 3.2 Immatriculation"),
                Some(ReqStatus::Validee)
            ),
            (
                "EXI-IMM-008",
                Some("CCTP SIV / 3.2 Immatriculation"),
                Some(ReqStatus::Obsolete)
            ),
        ]
    );
    assert_eq!(batch.requirements[0].description.as_deref(), Some("Le formulaire de demande comporte :\n\n1. l'identité du titulaire ;\n2. les caractéristiques du véhicule."));
    assert_eq!(
        batch.requirements[2].description.as_deref(),
        Some("Le système **doit** attribuer un numéro au format SIV.")
    );
    assert_eq!(batch.requirements[3].description, None);
}

#[test]
fn squash_workbooks_read_together() {
    let paths = [
        fixture("squash-exigences.xlsx"),
        fixture("squash-cas-de-test.xlsx"),
    ];
    let paths: Vec<&Path> = paths.iter().map(PathBuf::as_path).collect();
    let batch = squash::read_workbooks(&paths, Lang::Fr).unwrap();
    assert!(batch.issues.is_empty(), "{:?}", batch.issues);
    assert_eq!(batch.requirements.len(), 5);
    let r = &batch.requirements[0];
    assert_eq!(
        (r.reference.as_str(), r.criticality, r.status),
        (
            "EXI-IMM-004",
            Some(Criticality::Critique),
            Some(ReqStatus::Validee)
        ),
        "latest version kept"
    );
    assert_eq!(r.category.as_deref(), Some("CCTP / 3.2 Immatriculation"));
    assert_eq!(
        r.description.as_deref(),
        Some("Le système **doit** attribuer un numéro au format SIV :\n\n- AA-123-AA ;\n- unique.")
    );
    assert_eq!(r.origin.row, Some(3));
    let r7 = batch
        .requirements
        .iter()
        .find(|r| r.reference == "EXI-IMM-007")
        .unwrap();
    assert_eq!(
        (r7.criticality, r7.category.as_deref()),
        (None, Some("Performance"))
    );
    assert_eq!(
        batch
            .requirements
            .iter()
            .find(|r| r.reference == "EXI-IMM-003")
            .unwrap()
            .status,
        Some(ReqStatus::Brouillon)
    );

    let refs: Vec<&str> = batch
        .test_cases
        .iter()
        .map(|t| t.reference.as_str())
        .collect();
    assert_eq!(refs, ["CT-IMM-010", "CT-IMM-011", "CT-IMM-012"]);
    let t = &batch.test_cases[0];
    assert_eq!(t.priority.as_deref(), Some("très haute"));
    assert_eq!(
        t.category.as_deref(),
        Some("Immatriculation / Véhicules neufs")
    );
    assert_eq!(
        t.tags.as_deref(),
        Some(
            &[
                "NAT_FUNCTIONAL_TESTING".to_string(),
                "TYP_COMPLIANCE_TESTING".into(),
                "LOT : Lot 1".into()
            ][..]
        )
    );
    let steps = t.steps.as_ref().unwrap();
    assert_eq!(steps.len(), 2);
    assert_eq!(
        steps[0].action, "Saisir le VIN VF1AB000123456789",
        "ordered by TC_STEP_NUM"
    );
    assert_eq!(steps[1].expected, "Un numéro AA-123-AA est attribué");
    assert!(batch.test_cases[1].steps.as_ref().unwrap()[0]
        .action
        .starts_with("Appel du cas de test : /SIV/"));

    let links: Vec<(&str, &str)> = batch
        .links
        .iter()
        .map(|l| (l.requirement_ref.as_str(), l.test_ref.as_str()))
        .collect();
    assert_eq!(
        links,
        [
            ("EXI-IMM-004", "CT-IMM-010"),
            ("EXI-IMM-005", "CT-IMM-011"),
            ("EXI-IMM-003", "CT-IMM-012")
        ]
    );
    let tc_sheet = batch
        .sheets
        .iter()
        .find(|s| s.sheet == "TEST_CASES")
        .unwrap();
    assert!(
        tc_sheet.reason.as_deref().unwrap().contains("TC_STATUS"),
        "unread columns are reported"
    );
}

#[test]
fn squash_links_alone_name_sheet_row_and_column() {
    let batch = read(
        &fixture("squash-exigences.xlsx"),
        InteropFormat::Squash,
        None,
        Lang::Fr,
    )
    .unwrap();
    assert_eq!(batch.requirements.len(), 5);
    assert_eq!(batch.issues.len(), 3);
    let o = &batch.issues[0].origin;
    assert_eq!(
        (
            o.sheet.as_deref(),
            o.row,
            o.column.as_deref(),
            o.header.as_deref()
        ),
        (Some("LINK_REQ_TC"), Some(2), Some("D"), Some("TC_PATH"))
    );
    assert!(
        batch.issues[0].message.contains("lisez ensemble"),
        "{}",
        batch.issues[0].message
    );
}

/// Writes the round-trip export to `$RECETTE_REQIF_OUT` when set, for `scripts/check_reqif.py`.
#[test]
fn reqif_export_sample_for_external_check() {
    if let Ok(out) = std::env::var("RECETTE_REQIF_OUT") {
        let options = ReqifWriteOptions {
            title: "Bilan de recette SIV".into(),
            creation_time: Some("2026-03-14T10:30:00+01:00".into()),
            lang: Lang::Fr,
        };
        std::fs::write(out, write_reqif(&export_items(), &options).unwrap()).unwrap();
    }
}
