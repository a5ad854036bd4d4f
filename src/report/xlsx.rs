//! The traceability workbook `matrice-<campaign>.xlsx`.
//!
//! Sheets: a summary with native charts, the traceability list (one row per requirement), the
//! requirements × tests matrix (when the campaign's linked tests fit in
//! [`MAX_MATRIX_TESTS`] columns), the links (one row per requirement–test pair, always) and the
//! anomalies. Headers are frozen and filtered.
//!
//! Formula injection: every text cell is written with `write_string*`, which stores a string
//! cell (`t="s"`), never a formula — rust_xlsxwriter only writes formulas through
//! `write_formula`/`Formula`. On top of that, text starting with `=`, `+`, `-`, `@`, tab or
//! carriage return gets the "quote prefix" cell style (Excel's leading apostrophe, which is
//! not part of the value), so even re-typing the cell in Excel keeps it text. The value itself is
//! left unchanged.

use std::collections::BTreeMap;
use std::path::Path;

use rust_xlsxwriter::{
    Chart, ChartFormat, ChartSolidFill, ChartType, Color, Format, FormatAlign, FormatBorder,
    Worksheet,
};

use super::labels::label;
use super::view::View;
use crate::error::{Error, Result};
use crate::i18n::Lang;
use crate::model::{Criticality, ExecStatus};
use crate::verdict::Evaluation;

/// Above this number of distinct linked tests the cross matrix sheet is left out (the links
/// sheet still lists every pair).
pub const MAX_MATRIX_TESTS: usize = 1000;

/// Excel's limit for a cell's text.
const MAX_CELL_CHARS: usize = 32_000;

fn xerr(e: rust_xlsxwriter::XlsxError) -> Error {
    Error::Other(format!("xlsx : {e}"))
}

pub use crate::export::looks_like_formula;

struct Styles {
    header: Format,
    text: Format,
    wrap: Format,
    num: Format,
    pct: Format,
    title: Format,
    bold: Format,
    status: BTreeMap<&'static str, Format>,
}

fn status_format(code: &str) -> Format {
    let (bg, fg) = match code {
        "passed" => (0xE8F5E9, 0x1B5E20),
        "failed" => (0xFDECEA, 0xB71C1C),
        "blocked" => (0xFFF3E0, 0xA33B00),
        "in_progress" => (0xE3F2FD, 0x0D47A1),
        "not_applicable" => (0xF5F7F8, 0x546E7A),
        "uncovered" => (0xF3E5F5, 0x4A148C),
        _ => (0xF2F2F2, 0x424242),
    };
    Format::new()
        .set_background_color(Color::RGB(bg))
        .set_font_color(Color::RGB(fg))
        .set_bold()
        .set_border(FormatBorder::Thin)
        .set_border_color(Color::RGB(0xCFD8DC))
}

impl Styles {
    fn new() -> Styles {
        let border = |f: Format| {
            f.set_border(FormatBorder::Thin)
                .set_border_color(Color::RGB(0xCFD8DC))
        };
        let mut status = BTreeMap::new();
        for code in [
            "passed",
            "failed",
            "blocked",
            "not_run",
            "in_progress",
            "not_applicable",
            "uncovered",
        ] {
            status.insert(code, status_format(code));
        }
        Styles {
            header: border(
                Format::new()
                    .set_bold()
                    .set_background_color(Color::RGB(0x23408E))
                    .set_font_color(Color::White)
                    .set_text_wrap()
                    .set_align(FormatAlign::Top),
            ),
            text: border(Format::new().set_align(FormatAlign::Top)),
            wrap: border(Format::new().set_text_wrap().set_align(FormatAlign::Top)),
            num: border(Format::new().set_align(FormatAlign::Top)),
            pct: border(Format::new().set_num_format("0.0%")),
            title: Format::new()
                .set_bold()
                .set_font_size(16)
                .set_font_color(Color::RGB(0x23408E)),
            bold: Format::new().set_bold(),
            status,
        }
    }
}

/// Writes a text cell that can never be a formula (see the module notes).
pub fn put_text(ws: &mut Worksheet, row: u32, col: u16, text: &str, fmt: &Format) -> Result<()> {
    let text: String = if text.chars().count() > MAX_CELL_CHARS {
        text.chars().take(MAX_CELL_CHARS).collect()
    } else {
        text.to_string()
    };
    if looks_like_formula(&text) {
        let f = fmt.clone().set_quote_prefix();
        ws.write_string_with_format(row, col, text, &f)
            .map_err(xerr)?;
    } else {
        ws.write_string_with_format(row, col, text, fmt)
            .map_err(xerr)?;
    }
    Ok(())
}

/// A value as the reports show it to people (`96,7 %`, `03/04/2026`, `2026-04-03`, `30`,
/// `92,5`), stored as what it is: a percentage, a date or a number, formatted to read the same
/// (and to sort, sum and chart in a spreadsheet); anything else (`—`, `3 / 4`, a name) as text.
pub fn put_value(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    shown: &str,
    lang: Lang,
    fmt: &Format,
) -> Result<()> {
    match parse_shown(shown, lang) {
        Some(Shown::Percent(v)) => put_num(ws, row, col, v, &fmt.clone().set_num_format("0.0%")),
        Some(Shown::Number(v, decimals)) => {
            let f = if decimals {
                fmt.clone().set_num_format("0.0##")
            } else {
                fmt.clone().set_num_format("0")
            };
            put_num(ws, row, col, v, &f)
        }
        Some(Shown::Date(y, m, d)) => match rust_xlsxwriter::ExcelDateTime::from_ymd(y, m, d) {
            Ok(d) => {
                let pattern = lang.pick("dd/mm/yyyy", "yyyy-mm-dd");
                ws.write_datetime_with_format(row, col, d, &fmt.clone().set_num_format(pattern))
                    .map_err(xerr)?;
                Ok(())
            }
            // Before 1900 (Excel's epoch): kept as written.
            Err(_) => put_text(ws, row, col, shown, fmt),
        },
        None => put_text(ws, row, col, shown, fmt),
    }
}

/// What [`put_value`] found in a shown value.
#[derive(Debug, PartialEq)]
enum Shown {
    /// A fraction (`96,7 %` is 0.967).
    Percent(f64),
    /// A number, and whether it has decimals.
    Number(f64, bool),
    /// Year, month, day.
    Date(u16, u8, u8),
}

fn parse_shown(shown: &str, lang: Lang) -> Option<Shown> {
    let s = shown.trim();
    // A decimal number as `lang` writes it: `92,5` in French, `92.5` in English; no sign but
    // a leading minus, no thousands separator, at most 15 digits (exact in a double).
    let number = |t: &str| -> Option<(f64, bool)> {
        let sep = lang.pick(",", ".");
        let body = t.strip_prefix('-').unwrap_or(t);
        let (int, frac) = match body.split_once(sep) {
            Some((i, f)) => (i, Some(f)),
            None => (body, None),
        };
        let digits = |x: &str| !x.is_empty() && x.bytes().all(|b| b.is_ascii_digit());
        if !digits(int) || frac.is_some_and(|f| !digits(f)) || body.len() > 15 {
            return None;
        }
        let v: f64 = t.replace(sep, ".").parse().ok()?;
        v.is_finite().then_some((v, frac.is_some()))
    };
    if let Some(p) = s.strip_suffix('%') {
        let p = p.trim_end_matches([' ', '\u{a0}', '\u{202f}']);
        // `96,7 %` is 0.967, not 0.967000…1: the shown digits, nothing more.
        return number(p).map(|(v, _)| Shown::Percent((v * 10_000.0).round() / 1_000_000.0));
    }
    if s.len() == 10 {
        let date = chrono::NaiveDate::parse_from_str(s, "%d/%m/%Y")
            .or_else(|_| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d"))
            .ok()?;
        use chrono::Datelike;
        return Some(Shown::Date(
            u16::try_from(date.year()).ok()?,
            u8::try_from(date.month()).ok()?,
            u8::try_from(date.day()).ok()?,
        ));
    }
    number(s).map(|(v, d)| Shown::Number(v, d))
}

fn put_num(ws: &mut Worksheet, row: u32, col: u16, v: f64, fmt: &Format) -> Result<()> {
    ws.write_number_with_format(row, col, v, fmt)
        .map_err(xerr)?;
    Ok(())
}

fn headers(ws: &mut Worksheet, row: u32, names: &[&str], st: &Styles) -> Result<()> {
    for (i, h) in names.iter().enumerate() {
        put_text(ws, row, i as u16, h, &st.header)?;
    }
    Ok(())
}

/// Writes the workbook. Its document properties are dated by the report's issue date (not the
/// clock), so that the same campaign gives the same bytes and the PV's hash of it holds.
pub fn write(
    eval: &Evaluation,
    view: &View,
    lang: Lang,
    issued_on: Option<&str>,
    path: &Path,
) -> Result<()> {
    let t = |k: &'static str| label(lang, k);
    let st = Styles::new();
    let mut wb = crate::export::new_workbook(
        issued_on.unwrap_or("2000-01-01T00:00:00Z"),
        lang.pick("Matrice de traçabilité", "Traceability matrix"),
    );
    let summary_name = lang.pick("Synthèse", "Summary");
    let trace_name = lang.pick("Traçabilité", "Traceability");
    let matrix_name = lang.pick("Matrice", "Matrix");
    let links_name = lang.pick("Liens", "Links");
    let anomalies_name = lang.pick("Anomalies", "Anomalies");

    // Summary.
    {
        let ws = wb.add_worksheet();
        ws.set_name(summary_name).map_err(xerr)?;
        ws.set_column_width(0, 34).map_err(xerr)?;
        for c in 1..8 {
            ws.set_column_width(c, 14).map_err(xerr)?;
        }
        put_text(
            ws,
            0,
            0,
            &format!("{} — {}", t("matrix_title"), eval.campaign.reference),
            &st.title,
        )?;
        let mut r = 2;
        let kv: Vec<(String, String)> = vec![
            (t("project").into(), view.project.clone()),
            (
                t("campaign").into(),
                format!("{} — {}", view.campaign.reference, view.campaign.title),
            ),
            (t("phase").into(), view.campaign.phase.clone()),
            (
                t("delivery").into(),
                view.delivery
                    .as_ref()
                    .map(|d| format!("{} {}", d.reference, d.version))
                    .unwrap_or_default(),
            ),
            (t("proposed_decision").into(), view.decision.label.clone()),
        ];
        for (k, v) in &kv {
            put_text(ws, r, 0, k, &st.bold)?;
            put_text(ws, r, 1, v, &st.text)?;
            r += 1;
        }
        r += 1;
        for k in &view.kpis {
            put_text(ws, r, 0, &k.label, &st.bold)?;
            put_value(ws, r, 1, &k.value, lang, &st.text)?;
            put_text(ws, r, 2, &k.detail, &st.text)?;
            r += 1;
        }
        // Tests by status (data of the first chart).
        r += 1;
        let status_first = r + 1;
        headers(ws, r, &[t("status"), t("count")], &st)?;
        for (i, s) in view.status_rows.iter().enumerate() {
            let row = status_first + i as u32;
            let f = st.status.get(s.code).unwrap_or(&st.text);
            put_text(ws, row, 0, &s.label, f)?;
            put_num(ws, row, 1, s.count as f64, &st.num)?;
        }
        let status_last = status_first + view.status_rows.len() as u32 - 1;
        // Coverage by criticality (data of the second chart).
        let mut r2 = status_last + 2;
        headers(
            ws,
            r2,
            &[
                t("criticality"),
                t("requirements"),
                t("coverage"),
                t("passed_rate"),
                t("failed"),
                t("blocked"),
                t("not_run"),
            ],
            &st,
        )?;
        let crit_first = r2 + 1;
        for k in Criticality::ALL {
            r2 += 1;
            let roll = eval
                .trace
                .summary
                .by_criticality
                .get(k.code())
                .cloned()
                .unwrap_or_default();
            put_text(ws, r2, 0, k.label(lang), &st.text)?;
            put_num(ws, r2, 1, roll.requirements as f64, &st.num)?;
            put_num(ws, r2, 2, roll.coverage_rate.unwrap_or(0.0), &st.pct)?;
            put_num(ws, r2, 3, roll.passed_rate.unwrap_or(0.0), &st.pct)?;
            put_num(ws, r2, 4, roll.failed as f64, &st.num)?;
            put_num(ws, r2, 5, roll.blocked as f64, &st.num)?;
            put_num(ws, r2, 6, roll.not_run as f64, &st.num)?;
        }
        let crit_last = r2;
        // Exit criteria.
        let mut r3 = crit_last + 2;
        headers(
            ws,
            r3,
            &[
                t("criterion"),
                t("measured"),
                t("threshold"),
                t("blocking"),
                t("result"),
            ],
            &st,
        )?;
        for c in &view.criteria {
            r3 += 1;
            put_text(ws, r3, 0, &c.name, &st.wrap)?;
            put_value(ws, r3, 1, &c.measured, lang, &st.text)?;
            put_value(ws, r3, 2, &c.threshold, lang, &st.text)?;
            put_text(ws, r3, 3, &c.blocking_label, &st.text)?;
            let f = st
                .status
                .get(if c.met { "passed" } else { "failed" })
                .unwrap_or(&st.text);
            put_text(ws, r3, 4, &c.result, f)?;
        }
        // Progress per tester.
        if !view.tester_rows.is_empty() {
            let mut r4 = r3 + 2;
            headers(
                ws,
                r4,
                &[
                    t("assignee"),
                    t("planned"),
                    t("executed"),
                    t("passed_tests"),
                    t("failed_tests"),
                    t("blocked_tests"),
                    t("remaining"),
                ],
                &st,
            )?;
            for p in &view.tester_rows {
                r4 += 1;
                put_text(ws, r4, 0, &p.assignee, &st.text)?;
                for (c, v) in [
                    p.planned,
                    p.executed,
                    p.passed,
                    p.failed,
                    p.blocked,
                    p.remaining,
                ]
                .iter()
                .enumerate()
                {
                    put_num(ws, r4, c as u16 + 1, *v as f64, &st.num)?;
                }
            }
        }

        let mut chart = Chart::new(ChartType::Doughnut);
        chart.title().set_name(t("tests_by_status"));
        let colours: Vec<Color> = ExecStatus::ALL
            .iter()
            .map(|s| Color::RGB(super::charts::status_rgb(s.code())))
            .collect();
        chart
            .add_series()
            .set_name(t("tests_by_status"))
            .set_categories((summary_name, status_first, 0, status_last, 0))
            .set_values((summary_name, status_first, 1, status_last, 1))
            .set_point_colors(&colours);
        // The charts stand right of the widest table (7 columns), covering none.
        ws.insert_chart(2, 8, &chart).map_err(xerr)?;

        let mut chart = Chart::new(ChartType::Column);
        chart.title().set_name(t("coverage_by_criticality"));
        chart
            .add_series()
            .set_name(t("coverage"))
            .set_categories((summary_name, crit_first, 0, crit_last, 0))
            .set_values((summary_name, crit_first, 2, crit_last, 2))
            .set_format(
                ChartFormat::new()
                    .set_solid_fill(ChartSolidFill::new().set_color(Color::RGB(0x1565C0))),
            );
        chart
            .add_series()
            .set_name(t("passed_rate"))
            .set_categories((summary_name, crit_first, 0, crit_last, 0))
            .set_values((summary_name, crit_first, 3, crit_last, 3))
            .set_format(
                ChartFormat::new()
                    .set_solid_fill(ChartSolidFill::new().set_color(Color::RGB(0x2E7D32))),
            );
        chart
            .y_axis()
            .set_min(0.0)
            .set_max(1.0)
            .set_num_format("0%");
        ws.insert_chart(18, 8, &chart).map_err(xerr)?;
    }

    // Traceability list (large sheets are streamed: constant memory, inline strings).
    {
        let ws = wb.add_worksheet_with_constant_memory().map_err(xerr)?;
        ws.set_name(trace_name).map_err(xerr)?;
        let cols = [
            t("requirement"),
            t("title"),
            t("criticality"),
            t("category"),
            t("coverage"),
            t("status"),
            t("suspect"),
            t("tests"),
        ];
        headers(ws, 0, &cols, &st)?;
        for (c, w) in [16.0, 50.0, 12.0, 18.0, 14.0, 16.0, 10.0, 50.0]
            .iter()
            .enumerate()
        {
            ws.set_column_width(c as u16, *w).map_err(xerr)?;
        }
        for (i, r) in view.trace_rows.iter().enumerate() {
            let row = i as u32 + 1;
            put_text(ws, row, 0, &r.reference, &st.text)?;
            put_text(ws, row, 1, &r.title, &st.wrap)?;
            put_text(ws, row, 2, r.criticality, &st.text)?;
            put_text(ws, row, 3, &r.category, &st.text)?;
            put_text(ws, row, 4, r.coverage, &st.text)?;
            put_text(
                ws,
                row,
                5,
                r.status_label,
                st.status.get(r.status).unwrap_or(&st.text),
            )?;
            put_text(
                ws,
                row,
                6,
                if r.suspect { t("yes") } else { t("no") },
                &st.text,
            )?;
            let tests = r
                .tests
                .iter()
                .map(|x| {
                    if x.modified {
                        format!("{} ({}, {})", x.display(), x.label, t("modified_mark"))
                    } else {
                        format!("{} ({})", x.display(), x.label)
                    }
                })
                .collect::<Vec<_>>()
                .join(", ");
            put_text(ws, row, 7, &tests, &st.wrap)?;
        }
        ws.set_freeze_panes(1, 1).map_err(xerr)?;
        ws.autofilter(0, 0, view.trace_rows.len() as u32, cols.len() as u16 - 1)
            .map_err(xerr)?;
    }

    // Cross matrix.
    // Each test's column, headed by how people read it (an `AUTO-<hash>` test by its name).
    let tests: BTreeMap<&str, String> = view
        .trace_rows
        .iter()
        .flat_map(|r| r.tests.iter().map(|x| (x.reference.as_str(), x.display())))
        .collect();
    if !tests.is_empty() && tests.len() <= MAX_MATRIX_TESTS {
        let ws = wb.add_worksheet();
        ws.set_name(matrix_name).map_err(xerr)?;
        let col_of: BTreeMap<&str, u16> = tests
            .keys()
            .enumerate()
            .map(|(i, x)| (*x, i as u16 + 3))
            .collect();
        let vertical = st.header.clone().set_rotation(90);
        put_text(ws, 0, 0, t("requirement"), &st.header)?;
        put_text(ws, 0, 1, t("criticality"), &st.header)?;
        put_text(ws, 0, 2, t("status"), &st.header)?;
        for (x, c) in &col_of {
            let head = tests.get(x).map_or(*x, String::as_str);
            put_text(ws, 0, *c, head, &vertical)?;
            ws.set_column_width(*c, 5).map_err(xerr)?;
        }
        // Tall enough for the longest heading read vertically (about 6 points a character).
        let longest = tests.values().map(|h| h.chars().count()).max().unwrap_or(0);
        ws.set_row_height(0, (longest as f64 * 6.0).clamp(90.0, 300.0))
            .map_err(xerr)?;
        ws.set_column_width(0, 16).map_err(xerr)?;
        ws.set_column_width(1, 11).map_err(xerr)?;
        ws.set_column_width(2, 15).map_err(xerr)?;
        let short = |code: &str| match code {
            "passed" => "OK",
            "failed" => "KO",
            "blocked" => lang.pick("BLQ", "BLK"),
            "not_applicable" => "N/A",
            "in_progress" => "...",
            _ => lang.pick("NP", "NR"),
        };
        for (i, r) in view.trace_rows.iter().enumerate() {
            let row = i as u32 + 1;
            put_text(ws, row, 0, &r.reference, &st.text)?;
            put_text(ws, row, 1, r.criticality, &st.text)?;
            put_text(
                ws,
                row,
                2,
                r.status_label,
                st.status.get(r.status).unwrap_or(&st.text),
            )?;
            for x in &r.tests {
                if let Some(c) = col_of.get(x.reference.as_str()) {
                    let mut text = short(x.status).to_string();
                    if x.suspect {
                        text.push('!');
                    }
                    if x.modified {
                        text.push('✎');
                    }
                    put_text(
                        ws,
                        row,
                        *c,
                        &text,
                        st.status.get(x.status).unwrap_or(&st.text),
                    )?;
                }
            }
        }
        ws.set_freeze_panes(1, 3).map_err(xerr)?;
        ws.autofilter(
            0,
            0,
            view.trace_rows.len() as u32,
            col_of.values().max().copied().unwrap_or(2),
        )
        .map_err(xerr)?;
    }

    // Links.
    {
        let ws = wb.add_worksheet_with_constant_memory().map_err(xerr)?;
        ws.set_name(links_name).map_err(xerr)?;
        let cols = [
            t("requirement"),
            t("criticality"),
            t("test"),
            t("status"),
            t("suspect"),
            t("modified_mark"),
        ];
        headers(ws, 0, &cols, &st)?;
        for (c, w) in [16.0, 12.0, 16.0, 16.0, 10.0, 14.0].iter().enumerate() {
            ws.set_column_width(c as u16, *w).map_err(xerr)?;
        }
        let mut row = 0;
        for r in &view.trace_rows {
            for x in &r.tests {
                row += 1;
                put_text(ws, row, 0, &r.reference, &st.text)?;
                put_text(ws, row, 1, r.criticality, &st.text)?;
                put_text(ws, row, 2, &x.display(), &st.text)?;
                put_text(
                    ws,
                    row,
                    3,
                    x.label,
                    st.status.get(x.status).unwrap_or(&st.text),
                )?;
                put_text(
                    ws,
                    row,
                    4,
                    if x.suspect { t("yes") } else { t("no") },
                    &st.text,
                )?;
                put_text(
                    ws,
                    row,
                    5,
                    if x.modified { t("yes") } else { t("no") },
                    &st.text,
                )?;
            }
        }
        ws.set_freeze_panes(1, 1).map_err(xerr)?;
        ws.autofilter(0, 0, row, cols.len() as u16 - 1)
            .map_err(xerr)?;
    }

    // Anomalies.
    {
        let ws = wb.add_worksheet();
        ws.set_name(anomalies_name).map_err(xerr)?;
        let cols = [
            t("anomalies"),
            t("title"),
            t("severity"),
            t("status"),
            t("found_in"),
            t("fixed_in"),
        ];
        headers(ws, 0, &cols, &st)?;
        for (c, w) in [12.0, 60.0, 12.0, 14.0, 14.0, 14.0].iter().enumerate() {
            ws.set_column_width(c as u16, *w).map_err(xerr)?;
        }
        for (i, a) in view.anomalies.iter().enumerate() {
            let row = i as u32 + 1;
            put_text(ws, row, 0, &a.reference, &st.text)?;
            put_text(ws, row, 1, &a.title, &st.wrap)?;
            put_text(ws, row, 2, a.severity, &st.text)?;
            put_text(ws, row, 3, a.status, &st.text)?;
            put_text(ws, row, 4, &a.found_in, &st.text)?;
            put_text(ws, row, 5, &a.fixed_in, &st.text)?;
        }
        ws.set_freeze_panes(1, 1).map_err(xerr)?;
        ws.autofilter(0, 0, view.anomalies.len() as u32, cols.len() as u16 - 1)
            .map_err(xerr)?;
    }

    crate::export::print_setup(&mut wb)?;
    wb.save(path).map_err(|e| match e {
        rust_xlsxwriter::XlsxError::IoError(io) => Error::io(path, io),
        other => xerr(other),
    })
}

#[cfg(test)]
mod tests {
    use super::{parse_shown, Shown};
    use crate::i18n::Lang;

    #[test]
    fn shown_values_are_read_back_as_what_they_are() {
        let pct = |s, l| match parse_shown(s, l) {
            Some(Shown::Percent(v)) => Some((v * 1000.0).round() / 1000.0),
            _ => None,
        };
        assert_eq!(pct("96,7 %", Lang::Fr), Some(0.967));
        assert_eq!(pct("96.7%", Lang::En), Some(0.967));
        assert_eq!(
            pct("96.7 %", Lang::Fr),
            None,
            "an English decimal in French"
        );
        assert_eq!(
            parse_shown("30", Lang::Fr),
            Some(Shown::Number(30.0, false))
        );
        assert_eq!(
            parse_shown("92,5", Lang::Fr),
            Some(Shown::Number(92.5, true))
        );
        assert_eq!(
            parse_shown("-3", Lang::En),
            Some(Shown::Number(-3.0, false))
        );
        assert!(matches!(
            parse_shown("03/04/2026", Lang::Fr),
            Some(Shown::Date(..))
        ));
        assert!(matches!(
            parse_shown("2026-04-03", Lang::En),
            Some(Shown::Date(..))
        ));
        for text in [
            "—",
            "",
            "3 / 4",
            "31 200",
            "1,234.5",
            "32/13/2026",
            "CT-001",
            "1e5",
            "NaN",
            "-",
        ] {
            assert_eq!(parse_shown(text, Lang::Fr), None, "{text}");
            assert_eq!(parse_shown(text, Lang::En), None, "{text}");
        }
    }
}
