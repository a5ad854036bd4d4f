//! Property tests: every importer, fed mutated copies of real files (truncation, bit flips,
//! duplicated slices), returns a result or an error — never a panic.

use std::path::Path;

use proptest::prelude::*;
use recette::i18n::Lang;
use recette::import::sheet::{read_spreadsheet, SheetOptions};
use recette::interop;

#[derive(Debug, Clone)]
enum Mutation {
    Truncate(usize),
    Flip(usize, u8),
    Duplicate(usize, usize, usize),
}

fn mutation() -> impl Strategy<Value = Vec<Mutation>> {
    prop::collection::vec(
        prop_oneof![
            any::<usize>().prop_map(Mutation::Truncate),
            (any::<usize>(), 1u8..=255).prop_map(|(i, b)| Mutation::Flip(i, b)),
            (any::<usize>(), 1usize..400, any::<usize>())
                .prop_map(|(s, l, at)| Mutation::Duplicate(s, l, at)),
        ],
        1..4,
    )
}

fn apply(mut bytes: Vec<u8>, muts: &[Mutation]) -> Vec<u8> {
    for m in muts {
        if bytes.is_empty() {
            break;
        }
        match *m {
            Mutation::Truncate(at) => bytes.truncate(at % bytes.len()),
            Mutation::Flip(i, b) => {
                let n = bytes.len();
                bytes[i % n] ^= b;
            }
            Mutation::Duplicate(start, len, at) => {
                let n = bytes.len();
                let s = start % n;
                let slice: Vec<u8> = bytes[s..(s + len).min(n)].to_vec();
                let at = at % n;
                bytes.splice(at..at, slice);
            }
        }
    }
    bytes
}

fn run_on(fixture: &str, muts: &[Mutation], read: impl Fn(&Path)) {
    let src = format!("{}/fixtures/{fixture}", env!("CARGO_MANIFEST_DIR"));
    let bytes = apply(std::fs::read(&src).unwrap(), muts);
    let dir = tempfile::tempdir().unwrap();
    let name = Path::new(fixture).file_name().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    read(&path);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, .. ProptestConfig::default() })]

    #[test]
    fn reqif_reader_never_panics(m in mutation()) {
        run_on("interop/immatriculation-v1.reqif", &m, |p| { let _ = interop::read(p, interop::InteropFormat::Reqif, None, Lang::Fr); });
    }

    #[test]
    fn reqifz_reader_never_panics(m in mutation()) {
        run_on("interop/immatriculation-v1.reqifz", &m, |p| { let _ = interop::read(p, interop::InteropFormat::Reqifz, None, Lang::Fr); });
    }

    #[test]
    fn testlink_reader_never_panics(m in mutation()) {
        run_on("interop/testlink-testsuite.xml", &m, |p| { let _ = interop::read(p, interop::InteropFormat::TestLink, None, Lang::Fr); });
    }

    #[test]
    fn squash_reader_never_panics(m in mutation()) {
        run_on("interop/squash-cas-de-test.xlsx", &m, |p| { let _ = interop::read(p, interop::InteropFormat::Squash, None, Lang::Fr); });
    }

    #[test]
    fn workbook_reader_never_panics(m in mutation()) {
        run_on("vendor/cahier_immatriculation.xlsx", &m, |p| { let _ = read_spreadsheet(p, &SheetOptions::default()); });
    }

    #[test]
    fn ods_reader_never_panics(m in mutation()) {
        run_on("vendor/execution_hors_ligne.ods", &m, |p| { let _ = read_spreadsheet(p, &SheetOptions::default()); });
    }

    #[test]
    fn csv_reader_never_panics(m in mutation()) {
        run_on("vendor/exigences_win1252.csv", &m, |p| { let _ = read_spreadsheet(p, &SheetOptions::default()); });
    }
}
