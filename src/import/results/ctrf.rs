//! CTRF JSON (Common Test Report Format, <https://ctrf.io>): `results.tests[]`.
//!
//! Streamed with serde: the root object and `results` are visited key by key, and `tests` one
//! element at a time, each handed to the sink before the next is read; other keys are skipped
//! without being kept. Status: passed → passed, failed → failed, skipped, pending and other →
//! not run. `suite` ("a > b" or an array) gives `suite_path`; `tags` are tags; `retries` and
//! `flaky` are kept; string (or string array) values of `extra` become properties, so that a
//! reporter can carry `requirement` ids there. The origin of a result is its index
//! (`results.tests[3]`), as serde_json does not expose the line of a value.

use std::io::BufReader;
use std::path::Path;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

use super::common::{add_tag, cap, join_output, new_result};
use super::source::open_utf8;
use super::ReadOptions;
use crate::error::{Error, Result};
use crate::import::records::{AutomatedResult, Origin};
use crate::model::ExecStatus;

type Sink<'a> = dyn FnMut(AutomatedResult) -> Result<()> + 'a;

#[derive(Deserialize)]
#[serde(untagged)]
enum Suite {
    One(String),
    Many(Vec<String>),
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Extra {
    Text(String),
    Texts(Vec<String>),
    Other(IgnoredAny),
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Test {
    name: String,
    status: String,
    duration: Option<f64>,
    start: Option<f64>,
    suite: Option<Suite>,
    message: Option<String>,
    trace: Option<String>,
    #[serde(default)]
    tags: Vec<String>,
    retries: Option<u32>,
    flaky: Option<bool>,
    #[serde(default)]
    stdout: Vec<String>,
    #[serde(default)]
    stderr: Vec<String>,
    #[serde(default)]
    extra: Option<std::collections::BTreeMap<String, Extra>>,
}

struct Ctx<'s, 'k> {
    file: String,
    limit: usize,
    sink: &'s mut Sink<'k>,
    sink_err: Option<Error>,
    index: u64,
    found: bool,
}

/// Reads a CTRF file.
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
    if let Err(e) = outcome {
        return Err(json_error(&file, &e, "CTRF"));
    }
    if !ctx.found {
        return Err(Error::input(
            format!("{file} : pas de tableau « results.tests » : ce n'est pas un rapport CTRF"),
            format!("{file}: no \"results.tests\" array: not a CTRF report"),
        ));
    }
    Ok(())
}

/// The error for a JSON report that serde_json could not read, with line and column.
pub(super) fn json_error(file: &str, e: &serde_json::Error, format: &str) -> Error {
    {
        let (line, col) = (e.line(), e.column());
        let (fr, en) = match e.classify() {
            serde_json::error::Category::Eof => (
                "fichier JSON tronqué".to_string(),
                "truncated JSON file".to_string(),
            ),
            serde_json::error::Category::Data => (
                format!("JSON qui ne suit pas le format {format} ({e})"),
                format!("JSON that does not follow the {format} format ({e})"),
            ),
            _ => (
                format!("JSON invalide ({e})"),
                format!("invalid JSON ({e})"),
            ),
        };
        Error::input(
            format!("{file} › ligne {line}, colonne {col} : {fr}"),
            format!("{file} › line {line}, column {col}: {en}"),
        )
    }
}

struct Root<'c, 's, 'k>(&'c mut Ctx<'s, 'k>);
struct Results<'c, 's, 'k>(&'c mut Ctx<'s, 'k>);
struct Tests<'c, 's, 'k>(&'c mut Ctx<'s, 'k>);

impl<'de> DeserializeSeed<'de> for Root<'_, '_, '_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Root<'_, '_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a CTRF object with a \"results\" key")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            if key == "results" {
                map.next_value_seed(Results(&mut *self.0))?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

impl<'de> DeserializeSeed<'de> for Results<'_, '_, '_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Results<'_, '_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a \"results\" object with a \"tests\" array")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            if key == "tests" {
                self.0.found = true;
                map.next_value_seed(Tests(&mut *self.0))?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

impl<'de> DeserializeSeed<'de> for Tests<'_, '_, '_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Tests<'_, '_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a \"tests\" array")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(t) = seq.next_element::<Test>()? {
            let r = convert(self.0, t).map_err(de::Error::custom)?;
            self.0.index += 1;
            if let Err(e) = (self.0.sink)(r) {
                self.0.sink_err = Some(e);
                return Err(de::Error::custom("import interrompu / import stopped"));
            }
        }
        Ok(())
    }
}

fn convert(ctx: &Ctx, t: Test) -> std::result::Result<AutomatedResult, String> {
    let origin = Origin::file(&ctx.file).with_sheet(format!("results.tests[{}]", ctx.index));
    let mut r = new_result(origin, "ctrf", t.name);
    r.status = match t.status.as_str() {
        "passed" => ExecStatus::Passed,
        "failed" => ExecStatus::Failed,
        "skipped" | "pending" | "other" => ExecStatus::NotRun,
        other => {
            return Err(format!(
                "statut CTRF inconnu « {other} » (attendu passed, failed, skipped, pending ou \
                 other) / unknown CTRF status"
            ))
        }
    };
    r.duration_ms = t.duration.filter(|d| d.is_finite() && *d >= 0.0);
    r.start_time = t
        .start
        .filter(|s| *s > 0.0)
        .and_then(|s| chrono::DateTime::from_timestamp_millis(s as i64))
        .map(|d| d.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string());
    r.suite_path = match t.suite {
        Some(Suite::One(s)) => s.split(" > ").map(str::to_string).collect(),
        Some(Suite::Many(v)) => v,
        None => Vec::new(),
    };
    r.message = t
        .message
        .map(|m| cap(&m, ctx.limit))
        .filter(|m| !m.is_empty());
    r.failure_text = t
        .trace
        .map(|m| cap(&m, ctx.limit))
        .filter(|m| !m.is_empty());
    for tag in &t.tags {
        add_tag(&mut r, tag);
    }
    r.retries = t.retries.unwrap_or(0);
    r.flaky = t.flaky.unwrap_or(false);
    let out = (!t.stdout.is_empty()).then(|| cap(&t.stdout.join("\n"), ctx.limit));
    let err = (!t.stderr.is_empty()).then(|| cap(&t.stderr.join("\n"), ctx.limit));
    r.stdout = join_output(out, err, ctx.limit);
    for (k, v) in t.extra.unwrap_or_default() {
        match v {
            Extra::Text(s) => r.properties.push((k, s)),
            Extra::Texts(list) => r
                .properties
                .extend(list.into_iter().map(|s| (k.clone(), s))),
            Extra::Other(_) => {}
        }
    }
    Ok(r)
}
