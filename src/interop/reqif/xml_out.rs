//! The small XML builder behind the ReqIF writer: indentation, escaping, the recurring
//! ReqIF element shapes (identifiable start tags, `-REF` wrappers, attribute values), and the
//! plain text to XHTML conversion of descriptions.

use quick_xml::escape::escape;

/// Turns any text into an `xsd:ID`-safe, injective identifier fragment: ASCII letters, digits,
/// `-` and `.` are kept, everything else becomes `_xHHHH_`.
pub fn id_fragment(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || c == '-' || c == '.' {
            out.push(c);
        } else {
            out.push_str(&format!("_x{:04X}_", c as u32));
        }
    }
    out
}

pub(super) struct Out {
    pub(super) buf: String,
    pub(super) depth: usize,
    pub(super) time: String,
}

impl Out {
    pub(super) fn line(&mut self, s: &str) {
        self.buf.push_str(&"  ".repeat(self.depth));
        self.buf.push_str(s);
        self.buf.push('\n');
    }
    pub(super) fn open(&mut self, s: &str) {
        self.line(s);
        self.depth += 1;
    }
    pub(super) fn close(&mut self, name: &str) {
        self.depth -= 1;
        self.line(&format!("</{name}>"));
    }
    /// Start tag of an identifiable element, with its identifier, name and date.
    pub(super) fn ident(
        &mut self,
        tag: &str,
        id: &str,
        long_name: Option<&str>,
        extra: &str,
        empty: bool,
    ) {
        let name = long_name.map_or(String::new(), |n| format!(" LONG-NAME=\"{}\"", escape(n)));
        let end = if empty { "/>" } else { ">" };
        let s = format!(
            "<{tag} IDENTIFIER=\"{id}\" LAST-CHANGE=\"{}\"{name}{extra}{end}",
            escape(&self.time)
        );
        if empty {
            self.line(&s);
        } else {
            self.open(&s);
        }
    }
    pub(super) fn reference(&mut self, wrapper: &str, tag: &str, id: &str) {
        self.line(&format!("<{wrapper}><{tag}>{id}</{tag}></{wrapper}>"));
    }
    pub(super) fn string_value(&mut self, def: &str, value: &str) {
        self.open(&format!(
            "<ATTRIBUTE-VALUE-STRING THE-VALUE=\"{}\">",
            escape(value)
        ));
        self.reference("DEFINITION", "ATTRIBUTE-DEFINITION-STRING-REF", def);
        self.close("ATTRIBUTE-VALUE-STRING");
    }
    pub(super) fn enum_value(&mut self, def: &str, value_id: &str) {
        self.open("<ATTRIBUTE-VALUE-ENUMERATION>");
        self.reference("DEFINITION", "ATTRIBUTE-DEFINITION-ENUMERATION-REF", def);
        self.reference("VALUES", "ENUM-VALUE-REF", value_id);
        self.close("ATTRIBUTE-VALUE-ENUMERATION");
    }
    pub(super) fn xhtml_value(&mut self, def: &str, text: &str) {
        self.open("<ATTRIBUTE-VALUE-XHTML>");
        self.reference("DEFINITION", "ATTRIBUTE-DEFINITION-XHTML-REF", def);
        self.line(&format!(
            "<THE-VALUE><xhtml:div>{}</xhtml:div></THE-VALUE>",
            to_xhtml(text)
        ));
        self.close("ATTRIBUTE-VALUE-XHTML");
    }
}

/// Plain text to XHTML: blank-line separated paragraphs, `- ` lists, line breaks.
fn to_xhtml(text: &str) -> String {
    let mut out = String::new();
    for para in text.split("\n\n").map(str::trim).filter(|p| !p.is_empty()) {
        let lines: Vec<&str> = para.lines().collect();
        if lines.iter().all(|l| l.trim_start().starts_with("- ")) {
            out.push_str("<xhtml:ul>");
            for l in lines {
                let item = l.trim_start().trim_start_matches("- ");
                out.push_str(&format!("<xhtml:li>{}</xhtml:li>", escape(item)));
            }
            out.push_str("</xhtml:ul>");
        } else {
            let escaped: Vec<String> = lines.iter().map(|l| escape(*l).into_owned()).collect();
            out.push_str(&format!(
                "<xhtml:p>{}</xhtml:p>",
                escaped.join("<xhtml:br/>")
            ));
        }
    }
    out
}
