//! Squash TM Excel exchange workbooks (the import/export templates of Squash TM).
//!
//! Sheets read, by their documented names (any case): `TEST_CASES` (ACTION, TC_PATH,
//! TC_REFERENCE, TC_NAME, TC_DESCRIPTION, TC_PRE_REQUISITE, TC_IMPORTANCE, TC_NATURE, TC_TYPE,
//! TC_CUF_*), `STEPS` (TC_OWNER_PATH, TC_STEP_NUM, TC_STEP_ACTION, TC_STEP_EXPECTED_RESULT,
//! TC_STEP_IS_CALL_STEP), `REQUIREMENT` (REQ_PATH, REQ_VERSION_NUM, REQ_VERSION_REFERENCE,
//! REQ_VERSION_NAME, REQ_VERSION_CRITICALITY, REQ_VERSION_CATEGORY, REQ_VERSION_STATUS,
//! REQ_VERSION_DESCRIPTION) and `COVERAGE` / `LINK_REQ_TC` (REQ_PATH, REQ_VERSION_NUM, TC_PATH).
//!
//! Squash TM identifies items by path (`/Projet/Dossier/Nom`), while recette uses references:
//! paths are resolved through the TC_REFERENCE / REQ_VERSION_REFERENCE of the workbooks read
//! together, which is why [`read_workbooks`] takes several files (Squash TM exports test cases
//! and requirements in separate workbooks). The folders of a path become the category. Columns
//! that are not read are listed in the sheet summary, never silently dropped.

use std::collections::HashMap;
use std::path::Path;

use calamine::{open_workbook_auto, Data, Reader};

use crate::i18n::Lang;
use crate::import::records::{ImportBatch, ImportIssue, Origin, SheetSummary};
use crate::interop::{display_name, tr};
use crate::{Error, Result};

mod sheets;
use sheets::{read_links, read_requirements, read_steps, read_test_cases};

/// Whether a workbook has a `TEST_CASES` or `REQUIREMENT` sheet.
pub fn is_squash_workbook(path: &Path) -> bool {
    // Opening a workbook with calamine parses all its shared strings (a large vendor workbook
    // holds hundreds of thousands): first look at the sheet names in `xl/workbook.xml`, and
    // only open the workbook when they may name a Squash sheet.
    if surely_not_squash(path) {
        return false;
    }
    open_workbook_auto(path).is_ok_and(|wb| {
        wb.sheet_names().iter().any(|s| {
            matches!(
                s.trim().to_ascii_uppercase().as_str(),
                "TEST_CASES" | "REQUIREMENT"
            )
        })
    })
}

/// Whether an xlsx/xlsm archive certainly has no `TEST_CASES` nor `REQUIREMENT` sheet: its
/// `xl/workbook.xml` (where sheet names live) does not contain either word in any case, nor a
/// character reference that could spell one. Anything unusual (not a zip, another layout, a
/// large or unreadable part) answers `false`, so the caller checks with calamine.
fn surely_not_squash(path: &Path) -> bool {
    use std::io::Read;
    let Ok(file) = std::fs::File::open(path) else {
        return false;
    };
    let Ok(mut zip) = zip::ZipArchive::new(std::io::BufReader::new(file)) else {
        return false;
    };
    let Ok(part) = zip.by_name("xl/workbook.xml") else {
        return false;
    };
    if part.size() > 16 * 1024 * 1024 {
        return false;
    }
    let mut text = Vec::new();
    if part.take(16 * 1024 * 1024).read_to_end(&mut text).is_err() {
        return false;
    }
    text.make_ascii_lowercase();
    let has = |word: &[u8]| text.windows(word.len()).any(|w| w == word);
    !has(b"test_cases") && !has(b"requirement") && !has(b"&#")
}

/// One sheet: headers and non-empty rows as text, with Excel row numbers.
struct Table {
    file: String,
    sheet: String,
    headers: Vec<String>,
    first_col: u32,
    rows: Vec<(u64, Vec<String>)>,
    /// Language of the problems reported on this sheet.
    lang: Lang,
}

impl Table {
    fn col(&self, name: &str) -> Option<usize> {
        self.headers
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(name))
    }
    fn origin(&self, row: u64) -> Origin {
        Origin::file(&self.file)
            .with_sheet(&self.sheet)
            .with_row(row)
    }
    /// Origin of one cell, by header name.
    fn cell_origin(&self, row: u64, name: &str) -> Origin {
        let i = self.col(name).unwrap_or(0);
        self.origin(row).with_column(
            column_letter(self.first_col + i as u32),
            self.headers.get(i).map(String::as_str),
        )
    }
    /// The trimmed value of a column in a row; empty when the column is absent.
    fn get<'r>(&self, cells: &'r [String], name: &str) -> &'r str {
        self.col(name)
            .and_then(|i| cells.get(i))
            .map_or("", |s| s.trim())
    }
    fn summary(
        &self,
        kind: &str,
        used: &[&str],
        rows: usize,
        note: Option<String>,
    ) -> SheetSummary {
        let ignored: Vec<&str> = self
            .headers
            .iter()
            .map(|h| h.trim())
            .filter(|h| {
                !h.is_empty()
                    && !used.iter().any(|u| {
                        h.eq_ignore_ascii_case(u)
                            || (u.ends_with('*')
                                && h.to_ascii_uppercase().starts_with(&u[..u.len() - 1]))
                    })
            })
            .collect();
        let mut reasons: Vec<String> = note.into_iter().collect();
        if !ignored.is_empty() {
            reasons.push(tr!(
                self.lang,
                "colonnes non reprises : {}",
                "columns not imported: {}",
                ignored.join(", ")
            ));
        }
        let separator = self.lang.pick(" ; ", "; ");
        let reason = (!reasons.is_empty()).then(|| reasons.join(separator));
        SheetSummary {
            file: self.file.clone(),
            sheet: self.sheet.clone(),
            kind: kind.into(),
            reason,
            rows: rows as u64,
            ..SheetSummary::default()
        }
    }
}

/// `0` -> `A`, `27` -> `AB`.
fn column_letter(mut index: u32) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (index % 26) as u8);
        if index < 26 {
            break;
        }
        index = index / 26 - 1;
    }
    out.reverse();
    String::from_utf8_lossy(&out).into_owned()
}

fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        other => other.to_string(),
    }
}

fn load(path: &Path, lang: Lang) -> Result<Vec<Table>> {
    let file = display_name(path);
    crate::import::sheet::bounds::check_cell_references(path, &file)?;
    let mut wb = open_workbook_auto(path).map_err(|e| {
        Error::input(
            format!("{file} : classeur illisible ({e})"),
            format!("{file}: unreadable workbook ({e})"),
        )
    })?;
    let mut tables = Vec::new();
    for sheet in wb.sheet_names() {
        let range = wb.worksheet_range(&sheet).map_err(|e| {
            Error::input(
                format!("{file} › {sheet} : feuille illisible ({e})"),
                format!("{file} › {sheet}: unreadable sheet ({e})"),
            )
        })?;
        let (row0, col0) = range.start().unwrap_or((0, 0));
        let mut rows = range.rows().enumerate();
        let headers = rows
            .next()
            .map(|(_, r)| r.iter().map(cell_text).collect())
            .unwrap_or_default();
        let rows = rows
            .map(|(i, r)| {
                (
                    row0 as u64 + i as u64 + 1,
                    r.iter().map(cell_text).collect::<Vec<_>>(),
                )
            })
            .filter(|(_, cells)| cells.iter().any(|c| !c.trim().is_empty()))
            .collect();
        tables.push(Table {
            file: file.clone(),
            sheet,
            headers,
            first_col: col0,
            rows,
            lang,
        });
    }
    Ok(tables)
}

/// Splits a Squash path (`/Projet/Dossier/Nom`, `\/` escapes a slash in a name) into segments.
fn split_path(path: &str) -> Vec<String> {
    let mut parts = vec![String::new()];
    let mut chars = path.trim().chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'/') => {
                chars.next();
                if let Some(p) = parts.last_mut() {
                    p.push('/');
                }
            }
            '/' => parts.push(String::new()),
            c => {
                if let Some(p) = parts.last_mut() {
                    p.push(c);
                }
            }
        }
    }
    parts
        .into_iter()
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect()
}

/// Folders between the project and the item, as a category path.
fn folders(segments: &[String]) -> Option<String> {
    (segments.len() > 2).then(|| segments[1..segments.len() - 1].join(" / "))
}

fn path_key(path: &str) -> String {
    split_path(path).join("/")
}

/// Reads one or more Squash TM workbooks together (paths in links and steps are resolved across
/// all of them); problems are worded in `lang`.
pub fn read_workbooks(paths: &[&Path], lang: Lang) -> Result<ImportBatch> {
    let mut tables = Vec::new();
    for p in paths {
        tables.extend(load(p, lang)?);
    }
    let kind_of = |t: &Table| t.sheet.trim().to_ascii_uppercase();
    let mut batch = ImportBatch::default();
    let mut tc_refs: HashMap<String, usize> = HashMap::new();
    let mut req_refs: HashMap<String, String> = HashMap::new();
    for t in tables.iter().filter(|t| kind_of(t) == "TEST_CASES") {
        read_test_cases(t, &mut batch, &mut tc_refs);
    }
    for t in tables.iter().filter(|t| kind_of(t) == "STEPS") {
        read_steps(t, &mut batch, &tc_refs);
    }
    for t in tables
        .iter()
        .filter(|t| matches!(kind_of(t).as_str(), "REQUIREMENT" | "REQUIREMENTS"))
    {
        read_requirements(t, &mut batch, &mut req_refs);
    }
    for t in tables
        .iter()
        .filter(|t| matches!(kind_of(t).as_str(), "COVERAGE" | "LINK_REQ_TC"))
    {
        read_links(t, &mut batch, &tc_refs, &req_refs);
    }
    for t in &tables {
        if !matches!(
            kind_of(t).as_str(),
            "TEST_CASES" | "STEPS" | "REQUIREMENT" | "REQUIREMENTS" | "COVERAGE" | "LINK_REQ_TC"
        ) {
            let reason = Some(tr!(
                lang,
                "feuille inconnue du format d'échange Squash TM",
                "sheet not part of the Squash TM exchange format"
            ));
            batch.sheets.push(SheetSummary {
                file: t.file.clone(),
                sheet: t.sheet.clone(),
                kind: "ignored".into(),
                reason,
                rows: 0,
                ..SheetSummary::default()
            });
        }
    }
    Ok(batch)
}

fn issue(batch: &mut ImportBatch, origin: Origin, message: String) {
    batch.issues.push(ImportIssue { origin, message });
}

/// Checks required columns; reports the missing ones and returns false if any.
fn require(t: &Table, batch: &mut ImportBatch, names: &[&str]) -> bool {
    let missing: Vec<&str> = names
        .iter()
        .copied()
        .filter(|n| t.col(n).is_none())
        .collect();
    if !missing.is_empty() {
        let message = tr!(
            t.lang,
            "colonne(s) obligatoire(s) absente(s) : {} ; en-têtes trouvés : {}",
            "missing required column(s): {}; headers found: {}",
            missing.join(", "),
            t.headers.join(", ")
        );
        issue(batch, t.origin(1), message);
    }
    missing.is_empty()
}

/// Whether the ACTION cell asks for a creation or update (the only ones imported).
fn action_ok(t: &Table, batch: &mut ImportBatch, row: u64, cells: &[String]) -> bool {
    match t.get(cells, "ACTION").to_ascii_uppercase().as_str() {
        "" | "C" | "CREATE" | "U" | "UPDATE" => true,
        other => {
            let msg = tr!(t.lang,
                "ACTION « {other} » non prise en charge : seules la création (C) et la mise à jour (U) sont importées",
                "ACTION \"{other}\" not supported: only creations (C) and updates (U) are imported");
            issue(batch, t.cell_origin(row, "ACTION"), msg);
            false
        }
    }
}
