//! Cucumber JSON (`--format json`: cucumber-js, cucumber-jvm, cucumber-ruby): an array of
//! features, each with `elements` (scenarios and backgrounds) made of `steps`, plus `before` and
//! `after` hooks (cucumber-jvm) or hidden `Before`/`After` steps (cucumber-js).
//!
//! Rules:
//! - each scenario is a result; a scenario outline is written by the tools as one scenario per
//!   example row, so each row is a result (rows keep the outline's name: one test case, with the
//!   worst status of its rows, like the parametrised cases of other formats).
//! - status: a failed (or ambiguous) step or hook fails the scenario; otherwise a step that is
//!   pending, undefined, skipped or unknown means the scenario was not run (as is a scenario
//!   without steps); otherwise it passed. A background (cucumber-jvm writes it as its own
//!   element before each scenario) counts with the scenario that follows it.
//! - message: the first line of the first error message; failure text: the failed step (keyword
//!   and text) and its error message.
//! - durations are in nanoseconds (the sum of steps and hooks).
//! - `suite_path` is the feature name (or its `uri`); feature and scenario tags (without `@`)
//!   are tags, so `@PC-001` or `@REQ:PC-001` link to requirements and `@TC:CT-001` to a test
//!   case, as Robot tags do; `uri` and the scenario `line` are properties.
//!
//! Streaming: the top-level array is read one feature at a time (serde), each feature's results
//! handed over before the next is read.

use std::io::BufReader;
use std::path::Path;

use serde::de::{self, DeserializeSeed, SeqAccess, Visitor};
use serde::Deserialize;

use super::common::{add_tag, cap, new_result};
use super::ctrf::json_error;
use super::source::open_utf8;
use super::ReadOptions;
use crate::error::{Error, Result};
use crate::import::records::{AutomatedResult, Origin};
use crate::model::ExecStatus;

type Sink<'a> = dyn FnMut(AutomatedResult) -> Result<()> + 'a;

#[derive(Deserialize)]
struct Feature {
    #[serde(default)]
    name: String,
    #[serde(default)]
    uri: Option<String>,
    #[serde(default)]
    tags: Vec<Tag>,
    #[serde(default)]
    elements: Vec<Element>,
}

#[derive(Deserialize)]
struct Tag {
    name: String,
}

#[derive(Deserialize)]
struct Element {
    #[serde(default)]
    name: String,
    #[serde(rename = "type", default)]
    kind: Option<String>,
    #[serde(default)]
    keyword: Option<String>,
    #[serde(default)]
    line: Option<u64>,
    #[serde(default)]
    tags: Vec<Tag>,
    #[serde(default)]
    before: Vec<Hook>,
    #[serde(default)]
    steps: Vec<Step>,
    #[serde(default)]
    after: Vec<Hook>,
    #[serde(default)]
    start_timestamp: Option<String>,
}

#[derive(Deserialize)]
struct Step {
    #[serde(default)]
    keyword: Option<String>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    hidden: Option<bool>,
    #[serde(default)]
    result: Option<StepResult>,
    #[serde(default)]
    before: Vec<Hook>,
    #[serde(default)]
    after: Vec<Hook>,
}

#[derive(Deserialize)]
struct Hook {
    #[serde(default)]
    result: Option<StepResult>,
}

#[derive(Deserialize)]
struct StepResult {
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    duration: Option<f64>,
    #[serde(default)]
    error_message: Option<String>,
}

/// What the steps and hooks of a scenario (and its background) add up to.
#[derive(Default)]
struct Outcome {
    failed: bool,
    not_run: bool,
    steps: usize,
    duration_ns: f64,
    any_duration: bool,
    failure: Option<(String, Option<String>)>,
}

impl Outcome {
    /// Adds one step (`hook: false`) or hook.
    fn add(&mut self, what: String, result: Option<&StepResult>, hook: bool) {
        let status = result
            .and_then(|r| r.status.as_deref())
            .unwrap_or("undefined")
            .to_ascii_lowercase();
        if let Some(d) = result.and_then(|r| r.duration) {
            if d.is_finite() && d >= 0.0 {
                self.duration_ns += d;
                self.any_duration = true;
            }
        }
        if !hook {
            self.steps += 1;
        }
        match status.as_str() {
            "failed" | "ambiguous" => {
                self.failed = true;
                if self.failure.is_none() {
                    let msg = result.and_then(|r| r.error_message.clone());
                    self.failure = Some((what, msg));
                }
            }
            "passed" => {}
            // A hook skipped after a failure, or a pending one, says nothing of the steps.
            _ if hook => {}
            _ => self.not_run = true,
        }
    }

    fn add_hooks(&mut self, label: &str, hooks: &[Hook]) {
        for h in hooks {
            self.add(label.to_string(), h.result.as_ref(), true);
        }
    }

    fn add_element(&mut self, e: &Element) {
        self.add_hooks("Before", &e.before);
        for s in &e.steps {
            let keyword = s.keyword.as_deref().unwrap_or_default();
            let hook = s.hidden == Some(true)
                || (s.name.is_none() && matches!(keyword.trim(), "Before" | "After"));
            let what = format!("{keyword}{}", s.name.as_deref().unwrap_or_default());
            self.add_hooks("Before", &s.before);
            self.add(what.trim().to_string(), s.result.as_ref(), hook);
            self.add_hooks("After", &s.after);
        }
        self.add_hooks("After", &e.after);
    }
}

struct Ctx<'s, 'k> {
    file: String,
    limit: usize,
    sink: &'s mut Sink<'k>,
    sink_err: Option<Error>,
    feature: u64,
}

/// Reads a Cucumber JSON file.
pub(super) fn read(path: &Path, opts: &ReadOptions, sink: &mut Sink) -> Result<()> {
    let file = super::display_name(path);
    let reader = BufReader::with_capacity(64 * 1024, open_utf8(path)?);
    let mut de = serde_json::Deserializer::from_reader(reader);
    let mut ctx = Ctx {
        file: file.clone(),
        limit: opts.max_output_bytes,
        sink,
        sink_err: None,
        feature: 0,
    };
    let outcome = Features(&mut ctx)
        .deserialize(&mut de)
        .and_then(|_| de.end());
    if let Some(e) = ctx.sink_err.take() {
        return Err(e);
    }
    outcome.map_err(|e| json_error(&file, &e, "Cucumber JSON"))
}

struct Features<'c, 's, 'k>(&'c mut Ctx<'s, 'k>);

impl<'de> DeserializeSeed<'de> for Features<'_, '_, '_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Features<'_, '_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an array of Cucumber features")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(feature) = seq.next_element::<Feature>()? {
            for r in convert(self.0, feature) {
                if let Err(e) = (self.0.sink)(r) {
                    self.0.sink_err = Some(e);
                    return Err(de::Error::custom("import interrompu / import stopped"));
                }
            }
            self.0.feature += 1;
        }
        Ok(())
    }
}

fn convert(ctx: &Ctx, feature: Feature) -> Vec<AutomatedResult> {
    let mut out = Vec::new();
    let suite = if feature.name.trim().is_empty() {
        feature.uri.clone().unwrap_or_default()
    } else {
        feature.name.trim().to_string()
    };
    let mut background: Option<Outcome> = None;
    for (i, e) in feature.elements.iter().enumerate() {
        let kind = e.kind.as_deref().unwrap_or_default();
        let keyword = e.keyword.as_deref().unwrap_or_default().trim();
        if kind == "background" || keyword.eq_ignore_ascii_case("background") {
            let mut b = Outcome::default();
            b.add_element(e);
            background = Some(b);
            continue;
        }
        let mut o = background.take().unwrap_or_default();
        let background_steps = o.steps;
        o.add_element(e);
        let origin = Origin::file(&ctx.file).with_sheet(format!("[{}].elements[{i}]", ctx.feature));
        let name = if e.name.trim().is_empty() {
            format!("{keyword} {}", e.line.unwrap_or_default())
        } else {
            e.name.trim().to_string()
        };
        let mut r = new_result(origin, "cucumber", name);
        r.suite_path = vec![suite.clone()];
        r.status = if o.failed {
            ExecStatus::Failed
        } else if o.not_run || o.steps == background_steps {
            ExecStatus::NotRun
        } else {
            ExecStatus::Passed
        };
        r.duration_ms = o.any_duration.then_some(o.duration_ns / 1_000_000.0);
        r.start_time = e.start_timestamp.clone();
        if let Some((what, msg)) = o.failure {
            let msg = msg.unwrap_or_default();
            r.message = msg
                .lines()
                .map(str::trim)
                .find(|l| !l.is_empty())
                .map(|l| cap(l, ctx.limit))
                .or_else(|| Some(cap(&what, ctx.limit)));
            r.failure_text = Some(cap(format!("{what}\n{msg}").trim(), ctx.limit));
        }
        for t in feature.tags.iter().chain(&e.tags) {
            add_tag(&mut r, t.name.trim_start_matches('@'));
        }
        if let Some(uri) = &feature.uri {
            r.properties.push(("uri".into(), uri.clone()));
        }
        if let Some(line) = e.line {
            r.properties.push(("line".into(), line.to_string()));
        }
        out.push(r);
    }
    out
}
