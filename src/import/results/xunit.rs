//! xUnit.net v2 XML (`assemblies/assembly/collection/test`).
//!
//! `suite_path` is [assembly name, collection name]; `classname` is the `type` attribute and
//! `name` the `name` attribute (xUnit's display name, by default `Ns.Class.Method(args)`).
//! `result` Pass → passed, Fail → failed, Skip/NotRun → not run. `traits/trait` become
//! properties; `Category` traits are also tags. `failure/message`, `failure/stack-trace`,
//! `reason` (skip reason) and `output` fill message, failure text and stdout. The assembly's
//! `run-date` and `run-time` give the start time.

use std::path::Path;

use super::common::{add_category, cap, new_result, non_empty, parse_duration_ms, Capped};
use super::xml::{attr, check_root, Ev, XmlStream};
use super::ReadOptions;
use crate::error::Result;
use crate::import::records::{AutomatedResult, Origin};
use crate::model::ExecStatus;

type Sink<'a> = dyn FnMut(AutomatedResult) -> Result<()> + 'a;

/// Reads an xUnit.net v2 file.
pub(super) fn read(path: &Path, opts: &ReadOptions, sink: &mut Sink) -> Result<()> {
    let mut xs = XmlStream::open(path, opts)?;
    let mut suites: Vec<String> = Vec::new();
    let mut run_start: Option<String> = None;
    let mut root_checked = false;
    loop {
        match xs.next()? {
            Ev::Start { name, attrs, line } => {
                if !root_checked {
                    check_root(&xs, &name, &["assemblies", "assembly"], "xUnit.net")?;
                    root_checked = true;
                }
                match name.as_str() {
                    "assembly" => {
                        suites.push(attr(&attrs, "name").unwrap_or_default().to_string());
                        run_start = match (attr(&attrs, "run-date"), attr(&attrs, "run-time")) {
                            (Some(d), Some(t)) => Some(format!("{d}T{t}")),
                            (Some(d), None) => Some(d.to_string()),
                            _ => None,
                        };
                    }
                    "collection" => {
                        suites.push(attr(&attrs, "name").unwrap_or_default().to_string())
                    }
                    "test" => {
                        let mut r = read_test(&mut xs, &attrs, line, &suites, opts)?;
                        r.start_time = run_start.clone();
                        sink(r)?;
                    }
                    _ => {}
                }
            }
            Ev::End { name } if name == "assembly" || name == "collection" => {
                suites.pop();
            }
            Ev::Eof => return Ok(()),
            _ => {}
        }
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
    let mut r = new_result(Origin::file(xs.file()).with_row(line), "xunit", name);
    r.suite_path = suites.to_vec();
    r.classname = non_empty(attr(attrs, "type"));
    r.duration_ms = attr(attrs, "time").and_then(parse_duration_ms);
    r.status = match attr(attrs, "result").unwrap_or_default() {
        "Pass" => ExecStatus::Passed,
        "Fail" => ExecStatus::Failed,
        _ => ExecStatus::NotRun,
    };
    let (mut message, mut trace, mut output) = (None, Capped::new(limit), Capped::new(limit));
    let base = xs.depth();
    loop {
        match xs.next()? {
            Ev::Start { name, attrs: a, .. } => match name.as_str() {
                "trait" => {
                    let key = attr(&a, "name").unwrap_or_default().to_string();
                    let value = attr(&a, "value").unwrap_or_default().to_string();
                    if key.eq_ignore_ascii_case("category") {
                        add_category(&mut r, &value);
                    } else {
                        r.properties.push((key, value));
                    }
                }
                "message" | "reason" if message.is_none() => {
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
