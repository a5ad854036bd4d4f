//! Streaming readers for automated test results: JUnit (and its many flavours), Robot Framework
//! output.xml, NUnit 3 and 2, MSTest TRX, xUnit.net v2, TestNG, CTRF JSON, Cucumber JSON, TAP
//! and Playwright JSON.
//!
//! Why streaming: CI reports can weigh hundreds of megabytes. Each reader holds only the test
//! case being read (plus, for TRX and TestNG, a small per-test map documented in their modules)
//! and hands every [`AutomatedResult`] to a sink. Texts (failure, output) are cut at
//! [`ReadOptions::max_output_bytes`] with a visible marker.
//!
//! Why errors and no partial success: the caller imports a whole file in one transaction, so a
//! truncated or invalid file is an `Err` naming the file, line, column and what was expected,
//! and the caller discards what the sink received.
//!
//! Safety: no DOCTYPE entity is ever expanded nor external file read (a DOCTYPE declaring
//! entities is refused); only the five predefined entities and numeric character references
//! are decoded; nesting depth and the size of one XML event are bounded.

pub mod detect;
pub mod link;

mod common;
mod ctrf;
mod cucumber;
mod junit;
mod nunit;
mod playwright;
mod robot;
mod source;
mod tap;
mod testng;
mod trx;
mod xml;
mod xunit;

use std::path::{Path, PathBuf};

use serde::Serialize;

pub use common::parse_duration_ms;
pub use common::CUT_MARKER;
pub use detect::detect_format;

use crate::error::{Error, Result};
use crate::import::records::AutomatedResult;
use crate::model::ExecStatus;

/// A result file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ResultFormat {
    /// JUnit XML and its flavours (pytest, jest, mocha, vitest, gtest, ctest, nextest,
    /// surefire, phpunit, gradle, Robot `--xunit`, TestNG JUnitReportReporter).
    Junit,
    /// Robot Framework output.xml (RF 3 to 7).
    Robot,
    /// NUnit 3 `test-run`.
    Nunit3,
    /// NUnit 2 `test-results`.
    Nunit2,
    /// MSTest / `dotnet test` TRX.
    Trx,
    /// xUnit.net v2 `assemblies`.
    Xunit,
    /// TestNG `testng-results.xml`.
    Testng,
    /// Common Test Report Format (JSON).
    Ctrf,
    /// Cucumber JSON (cucumber-js, cucumber-jvm, cucumber-ruby `--format json`).
    Cucumber,
    /// Test Anything Protocol, 12 to 14.
    Tap,
    /// Playwright Test JSON reporter.
    Playwright,
}

impl ResultFormat {
    /// Every format.
    pub const ALL: &'static [ResultFormat] = &[
        ResultFormat::Junit,
        ResultFormat::Robot,
        ResultFormat::Nunit3,
        ResultFormat::Nunit2,
        ResultFormat::Trx,
        ResultFormat::Xunit,
        ResultFormat::Testng,
        ResultFormat::Ctrf,
        ResultFormat::Cucumber,
        ResultFormat::Tap,
        ResultFormat::Playwright,
    ];

    /// Canonical code (`junit`, `robot`, `nunit3`, `nunit2`, `trx`, `xunit`, `testng`, `ctrf`,
    /// `cucumber`, `tap`, `playwright`).
    pub fn code(self) -> &'static str {
        match self {
            ResultFormat::Junit => "junit",
            ResultFormat::Robot => "robot",
            ResultFormat::Nunit3 => "nunit3",
            ResultFormat::Nunit2 => "nunit2",
            ResultFormat::Trx => "trx",
            ResultFormat::Xunit => "xunit",
            ResultFormat::Testng => "testng",
            ResultFormat::Ctrf => "ctrf",
            ResultFormat::Cucumber => "cucumber",
            ResultFormat::Tap => "tap",
            ResultFormat::Playwright => "playwright",
        }
    }

    /// Parses a format name; `auto` (or an empty string) gives `None`, meaning "detect".
    /// Accepts a few synonyms (`xml` and `xunit1` for JUnit, `nunit` for NUnit 3, `mstest`,
    /// `xunit2`, `robotframework`, `json`).
    pub fn parse(word: &str) -> Result<Option<ResultFormat>> {
        let w = word
            .trim()
            .to_ascii_lowercase()
            .replace(['-', '_', ' '], "");
        Ok(Some(match w.as_str() {
            "" | "auto" => return Ok(None),
            "junit" | "xml" | "junitxml" | "xunit1" | "surefire" => ResultFormat::Junit,
            "robot" | "robotframework" | "rf" => ResultFormat::Robot,
            "nunit3" | "nunit" => ResultFormat::Nunit3,
            "nunit2" => ResultFormat::Nunit2,
            "trx" | "mstest" | "vstest" => ResultFormat::Trx,
            "xunit" | "xunit2" | "xunitnet" => ResultFormat::Xunit,
            "testng" => ResultFormat::Testng,
            "ctrf" | "json" => ResultFormat::Ctrf,
            "cucumber" | "cucumberjson" | "gherkin" => ResultFormat::Cucumber,
            "tap" | "tap13" | "tap14" => ResultFormat::Tap,
            "playwright" | "playwrightjson" => ResultFormat::Playwright,
            _ => {
                let accepted = "auto, junit, robot, nunit3, nunit2, trx, xunit, testng, ctrf, \
                                cucumber, tap, playwright";
                return Err(Error::input(
                    format!(
                        "format de résultats inconnu « {word} » ; valeurs acceptées : {accepted}"
                    ),
                    format!("unknown result format \"{word}\"; accepted values: {accepted}"),
                ));
            }
        }))
    }
}

impl std::fmt::Display for ResultFormat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

/// Limits applied while reading. The defaults suit real CI reports.
#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// Maximum bytes kept for each of a result's texts (failure text, standard output, message).
    /// Default 64 KiB: enough for a stack trace, small enough to store 200,000 results.
    pub max_output_bytes: usize,
    /// Maximum element nesting depth. Default 256 (real reports stay under 50; Robot keywords
    /// nest deepest). Deeper files are refused, without recursion, so without stack overflow.
    pub max_depth: usize,
    /// Maximum size of one XML event (a start tag with its attributes, or a run of text between
    /// two markups). Default 64 MiB. Bounds the parser's buffer against hostile files.
    pub max_event_bytes: usize,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            max_output_bytes: 64 * 1024,
            max_depth: 256,
            max_event_bytes: 64 * 1024 * 1024,
        }
    }
}

/// What reading one file produced.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReadSummary {
    /// File name as shown in messages.
    pub file: String,
    /// Format read.
    pub format: ResultFormat,
    /// Results given to the sink.
    pub results: u64,
    /// Of which passed.
    pub passed: u64,
    /// Of which failed.
    pub failed: u64,
    /// Of which not run (skipped, pending, disabled...).
    pub not_run: u64,
    /// Of which with another status (blocked, in progress).
    pub other: u64,
    /// Of which flaky (failed then passed on a retry).
    pub flaky: u64,
}

/// Reads one result file and gives every result to `sink`, in file order.
///
/// `format: None` detects the format ([`detect_format`]). On `Err`, results already given to
/// the sink must be discarded by the caller (the file is invalid as a whole). An error returned
/// by the sink stops reading and is returned as is.
pub fn read_results(
    path: &Path,
    format: Option<ResultFormat>,
    opts: &ReadOptions,
    sink: &mut dyn FnMut(AutomatedResult) -> Result<()>,
) -> Result<ReadSummary> {
    // Empty, binary and HTML files get their own message whatever the format asked for.
    let format = match format {
        Some(f) => {
            let head = detect::precheck(path)?;
            detect::refuse_doctype(&display_name(path), &head)?;
            f
        }
        None => detect_format(path)?,
    };
    let mut summary = ReadSummary {
        file: display_name(path),
        format,
        results: 0,
        passed: 0,
        failed: 0,
        not_run: 0,
        other: 0,
        flaky: 0,
    };
    let mut counting = |r: AutomatedResult| -> Result<()> {
        summary.results += 1;
        match r.status {
            ExecStatus::Passed => summary.passed += 1,
            ExecStatus::Failed => summary.failed += 1,
            ExecStatus::NotRun => summary.not_run += 1,
            _ => summary.other += 1,
        }
        if r.flaky {
            summary.flaky += 1;
        }
        sink(r)
    };
    match format {
        ResultFormat::Junit => junit::read(path, opts, &mut counting)?,
        ResultFormat::Robot => robot::read(path, opts, &mut counting)?,
        ResultFormat::Nunit3 => nunit::read_v3(path, opts, &mut counting)?,
        ResultFormat::Nunit2 => nunit::read_v2(path, opts, &mut counting)?,
        ResultFormat::Trx => trx::read(path, opts, &mut counting)?,
        ResultFormat::Xunit => xunit::read(path, opts, &mut counting)?,
        ResultFormat::Testng => testng::read(path, opts, &mut counting)?,
        ResultFormat::Ctrf => ctrf::read(path, opts, &mut counting)?,
        ResultFormat::Cucumber => cucumber::read(path, opts, &mut counting)?,
        ResultFormat::Tap => tap::read(path, opts, &mut counting)?,
        ResultFormat::Playwright => playwright::read(path, opts, &mut counting)?,
    }
    Ok(summary)
}

/// Reads a whole file into a vector (convenient for tests and small files).
pub fn read_all(
    path: &Path,
    format: Option<ResultFormat>,
    opts: &ReadOptions,
) -> Result<(ReadSummary, Vec<AutomatedResult>)> {
    let mut out = Vec::new();
    let summary = read_results(path, format, opts, &mut |r| {
        out.push(r);
        Ok(())
    })?;
    Ok((summary, out))
}

/// The name of a file as shown in messages and origins: the path as given.
pub(crate) fn display_name(path: &Path) -> String {
    crate::import::display_name(path)
}

/// Expands command-line inputs into result files: a file is taken as is; a folder gives every
/// `*.xml`, `*.json`, `*.trx` and `*.tap` below it (recursively, symbolic links to folders not
/// followed); anything else is a glob pattern. The result is sorted and without duplicates so
/// that imports are deterministic. An input that matches nothing is an error (a typo must not
/// silently import nothing).
pub fn expand_paths(inputs: &[String]) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for input in inputs {
        let path = Path::new(input);
        let before = out.len();
        if path.is_file() {
            out.push(path.to_path_buf());
        } else if path.is_dir() {
            walk(path, &mut out)?;
        } else if input.contains(['*', '?', '[']) {
            let paths = glob::glob(input).map_err(|e| {
                Error::input(
                    format!("motif de fichiers invalide « {input} » : {e}"),
                    format!("invalid file pattern \"{input}\": {e}"),
                )
            })?;
            for p in paths.flatten() {
                if p.is_dir() {
                    walk(&p, &mut out)?;
                } else if p.is_file() {
                    out.push(p);
                }
            }
        } else {
            return Err(Error::input(
                format!("fichier ou dossier introuvable : {input}"),
                format!("file or folder not found: {input}"),
            ));
        }
        if out.len() == before {
            return Err(Error::input(
                format!(
                    "aucun fichier de résultats (*.xml, *.json, *.trx, *.tap) dans « {input} »"
                ),
                format!("no result file (*.xml, *.json, *.trx, *.tap) in \"{input}\""),
            ));
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        let kind = entry.file_type().map_err(|e| Error::io(entry.path(), e))?;
        let p = entry.path();
        if kind.is_dir() {
            walk(&p, out)?;
        } else if kind.is_file() && is_result_file(&p) {
            out.push(p);
        }
    }
    Ok(())
}

fn is_result_file(p: &Path) -> bool {
    p.extension()
        .and_then(|e| e.to_str())
        .map(|e| {
            matches!(
                e.to_ascii_lowercase().as_str(),
                "xml" | "json" | "trx" | "tap"
            )
        })
        .unwrap_or(false)
}
