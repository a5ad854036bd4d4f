//! Vendor workbooks ("cahier de recette") into records.
//!
//! No two vendors lay out their workbook alike, so nothing is assumed: each visible sheet's
//! header row is searched for, its columns are matched to fields by French and English
//! synonyms, and its kind (requirements, test cases, links, results, anomalies) is guessed from
//! those headers and its name. The guess is returned as a [`Mapping`] the user can correct and
//! pass back. Reading is pure: no database, and every problem becomes an
//! [`ImportIssue`](crate::import::records::ImportIssue) naming the cell.

pub(crate) mod bounds;
mod cells;
mod csv;
mod delivery_note;
mod grid;
mod header;
pub mod mapping;
mod project;
mod results;
mod rows;
mod synonyms;

use std::path::Path;
use std::sync::atomic::AtomicBool;

use calamine::{open_workbook_auto, Reader, ReaderRef, SheetVisible, Sheets};

use self::cells::{tr, Seen, SheetCtx};
pub use self::delivery_note::read_delivery_note;
use self::grid::Row;
pub use self::mapping::{Field, Mapping, SheetKind, SheetMapping};
pub use self::project::format_start_check;
use crate::error::{Error, Result};
use crate::i18n::Lang;
use crate::import::records::{
    IgnoredColumn, ImportBatch, ImportIssue, Origin, RecordSink, SheetSummary,
};

/// Largest cell accepted, in bytes (Excel itself stops at 32,767 characters per cell).
pub const MAX_CELL_BYTES: usize = 256 * 1024;

/// Most rows read from one sheet or CSV file: an Excel sheet's own limit (1,048,576 rows). A
/// longer CSV is refused, which bounds the memory of an import.
pub const MAX_ROWS_PER_SHEET: u64 = 1_048_576;

/// Largest CSV/TSV file read, in bytes.
pub const MAX_TEXT_FILE_BYTES: u64 = 1024 * 1024 * 1024;

/// Largest total uncompressed size of a workbook archive (xlsx/ods), in bytes: a few hundred
/// thousand rows stay far below; a zip bomb does not.
pub const MAX_UNCOMPRESSED_BYTES: u64 = 2 * 1024 * 1024 * 1024;

/// Largest compression ratio accepted for a big member of a workbook archive.
const MAX_RATIO: u64 = 100;

/// Refuses a workbook whose archive would expand beyond reason (zip bomb), from the sizes the
/// archive declares, before calamine inflates anything.
fn check_archive(path: &Path, file: &str) -> Result<()> {
    let Ok(f) = std::fs::File::open(path) else {
        return Ok(());
    };
    let Ok(mut zip) = zip::ZipArchive::new(f) else {
        // Not a zip (.xls) or a broken one: calamine reports it.
        return Ok(());
    };
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let Ok(entry) = zip.by_index_raw(i) else {
            continue;
        };
        let (size, packed) = (entry.size(), entry.compressed_size().max(1));
        total = total.saturating_add(size);
        if (size > 64 * 1024 * 1024 && size / packed > MAX_RATIO) || total > MAX_UNCOMPRESSED_BYTES
        {
            let name = entry.name().map(|n| n.to_string()).unwrap_or_default();
            return Err(Error::input(
                format!("{file} : classeur refusé — « {} » se décompresse en {} Mo (taux {}:1), au-delà de ce qu'un classeur réel contient (bombe de décompression ?)", name, size / (1024 * 1024), size / packed),
                format!("{file}: workbook refused — \"{}\" expands to {} MB (ratio {}:1), beyond any real workbook (zip bomb?)", name, size / (1024 * 1024), size / packed),
            ));
        }
    }
    Ok(())
}

/// How to read a workbook.
#[derive(Debug, Clone, Default)]
pub struct SheetOptions {
    /// A mapping from an earlier import (`--mapping`); sheets it names are not detected.
    pub mapping: Option<Mapping>,
    /// Language of issues and reasons.
    pub lang: Lang,
}

/// Whether the file looks like a workbook or delimited text, by extension.
pub fn is_spreadsheet(path: &Path) -> bool {
    let ext = extension(path);
    matches!(
        ext.as_str(),
        "xlsx" | "xlsm" | "xls" | "ods" | "csv" | "tsv" | "txt"
    )
}

/// Reads every visible sheet of a workbook (or a CSV/TSV file) into records, with the issues
/// found and the mapping used.
pub fn read_spreadsheet(path: &Path, opts: &SheetOptions) -> Result<(ImportBatch, Mapping)> {
    read_spreadsheet_with_progress(path, opts, &mut |_| {})
}

/// [`read_spreadsheet`], calling `progress` with the number of rows read so far every 1,000
/// rows and once at the end.
pub fn read_spreadsheet_with_progress(
    path: &Path,
    opts: &SheetOptions,
    progress: &mut dyn FnMut(u64),
) -> Result<(ImportBatch, Mapping)> {
    read_workbook(path, opts, progress, None)
}

/// What a streaming read needs: where the records go, and a flag that stops reading.
struct Stream<'a> {
    sink: &'a mut dyn RecordSink,
    stop: &'a AtomicBool,
}

/// [`read_spreadsheet_with_progress`] handing each record to `sink` as soon as it is read
/// instead of keeping it: the returned batch holds only the sheets read and the issues found.
/// An xlsx sheet is read cell by cell, so its first records reach the sink before the rest of
/// the sheet is parsed. Reading ends early when `stop` is set (what was read is then
/// incomplete), and fails on a sheet that is unreadable or whose cells are out of row order,
/// where [`read_spreadsheet_with_progress`] decides what to report: a streaming reader's
/// caller falls back to it whenever the stream cannot give exactly the same records.
pub fn read_spreadsheet_streaming(
    path: &Path,
    opts: &SheetOptions,
    progress: &mut dyn FnMut(u64),
    sink: &mut dyn RecordSink,
    stop: &AtomicBool,
) -> Result<(ImportBatch, Mapping)> {
    read_workbook(path, opts, progress, Some(Stream { sink, stop }))
}

fn read_workbook<'a>(
    path: &Path,
    opts: &'a SheetOptions,
    progress: &'a mut dyn FnMut(u64),
    stream: Option<Stream<'a>>,
) -> Result<(ImportBatch, Mapping)> {
    let file = crate::import::display_name(path);
    let streaming = stream.is_some();
    let mut reader = FileReader {
        origin: Origin::file(&file),
        opts,
        seen: Seen::default(),
        batch: ImportBatch::default(),
        mapping: Mapping::default(),
        total: 0,
        progress,
        stream,
    };
    let ext = extension(path);
    if matches!(ext.as_str(), "csv" | "tsv" | "txt") {
        let len = std::fs::metadata(path)
            .map_err(|e| Error::io(path, e))?
            .len();
        if len > MAX_TEXT_FILE_BYTES {
            return Err(Error::input(
                format!(
                    "{file} : fichier de {} Mo, au plus {} Mo acceptés",
                    len >> 20,
                    MAX_TEXT_FILE_BYTES >> 20
                ),
                format!(
                    "{file}: file of {} MB, at most {} MB accepted",
                    len >> 20,
                    MAX_TEXT_FILE_BYTES >> 20
                ),
            ));
        }
        let name = path
            .file_stem()
            .map_or_else(|| file.clone(), |s| s.to_string_lossy().into_owned());
        let given = opts.mapping.as_ref().and_then(|m| m.sheet(&name));
        let encoding = given
            .and_then(|g| g.encoding.as_deref())
            .and_then(|e| encoding_rs::Encoding::for_label(e.as_bytes()));
        let delimiter = given
            .and_then(|g| g.delimiter.as_deref())
            .and_then(|d| match d {
                "\\t" | "tab" | "tabulation" => Some(b'\t'),
                d if d.len() == 1 => d.bytes().next(),
                _ => None,
            });
        // Streamed: the file is held a chunk at a time, whatever its size.
        let (encoding, delimiter) =
            csv::CsvStream::read_file(path, ext == "tsv", encoding, delimiter, |rows| {
                reader.sheet(&name, rows)
            })?;
        if let Some(m) = reader.mapping.sheets.last_mut() {
            m.encoding = Some(encoding.to_string());
            m.delimiter = Some(char::from(delimiter).to_string());
        }
    } else {
        check_archive(path, &file)?;
        if !streaming {
            // The range reader builds a dense grid: refuse cells beyond a sheet's last first
            // (the cell-by-cell reader stops on them and falls back here).
            bounds::check_cell_references(path, &file)?;
        }
        let mut wb = open_workbook_auto(path).map_err(|e| {
            Error::input(
                format!("{file} : classeur illisible ({e})"),
                format!("{file}: unreadable workbook ({e})"),
            )
        })?;
        for meta in wb.sheets_metadata().to_vec() {
            let given = opts.mapping.as_ref().and_then(|m| m.sheet(&meta.name));
            let lang = opts.lang;
            let skip = match given {
                Some(g) if g.kind == SheetKind::Ignored => Some(tr!(
                    lang,
                    "ignorée par la correspondance",
                    "ignored by the mapping"
                )),
                Some(_) => None,
                None if meta.visible != SheetVisible::Visible => {
                    Some(tr!(lang, "feuille masquée", "hidden sheet"))
                }
                None if header::is_ignorable_name(&meta.name) => Some(tr!(
                    lang,
                    "feuille de présentation (sommaire, historique…)",
                    "front matter sheet (summary, history…)"
                )),
                None => None,
            };
            if let Some(reason) = skip {
                reader.ignore(&meta.name, reason, 0);
                continue;
            }
            // xlsx/xlsb: the borrowed range (shared strings not copied into every cell; the
            // owned range is built from it the same way), else the owned one.
            if let (true, Sheets::Xlsx(x)) = (streaming, &mut wb) {
                let stop = reader.stream.as_ref().map(|s| s.stop);
                let Some(stop) = stop else { continue };
                match x.worksheet_cells_reader(&meta.name) {
                    Ok(cells) => {
                        let mut rows = grid::CellRows::new(cells, stop);
                        reader.sheet(&meta.name, &mut rows);
                        if let Some(why) = rows.failed {
                            return Err(Error::input(
                                format!(
                                    "{file} › {} : lecture en flux impossible ({why})",
                                    meta.name
                                ),
                                format!("{file} › {}: cannot be streamed ({why})", meta.name),
                            ));
                        }
                    }
                    Err(calamine::XlsxError::NotAWorksheet(_)) => {
                        reader.sheet(&meta.name, &mut std::iter::empty());
                    }
                    Err(e) => {
                        return Err(Error::input(
                            format!("{file} › {} : feuille illisible ({e})", meta.name),
                            format!("{file} › {}: unreadable sheet ({e})", meta.name),
                        ));
                    }
                }
                continue;
            }
            let read = match &mut wb {
                Sheets::Xlsx(x) => x
                    .worksheet_range_ref(&meta.name)
                    .map(|range| reader.sheet(&meta.name, &mut grid::range_rows(&range)))
                    .map_err(calamine::Error::Xlsx),
                Sheets::Xlsb(x) => x
                    .worksheet_range_ref(&meta.name)
                    .map(|range| reader.sheet(&meta.name, &mut grid::range_rows(&range)))
                    .map_err(calamine::Error::Xlsb),
                _ => wb
                    .worksheet_range(&meta.name)
                    .map(|range| reader.sheet(&meta.name, &mut grid::range_rows(&range))),
            };
            match read {
                Ok(()) => {}
                Err(e) => {
                    let reason = tr!(lang, "feuille illisible ({})", "unreadable sheet ({})", e);
                    let origin = reader.origin.with_sheet(&meta.name);
                    reader.batch.issues.push(ImportIssue {
                        origin,
                        message: reason.clone(),
                    });
                    reader.ignore(&meta.name, reason, 0);
                }
            }
        }
    }
    let total = reader.total;
    (reader.progress)(total);
    Ok((reader.batch, reader.mapping))
}

/// What [`visit_sheets`] calls per sheet: its name, its rows, or why it could not be read.
pub(crate) type SheetVisitor<'a> =
    dyn FnMut(&str, &mut dyn Iterator<Item = Row>, Option<ImportIssue>) + 'a;

/// Calls `f` with each visible sheet of a workbook (a CSV/TSV file is one sheet named after the
/// file, its encoding and separator detected): the sheet name and its rows, or an issue when
/// the sheet cannot be read. Hidden sheets are skipped.
pub(crate) fn visit_sheets(path: &Path, lang: Lang, f: &mut SheetVisitor<'_>) -> Result<()> {
    let file = crate::import::display_name(path);
    let ext = extension(path);
    if matches!(ext.as_str(), "csv" | "tsv" | "txt") {
        let name = path
            .file_stem()
            .map_or_else(|| file.clone(), |s| s.to_string_lossy().into_owned());
        csv::CsvStream::read_file(path, ext == "tsv", None, None, |rows| f(&name, rows, None))?;
        return Ok(());
    }
    bounds::check_cell_references(path, &file)?;
    let mut wb = open_workbook_auto(path).map_err(|e| {
        Error::input(
            format!("{file} : classeur illisible ({e})"),
            format!("{file}: unreadable workbook ({e})"),
        )
    })?;
    for meta in wb.sheets_metadata().to_vec() {
        if meta.visible != SheetVisible::Visible {
            continue;
        }
        match wb.worksheet_range(&meta.name) {
            Ok(range) => f(&meta.name, &mut grid::range_rows(&range), None),
            Err(e) => {
                let issue = ImportIssue {
                    origin: Origin::file(&file).with_sheet(&meta.name),
                    message: tr!(lang, "feuille illisible ({})", "unreadable sheet ({})", e),
                };
                f(&meta.name, &mut std::iter::empty(), Some(issue));
            }
        }
    }
    Ok(())
}

/// About how many rows a workbook or CSV file holds, without reading it: the sum of the
/// worksheets' declared dimensions (`<dimension ref="A1:K100001">`, the first bytes of each
/// part) for xlsx, the number of line breaks for CSV/TSV; `None` when it cannot be told (xls,
/// ods, a sheet without a dimension). What a progress bar needs for its total.
pub fn estimated_rows(path: &Path) -> Option<u64> {
    let ext = extension(path);
    if matches!(ext.as_str(), "csv" | "tsv" | "txt") {
        let mut f = std::fs::File::open(path).ok()?;
        let mut buf = vec![0u8; 1 << 20];
        let mut lines: u64 = 0;
        loop {
            let n = std::io::Read::read(&mut f, &mut buf).ok()?;
            if n == 0 {
                return Some(lines.max(1));
            }
            lines += buf[..n].iter().filter(|b| **b == b'\n').count() as u64;
        }
    }
    if !matches!(ext.as_str(), "xlsx" | "xlsm") {
        return None;
    }
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).ok()?).ok()?;
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let entry = zip.by_index(i).ok()?;
        let name = entry.name().map(|n| n.to_string()).unwrap_or_default();
        if !(name.starts_with("xl/worksheets/") && name.ends_with(".xml")) {
            continue;
        }
        let mut head = Vec::with_capacity(4096);
        std::io::Read::read_to_end(&mut std::io::Read::take(entry, 4096), &mut head).ok()?;
        total += declared_rows(&String::from_utf8_lossy(&head))?;
    }
    (total > 0).then_some(total)
}

/// The last row of a worksheet's `<dimension ref="A1:K100001"/>`.
fn declared_rows(head: &str) -> Option<u64> {
    let at = head.find("<dimension")?;
    let rest = &head[at..];
    let start = rest.find("ref=\"")? + 5;
    let value = &rest[start..];
    let value = &value[..value.find('"')?];
    let last = value.rsplit(':').next()?;
    let digits: String = last.chars().filter(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// Lower-case extension of a path.
fn extension(path: &Path) -> String {
    path.extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default()
}

/// The state of reading one file.
struct FileReader<'a> {
    origin: Origin,
    opts: &'a SheetOptions,
    seen: Seen,
    batch: ImportBatch,
    mapping: Mapping,
    total: u64,
    progress: &'a mut dyn FnMut(u64),
    /// Set when records go to a sink as they are read.
    stream: Option<Stream<'a>>,
}

impl FileReader<'_> {
    /// Records an ignored sheet in the summary and the mapping.
    fn ignore(&mut self, name: &str, reason: String, rows: u64) {
        self.batch.sheets.push(SheetSummary {
            file: self.origin.file.to_string(),
            sheet: name.to_string(),
            kind: SheetKind::Ignored.code().to_string(),
            reason: Some(reason.clone()),
            rows,
            ..SheetSummary::default()
        });
        let mut m = SheetMapping::new(name, SheetKind::Ignored);
        m.reason = Some(reason);
        self.mapping.sheets.push(m);
    }

    /// Finds the header row, the kind and the columns of a sheet, then reads its rows.
    fn sheet(&mut self, name: &str, source: &mut dyn Iterator<Item = Row>) {
        let lang = self.opts.lang;
        let given = self
            .opts
            .mapping
            .as_ref()
            .and_then(|m| m.sheet(name))
            .cloned();
        if given.as_ref().is_some_and(|g| g.kind == SheetKind::Ignored) {
            return self.ignore(
                name,
                tr!(
                    lang,
                    "ignorée par la correspondance",
                    "ignored by the mapping"
                ),
                0,
            );
        }
        let (total, progress) = (&mut self.total, &mut *self.progress);
        // Reading stops one row past the limit, so memory stays bounded whatever the file.
        let mut sheet_rows: u64 = 0;
        let sheet_rows_ref = &mut sheet_rows;
        let mut counted = source.take(MAX_ROWS_PER_SHEET as usize + 1).inspect(|_| {
            *sheet_rows_ref += 1;
            *total += 1;
            if *total % 1000 == 0 {
                progress(*total);
            }
        });
        let mut rows = (&mut counted).filter(|r| !r.is_blank());
        let (header, pending) =
            header::find_header(&mut rows, given.as_ref().and_then(|g| g.header_row));
        let Some(header) = header else {
            let reason = tr!(
                lang,
                "aucune ligne d'en-têtes reconnue dans les {} premières lignes",
                "no header row found in the first {} rows",
                header::HEADER_SCAN_ROWS
            );
            drop(rows);
            let n = counted.count() as u64;
            return self.ignore(name, reason, n);
        };
        let found = header::roles(&header.cells);
        let kind = match given
            .as_ref()
            .map(|g| g.kind)
            .or_else(|| header::detect_kind(&found, name))
        {
            Some(k) => k,
            None => {
                let reason = tr!(lang, "en-têtes non reconnus comme exigences, cas de test, liens, résultats ou anomalies",
                    "headers not recognised as requirements, test cases, links, results or anomalies");
                return self.ignore(name, reason, 0);
            }
        };
        let mut sm = match &given {
            Some(g) if !g.columns.is_empty() => {
                let mut m = g.clone();
                m.header_row = Some(header.number);
                for (c, l, _) in g.ordered_columns() {
                    if let Some((_, h)) = header.cells.iter().find(|(hc, _)| *hc == c) {
                        m.headers.insert(l.to_string(), h.clone());
                    }
                }
                m
            }
            _ => {
                let fields = header::fields_for(kind, &found);
                let mut m =
                    header::build_mapping(name, kind, header.number, &header.cells, &fields);
                if let Some(g) = &given {
                    m.status_words = g.status_words.clone();
                }
                m
            }
        };
        sm.name = name.to_string();
        let key = if matches!(
            kind,
            SheetKind::Results | SheetKind::Links | SheetKind::PlannedTests
        ) {
            Field::TestRef
        } else if kind == SheetKind::Decisions {
            Field::Campaign
        } else if kind == SheetKind::Settings {
            Field::SettingKey
        } else {
            Field::Reference
        };
        if !sm.columns.values().any(|f| *f == key) {
            let reason = tr!(
                lang,
                "pas de colonne « {} »",
                "no \"{}\" column",
                key.code()
            );
            self.batch.issues.push(ImportIssue {
                origin: self.origin.with_sheet(name),
                message: reason.clone(),
            });
            return self.ignore(name, reason, 0);
        }
        let mut ctx = SheetCtx::new(self.origin.with_sheet(name), lang, &sm, &header.cells);
        // A cell larger than any real workbook holds (Excel stops at 32,767 characters) is
        // refused with its row, so a hostile file cannot push megabytes into every report.
        let mut oversized: Vec<ImportIssue> = Vec::new();
        let sheet_origin = self.origin.with_sheet(name);
        let mut data = pending.into_iter().chain(rows).filter(|row| {
            match row.cells.iter().find(|(_, t)| t.len() > MAX_CELL_BYTES) {
                None => true,
                Some((c, t)) => {
                    let header = header
                        .cells
                        .iter()
                        .find(|(hc, _)| hc == c)
                        .map(|(_, h)| h.as_str());
                    oversized.push(ImportIssue {
                        origin: sheet_origin
                            .with_row(row.number)
                            .with_column(mapping::column_letter(*c), header),
                        message: tr!(
                            lang,
                            "cellule de {} octets : au plus {} acceptés (ligne ignorée)",
                            "cell of {} bytes: at most {} accepted (row skipped)",
                            t.len(),
                            MAX_CELL_BYTES
                        ),
                    });
                    false
                }
            }
        });
        let sink: &mut dyn RecordSink = match &mut self.stream {
            Some(s) => &mut *s.sink,
            None => &mut self.batch,
        };
        let n = match kind {
            SheetKind::Requirements => {
                rows::read_requirements(&mut ctx, &mut data, &mut self.seen, sink)
            }
            SheetKind::TestCases => {
                rows::read_test_cases(&mut ctx, &mut data, &mut self.seen, sink)
            }
            SheetKind::Links => rows::read_links(&mut ctx, &mut data, sink),
            SheetKind::Results => results::read_results(&mut ctx, &mut data, sink),
            SheetKind::Anomalies => rows::read_anomalies(&mut ctx, &mut data, &mut self.seen, sink),
            SheetKind::Deliveries => {
                project::read_deliveries(&mut ctx, &mut data, &mut self.seen, sink)
            }
            SheetKind::Strategies => {
                project::read_strategies(&mut ctx, &mut data, &mut self.seen, sink)
            }
            SheetKind::Campaigns => {
                project::read_campaigns(&mut ctx, &mut data, &mut self.seen, sink)
            }
            SheetKind::PlannedTests => project::read_planned(&mut ctx, &mut data, sink),
            SheetKind::Decisions => project::read_decisions(&mut ctx, &mut data, sink),
            SheetKind::Settings => project::read_settings(&mut ctx, &mut data, sink),
            SheetKind::Ignored => 0,
        };
        let batch = &mut self.batch;
        drop(data);
        drop(counted);
        if sheet_rows > MAX_ROWS_PER_SHEET {
            batch.issues.push(ImportIssue {
                origin: sheet_origin.clone(),
                message: tr!(
                    lang,
                    "plus de {} lignes (la limite d'une feuille Excel) : lecture arrêtée, découpez le fichier",
                    "more than {} rows (the limit of an Excel sheet): reading stopped, split the file",
                    MAX_ROWS_PER_SHEET
                ),
            });
        }
        batch.issues.append(&mut oversized);
        batch.issues.append(&mut ctx.issues);
        // Every column with a header that no field reads is named in the plan: an import
        // never drops data without saying so.
        let read: Vec<usize> = sm.ordered_columns().iter().map(|c| c.0).collect();
        let ignored_columns = header
            .cells
            .iter()
            .filter(|(c, h)| !h.trim().is_empty() && !read.contains(c))
            .map(|(c, h)| IgnoredColumn {
                column: mapping::column_letter(*c),
                header: h.clone(),
            })
            .collect();
        batch.sheets.push(SheetSummary {
            file: self.origin.file.to_string(),
            sheet: name.to_string(),
            kind: kind.code().to_string(),
            reason: None,
            rows: n,
            ignored_columns,
            ignored_rows: std::mem::take(&mut ctx.ignored_rows),
        });
        self.mapping.sheets.push(sm);
    }
}
