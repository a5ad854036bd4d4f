//! "Did you mean": for a reference the store does not know, the known one it most likely
//! meant — the same letters in another case (`exi-imm-001` → `EXI-IMM-001`), or one or two
//! characters apart (`CT-IMM-01` → `CT-IMM-001`). Said by the CLI after "unknown ...".

use crate::error::{Error, Result};
use crate::store::Store;

/// Edit distance between two short strings (Levenshtein, by characters), stopping early past
/// `max`.
fn distance(a: &str, b: &str, max: usize) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > max {
        return max + 1;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        let mut best = cur[0];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
            best = best.min(cur[j + 1]);
        }
        if best > max {
            return max + 1;
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// The known reference closest to `wanted` among `known`: the same ignoring case first, else
/// the only one at the smallest distance of at most 2 (none when two are as close).
pub fn closest<'a>(wanted: &str, known: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let lower = wanted.to_lowercase();
    let mut best: Option<(usize, &str)> = None;
    let mut tie = false;
    for k in known {
        if k.to_lowercase() == lower {
            return Some(k.to_string());
        }
        let d = distance(&lower, &k.to_lowercase(), 2);
        if d > 2 {
            continue;
        }
        match best {
            Some((bd, _)) if d > bd => {}
            Some((bd, _)) if d == bd => tie = true,
            _ => {
                best = Some((d, k));
                tie = false;
            }
        }
    }
    match (best, tie) {
        (Some((_, k)), false) => Some(k.to_string()),
        _ => None,
    }
}

/// For an unknown reference, the known one of the same kind it most likely meant.
pub fn suggestion(store: &Store, e: &Error) -> Result<Option<String>> {
    let Error::NotFound { kind, reference } = e else {
        return Ok(None);
    };
    let known: Vec<String> = match *kind {
        "exigence" => store
            .requirements()?
            .into_iter()
            .map(|r| r.reference)
            .collect(),
        "cas de test" => store
            .test_cases()?
            .into_iter()
            .map(|t| t.reference)
            .collect(),
        "campagne" => store
            .campaigns()?
            .into_iter()
            .map(|c| c.reference)
            .collect(),
        "livraison" => store
            .deliveries()?
            .into_iter()
            .map(|d| d.reference)
            .collect(),
        "anomalie" => store
            .anomalies()?
            .into_iter()
            .map(|a| a.reference)
            .collect(),
        "stratégie" => store
            .strategies()?
            .into_iter()
            .map(|s| s.reference)
            .collect(),
        _ => return Ok(None),
    };
    Ok(closest(reference, known.iter().map(String::as_str)).filter(|k| k != reference))
}

#[cfg(test)]
mod tests {
    use super::{closest, distance};

    #[test]
    fn the_closest_reference_is_the_same_ignoring_case_or_one_or_two_characters_apart() {
        let known = ["EXI-IMM-001", "EXI-IMM-002", "CT-IMM-001", "VABF-1"];
        assert_eq!(closest("exi-imm-001", known), Some("EXI-IMM-001".into()));
        assert_eq!(closest("CT-IMM-01", known), Some("CT-IMM-001".into()));
        assert_eq!(closest("vabf1", known), Some("VABF-1".into()));
        // Two as close: no guess.
        assert_eq!(closest("EXI-IMM-00", known), None);
        assert_eq!(closest("NOTHING-LIKE-IT", known), None);
        assert_eq!(distance("kitten", "sitting", 5), 3);
        assert_eq!(distance("abc", "abc", 0), 0);
        assert!(distance("a", "abcdef", 2) > 2);
    }
}
