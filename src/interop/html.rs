//! Rich text (XHTML from ReqIF, HTML from TestLink and Squash TM) to sanitised plain text.
//!
//! recette stores descriptions, steps and objectives as plain text with a little Markdown, never
//! as HTML: reports are rendered by templates and a stored `<script>` must never come back out
//! as markup. What survives: paragraphs (blank line between them), line breaks, lists (`- ` or
//! `1. `, indented when nested), bold (`**`), table cells separated by ` | `. Script, style and
//! similar elements are dropped with their content; every other tag is dropped and its text
//! kept. Text that would look like a tag once decoded (`&lt;script&gt;`) is escaped as `\<` so
//! that a Markdown renderer shows it literally.

/// Elements dropped together with their content.
const DROPPED: &[&str] = &[
    "script", "style", "head", "title", "iframe", "template", "noscript", "svg", "math",
];

/// Elements that start a new paragraph.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "pre",
    "table",
    "tr",
    "section",
    "article",
    "header",
    "footer",
    "dl",
    "dt",
    "dd",
    "address",
    "hr",
    "caption",
];

/// Builds plain text from a stream of open/close/text events.
#[derive(Default)]
pub struct TextBuilder {
    blocks: Vec<(bool, String)>,
    line: String,
    prefix_len: usize,
    in_item: bool,
    lists: Vec<(bool, u32)>,
    dropping: usize,
    pending_space: bool,
    cells: usize,
}

impl TextBuilder {
    /// A builder with no text yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// An element opens (`name` is the local name, any case).
    pub fn open(&mut self, name: &str) {
        let name = name.to_ascii_lowercase();
        if self.dropping > 0 || DROPPED.contains(&name.as_str()) {
            self.dropping += 1;
            return;
        }
        match name.as_str() {
            "br" => {
                self.line.push('\n');
                self.pending_space = false;
            }
            "ul" | "ol" => {
                self.flush();
                self.lists.push((name == "ol", 0));
            }
            "li" => {
                self.flush();
                let depth = self.lists.len().max(1);
                let marker = match self.lists.last_mut() {
                    Some((true, n)) => {
                        *n += 1;
                        format!("{n}. ")
                    }
                    _ => "- ".to_string(),
                };
                self.line = format!("{}{marker}", "  ".repeat(depth - 1));
                self.prefix_len = self.line.len();
                self.in_item = true;
            }
            "b" | "strong" => {
                self.space_if_pending();
                self.line.push_str("**");
            }
            "td" | "th" => {
                if self.cells > 0 {
                    self.line.push_str(" | ");
                }
                self.cells += 1;
                self.pending_space = false;
            }
            n if BLOCKS.contains(&n) => {
                self.flush();
                self.cells = 0;
            }
            _ => {}
        }
    }

    /// An element closes.
    pub fn close(&mut self, name: &str) {
        let name = name.to_ascii_lowercase();
        if self.dropping > 0 {
            self.dropping -= 1;
            return;
        }
        match name.as_str() {
            "ul" | "ol" => {
                self.flush();
                self.lists.pop();
            }
            "li" => self.flush(),
            "b" | "strong" => {
                let trimmed = self.line.trim_end_matches(' ').len();
                let had_space = trimmed < self.line.len();
                self.line.truncate(trimmed);
                if self.line.ends_with("**") {
                    // Empty bold: drop the marker instead of writing "****".
                    self.line.truncate(self.line.len() - 2);
                } else {
                    self.line.push_str("**");
                }
                self.pending_space = had_space;
            }
            n if BLOCKS.contains(&n) => self.flush(),
            _ => {}
        }
    }

    /// Character data, entities already decoded. Runs of white space become one space.
    pub fn text(&mut self, text: &str) {
        if self.dropping > 0 {
            return;
        }
        for c in text.chars() {
            if c.is_whitespace() && c != '\u{a0}' {
                self.pending_space = true;
            } else {
                self.space_if_pending();
                self.line.push(if c == '\u{a0}' { ' ' } else { c });
            }
        }
    }

    fn space_if_pending(&mut self) {
        if self.pending_space
            && self.line.len() > self.prefix_len
            && !self.line.ends_with([' ', '\n'])
        {
            self.line.push(' ');
        }
        self.pending_space = false;
    }

    fn flush(&mut self) {
        let line = std::mem::take(&mut self.line);
        let content = line.get(self.prefix_len..).unwrap_or("");
        if !content.trim().is_empty() {
            let cleaned: Vec<&str> = line.trim_end().lines().map(str::trim_end).collect();
            self.blocks.push((self.in_item, cleaned.join("\n")));
        }
        self.prefix_len = 0;
        self.in_item = false;
        self.pending_space = false;
    }

    /// The text: paragraphs separated by a blank line, list items by a line break.
    pub fn finish(mut self) -> String {
        self.flush();
        let mut out = String::new();
        let mut prev_item = false;
        for (i, (item, text)) in self.blocks.iter().enumerate() {
            if i > 0 {
                out.push_str(if *item && prev_item { "\n" } else { "\n\n" });
            }
            out.push_str(text);
            prev_item = *item;
        }
        neutralise_tags(&out)
    }
}

/// Escapes `<` when it starts something a Markdown or HTML renderer would take for a tag.
pub fn neutralise_tags(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '<'
            && chars
                .peek()
                .is_some_and(|n| n.is_ascii_alphabetic() || "/!?".contains(*n))
        {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Whether a cell or CDATA block holds HTML rather than plain text.
pub fn looks_like_html(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes
        .windows(2)
        .any(|w| w[0] == b'<' && (w[1].is_ascii_alphabetic() || w[1] == b'/' || w[1] == b'!'))
        && text.contains('>')
        || text.contains("&nbsp;")
        || text.contains("&#")
}

/// Converts an HTML fragment (tolerant: unclosed tags, named entities) to plain text; plain text
/// is returned with its line breaks kept and its lines trimmed.
pub fn html_to_text(input: &str) -> String {
    if !looks_like_html(input) {
        let lines: Vec<&str> = input.lines().map(str::trim_end).collect();
        let text = lines.join("\n").trim().to_string();
        // Entities are decoded (editors write `&laquo;` even in plain text); what they decode to
        // must not turn into markup.
        let decoded = decode_entities(&text);
        return if decoded == text {
            text
        } else {
            neutralise_tags(&decoded)
        };
    }
    let mut b = TextBuilder::new();
    let mut rest = input;
    while !rest.is_empty() {
        let Some(lt) = rest.find('<') else {
            b.text(&decode_entities(rest));
            break;
        };
        b.text(&decode_entities(&rest[..lt]));
        let tail = &rest[lt..];
        if let Some(after) = tail.strip_prefix("<!--") {
            rest = after.find("-->").map_or("", |i| &after[i + 3..]);
            continue;
        }
        let next = tail[1..].chars().next();
        let is_tag =
            next.is_some_and(|c| c.is_ascii_alphabetic() || c == '/' || c == '!' || c == '?');
        let Some(gt) = tail.find('>').filter(|_| is_tag) else {
            b.text("<");
            rest = &tail[1..];
            continue;
        };
        let inner = &tail[1..gt];
        rest = &tail[gt + 1..];
        let closing = inner.starts_with('/');
        let name: String = inner
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == ':' || *c == '-')
            .collect();
        let name = name.rsplit(':').next().unwrap_or("").to_ascii_lowercase();
        if name.is_empty() {
            continue;
        }
        if closing {
            b.close(&name);
        } else if DROPPED.contains(&name.as_str()) {
            // Skip to the matching end tag, content included.
            let end = format!("</{name}");
            let lower = rest.to_ascii_lowercase();
            rest = lower.find(&end).map_or("", |i| {
                let after = &rest[i..];
                after.find('>').map_or("", |g| &after[g + 1..])
            });
        } else {
            b.open(&name);
            let void = inner.ends_with('/')
                || matches!(
                    name.as_str(),
                    "br" | "hr" | "img" | "input" | "meta" | "link"
                );
            if void && name != "br" {
                b.close(&name);
            }
        }
    }
    b.finish()
}

/// Decodes character references and the common named entities (Latin-1, typography); an
/// unknown entity is left as written.
pub fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let tail = &rest[amp..];
        let semi = tail.find(';').filter(|&i| i <= 12);
        let decoded = semi.and_then(|i| entity(&tail[1..i]).map(|c| (c, i)));
        match decoded {
            Some((c, i)) => {
                out.push(c);
                rest = &tail[i + 1..];
            }
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn entity(name: &str) -> Option<char> {
    if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        return char::from_u32(code).filter(|c| *c != '\0');
    }
    const NAMED: &[(&str, char)] = &[
        ("amp", '&'),
        ("lt", '<'),
        ("gt", '>'),
        ("quot", '"'),
        ("apos", '\''),
        ("nbsp", '\u{a0}'),
        ("eacute", 'é'),
        ("egrave", 'è'),
        ("ecirc", 'ê'),
        ("euml", 'ë'),
        ("agrave", 'à'),
        ("acirc", 'â'),
        ("auml", 'ä'),
        ("ccedil", 'ç'),
        ("icirc", 'î'),
        ("iuml", 'ï'),
        ("ocirc", 'ô'),
        ("ouml", 'ö'),
        ("ugrave", 'ù'),
        ("ucirc", 'û'),
        ("uuml", 'ü'),
        ("yuml", 'ÿ'),
        ("oelig", 'œ'),
        ("aelig", 'æ'),
        ("Eacute", 'É'),
        ("Egrave", 'È'),
        ("Ecirc", 'Ê'),
        ("Agrave", 'À'),
        ("Acirc", 'Â'),
        ("Ccedil", 'Ç'),
        ("Icirc", 'Î'),
        ("Ocirc", 'Ô'),
        ("Ugrave", 'Ù'),
        ("Ucirc", 'Û'),
        ("OElig", 'Œ'),
        ("laquo", '«'),
        ("raquo", '»'),
        ("lsquo", '‘'),
        ("rsquo", '’'),
        ("ldquo", '“'),
        ("rdquo", '”'),
        ("hellip", '…'),
        ("ndash", '–'),
        ("mdash", '—'),
        ("euro", '€'),
        ("deg", '°'),
        ("copy", '©'),
        ("reg", '®'),
        ("trade", '™'),
        ("times", '×'),
        ("middot", '·'),
        ("bull", '•'),
        ("sect", '§'),
        ("para", '¶'),
        ("shy", '\u{ad}'),
        ("ordm", 'º'),
        ("ordf", 'ª'),
        ("le", '≤'),
        ("ge", '≥'),
        ("rarr", '→'),
        ("larr", '←'),
    ];
    NAMED.iter().find(|(n, _)| *n == name).map(|(_, c)| *c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_lists_and_bold() {
        let t = html_to_text(
            "<p>Le système <strong>doit</strong> vérifier :</p><ul><li>le numéro</li><li>la date</li></ul><p>Fin&nbsp;!</p>",
        );
        assert_eq!(
            t,
            "Le système **doit** vérifier :\n\n- le numéro\n- la date\n\nFin !"
        );
    }

    #[test]
    fn ordered_and_nested_lists() {
        let t = html_to_text("<ol><li>un<ul><li>a</li></ul></li><li>deux</li></ol>");
        assert_eq!(t, "1. un\n  - a\n2. deux");
    }

    #[test]
    fn script_dropped_and_tags_in_text_escaped() {
        let t =
            html_to_text("<p>a<script>alert('x')</script> &lt;script&gt;b</p><style>p{}</style>");
        assert_eq!(t, "a \\<script>b");
        assert!(!t.replace("\\<", "").contains('<'));
    }

    #[test]
    fn plain_text_kept() {
        assert_eq!(
            html_to_text("  ligne 1\r\nligne 2 < 3  "),
            "ligne 1\nligne 2 < 3"
        );
        assert_eq!(html_to_text("a<br>b<br/>c"), "a\nb\nc");
        assert_eq!(html_to_text("&laquo; x &raquo; &lt;b&gt;"), "« x » \\<b>");
        assert_eq!(
            decode_entities("&eacute;t&eacute; &#233; &#x41; &bogus;"),
            "été é A &bogus;"
        );
    }
}
