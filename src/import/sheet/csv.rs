//! CSV and TSV files, as French offices write them.
//!
//! French Excel saves "CSV" with `;` as separator (the comma is the decimal mark) and in
//! Windows-1252; other tools write UTF-8, sometimes with a BOM, or UTF-16 with a BOM. Neither
//! the encoding nor the separator is declared, so both are guessed. Invalid bytes become U+FFFD
//! rather than an error: a stray byte must not stop a 10,000-line import.

use std::io::Read;

use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};
#[cfg(test)]
use encoding_rs::{UTF_16BE, UTF_16LE};

use super::grid::{clean, Row};

/// A decoded text file and the separator found in it: the whole-file reading that
/// [`CsvStream`] must equal (kept as the reference of its tests).
#[cfg(test)]
#[derive(Debug, Clone)]
pub(crate) struct CsvText {
    text: String,
    pub delimiter: u8,
    /// Name of the encoding it was read as (`UTF-8`, `windows-1252`, ...).
    pub encoding: &'static str,
}

#[cfg(test)]
impl CsvText {
    /// Decodes bytes and sniffs the separator; `tsv` says the extension asked for tabs.
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
            Some(enc) => {
                let (text, used, _) = enc.decode(bytes);
                (text.into_owned(), used.name())
            }
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

    /// The records, numbered by the line they start on, cells trimmed.
    pub fn rows(&self) -> impl Iterator<Item = Row> + '_ {
        let mut reader = reader_builder(self.delimiter).from_reader(self.text.as_bytes());
        let mut record = ::csv::StringRecord::new();
        std::iter::from_fn(move || loop {
            match reader.read_record(&mut record) {
                Ok(false) => return None,
                Ok(true) => {
                    let number = record.position().map_or(0, |p| line_of(&self.text, p));
                    return Some(record_row(number, &record));
                }
                // The text is valid UTF-8 and the reader flexible: errors are not expected,
                // but a bad record is skipped rather than ending the file.
                Err(_) => continue,
            }
        })
    }
}

/// A CSV or TSV file read as it streams: decoded chunk by chunk (the same text as
/// [`decode`] gives for the whole file: by BOM, else line by line UTF-8 or Windows-1252),
/// records numbered by line, so a file of any size is held a chunk at a time.
pub(crate) struct CsvStream<R: Read> {
    reader: ::csv::Reader<Decoded<R>>,
    pub delimiter: u8,
    /// The first read error, which ends the records.
    pub error: Option<std::io::Error>,
}

impl<R: Read> CsvStream<R> {
    /// Starts reading; the separator is `delimiter`, else a tab for `tsv`, else sniffed on the
    /// first megabyte of text (the first 30 lines: [`sniff_delimiter`]).
    pub fn new(
        inner: R,
        tsv: bool,
        encoding: Option<&'static Encoding>,
        delimiter: Option<u8>,
    ) -> std::io::Result<CsvStream<R>> {
        let mut decoded = Decoded::new(inner, encoding)?;
        let delimiter = match delimiter {
            Some(d) => d,
            None if tsv => b'\t',
            None => sniff_delimiter(&String::from_utf8_lossy(decoded.prefix(1 << 20)?)),
        };
        let reader = reader_builder(delimiter).from_reader(decoded);
        Ok(CsvStream {
            reader,
            delimiter,
            error: None,
        })
    }

    /// Name of the encoding the file was read as (`UTF-8`, `windows-1252`, `UTF-16LE`...):
    /// final once every record is read.
    pub fn encoding(&self) -> &'static str {
        self.reader.get_ref().encoding_name()
    }

    /// The records, numbered by the line they start on, cells trimmed; a read error ends them
    /// and is kept in [`CsvStream::error`].
    pub fn rows(&mut self) -> impl Iterator<Item = Row> + '_ {
        let mut record = ::csv::StringRecord::new();
        std::iter::from_fn(move || loop {
            match self.reader.read_record(&mut record) {
                Ok(false) => return None,
                Ok(true) => {
                    let number = record.position().map_or(0, |p| {
                        let d = self.reader.get_ref();
                        line_after_blanks(p, |at| d.byte_at(at))
                    });
                    return Some(record_row(number, &record));
                }
                Err(e) => match e.into_kind() {
                    ::csv::ErrorKind::Io(e) => {
                        self.error = Some(e);
                        return None;
                    }
                    // The text is valid UTF-8 and the reader flexible: not expected, but a bad
                    // record is skipped rather than ending the file.
                    _ => continue,
                },
            }
        })
    }
}

impl CsvStream<std::fs::File> {
    /// Reads the file at `path` through `f`, which gets its records; returns the encoding and
    /// the separator it was read with. A file that cannot be opened or read is an error.
    pub fn read_file(
        path: &std::path::Path,
        tsv: bool,
        encoding: Option<&'static Encoding>,
        delimiter: Option<u8>,
        f: impl FnOnce(&mut dyn Iterator<Item = Row>),
    ) -> crate::error::Result<(&'static str, u8)> {
        let io = |e| crate::error::Error::io(path, e);
        let file = std::fs::File::open(path).map_err(io)?;
        let mut text = CsvStream::new(file, tsv, encoding, delimiter).map_err(io)?;
        f(&mut text.rows());
        match text.error.take() {
            Some(e) => Err(io(e)),
            None => Ok((text.encoding(), text.delimiter)),
        }
    }
}

/// The reader of every CSV: no header row (headers are detected), rows of any length.
fn reader_builder(delimiter: u8) -> ::csv::ReaderBuilder {
    let mut b = ::csv::ReaderBuilder::new();
    b.has_headers(false).flexible(true).delimiter(delimiter);
    b
}

/// A record as a [`Row`]: its line and its non-empty cells, trimmed.
fn record_row(number: u64, record: &::csv::StringRecord) -> Row {
    let cells = record
        .iter()
        .enumerate()
        .filter_map(|(i, c)| {
            let t = clean(c);
            (!t.is_empty()).then_some((i, t))
        })
        .collect();
    Row { number, cells }
}

/// The bytes of a file decoded to UTF-8 as they are read, keeping the last megabytes handed
/// out so that a record's line can be found ([`line_after_blanks`]).
pub(crate) struct Decoded<R> {
    inner: R,
    mode: Mode,
    /// Raw bytes read but not decoded yet (line by line: the unfinished line).
    raw: Vec<u8>,
    /// Decoded bytes not handed out yet, from `out_pos`.
    out: Vec<u8>,
    out_pos: usize,
    eof: bool,
    /// Line by line: whether every line so far was UTF-8.
    all_utf8: bool,
    /// The decoded bytes handed out last, starting at offset `history_start` of the text.
    history: Vec<u8>,
    history_start: u64,
}

enum Mode {
    /// No BOM, no encoding given: each line UTF-8 when it is valid UTF-8, else Windows-1252.
    Lines,
    /// A BOM or an encoding given (a BOM wins, as [`Encoding::decode`] does).
    Decoder(encoding_rs::Decoder),
}

/// How much of the handed-out text is kept to find a record's line.
const HISTORY: usize = 4 << 20;
const CHUNK: usize = 64 << 10;

impl<R: Read> Decoded<R> {
    fn new(mut inner: R, given: Option<&'static Encoding>) -> std::io::Result<Decoded<R>> {
        // Enough bytes to see a BOM.
        let mut raw = Vec::with_capacity(CHUNK);
        let mut head = [0u8; 4];
        let mut n = 0;
        while n < head.len() {
            let k = inner.read(&mut head[n..])?;
            if k == 0 {
                break;
            }
            n += k;
        }
        raw.extend_from_slice(&head[..n]);
        let mode = match (Encoding::for_bom(&raw), given) {
            (Some((enc, _)), _) | (None, Some(enc)) => Mode::Decoder(enc.new_decoder()),
            (None, None) => Mode::Lines,
        };
        Ok(Decoded {
            inner,
            mode,
            raw,
            out: Vec::new(),
            out_pos: 0,
            eof: false,
            all_utf8: true,
            history: Vec::new(),
            history_start: 0,
        })
    }

    fn encoding_name(&self) -> &'static str {
        match &self.mode {
            Mode::Lines if self.all_utf8 => UTF_8.name(),
            Mode::Lines => WINDOWS_1252.name(),
            // The BOM's encoding, else the one given.
            Mode::Decoder(d) => d.encoding().name(),
        }
    }

    /// The first `n` decoded bytes (fewer at the end of the file), not consumed.
    fn prefix(&mut self, n: usize) -> std::io::Result<&[u8]> {
        while self.out.len() - self.out_pos < n && !self.eof {
            self.fill()?;
        }
        Ok(&self.out[self.out_pos..])
    }

    /// A byte of the text already handed out, if still kept.
    fn byte_at(&self, at: u64) -> Option<u8> {
        let i = usize::try_from(at.checked_sub(self.history_start)?).ok()?;
        self.history.get(i).copied()
    }

    /// Reads and decodes one more chunk (or the end of the file).
    fn fill(&mut self) -> std::io::Result<()> {
        if self.out_pos > 0 && self.out_pos == self.out.len() {
            self.out.clear();
            self.out_pos = 0;
        }
        let start = self.raw.len();
        self.raw.resize(start + CHUNK, 0);
        let k = loop {
            match self.inner.read(&mut self.raw[start..]) {
                Ok(k) => break k,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    self.raw.truncate(start);
                    return Err(e);
                }
            }
        };
        self.raw.truncate(start + k);
        self.eof = k == 0;
        match &mut self.mode {
            Mode::Lines => {
                let complete = if self.eof {
                    self.raw.len()
                } else {
                    self.raw
                        .iter()
                        .rposition(|b| *b == b'\n')
                        .map_or(0, |i| i + 1)
                };
                for line in self.raw[..complete].split_inclusive(|b| *b == b'\n') {
                    match std::str::from_utf8(line) {
                        Ok(l) => self.out.extend_from_slice(l.as_bytes()),
                        Err(_) => {
                            self.all_utf8 = false;
                            let text = WINDOWS_1252.decode_without_bom_handling(line).0;
                            self.out.extend_from_slice(text.as_bytes());
                        }
                    }
                }
                self.raw.drain(..complete);
            }
            Mode::Decoder(d) => {
                let room = d
                    .max_utf8_buffer_length(self.raw.len())
                    .unwrap_or(self.raw.len() * 3 + 16);
                let at = self.out.len();
                self.out.resize(at + room, 0);
                let (_, read, written, _) =
                    d.decode_to_utf8(&self.raw, &mut self.out[at..], self.eof);
                self.out.truncate(at + written);
                self.raw.drain(..read);
            }
        }
        Ok(())
    }
}

impl<R: Read> Read for Decoded<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.out_pos == self.out.len() && !self.eof {
            self.fill()?;
        }
        let n = buf.len().min(self.out.len() - self.out_pos);
        let got = &self.out[self.out_pos..self.out_pos + n];
        buf[..n].copy_from_slice(got);
        if self.history.len() + n > 2 * HISTORY {
            let drop = self.history.len().saturating_sub(HISTORY);
            self.history.drain(..drop);
            self.history_start += drop as u64;
        }
        self.history.extend_from_slice(got);
        self.out_pos += n;
        Ok(n)
    }
}

/// The line a record starts on: the reader reports the start of the blank lines it skipped
/// before the record, so those are counted here (`byte_at` gives the text's bytes from the
/// reported position on, `None` past what is known).
fn line_after_blanks(p: &::csv::Position, byte_at: impl Fn(u64) -> Option<u8>) -> u64 {
    let mut line = p.line();
    let mut at = p.byte();
    while let Some(b) = byte_at(at) {
        match b {
            b'\n' => line += 1,
            b'\r' if byte_at(at + 1) != Some(b'\n') => line += 1,
            b'\r' => {}
            _ => break,
        }
        at += 1;
    }
    line
}

/// [`line_after_blanks`] in a whole text.
#[cfg(test)]
fn line_of(text: &str, p: &::csv::Position) -> u64 {
    let b = text.as_bytes();
    line_after_blanks(p, |at| {
        usize::try_from(at).ok().and_then(|i| b.get(i).copied())
    })
}

/// Decodes by BOM (UTF-8, UTF-16 LE/BE), else UTF-8 when valid, else Windows-1252.
#[cfg(test)]
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
#[cfg(test)]
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

    /// Hands out its bytes a few at a time: every chunk boundary of the stream is crossed.
    struct Trickle<'a>(&'a [u8], usize);

    impl std::io::Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = self.1.min(buf.len()).min(self.0.len());
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    type Read = (Vec<(u64, Vec<(usize, String)>)>, u8, &'static str);

    fn streamed(bytes: &[u8], step: usize, enc: Option<&'static Encoding>) -> Read {
        let mut s = CsvStream::new(Trickle(bytes, step), false, enc, None).unwrap();
        let rows = s.rows().map(|r| (r.number, r.cells)).collect();
        assert!(s.error.is_none());
        (rows, s.delimiter, s.encoding())
    }

    fn whole(bytes: &[u8], enc: Option<&'static Encoding>) -> Read {
        let t = CsvText::with(bytes, false, enc, None);
        let rows = t.rows().map(|r| (r.number, r.cells)).collect();
        (rows, t.delimiter, t.encoding)
    }

    #[test]
    fn streamed_reading_equals_the_whole_file() {
        let cases: Vec<Vec<u8>> = vec![
            "Réf;Texte\nE1;\"deux\nlignes\"\n\nE2; x \n"
                .as_bytes()
                .to_vec(),
            b"a;b\r\nE1;x\r\n\r\n\r\nE2;y\r\n".to_vec(),
            b"R\xe9f;Titre\nEXI-1;Cr\xe9er\n".to_vec(),
            b"R\xc3\xa9f;T\nE1;Cr\xe9er\nE2;\xc3\xa9t\xc3\xa9\n".to_vec(),
            b"\xef\xbb\xbfR\xc3\xa9f,Titre\nEXI-1,x".to_vec(),
            b"\xff\xfeR\x00;\x00T\x00\n\x001\x00;\x002\x00\n\x00".to_vec(),
            b"\xfe\xff\x00R\x00;\x00T\x00\n".to_vec(),
            b"".to_vec(),
            b"\n\n\na,b\n".to_vec(),
        ];
        for bytes in &cases {
            for step in [1, 2, 3, 7, 1 << 20] {
                assert_eq!(
                    streamed(bytes, step, None),
                    whole(bytes, None),
                    "{bytes:?} by {step}"
                );
                for enc in [UTF_8, WINDOWS_1252] {
                    assert_eq!(
                        streamed(bytes, step, Some(enc)),
                        whole(bytes, Some(enc)),
                        "{bytes:?} by {step} as {}",
                        enc.name()
                    );
                }
            }
        }
    }

    /// A read error mid-file ends the records and is kept, not skipped forever.
    #[test]
    fn a_read_error_ends_the_stream() {
        struct Failing(usize);
        impl std::io::Read for Failing {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                if self.0 == 0 {
                    return Err(std::io::Error::other("disque retiré"));
                }
                self.0 -= 1;
                let line = b"a;b\n";
                let n = line.len().min(buf.len());
                buf[..n].copy_from_slice(&line[..n]);
                Ok(n)
            }
        }
        let mut s = CsvStream::new(Failing(3), false, None, Some(b';')).unwrap();
        let n = s.rows().count();
        assert!(n <= 3, "{n}");
        assert!(s.error.is_some());
    }

    proptest::proptest! {
        /// Any mix of separators, quotes, line ends, blank lines, UTF-8 and Windows-1252
        /// bytes reads the same streamed, whatever the chunk sizes, as decoded whole.
        #[test]
        fn streamed_equals_whole_on_any_text(
            parts in proptest::collection::vec(0usize..12, 0..200),
            step in 1usize..9,
        ) {
            const PIECES: [&[u8]; 12] = [
                b"a", b"EXI-1", b";", b",", b"\"", b"\n", b"\r\n", b"\r", "é".as_bytes(),
                b"\xe9", b" ", b"\t",
            ];
            let bytes: Vec<u8> = parts.iter().flat_map(|i| PIECES[*i].iter().copied()).collect();
            proptest::prop_assert_eq!(streamed(&bytes, step, None), whole(&bytes, None));
        }
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
