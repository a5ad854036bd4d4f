//! CSV and TSV files, as French offices write them.
//!
//! French Excel saves "CSV" with `;` as separator (the comma is the decimal mark) and in
//! Windows-1252; other tools write UTF-8, sometimes with a BOM, or UTF-16 with a BOM. Neither
//! the encoding nor the separator is declared, so both are guessed. Invalid bytes become U+FFFD
//! rather than an error: a stray byte must not stop a 10,000-line import.

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1252};

use super::grid::{clean, Row};

/// A decoded text file and the separator found in it.
#[derive(Debug, Clone)]
pub(crate) struct CsvText {
    text: String,
    pub delimiter: u8,
    /// Name of the encoding it was read as (`UTF-8`, `windows-1252`, ...).
    pub encoding: &'static str,
}

impl CsvText {
    /// Decodes bytes and sniffs the separator; `tsv` says the extension asked for tabs.
    #[cfg(test)]
    pub fn new(bytes: &[u8], tsv: bool) -> CsvText {
        CsvText::with(bytes, tsv, None, None)
    }

    /// Like [`CsvText::new`], with the encoding and separator given by a mapping when known.
    pub fn with(
        bytes: &[u8],
        tsv: bool,
        encoding: Option<&'static Encoding>,
        delimiter: Option<u8>,
    ) -> CsvText {
        let (text, encoding) = match encoding {
            Some(enc) => (enc.decode(bytes).0.into_owned(), enc.name()),
            None => decode(bytes),
        };
        let delimiter =
            delimiter.unwrap_or_else(|| if tsv { b'\t' } else { sniff_delimiter(&text) });
        CsvText {
            text,
            delimiter,
            encoding,
        }
    }

    /// [`CsvText::with`] of bytes it may keep: a file in UTF-8 without a BOM (the usual case)
    /// becomes the text without a copy, so a large file is held once, not twice.
    pub fn from_bytes(
        bytes: Vec<u8>,
        tsv: bool,
        encoding: Option<&'static Encoding>,
        delimiter: Option<u8>,
    ) -> CsvText {
        let plain_utf8 = match encoding {
            None => Encoding::for_bom(&bytes).is_none(),
            Some(e) => e == UTF_8 && Encoding::for_bom(&bytes).is_none(),
        };
        if !plain_utf8 {
            return CsvText::with(&bytes, tsv, encoding, delimiter);
        }
        match String::from_utf8(bytes) {
            Ok(text) => {
                let delimiter =
                    delimiter.unwrap_or_else(|| if tsv { b'\t' } else { sniff_delimiter(&text) });
                CsvText {
                    text,
                    delimiter,
                    encoding: UTF_8.name(),
                }
            }
            Err(e) => CsvText::with(e.as_bytes(), tsv, encoding, delimiter),
        }
    }

    /// The records, numbered by the line they start on, cells trimmed.
    pub fn rows(&self) -> impl Iterator<Item = Row> + '_ {
        let mut reader = ::csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(self.delimiter)
            .from_reader(self.text.as_bytes());
        let mut record = ::csv::StringRecord::new();
        std::iter::from_fn(move || loop {
            match reader.read_record(&mut record) {
                Ok(false) => return None,
                Ok(true) => {
                    let number = record.position().map_or(0, |p| line_of(&self.text, p));
                    let cells = record
                        .iter()
                        .enumerate()
                        .filter_map(|(i, c)| {
                            let t = clean(c);
                            (!t.is_empty()).then_some((i, t))
                        })
                        .collect();
                    return Some(Row { number, cells });
                }
                // The text is valid UTF-8 and the reader flexible: errors are not expected,
                // but a bad record is skipped rather than ending the file.
                Err(_) => continue,
            }
        })
    }
}

/// The line a record starts on. The reader reports the start of the blank lines it skipped
/// before the record, so these are counted here.
fn line_of(text: &str, p: &::csv::Position) -> u64 {
    let mut line = p.line();
    let rest = text
        .as_bytes()
        .get(usize::try_from(p.byte()).unwrap_or(usize::MAX)..)
        .unwrap_or_default();
    let mut it = rest.iter().peekable();
    while let Some(b) = it.next() {
        match b {
            b'\n' => line += 1,
            b'\r' if it.peek() != Some(&&b'\n') => line += 1,
            b'\r' => {}
            _ => break,
        }
    }
    line
}

/// Decodes by BOM (UTF-8, UTF-16 LE/BE), else UTF-8 when valid, else Windows-1252.
pub(crate) fn decode(bytes: &[u8]) -> (String, &'static str) {
    let enc: &'static Encoding = match Encoding::for_bom(bytes) {
        Some((enc, _)) => enc,
        None if std::str::from_utf8(bytes).is_ok() => UTF_8,
        None if has_utf8_multibyte(bytes) => {
            // Mixed encodings (lines pasted from two tools): each line is read as UTF-8 when it
            // is valid UTF-8, else as Windows-1252, so no line is garbled by the other's choice.
            let mut text = String::with_capacity(bytes.len());
            for line in bytes.split_inclusive(|b| *b == b'\n') {
                match std::str::from_utf8(line) {
                    Ok(l) => text.push_str(l),
                    Err(_) => text.push_str(&WINDOWS_1252.decode_without_bom_handling(line).0),
                }
            }
            return (text, WINDOWS_1252.name());
        }
        None => WINDOWS_1252,
    };
    // `decode` strips the BOM of the encoding it was given and replaces malformed sequences.
    let (text, used, _had_errors) = enc.decode(bytes);
    let name = if used == UTF_16LE || used == UTF_16BE || used == UTF_8 {
        used.name()
    } else {
        WINDOWS_1252.name()
    };
    (text.into_owned(), name)
}

/// Whether some line is valid UTF-8 with non-ASCII characters (so the file is at least partly
/// UTF-8).
fn has_utf8_multibyte(bytes: &[u8]) -> bool {
    bytes
        .split(|b| *b == b'\n')
        .any(|l| !l.is_ascii() && std::str::from_utf8(l).is_ok())
}

/// Picks `;`, `,` or tab: the one whose count per line (outside quotes) is the same on most of
/// the first lines, then the one with the larger count. Commas inside French sentences vary
/// from line to line; the real separator does not.
pub(crate) fn sniff_delimiter(text: &str) -> u8 {
    const CANDIDATES: [u8; 3] = [b';', b',', b'\t'];
    let counts: Vec<[usize; 3]> = logical_lines(text, 30)
        .iter()
        .map(|l| {
            let mut c = [0usize; 3];
            for (i, d) in CANDIDATES.iter().enumerate() {
                c[i] = count_outside_quotes(l, *d);
            }
            c
        })
        .filter(|c| c.iter().any(|n| *n > 0))
        .collect();
    let mut best = (b',', 0usize, 0usize);
    for (i, d) in CANDIDATES.iter().enumerate() {
        let mut freq: std::collections::BTreeMap<usize, usize> = Default::default();
        for c in &counts {
            if c[i] > 0 {
                *freq.entry(c[i]).or_default() += 1;
            }
        }
        // The most frequent non-zero count, preferring the larger count on ties.
        let (mode, lines) = freq
            .iter()
            .map(|(n, l)| (*n, *l))
            .max_by_key(|(n, l)| (*l, *n))
            .unwrap_or((0, 0));
        if (lines, mode) > (best.1, best.2) {
            best = (*d, lines, mode);
        }
    }
    best.0
}

/// The first `max` lines, where a line break inside quotes does not end a line.
fn logical_lines(text: &str, max: usize) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut quoted = false;
    for (i, b) in text.bytes().enumerate() {
        match b {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => {
                out.push(&text[start..i]);
                start = i + 1;
                if out.len() >= max {
                    return out;
                }
            }
            _ => {}
        }
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out
}

/// Occurrences of a byte outside double quotes.
fn count_outside_quotes(line: &str, d: u8) -> usize {
    let mut quoted = false;
    let mut n = 0;
    for b in line.bytes() {
        if b == b'"' {
            quoted = !quoted;
        } else if b == d && !quoted {
            n += 1;
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_kept_or_decoded_alike() {
        for bytes in [
            "Réf;Titre\nEXI-1;Créer\n".as_bytes().to_vec(),
            b"\xef\xbb\xbfR\xc3\xa9f,Titre\nEXI-1,x\n".to_vec(),
            b"R\xe9f;Titre\nEXI-1;Cr\xe9er\n".to_vec(),
            b"\xff\xfeR\x00;\x00T\x00\n\x00".to_vec(),
        ] {
            let a = CsvText::with(&bytes, false, None, None);
            let b = CsvText::from_bytes(bytes.clone(), false, None, None);
            assert_eq!(
                (a.text, a.delimiter, a.encoding),
                (b.text, b.delimiter, b.encoding)
            );
            let a = CsvText::with(&bytes, true, Some(UTF_8), Some(b';'));
            let b = CsvText::from_bytes(bytes, true, Some(UTF_8), Some(b';'));
            assert_eq!(
                (a.text, a.delimiter, a.encoding),
                (b.text, b.delimiter, b.encoding)
            );
        }
    }

    #[test]
    fn encodings() {
        assert_eq!(
            decode(b"\xEF\xBB\xBFR\xC3\xA9f"),
            ("Réf".to_string(), "UTF-8")
        );
        assert_eq!(decode(b"R\xE9f\x80"), ("Réf€".to_string(), "windows-1252"));
        assert_eq!(
            decode(b"\xFF\xFER\x00\xE9\x00"),
            ("Ré".to_string(), "UTF-16LE")
        );
        assert_eq!(
            decode(b"\xFE\xFF\x00R\x00\xE9"),
            ("Ré".to_string(), "UTF-16BE")
        );
        // A lone surrogate half does not panic.
        assert_eq!(decode(b"\xFF\xFE\x00\xD8").1, "UTF-16LE");
    }

    #[test]
    fn delimiters() {
        assert_eq!(sniff_delimiter("a;b;c\n1;\"x;y\";3\n"), b';');
        assert_eq!(
            sniff_delimiter(
                "Réf;Libellé\nE1;Saisir le nom, le prénom, l'adresse\nE2;Valider, puis fermer\n"
            ),
            b';'
        );
        assert_eq!(sniff_delimiter("a,b,c\n1,2,3\n"), b',');
        assert_eq!(sniff_delimiter("a\tb\n1\t2\n"), b'\t');
        assert_eq!(sniff_delimiter(""), b',');
    }

    #[test]
    fn rows_numbered_by_line() {
        let t = CsvText::new(
            "Réf;Texte\nE1;\"deux\nlignes\"\n\nE2; x \n".as_bytes(),
            false,
        );
        let rows: Vec<Row> = t.rows().collect();
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[2].number, 5);
        assert_eq!(rows[1].get(1), "deux\nlignes");
        assert_eq!(rows[2].get(1), "x");
        let t = CsvText::new(b"a;b\r\nE1;x\r\n\r\n\r\nE2;y\r\n", false);
        let lines: Vec<u64> = t.rows().map(|r| r.number).collect();
        assert_eq!(lines, vec![1, 2, 5]);
    }
}
