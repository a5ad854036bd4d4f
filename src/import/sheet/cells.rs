//! Reading typed values out of a row's text cells, with an issue at the exact cell when a value
//! cannot be understood.
//!
//! An issue names file, sheet, row, column letter and header, because the person fixing it
//! opens the vendor's workbook, not recette's code.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use super::grid::Row;
use super::mapping::{column_letter, Field, SheetMapping};
use crate::i18n::Lang;
use crate::import::records::{ImportIssue, Origin};
use crate::model::{
    normalize_word, AnomalyStatus, Criticality, Decision, ExecStatus, Phase, ReqStatus, Severity,
    UnknownWord,
};

pub(crate) use crate::i18n::tr;

/// Where the references seen so far in a file were: (kind, reference) -> (sheet, row), in
/// 32 bytes an entry (plus the reference's text), for files of millions of rows: kinds and
/// sheets are numbered rather than repeated in every entry.
#[derive(Default)]
pub(crate) struct Seen {
    refs: foldhash::HashMap<(u8, Box<str>), (u32, u32)>,
    kinds: Vec<&'static str>,
    sheets: Vec<Option<Arc<str>>>,
}

impl Seen {
    fn kind(&mut self, kind: &'static str) -> u8 {
        match self.kinds.iter().position(|k| *k == kind) {
            Some(i) => i as u8,
            None => {
                self.kinds.push(kind);
                (self.kinds.len() - 1) as u8
            }
        }
    }

    fn sheet(&mut self, sheet: &Option<Arc<str>>) -> u32 {
        // Rows come sheet after sheet: the last one is nearly always the one.
        match self.sheets.iter().rposition(|s| s == sheet) {
            Some(i) => i as u32,
            None => {
                self.sheets.push(sheet.clone());
                (self.sheets.len() - 1) as u32
            }
        }
    }
}

/// The state of reading one sheet: its mapping, its headers and the issues found.
pub(crate) struct SheetCtx {
    /// File and sheet.
    pub origin: Origin,
    pub lang: Lang,
    /// Mapped columns in sheet order.
    pub cols: Vec<(usize, Field)>,
    /// Header text per column.
    pub headers: BTreeMap<usize, String>,
    /// Folded word -> replacement word, from the mapping's `status_words`.
    words: HashMap<String, String>,
    pub issues: Vec<ImportIssue>,
    /// Rows whose data is only in columns no field reads.
    pub ignored_rows: Vec<u64>,
}

impl SheetCtx {
    pub fn new(origin: Origin, lang: Lang, m: &SheetMapping, headers: &[(usize, String)]) -> Self {
        SheetCtx {
            origin,
            lang,
            cols: m
                .ordered_columns()
                .into_iter()
                .map(|(i, _, f)| (i, f))
                .collect(),
            headers: headers.iter().cloned().collect(),
            words: m
                .status_words
                .iter()
                .map(|(k, v)| (normalize_word(k), v.clone()))
                .collect(),
            issues: Vec::new(),
            ignored_rows: Vec::new(),
        }
    }

    /// The column holding a field.
    pub fn col(&self, f: Field) -> Option<usize> {
        self.cols.iter().find(|(_, g)| *g == f).map(|(c, _)| *c)
    }

    /// Whether the sheet has a column for a field.
    pub fn has(&self, f: Field) -> bool {
        self.col(f).is_some()
    }

    /// The non-empty text of a field in a row.
    pub fn text<'r>(&self, row: &'r Row, f: Field) -> Option<&'r str> {
        let t = row.get(self.col(f)?);
        (!t.is_empty()).then_some(t)
    }

    /// Owned text of a field.
    pub fn string(&self, row: &Row, f: Field) -> Option<String> {
        self.text(row, f).map(str::to_string)
    }

    /// Whether any mapped column of the row holds something. A row given here is never
    /// blank, so one without mapped data holds data only in ignored columns: it is noted, so
    /// that the plan says it was left out.
    pub fn has_data(&mut self, row: &Row) -> bool {
        let yes = self.cols.iter().any(|(c, _)| !row.get(*c).is_empty());
        if !yes && !row.is_blank() {
            self.ignored_rows.push(row.number);
        }
        yes
    }

    /// The origin of a row, or of one of its cells.
    pub fn at(&self, row: u64, f: Option<Field>) -> Origin {
        let o = self.origin.with_row(row);
        match f.and_then(|f| self.col(f)) {
            Some(c) => o.with_column(column_letter(c), self.headers.get(&c).map(String::as_str)),
            None => o,
        }
    }

    /// Records an issue at a row (and cell).
    pub fn issue(&mut self, row: u64, f: Option<Field>, message: String) {
        let origin = self.at(row, f);
        self.issues.push(ImportIssue { origin, message });
    }

    /// Several values in one cell, split on commas, semicolons and line breaks.
    pub fn list(&self, row: &Row, f: Field) -> Vec<String> {
        self.text(row, f).map(split_list).unwrap_or_default()
    }

    /// A vocabulary word (after the mapping's overrides); an unknown word is an issue listing
    /// the values in the user's language (the full synonym list is too long for a message).
    pub fn word<T: Vocab>(&mut self, row: &Row, f: Field) -> Option<T> {
        let raw = self.text(row, f)?;
        let word = self
            .words
            .get(&normalize_word(raw))
            .map_or(raw, String::as_str);
        match T::parse_word(word) {
            Ok(v) => Some(v),
            Err(e) => {
                let labels: Vec<&str> = T::all().iter().map(|v| v.label_in(self.lang)).collect();
                let labels = labels.join(", ");
                let gender = if e.kind.starts_with("statut") {
                    "inconnu"
                } else {
                    "inconnue"
                };
                let msg = match self.lang {
                    Lang::Fr => format!("{} {gender} « {raw} » ; valeurs acceptées : {labels} (ou un synonyme usuel)", e.kind),
                    Lang::En => format!("unknown {} \"{raw}\"; accepted values: {labels} (or a usual synonym)", T::kind_en()),
                };
                self.issue(row.number, Some(f), msg);
                None
            }
        }
    }

    /// A date or date-time cell as ISO 8601; an unreadable date is an issue.
    pub fn date(&mut self, row: &Row, f: Field) -> Option<String> {
        let raw = self.text(row, f)?;
        match parse_date(raw) {
            Some(d) => Some(d),
            None => {
                let msg = tr!(self.lang, "date illisible « {} » ; formats acceptés : jj/mm/aaaa, jj-mm-aaaa, aaaa-mm-jj [hh:mm]",
                    "unreadable date \"{}\"; accepted formats: dd/mm/yyyy, dd-mm-yyyy, yyyy-mm-dd [hh:mm]", raw);
                self.issue(row.number, Some(f), msg);
                None
            }
        }
    }

    /// A whole number (step number, attempt); anything else is an issue.
    pub fn number(&mut self, row: &Row, f: Field) -> Option<u32> {
        let raw = self.text(row, f)?;
        let digits = raw.trim_start_matches(|c: char| !c.is_ascii_digit());
        match digits.parse::<u32>() {
            Ok(n) => Some(n),
            Err(_) => {
                let msg = tr!(
                    self.lang,
                    "nombre entier attendu, lu « {} »",
                    "whole number expected, found \"{}\"",
                    raw
                );
                self.issue(row.number, Some(f), msg);
                None
            }
        }
    }

    /// A yes/no cell (`oui`, `non`, `x`, `yes`, `no`, `true`, `false`, `1`, `0`); anything
    /// else is an issue.
    pub fn flag(&mut self, row: &Row, f: Field) -> Option<bool> {
        let raw = self.text(row, f)?;
        match normalize_word(raw).as_str() {
            "oui" | "o" | "x" | "yes" | "y" | "true" | "vrai" | "1" => Some(true),
            "non" | "n" | "no" | "false" | "faux" | "0" | "-" => Some(false),
            _ => {
                let msg = tr!(
                    self.lang,
                    "oui ou non attendu, lu « {} »",
                    "yes or no expected, found \"{}\"",
                    raw
                );
                self.issue(row.number, Some(f), msg);
                None
            }
        }
    }

    /// Flags a reference already seen in this file; returns whether it was new.
    pub fn first_time(
        &mut self,
        seen: &mut Seen,
        kind: &'static str,
        reference: &str,
        row: u64,
    ) -> bool {
        let sheet = &self.origin.sheet;
        let (k, here) = (seen.kind(kind), seen.sheet(sheet));
        match seen.refs.entry((k, reference.into())) {
            std::collections::hash_map::Entry::Occupied(e) => {
                let (at, r) = *e.get();
                let s = seen.sheets.get(at as usize).cloned().flatten();
                let msg = if at == here {
                    tr!(
                        self.lang,
                        "référence « {} » en double (déjà ligne {})",
                        "duplicate reference \"{}\" (already row {})",
                        reference,
                        r
                    )
                } else {
                    tr!(
                        self.lang,
                        "référence « {} » en double (déjà {} › ligne {})",
                        "duplicate reference \"{}\" (already {} › row {})",
                        reference,
                        s.as_deref().unwrap_or_default(),
                        r
                    )
                };
                self.issue(row, Some(Field::Reference), msg);
                false
            }
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert((here, u32::try_from(row).unwrap_or(u32::MAX)));
                true
            }
        }
    }
}

/// A vocabulary of the model, read from cells.
pub(crate) trait Vocab: Sized + Copy + 'static {
    fn parse_word(word: &str) -> Result<Self, UnknownWord>;
    fn kind_en() -> &'static str;
    fn all() -> &'static [Self];
    fn label_in(self, lang: Lang) -> &'static str;
}

macro_rules! vocab {
    ($($t:ty),*) => {$(
        impl Vocab for $t {
            fn parse_word(word: &str) -> Result<Self, UnknownWord> { <$t>::parse(word) }
            fn kind_en() -> &'static str { <$t>::kind_en() }
            fn all() -> &'static [Self] { <$t>::ALL }
            fn label_in(self, lang: Lang) -> &'static str { self.label(lang) }
        }
    )*};
}
vocab!(
    ExecStatus,
    Criticality,
    ReqStatus,
    Severity,
    AnomalyStatus,
    Phase,
    Decision
);

/// Splits a multi-valued cell, dropping blanks and repeats.
pub(crate) fn split_list(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for part in text.split([',', ';', '\n', '\r']) {
        let p = part.trim();
        if !p.is_empty() && !out.iter().any(|o| o == p) {
            out.push(p.to_string());
        }
    }
    out
}

/// `14/03/2026`, `14/03/26`, `14-03-2026`, `14.03.2026`, `2026-03-14`, each with an optional
/// `10:30`, `10:30:15` or `10h30`, as ISO 8601. Midnight gives the date alone.
pub(crate) fn parse_date(text: &str) -> Option<String> {
    let t = text.trim();
    let (date, time) = match t.find([' ', 'T']) {
        Some(i) => (&t[..i], t[i + 1..].trim().trim_start_matches("à ").trim()),
        None => (t, ""),
    };
    let parts: Vec<&str> = date.split(['/', '-', '.']).collect();
    if parts.len() != 3
        || parts
            .iter()
            .any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let n = |s: &str| s.parse::<u32>().ok();
    let (y, m, d) = if parts[0].len() == 4 {
        (n(parts[0])?, n(parts[1])?, n(parts[2])?)
    } else {
        let y = match parts[2].len() {
            2 => 2000 + n(parts[2])?,
            4 => n(parts[2])?,
            _ => return None,
        };
        (y, n(parts[1])?, n(parts[0])?)
    };
    let date = chrono::NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, m, d)?;
    let iso = date.format("%Y-%m-%d").to_string();
    if time.is_empty() {
        return Some(iso);
    }
    // A trailing `Z` (UTC, as recette writes its own timestamps) is kept so that a date
    // exported by recette reads back identical.
    let utc = time.ends_with('Z');
    let tp: Vec<&str> = time.trim_end_matches('Z').split([':', 'h', 'H']).collect();
    if tp.len() < 2 || tp.len() > 3 {
        return None;
    }
    let h = n(tp[0])?;
    let mi = if tp[1].is_empty() { 0 } else { n(tp[1])? };
    let s = match tp.get(2) {
        Some(s) => n(s.split('.').next().unwrap_or(s))?,
        None => 0,
    };
    if h > 23 || mi > 59 || s > 59 {
        return None;
    }
    if utc {
        return Some(format!("{iso}T{h:02}:{mi:02}:{s:02}Z"));
    }
    if h == 0 && mi == 0 && s == 0 {
        return Some(iso);
    }
    Some(format!("{iso}T{h:02}:{mi:02}:{s:02}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(parse_date("14/03/2026").as_deref(), Some("2026-03-14"));
        assert_eq!(parse_date("14/03/26").as_deref(), Some("2026-03-14"));
        assert_eq!(
            parse_date("14-03-2026 10:30").as_deref(),
            Some("2026-03-14T10:30:00")
        );
        assert_eq!(parse_date("2026-03-14").as_deref(), Some("2026-03-14"));
        assert_eq!(
            parse_date("2026-03-14T10:30:15").as_deref(),
            Some("2026-03-14T10:30:15")
        );
        assert_eq!(
            parse_date("14.03.2026 à 9h05").as_deref(),
            Some("2026-03-14T09:05:00")
        );
        assert_eq!(
            parse_date("14/03/2026 00:00").as_deref(),
            Some("2026-03-14")
        );
        assert_eq!(
            parse_date("2026-03-15T09:00:00Z").as_deref(),
            Some("2026-03-15T09:00:00Z")
        );
        assert_eq!(
            parse_date("2026-03-15T00:00:00Z").as_deref(),
            Some("2026-03-15T00:00:00Z")
        );
        assert_eq!(parse_date("31/02/2026"), None);
        assert_eq!(parse_date("hier"), None);
        assert_eq!(parse_date("14/03/2026 25:00"), None);
    }

    #[test]
    fn lists() {
        assert_eq!(
            split_list("EXI-1, EXI-2;EXI-3\nEXI-1\r\n ; "),
            vec!["EXI-1", "EXI-2", "EXI-3"]
        );
    }
}
