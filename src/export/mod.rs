//! Workbooks recette writes for people to read and fill: the whole project
//! ([`workbook::export_workbook`], `recette export workbook`) and the offline execution sheet
//! of a campaign ([`campaign_sheet::campaign_sheet`], `recette campaign sheet`). Both use
//! headers that `import::sheet` recognises, so they read back with `recette import`.
//!
//! # Text is never a formula
//!
//! Every value is written with `write_string`, which stores a string cell (`t="s"`): Excel
//! never evaluates it, whatever it starts with (`=`, `+`, `-`, `@`, tab, CR). The workbooks
//! contain no `<f>` element at all (the tests unzip them to check). A text starting with one
//! of those characters also gets the "quote prefix" style (Excel's leading apostrophe) so that
//! a tester who opens the cell and presses Enter keeps text instead of creating a formula.

pub mod campaign_sheet;
pub mod workbook;

use rust_xlsxwriter::{
    Color, DataValidation, DataValidationErrorStyle, DocProperties, ExcelDateTime, Format,
    FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError,
};

use crate::error::{Error, Result};
use crate::import::sheet::mapping::column_letter;

/// Excel's limit on the characters of one cell.
const MAX_CELL_CHARS: usize = 32_767;

/// Rows below the data that keep the drop-down lists, so that rows typed in later get them.
const VALIDATION_SLACK: u32 = 1_000;

/// Whether a text would become a formula (or a DDE call) if typed into a cell: it starts with
/// `=`, `+`, `-`, `@`, a tab or a carriage return.
pub fn looks_like_formula(text: &str) -> bool {
    matches!(
        text.chars().next(),
        Some('=' | '+' | '-' | '@' | '\t' | '\r')
    )
}

/// An error of the workbook writer, worded for users.
pub(crate) fn xl(e: XlsxError) -> Error {
    Error::Other(format!("écriture du classeur impossible : {e}"))
}

/// How a column's cells look and whether a tester may type in them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Style {
    /// Plain data (locked when the sheet is protected).
    Text,
    /// To be filled in: unlocked, light yellow.
    Entry,
    /// Identifiers and technical columns: locked, grey.
    Grey,
}

/// One column of a table: header (a word the reader recognises), width, style.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Column {
    pub header: &'static str,
    pub width: f64,
    pub style: Style,
}

pub(crate) const fn col(header: &'static str, width: f64, style: Style) -> Column {
    Column {
        header,
        width,
        style,
    }
}

/// The formats of a workbook: per style, plain and quote-prefixed, and bold for test rows.
pub(crate) struct Styles {
    header: Format,
    /// (style, bold, quote prefix) -> format.
    cells: Vec<((Style, bool, bool), Format)>,
    /// Unlocked, no fill: the column format of entry columns (rows added later stay editable).
    entry_column: Format,
}

impl Styles {
    pub fn new() -> Styles {
        let base = Format::new()
            .set_align(FormatAlign::Top)
            .set_text_wrap()
            .set_border(FormatBorder::Thin)
            .set_border_color(Color::RGB(0xBFBFBF));
        let header = base
            .clone()
            .set_bold()
            .set_font_color(Color::White)
            .set_background_color(Color::RGB(0x1F4E79));
        let mut cells = Vec::new();
        for style in [Style::Text, Style::Entry, Style::Grey] {
            for bold in [false, true] {
                for quote in [false, true] {
                    let mut f = base.clone();
                    f = match style {
                        Style::Text => f,
                        Style::Entry => f.set_unlocked().set_background_color(Color::RGB(0xFFF2CC)),
                        Style::Grey => f
                            .set_background_color(Color::RGB(0xEDEDED))
                            .set_font_color(Color::RGB(0x404040)),
                    };
                    if bold {
                        f = f.set_bold();
                    }
                    if quote {
                        f = f.set_quote_prefix();
                    }
                    cells.push(((style, bold, quote), f));
                }
            }
        }
        Styles {
            header,
            cells,
            entry_column: Format::new().set_unlocked(),
        }
    }

    fn cell(&self, style: Style, bold: bool, quote: bool) -> &Format {
        self.cells
            .iter()
            .find(|(k, _)| *k == (style, bold, quote))
            .map(|(_, f)| f)
            .unwrap_or(&self.header)
    }
}

/// Writes one table (header row, then data rows) into a worksheet.
pub(crate) struct Table<'a> {
    pub ws: &'a mut Worksheet,
    sheet: String,
    cols: &'a [Column],
    styles: &'a Styles,
    /// Next row to write (0-based); row 0 holds the headers.
    pub row: u32,
}

impl<'a> Table<'a> {
    /// Names the worksheet, writes the headers and sets widths.
    pub fn new(
        ws: &'a mut Worksheet,
        sheet: &str,
        cols: &'a [Column],
        styles: &'a Styles,
    ) -> Result<Table<'a>> {
        ws.set_name(sheet).map_err(xl)?;
        for (i, c) in cols.iter().enumerate() {
            let i = col_num(i);
            ws.write_string_with_format(0, i, c.header, &styles.header)
                .map_err(xl)?;
            ws.set_column_width(i, c.width).map_err(xl)?;
            if c.style == Style::Entry {
                ws.set_column_format(i, &styles.entry_column).map_err(xl)?;
            }
        }
        ws.set_row_height(0, 30).map_err(xl)?;
        Ok(Table {
            ws,
            sheet: sheet.to_string(),
            cols,
            styles,
            row: 1,
        })
    }

    /// Writes one row of values (by column; missing values are blank). `grey` greys every
    /// non-entry cell (continuation rows); `bold` marks a test's first row.
    pub fn row(&mut self, values: &[&str], grey: bool, bold: bool) -> Result<()> {
        for (i, c) in self.cols.iter().enumerate() {
            let value = values.get(i).copied().unwrap_or("");
            let style = match c.style {
                Style::Text if grey => Style::Grey,
                s => s,
            };
            self.cell(i, value, style, bold)?;
        }
        self.row += 1;
        Ok(())
    }

    fn cell(&mut self, i: usize, value: &str, style: Style, bold: bool) -> Result<()> {
        let (r, c) = (self.row, col_num(i));
        if value.is_empty() {
            let f = self.styles.cell(style, bold, false);
            self.ws.write_blank(r, c, f).map_err(xl)?;
            return Ok(());
        }
        if value.chars().count() > MAX_CELL_CHARS {
            let at = format!("{} › {}{}", self.sheet, column_letter(i), r + 1);
            return Err(Error::input(
                format!("{at} : texte trop long pour une cellule Excel ({} caractères, au plus {MAX_CELL_CHARS})", value.chars().count()),
                format!("{at}: text too long for an Excel cell ({} characters, at most {MAX_CELL_CHARS})", value.chars().count()),
            ));
        }
        let f = self.styles.cell(style, bold, looks_like_formula(value));
        self.ws
            .write_string_with_format(r, c, value, f)
            .map_err(xl)?;
        Ok(())
    }

    /// Adds drop-down lists, freezes the header row (and `frozen_cols` columns) and sets the
    /// autofilter over the data.
    pub fn finish(self, lists: &[(usize, Vec<&str>)], frozen_cols: u16) -> Result<u64> {
        let last_col = col_num(self.cols.len().saturating_sub(1));
        let last_row = self.row.saturating_sub(1).max(1);
        for (i, words) in lists {
            let dv = DataValidation::new()
                .allow_list_strings(words)
                .map_err(xl)?
                .set_error_style(DataValidationErrorStyle::Warning)
                .set_error_title("Valeur inattendue")
                .map_err(xl)?
                .set_error_message(format!("Valeurs attendues : {}", words.join(", ")))
                .map_err(xl)?;
            let c = col_num(*i);
            self.ws
                .add_data_validation(1, c, last_row + VALIDATION_SLACK, c, &dv)
                .map_err(xl)?;
        }
        self.ws.set_freeze_panes(1, frozen_cols).map_err(xl)?;
        self.ws.autofilter(0, 0, last_row, last_col).map_err(xl)?;
        Ok(u64::from(self.row - 1))
    }
}

/// A column index as rust_xlsxwriter wants it (tables here have a dozen columns).
fn col_num(i: usize) -> u16 {
    u16::try_from(i).unwrap_or(u16::MAX)
}

/// A new workbook whose document properties are fixed by the context's clock (`RECETTE_NOW`),
/// so that the same store exported twice gives the same bytes.
pub(crate) fn new_workbook(now: &str, title: &str) -> Workbook {
    let mut wb = Workbook::new();
    let mut props = DocProperties::new().set_title(title).set_author("recette");
    if let Ok(t) = ExcelDateTime::parse_from_str(now) {
        props = props.set_creation_datetime(&t);
    }
    wb.set_properties(&props);
    wb
}

/// The print setup of every sheet recette writes: A4 landscape, one page wide (as many pages
/// down as needed), the header row repeated on each page, the sheet's name on top and
/// "page X / Y" at the foot — what a lead prints for a steering committee.
pub(crate) fn print_setup(wb: &mut Workbook) -> Result<()> {
    for ws in wb.worksheets_mut() {
        ws.set_landscape();
        ws.set_paper_size(9);
        ws.set_print_fit_to_pages(1, 0);
        ws.set_repeat_rows(0, 0).map_err(xl)?;
        ws.set_header("&L&A");
        ws.set_footer("&Rpage &P / &N");
    }
    Ok(())
}

/// Saves a workbook (with [`print_setup`]), naming the file in errors.
pub(crate) fn save(wb: &mut Workbook, out: &std::path::Path) -> Result<()> {
    print_setup(wb)?;
    if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    }
    wb.save(out).map_err(|e| match e {
        XlsxError::IoError(io) => Error::io(out, io),
        other => xl(other),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_like() {
        for t in ["=1+1", "+33 6", "-x", "@SUM(A1)", "\tA", "\rB"] {
            assert!(looks_like_formula(t), "{t:?}");
        }
        for t in ["EXI-1", "a=b", "", " =x"] {
            assert!(!looks_like_formula(t), "{t:?}");
        }
    }
}
