//! The PDF/A reports of the demo: their text (extracted with pdftotext from poppler-utils)
//! carries the decision, the reservations, the signatories and the digests of the reports the
//! PV rests on; their XMP metadata declares PDF/A-2b; pages are numbered "page X / Y".

use std::path::Path;
use std::process::Command;

use recette::i18n::Lang;
use recette::store::Context;

fn pdftotext(path: &Path) -> Option<String> {
    let out = Command::new("pdftotext").arg(path).arg("-").output().ok()?;
    assert!(
        out.status.success(),
        "pdftotext failed on {}",
        path.display()
    );
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

fn sha256(path: &Path) -> String {
    use sha2::{Digest, Sha256};
    recette::store::hex(&Sha256::digest(std::fs::read(path).unwrap()))
}

#[test]
fn demo_pdfs_are_pdfa_and_carry_the_pv() {
    let dir = tempfile::tempdir().unwrap();
    let ctx = Context {
        actor: "demo".into(),
        fixed_now: Some("2026-04-03T17:00:00Z".into()),
    };
    recette::ops::project::demo(dir.path(), ctx, Lang::Fr).unwrap();
    let signed = dir.path().join("signoffs/VABF-1-1");
    let pv = signed.join("pv-VABF-1.pdf");
    let bilan = dir.path().join("rapports/bilan-VABF-2.pdf");
    for f in [&pv, &bilan] {
        let bytes = std::fs::read(f).unwrap();
        assert!(bytes.starts_with(b"%PDF-"), "{}", f.display());
        let raw = String::from_utf8_lossy(&bytes);
        assert!(
            raw.contains("<pdfaid:part>2</pdfaid:part>")
                && raw.contains("<pdfaid:conformance>B</pdfaid:conformance>"),
            "{} declares no PDF/A-2b in its XMP metadata",
            f.display()
        );
    }
    let Some(text) = pdftotext(&pv) else {
        eprintln!("SKIPPED text checks: pdftotext (poppler-utils) is not installed");
        return;
    };
    for want in [
        "Procès-verbal de recette",
        "☒ Ajournement",
        "CCAG-TIC 2021, article 34",
        "Claire Wahetra",
        "cheffe de projet",
        "Marc Delorme",
        "Pacific Logiciels SARL",
        "Fait à Nouméa, le 03/04/2026",
        "Signature et cachet",
        "page 1 / ",
    ] {
        assert!(text.contains(want), "PV PDF lacks {want:?}:\n{text}");
    }
    // The digests of the sealed reports it rests on, bilan PDF included.
    for f in [
        "bilan-VABF-1.html",
        "bilan-VABF-1.md",
        "matrice-VABF-1.xlsx",
        "bilan-VABF-1.pdf",
    ] {
        let h = sha256(&signed.join(f));
        assert!(text.contains(&h), "PV PDF lacks the sha256 of {f}");
    }
    // The unsigned PV of VABF-2 proposes reservations, with their deadline.
    let text = pdftotext(&dir.path().join("rapports/pv-VABF-2.pdf")).unwrap();
    for want in [
        "☒ Admission avec réserves",
        "FA-003",
        "Le compte n'est pas verrouillé",
        "03/05/2026",
    ] {
        assert!(text.contains(want), "PV VABF-2 PDF lacks {want:?}");
    }
    // The bilan: same sections and figures as the HTML, every page numbered.
    let text = pdftotext(&bilan).unwrap();
    let re = regex::Regex::new(r"page (\d+) / (\d+)").unwrap();
    let numbers: Vec<(usize, usize)> = re
        .captures_iter(&text)
        .map(|c| (c[1].parse().unwrap(), c[2].parse().unwrap()))
        .collect();
    let pages = numbers.len();
    assert!(pages >= 3, "{pages} page numbers");
    assert!(
        numbers
            .iter()
            .enumerate()
            .all(|(i, n)| *n == (i + 1, pages)),
        "{numbers:?}"
    );
    for want in [
        "Bilan de recette",
        "4. Critères de sortie",
        "Admission avec réserves",
        "10. Traçabilité exigences – cas de test",
        "EXI-IMM-001",
        // An automated test by its name, with its reference.
        "test_format_numero_nc",
        "(AUTO-92d76cba30)",
    ] {
        assert!(text.contains(want), "bilan PDF lacks {want:?}");
    }
    // Narrow columns are widened to their longest word rather than cutting it.
    let words: std::collections::BTreeSet<&str> = text.split_whitespace().collect();
    for whole in ["Couvertes", "Couverture", "Avancement", "Immatriculation"] {
        assert!(words.contains(whole), "{whole} cut in the bilan PDF");
    }
    for cut in ["Couverte", "Couvertur", "Avancemen", "Immatriculatio"] {
        assert!(!words.contains(cut), "{cut}… cut in the bilan PDF");
    }
    // The charts are drawn: executions per day with their dates, every status in the legend.
    for want in ["Exécutions par jour", "25/03", "Non applicable", "En cours"] {
        assert!(text.contains(want), "bilan PDF lacks {want:?}");
    }
    // No heading ends a page: the last line above each footer is content.
    let headings = regex::Regex::new(r"^(\d+\. |Cas de test par statut|Exécutions par jour|Anomalies par|Avancement par testeur|Exigences )").unwrap();
    for (i, page) in text.split('\u{c}').enumerate() {
        let lines: Vec<&str> = page.lines().filter(|l| !l.trim().is_empty()).collect();
        if let Some(last) = lines.len().checked_sub(3).and_then(|k| lines.get(k)) {
            assert!(
                !headings.is_match(last),
                "page {}: ends with heading {last:?}",
                i + 1
            );
        }
    }
}
