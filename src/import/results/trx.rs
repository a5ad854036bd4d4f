//! MSTest / `dotnet test --logger trx` TRX files (`TestRun`, namespace
//! `http://microsoft.com/schemas/VisualStudio/TeamTest/2010`).
//!
//! A result (`Results/UnitTestResult`) names its test by `testId`; the class name, categories,
//! owners and properties are in the definition (`TestDefinitions/UnitTest`), which Visual Studio
//! writes AFTER the results. So the file is read twice, both times streaming: the first pass
//! keeps a map from test id to those few definition fields (the only memory that grows with the
//! number of tests, a few hundred bytes each), the second joins each result to it.
//!
//! Outcomes: Passed, PassedButRunAborted, Warning, Completed → passed; Failed, Error, Timeout,
//! Aborted → failed; InProgress → in progress; NotExecuted, Inconclusive, Pending, NotRunnable,
//! Disconnected and anything else → not run. Data-driven results (`InnerResults`, one
//! `UnitTestResult` per data row, possibly nested) are the real results: each row is a result
//! and the parent, which only sums them up, is not (counting it too would count each row
//! twice). Rows share their parent's test id, hence its class and categories.

use std::collections::HashMap;
use std::path::Path;

use super::common::{add_category, cap, join_output, new_result, non_empty, parse_hms_ms, Capped};
use super::xml::{attr, check_root, Ev, XmlStream};
use super::ReadOptions;
use crate::error::Result;
use crate::import::records::{AutomatedResult, Origin};
use crate::model::ExecStatus;

type Sink<'a> = dyn FnMut(AutomatedResult) -> Result<()> + 'a;

/// What a result takes from its test definition.
#[derive(Default)]
struct Definition {
    class: Option<String>,
    categories: Vec<String>,
    properties: Vec<(String, String)>,
}

/// Reads a TRX file.
pub(super) fn read(path: &Path, opts: &ReadOptions, sink: &mut Sink) -> Result<()> {
    let defs = read_definitions(path, opts)?;
    let mut xs = XmlStream::open(path, opts)?;
    loop {
        match xs.next()? {
            Ev::Start { name, attrs, line } => match name.as_str() {
                "UnitTestResult" if xs.parent() == Some("Results") => {
                    for r in read_result(&mut xs, &attrs, line, &defs, opts)? {
                        sink(r)?;
                    }
                }
                _ => {}
            },
            Ev::Eof => return Ok(()),
            _ => {}
        }
    }
}

/// First pass: the test definitions by id (the whole file is checked on the way).
fn read_definitions(path: &Path, opts: &ReadOptions) -> Result<HashMap<String, Definition>> {
    let mut xs = XmlStream::open(path, opts)?;
    let mut defs = HashMap::new();
    let mut current: Option<(String, Definition, usize)> = None;
    let mut root_checked = false;
    let limit = opts.max_output_bytes;
    loop {
        match xs.next()? {
            Ev::Start { name, attrs, .. } => {
                if !root_checked {
                    check_root(&xs, &name, &["TestRun"], "TRX")?;
                    root_checked = true;
                }
                if xs.parent() == Some("TestDefinitions") {
                    let id = attr(&attrs, "id").unwrap_or_default().to_string();
                    current = Some((id, Definition::default(), xs.depth()));
                    continue;
                }
                let Some((_, def, _)) = current.as_mut() else {
                    continue;
                };
                match name.as_str() {
                    "TestMethod" => {
                        def.class = attr(&attrs, "className")
                            .map(|c| c.split(',').next().unwrap_or(c).trim().to_string())
                            .filter(|c| !c.is_empty())
                    }
                    "TestCategoryItem" => {
                        if let Some(c) = non_empty(attr(&attrs, "TestCategory")) {
                            def.categories.push(c);
                        }
                    }
                    "Owner" => {
                        if let Some(o) = non_empty(attr(&attrs, "name")) {
                            def.properties.push(("owner".into(), o));
                        }
                    }
                    "Key" if xs.parent() == Some("Property") => {
                        let key = xs.read_text(limit)?;
                        def.properties.push((key, String::new()));
                    }
                    "Value" if xs.parent() == Some("Property") => {
                        let value = xs.read_text(limit)?;
                        if let Some(last) = def.properties.last_mut() {
                            last.1 = value;
                        }
                    }
                    _ => {}
                }
            }
            Ev::End { .. } if current.as_ref().is_some_and(|c| xs.depth() < c.2) => {
                if let Some((id, def, _)) = current.take() {
                    defs.insert(id, def);
                }
            }
            Ev::Eof => return Ok(defs),
            _ => {}
        }
    }
}

/// Reads one `UnitTestResult` (start tag just read) up to its end: the result itself, or, for
/// a data-driven test, the results of its rows (`InnerResults`, which may nest).
fn read_result(
    xs: &mut XmlStream,
    attrs: &[(String, String)],
    line: u64,
    defs: &HashMap<String, Definition>,
    opts: &ReadOptions,
) -> Result<Vec<AutomatedResult>> {
    let limit = opts.max_output_bytes;
    let name = attr(attrs, "testName").unwrap_or_default().to_string();
    let mut r = new_result(Origin::file(xs.file()).with_row(line), "trx", name);
    r.duration_ms = attr(attrs, "duration").and_then(parse_hms_ms);
    r.start_time = non_empty(attr(attrs, "startTime"));
    r.status = match attr(attrs, "outcome").unwrap_or_default() {
        "Passed" | "PassedButRunAborted" | "Warning" | "Completed" => ExecStatus::Passed,
        "Failed" | "Error" | "Timeout" | "Aborted" => ExecStatus::Failed,
        "InProgress" => ExecStatus::InProgress,
        _ => ExecStatus::NotRun,
    };
    if let Some(def) = attr(attrs, "testId").and_then(|id| defs.get(id)) {
        r.classname = def.class.clone();
        for c in &def.categories {
            add_category(&mut r, c);
        }
        r.properties.extend(def.properties.iter().cloned());
    }
    let (mut message, mut trace) = (None, Capped::new(limit));
    let (mut out, mut err) = (Capped::new(limit), Capped::new(limit));
    let mut rows: Vec<AutomatedResult> = Vec::new();
    let base = xs.depth();
    loop {
        match xs.next()? {
            Ev::Start {
                name,
                attrs: a,
                line: l,
            } => match name.as_str() {
                "UnitTestResult" if xs.parent() == Some("InnerResults") => {
                    rows.extend(read_result(xs, &a, l, defs, opts)?);
                }
                "Message" if message.is_none() => {
                    message = non_empty(Some(&xs.read_text(limit)?)).map(|m| cap(&m, limit))
                }
                "StackTrace" => trace.push(&xs.read_text(limit)?),
                "StdOut" => out.push(&xs.read_text(limit)?),
                "StdErr" => err.push(&xs.read_text(limit)?),
                _ => {}
            },
            Ev::End { .. } if xs.depth() < base => break,
            Ev::Eof => break,
            _ => {}
        }
    }
    if !rows.is_empty() {
        for row in &mut rows {
            if row.classname.is_none() {
                row.classname = r.classname.clone();
            }
        }
        return Ok(rows);
    }
    r.message = message;
    r.failure_text = trace.finish();
    r.stdout = join_output(out.finish(), err.finish(), limit);
    Ok(vec![r])
}
