//! Interoperability formats: files written by requirement and test management tools.
//!
//! - [`reqif`]: ReqIF 1.0–1.2 (`.reqif`, `.reqifz`), read and written (DOORS, Polarion,
//!   Capella, Jama, ReqIF Studio);
//! - [`testlink`]: TestLink XML exports of test suites and requirement specifications;
//! - [`squash`]: Squash TM Excel exchange workbooks (test cases, steps, requirements,
//!   coverage).
//!
//! Like every importer, these readers return an [`ImportBatch`] and never touch the store.
//! [`detect`] recognises a file, [`read`] dispatches to the right reader. The problems they
//! report (issues, reasons in sheet summaries) are worded in the [`Lang`] they are given.

pub mod html;
pub mod reqif;
pub mod squash;
pub mod testlink;
pub mod xml;

use std::io::Read;
use std::path::Path;

use crate::i18n::Lang;
use crate::import::records::ImportBatch;
use crate::{Error, Result};

pub use reqif::{ReqifExportItem, ReqifField, ReqifMapping, ReqifWriteOptions};

pub(crate) use crate::i18n::tr;

/// A recognised interoperability format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InteropFormat {
    /// A ReqIF XML document (`.reqif`).
    Reqif,
    /// A zip archive of ReqIF documents and attachments (`.reqifz`).
    Reqifz,
    /// A TestLink XML export: test suites / test cases, or a requirement specification.
    TestLink,
    /// A Squash TM exchange workbook (`TEST_CASES` or `REQUIREMENT` sheet).
    Squash,
}

impl InteropFormat {
    /// Short name, for messages and the CLI.
    pub fn name(self) -> &'static str {
        match self {
            InteropFormat::Reqif => "reqif",
            InteropFormat::Reqifz => "reqifz",
            InteropFormat::TestLink => "testlink",
            InteropFormat::Squash => "squash",
        }
    }
}

/// Recognises a file by its extension and content: `.reqif`/`.reqifz`, an XML file whose root
/// is `REQ-IF`, `testsuite`, `testcases` or `requirement-specification`, a workbook with a
/// `TEST_CASES` or `REQUIREMENT` sheet. `None` when it is none of them (or unreadable).
pub fn detect(path: &Path) -> Option<InteropFormat> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "reqif" => Some(InteropFormat::Reqif),
        "reqifz" => Some(InteropFormat::Reqifz),
        "xml" => {
            let mut head = Vec::new();
            std::fs::File::open(path)
                .ok()?
                .take(64 * 1024)
                .read_to_end(&mut head)
                .ok()?;
            let text = xml::decode(&head, "").ok()?;
            match xml::root_name(&text)?.as_str() {
                "REQ-IF" => Some(InteropFormat::Reqif),
                // JUnit also uses <testsuite>/<testcase>: only TestLink's own elements decide.
                "testsuite" | "testcases" | "testcase" => {
                    looks_like_testlink(&text).then_some(InteropFormat::TestLink)
                }
                "requirement-specification" | "requirements" => Some(InteropFormat::TestLink),
                _ => None,
            }
        }
        "xlsx" | "xlsm" | "xls" => {
            squash::is_squash_workbook(path).then_some(InteropFormat::Squash)
        }
        _ => None,
    }
}

/// Whether the start of an XML file has elements only TestLink writes (JUnit shares the
/// `testsuite`/`testcase` names).
fn looks_like_testlink(head: &str) -> bool {
    [
        "<externalid",
        "<node_order",
        "<summary",
        "<preconditions",
        "<execution_type",
        "<importance",
        "<details",
    ]
    .iter()
    .any(|tag| head.contains(tag))
}

/// Reads a file in the given format, wording its problems in `lang`. `mapping` only applies
/// to ReqIF.
pub fn read(
    path: &Path,
    format: InteropFormat,
    mapping: Option<&ReqifMapping>,
    lang: Lang,
) -> Result<ImportBatch> {
    match format {
        InteropFormat::Reqif | InteropFormat::Reqifz => reqif::read_reqif(path, mapping, lang),
        InteropFormat::TestLink => {
            let options = testlink::TestlinkOptions {
                lang,
                ..testlink::TestlinkOptions::default()
            };
            testlink::read_testlink(path, &options)
        }
        InteropFormat::Squash => squash::read_workbooks(&[path], lang),
    }
}

/// The name of a file as shown in origins and messages: as the user gave it.
pub(crate) fn display_name(path: &Path) -> String {
    crate::import::display_name(path)
}

/// Reads a whole file, refusing files larger than `limit` bytes.
pub(crate) fn read_bounded(path: &Path, limit: u64) -> Result<Vec<u8>> {
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut bytes = Vec::new();
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io(path, e))?;
    if bytes.len() as u64 > limit {
        let name = display_name(path);
        return Err(Error::input(
            format!("{name} : fichier trop grand (limite {limit} octets)"),
            format!("{name}: file too large (limit {limit} bytes)"),
        ));
    }
    Ok(bytes)
}
