//! Byte sources for the result parsers: encoding detection, a streaming transcoder to UTF-8, and
//! a counting `BufRead` that knows the line of what the parser has consumed.
//!
//! quick-xml 0.42 reads UTF-8 only (it strips a UTF-8 BOM itself), so UTF-16 files (with a BOM,
//! or recognisable by their first bytes) and files declaring a legacy encoding
//! (`encoding="ISO-8859-1"`, `windows-1252`...) go through [`Transcoder`], which decodes chunk
//! by chunk with encoding_rs: memory stays constant whatever the file size.

use std::fs::File;
use std::io::{self, BufRead, Read};
use std::path::Path;

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8};

use crate::error::{Error, Result};

/// Size of the read buffers.
const CHUNK: usize = 64 * 1024;

/// Opens a file and returns a reader producing UTF-8 bytes (BOM removed).
pub(crate) fn open_utf8(path: &Path) -> Result<Box<dyn Read>> {
    let mut file = File::open(path).map_err(|e| Error::io(path, e))?;
    let mut head = [0u8; 1024];
    let mut n = 0;
    while n < head.len() {
        let r = file.read(&mut head[n..]).map_err(|e| Error::io(path, e))?;
        if r == 0 {
            break;
        }
        n += r;
    }
    let head = &head[..n];
    let (encoding, bom) = sniff_encoding(head);
    let rest = io::Cursor::new(head[bom..].to_vec()).chain(file);
    if encoding == UTF_8 {
        Ok(Box::new(rest))
    } else {
        Ok(Box::new(Transcoder::new(rest, encoding)))
    }
}

/// Guesses the encoding from the first bytes: BOM, UTF-16 without BOM (`<?` as two-byte units),
/// or the `encoding` of the XML declaration. Returns the encoding and the BOM length to skip.
pub(crate) fn sniff_encoding(head: &[u8]) -> (&'static Encoding, usize) {
    if let Some((enc, bom)) = Encoding::for_bom(head) {
        return (enc, bom);
    }
    if head.starts_with(&[b'<', 0, b'?', 0]) {
        return (UTF_16LE, 0);
    }
    if head.starts_with(&[0, b'<', 0, b'?']) {
        return (UTF_16BE, 0);
    }
    if head.starts_with(b"<?xml") {
        let decl_end = head.iter().position(|&b| b == b'>').unwrap_or(head.len());
        let decl = String::from_utf8_lossy(&head[..decl_end]);
        if let Some(label) = declared_encoding(&decl) {
            if let Some(enc) = Encoding::for_label(label.as_bytes()) {
                // A UTF-16 declaration without BOM in ASCII bytes is a lie: keep UTF-8.
                if enc != UTF_16LE && enc != UTF_16BE {
                    return (enc, 0);
                }
            }
        }
    }
    (UTF_8, 0)
}

/// The value of `encoding="..."` in an XML declaration.
fn declared_encoding(decl: &str) -> Option<String> {
    let at = decl.find("encoding")?;
    let rest = decl[at + "encoding".len()..]
        .trim_start()
        .strip_prefix('=')?;
    let rest = rest.trim_start();
    let quote = rest.chars().next()?;
    if quote != '"' && quote != '\'' {
        return None;
    }
    let value = &rest[1..];
    let end = value.find(quote)?;
    Some(value[..end].to_string())
}

/// A `Read` adapter decoding any encoding_rs encoding to UTF-8, chunk by chunk. Malformed
/// sequences become U+FFFD (the parser then reports them as ordinary text).
pub(crate) struct Transcoder<R> {
    inner: R,
    decoder: encoding_rs::Decoder,
    input: Vec<u8>,
    in_start: usize,
    in_end: usize,
    output: Vec<u8>,
    out_start: usize,
    out_end: usize,
    eof: bool,
}

impl<R: Read> Transcoder<R> {
    /// Wraps `inner`, whose bytes are in `encoding` (BOM already removed).
    pub(crate) fn new(inner: R, encoding: &'static Encoding) -> Self {
        Transcoder {
            inner,
            decoder: encoding.new_decoder_without_bom_handling(),
            input: vec![0; CHUNK],
            in_start: 0,
            in_end: 0,
            output: vec![0; CHUNK * 3 + 16],
            out_start: 0,
            out_end: 0,
            eof: false,
        }
    }
}

impl<R: Read> Read for Transcoder<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            if self.out_start < self.out_end {
                let n = buf.len().min(self.out_end - self.out_start);
                buf[..n].copy_from_slice(&self.output[self.out_start..self.out_start + n]);
                self.out_start += n;
                return Ok(n);
            }
            if self.eof && self.in_start == self.in_end {
                return Ok(0);
            }
            if self.in_start == self.in_end && !self.eof {
                self.in_start = 0;
                self.in_end = self.inner.read(&mut self.input)?;
                if self.in_end == 0 {
                    self.eof = true;
                }
            }
            let (_, read, written, _) = self.decoder.decode_to_utf8(
                &self.input[self.in_start..self.in_end],
                &mut self.output,
                self.eof,
            );
            self.in_start += read;
            self.out_start = 0;
            self.out_end = written;
            if self.eof && written == 0 {
                self.in_start = self.in_end;
                return Ok(0);
            }
        }
    }
}

/// A `BufRead` over UTF-8 bytes that counts the newlines the parser consumed, and refuses one
/// event (element, text, comment) bigger than a limit, so that a hostile file cannot make the
/// parser's buffer grow without bound. The limit is checked each time the buffer is refilled;
/// [`CountingReader::mark`] starts a new event.
pub(crate) struct CountingReader {
    inner: Box<dyn Read>,
    buf: Vec<u8>,
    pos: usize,
    cap: usize,
    /// Newlines consumed so far.
    pub(crate) newlines: u64,
    since_mark: u64,
    limit: u64,
    /// Set when the event limit was hit (the I/O error the parser sees comes from here).
    pub(crate) too_big: bool,
}

impl CountingReader {
    /// Wraps a UTF-8 reader; `limit` bounds the bytes of one event.
    pub(crate) fn new(inner: Box<dyn Read>, limit: usize) -> Self {
        CountingReader {
            inner,
            buf: vec![0; CHUNK],
            pos: 0,
            cap: 0,
            newlines: 0,
            since_mark: 0,
            limit: limit as u64,
            too_big: false,
        }
    }

    /// Starts a new event: the size limit applies from here.
    pub(crate) fn mark(&mut self) {
        self.since_mark = 0;
    }
}

impl Read for CountingReader {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(out.len());
        out[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl BufRead for CountingReader {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.pos >= self.cap {
            if self.since_mark > self.limit {
                self.too_big = true;
                return Err(io::Error::other("event size limit"));
            }
            self.pos = 0;
            self.cap = self.inner.read(&mut self.buf)?;
        }
        Ok(&self.buf[self.pos..self.cap])
    }

    fn consume(&mut self, amt: usize) {
        let end = (self.pos + amt).min(self.cap);
        self.newlines += memchr_count(&self.buf[self.pos..end]);
        self.since_mark += (end - self.pos) as u64;
        self.pos = end;
    }
}

fn memchr_count(bytes: &[u8]) -> u64 {
    bytes.iter().filter(|&&b| b == b'\n').count() as u64
}

/// 1-based line and column (in characters) of a byte offset of the decoded UTF-8 stream. Only
/// called on the error path: it reads the file again from the start.
pub(crate) fn line_col_at(path: &Path, offset: u64) -> (u64, u64) {
    let Ok(mut reader) = open_utf8(path) else {
        return (1, 1);
    };
    let mut buf = vec![0u8; CHUNK];
    let (mut line, mut col, mut seen) = (1u64, 1u64, 0u64);
    while seen < offset {
        let Ok(n) = reader.read(&mut buf) else { break };
        if n == 0 {
            break;
        }
        let take = ((offset - seen) as usize).min(n);
        for &b in &buf[..take] {
            if b == b'\n' {
                line += 1;
                col = 1;
            } else if b & 0xC0 != 0x80 {
                col += 1;
            }
        }
        seen += take as u64;
    }
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_transcodes_in_small_reads() {
        let text = "<?xml version=\"1.0\" encoding=\"UTF-16\"?><a>é à ü €</a>";
        let mut bytes = vec![0xFF, 0xFE];
        for u in text.encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        let (enc, bom) = sniff_encoding(&bytes);
        assert_eq!((enc, bom), (UTF_16LE, 2));
        let mut t = Transcoder::new(io::Cursor::new(bytes[2..].to_vec()), enc);
        let mut out = Vec::new();
        let mut small = [0u8; 3];
        loop {
            let n = t.read(&mut small).unwrap();
            if n == 0 {
                break;
            }
            out.extend_from_slice(&small[..n]);
        }
        assert_eq!(String::from_utf8(out).unwrap(), text);
    }

    #[test]
    fn declared_latin1() {
        let head = b"<?xml version='1.0' encoding='ISO-8859-1'?><a>\xe9</a>";
        assert_eq!(sniff_encoding(head).0.name(), "windows-1252");
        assert_eq!(sniff_encoding(b"<?xml version=\"1.0\"?>").0, UTF_8);
    }
}
