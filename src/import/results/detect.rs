//! Format detection from the first bytes of a file, and the distinct messages for files that are
//! not test reports at all (empty, binary, an HTML page saved as `.xml`).

use std::fs::File;
use std::io::Read;
use std::path::Path;

use quick_xml::events::Event;
use quick_xml::Reader;

use super::source::sniff_encoding;
use super::{display_name, ResultFormat};
use crate::error::{Error, Result};

/// Bytes read to detect a format.
const HEAD: usize = 64 * 1024;

/// Detects the format of a result file from its root element (XML) or its shape (JSON).
///
/// Unknown content is an error naming the file and what was found, e.g.
/// `x.xml : élément racine <html> : page HTML ...` or `élément racine <foo> inconnu`.
pub fn detect_format(path: &Path) -> Result<ResultFormat> {
    let head = precheck(path)?;
    let file = display_name(path);
    let trimmed = head.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
    if let Some(inner) = trimmed.strip_prefix('[') {
        // Cucumber JSON: an array of features (`[]` when no feature ran).
        if inner.trim_start().starts_with(']')
            || trimmed.contains("\"elements\"")
            || trimmed.contains("\"keyword\"")
        {
            return Ok(ResultFormat::Cucumber);
        }
    }
    if trimmed.starts_with('{') {
        // Playwright's report has `suites` of `specs`; CTRF a `results` object. Playwright's
        // tests hold `results` too, so it is recognised first.
        if trimmed.contains("\"specs\"")
            || (trimmed.contains("\"suites\"") && trimmed.contains("\"config\""))
        {
            return Ok(ResultFormat::Playwright);
        }
        if trimmed.contains("\"results\"") {
            return Ok(ResultFormat::Ctrf);
        }
    }
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        return Err(Error::input(
            format!(
                "{file} : fichier JSON qui n'est ni CTRF (clé « results »), ni Cucumber (tableau \
                 de fonctionnalités), ni Playwright (clé « suites »)"
            ),
            format!(
                "{file}: JSON file that is neither CTRF (\"results\" key), Cucumber (array of \
                 features) nor Playwright (\"suites\" key)"
            ),
        ));
    }
    if is_tap(trimmed) {
        return Ok(ResultFormat::Tap);
    }
    if !trimmed.starts_with('<') {
        let start: String = trimmed.chars().take(30).collect();
        return Err(Error::input(
            format!("{file} : ni XML, ni JSON, ni TAP (le fichier commence par « {start} »)"),
            format!("{file}: neither XML, JSON nor TAP (the file starts with \"{start}\")"),
        ));
    }
    refuse_doctype(&file, &head)?;
    let root = root_element(trimmed).ok_or_else(|| {
        Error::input(
            format!("{file} : élément racine XML introuvable dans les 64 premiers Kio"),
            format!("{file}: no XML root element in the first 64 KiB"),
        )
    })?;
    Ok(match root.as_str() {
        "testsuites" | "testsuite" => ResultFormat::Junit,
        "robot" => ResultFormat::Robot,
        // NUnit 3 writes a lone `test-suite` root for an assembly or fixture result.
        "test-run" | "test-suite" => ResultFormat::Nunit3,
        "test-results" => ResultFormat::Nunit2,
        "TestRun" => ResultFormat::Trx,
        "assemblies" | "assembly" => ResultFormat::Xunit,
        "testng-results" => ResultFormat::Testng,
        "html" | "HTML" => return Err(html_error(&file, trimmed)),
        other => {
            let expected = "testsuites, testsuite (JUnit), robot, test-run, test-suite (NUnit 3), \
                            test-results (NUnit 2), TestRun (TRX), assemblies (xUnit.net), \
                            testng-results";
            return Err(Error::input(
                format!("{file} : élément racine <{other}> inconnu ; attendu : {expected}"),
                format!("{file}: unknown root element <{other}>; expected: {expected}"),
            ));
        }
    })
}

/// Whether a text is a TAP stream: `TAP version`, a plan or a test point first (comments and
/// blank lines skipped).
fn is_tap(text: &str) -> bool {
    let Some(first) = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
    else {
        return text.trim_start().starts_with("# Subtest");
    };
    let lower = first.to_ascii_lowercase();
    lower.starts_with("tap version")
        || (first.starts_with("1..") && first[3..].starts_with(|c: char| c.is_ascii_digit()))
        || first == "ok"
        || first.starts_with("ok ")
        || first.starts_with("not ok")
        || first.starts_with("Bail out!")
}

/// Refuses empty, blank, binary and HTML files with distinct messages; returns the decoded
/// beginning of the file otherwise.
pub(crate) fn precheck(path: &Path) -> Result<String> {
    let file = display_name(path);
    let mut f = File::open(path).map_err(|e| Error::io(path, e))?;
    let mut bytes = Vec::with_capacity(HEAD);
    f.by_ref()
        .take(HEAD as u64)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io(path, e))?;
    if bytes.is_empty() {
        return Err(Error::input(
            format!("{file} : fichier vide (0 octet) : aucun résultat de test à lire"),
            format!("{file}: empty file (0 bytes): no test result to read"),
        ));
    }
    let (encoding, bom) = sniff_encoding(&bytes);
    let body = &bytes[bom..];
    let utf16 = encoding.name().starts_with("UTF-16");
    if !utf16 {
        // NUL never occurs in text; a control character first is not text either. (Escape
        // characters from coloured logs can occur later in real reports: not refused here.)
        let first = body.iter().copied().find(|b| !b.is_ascii_whitespace());
        let binary = body.contains(&0) || first.is_some_and(|b| b < 0x20);
        if let Some(b) = binary
            .then(|| {
                body.iter()
                    .copied()
                    .find(|&b| b < 0x20 && !b.is_ascii_whitespace())
            })
            .flatten()
        {
            return Err(Error::input(
                format!(
                    "{file} : contenu binaire (octet 0x{b:02X}) : ce n'est ni du XML ni du JSON \
                     (fichier corrompu, ou archive à décompresser d'abord ?)"
                ),
                format!(
                    "{file}: binary content (byte 0x{b:02X}): neither XML nor JSON (corrupt file, \
                     or an archive to extract first?)"
                ),
            ));
        }
    }
    let (text, _) = encoding.decode_without_bom_handling(body);
    let text = text.into_owned();
    if text.trim().is_empty() {
        return Err(Error::input(
            format!("{file} : fichier sans contenu (seulement des espaces)"),
            format!("{file}: file without content (only white space)"),
        ));
    }
    let lower: String = text
        .trim_start()
        .chars()
        .take(200)
        .collect::<String>()
        .to_lowercase();
    if lower.starts_with("<!doctype html") || lower.starts_with("<html") {
        return Err(html_error(&file, &text));
    }
    Ok(text)
}

/// The message for an HTML page (often a proxy or CI error page saved instead of a report).
fn html_error(file: &str, text: &str) -> Error {
    let title = excerpt_between(text, "<title>", "</title>")
        .or_else(|| excerpt_between(text, "<h1>", "</h1>"))
        .map(|t| format!(" « {t} »"))
        .unwrap_or_default();
    Error::input(
        format!(
            "{file} : page HTML{title} et non un rapport de tests (page d'erreur d'un proxy ou \
             du serveur d'intégration enregistrée à la place du rapport ?)"
        ),
        format!(
            "{file}: HTML page{title}, not a test report (an error page from a proxy or the CI \
             server saved instead of the report?)"
        ),
    )
}

fn excerpt_between(text: &str, open: &str, close: &str) -> Option<String> {
    let lower = text.to_lowercase();
    if lower.len() != text.len() {
        return None;
    }
    let start = lower.find(open)? + open.len();
    let end = start + lower[start..].find(close)?;
    let t = text.get(start..end)?.trim();
    let t: String = t.chars().take(80).collect();
    (!t.is_empty()).then_some(t)
}

/// Refuses a file whose beginning holds a DOCTYPE declaring entities or naming an external
/// subset, naming its line: whatever the root element, and whatever format was asked for.
pub(crate) fn refuse_doctype(file: &str, head: &str) -> Result<()> {
    match refused_doctype_line(head) {
        Some(line) => Err(super::xml::doctype_error(file, line)),
        None => Ok(()),
    }
}

/// The 1-based line of a DOCTYPE declaring entities or naming an external subset, if one comes
/// before the root element of `text`.
fn refused_doctype_line(text: &str) -> Option<u64> {
    let mut reader = Reader::from_str(text);
    loop {
        let at = reader.buffer_position() as usize;
        match reader.read_event() {
            Ok(Event::DocType(d)) => {
                let raw: &str = &d;
                if !super::xml::doctype_is_refused(raw) {
                    return None;
                }
                // The event starts at the first `<` after `at` (white space is its own event).
                let before = text.get(..at)?;
                let skipped = text.get(at..)?.find('<').unwrap_or(0);
                let newlines = before.matches('\n').count()
                    + text.get(at..at + skipped)?.matches('\n').count();
                return Some(newlines as u64 + 1);
            }
            Ok(Event::Start(_)) | Ok(Event::Empty(_)) | Ok(Event::Eof) | Err(_) => return None,
            Ok(_) => continue,
        }
    }
}

/// Local name of the first element, if found in `text`.
fn root_element(text: &str) -> Option<String> {
    let mut reader = Reader::from_str(text);
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) => {
                let name: &str = e.name().0;
                return Some(name.rsplit(':').next().unwrap_or(name).to_string());
            }
            Ok(Event::Eof) | Err(_) => return None,
            Ok(_) => continue,
        }
    }
}
