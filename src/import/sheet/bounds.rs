//! Cell references beyond what a spreadsheet can hold.
//!
//! calamine builds a sheet's range as one dense grid spanning its first to its last cell: a
//! hostile xlsx with a single cell at column `ZZZZZZ` asks for tens of gigabytes and the
//! process aborts, and a reference of seven letters or more overflows calamine's arithmetic.
//! Excel and LibreOffice stop at column XFD (16,384) and row 1,048,576, so a worksheet whose
//! references (`r="…"` of rows and cells, `ref="…"` of the dimension, merged cells…) go
//! beyond is refused before calamine reads it. The scan streams each worksheet part once,
//! with constant memory.

use std::io::Read;
use std::path::Path;

use crate::error::{Error, Result};

/// Columns of a sheet (XFD).
pub const MAX_COLUMNS: u64 = 16_384;
/// Rows of a sheet.
pub const MAX_ROWS: u64 = 1_048_576;

/// Refuses an xlsx/xlsm archive with a worksheet reference beyond [`MAX_COLUMNS`] or
/// [`MAX_ROWS`], naming the file, the sheet part and the reference. Anything else (not a zip,
/// an unreadable part) passes: the reader reports it.
pub(crate) fn check_cell_references(path: &Path, file: &str) -> Result<()> {
    let Ok(f) = std::fs::File::open(path) else {
        return Ok(());
    };
    let Ok(mut zip) = zip::ZipArchive::new(std::io::BufReader::new(f)) else {
        return Ok(());
    };
    for i in 0..zip.len() {
        let Ok(entry) = zip.by_index(i) else {
            continue;
        };
        let Ok(name) = entry.name().map(|n| n.into_owned()) else {
            continue;
        };
        if !(name.starts_with("xl/worksheets/") && name.ends_with(".xml")) {
            continue;
        }
        if let Some(bad) = scan(entry) {
            return Err(Error::input(
                format!("{file} : classeur refusé — sa feuille {name} contient la référence « {bad} », au-delà de la dernière cellule d'une feuille (XFD1048576)"),
                format!("{file}: workbook refused — its sheet {name} holds the reference \"{bad}\", beyond the last cell of a sheet (XFD1048576)"),
            ));
        }
    }
    Ok(())
}

/// The first out-of-bounds reference in a worksheet part, if any (a part that cannot be read
/// to the end gives what was found so far).
fn scan(mut part: impl Read) -> Option<String> {
    let mut buf = vec![0u8; 64 * 1024];
    // Bytes kept from the previous chunk: an attribute may straddle two chunks.
    let mut carry: Vec<u8> = Vec::new();
    loop {
        let n = part.read(&mut buf).ok()?;
        if n == 0 {
            return None;
        }
        carry.extend_from_slice(&buf[..n]);
        let (bad, consumed) = scan_chunk(&carry);
        if bad.is_some() {
            return bad;
        }
        carry.drain(..consumed);
    }
}

/// Longest attribute value looked at; a longer one is not a reference calamine parses as one.
const MAX_VALUE: usize = 64;

/// Scans `text` for ` r="…"` and ` ref="…"` values; returns an out-of-bounds reference, and how
/// many bytes were fully scanned (the rest may hold an attribute cut by the chunk's end).
fn scan_chunk(text: &[u8]) -> (Option<String>, usize) {
    let mut i = 0;
    let mut consumed = text.len().saturating_sub(MAX_VALUE + 8);
    while let Some(off) = memchr_eq(&text[i..]) {
        let eq = i + off;
        i = eq + 1;
        let name_start = {
            let mut s = eq;
            while s > 0 && text[s - 1].is_ascii_alphabetic() {
                s -= 1;
            }
            s
        };
        let name = &text[name_start..eq];
        if !(name == b"r" || name == b"ref") || name_start == 0 || !is_space(text[name_start - 1]) {
            continue;
        }
        let Some(&quote) = text.get(eq + 1) else {
            consumed = consumed.min(name_start);
            break;
        };
        if quote != b'"' && quote != b'\'' {
            continue;
        }
        let start = eq + 2;
        let end = match text[start..]
            .iter()
            .take(MAX_VALUE)
            .position(|&b| b == quote)
        {
            Some(p) => start + p,
            None if text.len() - start < MAX_VALUE => {
                // Cut by the chunk's end: scanned again with the next chunk.
                consumed = consumed.min(name_start);
                break;
            }
            None => continue,
        };
        let value = &text[start..end];
        for cell in value.split(|&b| b == b':' || b == b' ') {
            if out_of_bounds(cell) {
                return (
                    Some(String::from_utf8_lossy(value).into_owned()),
                    text.len(),
                );
            }
        }
    }
    (None, consumed)
}

fn memchr_eq(text: &[u8]) -> Option<usize> {
    text.iter().position(|&b| b == b'=')
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// Whether `A1`-style text (letters then digits, `$` allowed) names a column or row beyond a
/// sheet's last; anything else is not a reference and passes.
fn out_of_bounds(cell: &[u8]) -> bool {
    let cell: Vec<u8> = cell.iter().copied().filter(|&b| b != b'$').collect();
    let letters = cell.iter().take_while(|b| b.is_ascii_alphabetic()).count();
    let digits = &cell[letters..];
    if !digits.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let mut col: u64 = 0;
    for &c in &cell[..letters] {
        col = col * 26 + u64::from(c.to_ascii_uppercase() - b'A') + 1;
        if col > MAX_COLUMNS {
            return true;
        }
    }
    let mut row: u64 = 0;
    for &d in digits {
        row = row * 10 + u64::from(d - b'0');
        if row > MAX_ROWS {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_within_a_sheet_pass() {
        for ok in ["A1", "XFD1048576", "$B$2", "A:A", "1:1", "R4", "", "x1y"] {
            assert!(!out_of_bounds(ok.as_bytes()), "{ok}");
        }
        for bad in [
            "XFE1",
            "ZZZZZZ1",
            "AAAAAAAAAAAAAAAAAAAA1",
            "A1048577",
            "A99999999999999999999",
        ] {
            assert!(out_of_bounds(bad.as_bytes()), "{bad}");
        }
    }

    #[test]
    fn the_scan_finds_references_across_chunks() {
        let mut xml = String::from("<worksheet><dimension ref=\"A1:B2\"/><sheetData>");
        for r in 1..5000 {
            xml.push_str(&format!(
                "<row r=\"{r}\"><c r=\"A{r}\" t=\"s\"><v>1</v></c></row>"
            ));
        }
        assert_eq!(scan(xml.as_bytes()), None);
        xml.push_str("<row r=\"5000\"><c s=\"1\"\n r='ZZZZZZ5000'><v>1</v></c></row>");
        assert_eq!(scan(xml.as_bytes()).as_deref(), Some("ZZZZZZ5000"));
        // Read one byte at a time: every attribute straddles a chunk.
        struct Slow<'a>(&'a [u8]);
        impl Read for Slow<'_> {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                let Some((&b, rest)) = self.0.split_first() else {
                    return Ok(0);
                };
                buf[0] = b;
                self.0 = rest;
                Ok(1)
            }
        }
        assert_eq!(scan(Slow(xml.as_bytes())).as_deref(), Some("ZZZZZZ5000"));
        assert_eq!(
            scan(Slow(b"<dimension ref=\"A1:AAAAAAAA9\"/>")).as_deref(),
            Some("A1:AAAAAAAA9")
        );
    }
}
