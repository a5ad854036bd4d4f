//! NUnit 3 (`test-run`) and NUnit 2 (`test-results`) XML.
//!
//! NUnit 3: root `test-run`, or a lone `test-suite` (an assembly or fixture result);
//! `test-case` anywhere under nested `test-suite`s; `result` Passed/Warning → passed,
//! Failed (any label: Error, Invalid, Cancelled) → failed, Skipped/Inconclusive → not run.
//! `properties/property` become properties; `Category` properties are also tags.
//! `failure/message` or `reason/message` is the message, `failure/stack-trace` the failure text,
//! `output` the standard output; `duration` is in seconds, `start-time` kept as written.
//!
//! NUnit 2: `test-case` with `executed`, `result` (Success, Failure, Error, Ignored, Skipped,
//! Inconclusive, NotRunnable, Cancelled) and `success`; NotRunnable (an invalid test) counts as
//! failed; `categories/category` are tags; the full name `Ns.Class.Method(args)` is split into
//! class name and method name.

use std::path::Path;

use super::common::{add_category, cap, new_result, non_empty, parse_duration_ms, Capped};
use super::xml::{attr, check_root, Ev, XmlStream};
use super::ReadOptions;
use crate::error::Result;
use crate::import::records::{AutomatedResult, Origin};
use crate::model::ExecStatus;

type Sink<'a> = dyn FnMut(AutomatedResult) -> Result<()> + 'a;

/// Reads an NUnit 3 file.
pub(super) fn read_v3(path: &Path, opts: &ReadOptions, sink: &mut Sink) -> Result<()> {
    read(path, opts, sink, 3)
}

/// Reads an NUnit 2 file.
pub(super) fn read_v2(path: &Path, opts: &ReadOptions, sink: &mut Sink) -> Result<()> {
    read(path, opts, sink, 2)
}

fn read(path: &Path, opts: &ReadOptions, sink: &mut Sink, version: u8) -> Result<()> {
    let mut xs = XmlStream::open(path, opts)?;
    // Suite names with the categories set on the suite (inherited by its test cases: NUnit
    // puts a parameterized method's categories on its `ParameterizedMethod` suite).
    let mut suites: Vec<(String, Vec<String>)> = Vec::new();
    let mut root_checked = false;
    // NUnit 3 also writes a lone `test-suite` root (an assembly or fixture result).
    let (roots, label): (&[&str], _) = if version == 3 {
        (&["test-run", "test-suite"], "NUnit 3")
    } else {
        (&["test-results"], "NUnit 2")
    };
    loop {
        match xs.next()? {
            Ev::Start { name, attrs, line } => {
                if !root_checked {
                    check_root(&xs, &name, roots, label)?;
                    root_checked = true;
                }
                match name.as_str() {
                    "test-suite" => {
                        suites.push((attr(&attrs, "name").unwrap_or_default().to_string(), vec![]))
                    }
                    "property" if attr(&attrs, "name").is_some_and(is_category) => {
                        if let Some((_, cats)) = suites.last_mut() {
                            cats.push(attr(&attrs, "value").unwrap_or_default().to_string());
                        }
                    }
                    "category" => {
                        if let Some((_, cats)) = suites.last_mut() {
                            cats.push(attr(&attrs, "name").unwrap_or_default().to_string());
                        }
                    }
                    "test-case" => {
                        let mut r = read_case(&mut xs, &attrs, line, &suites, opts, version)?;
                        for (_, cats) in &suites {
                            for c in cats {
                                add_category(&mut r, c);
                            }
                        }
                        sink(r)?;
                    }
                    _ => {}
                }
            }
            Ev::End { name } if name == "test-suite" => {
                suites.pop();
            }
            Ev::Eof => return Ok(()),
            _ => {}
        }
    }
}

fn read_case(
    xs: &mut XmlStream,
    attrs: &[(String, String)],
    line: u64,
    suites: &[(String, Vec<String>)],
    opts: &ReadOptions,
    version: u8,
) -> Result<AutomatedResult> {
    let limit = opts.max_output_bytes;
    let full = attr(attrs, "name").unwrap_or_default().to_string();
    let format = if version == 3 { "nunit3" } else { "nunit2" };
    let origin = Origin::file(xs.file()).with_row(line);
    let mut r = if version == 3 {
        let mut r = new_result(origin, format, full);
        r.classname = non_empty(attr(attrs, "classname"));
        r.start_time = non_empty(attr(attrs, "start-time"));
        r.duration_ms = attr(attrs, "duration").and_then(parse_duration_ms);
        r
    } else {
        let (class, method) = split_full_name(&full);
        let mut r = new_result(origin, format, method);
        r.classname = class;
        r.duration_ms = attr(attrs, "time").and_then(parse_duration_ms);
        if let Some(d) = non_empty(attr(attrs, "description")) {
            r.properties.push(("description".into(), d));
        }
        r
    };
    r.suite_path = suites.iter().map(|(n, _)| n.clone()).collect();
    r.status = status(attrs, version);
    let (mut message, mut trace, mut output) = (None, Capped::new(limit), Capped::new(limit));
    let base = xs.depth();
    loop {
        match xs.next()? {
            Ev::Start { name, attrs: a, .. } => match name.as_str() {
                "property" => {
                    let key = attr(&a, "name").unwrap_or_default().to_string();
                    let value = attr(&a, "value").unwrap_or_default().to_string();
                    if is_category(&key) {
                        add_category(&mut r, &value);
                    } else {
                        r.properties.push((key, value));
                    }
                }
                "category" => add_category(&mut r, attr(&a, "name").unwrap_or_default()),
                "message" if message.is_none() => {
                    message = non_empty(Some(&xs.read_text(limit)?)).map(|m| cap(&m, limit))
                }
                "stack-trace" => trace.push(&xs.read_text(limit)?),
                "output" => output.push(&xs.read_text(limit)?),
                _ => {}
            },
            Ev::End { .. } if xs.depth() < base => break,
            Ev::Eof => break,
            _ => {}
        }
    }
    r.message = message;
    r.failure_text = trace.finish();
    r.stdout = output.finish();
    Ok(r)
}

fn is_category(name: &str) -> bool {
    name.eq_ignore_ascii_case("category")
}

fn status(attrs: &[(String, String)], version: u8) -> ExecStatus {
    let result = attr(attrs, "result")
        .unwrap_or_default()
        .to_ascii_lowercase();
    if version == 3 {
        return match result.as_str() {
            "passed" | "warning" => ExecStatus::Passed,
            "failed" | "error" => ExecStatus::Failed,
            _ => ExecStatus::NotRun,
        };
    }
    match result.as_str() {
        "success" => ExecStatus::Passed,
        "failure" | "error" | "notrunnable" | "cancelled" => ExecStatus::Failed,
        "ignored" | "skipped" | "inconclusive" => ExecStatus::NotRun,
        _ => {
            let executed = attr(attrs, "executed").unwrap_or_default();
            let success = attr(attrs, "success").unwrap_or_default();
            if !executed.eq_ignore_ascii_case("true") {
                ExecStatus::NotRun
            } else if success.eq_ignore_ascii_case("true") {
                ExecStatus::Passed
            } else {
                ExecStatus::Failed
            }
        }
    }
}

/// `Ns.Class.Method(1, "a.b")` → (`Ns.Class`, `Method(1, "a.b")`).
fn split_full_name(full: &str) -> (Option<String>, String) {
    let head_end = full.find('(').unwrap_or(full.len());
    match full[..head_end].rfind('.') {
        Some(dot) => (Some(full[..dot].to_string()), full[dot + 1..].to_string()),
        None => (None, full.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_names() {
        assert_eq!(
            split_full_name("Permis.Tests.Age(\"A.1\",16)"),
            (Some("Permis.Tests".into()), "Age(\"A.1\",16)".into())
        );
        assert_eq!(split_full_name("Solo"), (None, "Solo".into()));
    }
}
