//! Playwright Test's JSON reporter (`--reporter=json`): `suites` (one per spec file, nested
//! `describe` suites) holding `specs`, each run once per project (`tests[]`), each run made of
//! attempts (`results[]`, one per retry).
//!
//! Rules:
//! - a result per spec and project; `suite_path` is the project name, then the suite titles
//!   (file, `describe` blocks); the name is the spec title.
//! - status from Playwright's verdict: `expected` → passed (not run when the expected status
//!   is `skipped`), `unexpected` → failed, `flaky` → passed and flaky, `skipped` → not run.
//!   Retries are the attempts beyond the first.
//! - message and failure text: the error of the last failed attempt (ANSI colours removed);
//!   duration and start time: the last attempt; standard output and error: every attempt's.
//! - tags (`tag: '@PC-001'`, written without `@`) are tags; annotations are properties
//!   (`requirement: PC-005`, `issue: FA-12`, `skip`, `fixme`...), so they link as other
//!   formats' properties do; attachments are named in `attachment` properties (name and
//!   content type), never copied.
//! - an error of the run itself (top-level `errors`: a spec file that does not load) is a
//!   failed result named after its file.
//!
//! Streaming: the `suites` array is read one file suite at a time (serde).

use std::io::BufReader;
use std::path::Path;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

use super::common::{add_tag, cap, join_output, new_result, non_empty};
use super::ctrf::json_error;
use super::source::open_utf8;
use super::ReadOptions;
use crate::error::{Error, Result};
use crate::import::records::{AutomatedResult, Origin};
use crate::model::ExecStatus;

type Sink<'a> = dyn FnMut(AutomatedResult) -> Result<()> + 'a;

#[derive(Deserialize)]
struct Suite {
    #[serde(default)]
    title: String,
    #[serde(default)]
    specs: Vec<Spec>,
    #[serde(default)]
    suites: Vec<Suite>,
}

#[derive(Deserialize)]
struct Spec {
    #[serde(default)]
    title: String,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    tests: Vec<Test>,
    #[serde(default)]
    file: Option<String>,
    #[serde(default)]
    line: Option<u64>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Test {
    #[serde(default)]
    annotations: Vec<Annotation>,
    #[serde(default)]
    expected_status: Option<String>,
    #[serde(default)]
    project_name: Option<String>,
    #[serde(default)]
    results: Vec<Attempt>,
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    tags: Vec<String>,
}

#[derive(Deserialize)]
struct Annotation {
    #[serde(rename = "type", default)]
    kind: String,
    #[serde(default)]
    description: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Attempt {
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    duration: Option<f64>,
    #[serde(default)]
    error: Option<PwError>,
    #[serde(default)]
    stdout: Vec<Chunk>,
    #[serde(default)]
    stderr: Vec<Chunk>,
    #[serde(default)]
    start_time: Option<String>,
    #[serde(default)]
    attachments: Vec<Attachment>,
}

#[derive(Deserialize)]
struct PwError {
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    stack: Option<String>,
    #[serde(default)]
    location: Option<Location>,
}

#[derive(Deserialize)]
struct Location {
    #[serde(default)]
    file: String,
    #[serde(default)]
    line: Option<u64>,
}

#[derive(Deserialize)]
struct Chunk {
    #[serde(default)]
    text: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Attachment {
    #[serde(default)]
    name: String,
    #[serde(default)]
    content_type: Option<String>,
}

struct Ctx<'s, 'k> {
    file: String,
    limit: usize,
    sink: &'s mut Sink<'k>,
    sink_err: Option<Error>,
    index: u64,
    found: bool,
}

impl Ctx<'_, '_> {
    fn give(&mut self, r: AutomatedResult) -> std::result::Result<(), String> {
        if let Err(e) = (self.sink)(r) {
            self.sink_err = Some(e);
            return Err("import interrompu / import stopped".into());
        }
        Ok(())
    }
}

/// Reads a Playwright JSON report.
pub(super) fn read(path: &Path, opts: &ReadOptions, sink: &mut Sink) -> Result<()> {
    let file = super::display_name(path);
    let reader = BufReader::with_capacity(64 * 1024, open_utf8(path)?);
    let mut de = serde_json::Deserializer::from_reader(reader);
    let mut ctx = Ctx {
        file: file.clone(),
        limit: opts.max_output_bytes,
        sink,
        sink_err: None,
        index: 0,
        found: false,
    };
    let outcome = Root(&mut ctx).deserialize(&mut de).and_then(|_| de.end());
    if let Some(e) = ctx.sink_err.take() {
        return Err(e);
    }
    outcome.map_err(|e| json_error(&file, &e, "Playwright JSON"))?;
    if !ctx.found {
        return Err(Error::input(
            format!("{file} : pas de tableau « suites » : ce n'est pas un rapport JSON Playwright"),
            format!("{file}: no \"suites\" array: not a Playwright JSON report"),
        ));
    }
    Ok(())
}

struct Root<'c, 's, 'k>(&'c mut Ctx<'s, 'k>);
struct Suites<'c, 's, 'k>(&'c mut Ctx<'s, 'k>);

impl<'de> DeserializeSeed<'de> for Root<'_, '_, '_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Root<'_, '_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a Playwright report object with a \"suites\" key")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "suites" => {
                    self.0.found = true;
                    map.next_value_seed(Suites(&mut *self.0))?;
                }
                "errors" => {
                    let errors: Vec<PwError> = map.next_value()?;
                    for e in errors {
                        let r = run_error(self.0, e);
                        self.0.give(r).map_err(de::Error::custom)?;
                    }
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

impl<'de> DeserializeSeed<'de> for Suites<'_, '_, '_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Suites<'_, '_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a \"suites\" array")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(suite) = seq.next_element::<Suite>()? {
            let mut path = Vec::new();
            visit(self.0, &suite, &mut path).map_err(de::Error::custom)?;
            self.0.index += 1;
        }
        Ok(())
    }
}

/// Gives the results of a suite and its sub-suites, depth first, specs before sub-suites (the
/// reporter's order). Nesting is bounded by serde_json's recursion limit.
fn visit(ctx: &mut Ctx, suite: &Suite, path: &mut Vec<String>) -> std::result::Result<(), String> {
    path.push(suite.title.clone());
    for spec in &suite.specs {
        for test in &spec.tests {
            let r = convert(ctx, path, spec, test);
            ctx.give(r)?;
        }
    }
    for s in &suite.suites {
        visit(ctx, s, path)?;
    }
    path.pop();
    Ok(())
}

/// Removes ANSI escape sequences (Playwright colours its error messages).
fn strip_ansi(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            if chars.peek() == Some(&'[') {
                chars.next();
                for n in chars.by_ref() {
                    if n.is_ascii_alphabetic() {
                        break;
                    }
                }
            }
            continue;
        }
        out.push(c);
    }
    out
}

fn convert(ctx: &Ctx, path: &[String], spec: &Spec, test: &Test) -> AutomatedResult {
    let limit = ctx.limit;
    let project = test.project_name.clone().unwrap_or_default();
    let origin = Origin::file(&ctx.file).with_sheet(format!(
        "{}:{} [{project}]",
        spec.file.as_deref().unwrap_or_default(),
        spec.line.unwrap_or_default()
    ));
    let mut r = new_result(origin, "playwright", spec.title.clone());
    r.suite_path = std::iter::once(project.clone())
        .filter(|p| !p.is_empty())
        .chain(path.iter().filter(|t| !t.is_empty()).cloned())
        .collect();
    let expected_skip = test.expected_status.as_deref() == Some("skipped");
    r.status = match test.status.as_deref().unwrap_or_default() {
        "unexpected" => ExecStatus::Failed,
        "flaky" => ExecStatus::Passed,
        "skipped" => ExecStatus::NotRun,
        _ if expected_skip => ExecStatus::NotRun,
        _ => ExecStatus::Passed,
    };
    r.flaky = test.status.as_deref() == Some("flaky");
    r.retries = test
        .results
        .len()
        .saturating_sub(1)
        .try_into()
        .unwrap_or(u32::MAX);
    if let Some(last) = test.results.last() {
        r.duration_ms = last.duration.filter(|d| d.is_finite() && *d >= 0.0);
        r.start_time = last.start_time.clone();
    }
    if r.status == ExecStatus::Failed {
        if let Some(e) = test.results.iter().rev().find_map(|a| a.error.as_ref()) {
            let message = e.message.as_deref().map(strip_ansi).unwrap_or_default();
            r.message = message
                .lines()
                .map(str::trim)
                .find(|l| !l.is_empty())
                .map(|l| cap(l, limit));
            let stack = e.stack.as_deref().map(strip_ansi).unwrap_or_default();
            let text = if stack.contains(message.trim()) {
                stack
            } else {
                format!("{message}\n{stack}")
            };
            r.failure_text = non_empty(Some(&text)).map(|t| cap(&t, limit));
        }
    } else if r.status == ExecStatus::NotRun {
        r.message = test
            .annotations
            .iter()
            .find(|a| matches!(a.kind.as_str(), "skip" | "fixme"))
            .and_then(|a| non_empty(a.description.as_deref()))
            .map(|m| cap(&m, limit));
    }
    for tag in spec.tags.iter().chain(&test.tags) {
        add_tag(&mut r, tag.trim_start_matches('@'));
    }
    for a in &test.annotations {
        r.properties
            .push((a.kind.clone(), a.description.clone().unwrap_or_default()));
    }
    for a in test.results.iter().flat_map(|a| &a.attachments) {
        let label = match &a.content_type {
            Some(t) => format!("{} ({t})", a.name),
            None => a.name.clone(),
        };
        if !r
            .properties
            .iter()
            .any(|(k, v)| k == "attachment" && *v == label)
        {
            r.properties.push(("attachment".into(), label));
        }
    }
    if let Some(f) = &spec.file {
        r.properties.push(("file".into(), f.clone()));
    }
    let texts = |pick: fn(&Attempt) -> &Vec<Chunk>| {
        let t: String = test
            .results
            .iter()
            .flat_map(pick)
            .filter_map(|c| c.text.as_deref())
            .collect();
        non_empty(Some(&t)).map(|t| cap(&t, limit))
    };
    r.stdout = join_output(texts(|a| &a.stdout), texts(|a| &a.stderr), limit);
    if r.status == ExecStatus::Failed && r.message.is_none() {
        // A timeout or an interrupted run has no error object: its attempt's status says it.
        r.message = test
            .results
            .last()
            .and_then(|a| a.status.clone())
            .map(|s| format!("Playwright : {s}"));
    }
    r
}

/// A top-level error of the run (a spec file that does not load): a failed result.
fn run_error(ctx: &Ctx, e: PwError) -> AutomatedResult {
    let (name, line) = match &e.location {
        Some(l) if !l.file.is_empty() => (l.file.clone(), l.line),
        _ => ("Playwright".to_string(), None),
    };
    let origin = Origin::file(&ctx.file).with_sheet(format!("errors {name}:{}", line.unwrap_or(0)));
    let mut r = new_result(origin, "playwright", name);
    r.status = ExecStatus::Failed;
    let message = e.message.as_deref().map(strip_ansi).unwrap_or_default();
    r.message = message
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .map(|l| cap(l, ctx.limit));
    let stack = e.stack.as_deref().map(strip_ansi).unwrap_or_default();
    r.failure_text = non_empty(Some(&format!("{message}\n{stack}"))).map(|t| cap(&t, ctx.limit));
    r
}
