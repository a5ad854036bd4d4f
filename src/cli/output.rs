//! Terminal tables and JSON output.

use serde::Serialize;

use crate::error::{Error, Result};

/// Prints a value as pretty JSON with stable field order.
pub fn json<T: Serialize>(value: &T) -> Result<()> {
    let s = serde_json::to_string_pretty(value).map_err(|e| Error::Other(e.to_string()))?;
    println!("{s}");
    Ok(())
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
        let count = |s: &str| s.chars().count();
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
                    if count(c) > w {
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
                    s.push_str(&" ".repeat(w.saturating_sub(c.chars().count()) + 2));
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
}
