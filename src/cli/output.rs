//! Terminal tables and JSON output.

use serde::Serialize;

use crate::error::{Error, Result};

/// Prints a value as pretty JSON with stable field order.
pub fn json<T: Serialize>(value: &T) -> Result<()> {
    let s = serde_json::to_string_pretty(value).map_err(|e| Error::Other(e.to_string()))?;
    println!("{s}");
    Ok(())
}

/// What a coloured word says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    /// Passed, met, gate open: green.
    Good,
    /// Failed, unmet, gate closed, errors: red.
    Bad,
    /// Blocked, with reservations: yellow.
    Warn,
    /// Not run, not applicable: dim.
    Muted,
}

/// Whether to colour what goes to stdout (`stderr: false`) or stderr: on a terminal, unless
/// `NO_COLOR` is set (<https://no-color.org>) or `TERM=dumb`; `CLICOLOR_FORCE=1` forces it
/// (for tests and `less -R`).
pub fn colours(stderr: bool) -> bool {
    use std::io::IsTerminal;
    let set = |k: &str| std::env::var_os(k).is_some_and(|v| !v.is_empty());
    if set("NO_COLOR") {
        return false;
    }
    if std::env::var("CLICOLOR_FORCE").is_ok_and(|v| v != "0" && !v.is_empty()) {
        return true;
    }
    if std::env::var("TERM").is_ok_and(|t| t == "dumb") {
        return false;
    }
    if stderr {
        std::io::stderr().is_terminal()
    } else {
        std::io::stdout().is_terminal()
    }
}

/// `text` in the colour of `tone` when `on`.
pub fn paint_if(on: bool, text: &str, tone: Tone) -> String {
    if !on {
        return text.to_string();
    }
    let code = match tone {
        Tone::Good => "32",
        Tone::Bad => "31",
        Tone::Warn => "33",
        Tone::Muted => "2",
    };
    format!("\x1b[{code}m{text}\x1b[0m")
}

/// `text` coloured for stdout (see [`colours`]).
pub fn paint(text: &str, tone: Tone) -> String {
    paint_if(colours(false), text, tone)
}

/// The tone of an execution status.
pub fn status_tone(s: crate::model::ExecStatus) -> Tone {
    use crate::model::ExecStatus::*;
    match s {
        Passed => Tone::Good,
        Failed => Tone::Bad,
        Blocked | InProgress => Tone::Warn,
        NotRun | NotApplicable => Tone::Muted,
    }
}

/// Characters a person sees (colour codes left out).
fn visible_len(s: &str) -> usize {
    let mut n = 0;
    let mut in_escape = false;
    for c in s.chars() {
        match (in_escape, c) {
            (false, '\x1b') => in_escape = true,
            (true, 'm') => in_escape = false,
            (true, _) => {}
            (false, _) => n += 1,
        }
    }
    n
}

/// The width of the terminal stdout writes to (`COLUMNS`, else the terminal's own), or `None`
/// when stdout is not a terminal (a pipe, a file).
pub fn terminal_width() -> Option<usize> {
    use std::io::IsTerminal;
    if !std::io::stdout().is_terminal() {
        return None;
    }
    if let Some(n) = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse().ok())
    {
        return Some(n);
    }
    terminal_columns().or(Some(100))
}

#[cfg(unix)]
fn terminal_columns() -> Option<usize> {
    // SAFETY: TIOCGWINSZ fills the winsize struct given; stdout is a terminal (checked).
    let mut ws: libc::winsize = unsafe { std::mem::zeroed() };
    let ok = unsafe { libc::ioctl(libc::STDOUT_FILENO, libc::TIOCGWINSZ, &mut ws) } == 0;
    (ok && ws.ws_col > 0).then_some(usize::from(ws.ws_col))
}

#[cfg(not(unix))]
fn terminal_columns() -> Option<usize> {
    None
}

/// A plain-text table: headers, rows, columns padded to their widest cell (in characters). On
/// a terminal, long cells are cut with an ellipsis and the widest columns narrowed so the table
/// fits its width; piped or written to a file, every value is whole (a `grep` finds it).
pub struct Table {
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
    /// Widest cell, in characters; longer cells are cut.
    pub max_width: usize,
}

impl Table {
    /// A table with these headers.
    pub fn new(headers: &[&str]) -> Table {
        Table {
            headers: headers.iter().map(|h| h.to_string()).collect(),
            rows: Vec::new(),
            max_width: 60,
        }
    }

    /// Adds a row.
    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    /// Renders the table for where stdout goes (see [`Table`]).
    pub fn render(&self) -> String {
        self.render_for(terminal_width())
    }

    /// Renders the table for a terminal of `width` columns, or whole (`None`).
    pub fn render_for(&self, width: Option<usize>) -> String {
        let one_line = |s: &str| s.replace(['\n', '\r'], " ");
        let mut cells: Vec<Vec<String>> = self
            .rows
            .iter()
            .map(|r| r.iter().map(|c| one_line(c)).collect())
            .collect();
        let count = |s: &str| visible_len(s);
        let mut widths: Vec<usize> = self.headers.iter().map(|h| count(h)).collect();
        for r in &cells {
            for (i, c) in r.iter().enumerate() {
                if i < widths.len() {
                    widths[i] = widths[i].max(count(c));
                }
            }
        }
        if let Some(term) = width {
            // Each column at most `max_width`, then the widest narrowed (not below its header
            // nor 8 characters) until the table fits the terminal.
            let floor: Vec<usize> = self.headers.iter().map(|h| count(h).max(8)).collect();
            for w in widths.iter_mut() {
                *w = (*w).min(self.max_width.max(8));
            }
            let total = |w: &[usize]| w.iter().sum::<usize>() + 2 * w.len().saturating_sub(1);
            while total(&widths) > term {
                let widest = widths
                    .iter()
                    .enumerate()
                    .filter(|(i, w)| **w > floor.get(*i).copied().unwrap_or(8))
                    .max_by_key(|(_, w)| **w)
                    .map(|(i, _)| i);
                match widest {
                    Some(i) => widths[i] -= 1,
                    None => break,
                }
            }
            for r in &mut cells {
                for (i, c) in r.iter_mut().enumerate() {
                    let w = widths.get(i).copied().unwrap_or(usize::MAX);
                    // A coloured cell is a short word: never cut inside its colour codes.
                    if count(c) > w && !c.contains('\x1b') {
                        let mut t: String = c.chars().take(w.saturating_sub(1)).collect();
                        t.push('…');
                        *c = t;
                    }
                }
            }
        }
        let line = |r: &[String]| -> String {
            let mut s = String::new();
            for (i, w) in widths.iter().enumerate() {
                let c = r.get(i).map(String::as_str).unwrap_or("");
                s.push_str(c);
                if i + 1 < widths.len() {
                    s.push_str(&" ".repeat(w.saturating_sub(visible_len(c)) + 2));
                }
            }
            s.trim_end().to_string()
        };
        let mut out = line(&self.headers);
        out.push('\n');
        out.push_str(
            &widths
                .iter()
                .map(|w| "─".repeat(*w))
                .collect::<Vec<_>>()
                .join("  "),
        );
        out.push('\n');
        for r in &cells {
            out.push_str(&line(r));
            out.push('\n');
        }
        out
    }

    /// Prints the table, or a "nothing" line when empty.
    pub fn print(&self, empty: &str) {
        if self.rows.is_empty() {
            println!("{empty}");
        } else {
            print!("{}", self.render());
        }
    }
}

/// A date or date-time as people read it in `lang`: `03/04/2026 17:00` in French, `2026-04-03
/// 17:00` in English (JSON output keeps ISO 8601); an empty or unreadable value as it is.
pub fn when(lang: crate::i18n::Lang, iso: &str) -> String {
    crate::report::view::fmt_date(lang, iso, true)
}

/// [`when`] of an optional date, `—` when absent.
pub fn when_or_dash(lang: crate::i18n::Lang, iso: Option<&str>) -> String {
    iso.map_or_else(|| "—".to_string(), |d| when(lang, d))
}

#[cfg(test)]
mod tests {
    use super::Table;

    fn table() -> Table {
        let mut t = Table::new(&["Réf.", "Intitulé", "Statut"]);
        t.row(vec![
            "FA-001".into(),
            "Le calcul de la taxe ignore l'exonération des véhicules électriques du parc public"
                .into(),
            "Close".into(),
        ]);
        t.row(vec!["FA-002".into(), "Court".into(), "Ouverte".into()]);
        t
    }

    #[test]
    fn piped_tables_keep_every_value_whole() {
        let out = table().render_for(None);
        assert!(out.contains("électriques du parc public"), "{out}");
        assert!(!out.contains('…'));
    }

    #[test]
    fn terminal_tables_fit_the_width_and_cut_with_an_ellipsis() {
        let out = table().render_for(Some(50));
        for line in out.lines() {
            assert!(
                line.chars().count() <= 50,
                "{line:?} is {} wide",
                line.chars().count()
            );
        }
        assert!(out.contains('…'), "{out}");
        assert!(out.contains("Close") && out.contains("FA-002"), "{out}");
        // A wide terminal cuts at the column's own limit only (60 characters by default).
        let wide = table().render_for(Some(200));
        assert!(wide.contains("des véhicules éle…"), "{wide}");
        let mut t = table();
        t.max_width = 100;
        assert!(t
            .render_for(Some(200))
            .contains("électriques du parc public"));
    }

    #[test]
    fn coloured_cells_are_padded_by_what_is_seen() {
        let mut t = Table::new(&["Test", "Statut", "Essais"]);
        t.row(vec![
            "CT-1".into(),
            super::paint_if(true, "Conforme", super::Tone::Good),
            "1".into(),
        ]);
        t.row(vec!["CT-2".into(), "Non conforme".into(), "2".into()]);
        let out = t.render_for(None);
        let plain: Vec<String> = out
            .lines()
            .map(|l| l.replace("\u{1b}[32m", "").replace("\u{1b}[0m", ""))
            .collect();
        // The third column starts at the same place on both rows once the colour is removed.
        let at = |l: &str| l.rfind(' ').map(|i| i + 1);
        assert_eq!(at(&plain[2]), at(&plain[3]), "{plain:?}");
    }
}
