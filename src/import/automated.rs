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

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::records::AutomatedResult;
use super::results::link::{requirement_ids, test_case_refs, IdPattern};
use super::results::{read_results, ReadOptions, ResultFormat};
use crate::error::{Error, Result};
use crate::store::{hex, NewAutomatedTest, ResultFileImport, Tx};

/// Options of an automated results import.
#[derive(Debug, Clone, Default)]
pub struct AutomatedOptions {
    pub format: Option<ResultFormat>,
    pub create_unmatched: bool,
    pub id_pattern: Option<String>,
    pub read: ReadOptions,
}

/// What an automated results import did, per file and in total. For the files actually read,
/// `matched + created_tests + unmatched` is the number of results.
#[derive(Debug, Clone, Default, Serialize)]
pub struct AutomatedReport {
    pub campaign: String,
    pub files: Vec<FileReport>,
    /// Results read (files already imported are not read again).
    pub results: u64,
    /// Results attached to a test case that already existed (in the store, or created by an
    /// earlier result of this import).
    pub matched: u64,
    /// Automated test cases created (from requirement ids or `--create-unmatched`); each is
    /// counted once, with the result that made it.
    pub created_tests: u64,
    /// Requirement links made for created test cases.
    pub links: u64,
    /// Results that matched nothing (kept for the record, no execution).
    pub unmatched: u64,
    /// Distinct unmatched tests (`suite/class/name`).
    pub unmatched_tests: u64,
    /// The first distinct unmatched tests, `suite/class/name`, in file order.
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
    /// Results with another status (blocked, in progress).
    pub other: u64,
    pub flaky: u64,
    /// Executions made from this file (one per test case).
    pub executions: u64,
    /// Already imported into this campaign (same content): skipped.
    pub already_imported: bool,
}

/// Objective of the automated test cases an import creates (their automation key says which
/// automated test they are).
pub const AUTO_OBJECTIVE: &str = "Test automatisé créé par l'import de ses résultats";

/// Keeps at most this many unmatched names in the report.
const MAX_UNMATCHED_LISTED: usize = 200;

/// Decides which test case each result belongs to. Only glob automation keys are held in
/// memory (few), with the bounded caches below; everything else is an indexed query (or a
/// look in the file's few rows not written yet), so memory does not grow with the file.
struct Linker {
    /// Glob automation keys with their test case's id, by test reference (ids are looked up
    /// once).
    globs: Vec<(glob::Pattern, i64)>,
    pattern: IdPattern,
    create_unmatched: bool,
    /// Requirement reference -> (id, revision) or none, as looked up (requirements do not
    /// change during a results import). Bounded: cleared at `CACHE_MAX` entries.
    requirements: RefCell<HashMap<String, Option<(i64, i64)>>>,
    /// Requirement ids found in results that are not test-case references. Bounded likewise;
    /// a test case created by the import is taken out of it.
    not_tests: RefCell<HashSet<String>>,
}

/// Most entries kept in each of the linker's caches (memory stays bounded).
const CACHE_MAX: usize = 50_000;

enum Target {
    /// An existing test case: id.
    Existing(i64),
    /// An automated test case to use or create, linked to these requirements.
    Auto {
        reference: String,
        /// Existing requirements: reference, id, current revision.
        requirements: Vec<(String, i64, i64)>,
        /// Id of the test case with this reference, when there is one.
        existing: Option<i64>,
    },
    Unmatched,
}

/// Whether `reference` is one [`auto_reference`] makes (`AUTO-` and 10 hex digits).
pub fn is_auto_reference(reference: &str) -> bool {
    reference
        .strip_prefix("AUTO-")
        .is_some_and(|h| h.len() == 10 && h.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Reference of the automated test case made for a key: stable across imports.
pub fn auto_reference(key: &str) -> String {
    let h = hex(&Sha256::digest(key.as_bytes()));
    format!("AUTO-{}", &h[..10])
}

impl Linker {
    fn new(tx: &Tx<'_>, pattern: IdPattern, create_unmatched: bool) -> Result<Linker> {
        let mut globs = Vec::new();
        for (reference, key) in tx.automation_globs()? {
            if let Ok(p) = glob::Pattern::new(&key) {
                globs.push((p, tx.test_case_id(&reference)?));
            }
        }
        Ok(Linker {
            globs,
            pattern,
            create_unmatched,
            requirements: RefCell::new(HashMap::new()),
            not_tests: RefCell::new(HashSet::new()),
        })
    }

    /// `find_result_test` for an id that may be a requirement id, with the negative cache.
    fn find_test_id(
        &self,
        tx: &Tx<'_>,
        file: &ResultFileImport,
        reference: &str,
    ) -> Result<Option<i64>> {
        if self.not_tests.borrow().contains(reference) {
            return Ok(None);
        }
        let found = tx.find_result_test(file, reference)?;
        if found.is_none() {
            let mut set = self.not_tests.borrow_mut();
            if set.len() >= CACHE_MAX {
                set.clear();
            }
            set.insert(reference.to_string());
        }
        Ok(found)
    }

    /// `find_requirement`, cached.
    fn find_requirement(&self, tx: &Tx<'_>, reference: &str) -> Result<Option<(i64, i64)>> {
        if let Some(found) = self.requirements.borrow().get(reference) {
            return Ok(*found);
        }
        let found = tx.find_requirement(reference)?;
        let mut map = self.requirements.borrow_mut();
        if map.len() >= CACHE_MAX {
            map.clear();
        }
        map.insert(reference.to_string(), found);
        Ok(found)
    }

    /// A test case was created with this reference.
    fn created(&self, reference: &str) {
        self.not_tests.borrow_mut().remove(reference);
    }

    /// Which test case a result of `file` belongs to (test cases created by the file and not
    /// written yet included).
    fn resolve(
        &self,
        tx: &Tx<'_>,
        file: &ResultFileImport,
        r: &AutomatedResult,
        key: &str,
    ) -> Result<Target> {
        // 1. automation key, exact then glob (in reference order).
        if let Some(id) = tx.find_result_test_by_key(file, key)? {
            return Ok(Target::Existing(id));
        }
        for (p, id) in &self.globs {
            if p.matches(key) {
                return Ok(Target::Existing(*id));
            }
        }
        // 2. a test case reference in properties or tags, or an id in the name that is a
        //    test case.
        for t in test_case_refs(r, &self.pattern) {
            if let Some(id) = tx.find_result_test(file, &t)? {
                return Ok(Target::Existing(id));
            }
        }
        let ids = requirement_ids(r, &self.pattern);
        for i in &ids {
            if let Some(id) = self.find_test_id(tx, file, i)? {
                return Ok(Target::Existing(id));
            }
        }
        // 3. requirement ids: the automated test case of this key, linked to them.
        let mut requirements = Vec::new();
        for i in ids {
            if let Some((id, revision)) = self.find_requirement(tx, &i)? {
                requirements.push((i, id, revision));
            }
        }
        let reference = auto_reference(key);
        let existing = tx.find_result_test(file, &reference)?;
        if !requirements.is_empty() || self.create_unmatched || existing.is_some() {
            return Ok(Target::Auto {
                reference,
                requirements,
                existing,
            });
        }
        Ok(Target::Unmatched)
    }
}

/// A stable 64-bit hash of a name (for counting distinct unmatched tests in constant memory
/// per test).
fn name_hash(name: &str) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    name.hash(&mut h);
    h.finish()
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
/// error and the caller rolls everything back (nothing of any file is kept).
///
/// Each file read makes one execution per test case it touched (worst status of its results).
/// Files are taken in the given order; a later file makes a later attempt, so its execution is
/// the test's latest: a pass in a newer file supersedes a failure in an older one, as a newer
/// run does. A file whose content was already imported into the campaign is skipped.
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
    let linker = Linker::new(tx, pattern, opts.create_unmatched)?;
    let mut report = AutomatedReport {
        campaign: campaign.to_string(),
        ..AutomatedReport::default()
    };
    let mut unmatched_seen: HashSet<u64> = HashSet::new();
    let mut seen = 0u64;
    for path in paths {
        let name = crate::import::display_name(path);
        let format = match opts.format {
            Some(f) => f,
            None => super::results::detect_format(path)?,
        };
        let sha = file_sha256(path)?;
        if tx.result_file_imported(campaign, &sha)?.is_some() {
            report.files.push(FileReport {
                file: name,
                format: format.code().to_string(),
                results: 0,
                passed: 0,
                failed: 0,
                not_run: 0,
                other: 0,
                flaky: 0,
                executions: 0,
                already_imported: true,
            });
            continue;
        }
        let mut file = tx.begin_result_file(campaign, &sha, &name, format.code())?;
        // The file is read (XML parsing) on a second thread while this one links and writes;
        // a bounded channel keeps memory constant.
        let (send, receive) = std::sync::mpsc::sync_channel::<Vec<AutomatedResult>>(READ_AHEAD);
        let read_opts = &opts.read;
        let (summary, written) = std::thread::scope(|scope| {
            let reader = scope.spawn(move || {
                let send = send;
                // Results go by chunks: one channel operation per chunk, not per result.
                let mut chunk = Vec::with_capacity(CHUNK);
                let stopped = || Error::Input {
                    fr: "lecture interrompue".into(),
                    en: "reading interrupted".into(),
                };
                let summary = read_results(path, Some(format), read_opts, &mut |r| {
                    chunk.push(r);
                    if chunk.len() >= CHUNK {
                        // The writer stopped (error): stop reading, its error is reported.
                        let full = std::mem::replace(&mut chunk, Vec::with_capacity(CHUNK));
                        send.send(full).map_err(|_| stopped())?;
                    }
                    Ok(())
                })?;
                if !chunk.is_empty() {
                    send.send(chunk).map_err(|_| stopped())?;
                }
                Ok(summary)
            });
            let mut written: Result<()> = Ok(());
            'chunks: for chunk in receive.iter() {
                for r in chunk {
                    seen += 1;
                    if seen.is_multiple_of(1000) {
                        progress(seen);
                    }
                    if let Err(e) =
                        store_result(tx, &linker, &mut file, &mut report, &mut unmatched_seen, r)
                    {
                        written = Err(e);
                        break 'chunks;
                    }
                }
            }
            drop(receive);
            let summary = reader.join().unwrap_or_else(|_| {
                Err(Error::Input {
                    fr: "la lecture du fichier a échoué".into(),
                    en: "reading the file failed".into(),
                })
            });
            (summary, written)
        });
        written?;
        let summary = summary?;
        let executions = tx.finish_result_file(&mut file, summary.results)?;
        report.executions += executions;
        report.results += summary.results;
        report.files.push(FileReport {
            file: name,
            format: format.code().to_string(),
            results: summary.results,
            passed: summary.passed,
            failed: summary.failed,
            not_run: summary.not_run,
            other: summary.other,
            flaky: summary.flaky,
            executions,
            already_imported: false,
        });
    }
    progress(seen);
    Ok(report)
}

/// Chunks of results read ahead of the writer, and results per chunk (bounded memory:
/// at most (READ_AHEAD + 2) × CHUNK results in flight).
const READ_AHEAD: usize = 4;
const CHUNK: usize = 256;

/// Links one result to its test case (creating the automated test case when needed) and
/// writes it.
fn store_result(
    tx: &mut Tx<'_>,
    linker: &Linker,
    file: &mut ResultFileImport,
    report: &mut AutomatedReport,
    unmatched_seen: &mut HashSet<u64>,
    r: AutomatedResult,
) -> Result<()> {
    let key = r.key();
    let mut fresh = false;
    let test_id = match linker.resolve(tx, file, &r, &key)? {
        Target::Existing(id) => {
            report.matched += 1;
            Some(id)
        }
        Target::Auto {
            reference,
            requirements,
            existing,
        } => {
            let reqs = requirements;
            let id = match existing {
                Some(id) => {
                    report.matched += 1;
                    let added = tx.link_result_test(file, (id, &reference), &reqs)?;
                    report.links += added;
                    tx.note_links(file, added);
                    id
                }
                None => {
                    let category = r.suite_path.join(" / ");
                    let id = tx.create_automated_test(
                        file,
                        &NewAutomatedTest {
                            reference: &reference,
                            title: &r.name,
                            objective: AUTO_OBJECTIVE,
                            automation_key: &key,
                            category: &category,
                            tags: &r.tags,
                        },
                        &reqs,
                    )?;
                    linker.created(&reference);
                    fresh = true;
                    report.created_tests += 1;
                    report.links += reqs.len() as u64;
                    id
                }
            };
            Some(id)
        }
        Target::Unmatched => {
            report.unmatched += 1;
            if unmatched_seen.insert(name_hash(&key)) {
                report.unmatched_tests += 1;
                if report.unmatched_names.len() < MAX_UNMATCHED_LISTED {
                    report.unmatched_names.push(key);
                }
            }
            None
        }
    };
    tx.add_automated_result(file, test_id, fresh, r)
}
