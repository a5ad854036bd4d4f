//! Helpers shared by the result parsers: durations, timestamps, and the result builder.

use crate::import::records::{AutomatedResult, Origin};
use crate::model::ExecStatus;

/// Parses a duration in seconds as written by test tools, in milliseconds.
///
/// Accepts `0.160`, `0,160` (decimal comma), `1,234.5` (thousands comma), `80.803us`,
/// `12ms`, `1.5s`, `2m`, `1h`, with spaces around. A comma without a dot is read as a decimal
/// comma. Returns `None` for anything else (the duration is optional: an unreadable one is
/// dropped, not an error).
pub fn parse_duration_ms(text: &str) -> Option<f64> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    let (number, factor) = split_unit(t)?;
    let number = number.trim();
    let normalized = if number.contains('.') {
        number.replace(',', "")
    } else {
        number.replace(',', ".")
    };
    let value: f64 = normalized.replace(['\u{a0}', ' ', '_'], "").parse().ok()?;
    if !value.is_finite() || value < 0.0 {
        return None;
    }
    Some(value * factor)
}

/// Splits a unit suffix; the factor converts to milliseconds (default unit: seconds).
fn split_unit(t: &str) -> Option<(&str, f64)> {
    for (suffix, factor) in [
        ("ns", 1e-6),
        ("us", 1e-3),
        ("µs", 1e-3),
        ("μs", 1e-3),
        ("ms", 1.0),
        ("s", 1000.0),
        ("m", 60_000.0),
        ("h", 3_600_000.0),
    ] {
        if let Some(n) = t.strip_suffix(suffix) {
            return Some((n, factor));
        }
    }
    if t.ends_with(|c: char| c.is_ascii_digit() || c == '.') {
        Some((t, 1000.0))
    } else {
        None
    }
}

/// Parses a `hh:mm:ss.fffffff` duration (TRX), in milliseconds.
pub fn parse_hms_ms(text: &str) -> Option<f64> {
    let mut parts = text.trim().split(':');
    let h: f64 = parts.next()?.parse().ok()?;
    let m: f64 = parts.next()?.parse().ok()?;
    let s: f64 = parts.next()?.parse().ok()?;
    if parts.next().is_some() {
        return None;
    }
    Some(((h * 60.0 + m) * 60.0 + s) * 1000.0)
}

/// Converts Robot Framework's old timestamp `20240101 12:00:00.000` to ISO 8601
/// (`2024-01-01T12:00:00.000`); other text is returned as is.
pub fn robot_time_iso(text: &str) -> String {
    match chrono::NaiveDateTime::parse_from_str(text.trim(), "%Y%m%d %H:%M:%S%.f") {
        Ok(t) => t.format("%Y-%m-%dT%H:%M:%S%.3f").to_string(),
        Err(_) => text.trim().to_string(),
    }
}

/// Milliseconds between two Robot Framework old timestamps.
pub fn robot_elapsed_ms(start: &str, end: &str) -> Option<f64> {
    let f = "%Y%m%d %H:%M:%S%.f";
    let s = chrono::NaiveDateTime::parse_from_str(start.trim(), f).ok()?;
    let e = chrono::NaiveDateTime::parse_from_str(end.trim(), f).ok()?;
    Some((e - s).num_milliseconds() as f64)
}

/// `Some(s)` when `s` is not blank.
pub fn non_empty(s: Option<&str>) -> Option<String> {
    s.map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// Cuts a text at `limit` bytes (on a character boundary) with the cut marker.
pub fn cap(text: &str, limit: usize) -> String {
    let mut c = Capped::new(limit);
    c.push(text);
    c.finish().unwrap_or_default()
}

/// Starts a result: everything empty, status passed.
pub fn new_result(origin: Origin, format: &str, name: String) -> AutomatedResult {
    AutomatedResult {
        origin,
        format: format.to_string(),
        suite_path: Vec::new(),
        classname: None,
        name,
        status: ExecStatus::Passed,
        duration_ms: None,
        message: None,
        failure_text: None,
        start_time: None,
        properties: Vec::new(),
        tags: Vec::new(),
        retries: 0,
        flaky: false,
        stdout: None,
    }
}

/// Adds a tag (also recorded as a property with an empty name), once.
pub fn add_tag(r: &mut AutomatedResult, tag: &str) {
    let tag = tag.trim();
    if tag.is_empty() || r.tags.iter().any(|t| t == tag) {
        return;
    }
    r.tags.push(tag.to_string());
    r.properties.push((String::new(), tag.to_string()));
}

/// Adds a category (property `Category` and tag).
pub fn add_category(r: &mut AutomatedResult, category: &str) {
    let category = category.trim();
    if category.is_empty() {
        return;
    }
    r.properties
        .push(("Category".to_string(), category.to_string()));
    if !r.tags.iter().any(|t| t == category) {
        r.tags.push(category.to_string());
    }
}

/// Joins standard output and standard error into the `stdout` field.
pub fn join_output(out: Option<String>, err: Option<String>, limit: usize) -> Option<String> {
    match (out, err) {
        (None, None) => None,
        (Some(o), None) => Some(o),
        (None, Some(e)) => Some(e),
        (Some(o), Some(e)) => Some(cap(&format!("{o}\n--- stderr ---\n{e}"), limit)),
    }
}

/// A text accumulator that keeps at most `limit` bytes and marks the cut.
#[derive(Debug, Default)]
pub(crate) struct Capped {
    text: String,
    limit: usize,
    cut: bool,
    any: bool,
}

/// Appended to a text cut at the limit.
pub const CUT_MARKER: &str = "\n[… texte tronqué par recette / text cut by recette …]";

impl Capped {
    pub(crate) fn new(limit: usize) -> Self {
        Capped {
            text: String::new(),
            limit,
            cut: false,
            any: false,
        }
    }

    /// Appends a chunk, cutting on a character boundary at the limit.
    pub(crate) fn push(&mut self, s: &str) {
        self.any = true;
        if self.cut {
            return;
        }
        let room = self.limit.saturating_sub(self.text.len());
        if s.len() <= room {
            self.text.push_str(s);
        } else {
            let mut end = room;
            while end > 0 && !s.is_char_boundary(end) {
                end -= 1;
            }
            self.text.push_str(&s[..end]);
            self.cut = true;
        }
    }

    /// The text, trimmed; `None` when empty.
    pub(crate) fn finish(self) -> Option<String> {
        let mut t = self.text.trim().to_string();
        if self.cut {
            t.push_str(CUT_MARKER);
        }
        if t.is_empty() {
            None
        } else {
            Some(t)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration_ms("0.160"), Some(160.0));
        assert_eq!(parse_duration_ms("0,160"), Some(160.0));
        assert_eq!(parse_duration_ms("1,234.5"), Some(1_234_500.0));
        assert_eq!(parse_duration_ms("80.803us"), Some(0.080803));
        assert_eq!(parse_duration_ms("12ms"), Some(12.0));
        assert_eq!(parse_duration_ms(" 2 "), Some(2000.0));
        assert_eq!(parse_duration_ms("abc"), None);
        assert_eq!(parse_duration_ms("-1"), None);
        assert_eq!(parse_duration_ms("NaN"), None);
        assert_eq!(parse_hms_ms("00:00:01.5000000"), Some(1500.0));
    }

    #[test]
    fn robot_times() {
        assert_eq!(
            robot_time_iso("20261122 19:14:34.896"),
            "2026-11-22T19:14:34.896"
        );
        assert_eq!(
            robot_elapsed_ms("20261122 19:14:34.896", "20261122 19:14:34.903"),
            Some(7.0)
        );
    }

    #[test]
    fn capping() {
        let c = cap("ééééé", 5);
        assert!(c.starts_with("éé"));
        assert!(c.ends_with(CUT_MARKER));
    }
}
