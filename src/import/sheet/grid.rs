//! Rows of text cells, from any workbook calamine reads.
//!
//! Everything downstream sees only trimmed text: numbers as they were typed (`101`, not
//! `101.0`), dates as ISO 8601, formula cells as their cached value (calamine's ranges already
//! hold them) and merged cells with their value in the top-left cell only (again calamine's
//! behaviour). Rows are produced lazily from the sheet's range so that a 100,000-row sheet is
//! never copied as a whole into strings.

use calamine::{Data, DataRef, ExcelDateTime, Range};

/// One row of a sheet: its 1-based number and its cells, trimmed, by 0-based column.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Row {
    pub number: u64,
    /// Non-empty cells only, as (0-based column, text), in column order.
    pub cells: Vec<(usize, String)>,
}

impl Row {
    /// The text of a column, empty when blank.
    pub fn get(&self, col: usize) -> &str {
        self.cells
            .iter()
            .find(|(c, _)| *c == col)
            .map(|(_, t)| t.as_str())
            .unwrap_or("")
    }

    /// Whether every cell is blank.
    pub fn is_blank(&self) -> bool {
        self.cells.is_empty()
    }
}

/// The rows of a calamine range, numbered as in the workbook (ranges may start below row 1 or
/// right of column A).
pub(crate) fn range_rows<T: CellText>(range: &Range<T>) -> impl Iterator<Item = Row> + '_ {
    let (row0, col0) = range.start().unwrap_or((0, 0));
    range.rows().enumerate().map(move |(i, cells)| Row {
        number: u64::from(row0) + i as u64 + 1,
        cells: cells
            .iter()
            .enumerate()
            .filter_map(|(j, d)| {
                let text = d.text();
                (!text.is_empty()).then(|| (col0 as usize + j, text))
            })
            .collect(),
    })
}

/// The rows of an xlsx sheet read cell by cell as its XML is parsed, without building the
/// sheet's range first: what [`range_rows`] gives for the same sheet (absolute row numbers,
/// cells in column order, the last of two cells written at one position, blank cells
/// dropped), minus blank rows, which readers skip anyway. Stops at the end of the sheet, at
/// the first XML error or at cells written out of row order (both left in `failed`: the
/// range reader then gives the authoritative result), or when `stop` is set.
pub(crate) struct CellRows<'a, 's, RS: std::io::Read + std::io::Seek> {
    cells: calamine::XlsxCellReader<'a, RS>,
    /// First cell of the next row, read past the end of the current one.
    ahead: Option<calamine::Cell<DataRef<'a>>>,
    stop: &'s std::sync::atomic::AtomicBool,
    /// The sheet's last cell was read (the cell reader must not be called again).
    done: bool,
    /// Why reading stopped before the end of the sheet, if it did.
    pub failed: Option<String>,
}

impl<'a, 's, RS: std::io::Read + std::io::Seek> CellRows<'a, 's, RS> {
    pub(crate) fn new(
        cells: calamine::XlsxCellReader<'a, RS>,
        stop: &'s std::sync::atomic::AtomicBool,
    ) -> Self {
        CellRows {
            cells,
            ahead: None,
            stop,
            done: false,
            failed: None,
        }
    }

    fn next_cell(&mut self) -> Option<calamine::Cell<DataRef<'a>>> {
        if let Some(c) = self.ahead.take() {
            return Some(c);
        }
        if self.done {
            return None;
        }
        match self.cells.next_cell() {
            Ok(Some(c)) => Some(c),
            Ok(None) => {
                self.done = true;
                None
            }
            Err(e) => {
                self.done = true;
                self.failed = Some(e.to_string());
                None
            }
        }
    }
}

/// Whether a 0-based position lies beyond a sheet's last cell (see [`super::bounds`]).
fn beyond_sheet((row, col): (u32, u32)) -> bool {
    u64::from(col) >= super::bounds::MAX_COLUMNS || u64::from(row) >= super::bounds::MAX_ROWS
}

impl<RS: std::io::Read + std::io::Seek> Iterator for CellRows<'_, '_, RS> {
    type Item = Row;

    fn next(&mut self) -> Option<Row> {
        loop {
            if self.failed.is_some() || self.stop.load(std::sync::atomic::Ordering::Relaxed) {
                return None;
            }
            let first = self.next_cell()?;
            let row = first.get_position().0;
            if beyond_sheet(first.get_position()) {
                self.failed = Some(format!("cell beyond XFD1048576 (row {})", row + 1));
                return None;
            }
            let mut cells: Vec<(usize, String)> =
                vec![(first.get_position().1 as usize, first.get_value().text())];
            while let Some(c) = self.next_cell() {
                let (r, col) = c.get_position();
                if r != row {
                    if r < row {
                        self.failed = Some(format!(
                            "cells out of row order (row {} after row {})",
                            r + 1,
                            row + 1
                        ));
                        return None;
                    }
                    self.ahead = Some(c);
                    break;
                }
                if beyond_sheet((r, col)) {
                    self.failed = Some(format!("cell beyond XFD1048576 (row {})", r + 1));
                    return None;
                }
                cells.push((col as usize, c.get_value().text()));
            }
            if self.failed.is_some() {
                return None;
            }
            if !cells.windows(2).all(|w| w[0].0 < w[1].0) {
                // Column order, the later of two cells at one position winning (as in a range).
                cells.reverse();
                cells.sort_by_key(|(c, _)| *c);
                cells.dedup_by_key(|(c, _)| *c);
            }
            cells.retain(|(_, t)| !t.is_empty());
            if !cells.is_empty() {
                return Some(Row {
                    number: u64::from(row) + 1,
                    cells,
                });
            }
        }
    }
}

/// A calamine cell that [`range_rows`] reads: an owned [`Data`], or a [`DataRef`] whose
/// shared strings are borrowed from the workbook (no copy before the one into the row).
pub(crate) trait CellText: calamine::CellType {
    /// See [`cell_text`].
    fn text(&self) -> String;
}

impl CellText for Data {
    fn text(&self) -> String {
        cell_text(self)
    }
}

impl CellText for DataRef<'_> {
    fn text(&self) -> String {
        match self {
            DataRef::SharedString(s) => clean(s),
            DataRef::String(s) => clean(s),
            DataRef::Empty | DataRef::Error(_) => String::new(),
            DataRef::Int(i) => i.to_string(),
            DataRef::Float(f) => number_text(*f),
            DataRef::Bool(b) => if *b { "VRAI" } else { "FAUX" }.to_string(),
            DataRef::DateTime(dt) => excel_datetime(dt),
            DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => iso_text(s),
        }
    }
}

/// The text of a cell: trimmed (Rust's `trim` includes U+00A0 and U+202F), integral numbers
/// without a decimal part, dates in ISO 8601, errors (`#N/A`...) as blank.
pub(crate) fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty | Data::Error(_) => String::new(),
        Data::String(s) => clean(s),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => number_text(*f),
        Data::Bool(b) => if *b { "VRAI" } else { "FAUX" }.to_string(),
        Data::DateTime(dt) => excel_datetime(dt),
        Data::DateTimeIso(s) | Data::DurationIso(s) => iso_text(s),
    }
}

/// Trims, and turns CR LF into LF so that multi-line cells compare equal across formats.
pub(crate) fn clean(s: &str) -> String {
    let t = s.trim();
    if t.contains('\r') {
        t.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        t.to_string()
    }
}

/// `101.0` -> `101`; other floats in their shortest exact form.
pub(crate) fn number_text(f: f64) -> String {
    if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

/// An Excel serial date as `2026-03-14` (midnight) or `2026-03-14T10:30:00`; a pure time or
/// duration as `10:30:00`.
fn excel_datetime(dt: &ExcelDateTime) -> String {
    let (y, mo, d, h, mi, s, ms) = dt.to_ymd_hms_milli();
    // Round to the second (serial values carry float noise: 10:29:59.999), within the day.
    let secs = u32::from(h) * 3600 + u32::from(mi) * 60 + u32::from(s) + u32::from(ms >= 500);
    let secs = secs.min(86_399);
    let (h, mi, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    if dt.is_duration() || dt.as_f64() < 1.0 {
        return format!("{h:02}:{mi:02}:{s:02}");
    }
    if h == 0 && mi == 0 && s == 0 {
        format!("{y:04}-{mo:02}-{d:02}")
    } else {
        format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}")
    }
}

/// ODS gives ISO text already; drop a midnight time and fractional seconds.
fn iso_text(s: &str) -> String {
    let s = s.trim();
    let s = s.split('.').next().unwrap_or(s);
    s.strip_suffix("T00:00:00").unwrap_or(s).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::ExcelDateTimeType;

    #[test]
    fn numbers_and_text() {
        assert_eq!(cell_text(&Data::Float(101.0)), "101");
        assert_eq!(cell_text(&Data::Float(1.5)), "1.5");
        assert_eq!(cell_text(&Data::Float(-3.0)), "-3");
        assert_eq!(cell_text(&Data::Int(7)), "7");
        assert_eq!(
            cell_text(&Data::String("\u{a0} EXI-1\u{202f}".into())),
            "EXI-1"
        );
        assert_eq!(cell_text(&Data::String("a\r\nb".into())), "a\nb");
        assert_eq!(cell_text(&Data::Float(f64::NAN)), "NaN");
    }

    #[test]
    fn borrowed_cells_read_like_owned_ones() {
        let cases = [
            (
                DataRef::SharedString(" EXI-1\r\n"),
                Data::String(" EXI-1\r\n".into()),
            ),
            (DataRef::String("a\rb".into()), Data::String("a\rb".into())),
            (DataRef::Float(101.0), Data::Float(101.0)),
            (DataRef::Int(7), Data::Int(7)),
            (DataRef::Bool(true), Data::Bool(true)),
            (DataRef::Empty, Data::Empty),
            (
                DataRef::DateTimeIso("2026-03-14T00:00:00".into()),
                Data::DateTimeIso("2026-03-14T00:00:00".into()),
            ),
        ];
        for (r, d) in cases {
            assert_eq!(r.text(), d.text());
        }
    }

    #[test]
    fn dates() {
        let d = |v: f64| Data::DateTime(ExcelDateTime::new(v, ExcelDateTimeType::DateTime, false));
        assert_eq!(cell_text(&d(46095.0)), "2026-03-14");
        assert_eq!(cell_text(&d(46095.4375)), "2026-03-14T10:30:00");
        assert_eq!(cell_text(&d(46_095.437_499_99)), "2026-03-14T10:30:00");
        assert_eq!(
            cell_text(&Data::DateTimeIso("2026-03-14T00:00:00".into())),
            "2026-03-14"
        );
        assert_eq!(
            cell_text(&Data::DateTimeIso("2026-03-14T10:30:00.000".into())),
            "2026-03-14T10:30:00"
        );
    }
}

/// [`CellRows`] must give exactly the rows [`range_rows`] gives for the same sheet (minus blank
/// rows): property test on workbooks of random cells (text with spaces and line breaks,
/// numbers, booleans, dates, blank formatted cells) at random places.
#[cfg(test)]
mod streamed_rows {
    use super::*;
    use calamine::{ReaderRef, Xlsx};
    use proptest::prelude::*;
    use std::sync::atomic::AtomicBool;

    #[derive(Debug, Clone)]
    enum Value {
        Text(String),
        Number(f64),
        Bool(bool),
        Date(f64),
        Blank,
    }

    fn value() -> impl Strategy<Value = Value> {
        prop_oneof![
            "[ a-zA-Zé0-9\u{a0};,\r\n-]{0,10}".prop_map(Value::Text),
            (-1.0e6..1.0e6f64).prop_map(Value::Number),
            (-1000i32..1000).prop_map(|i| Value::Number(f64::from(i))),
            any::<bool>().prop_map(Value::Bool),
            (1.0..60_000.0f64).prop_map(Value::Date),
            Just(Value::Blank),
        ]
    }

    fn write(path: &std::path::Path, cells: &[(u32, u16, Value)]) {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let date = rust_xlsxwriter::Format::new().set_num_format("dd/mm/yyyy hh:mm");
        let ws = wb.add_worksheet();
        for (r, c, v) in cells {
            let done = match v {
                Value::Text(s) => ws.write_string(*r, *c, s).map(|_| ()),
                Value::Number(f) => ws.write_number(*r, *c, *f).map(|_| ()),
                Value::Bool(b) => ws.write_boolean(*r, *c, *b).map(|_| ()),
                Value::Date(f) => ws.write_number_with_format(*r, *c, *f, &date).map(|_| ()),
                Value::Blank => ws.write_blank(*r, *c, &date).map(|_| ()),
            };
            done.expect("cell written");
        }
        wb.save(path).expect("workbook saved");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(32))]
        #[test]
        fn streamed_rows_are_the_range_rows(
            cells in prop::collection::vec((0u32..40, 0u16..8, value()), 0..80)
        ) {
            let dir = tempfile::tempdir().expect("temp dir");
            let path = dir.path().join("t.xlsx");
            write(&path, &cells);
            let mut a: Xlsx<_> = calamine::open_workbook(&path).expect("open");
            let range = a.worksheet_range_ref("Sheet1").expect("range");
            let expected: Vec<Row> = range_rows(&range).filter(|r| !r.is_blank()).collect();
            let mut b: Xlsx<_> = calamine::open_workbook(&path).expect("open");
            let stop = AtomicBool::new(false);
            let mut rows = CellRows::new(b.worksheet_cells_reader("Sheet1").expect("cells"), &stop);
            let streamed: Vec<Row> = rows.by_ref().collect();
            prop_assert_eq!(rows.failed.clone(), None);
            prop_assert_eq!(streamed, expected);
        }
    }

    #[test]
    fn stopping_ends_the_rows() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("t.xlsx");
        let cells: Vec<(u32, u16, Value)> = (0..10)
            .map(|r| (r, 0, Value::Text(format!("L{r}"))))
            .collect();
        write(&path, &cells);
        let mut b: Xlsx<_> = calamine::open_workbook(&path).expect("open");
        let stop = AtomicBool::new(false);
        let mut rows = CellRows::new(b.worksheet_cells_reader("Sheet1").expect("cells"), &stop);
        assert_eq!(rows.next().map(|r| r.number), Some(1));
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        assert_eq!(rows.next(), None);
        assert_eq!(rows.failed, None);
    }
}
