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

use super::{ReqifField, ReqifMapping};
use crate::import::records::{ImportBatch, ImportIssue, LinkRecord, Origin, RequirementRecord, SheetSummary};
use crate::interop::html::TextBuilder;
use crate::interop::xml::{self, Element, Node, MAX_BYTES};
use crate::interop::{display_name, read_bounded};
use crate::{Error, Result};

/// Most `.reqif` entries read from one `.reqifz` archive.
const MAX_ENTRIES: usize = 1000;

/// Reads a `.reqif` or `.reqifz` file (chosen by extension, `.reqifz` also by zip signature).
pub fn read_reqif(path: &Path, mapping: Option<&ReqifMapping>) -> Result<ImportBatch> {
    let bytes = read_bounded(path, MAX_BYTES)?;
    if bytes.starts_with(b"PK\x03\x04") {
        return read_reqifz_bytes(bytes, &display_name(path), mapping);
    }
    let file = display_name(path);
    let text = xml::decode(&bytes, &file)?;
    read_reqif_str(&text, &file, mapping)
}

/// Reads a `.reqifz` archive: every `.reqif` entry, in archive order. Other entries
/// (attachments, images) are listed as ignored.
pub fn read_reqifz(path: &Path, mapping: Option<&ReqifMapping>) -> Result<ImportBatch> {
    let bytes = read_bounded(path, MAX_BYTES)?;
    read_reqifz_bytes(bytes, &display_name(path), mapping)
}

fn read_reqifz_bytes(bytes: Vec<u8>, file: &str, mapping: Option<&ReqifMapping>) -> Result<ImportBatch> {
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
                reason: Some("pièce jointe, pas un document ReqIF".into()),
                rows: 0,
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
        batch.extend(read_reqif_str(&text, &inner, mapping)?);
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

/// The types a document declares, by identifier.
#[derive(Default)]
struct Types {
    /// Enumeration value identifier -> LONG-NAME.
    enum_values: HashMap<String, String>,
    /// Attribute definition identifier -> (LONG-NAME, default value).
    attributes: HashMap<String, (String, Option<String>)>,
    /// Object type identifier -> (LONG-NAME, attribute definition identifiers).
    object_types: HashMap<String, (String, Vec<String>)>,
}

/// One SPEC-OBJECT with its values resolved, before it becomes a record.
struct Object<'a> {
    el: &'a Element,
    identifier: String,
    type_name: String,
    /// Field -> (precedence, value).
    fields: HashMap<ReqifFieldKey, (u8, String)>,
}

type ReqifFieldKey = u8;

fn key(f: ReqifField) -> ReqifFieldKey {
    f as u8
}

impl Object<'_> {
    fn get(&self, f: ReqifField) -> Option<&str> {
        self.fields.get(&key(f)).map(|(_, v)| v.as_str()).filter(|v| !v.trim().is_empty())
    }
    fn reference(&self) -> String {
        self.get(ReqifField::Reference).map_or_else(|| self.identifier.clone(), |r| r.trim().to_string())
    }
}

/// Reads one ReqIF document given as text; `file` names it in origins and errors.
pub fn read_reqif_str(text: &str, file: &str, mapping: Option<&ReqifMapping>) -> Result<ImportBatch> {
    let default = ReqifMapping::default();
    let mapping = mapping.unwrap_or(&default);
    let root = xml::parse(text, file)?;
    if root.name != "REQ-IF" {
        return Err(Error::input(
            format!("{file} : pas un document ReqIF (élément racine <{}>, <REQ-IF> attendu)", root.name),
            format!("{file}: not a ReqIF document (root element <{}>, <REQ-IF> expected)", root.name),
        ));
    }
    let content = root.child("CORE-CONTENT").and_then(|c| c.child("REQ-IF-CONTENT"));
    let Some(content) = content else {
        return Err(Error::input(
            format!("{file} : <CORE-CONTENT>/<REQ-IF-CONTENT> absent"),
            format!("{file}: <CORE-CONTENT>/<REQ-IF-CONTENT> missing"),
        ));
    };
    let title = root
        .child("THE-HEADER")
        .and_then(|h| h.child("REQ-IF-HEADER"))
        .and_then(|h| h.child_text("TITLE"));
    let types = read_types(content);
    let mut unmapped: Vec<String> = Vec::new();
    let mut objects: Vec<Object> = Vec::new();
    for el in content.children_named("SPEC-OBJECTS").flat_map(|s| s.children_named("SPEC-OBJECT")) {
        objects.push(read_object(el, &types, mapping, &mut unmapped));
    }
    let by_id: HashMap<&str, usize> = objects.iter().enumerate().map(|(i, o)| (o.identifier.as_str(), i)).collect();

    let mut batch = ImportBatch::default();
    let mut ctx = Ctx { file, mapping, objects: &objects, by_id: &by_id, taken: HashSet::new(), refs: HashSet::new(), source: title.clone() };
    for spec in content.children_named("SPECIFICATIONS").flat_map(|s| s.children_named("SPECIFICATION")) {
        let sheet = spec.attr("LONG-NAME").or(spec.attr("IDENTIFIER")).unwrap_or("SPECIFICATION").to_string();
        let before = batch.requirements.len();
        if let Some(children) = spec.child("CHILDREN") {
            walk_hierarchy(&mut ctx, children, None, &sheet, &mut batch);
        }
        batch.sheets.push(summary(file, &sheet, "requirements", None, batch.requirements.len() - before));
    }
    let before = batch.requirements.len();
    for i in 0..objects.len() {
        ctx.emit(i, None, "SPEC-OBJECTS", &mut batch);
    }
    if batch.requirements.len() > before {
        let reason = Some("objets hors de toute spécification".to_string());
        batch.sheets.push(summary(file, "SPEC-OBJECTS", "requirements", reason, batch.requirements.len() - before));
    }
    read_relations(content, &ctx, &mut batch);
    if !unmapped.is_empty() {
        let reason = Some(format!("attributs non repris : {}", unmapped.join(", ")));
        batch.sheets.push(summary(file, "SPEC-TYPES", "ignored", reason, 0));
    }
    Ok(batch)
}

fn summary(file: &str, sheet: &str, kind: &str, reason: Option<String>, rows: usize) -> SheetSummary {
    SheetSummary { file: file.to_string(), sheet: sheet.to_string(), kind: kind.to_string(), reason, rows: rows as u64 }
}

/// The first element child's text: the identifier inside `<TYPE><...-REF>ID</...-REF></TYPE>`.
fn ref_in(el: &Element, child: &str) -> Option<String> {
    el.child(child)?.elements().next().map(|r| r.text().trim().to_string())
}

fn read_types(content: &Element) -> Types {
    let mut types = Types::default();
    for dt in content.children_named("DATATYPES").flat_map(|d| d.elements()) {
        for v in dt.children_named("SPECIFIED-VALUES").flat_map(|s| s.children_named("ENUM-VALUE")) {
            let name = v.attr("LONG-NAME").map(str::to_string).or_else(|| {
                v.child("PROPERTIES")?.child("EMBEDDED-VALUE")?.attr("OTHER-CONTENT").map(str::to_string)
            });
            if let (Some(id), Some(name)) = (v.attr("IDENTIFIER"), name) {
                types.enum_values.insert(id.to_string(), name);
            }
        }
    }
    for st in content.children_named("SPEC-TYPES").flat_map(|d| d.elements()) {
        let mut attrs = Vec::new();
        for ad in st.children_named("SPEC-ATTRIBUTES").flat_map(|s| s.elements()) {
            let Some(id) = ad.attr("IDENTIFIER") else { continue };
            let name = ad.attr("LONG-NAME").unwrap_or(id).to_string();
            types.attributes.insert(id.to_string(), (name, None));
            attrs.push(id.to_string());
        }
        // Defaults are resolved once every enumeration value is known.
        for ad in st.children_named("SPEC-ATTRIBUTES").flat_map(|s| s.elements()) {
            let default = ad.child("DEFAULT-VALUE").and_then(|d| d.elements().next()).and_then(|v| value_of(v, &types));
            if let (Some(id), Some((_, value))) = (ad.attr("IDENTIFIER"), default) {
                if let Some(entry) = types.attributes.get_mut(id) {
                    entry.1 = Some(value);
                }
            }
        }
        if let Some(id) = st.attr("IDENTIFIER") {
            let name = st.attr("LONG-NAME").unwrap_or(id).to_string();
            types.object_types.insert(id.to_string(), (name, attrs));
        }
    }
    types
}

/// Resolves one ATTRIBUTE-VALUE-* element to (attribute definition id, text).
fn value_of(v: &Element, types: &Types) -> Option<(String, String)> {
    let def = ref_in(v, "DEFINITION").unwrap_or_default();
    let text = match v.name.as_str() {
        "ATTRIBUTE-VALUE-XHTML" => {
            let the = v.child("THE-VALUE").or_else(|| v.child("THE-ORIGINAL-VALUE"))?;
            let mut b = TextBuilder::new();
            xhtml_children(the, &mut b);
            b.finish()
        }
        "ATTRIBUTE-VALUE-ENUMERATION" => {
            let names: Vec<&str> = v
                .children_named("VALUES")
                .flat_map(|vs| vs.elements())
                .filter_map(|r| types.enum_values.get(r.text().trim()).map(String::as_str))
                .collect();
            names.join(", ")
        }
        n if n.starts_with("ATTRIBUTE-VALUE-") => v.attr("THE-VALUE")?.trim().to_string(),
        _ => return None,
    };
    Some((def, text))
}

fn xhtml_children(el: &Element, b: &mut TextBuilder) {
    for n in &el.children {
        match n {
            Node::Text(t) => b.text(t),
            Node::Element(e) => {
                b.open(&e.name);
                xhtml_children(e, b);
                b.close(&e.name);
            }
        }
    }
}

fn read_object<'a>(el: &'a Element, types: &Types, mapping: &ReqifMapping, unmapped: &mut Vec<String>) -> Object<'a> {
    let identifier = el.attr("IDENTIFIER").unwrap_or_default().to_string();
    let type_id = ref_in(el, "TYPE").unwrap_or_default();
    let (type_name, type_attrs) = types.object_types.get(&type_id).cloned().unwrap_or_default();
    let mut values: Vec<(String, String)> = el.children_named("VALUES").flat_map(|v| v.elements()).filter_map(|v| value_of(v, types)).collect();
    for id in type_attrs {
        if !values.iter().any(|(d, _)| *d == id) {
            if let Some((_, Some(default))) = types.attributes.get(&id) {
                values.push((id, default.clone()));
            }
        }
    }
    let mut fields = HashMap::new();
    for (def, text) in values {
        let name = types.attributes.get(&def).map_or(def.as_str(), |(n, _)| n.as_str());
        match mapping.field_for(name) {
            Some((f, rank)) if f != ReqifField::Ignore => {
                let slot = fields.entry(key(f)).or_insert((u8::MAX, String::new()));
                if rank < slot.0 && !text.trim().is_empty() {
                    *slot = (rank, text);
                }
            }
            Some(_) => {}
            None => {
                if !unmapped.iter().any(|u| u == name) {
                    unmapped.push(name.to_string());
                }
            }
        }
    }
    if let (Some(long), false) = (el.attr("LONG-NAME"), fields.contains_key(&key(ReqifField::Title))) {
        fields.insert(key(ReqifField::Title), (u8::MAX, long.to_string()));
    }
    Object { el, identifier, type_name, fields }
}

/// State shared while turning objects into records.
struct Ctx<'a> {
    file: &'a str,
    mapping: &'a ReqifMapping,
    objects: &'a [Object<'a>],
    by_id: &'a HashMap<&'a str, usize>,
    /// Objects already emitted (an object may appear in several hierarchies).
    taken: HashSet<usize>,
    refs: HashSet<String>,
    source: Option<String>,
}

impl Ctx<'_> {
    fn is_test(&self, o: &Object) -> bool {
        self.mapping.is_test_type(&o.type_name)
    }

    /// The heading of a chapter object, `None` for a requirement.
    fn chapter_of(&self, o: &Object) -> Option<String> {
        let heading = o.get(ReqifField::Chapter);
        let has_text = o.get(ReqifField::Description).is_some();
        if let (Some(h), false) = (heading, has_text) {
            return Some(h.trim().to_string());
        }
        if self.mapping.is_chapter_type(&o.type_name) {
            return heading.or(o.get(ReqifField::Title)).map(|h| h.trim().to_string());
        }
        None
    }

    fn emit(&mut self, i: usize, chapter: Option<&str>, sheet: &str, batch: &mut ImportBatch) {
        let o = &self.objects[i];
        if self.is_test(o) || self.chapter_of(o).is_some() || !self.taken.insert(i) {
            return;
        }
        let origin = Origin::file(self.file).with_sheet(sheet).with_row(o.el.line);
        let reference = o.reference();
        if !self.refs.insert(reference.clone()) {
            batch.issues.push(issue(&origin, format!("référence « {reference} » en double dans le document")));
            return;
        }
        let parse = |field: ReqifField| -> Option<String> { o.get(field).map(|v| v.trim().to_string()) };
        let criticality = match parse(ReqifField::Criticality).map(|v| self.mapping.criticality_of(&v)) {
            Some(Ok(c)) => c,
            Some(Err(e)) => {
                batch.issues.push(issue(&origin, format!("{reference} : {e}")));
                None
            }
            None => None,
        };
        let status = match parse(ReqifField::Status).map(|v| self.mapping.status_of(&v)) {
            Some(Ok(s)) => s,
            Some(Err(e)) => {
                batch.issues.push(issue(&origin, format!("{reference} : {e}")));
                None
            }
            None => None,
        };
        let description = o.get(ReqifField::Description).map(str::to_string);
        batch.requirements.push(RequirementRecord {
            origin,
            reference,
            title: parse(ReqifField::Title),
            description,
            criticality,
            category: parse(ReqifField::Category).or_else(|| chapter.map(str::to_string)),
            status,
            source: parse(ReqifField::Source).or_else(|| self.source.clone()),
        });
    }
}

fn issue(origin: &Origin, message: String) -> ImportIssue {
    ImportIssue { origin: origin.clone(), message }
}

fn walk_hierarchy(ctx: &mut Ctx, children: &Element, chapter: Option<&str>, sheet: &str, batch: &mut ImportBatch) {
    for h in children.children_named("SPEC-HIERARCHY") {
        let target = ref_in(h, "OBJECT").and_then(|id| ctx.by_id.get(id.as_str()).copied());
        let mut inner = chapter.map(str::to_string);
        match target {
            Some(i) => match ctx.chapter_of(&ctx.objects[i]) {
                Some(heading) => inner = Some(heading),
                None => ctx.emit(i, chapter, sheet, batch),
            },
            None => {
                let origin = Origin::file(ctx.file).with_sheet(sheet).with_row(h.line);
                let id = ref_in(h, "OBJECT").unwrap_or_default();
                batch.issues.push(issue(&origin, format!("SPEC-HIERARCHY désigne un SPEC-OBJECT inconnu « {id} »")));
            }
        }
        if let Some(grand) = h.child("CHILDREN") {
            walk_hierarchy(ctx, grand, inner.as_deref(), sheet, batch);
        }
    }
}

fn read_relations(content: &Element, ctx: &Ctx, batch: &mut ImportBatch) {
    let mut links = 0;
    let mut ignored = 0;
    for rel in content.children_named("SPEC-RELATIONS").flat_map(|r| r.children_named("SPEC-RELATION")) {
        let end = |name: &str| ref_in(rel, name).and_then(|id| ctx.by_id.get(id.as_str()).map(|&i| &ctx.objects[i]));
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
        batch.links.push(LinkRecord {
            origin: Origin::file(ctx.file).with_sheet("SPEC-RELATIONS").with_row(rel.line),
            requirement_ref: req.reference(),
            test_ref: test.reference(),
        });
    }
    if links + ignored > 0 {
        let reason = (ignored > 0).then(|| format!("{ignored} relation(s) entre exigences ou vers des objets inconnus ignorée(s)"));
        batch.sheets.push(summary(ctx.file, "SPEC-RELATIONS", "links", reason, links));
    }
}
