//! Inline SVG charts (no script, no external resource). Every chart carries its numbers as text,
//! so colour is never the only way to read it.

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::i18n::Lang;

/// Colour of a status code (executions and requirements).
pub fn status_colour(code: &str) -> &'static str {
    match code {
        "passed" => "#2e7d32",
        "failed" => "#c62828",
        "blocked" => "#e65100",
        "not_run" => "#757575",
        "not_applicable" => "#b0bec5",
        "in_progress" => "#1565c0",
        "uncovered" => "#6a1b9a",
        _ => "#9e9e9e",
    }
}

/// [`status_colour`] as `0xRRGGBB`, for the PDF and workbook charts.
pub fn status_rgb(code: &str) -> u32 {
    u32::from_str_radix(status_colour(code).trim_start_matches('#'), 16).unwrap_or(0x9e9e9e)
}

/// The most executions of one day (at least 1: the top of a chart's axis).
pub fn busiest_day(days: &BTreeMap<String, BTreeMap<String, usize>>) -> usize {
    days.values()
        .map(|d| d.values().sum::<usize>())
        .max()
        .unwrap_or(0)
        .max(1)
}

/// Escapes text for SVG/XML.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

fn pct(lang: Lang, n: usize, d: usize) -> String {
    crate::i18n::percent(lang, (d > 0).then(|| n as f64 / d as f64))
}

/// A donut of the tests by status with a legend (label, count, share).
/// `items`: (status code, label, count).
pub fn donut(items: &[(String, String, usize)], centre: &str, title: &str, lang: Lang) -> String {
    let total: usize = items.iter().map(|i| i.2).sum();
    let (w, h) = (420.0, 190.0);
    let (cx, cy, r) = (95.0, 95.0, 70.0);
    let circ = 2.0 * std::f64::consts::PI * r;
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" aria-label="{}"><title>{}</title>"#,
        esc(title),
        esc(title)
    );
    let _ = write!(
        s,
        r##"<circle cx="{cx}" cy="{cy}" r="{r}" fill="none" stroke="#eceff1" stroke-width="26"/>"##
    );
    let mut offset = 0.0;
    for (code, _, n) in items.iter().filter(|i| i.2 > 0) {
        let len = circ * (*n as f64) / (total.max(1) as f64);
        let _ = write!(
            s,
            r#"<circle cx="{cx}" cy="{cy}" r="{r}" fill="none" stroke="{}" stroke-width="26" stroke-dasharray="{len:.2} {:.2}" stroke-dashoffset="{:.2}" transform="rotate(-90 {cx} {cy})"/>"#,
            status_colour(code),
            circ - len,
            -offset
        );
        offset += len;
    }
    let _ = write!(
        s,
        r##"<text x="{cx}" y="{}" text-anchor="middle" font-size="20" font-weight="bold" fill="#1a2b49">{}</text><text x="{cx}" y="{}" text-anchor="middle" font-size="10" fill="#546e7a">{}</text>"##,
        cy + 2.0,
        esc(centre),
        cy + 18.0,
        esc(lang.pick("exécutés", "executed"))
    );
    let mut y = 28.0;
    for (code, label, n) in items {
        let _ = write!(
            s,
            r##"<rect x="200" y="{}" width="12" height="12" fill="{}"/><text x="218" y="{}" font-size="12" fill="#1a2b49">{}</text><text x="405" y="{}" font-size="12" text-anchor="end" fill="#1a2b49">{} ({})</text>"##,
            y - 10.0,
            status_colour(code),
            y,
            esc(label),
            y,
            n,
            esc(&pct(lang, *n, total))
        );
        y += 22.0;
    }
    s.push_str("</svg>");
    s
}

/// Horizontal bars: per group, coverage and passed rates (0–1).
/// `rows`: (label, coverage rate, passed rate, requirements).
pub fn coverage_bars(
    rows: &[(String, Option<f64>, Option<f64>, usize)],
    title: &str,
    lang: Lang,
) -> String {
    let row_h = 46.0;
    let (w, left, bar_w) = (420.0, 92.0, 250.0);
    let h = 30.0 + row_h * rows.len() as f64;
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" aria-label="{}"><title>{}</title>"#,
        esc(title),
        esc(title)
    );
    let _ = write!(
        s,
        r##"<rect x="{left}" y="6" width="10" height="10" fill="#1565c0"/><text x="{}" y="15" font-size="11" fill="#1a2b49">{}</text><rect x="{}" y="6" width="10" height="10" fill="#2e7d32"/><text x="{}" y="15" font-size="11" fill="#1a2b49">{}</text>"##,
        left + 14.0,
        esc(lang.pick("Couverture", "Coverage")),
        left + 120.0,
        left + 134.0,
        esc(lang.pick("Conformes", "Passed"))
    );
    for (i, (label, cov, pass, n)) in rows.iter().enumerate() {
        let y = 30.0 + row_h * i as f64;
        let _ = write!(
            s,
            r##"<text x="0" y="{}" font-size="12" font-weight="bold" fill="#1a2b49">{}</text><text x="0" y="{}" font-size="10" fill="#546e7a">{} {}</text>"##,
            y + 14.0,
            esc(label),
            y + 28.0,
            n,
            esc(lang.pick("exig.", "req."))
        );
        for (k, (v, colour)) in [(cov, "#1565c0"), (pass, "#2e7d32")].iter().enumerate() {
            let by = y + 4.0 + 18.0 * k as f64;
            let frac = v.unwrap_or(0.0).clamp(0.0, 1.0);
            let _ = write!(
                s,
                r##"<rect x="{left}" y="{by}" width="{bar_w}" height="14" fill="#eceff1"/><rect x="{left}" y="{by}" width="{:.1}" height="14" fill="{colour}"/><text x="{}" y="{}" font-size="11" fill="#1a2b49">{}</text>"##,
                bar_w * frac,
                left + bar_w + 6.0,
                by + 11.0,
                esc(&crate::i18n::percent(lang, **v))
            );
        }
    }
    s.push_str("</svg>");
    s
}

/// A day (`2026-03-07`, or a date-time) as a chart writes it: `07/03` (short) or `07/03/2026`
/// in French, `03-07` or `2026-03-07` in English; anything else as it is.
pub fn day_label(day: &str, lang: Lang, short: bool) -> String {
    let d = chrono::NaiveDate::parse_from_str(day.get(..10).unwrap_or(day), "%Y-%m-%d");
    match (d, lang, short) {
        (Ok(d), Lang::Fr, true) => d.format("%d/%m").to_string(),
        (Ok(d), Lang::Fr, false) => d.format("%d/%m/%Y").to_string(),
        (Ok(d), Lang::En, true) => d.format("%m-%d").to_string(),
        (Ok(d), Lang::En, false) => d.format("%Y-%m-%d").to_string(),
        _ => day.to_string(),
    }
}

/// Stacked columns of executions per day. `days`: date -> status code -> count. The SVG scales
/// to the width of its card (`width="100%"`); every status is in the legend; the tooltips and
/// the dates are in the report's language.
pub fn timeline(
    days: &BTreeMap<String, BTreeMap<String, usize>>,
    title: &str,
    lang: Lang,
) -> String {
    let order = crate::model::ExecStatus::CHART_ORDER.map(crate::model::ExecStatus::code);
    let label_of = |code: &str| {
        crate::model::ExecStatus::from_code(code)
            .map(|s| s.label(lang))
            .unwrap_or("")
            .to_string()
    };
    let day_label = |day: &str, short: bool| day_label(day, lang, short);
    let n = days.len().max(1);
    let w = 1000.0_f64;
    let left = 40.0;
    let plot_w = w - left - 10.0;
    let plot_h = 150.0;
    let col_w = (plot_w / n as f64).min(70.0);
    let top = 26.0;
    let base = top + plot_h;
    let h = base + 56.0;
    let max = busiest_day(days);
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w:.0} {h:.0}" width="100%" preserveAspectRatio="xMinYMin meet" role="img" aria-label="{}"><title>{}</title>"#,
        esc(title),
        esc(title)
    );
    let _ = write!(
        s,
        r##"<line x1="{:.0}" y1="{base}" x2="{:.0}" y2="{base}" stroke="#90a4ae"/><text x="{:.0}" y="{:.0}" font-size="11" text-anchor="end" fill="#546e7a">{max}</text><text x="{:.0}" y="{base}" font-size="11" text-anchor="end" fill="#546e7a">0</text>"##,
        left - 4.0,
        w - 6.0,
        left - 8.0,
        top + 4.0,
        left - 8.0,
    );
    let label_every = (n / 16).max(1);
    for (i, (day, counts)) in days.iter().enumerate() {
        let x = left + col_w * i as f64;
        let mut y = base;
        let total: usize = counts.values().sum();
        for code in order {
            let c = counts.get(code).copied().unwrap_or(0);
            if c == 0 {
                continue;
            }
            let bh = plot_h * c as f64 / max as f64;
            y -= bh;
            let _ = write!(
                s,
                r#"<rect x="{x:.1}" y="{y:.1}" width="{:.1}" height="{bh:.1}" fill="{}"><title>{} — {} : {c}</title></rect>"#,
                (col_w - 2.0).max(1.0),
                status_colour(code),
                esc(&day_label(day, false)),
                esc(&label_of(code))
            );
        }
        if col_w >= 18.0 {
            let _ = write!(
                s,
                r##"<text x="{:.1}" y="{:.1}" font-size="11" text-anchor="middle" fill="#1a2b49">{total}</text>"##,
                x + col_w / 2.0 - 1.0,
                y - 4.0
            );
        }
        if i % label_every == 0 {
            let _ = write!(
                s,
                r##"<text x="{:.1}" y="{:.0}" font-size="11" text-anchor="middle" fill="#546e7a">{}</text>"##,
                x + col_w / 2.0 - 1.0,
                base + 15.0,
                esc(&day_label(day, true))
            );
        }
    }
    let legend_y = base + 40.0;
    let mut lx = left;
    for code in order {
        let label = label_of(code);
        let _ = write!(
            s,
            r##"<rect x="{lx:.0}" y="{:.0}" width="10" height="10" fill="{}"/><text x="{:.0}" y="{legend_y:.0}" font-size="12" fill="#1a2b49">{}</text>"##,
            legend_y - 9.0,
            status_colour(code),
            lx + 14.0,
            esc(&label)
        );
        lx += 24.0 + 7.0 * label.chars().count() as f64;
    }
    s.push_str("</svg>");
    s
}
