//! JUnit XML, as written by surefire, gradle, pytest (xunit1 and xunit2), jest-junit, mocha,
//! vitest, googletest, ctest, cargo-nextest, phpunit, Robot `--xunit` and TestNG's
//! JUnitReportReporter.
//!
//! Rules (they hold for every flavour seen in the corpus):
//! - root `testsuites` or `testsuite`; suites may nest; `suite_path` lists the `testsuite`
//!   names around a case.
//! - status: a `failure` or `error` child gives failed; else `skipped`, or gtest/ctest
//!   `status="notrun"`/`"disabled"`, or gtest `result="skipped"`/`"suppressed"` give not run;
//!   else passed. Counts in suite attributes are never used.
//! - surefire/nextest reruns: each `flakyFailure`/`flakyError` or `rerunFailure`/`rerunError`
//!   is a retry; the test is flaky when it has flaky elements and its final status is passed.
//! - properties: `properties/property` (value attribute or text), plus any non-standard
//!   attribute of `testcase` (gtest `RecordProperty`).
//! - `system-out` and `system-err` of the case (not those of reruns) form `stdout`.
//! - a `testcase` without a name (surefire's `name=""` for a failure in `@BeforeAll`) is
//!   named after its class, else its file, else its suite, else `testcase (LINE)`.
//! - an `error` or `failure` directly under `testsuite` (a class that failed to load) is a
//!   failed result named after the suite, as Jenkins keeps it (property `junit.suite`).

use std::path::Path;

use super::common::{cap, join_output, new_result, non_empty, parse_duration_ms, Capped};
use super::xml::{attr, Ev, XmlStream};
use super::ReadOptions;
use crate::error::Result;
use crate::import::records::{AutomatedResult, Origin};
use crate::model::ExecStatus;

/// Attributes of `testcase` that are not properties.
const STANDARD_ATTRS: &[&str] = &[
    "name",
    "classname",
    "class",
    "time",
    "timestamp",
    "file",
    "filepath",
    "line",
    "status",
    "result",
    "assertions",
    "id",
    "hostname",
];

type Sink<'a> = dyn FnMut(AutomatedResult) -> Result<()> + 'a;

/// Reads a JUnit file, giving each test case to `sink`.
pub(super) fn read(path: &Path, opts: &ReadOptions, sink: &mut Sink) -> Result<()> {
    let mut xs = XmlStream::open(path, opts)?;
    let mut suites: Vec<(String, Option<String>)> = Vec::new();
    let mut root_checked = false;
    loop {
        match xs.next()? {
            Ev::Start { name, attrs, line } => {
                if !root_checked {
                    super::xml::check_root(&xs, &name, &["testsuites", "testsuite"], "JUnit")?;
                    root_checked = true;
                }
                match name.as_str() {
                    "testsuite" => suites.push((
                        attr(&attrs, "name").unwrap_or_default().to_string(),
                        non_empty(attr(&attrs, "timestamp")),
                    )),
                    "testcase" => {
                        let r = read_case(&mut xs, &attrs, line, &suites, opts)?;
                        sink(r)?;
                    }
                    // A class that failed to load (Ant, surefire): Jenkins keeps it as a failed
                    // result; so does recette, named after its suite.
                    "error" | "failure" if xs.parent() == Some("testsuite") => {
                        let r = suite_failure(&mut xs, &name, &attrs, line, &suites, opts)?;
                        sink(r)?;
                    }
                    _ => {}
                }
            }
            Ev::End { name } if name == "testsuite" => {
                suites.pop();
            }
            Ev::Eof => return Ok(()),
            _ => {}
        }
    }
}

/// Reads one `testcase` whose start tag was just read, up to its end tag.
fn read_case(
    xs: &mut XmlStream,
    attrs: &[(String, String)],
    line: u64,
    suites: &[(String, Option<String>)],
    opts: &ReadOptions,
) -> Result<AutomatedResult> {
    let limit = opts.max_output_bytes;
    // Surefire writes `name=""` for a failure in `@BeforeAll` (the class's only result), Behat
    // and others leave out name and classname: the result is named after what there is.
    let name = non_empty(attr(attrs, "name"))
        .or_else(|| non_empty(attr(attrs, "classname").or_else(|| attr(attrs, "class"))))
        .or_else(|| non_empty(attr(attrs, "file")))
        .or_else(|| suites.iter().rev().find_map(|(n, _)| non_empty(Some(n))))
        .unwrap_or_else(|| format!("testcase ({line})"));
    let origin = Origin::file(xs.file()).with_row(line);
    let mut r = new_result(origin, "junit", name);
    r.suite_path = suites.iter().map(|(n, _)| n.clone()).collect();
    r.classname = non_empty(attr(attrs, "classname").or_else(|| attr(attrs, "class")));
    r.duration_ms = attr(attrs, "time").and_then(parse_duration_ms);
    r.start_time = non_empty(attr(attrs, "timestamp"))
        .or_else(|| suites.iter().rev().find_map(|(_, t)| t.clone()));
    for (k, v) in attrs {
        if !STANDARD_ATTRS.contains(&k.as_str()) {
            r.properties.push((k.clone(), v.clone()));
        }
    }
    let status_attr = attr(attrs, "status")
        .unwrap_or_default()
        .to_ascii_lowercase();
    let result_attr = attr(attrs, "result")
        .unwrap_or_default()
        .to_ascii_lowercase();
    let mut skipped = matches!(status_attr.as_str(), "notrun" | "disabled" | "skipped")
        || matches!(result_attr.as_str(), "skipped" | "suppressed");
    let mut failed = false;
    let mut flaky_seen = false;
    let mut failure = Capped::new(limit);
    let mut message: Option<String> = None;
    let (mut out, mut err) = (Capped::new(limit), Capped::new(limit));
    let base = xs.depth();
    loop {
        match xs.next()? {
            Ev::Start { name, attrs: a, .. } => {
                let direct = xs.depth() == base + 1;
                match name.as_str() {
                    "failure" | "error" if direct => {
                        let text = xs.read_text(limit)?;
                        if !failed {
                            message = non_empty(attr(&a, "message"))
                                .or_else(|| first_line(&text))
                                .map(|m| cap(&m, limit));
                        } else if !text.is_empty() {
                            failure.push("\n\n");
                        }
                        failure.push(&text);
                        failed = true;
                    }
                    "skipped" if direct => {
                        let text = xs.read_text(limit)?;
                        skipped = true;
                        if !failed {
                            message = non_empty(attr(&a, "message"))
                                .or_else(|| non_empty(Some(&text)))
                                .map(|m| cap(&m, limit));
                        }
                    }
                    "flakyFailure" | "flakyError" => {
                        flaky_seen = true;
                        r.retries += 1;
                        xs.skip()?;
                    }
                    "rerunFailure" | "rerunError" => {
                        r.retries += 1;
                        xs.skip()?;
                    }
                    "system-out" if direct => out.push(&xs.read_text(limit)?),
                    "system-err" if direct => err.push(&xs.read_text(limit)?),
                    "property" => {
                        let key = attr(&a, "name").unwrap_or_default().to_string();
                        let value = match attr(&a, "value") {
                            Some(v) => {
                                let v = v.to_string();
                                xs.skip()?;
                                v
                            }
                            None => xs.read_text(limit)?,
                        };
                        r.properties.push((key, value));
                    }
                    _ => {}
                }
            }
            Ev::End { .. } if xs.depth() < base => break,
            Ev::Eof => break,
            _ => {}
        }
    }
    r.status = if failed {
        ExecStatus::Failed
    } else if skipped {
        ExecStatus::NotRun
    } else {
        ExecStatus::Passed
    };
    r.flaky = flaky_seen && r.status == ExecStatus::Passed;
    r.message = message;
    r.failure_text = failure.finish();
    r.stdout = join_output(out.finish(), err.finish(), limit);
    Ok(r)
}

/// An `error` or `failure` directly under a `testsuite` (its start tag just read): a failed
/// result named after the suite (or `<testsuite>` when it has no name), the element's message
/// and text as failure.
fn suite_failure(
    xs: &mut XmlStream,
    element: &str,
    attrs: &[(String, String)],
    line: u64,
    suites: &[(String, Option<String>)],
    opts: &ReadOptions,
) -> Result<AutomatedResult> {
    let limit = opts.max_output_bytes;
    let suite = suites
        .last()
        .and_then(|(n, _)| non_empty(Some(n)))
        .unwrap_or_else(|| "<testsuite>".to_string());
    let mut r = new_result(
        Origin::file(xs.file()).with_row(line),
        "junit",
        suite.clone(),
    );
    r.suite_path = suites.iter().map(|(n, _)| n.clone()).collect();
    r.classname = Some(suite);
    r.start_time = suites.iter().rev().find_map(|(_, t)| t.clone());
    r.status = ExecStatus::Failed;
    let text = xs.read_text(limit)?;
    r.message = non_empty(attr(attrs, "message"))
        .or_else(|| first_line(&text))
        .or_else(|| non_empty(attr(attrs, "type")))
        .map(|m| cap(&m, limit));
    r.failure_text = non_empty(Some(&text));
    r.properties
        .push(("junit.suite".into(), element.to_string()));
    Ok(r)
}

/// First non-blank line of a text.
pub(super) fn first_line(text: &str) -> Option<String> {
    text.lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .map(str::to_string)
}
