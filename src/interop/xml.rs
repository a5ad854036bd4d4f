//! A small, bounded XML tree reader shared by the interoperability formats.
//!
//! ReqIF and TestLink files cross-reference their own parts (ReqIF objects point at types
//! declared earlier, hierarchies point at objects), so they are read into a tree first. The
//! reader is deliberately defensive because these files come from outside:
//!
//! - a DOCTYPE that declares entities is refused, and no entity other than the five predefined
//!   ones and character references is ever expanded: no external entity (XXE), no "billion
//!   laughs";
//! - nothing is ever fetched (no DTD, no schema);
//! - depth, element count and input size are bounded;
//! - a truncated document is an error naming the line and column, and nothing is returned.

use quick_xml::events::Event;
use quick_xml::Reader;

use crate::{Error, Result};

/// Deepest element nesting accepted (ReqIF hierarchies are rarely deeper than 20).
pub const MAX_DEPTH: usize = 256;
/// Most elements accepted in one document.
pub const MAX_ELEMENTS: usize = 4_000_000;
/// Largest XML document accepted, in bytes (also the limit for one entry of a `.reqifz`).
pub const MAX_BYTES: u64 = 128 * 1024 * 1024;

/// One element: local name (namespace prefix removed), attributes and children in order.
#[derive(Debug, Clone, Default)]
pub struct Element {
    /// Local name, without its namespace prefix (`xhtml:p` -> `p`).
    pub name: String,
    /// Attributes by local name, values unescaped.
    pub attrs: Vec<(String, String)>,
    /// Children, text and elements, in document order.
    pub children: Vec<Node>,
    /// 1-based line of the start tag.
    pub line: u64,
    /// 1-based column of the start tag.
    pub column: u64,
}

/// A child of an element.
#[derive(Debug, Clone)]
pub enum Node {
    /// A child element.
    Element(Element),
    /// Character data (text or CDATA), entities already resolved.
    Text(String),
}

impl Element {
    /// The value of an attribute, by local name.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Child elements, in order.
    pub fn elements(&self) -> impl Iterator<Item = &Element> {
        self.children.iter().filter_map(|n| match n {
            Node::Element(e) => Some(e),
            Node::Text(_) => None,
        })
    }

    /// Child elements with the given local name.
    pub fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> {
        self.elements().filter(move |e| e.name == name)
    }

    /// The first child element with the given local name.
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.elements().find(|e| e.name == name)
    }

    /// All descendant text, concatenated.
    pub fn text(&self) -> String {
        let mut out = String::new();
        collect_text(self, &mut out);
        out
    }

    /// Trimmed text of the first child with that name; `None` when absent or blank.
    pub fn child_text(&self, name: &str) -> Option<String> {
        let text = self.child(name)?.text();
        let trimmed = text.trim();
        (!trimmed.is_empty()).then(|| trimmed.to_string())
    }
}

fn collect_text(e: &Element, out: &mut String) {
    for n in &e.children {
        match n {
            Node::Text(t) => out.push_str(t),
            Node::Element(c) => collect_text(c, out),
        }
    }
}

/// Turns the bytes of a file into text: UTF-8 (with or without BOM), UTF-16 with BOM, or the
/// encoding named in the XML declaration (ISO-8859-1 exports from older tools).
pub fn decode(bytes: &[u8], file: &str) -> Result<String> {
    if let Some((enc, _)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, _, bad) = enc.decode(bytes);
        return finish_decode(text.into_owned(), bad, file);
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok(s.to_string());
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(200)]).into_owned();
    let label = head
        .split("encoding=")
        .nth(1)
        .and_then(|rest| {
            rest.trim_start_matches(['"', '\''])
                .split(['"', '\''])
                .next()
        })
        .and_then(|l| encoding_rs::Encoding::for_label(l.as_bytes()));
    let enc = label.unwrap_or(encoding_rs::WINDOWS_1252);
    let (text, _, bad) = enc.decode(bytes);
    finish_decode(text.into_owned(), bad, file)
}

fn finish_decode(text: String, bad: bool, file: &str) -> Result<String> {
    if bad {
        return Err(Error::input(
            format!("{file} : encodage de caractères illisible (UTF-8 attendu)"),
            format!("{file}: unreadable character encoding (UTF-8 expected)"),
        ));
    }
    Ok(text)
}

/// Converts byte offsets into 1-based line and column (in characters).
pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    /// Indexes the line starts of `text`.
    pub fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { text, starts }
    }

    /// Line and column of a byte offset.
    pub fn position(&self, offset: usize) -> (u64, u64) {
        let offset = offset.min(self.text.len());
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts[line - 1];
        let col = self
            .text
            .get(start..offset)
            .map_or(offset - start, |s| s.chars().count());
        (line as u64, col as u64 + 1)
    }
}

fn error_at(file: &str, (line, col): (u64, u64), fr: &str, en: &str) -> Error {
    Error::input(
        format!("{file}, ligne {line}, colonne {col} : {fr}"),
        format!("{file}, line {line}, column {col}: {en}"),
    )
}

fn local(name: &str) -> String {
    name.rsplit(':').next().unwrap_or(name).to_string()
}

fn push_text(stack: &mut [Element], text: &str) {
    if let Some(top) = stack.last_mut() {
        if let Some(Node::Text(t)) = top.children.last_mut() {
            t.push_str(text);
        } else {
            top.children.push(Node::Text(text.to_string()));
        }
    }
}

/// Parses a whole document and returns its root element.
///
/// `file` names the input in error messages.
pub fn parse(text: &str, file: &str) -> Result<Element> {
    let index = LineIndex::new(text);
    let mut reader = Reader::from_str(text);
    reader.config_mut().check_end_names = true;
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    let mut count = 0usize;
    loop {
        let at = reader.buffer_position() as usize;
        let event = match reader.read_event() {
            Ok(ev) => ev,
            Err(e) => {
                let pos = index.position(reader.error_position() as usize);
                return Err(error_at(
                    file,
                    pos,
                    &format!("XML mal formé ({e})"),
                    &format!("malformed XML ({e})"),
                ));
            }
        };
        match event {
            Event::Start(ref s) | Event::Empty(ref s) => {
                if root.is_some() {
                    let pos = index.position(at);
                    return Err(error_at(
                        file,
                        pos,
                        "contenu après l'élément racine",
                        "content after the root element",
                    ));
                }
                count += 1;
                if stack.len() >= MAX_DEPTH || count > MAX_ELEMENTS {
                    let pos = index.position(at);
                    return Err(error_at(
                        file,
                        pos,
                        &format!("document trop profond ou trop grand (limites : {MAX_DEPTH} niveaux, {MAX_ELEMENTS} éléments)"),
                        &format!("document too deep or too large (limits: {MAX_DEPTH} levels, {MAX_ELEMENTS} elements)"),
                    ));
                }
                let (line, column) = index.position(at);
                let mut el = Element {
                    name: local(s.name().as_ref()),
                    line,
                    column,
                    ..Element::default()
                };
                for attr in s.attributes() {
                    let value = attr
                        .map_err(|e| e.to_string())
                        .and_then(|a| {
                            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                                .map(|v| (local(a.key.as_ref()), v.into_owned()))
                                .map_err(|e| e.to_string())
                        })
                        .map_err(|e| {
                            error_at(
                                file,
                                (line, column),
                                &format!("attribut illisible, entité refusée ou mal écrite ({e})"),
                                &format!("unreadable attribute, refused or malformed entity ({e})"),
                            )
                        })?;
                    el.attrs.push(value);
                }
                if matches!(event, Event::Start(_)) {
                    stack.push(el);
                } else {
                    attach(&mut stack, &mut root, el);
                }
            }
            Event::End(_) => {
                if let Some(el) = stack.pop() {
                    attach(&mut stack, &mut root, el);
                }
            }
            Event::Text(t) => push_text(&mut stack, &t.xml10_content()),
            Event::CData(c) => push_text(&mut stack, &c.xml10_content()),
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => Some(c),
                    Ok(None) => match AsRef::<str>::as_ref(&r) {
                        "amp" => Some('&'),
                        "lt" => Some('<'),
                        "gt" => Some('>'),
                        "quot" => Some('"'),
                        "apos" => Some('\''),
                        _ => None,
                    },
                    Err(_) => None,
                };
                let Some(c) = resolved else {
                    let name: &str = r.as_ref();
                    return Err(error_at(
                        file,
                        index.position(at),
                        &format!("entité « &{name}; » refusée : recette ne développe aucune entité déclarée (protection XXE)"),
                        &format!("entity \"&{name};\" refused: recette expands no declared entity (XXE protection)"),
                    ));
                };
                push_text(&mut stack, c.encode_utf8(&mut [0; 4]));
            }
            Event::DocType(d) => {
                let body = d.xml10_content().to_ascii_uppercase();
                if body.contains("<!ENTITY") {
                    return Err(error_at(
                        file,
                        index.position(at),
                        "DOCTYPE déclarant des entités refusé (protection XXE et expansion d'entités)",
                        "DOCTYPE declaring entities refused (XXE and entity expansion protection)",
                    ));
                }
            }
            Event::Eof => break,
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) => {}
        }
    }
    if let Some(open) = stack.last() {
        return Err(error_at(
            file,
            index.position(text.len()),
            &format!(
                "fin de fichier inattendue : l'élément <{}> ouvert ligne {} n'est pas fermé (fichier tronqué ?)",
                open.name, open.line
            ),
            &format!(
                "unexpected end of file: element <{}> opened at line {} is not closed (truncated file?)",
                open.name, open.line
            ),
        ));
    }
    root.ok_or_else(|| {
        Error::input(
            format!("{file} : aucun élément XML"),
            format!("{file}: no XML element"),
        )
    })
}

fn attach(stack: &mut [Element], root: &mut Option<Element>, el: Element) {
    match stack.last_mut() {
        Some(parent) => parent.children.push(Node::Element(el)),
        None => *root = Some(el),
    }
}

/// The local name of the root element, read from the start of a document without building a
/// tree (used to recognise a format). `None` when the start is not XML.
pub fn root_name(head: &str) -> Option<String> {
    let mut reader = Reader::from_str(head);
    loop {
        match reader.read_event() {
            Ok(Event::Start(s)) | Ok(Event::Empty(s)) => return Some(local(s.name().as_ref())),
            Ok(Event::Eof) | Err(_) => return None,
            Ok(Event::Text(t)) if !t.xml10_content().trim().is_empty() => return None,
            Ok(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_tree_with_positions() {
        let root = parse("<a>\n  <x:b k=\"v&amp;w\">t&lt;1</x:b><c/></a>", "f.xml").unwrap();
        assert_eq!(root.name, "a");
        let b = root.child("b").unwrap();
        assert_eq!((b.line, b.column), (2, 3));
        assert_eq!(b.attr("k"), Some("v&w"));
        assert_eq!(b.text(), "t<1");
        assert!(root.child("c").is_some());
    }

    #[test]
    fn truncated_names_line_and_column() {
        let err = parse("<a>\n<b>\ntext", "t.xml").unwrap_err().to_string();
        assert!(err.contains("t.xml, ligne 3"), "{err}");
        assert!(err.contains("<b>"), "{err}");
    }

    #[test]
    fn undeclared_entity_refused() {
        let err = parse("<a>&foo;</a>", "e.xml").unwrap_err().to_string();
        assert!(err.contains("&foo;"), "{err}");
    }

    #[test]
    fn root_name_sniffs() {
        assert_eq!(
            root_name("<?xml version=\"1.0\"?>\n<!-- c -->\n<testsuite name=\"x\">").as_deref(),
            Some("testsuite")
        );
        assert_eq!(root_name("PK\u{3}\u{4}"), None);
    }
}
