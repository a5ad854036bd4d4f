//! ReqIF reader: `.reqif` documents and `.reqifz` archives to requirement records.
//!
//! What is read: DATATYPES (enumeration values resolved to their LONG-NAME), SPEC-TYPES
//! (attribute names and default values), SPEC-OBJECTS (values STRING, XHTML, ENUMERATION,
//! INTEGER, REAL, BOOLEAN, DATE), SPECIFICATIONS (the SPEC-HIERARCHY gives order and chapters:
//! the nearest enclosing heading becomes the `category`, e.g. "3.2 Immatriculation") and
//! SPEC-RELATIONS. A relation between a requirement and a test-like object (its type name
//! contains "test", or is listed in `test_types`) becomes a [`LinkRecord`] whose `test_ref` is
//! the test object's reference; test objects themselves are not imported as test cases (their
//! content belongs to the test book), and relations between two requirements are counted and
//! ignored. Objects that are in no specification are still imported, after the others.

use std::collections::{HashMap, HashSet};
use std::io::Read;
use std::path::Path;

use super::objects::{read_object, read_types, ref_in, walk_hierarchy, Ctx, Object};
use super::{escapes, ReqifField, ReqifMapping};
use crate::i18n::Lang;
use crate::import::records::{ImportBatch, LinkRecord, Origin, SheetSummary, TestCaseRecord};
use crate::interop::xml::{self, Element, MAX_BYTES};
use crate::interop::{display_name, read_bounded, tr};
use crate::{Error, Result};

/// Most `.reqif` entries read from one `.reqifz` archive.
const MAX_ENTRIES: usize = 1000;

/// Reads a `.reqif` or `.reqifz` file (chosen by extension, `.reqifz` also by zip signature);
/// problems are worded in `lang`.
pub fn read_reqif(path: &Path, mapping: Option<&ReqifMapping>, lang: Lang) -> Result<ImportBatch> {
    let bytes = read_bounded(path, MAX_BYTES)?;
    if bytes.starts_with(b"PK\x03\x04") {
        return read_reqifz_bytes(bytes, &display_name(path), mapping, lang);
    }
    let file = display_name(path);
    let text = xml::decode(&bytes, &file)?;
    read_reqif_str(&text, &file, mapping, lang)
}

/// Reads a `.reqifz` archive: every `.reqif` entry, in archive order. Other entries
/// (attachments, images) are listed as ignored.
pub fn read_reqifz(path: &Path, mapping: Option<&ReqifMapping>, lang: Lang) -> Result<ImportBatch> {
    let bytes = read_bounded(path, MAX_BYTES)?;
    read_reqifz_bytes(bytes, &display_name(path), mapping, lang)
}

fn read_reqifz_bytes(
    bytes: Vec<u8>,
    file: &str,
    mapping: Option<&ReqifMapping>,
    lang: Lang,
) -> Result<ImportBatch> {
    let zip_err = |e: zip::result::ZipError| {
        Error::input(
            format!("{file} : archive .reqifz illisible ({e})"),
            format!("{file}: unreadable .reqifz archive ({e})"),
        )
    };
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(zip_err)?;
    let mut batch = ImportBatch::default();
    let mut found = 0;
    for i in 0..archive.len().min(MAX_ENTRIES) {
        let mut entry = archive.by_index(i).map_err(zip_err)?;
        let name = entry.name().map_err(zip_err)?.into_owned();
        if entry.is_dir() {
            continue;
        }
        if !name.to_ascii_lowercase().ends_with(".reqif") {
            batch.sheets.push(SheetSummary {
                file: file.to_string(),
                sheet: name,
                kind: "ignored".into(),
                reason: Some(tr!(
                    lang,
                    "pièce jointe, pas un document ReqIF",
                    "attachment, not a ReqIF document"
                )),
                rows: 0,
                ..SheetSummary::default()
            });
            continue;
        }
        let inner = format!("{file}!{name}");
        // The declared size can lie: read at most the limit plus one byte to detect a bomb.
        let mut data = Vec::new();
        (&mut entry)
            .take(MAX_BYTES + 1)
            .read_to_end(&mut data)
            .map_err(|e| Error::io(&inner, e))?;
        if data.len() as u64 > MAX_BYTES {
            return Err(Error::input(
                format!("{inner} : entrée trop grande une fois décompressée (limite {MAX_BYTES} octets)"),
                format!("{inner}: entry too large once decompressed (limit {MAX_BYTES} bytes)"),
            ));
        }
        let text = xml::decode(&data, &inner)?;
        batch.extend(read_reqif_str(&text, &inner, mapping, lang)?);
        found += 1;
    }
    if found == 0 {
        return Err(Error::input(
            format!("{file} : l'archive ne contient aucun fichier .reqif"),
            format!("{file}: the archive holds no .reqif file"),
        ));
    }
    Ok(batch)
}

/// Reads one ReqIF document given as text; `file` names it in origins and errors, problems are
/// worded in `lang`.
pub fn read_reqif_str(
    text: &str,
    file: &str,
    mapping: Option<&ReqifMapping>,
    lang: Lang,
) -> Result<ImportBatch> {
    let default = ReqifMapping::default();
    let mapping = mapping.unwrap_or(&default);
    let root = xml::parse(text, file)?;
    if root.name != "REQ-IF" {
        return Err(Error::input(
            format!(
                "{file} : pas un document ReqIF (élément racine <{}>, <REQ-IF> attendu)",
                root.name
            ),
            format!(
                "{file}: not a ReqIF document (root element <{}>, <REQ-IF> expected)",
                root.name
            ),
        ));
    }
    let content = root
        .child("CORE-CONTENT")
        .and_then(|c| c.child("REQ-IF-CONTENT"));
    let Some(content) = content else {
        return Err(Error::input(
            format!("{file} : <CORE-CONTENT>/<REQ-IF-CONTENT> absent"),
            format!("{file}: <CORE-CONTENT>/<REQ-IF-CONTENT> missing"),
        ));
    };
    let header = root
        .child("THE-HEADER")
        .and_then(|h| h.child("REQ-IF-HEADER"));
    // StrictDoc escapes every non-ASCII character as Python does (`Cr\xe9ation`): its files,
    // named by their header, get their characters back.
    let strictdoc = header.is_some_and(|h| {
        escapes::is_strictdoc(&[
            h.child_text("REQ-IF-TOOL-ID"),
            h.child_text("SOURCE-TOOL-ID"),
        ])
    });
    let fix = |t: String| {
        if strictdoc {
            escapes::unescape_python(&t)
        } else {
            t
        }
    };
    let title = header.and_then(|h| h.child_text("TITLE")).map(fix);
    let types = read_types(content);
    let mut unmapped: Vec<String> = Vec::new();
    let mut objects: Vec<Object> = Vec::new();
    for el in content
        .children_named("SPEC-OBJECTS")
        .flat_map(|s| s.children_named("SPEC-OBJECT"))
    {
        let mut o = read_object(el, &types, mapping, &mut unmapped);
        if strictdoc {
            for (_, text) in o.fields.values_mut() {
                *text = escapes::unescape_python(text);
            }
        }
        objects.push(o);
    }
    let by_id: HashMap<&str, usize> = objects
        .iter()
        .enumerate()
        .map(|(i, o)| (o.identifier.as_str(), i))
        .collect();

    let mut batch = ImportBatch::default();
    let mut ctx = Ctx {
        file,
        mapping,
        lang,
        objects: &objects,
        by_id: &by_id,
        taken: HashSet::new(),
        refs: HashSet::new(),
        source: title.clone(),
    };
    for spec in content
        .children_named("SPECIFICATIONS")
        .flat_map(|s| s.children_named("SPECIFICATION"))
    {
        let sheet = fix(spec
            .attr("LONG-NAME")
            .or(spec.attr("IDENTIFIER"))
            .unwrap_or("SPECIFICATION")
            .to_string());
        let before = batch.requirements.len();
        if let Some(children) = spec.child("CHILDREN") {
            walk_hierarchy(&mut ctx, children, None, &sheet, &mut batch);
        }
        batch.sheets.push(summary(
            file,
            &sheet,
            "requirements",
            None,
            batch.requirements.len() - before,
        ));
    }
    let before = batch.requirements.len();
    for i in 0..objects.len() {
        ctx.emit(i, None, "SPEC-OBJECTS", &mut batch);
    }
    if batch.requirements.len() > before {
        let reason = Some(tr!(
            lang,
            "objets hors de toute spécification",
            "objects outside any specification"
        ));
        batch.sheets.push(summary(
            file,
            "SPEC-OBJECTS",
            "requirements",
            reason,
            batch.requirements.len() - before,
        ));
    }
    read_relations(content, &ctx, &mut batch);
    if !unmapped.is_empty() {
        let reason = Some(tr!(
            lang,
            "attributs non repris : {}",
            "attributes not imported: {}",
            unmapped.join(", ")
        ));
        batch
            .sheets
            .push(summary(file, "SPEC-TYPES", "ignored", reason, 0));
    }
    Ok(batch)
}

fn summary(
    file: &str,
    sheet: &str,
    kind: &str,
    reason: Option<String>,
    rows: usize,
) -> SheetSummary {
    SheetSummary {
        file: file.to_string(),
        sheet: sheet.to_string(),
        kind: kind.to_string(),
        reason,
        rows: rows as u64,
        ..SheetSummary::default()
    }
}

fn read_relations(content: &Element, ctx: &Ctx, batch: &mut ImportBatch) {
    let mut links = 0;
    let mut ignored = 0;
    // Test objects that requirements are linked to become test cases, so the links can be made
    // (a requirements tool exports them with their name and text only).
    let mut tests_seen: HashSet<String> = HashSet::new();
    for rel in content
        .children_named("SPEC-RELATIONS")
        .flat_map(|r| r.children_named("SPEC-RELATION"))
    {
        let end = |name: &str| {
            ref_in(rel, name).and_then(|id| ctx.by_id.get(id.as_str()).map(|&i| &ctx.objects[i]))
        };
        let (Some(source), Some(target)) = (end("SOURCE"), end("TARGET")) else {
            ignored += 1;
            continue;
        };
        let (req, test) = match (ctx.is_test(source), ctx.is_test(target)) {
            (false, true) => (source, target),
            (true, false) => (target, source),
            _ => {
                ignored += 1;
                continue;
            }
        };
        if ctx.chapter_of(req).is_some() {
            ignored += 1;
            continue;
        }
        links += 1;
        let test_ref = test.reference();
        if tests_seen.insert(test_ref.clone()) {
            let text = |f: ReqifField| test.get(f).map(|v| v.trim().to_string());
            batch.test_cases.push(TestCaseRecord {
                origin: Origin::file(ctx.file)
                    .with_sheet("SPEC-OBJECTS")
                    .with_row(test.el.line),
                reference: test_ref.clone(),
                title: text(ReqifField::Title).or_else(|| Some(test_ref.clone())),
                objective: text(ReqifField::Description),
                ..TestCaseRecord::default()
            });
        }
        batch.links.push(LinkRecord {
            origin: Origin::file(ctx.file)
                .with_sheet("SPEC-RELATIONS")
                .with_row(rel.line),
            requirement_ref: req.reference(),
            test_ref: test.reference(),
        });
    }
    if links + ignored > 0 {
        let reason = (ignored > 0).then(|| {
            tr!(
                ctx.lang,
                "{ignored} relation(s) entre exigences ou vers des objets inconnus ignorée(s)",
                "{ignored} relation(s) between requirements or to unknown objects ignored"
            )
        });
        batch
            .sheets
            .push(summary(ctx.file, "SPEC-RELATIONS", "links", reason, links));
    }
}
