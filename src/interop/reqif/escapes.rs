//! StrictDoc writes ReqIF with every non-ASCII character escaped the way Python's `repr` does
//! (`Cr\xe9ation`, `\u2019`): [`unescape_python`] restores the characters of such files (their
//! header names the tool, [`is_strictdoc`]).

/// Whether a ReqIF header's tool ids name StrictDoc.
pub fn is_strictdoc(tool_ids: &[Option<String>]) -> bool {
    tool_ids
        .iter()
        .flatten()
        .any(|t| t.to_ascii_lowercase().contains("strictdoc"))
}

fn hex_value(s: &[u8]) -> Option<u32> {
    let text = std::str::from_utf8(s).ok()?;
    if text.chars().all(|c| c.is_ascii_hexdigit()) {
        u32::from_str_radix(text, 16).ok()
    } else {
        None
    }
}

/// Restores `\xNN`, `\uNNNN`, `\UNNNNNNNN` and `\\` escapes. A run of `\xNN` bytes that is
/// valid multi-byte UTF-8 is read as UTF-8 (`\xc3\xa9` is « é »), otherwise each is a code point
/// (`\xe9` is « é », as Python writes it). Anything else, an invalid escape included, is kept
/// as written.
pub fn unescape_python(text: &str) -> String {
    if !text.contains('\\') {
        return text.to_string();
    }
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    // Start of the plain text not copied yet.
    let mut plain = 0;
    while i < b.len() {
        if b[i] != b'\\' || i + 1 >= b.len() {
            i += 1;
            continue;
        }
        match b[i + 1] {
            b'\\' => {
                out.push_str(&text[plain..i]);
                out.push('\\');
                i += 2;
                plain = i;
            }
            b'x' => {
                // A run of \xNN.
                let mut bytes = Vec::new();
                let mut j = i;
                while j + 4 <= b.len() && b[j] == b'\\' && b[j + 1] == b'x' {
                    match hex_value(&b[j + 2..j + 4]) {
                        Some(v) => bytes.push(v as u8),
                        None => break,
                    }
                    j += 4;
                }
                if bytes.is_empty() {
                    i += 2;
                    continue;
                }
                out.push_str(&text[plain..i]);
                match std::str::from_utf8(&bytes) {
                    Ok(s) if bytes.iter().any(|x| *x >= 0x80) => out.push_str(s),
                    _ => out.extend(bytes.iter().map(|x| char::from(*x))),
                }
                i = j;
                plain = i;
            }
            c @ (b'u' | b'U') => {
                let n = if c == b'u' { 4 } else { 8 };
                let ch = b
                    .get(i + 2..i + 2 + n)
                    .and_then(hex_value)
                    .and_then(char::from_u32);
                match ch {
                    Some(ch) => {
                        out.push_str(&text[plain..i]);
                        out.push(ch);
                        i += 2 + n;
                        plain = i;
                    }
                    None => i += 2,
                }
            }
            _ => i += 2,
        }
    }
    out.push_str(&text[plain..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// What Python's `repr` of a str writes between the quotes (backslash and non-ASCII).
    fn python_escape(s: &str) -> String {
        let mut out = String::new();
        for c in s.chars() {
            match c as u32 {
                0x5c => out.push_str("\\\\"),
                0x20..=0x7e => out.push(c),
                v if v <= 0xff => out.push_str(&format!("\\x{v:02x}")),
                v if v <= 0xffff => out.push_str(&format!("\\u{v:04x}")),
                v => out.push_str(&format!("\\U{v:08x}")),
            }
        }
        out
    }

    #[test]
    fn strictdoc_escapes_are_restored() {
        assert_eq!(unescape_python("Cr\\xe9ation"), "Création");
        assert_eq!(
            unescape_python("L\\u2019usager d\\xe9pose"),
            "L’usager dépose"
        );
        assert_eq!(unescape_python("\\U0001f600"), "😀");
        assert_eq!(unescape_python("r\\xc3\\xa9sultat"), "résultat");
        assert_eq!(unescape_python("C:\\\\temp"), "C:\\temp");
        // Not escapes: kept as written.
        assert_eq!(unescape_python("a\\nb \\xZZ \\u12"), "a\\nb \\xZZ \\u12");
        assert_eq!(unescape_python("fin\\"), "fin\\");
        assert!(is_strictdoc(&[None, Some("StrictDoc 0.9".into())]));
        assert!(!is_strictdoc(&[Some("DOORS".into())]));
    }

    proptest! {
        #[test]
        fn escaping_then_unescaping_gives_the_text_back(s in "\\PC{0,40}") {
            // Latin-1 runs that happen to be valid UTF-8 are read as UTF-8 (what StrictDoc
            // bytes would be): only check texts without such runs.
            let e = python_escape(&s);
            // Only texts where two such characters never follow each other are checked
            // (a run of \xNN is read as UTF-8 when it is valid UTF-8).
            let latin = |c: char| (0x80..=0xff).contains(&(c as u32));
            let chars: Vec<char> = s.chars().collect();
            let latin_run_is_utf8 = chars.windows(2).any(|w| latin(w[0]) && latin(w[1]));
            prop_assume!(!latin_run_is_utf8);
            prop_assert_eq!(unescape_python(&e), s);
        }

        #[test]
        fn unescaping_never_panics(s in "[a-z\\\\xuU0-9éf]{0,30}") {
            let _ = unescape_python(&s);
        }
    }
}
