//! Robot Framework `output.xml`, from RF 3 (no `schemaversion`) to RF 7 (`schemaversion="5"`).
//!
//! Rules:
//! - `suite_path`: the names of the `suite` elements around a `test` (only suites directly
//!   under `robot` or another `suite`; the `statistics` and `errors` sections are skipped).
//! - status: the LAST `status` element directly under `test` (keywords have their own
//!   `status` elements, which must not be taken for the test's). PASS → passed, FAIL → failed,
//!   SKIP and NOT RUN → not run. RF 3 has no skip: a `robot:skip` tag there stays PASS as
//!   written.
//! - message: the text of that `status`; when empty on a failed test, the first failing
//!   keyword's message (`status` FAIL text or `msg level="FAIL"`), which is also kept as
//!   `failure_text`.
//! - tags: `tag` under `test` (RF 4+) or under `test/tags` (RF 3), recorded as tags.
//! - a failed suite teardown (written after the suite's tests) fails every test of the suite
//!   and its sub-suites that was not skipped, a skipped one skips them, with Robot's own
//!   message (`Parent suite teardown failed:` ...): the file is read twice, the first pass
//!   keeps only those teardowns. A failed suite setup needs nothing: Robot already writes
//!   its tests FAIL (`Parent suite setup failed:`).
//! - times: `start` + `elapsed` seconds (RF 7), or `starttime`/`endtime`
//!   (`20240101 12:00:00.000`, converted to ISO 8601).

use std::collections::HashMap;
use std::path::Path;

use super::common::{
    add_tag, cap, new_result, non_empty, parse_duration_ms, robot_elapsed_ms, robot_time_iso,
};
use super::xml::{attr, check_root, Ev, XmlStream};
use super::ReadOptions;
use crate::error::Result;
use crate::import::records::{AutomatedResult, Origin};
use crate::model::ExecStatus;

type Sink<'a> = dyn FnMut(AutomatedResult) -> Result<()> + 'a;

/// A suite teardown that did not pass: skipped (`true`) or failed, with its message.
type Teardown = (bool, String);

/// Reads an output.xml file, giving each test to `sink`.
pub(super) fn read(path: &Path, opts: &ReadOptions, sink: &mut Sink) -> Result<()> {
    let teardowns = read_teardowns(path, opts)?;
    let mut xs = XmlStream::open(path, opts)?;
    let mut suites: Vec<String> = Vec::new();
    // Ordinal of each open suite (in document order), to find its teardown.
    let mut ordinals: Vec<usize> = Vec::new();
    let mut next_ordinal = 0usize;
    let mut root_checked = false;
    loop {
        match xs.next()? {
            Ev::Start { name, attrs, line } => {
                if !root_checked {
                    check_root(&xs, &name, &["robot"], "Robot Framework output.xml")?;
                    root_checked = true;
                    continue;
                }
                let parent = xs.parent().unwrap_or_default();
                match (name.as_str(), parent) {
                    ("suite", "robot" | "suite") => {
                        suites.push(attr(&attrs, "name").unwrap_or_default().to_string());
                        ordinals.push(next_ordinal);
                        next_ordinal += 1;
                    }
                    ("test", "suite") => {
                        let mut r = read_test(&mut xs, &attrs, line, &suites, opts)?;
                        // Innermost first, as Robot's `SuiteTeardownFailureHandler` (end_suite).
                        for o in ordinals.iter().rev() {
                            if let Some(t) = teardowns.get(o) {
                                apply_teardown(&mut r, t, opts.max_output_bytes);
                            }
                        }
                        sink(r)?;
                    }
                    ("statistics" | "errors", "robot") => xs.skip()?,
                    _ => {}
                }
            }
            Ev::End { name } if name == "suite" => {
                suites.pop();
                ordinals.pop();
            }
            Ev::Eof => return Ok(()),
            _ => {}
        }
    }
}

/// First pass: the suite teardowns that failed or were skipped, by suite ordinal. Robot writes
/// a suite's teardown after its tests, and applies it to them when it reads the file
/// (`SuiteTeardownFailureHandler`): so must recette, and a stream cannot look ahead.
fn read_teardowns(path: &Path, opts: &ReadOptions) -> Result<HashMap<usize, Teardown>> {
    let mut xs = XmlStream::open(path, opts)?;
    let mut out = HashMap::new();
    let mut ordinals: Vec<usize> = Vec::new();
    let mut next_ordinal = 0usize;
    loop {
        match xs.next()? {
            Ev::Start { name, attrs, .. } => {
                let parent = xs.parent().unwrap_or_default();
                match (name.as_str(), parent) {
                    ("suite", "robot" | "suite") => {
                        ordinals.push(next_ordinal);
                        next_ordinal += 1;
                    }
                    ("kw", "suite")
                        if attr(&attrs, "type")
                            .is_some_and(|t| t.eq_ignore_ascii_case("teardown")) =>
                    {
                        if let (Some(status), Some(&o)) =
                            (keyword_status(&mut xs, opts)?, ordinals.last())
                        {
                            match status.0.as_str() {
                                "FAIL" => {
                                    out.insert(o, (false, status.1));
                                }
                                "SKIP" => {
                                    out.insert(o, (true, status.1));
                                }
                                _ => {}
                            }
                        }
                    }
                    ("test" | "statistics" | "errors", _) => xs.skip()?,
                    _ => {}
                }
            }
            Ev::End { name } if name == "suite" => {
                ordinals.pop();
            }
            Ev::Eof => return Ok(out),
            _ => {}
        }
    }
}

/// The status word and text of the keyword whose start tag was just read (its own `status`
/// child), reading up to its end.
fn keyword_status(xs: &mut XmlStream, opts: &ReadOptions) -> Result<Option<(String, String)>> {
    let base = xs.depth();
    let mut status = None;
    loop {
        match xs.next()? {
            Ev::Start { name, attrs, .. } if name == "status" && xs.depth() == base + 1 => {
                let text = xs.read_text(opts.max_output_bytes)?;
                status = Some((attr(&attrs, "status").unwrap_or_default().to_string(), text));
            }
            Ev::Start { .. } => xs.skip()?,
            Ev::End { .. } if xs.depth() < base => return Ok(status),
            Ev::Eof => return Ok(status),
            _ => {}
        }
    }
}

/// Robot's `SuiteTeardownFailed` visitor: a failed suite teardown fails every test of the suite
/// that was not skipped, a skipped one skips them; the message says so.
fn apply_teardown(r: &mut AutomatedResult, (skipped, message): &Teardown, limit: usize) {
    let before = r.message.take().unwrap_or_default();
    let text = if *skipped {
        r.status = ExecStatus::NotRun;
        if before.is_empty() {
            format!("Skipped in parent suite teardown:\n{message}")
        } else {
            format!("Skipped in parent suite teardown:\n{message}\n\nEarlier message:\n{before}")
        }
    } else {
        if r.status != ExecStatus::NotRun {
            r.status = ExecStatus::Failed;
        }
        if before.is_empty() {
            format!("Parent suite teardown failed:\n{message}")
        } else {
            format!("{before}\n\nAlso parent suite teardown failed:\n{message}")
        }
    };
    r.message = Some(cap(&text, limit));
    if r.status == ExecStatus::Failed {
        r.failure_text = Some(match r.failure_text.take() {
            Some(f) if f != before => cap(&format!("{f}\n\n{text}"), limit),
            _ => cap(&text, limit),
        });
    }
}

fn read_test(
    xs: &mut XmlStream,
    attrs: &[(String, String)],
    line: u64,
    suites: &[String],
    opts: &ReadOptions,
) -> Result<AutomatedResult> {
    let limit = opts.max_output_bytes;
    let name = attr(attrs, "name").unwrap_or_default().to_string();
    let mut r = new_result(Origin::file(xs.file()).with_row(line), "robot", name);
    r.suite_path = suites.to_vec();
    let mut status: Option<(Vec<(String, String)>, String)> = None;
    let mut kw_failure: Option<String> = None;
    let base = xs.depth();
    loop {
        match xs.next()? {
            Ev::Start { name, attrs: a, .. } => {
                let depth = xs.depth();
                let in_tags = depth == base + 2 && xs.parent() == Some("tags");
                match name.as_str() {
                    "tag" if depth == base + 1 || in_tags => add_tag(&mut r, &xs.read_text(limit)?),
                    "status" if depth == base + 1 => {
                        let text = xs.read_text(limit)?;
                        status = Some((a, text));
                    }
                    "status" => {
                        let text = xs.read_text(limit)?;
                        if attr(&a, "status") == Some("FAIL") && kw_failure.is_none() {
                            kw_failure = non_empty(Some(&text));
                        }
                    }
                    "msg" if attr(&a, "level") == Some("FAIL") => {
                        let text = xs.read_text(limit)?;
                        if kw_failure.is_none() {
                            kw_failure = non_empty(Some(&text));
                        }
                    }
                    _ => {}
                }
            }
            Ev::End { .. } if xs.depth() < base => break,
            Ev::Eof => break,
            _ => {}
        }
    }
    let Some((sa, text)) = status else {
        return Err(xs.error_here(
            &format!("test Robot « {} » sans élément <status>", r.name),
            &format!("Robot test \"{}\" without a <status> element", r.name),
        ));
    };
    let word = attr(&sa, "status").unwrap_or_default();
    r.status = match word {
        "PASS" => ExecStatus::Passed,
        "FAIL" => ExecStatus::Failed,
        "SKIP" | "NOT RUN" | "NOT_RUN" => ExecStatus::NotRun,
        other => {
            return Err(xs.error_here(
                &format!(
                    "statut Robot inconnu « {other} » pour le test « {} » (attendu PASS, FAIL, \
                     SKIP ou NOT RUN)",
                    r.name
                ),
                &format!(
                    "unknown Robot status \"{other}\" for test \"{}\" (expected PASS, FAIL, SKIP \
                     or NOT RUN)",
                    r.name
                ),
            ))
        }
    };
    if let Some(start) = non_empty(attr(&sa, "start")) {
        r.start_time = Some(start);
        r.duration_ms = attr(&sa, "elapsed").and_then(parse_duration_ms);
    } else if let Some(start) = non_empty(attr(&sa, "starttime")) {
        r.start_time = Some(robot_time_iso(&start));
        r.duration_ms = attr(&sa, "endtime").and_then(|end| robot_elapsed_ms(&start, end));
    }
    r.message = non_empty(Some(&text));
    if r.status == ExecStatus::Failed {
        if r.message.is_none() {
            r.message = kw_failure.clone();
        }
        r.failure_text = kw_failure
            .or_else(|| r.message.clone())
            .map(|t| cap(&t, limit));
    }
    Ok(r)
}
