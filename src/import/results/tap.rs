//! TAP, the Test Anything Protocol, versions 12 to 14 (`node --test --test-reporter=tap`, tape,
//! node-tap, prove, pytest-tap, bats...).
//!
//! Rules:
//! - each test point (`ok`/`not ok`, optional number, optional ` - `, description) is a
//!   result; the description up to an unescaped `#` is the name (`test N` when empty).
//! - `# SKIP reason` → not run; `# TODO reason` is not a failure: `not ok # TODO` → not run
//!   (not delivered yet), `ok # TODO` → passed; otherwise `ok` → passed, `not ok` → failed.
//! - subtests (TAP 14, indented by four spaces, their block before the parent's test point):
//!   the subtests are the results, with the parent's name in their `suite_path`; the parent
//!   test point only sums them up, and is a result of its own only when it failed while none
//!   of its subtests did (a failure in the parent's own code).
//! - the YAML diagnostic block (`---` ... `...`) after a test point: kept, de-indented, as the
//!   failure text of a failed point; its `message` (or `error`, node's key) is the message,
//!   literal (`|`) and folded (`>`) scalars included; `duration_ms` the duration.
//! - `Bail out! reason` stops the run: one more failed result `Bail out!` with the reason, and
//!   nothing after it is read. A top-level plan `1..N` with fewer test points than planned (and
//!   no bail out) adds a failed result `plan 1..N` (a run that died silently).
//! - other lines (`TAP version`, comments, pragmas, anything unknown) are ignored, as the
//!   protocol says.
//!
//! Streaming: line by line (each line bounded by `max_event_bytes`); only the subtests of the
//! top-level test point being read are held until that point's line arrives.

use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use super::common::{cap, new_result, non_empty, parse_duration_ms};
use super::source::open_utf8;
use super::ReadOptions;
use crate::error::{Error, Result};
use crate::import::records::{AutomatedResult, Origin};
use crate::model::ExecStatus;

type Sink<'a> = dyn FnMut(AutomatedResult) -> Result<()> + 'a;

/// Results of one indentation level, waiting for the test point that owns them.
struct Block {
    indent: usize,
    results: Vec<AutomatedResult>,
    failed: bool,
}

/// The test point whose YAML block may follow.
struct Last {
    indent: usize,
    /// Where its result is: (block index, result index), if it is a result.
    at: Option<(usize, usize)>,
}

/// Reads a TAP file.
pub(super) fn read(path: &Path, opts: &ReadOptions, sink: &mut Sink) -> Result<()> {
    let file = super::display_name(path);
    let mut reader = BufReader::with_capacity(64 * 1024, open_utf8(path)?);
    let limit = opts.max_output_bytes;
    let mut blocks = vec![Block {
        indent: 0,
        results: Vec::new(),
        failed: false,
    }];
    let mut last: Option<Last> = None;
    let mut yaml: Option<(usize, Vec<String>, u64)> = None;
    let mut plan: Option<u64> = None;
    let mut root_points = 0u64;
    let mut line_no = 0u64;
    let mut seen_tap = false;
    let mut buf = Vec::new();
    loop {
        buf.clear();
        let n = (&mut reader)
            .take(opts.max_event_bytes as u64 + 1)
            .read_until(b'\n', &mut buf)
            .map_err(|e| Error::io(path, e))?;
        if n == 0 {
            break;
        }
        line_no += 1;
        if n > opts.max_event_bytes {
            return Err(err(
                &file,
                line_no,
                &format!(
                    "ligne de plus de {} octets : refusée (limite de lecture)",
                    opts.max_event_bytes
                ),
                &format!(
                    "line longer than {} bytes: refused (read limit)",
                    opts.max_event_bytes
                ),
            ));
        }
        let Ok(text) = std::str::from_utf8(&buf) else {
            return Err(err(
                &file,
                line_no,
                "octets qui ne sont pas de l'UTF-8 valide",
                "bytes that are not valid UTF-8",
            ));
        };
        let text = text.trim_end_matches(['\n', '\r']);
        let indent = text.len() - text.trim_start_matches([' ', '\t']).len();
        let body = &text[indent..];
        // Inside a YAML block: up to its `...`.
        if let Some((yi, lines, _)) = yaml.as_mut() {
            if body == "..." && indent <= *yi + 2 {
                let (yi, lines) = (*yi, std::mem::take(lines));
                yaml = None;
                if let Some(Last {
                    at: Some((b, i)), ..
                }) = last.take()
                {
                    if let Some(r) = blocks.get_mut(b).and_then(|bl| bl.results.get_mut(i)) {
                        apply_yaml(r, &lines, yi, limit);
                    }
                }
                flush_root(&mut blocks, sink)?;
                continue;
            }
            lines.push(text.to_string());
            continue;
        }
        if let Some(reason) = body.strip_prefix("Bail out!") {
            let mut r = new_result(
                Origin::file(&file).with_row(line_no),
                "tap",
                "Bail out!".into(),
            );
            r.status = ExecStatus::Failed;
            r.message = non_empty(Some(reason)).or_else(|| Some("Bail out!".into()));
            if let Some(b) = close_to(&mut blocks, 0) {
                for k in b.results {
                    let failed = k.status == ExecStatus::Failed;
                    push_result(&mut blocks, 0, k, failed);
                }
            }
            push_result(&mut blocks, 0, r, true);
            flush_all(&mut blocks, sink)?;
            return Ok(());
        }
        if body.starts_with("---") && last.as_ref().is_some_and(|l| indent > l.indent) {
            yaml = Some((indent, Vec::new(), line_no));
            continue;
        }
        let Some(point) = parse_point(body) else {
            if blocks.len() == 1 && indent == 0 {
                if let Some(n) = parse_plan(body) {
                    plan = Some(n);
                    seen_tap = true;
                }
            }
            seen_tap |= body.to_ascii_lowercase().starts_with("tap version");
            last = None;
            flush_root(&mut blocks, sink)?;
            continue;
        };
        seen_tap = true;
        // Subtest blocks deeper than this point are its subtests.
        let children = close_to(&mut blocks, indent);
        if blocks.last().is_none_or(|b| b.indent < indent) {
            blocks.push(Block {
                indent,
                results: Vec::new(),
                failed: false,
            });
        }
        if blocks.len() == 1 {
            root_points += 1;
        }
        let number = point.number;
        let name = if point.name.is_empty() {
            format!("test {}", number.unwrap_or(root_points))
        } else {
            point.name.clone()
        };
        let mut r = new_result(Origin::file(&file).with_row(line_no), "tap", name.clone());
        r.status = point.status;
        r.message = point.reason.clone();
        let depth = blocks.len() - 1;
        let at = match children {
            Some(kids) => {
                for mut k in kids.results {
                    k.suite_path.insert(0, name.clone());
                    let failed = k.status == ExecStatus::Failed;
                    push_result(&mut blocks, depth, k, failed);
                }
                if r.status == ExecStatus::Failed && !kids.failed {
                    Some(push_result(&mut blocks, depth, r, true))
                } else {
                    if r.status == ExecStatus::Failed {
                        if let Some(b) = blocks.get_mut(depth) {
                            b.failed = true;
                        }
                    }
                    None
                }
            }
            None => {
                let failed = r.status == ExecStatus::Failed;
                Some(push_result(&mut blocks, depth, r, failed))
            }
        };
        last = Some(Last {
            indent,
            at: at.map(|i| (depth, i)),
        });
    }
    if !seen_tap {
        return Err(err(
            &file,
            1,
            "aucune ligne TAP (ni « TAP version », ni plan « 1..N », ni « ok » / « not ok ») : \
             ce n'est pas un flux TAP",
            "no TAP line (no \"TAP version\", no \"1..N\" plan, no \"ok\" / \"not ok\"): not \
             a TAP stream",
        ));
    }
    if let Some((_, _, start)) = yaml {
        return Err(err(
            &file,
            start,
            "bloc YAML non fermé (« ... » manquant) : fichier tronqué ?",
            "YAML block not closed (\"...\" missing): truncated file?",
        ));
    }
    close_to(&mut blocks, 0).into_iter().for_each(|b| {
        // Subtests without a parent line (a truncated run): kept at the top level.
        for r in b.results {
            let failed = r.status == ExecStatus::Failed;
            push_result(&mut blocks, 0, r, failed);
        }
    });
    if let Some(n) = plan {
        if root_points < n {
            let mut r = new_result(
                Origin::file(&file).with_row(line_no),
                "tap",
                format!("plan 1..{n}"),
            );
            r.status = ExecStatus::Failed;
            r.message = Some(format!(
                "{n} tests prévus, {root_points} rapportés / {n} planned, {root_points} reported"
            ));
            push_result(&mut blocks, 0, r, true);
        }
    }
    flush_all(&mut blocks, sink)
}

fn err(file: &str, line: u64, fr: &str, en: &str) -> Error {
    Error::input(
        format!("{file} › ligne {line} : {fr}"),
        format!("{file} › line {line}: {en}"),
    )
}

/// Pops the blocks deeper than `indent`, merging all of them into one (the deepest ones
/// belong to points that never closed them; normally there is exactly one).
fn close_to(blocks: &mut Vec<Block>, indent: usize) -> Option<Block> {
    let mut merged: Option<Block> = None;
    while blocks.last().is_some_and(|b| b.indent > indent) {
        let Some(mut b) = blocks.pop() else { break };
        if let Some(inner) = merged.take() {
            b.failed |= inner.failed;
            b.results.extend(inner.results);
        }
        merged = Some(b);
    }
    merged
}

fn push_result(blocks: &mut Vec<Block>, depth: usize, r: AutomatedResult, failed: bool) -> usize {
    if blocks.is_empty() {
        blocks.push(Block {
            indent: 0,
            results: Vec::new(),
            failed: false,
        });
    }
    let d = depth.min(blocks.len() - 1);
    let b = &mut blocks[d];
    b.failed |= failed;
    b.results.push(r);
    b.results.len() - 1
}

/// Hands over the top-level results (final once no YAML block can follow them).
fn flush_root(blocks: &mut [Block], sink: &mut Sink) -> Result<()> {
    if blocks.len() == 1 {
        for r in blocks[0].results.drain(..) {
            sink(r)?;
        }
    }
    Ok(())
}

fn flush_all(blocks: &mut Vec<Block>, sink: &mut Sink) -> Result<()> {
    for b in blocks.drain(..) {
        for r in b.results {
            sink(r)?;
        }
    }
    Ok(())
}

struct Point {
    number: Option<u64>,
    name: String,
    status: ExecStatus,
    reason: Option<String>,
}

/// `ok 1 - name # SKIP reason` → a point; anything else → `None`.
fn parse_point(line: &str) -> Option<Point> {
    let (ok, rest) = if let Some(r) = line.strip_prefix("not ok") {
        (false, r)
    } else if let Some(r) = line.strip_prefix("ok") {
        (true, r)
    } else {
        return None;
    };
    if !(rest.is_empty() || rest.starts_with([' ', '\t', '#'])) {
        return None;
    }
    let rest = rest.trim_start();
    let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let number = rest[..digits].parse().ok();
    let rest = rest[digits..].trim_start();
    let rest = rest
        .strip_prefix("- ")
        .unwrap_or(if rest == "-" { "" } else { rest });
    // Description up to the first unescaped '#'.
    let mut name = String::new();
    let mut directive = None;
    let mut chars = rest.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => {
                if let Some((_, n)) = chars.next() {
                    if n != '#' && n != '\\' {
                        name.push('\\');
                    }
                    name.push(n);
                }
            }
            '#' => {
                directive = Some(rest[i + 1..].trim());
                break;
            }
            _ => name.push(c),
        }
    }
    let name = name.trim().to_string();
    let (kind, reason) = match directive {
        Some(d) => {
            let word: String = d.chars().take_while(|c| c.is_ascii_alphabetic()).collect();
            let reason = non_empty(Some(&d[word.len()..]));
            (word.to_ascii_uppercase(), reason)
        }
        None => (String::new(), None),
    };
    let status = if kind.starts_with("SKIP") {
        ExecStatus::NotRun
    } else if kind == "TODO" {
        if ok {
            ExecStatus::Passed
        } else {
            ExecStatus::NotRun
        }
    } else if ok {
        ExecStatus::Passed
    } else {
        ExecStatus::Failed
    };
    let reason = match kind.as_str() {
        "TODO" => Some(reason.map_or("TODO".to_string(), |r| format!("TODO {r}"))),
        k if k.starts_with("SKIP") => reason.or_else(|| Some("SKIP".into())),
        _ => None,
    };
    Some(Point {
        number,
        name,
        status,
        reason,
    })
}

/// `1..N` (with an optional `# reason`).
fn parse_plan(line: &str) -> Option<u64> {
    let rest = line.strip_prefix("1..")?;
    let digits: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
    digits.parse().ok()
}

/// Applies a YAML diagnostic block to its result: message, duration, failure text.
fn apply_yaml(r: &mut AutomatedResult, lines: &[String], indent: usize, limit: usize) {
    let dedent: Vec<&str> = lines
        .iter()
        .map(|l| {
            let cut = l.len() - l.trim_start_matches([' ', '\t']).len();
            &l[cut.min(indent)..]
        })
        .collect();
    let message = yaml_value(&dedent, "message").or_else(|| yaml_value(&dedent, "error"));
    if let Some(d) = yaml_value(&dedent, "duration_ms").and_then(|d| parse_duration_ms(&d)) {
        r.duration_ms = Some(d / 1000.0);
    }
    if r.status == ExecStatus::Failed {
        if r.message.is_none() {
            r.message = message
                .as_deref()
                .and_then(|m| m.lines().map(str::trim).find(|l| !l.is_empty()))
                .map(|m| cap(m, limit));
        }
        r.failure_text = non_empty(Some(&dedent.join("\n"))).map(|t| cap(&t, limit));
    }
}

/// The value of a top-level key of a small YAML mapping: plain, quoted, literal (`|`) or
/// folded (`>`) scalar. Nested mappings are not values (`None`).
fn yaml_value(lines: &[&str], key: &str) -> Option<String> {
    let prefix = format!("{key}:");
    let at = lines.iter().position(|l| l.starts_with(&prefix))?;
    let value = lines[at][prefix.len()..].trim();
    if let Some(style) = value.chars().next().filter(|c| *c == '|' || *c == '>') {
        let body: Vec<&str> = lines[at + 1..]
            .iter()
            .take_while(|l| l.trim().is_empty() || l.starts_with([' ', '\t']))
            .copied()
            .collect();
        let cut = body
            .iter()
            .filter(|l| !l.trim().is_empty())
            .map(|l| l.len() - l.trim_start().len())
            .min()
            .unwrap_or(0);
        let rows: Vec<&str> = body.iter().map(|l| l.get(cut..).unwrap_or("")).collect();
        let text = if style == '|' {
            rows.join("\n")
        } else {
            let mut out = String::new();
            for row in rows {
                if row.is_empty() {
                    out.push('\n');
                } else {
                    if !out.is_empty() && !out.ends_with('\n') {
                        out.push(' ');
                    }
                    out.push_str(row);
                }
            }
            out
        };
        return non_empty(Some(&text));
    }
    if let Some(q) = value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')) {
        return non_empty(Some(&q.replace("''", "'")));
    }
    if let Some(q) = value.strip_prefix('"').and_then(|v| v.strip_suffix('"')) {
        return non_empty(Some(
            &q.replace("\\n", "\n")
                .replace("\\\"", "\"")
                .replace("\\\\", "\\"),
        ));
    }
    non_empty(Some(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_and_directives() {
        let p = parse_point("ok 3 - PC-003 examen \\# 2 # SKIP centre fermé").unwrap();
        assert_eq!(
            (p.number, p.name.as_str(), p.status),
            (Some(3), "PC-003 examen # 2", ExecStatus::NotRun)
        );
        assert_eq!(p.reason.as_deref(), Some("centre fermé"));
        let t = parse_point("not ok 4 duplicata # TODO pas livré").unwrap();
        assert_eq!(t.status, ExecStatus::NotRun);
        assert_eq!(
            parse_point("ok").map(|p| p.status),
            Some(ExecStatus::Passed)
        );
        assert!(parse_point("okay 1").is_none());
        assert_eq!(parse_plan("1..12 # tous"), Some(12));
    }

    #[test]
    fn yaml_scalars() {
        let lines = [
            "message: >",
            "  a",
            "  b",
            "",
            "  c",
            "error: |-",
            "  x",
            "  y",
            "q: 'it''s'",
        ];
        assert_eq!(yaml_value(&lines, "message").as_deref(), Some("a b\nc"));
        assert_eq!(yaml_value(&lines, "error").as_deref(), Some("x\ny"));
        assert_eq!(yaml_value(&lines, "q").as_deref(), Some("it's"));
    }
}
