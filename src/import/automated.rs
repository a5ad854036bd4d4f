//! Linking automated results to the model, then persisting them in one transaction.
//!
//! Order of matching (the first that succeeds wins):
//! 1. a test case's automation key, exact or glob (`*`, `?`, `[..]`) over `suite/class/name`;
//! 2. a test-case reference found in the result's properties or tags (`test_id`, `TC:CT-001`),
//!    or an id in its name that is an existing test case;
//! 3. requirement ids found in properties (`requirement`, `covers`...), tags, categories,
//!    traits or the name that exist in the store: an automated test case is created for this
//!    automated test (reference `AUTO-` + 10 hex digits of the key's sha256, automation key =
//!    the exact key) and linked to those requirements;
//! 4. otherwise the result is unmatched: listed in the report, or given its own automated test
//!    case with `--create-unmatched`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::records::AutomatedResult;
use super::results::link::{requirement_ids, test_case_refs, IdPattern};
use super::results::{read_results, ReadOptions, ResultFormat};
use crate::error::{Error, Result};
use crate::model::TestKind;
use crate::store::{hex, AutomationIndex, TestCasePatch, Tx};

/// Options of an automated results import.
#[derive(Debug, Clone, Default)]
pub struct AutomatedOptions {
    pub format: Option<ResultFormat>,
    pub create_unmatched: bool,
    pub id_pattern: Option<String>,
    pub read: ReadOptions,
}

/// What an automated results import did, per file and in total.
#[derive(Debug, Clone, Default, Serialize)]
pub struct AutomatedReport {
    pub campaign: String,
    pub files: Vec<FileReport>,
    /// Results matched to an existing test case.
    pub matched: u64,
    /// Automated test cases created (from requirement ids or `--create-unmatched`).
    pub created_tests: u64,
    /// Requirement links made for created test cases.
    pub links: u64,
    /// Results that matched nothing (not imported as executions).
    pub unmatched: u64,
    /// The first unmatched results, `suite/class/name`.
    pub unmatched_names: Vec<String>,
    /// Executions recorded (one per test case per file).
    pub executions: u64,
}

/// One file of the import.
#[derive(Debug, Clone, Serialize)]
pub struct FileReport {
    pub file: String,
    pub format: String,
    pub results: u64,
    pub passed: u64,
    pub failed: u64,
    pub not_run: u64,
    pub flaky: u64,
    /// Already imported into this campaign (same content): skipped.
    pub already_imported: bool,
}

/// Keeps at most this many unmatched names in the report.
const MAX_UNMATCHED_LISTED: usize = 200;

/// Decides which test case each result belongs to.
struct Linker {
    exact: HashMap<String, String>,
    globs: Vec<(glob::Pattern, String)>,
    index: AutomationIndex,
    pattern: IdPattern,
    create_unmatched: bool,
}

enum Target {
    Existing(String),
    New {
        reference: String,
        requirements: Vec<String>,
    },
    Unmatched,
}

/// Reference of the automated test case made for a key: stable across imports.
pub fn auto_reference(key: &str) -> String {
    let h = hex(&Sha256::digest(key.as_bytes()));
    format!("AUTO-{}", &h[..10])
}

impl Linker {
    fn new(index: AutomationIndex, pattern: IdPattern, create_unmatched: bool) -> Linker {
        let mut exact = HashMap::new();
        let mut globs = Vec::new();
        for (r, k) in &index.automation_keys {
            if k.contains(['*', '?', '[']) {
                if let Ok(p) = glob::Pattern::new(k) {
                    globs.push((p, r.clone()));
                    continue;
                }
            }
            exact.entry(k.clone()).or_insert_with(|| r.clone());
        }
        Linker {
            exact,
            globs,
            index,
            pattern,
            create_unmatched,
        }
    }

    fn resolve(&self, r: &AutomatedResult) -> Target {
        let key = r.key();
        if let Some(t) = self.exact.get(&key) {
            return Target::Existing(t.clone());
        }
        if let Some((_, t)) = self.globs.iter().find(|(p, _)| p.matches(&key)) {
            return Target::Existing(t.clone());
        }
        for t in test_case_refs(r, &self.pattern) {
            if self.index.test_ids.contains_key(&t) {
                return Target::Existing(t);
            }
        }
        let ids = requirement_ids(r, &self.pattern);
        if let Some(t) = ids.iter().find(|i| self.index.test_ids.contains_key(*i)) {
            return Target::Existing(t.clone());
        }
        let requirements: Vec<String> = ids
            .into_iter()
            .filter(|i| self.index.requirement_refs.contains(i))
            .collect();
        if !requirements.is_empty() || self.create_unmatched {
            return Target::New {
                reference: auto_reference(&key),
                requirements,
            };
        }
        Target::Unmatched
    }
}

/// sha256 of a file, streamed.
fn file_sha256(path: &Path) -> Result<String> {
    use std::io::Read;
    let mut f = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = f.read(&mut buf).map_err(|e| Error::io(path, e))?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
    }
    Ok(hex(&h.finalize()))
}

/// Imports result files into `campaign` inside the caller's transaction. Any invalid file is an
/// error and the caller rolls everything back.
pub fn import_results(
    tx: &mut Tx<'_>,
    campaign: &str,
    paths: &[PathBuf],
    opts: &AutomatedOptions,
    progress: &mut dyn FnMut(u64),
) -> Result<AutomatedReport> {
    let pattern = match &opts.id_pattern {
        Some(p) => IdPattern::new(p)?,
        None => IdPattern::default(),
    };
    tx.campaign_id(campaign)?;
    let mut linker = Linker::new(tx.automation_index()?, pattern, opts.create_unmatched);
    let mut report = AutomatedReport {
        campaign: campaign.to_string(),
        ..AutomatedReport::default()
    };
    let mut seen = 0u64;
    for path in paths {
        let name = path.display().to_string();
        let sha = file_sha256(path)?;
        if tx.result_file_imported(campaign, &sha)?.is_some() {
            let format = match opts.format {
                Some(f) => f,
                None => super::results::detect_format(path)?,
            };
            report.files.push(FileReport {
                file: name,
                format: format.code().to_string(),
                results: 0,
                passed: 0,
                failed: 0,
                not_run: 0,
                flaky: 0,
                already_imported: true,
            });
            continue;
        }
        let format = match opts.format {
            Some(f) => f,
            None => super::results::detect_format(path)?,
        };
        let import_id = tx.begin_result_file(campaign, &sha, &name, format.code())?;
        let summary = {
            let report = &mut report;
            let linker = &mut linker;
            let mut sink = |r: AutomatedResult| -> Result<()> {
                seen += 1;
                if seen.is_multiple_of(1000) {
                    progress(seen);
                }
                let test_id = match linker.resolve(&r) {
                    Target::Existing(t) => {
                        report.matched += 1;
                        linker.index.test_ids.get(&t).copied()
                    }
                    Target::New {
                        reference,
                        requirements,
                    } => {
                        let id = match linker.index.test_ids.get(&reference) {
                            Some(id) => *id,
                            None => {
                                let patch = TestCasePatch {
                                    title: Some(r.name.clone()),
                                    objective: Some(format!("Test automatisé {}", r.key())),
                                    kind: Some(TestKind::Automated),
                                    automation_key: Some(r.key()),
                                    category: Some(r.suite_path.join(" / ")),
                                    active: Some(true),
                                    tags: Some(r.tags.clone()),
                                    ..TestCasePatch::default()
                                };
                                tx.upsert_test_case(&reference, &patch)?;
                                report.created_tests += 1;
                                let id = tx.test_case_id(&reference)?;
                                linker.index.test_ids.insert(reference.clone(), id);
                                linker.exact.insert(r.key(), reference.clone());
                                id
                            }
                        };
                        for q in &requirements {
                            if tx.add_link(q, &reference)? {
                                report.links += 1;
                            }
                        }
                        Some(id)
                    }
                    Target::Unmatched => {
                        report.unmatched += 1;
                        if report.unmatched_names.len() < MAX_UNMATCHED_LISTED {
                            report.unmatched_names.push(r.key());
                        }
                        None
                    }
                };
                tx.add_automated_result(import_id, test_id, &r, &name)
            };
            read_results(path, Some(format), &opts.read, &mut sink)?
        };
        report.executions += tx.finish_result_file(import_id, summary.results)?;
        report.files.push(FileReport {
            file: name,
            format: format.code().to_string(),
            results: summary.results,
            passed: summary.passed,
            failed: summary.failed,
            not_run: summary.not_run,
            flaky: summary.flaky,
            already_imported: false,
        });
    }
    progress(seen);
    Ok(report)
}
