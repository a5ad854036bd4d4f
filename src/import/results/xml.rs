//! A small, safe event stream over quick-xml shared by the XML result parsers.
//!
//! Why a layer: every format needs the same guarantees — bounded nesting depth, bounded event
//! size, no DOCTYPE entity expansion, only the five predefined entities and numeric character
//! references decoded, and errors worded in French with file, line and column. Events are owned
//! (`String`s) so parsers can keep state without fighting borrows; only the current event is
//! held, memory does not grow with the file.

use std::path::Path;

use quick_xml::events::Event;
use quick_xml::Reader;

use super::common::Capped;
use super::source::{line_col_at, open_utf8, CountingReader};
use super::ReadOptions;
use crate::error::{Error, Result};

/// One XML event, with names stripped of their namespace prefix.
#[derive(Debug)]
pub(crate) enum Ev {
    /// An element starts (an empty element gives `Start` then `End`).
    Start {
        name: String,
        attrs: Vec<(String, String)>,
        /// 1-based line of the `<`.
        line: u64,
    },
    /// An element ends.
    End { name: String },
    /// A chunk of character data (text, CDATA, resolved reference); an element's text may come
    /// in several chunks.
    Text(String),
    /// End of document (every element closed).
    Eof,
}

/// Finds an attribute value by local name.
pub(crate) fn attr<'a>(attrs: &'a [(String, String)], key: &str) -> Option<&'a str> {
    attrs
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

/// The event stream. See the module documentation.
pub(crate) struct XmlStream<'p> {
    path: &'p Path,
    file: String,
    reader: Reader<CountingReader>,
    buf: Vec<u8>,
    stack: Vec<String>,
    max_depth: usize,
    max_event: usize,
    pending_end: Option<String>,
    seen_root: bool,
}

impl<'p> XmlStream<'p> {
    /// Opens `path` (any supported encoding).
    pub(crate) fn open(path: &'p Path, opts: &ReadOptions) -> Result<Self> {
        let src = CountingReader::new(open_utf8(path)?, opts.max_event_bytes);
        let mut reader = Reader::from_reader(src);
        let cfg = reader.config_mut();
        cfg.check_end_names = true;
        cfg.expand_empty_elements = false;
        Ok(XmlStream {
            path,
            file: super::display_name(path),
            reader,
            buf: Vec::with_capacity(8 * 1024),
            stack: Vec::new(),
            max_depth: opts.max_depth,
            max_event: opts.max_event_bytes,
            pending_end: None,
            seen_root: false,
        })
    }

    /// The file name used in messages.
    pub(crate) fn file(&self) -> &str {
        &self.file
    }

    /// Name of the element enclosing the current one (after a `Start`, its parent).
    pub(crate) fn parent(&self) -> Option<&str> {
        let n = self.stack.len();
        if n >= 2 {
            Some(self.stack[n - 2].as_str())
        } else {
            None
        }
    }

    /// Current nesting depth (1 inside the root element).
    pub(crate) fn depth(&self) -> usize {
        self.stack.len()
    }

    /// An input error at the current position.
    pub(crate) fn error_here(&self, fr: &str, en: &str) -> Error {
        self.error_at(self.reader.buffer_position(), fr, en)
    }

    fn error_at(&self, offset: u64, fr: &str, en: &str) -> Error {
        err_at(self.path, &self.file, offset, fr, en)
    }

    /// The next event.
    pub(crate) fn next(&mut self) -> Result<Ev> {
        if let Some(name) = self.pending_end.take() {
            self.stack.pop();
            return Ok(Ev::End { name });
        }
        loop {
            self.buf.clear();
            self.reader.get_mut().mark();
            let start = self.reader.buffer_position();
            let start_line = self.reader.get_ref().newlines + 1;
            let event = match self.reader.read_event_into(&mut self.buf) {
                Ok(ev) => ev,
                Err(e) => return Err(self.map_error(e)),
            };
            match event {
                Event::Start(ref e) | Event::Empty(ref e) => {
                    let is_empty = matches!(event, Event::Empty(_));
                    let name = local(e.name().as_ref()).to_string();
                    if !is_name(e.name().as_ref()) {
                        return Err(not_well_formed(
                            self.path,
                            &self.file,
                            start,
                            &format!("nom d'élément invalide « <{name} »"),
                            &format!("invalid element name \"<{name}\""),
                        ));
                    }
                    let raw: &str = e;
                    let inner_newlines = raw.bytes().filter(|&b| b == b'\n').count() as u64;
                    let line = self.reader.get_ref().newlines - inner_newlines + 1;
                    let mut attrs = Vec::new();
                    for a in e.attributes() {
                        let a = match a {
                            Ok(a) => a,
                            Err(err) => {
                                let what = attr_error_fr(&err);
                                return Err(err_at(
                                    self.path,
                                    &self.file,
                                    self.reader.buffer_position(),
                                    &format!("attribut mal formé dans <{name}> ({what})"),
                                    &format!("malformed attribute in <{name}> ({err})"),
                                ));
                            }
                        };
                        let key = local(a.key.as_ref()).to_string();
                        if !is_name(a.key.as_ref()) {
                            return Err(not_well_formed(
                                self.path,
                                &self.file,
                                start,
                                &format!("nom d'attribut invalide « {key} » dans <{name}>"),
                                &format!("invalid attribute name \"{key}\" in <{name}>"),
                            ));
                        }
                        if a.value.contains('<') {
                            return Err(not_well_formed(
                                self.path,
                                &self.file,
                                start,
                                &format!(
                                    "caractère « < » dans la valeur de l'attribut « {key} » de \
                                     <{name}> (il doit être écrit &lt;)"
                                ),
                                &format!(
                                    "character \"<\" in the value of attribute \"{key}\" of \
                                     <{name}> (it must be written &lt;)"
                                ),
                            ));
                        }
                        let value = match quick_xml::escape::unescape(&a.value) {
                            Ok(v) => v.into_owned(),
                            Err(err) => {
                                return Err(not_well_formed(
                                    self.path,
                                    &self.file,
                                    start,
                                    &format!(
                                        "« & » isolé ou entité invalide dans la valeur de \
                                         l'attribut « {key} » de <{name}> (écrire &amp;)"
                                    ),
                                    &format!(
                                        "\"&\" or invalid entity in the value of attribute \
                                         \"{key}\" of <{name}> ({err})"
                                    ),
                                ))
                            }
                        };
                        attrs.push((key, value));
                    }
                    if self.stack.len() >= self.max_depth {
                        return Err(err_at(
                            self.path,
                            &self.file,
                            self.reader.buffer_position(),
                            &format!(
                                "imbrication trop profonde (plus de {} niveaux d'éléments)",
                                self.max_depth
                            ),
                            &format!("nesting too deep (more than {} levels)", self.max_depth),
                        ));
                    }
                    if self.stack.is_empty() && self.seen_root {
                        return Err(err_at(
                            self.path,
                            &self.file,
                            self.reader.buffer_position(),
                            &format!("contenu après la fin du document (élément <{name}>)"),
                            &format!("content after the end of the document (<{name}>)"),
                        ));
                    }
                    self.seen_root = true;
                    self.stack.push(name.clone());
                    if is_empty {
                        self.pending_end = Some(name.clone());
                    }
                    return Ok(Ev::Start { name, attrs, line });
                }
                Event::End(e) => {
                    let name = local(e.name().as_ref()).to_string();
                    self.stack.pop();
                    return Ok(Ev::End { name });
                }
                Event::Text(t) => {
                    let s = t.xml10_content().into_owned();
                    if self.stack.is_empty() {
                        if let Some(c) = s.chars().find(|c| !c.is_whitespace()) {
                            return Err(err_at(
                                self.path,
                                &self.file,
                                self.reader.buffer_position(),
                                &format!("texte hors de l'élément racine (« {c} »)"),
                                &format!("text outside the root element ({c:?})"),
                            ));
                        }
                        continue;
                    }
                    return Ok(Ev::Text(s));
                }
                Event::CData(t) => {
                    if self.stack.is_empty() {
                        continue;
                    }
                    return Ok(Ev::Text(t.xml10_content().into_owned()));
                }
                Event::GeneralRef(r) => {
                    let text = if r.is_char_ref() {
                        match r.resolve_char_ref() {
                            Ok(Some(c)) => c.to_string(),
                            _ => {
                                let raw: &str = &r;
                                return Err(err_at(
                                    self.path,
                                    &self.file,
                                    self.reader.buffer_position(),
                                    &format!("référence de caractère invalide « &{raw}; »"),
                                    &format!("invalid character reference \"&{raw};\""),
                                ));
                            }
                        }
                    } else {
                        let raw: &str = &r;
                        match quick_xml::escape::resolve_predefined_entity(raw) {
                            Some(s) => s.to_string(),
                            // No entity can be declared (a DOCTYPE declaring one is refused):
                            // an undeclared entity makes the document not well-formed.
                            None => {
                                return Err(not_well_formed(
                                    self.path,
                                    &self.file,
                                    start,
                                    &format!(
                                        "entité non déclarée « &{raw}; » (seules &lt; &gt; &amp; \
                                         &quot; &apos; et les références numériques existent)"
                                    ),
                                    &format!(
                                        "undeclared entity \"&{raw};\" (only &lt; &gt; &amp; \
                                         &quot; &apos; and numeric references exist)"
                                    ),
                                ))
                            }
                        }
                    };
                    if self.stack.is_empty() {
                        continue;
                    }
                    return Ok(Ev::Text(text));
                }
                Event::DocType(d) => {
                    let raw: &str = &d;
                    if doctype_is_refused(raw) {
                        return Err(doctype_error(&self.file, start_line));
                    }
                    continue;
                }
                Event::Comment(c) => {
                    let body: &str = &c;
                    if body.contains("--") || body.ends_with('-') {
                        return Err(not_well_formed(
                            self.path,
                            &self.file,
                            start,
                            "« -- » à l'intérieur d'un commentaire XML",
                            "\"--\" inside an XML comment",
                        ));
                    }
                    continue;
                }
                Event::Decl(_) | Event::PI(_) => continue,
                Event::Eof => {
                    if let Some(open) = self.stack.last() {
                        let open = open.clone();
                        return Err(err_at(
                            self.path,
                            &self.file,
                            self.reader.buffer_position(),
                            &format!("fichier XML tronqué (élément <{open}> non fermé)"),
                            &format!("truncated XML file (element <{open}> not closed)"),
                        ));
                    }
                    if !self.seen_root {
                        return Err(err_at(
                            self.path,
                            &self.file,
                            self.reader.buffer_position(),
                            "aucun élément XML dans le fichier",
                            "no XML element in the file",
                        ));
                    }
                    return Ok(Ev::Eof);
                }
            }
        }
    }

    /// Reads the text of the current element up to its end, keeping at most `limit` bytes
    /// (nested elements' text included).
    pub(crate) fn read_text(&mut self, limit: usize) -> Result<String> {
        let mut text = Capped::new(limit);
        let mut depth = 0usize;
        loop {
            match self.next()? {
                Ev::Start { .. } => depth += 1,
                Ev::End { .. } if depth == 0 => return Ok(text.finish().unwrap_or_default()),
                Ev::End { .. } => depth -= 1,
                Ev::Text(t) => text.push(&t),
                Ev::Eof => return Ok(text.finish().unwrap_or_default()),
            }
        }
    }

    /// Skips the current element's content up to its end.
    pub(crate) fn skip(&mut self) -> Result<()> {
        self.read_text(0).map(|_| ())
    }

    fn map_error(&self, e: quick_xml::Error) -> Error {
        use quick_xml::errors::{IllFormedError, SyntaxError};
        use quick_xml::Error as X;
        if self.reader.get_ref().too_big {
            return self.error_here(
                &format!(
                    "élément ou texte de plus de {} octets : refusé (limite de lecture)",
                    self.max_event
                ),
                &format!(
                    "element or text larger than {} bytes: refused (read limit)",
                    self.max_event
                ),
            );
        }
        let pos = self.reader.error_position();
        let open = self.stack.last().cloned().unwrap_or_default();
        let (fr, en) = match &e {
            X::Syntax(s) => {
                let what = match s {
                    SyntaxError::UnclosedTag => "balise non fermée, « > » manquant",
                    SyntaxError::UnclosedCData => "section CDATA non fermée",
                    SyntaxError::UnclosedComment => "commentaire non fermé",
                    SyntaxError::UnclosedDoubleQuotedAttributeValue
                    | SyntaxError::UnclosedSingleQuotedAttributeValue => {
                        "valeur d'attribut non fermée"
                    }
                    _ => "balisage non fermé",
                };
                (
                    format!("fichier XML tronqué ou invalide ({what})"),
                    format!("truncated or invalid XML file ({s})"),
                )
            }
            X::IllFormed(IllFormedError::MismatchedEndTag { expected, found }) => (
                format!("XML invalide : </{found}> trouvé alors que </{expected}> était attendu"),
                format!("invalid XML: </{found}> found where </{expected}> was expected"),
            ),
            X::IllFormed(IllFormedError::UnmatchedEndTag(t)) => (
                format!("XML invalide : </{t}> ne ferme aucun élément ouvert"),
                format!("invalid XML: </{t}> closes no open element"),
            ),
            X::Encoding(_) => (
                "octets qui ne sont pas de l'UTF-8 valide (fichier binaire, ou encodage non \
                 déclaré)"
                    .to_string(),
                "bytes that are not valid UTF-8 (binary file, or undeclared encoding)".to_string(),
            ),
            other => (
                format!("XML invalide dans <{open}> ({other})"),
                format!("invalid XML in <{open}> ({other})"),
            ),
        };
        self.error_at(pos, &fr, &en)
    }
}

/// A well-formedness error at the start of the event that began at `offset`.
fn not_well_formed(path: &Path, file: &str, offset: u64, fr: &str, en: &str) -> Error {
    err_at(
        path,
        file,
        offset,
        &format!("XML mal formé : {fr}"),
        &format!("XML not well-formed: {en}"),
    )
}

/// Whether a DOCTYPE must be refused: entity declarations (general or parameter), parameter
/// entity references, or an external subset (`SYSTEM`, `PUBLIC`).
pub(crate) fn doctype_is_refused(raw: &str) -> bool {
    raw.contains("<!ENTITY")
        || raw.contains("SYSTEM")
        || raw.contains("PUBLIC")
        || raw.contains('%')
}

/// The message for a refused DOCTYPE, naming its line (whatever the root element or format).
pub(crate) fn doctype_error(file: &str, line: u64) -> Error {
    Error::input(
        format!(
            "{file} › ligne {line} : DOCTYPE avec déclarations d'entités ou référence externe \
             refusé : un rapport de tests n'en contient pas (protection contre l'expansion \
             d'entités et la lecture de fichiers externes) ; rien n'a été lu au-delà"
        ),
        format!(
            "{file} › line {line}: DOCTYPE with entity declarations or an external reference \
             refused: test reports have none (protection against entity expansion and external \
             file reads); nothing was read beyond it"
        ),
    )
}

/// Whether an XML name (with its prefix) starts with a name-start character and holds only
/// name characters (ASCII checked exactly; any non-ASCII character accepted).
fn is_name(name: &str) -> bool {
    let name = name.as_bytes();
    let Some(&first) = name.first() else {
        return false;
    };
    let start = |b: u8| b.is_ascii_alphabetic() || b == b'_' || b == b':' || b >= 0x80;
    start(first)
        && name
            .iter()
            .all(|&b| start(b) || b.is_ascii_digit() || b == b'-' || b == b'.')
}

/// The French words for a quick-xml attribute error.
fn attr_error_fr(err: &quick_xml::events::attributes::AttrError) -> String {
    use quick_xml::events::attributes::AttrError as A;
    match err {
        A::ExpectedEq(p) => format!("« = » attendu, position {p}"),
        A::ExpectedValue(p) => format!("valeur attendue, position {p}"),
        A::UnquotedValue(p) => format!("valeur sans guillemets, position {p}"),
        A::ExpectedQuote(p, _) => format!("guillemet fermant attendu, position {p}"),
        A::Duplicated(p, first) => {
            format!("attribut en double, position {p} (déjà déclaré position {first})")
        }
    }
}

/// An input error at a byte offset of the decoded stream.
fn err_at(path: &Path, file: &str, offset: u64, fr: &str, en: &str) -> Error {
    let (line, col) = line_col_at(path, offset);
    Error::input(
        format!("{file} › ligne {line}, colonne {col} : {fr}"),
        format!("{file} › line {line}, column {col}: {en}"),
    )
}

/// Strips a namespace prefix.
fn local(name: &str) -> &str {
    name.rsplit(':').next().unwrap_or(name)
}

/// Checks the root element of a file read with a forced format.
pub(crate) fn check_root(xs: &XmlStream, name: &str, allowed: &[&str], format: &str) -> Result<()> {
    if allowed.contains(&name) {
        return Ok(());
    }
    let list = allowed.join("> ou <");
    let list_en = allowed.join("> or <");
    Err(xs.error_here(
        &format!("élément racine <{name}> : ce n'est pas un fichier {format} (attendu : <{list}>)"),
        &format!("root element <{name}>: not a {format} file (expected <{list_en}>)"),
    ))
}
