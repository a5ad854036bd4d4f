//! Pure functions linking an automated result to the model: which requirements it covers and
//! which test cases it is a run of.
//!
//! Why several sources: each tool has its own way to carry an id — pytest `record_property`,
//! Robot and TestNG tags or groups, NUnit/MSTest categories, xUnit traits, or just the id in the
//! test name (`PC-001 dépôt d'une demande`, `[PC-007] ...`). Sources are read in a fixed order
//! (properties, tags, categories, name) and ids are deduplicated keeping the first occurrence,
//! so the output is deterministic.

use regex::Regex;

use crate::error::{Error, Result};
use crate::import::records::AutomatedResult;

/// Default id pattern: uppercase prefix segments (the first starting with two letters), then a dash or
/// underscore and digits: `PC-001`, `EXI-IMM-001`, `REQ_12`. Two letters at least, so that
/// pytest parameters such as `A1-16` or `B-18` are not taken for ids.
pub const DEFAULT_ID_PATTERN: &str = r"\b[A-Z]{2}[A-Z0-9]*(?:[-_][A-Z][A-Z0-9]*)*[-_][0-9]+\b";

/// Property names (compared without case, `-`, `_` or spaces) that carry requirement ids.
const REQUIREMENT_KEYS: &[&str] = &[
    "requirement",
    "requirements",
    "req",
    "reqs",
    "covers",
    "testkey",
    "testedrequirement",
    "exigence",
    "exigences",
];

/// Property names that carry test case ids.
const TEST_CASE_KEYS: &[&str] = &[
    "testid",
    "testcase",
    "testcaseid",
    "tc",
    "caseid",
    "castest",
];

/// Prefixes of tags naming a requirement (`REQ:PC-002`, `req-PC-002`, `exigence=PC-3`).
const REQUIREMENT_TAG_PREFIXES: &[&str] = &["requirement", "exigence", "req", "exi"];

/// Prefixes of tags naming a test case (`TC:CT-001`).
const TEST_CASE_TAG_PREFIXES: &[&str] = &["testcase", "test", "tc", "cas"];

/// Property names holding categories or traits whose values may be ids.
const CATEGORY_KEYS: &[&str] = &["category", "categories", "tag", "tags"];

/// A compiled id pattern.
#[derive(Debug, Clone)]
pub struct IdPattern {
    /// Finds ids inside text.
    find: Regex,
    /// Matches a whole value.
    whole: Regex,
}

impl IdPattern {
    /// Compiles a user pattern (regex syntax); an invalid one is an input error.
    pub fn new(pattern: &str) -> Result<IdPattern> {
        let bad = |e: regex::Error| {
            Error::input(
                format!("motif d'identifiant invalide « {pattern} » : {e}"),
                format!("invalid id pattern \"{pattern}\": {e}"),
            )
        };
        Ok(IdPattern {
            find: Regex::new(pattern).map_err(bad)?,
            whole: Regex::new(&format!("^(?:{pattern})$")).map_err(bad)?,
        })
    }

    /// Whether a whole value is an id.
    pub fn is_id(&self, value: &str) -> bool {
        self.whole.is_match(value)
    }
}

impl Default for IdPattern {
    fn default() -> Self {
        #[allow(clippy::expect_used)]
        IdPattern::new(DEFAULT_ID_PATTERN).expect("DEFAULT_ID_PATTERN is a valid regex")
    }
}

/// Requirement ids of a result, from (in this order): properties named `requirement`,
/// `requirements`, `req`, `reqs`, `covers`, `test_key`, `tested_requirement`, `exigence`
/// (any case, values separated by commas, semicolons or spaces, each taken as written, an
/// optional `REQ:` prefix removed); tags that are ids, or `REQ:`/`req-`/`exigence:` + id;
/// categories and traits that are ids; ids found in the test name.
pub fn requirement_ids(result: &AutomatedResult, pattern: &IdPattern) -> Vec<String> {
    collect(
        result,
        pattern,
        REQUIREMENT_KEYS,
        REQUIREMENT_TAG_PREFIXES,
        true,
    )
}

/// Test case ids of a result: properties `test_id`, `testcase`, `tc`, `case_id` (any case and
/// separators), and tags `TC:<id>` / `testcase-<id>`. The name is not searched: an id in a name
/// is taken as a requirement id.
pub fn test_case_refs(result: &AutomatedResult, pattern: &IdPattern) -> Vec<String> {
    collect(
        result,
        pattern,
        TEST_CASE_KEYS,
        TEST_CASE_TAG_PREFIXES,
        false,
    )
}

fn collect(
    result: &AutomatedResult,
    pattern: &IdPattern,
    keys: &[&str],
    prefixes: &[&str],
    plain_ids: bool,
) -> Vec<String> {
    let mut ids: Vec<String> = Vec::new();
    let mut push = |id: &str| {
        let id = id.trim();
        if !id.is_empty() && !ids.iter().any(|i| i == id) {
            ids.push(id.to_string());
        }
    };
    for (key, value) in &result.properties {
        if keys.contains(&fold_key(key).as_str()) {
            for token in value.split([',', ';', ' ', '\t', '\n']) {
                let token = token.trim();
                // A value that is an id is taken whole first (`EXI-IMM-001` is not `exi-` +
                // `IMM-001`); the id after a prefix comes next, as a second candidate.
                let stripped = strip_prefix(token, prefixes, pattern);
                if stripped.is_none() || pattern.is_id(token) {
                    push(token);
                }
                if let Some(id) = stripped {
                    push(id);
                }
            }
        }
    }
    let categories = result
        .properties
        .iter()
        .filter(|(k, _)| CATEGORY_KEYS.contains(&fold_key(k).as_str()))
        .map(|(_, v)| v);
    for tag in result.tags.iter().chain(categories) {
        let tag = tag.trim();
        if plain_ids && pattern.is_id(tag) {
            push(tag);
        }
        if let Some(id) = strip_prefix(tag, prefixes, pattern) {
            push(id);
        }
    }
    if plain_ids {
        for m in pattern.find.find_iter(&result.name) {
            push(m.as_str());
        }
    }
    ids
}

/// `REQ:PC-002` → `PC-002` when what follows the prefix and a separator is an id.
fn strip_prefix<'a>(value: &'a str, prefixes: &[&str], pattern: &IdPattern) -> Option<&'a str> {
    let lower = value.to_ascii_lowercase();
    for p in prefixes {
        if lower.starts_with(p) && value.is_char_boundary(p.len()) {
            let rest = &value[p.len()..];
            if let Some(id) = rest.strip_prefix([':', '-', '_', '=', '/']) {
                let id = id.trim();
                if pattern.is_id(id) {
                    return Some(id);
                }
            }
        }
    }
    None
}

/// `Tested_Requirement` → `testedrequirement`.
fn fold_key(key: &str) -> String {
    key.chars()
        .filter(|c| !matches!(c, '-' | '_' | ' ' | '.'))
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::records::Origin;
    use crate::import::results::common::{add_category, add_tag, new_result};

    fn result(name: &str) -> AutomatedResult {
        new_result(Origin::file("t.xml"), "junit", name.to_string())
    }

    #[test]
    fn properties_tags_categories_and_name() {
        let p = IdPattern::default();
        let mut r = result("PC-009 examen [PC-007] test_age[A1-16] B-18");
        r.properties.push(("requirement".into(), "PC-001".into()));
        r.properties
            .push(("Requirements".into(), "PC-002, PC-003".into()));
        r.properties
            .push(("tested_requirement".into(), "REQ:EXI-IMM-001".into()));
        add_tag(&mut r, "REQ:PC-004");
        add_tag(&mut r, "req-PC-005");
        add_tag(&mut r, "anomalie:ANO-51");
        add_tag(&mut r, "lot-2");
        add_tag(&mut r, "PC-006");
        add_category(&mut r, "REQ_12");
        assert_eq!(
            requirement_ids(&r, &p),
            [
                "PC-001",
                "PC-002",
                "PC-003",
                "EXI-IMM-001",
                "PC-004",
                "PC-005",
                "PC-006",
                "REQ_12",
                "PC-009",
                "PC-007"
            ]
        );
    }

    #[test]
    fn an_id_starting_like_a_prefix_is_kept_whole() {
        let p = IdPattern::default();
        let mut r = result("test_cession");
        r.properties
            .push(("requirement".into(), "EXI-IMM-001".into()));
        r.properties.push(("test_id".into(), "CT-CT-001".into()));
        add_tag(&mut r, "EXI-CES-003");
        add_tag(&mut r, "TC:CT-002");
        assert_eq!(
            requirement_ids(&r, &p),
            ["EXI-IMM-001", "IMM-001", "EXI-CES-003", "CES-003"]
        );
        assert_eq!(test_case_refs(&r, &p), ["CT-CT-001", "CT-002"]);
    }

    #[test]
    fn test_case_ids_and_custom_pattern() {
        let mut r = result("CT-3 something");
        r.properties.push(("test_id".into(), "CT-001".into()));
        add_tag(&mut r, "TC:CT-002");
        let p = IdPattern::default();
        assert_eq!(test_case_refs(&r, &p), ["CT-001", "CT-002"]);
        let custom = IdPattern::new(r"\bpc_[0-9]{3}\b").unwrap();
        let r2 = result("tests::pc_002_points");
        assert!(requirement_ids(&r2, &custom).is_empty()); // `_` is a word character
        assert!(IdPattern::new("(").is_err());
    }
}
