//! TestNG `testng-results.xml` (XMLReporter).
//!
//! `suite_path` is [suite name, test name]; `classname` the `class` name; `name` the method name
//! as written (data-provider invocations keep the same name, like TestNG's own JUnit report, and
//! carry their arguments in a `parameters` property). PASS → passed, FAIL → failed, SKIP → not
//! run. Groups come from the suite's `groups` section (group → methods), read before the tests;
//! that map (method → groups) is the only memory kept across methods, one entry per grouped
//! method. Groups are recorded as tags.
//!
//! Configuration methods (`is-config="true"`: `@BeforeClass`...) are not tests: they are left
//! out, except when they FAIL, because a failed configuration is why the tests after it are
//! skipped and the import must show it; they then carry the property `testng.config=true`.
//! Attempts marked `retried="true"` are not results: they count as retries of the next attempt
//! of the same method and arguments, which is flaky when it passes.

use std::collections::HashMap;
use std::path::Path;

use super::common::{add_tag, cap, new_result, non_empty, parse_duration_ms, Capped};
use super::xml::{attr, check_root, Ev, XmlStream};
use super::ReadOptions;
use crate::error::Result;
use crate::import::records::{AutomatedResult, Origin};
use crate::model::ExecStatus;

type Sink<'a> = dyn FnMut(AutomatedResult) -> Result<()> + 'a;

/// Reads a testng-results.xml file.
pub(super) fn read(path: &Path, opts: &ReadOptions, sink: &mut Sink) -> Result<()> {
    let mut xs = XmlStream::open(path, opts)?;
    let (mut suite, mut test, mut class) = (String::new(), String::new(), String::new());
    let mut group: Option<String> = None;
    let mut groups: HashMap<String, Vec<String>> = HashMap::new();
    let mut retried: HashMap<String, u32> = HashMap::new();
    let mut root_checked = false;
    loop {
        match xs.next()? {
            Ev::Start { name, attrs, line } => {
                if !root_checked {
                    check_root(&xs, &name, &["testng-results"], "TestNG")?;
                    root_checked = true;
                }
                let a = |k: &str| attr(&attrs, k).unwrap_or_default().to_string();
                match name.as_str() {
                    "suite" => {
                        suite = a("name");
                        groups.clear();
                    }
                    "group" => group = Some(a("name")),
                    "method" => {
                        if let Some(g) = &group {
                            let key = format!("{}.{}", a("class"), a("name"));
                            groups.entry(key).or_default().push(g.clone());
                        }
                    }
                    "test" => test = a("name"),
                    "class" => class = a("name"),
                    "test-method" => {
                        let path = [suite.clone(), test.clone()];
                        let mut r = read_method(&mut xs, &attrs, line, &path, &class, opts)?;
                        let key = format!("{class}.{}", r.name);
                        let attempt_key = format!(
                            "{key}({})",
                            r.properties
                                .iter()
                                .find(|(k, _)| k == "parameters")
                                .map(|(_, v)| v.as_str())
                                .unwrap_or_default()
                        );
                        if attr(&attrs, "retried") == Some("true") {
                            *retried.entry(attempt_key).or_default() += 1;
                            continue;
                        }
                        let is_config = attr(&attrs, "is-config") == Some("true");
                        if is_config && r.status != ExecStatus::Failed {
                            continue;
                        }
                        if is_config {
                            r.properties.push(("testng.config".into(), "true".into()));
                        }
                        if let Some(n) = retried.remove(&attempt_key) {
                            r.retries = n;
                            r.flaky = r.status == ExecStatus::Passed;
                        }
                        for g in groups.get(&key).into_iter().flatten() {
                            add_tag(&mut r, g);
                        }
                        sink(r)?;
                    }
                    _ => {}
                }
            }
            Ev::End { name } if name == "group" => group = None,
            Ev::Eof => return Ok(()),
            _ => {}
        }
    }
}

fn read_method(
    xs: &mut XmlStream,
    attrs: &[(String, String)],
    line: u64,
    suite_path: &[String],
    class: &str,
    opts: &ReadOptions,
) -> Result<AutomatedResult> {
    let limit = opts.max_output_bytes;
    let name = attr(attrs, "name").unwrap_or_default().to_string();
    let mut r = new_result(Origin::file(xs.file()).with_row(line), "testng", name);
    r.suite_path = suite_path.to_vec();
    r.classname = non_empty(Some(class));
    r.start_time = non_empty(attr(attrs, "started-at"));
    r.duration_ms = attr(attrs, "duration-ms").and_then(|d| parse_duration_ms(&format!("{d}ms")));
    r.status = match attr(attrs, "status").unwrap_or_default() {
        "PASS" => ExecStatus::Passed,
        "FAIL" => ExecStatus::Failed,
        _ => ExecStatus::NotRun,
    };
    if let Some(d) = non_empty(attr(attrs, "description")) {
        r.properties.push(("description".into(), d));
    }
    let (mut message, mut trace, mut output) = (None, Capped::new(limit), Capped::new(limit));
    let mut params: Vec<String> = Vec::new();
    let base = xs.depth();
    loop {
        match xs.next()? {
            Ev::Start { name, .. } => match name.as_str() {
                "message" if message.is_none() => {
                    message = non_empty(Some(&xs.read_text(limit)?)).map(|m| cap(&m, limit))
                }
                "full-stacktrace" => trace.push(&xs.read_text(limit)?),
                "value" if xs.parent() == Some("param") => params.push(xs.read_text(limit)?),
                "line" => {
                    output.push(&xs.read_text(limit)?);
                    output.push("\n");
                }
                _ => {}
            },
            Ev::End { .. } if xs.depth() < base => break,
            Ev::Eof => break,
            _ => {}
        }
    }
    if !params.is_empty() {
        r.properties.push(("parameters".into(), params.join(", ")));
    }
    r.message = message;
    r.failure_text = trace.finish();
    r.stdout = output.finish();
    Ok(r)
}
