//! ReqIF objects: declared types, attribute values (enumerations resolved, XHTML converted),
//! and the walk that turns SPEC-OBJECTs into requirement records with their chapter.
//!
//! Kept apart from `read.rs`, which handles files, archives and the document as a whole.

use std::collections::{HashMap, HashSet};

use super::{ReqifField, ReqifMapping};
use crate::i18n::Lang;
use crate::import::records::{ImportBatch, ImportIssue, Origin, RequirementRecord};
use crate::interop::html::TextBuilder;
use crate::interop::tr;
use crate::interop::xml::{Element, Node};

/// The types a document declares, by identifier.
#[derive(Default)]
pub(super) struct Types {
    /// Enumeration value identifier -> LONG-NAME.
    pub(super) enum_values: HashMap<String, String>,
    /// Attribute definition identifier -> (LONG-NAME, default value).
    pub(super) attributes: HashMap<String, (String, Option<String>)>,
    /// Object type identifier -> (LONG-NAME, attribute definition identifiers).
    pub(super) object_types: HashMap<String, (String, Vec<String>)>,
}

/// One SPEC-OBJECT with its values resolved, before it becomes a record.
pub(super) struct Object<'a> {
    pub(super) el: &'a Element,
    pub(super) identifier: String,
    pub(super) type_name: String,
    /// Field -> (precedence, value).
    pub(super) fields: HashMap<ReqifFieldKey, (u8, String)>,
}

pub(super) type ReqifFieldKey = u8;

pub(super) fn key(f: ReqifField) -> ReqifFieldKey {
    f as u8
}

impl Object<'_> {
    pub(super) fn get(&self, f: ReqifField) -> Option<&str> {
        self.fields
            .get(&key(f))
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.trim().is_empty())
    }
    /// The raw value of a field that is present, even empty.
    pub(super) fn raw(&self, f: ReqifField) -> Option<&str> {
        self.fields.get(&key(f)).map(|(_, v)| v.as_str())
    }
    pub(super) fn reference(&self) -> String {
        self.get(ReqifField::Reference)
            .map_or_else(|| self.identifier.clone(), |r| r.trim().to_string())
    }
}

/// The first element child's text: the identifier inside `<TYPE><...-REF>ID</...-REF></TYPE>`.
pub(super) fn ref_in(el: &Element, child: &str) -> Option<String> {
    el.child(child)?
        .elements()
        .next()
        .map(|r| r.text().trim().to_string())
}

pub(super) fn read_types(content: &Element) -> Types {
    let mut types = Types::default();
    for dt in content
        .children_named("DATATYPES")
        .flat_map(|d| d.elements())
    {
        for v in dt
            .children_named("SPECIFIED-VALUES")
            .flat_map(|s| s.children_named("ENUM-VALUE"))
        {
            let name = v.attr("LONG-NAME").map(str::to_string).or_else(|| {
                v.child("PROPERTIES")?
                    .child("EMBEDDED-VALUE")?
                    .attr("OTHER-CONTENT")
                    .map(str::to_string)
            });
            if let (Some(id), Some(name)) = (v.attr("IDENTIFIER"), name) {
                types.enum_values.insert(id.to_string(), name);
            }
        }
    }
    for st in content
        .children_named("SPEC-TYPES")
        .flat_map(|d| d.elements())
    {
        let mut attrs = Vec::new();
        for ad in st
            .children_named("SPEC-ATTRIBUTES")
            .flat_map(|s| s.elements())
        {
            let Some(id) = ad.attr("IDENTIFIER") else {
                continue;
            };
            let name = ad.attr("LONG-NAME").unwrap_or(id).to_string();
            types.attributes.insert(id.to_string(), (name, None));
            attrs.push(id.to_string());
        }
        // Defaults are resolved once every enumeration value is known.
        for ad in st
            .children_named("SPEC-ATTRIBUTES")
            .flat_map(|s| s.elements())
        {
            let default = ad
                .child("DEFAULT-VALUE")
                .and_then(|d| d.elements().next())
                .and_then(|v| value_of(v, &types));
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
pub(super) fn value_of(v: &Element, types: &Types) -> Option<(String, String)> {
    let def = ref_in(v, "DEFINITION").unwrap_or_default();
    let text = match v.name.as_str() {
        "ATTRIBUTE-VALUE-XHTML" => {
            let the = v
                .child("THE-VALUE")
                .or_else(|| v.child("THE-ORIGINAL-VALUE"))?;
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

pub(super) fn xhtml_children(el: &Element, b: &mut TextBuilder) {
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

pub(super) fn read_object<'a>(
    el: &'a Element,
    types: &Types,
    mapping: &ReqifMapping,
    unmapped: &mut Vec<String>,
) -> Object<'a> {
    let identifier = el.attr("IDENTIFIER").unwrap_or_default().to_string();
    let type_id = ref_in(el, "TYPE").unwrap_or_default();
    let (type_name, type_attrs) = types
        .object_types
        .get(&type_id)
        .cloned()
        .unwrap_or_default();
    let mut values: Vec<(String, String)> = el
        .children_named("VALUES")
        .flat_map(|v| v.elements())
        .filter_map(|v| value_of(v, types))
        .collect();
    for id in type_attrs {
        if !values.iter().any(|(d, _)| *d == id) {
            if let Some((_, Some(default))) = types.attributes.get(&id) {
                values.push((id, default.clone()));
            }
        }
    }
    let mut fields = HashMap::new();
    for (def, text) in values {
        let name = types
            .attributes
            .get(&def)
            .map_or(def.as_str(), |(n, _)| n.as_str());
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
    if let (Some(long), false) = (
        el.attr("LONG-NAME"),
        fields.contains_key(&key(ReqifField::Title)),
    ) {
        fields.insert(key(ReqifField::Title), (u8::MAX, long.to_string()));
    }
    Object {
        el,
        identifier,
        type_name,
        fields,
    }
}

/// State shared while turning objects into records.
pub(super) struct Ctx<'a> {
    pub(super) file: &'a str,
    pub(super) mapping: &'a ReqifMapping,
    /// Language of the problems reported.
    pub(super) lang: Lang,
    pub(super) objects: &'a [Object<'a>],
    pub(super) by_id: &'a HashMap<&'a str, usize>,
    /// Objects already emitted (an object may appear in several hierarchies).
    pub(super) taken: HashSet<usize>,
    pub(super) refs: HashSet<String>,
    pub(super) source: Option<String>,
}

impl Ctx<'_> {
    pub(super) fn is_test(&self, o: &Object) -> bool {
        self.mapping.is_test_type(&o.type_name)
    }

    /// The heading of a chapter object, `None` for a requirement.
    pub(super) fn chapter_of(&self, o: &Object) -> Option<String> {
        let heading = o.get(ReqifField::Chapter);
        let has_text = o.get(ReqifField::Description).is_some();
        if let (Some(h), false) = (heading, has_text) {
            return Some(h.trim().to_string());
        }
        if self.mapping.is_chapter_type(&o.type_name) {
            return heading
                .or(o.get(ReqifField::Title))
                .map(|h| h.trim().to_string());
        }
        None
    }

    pub(super) fn emit(
        &mut self,
        i: usize,
        chapter: Option<&str>,
        sheet: &str,
        batch: &mut ImportBatch,
    ) {
        let o = &self.objects[i];
        if self.is_test(o) || self.chapter_of(o).is_some() || !self.taken.insert(i) {
            return;
        }
        let origin = Origin::file(self.file)
            .with_sheet(sheet)
            .with_row(o.el.line);
        let reference = o.reference();
        if !self.refs.insert(reference.clone()) {
            let msg = tr!(
                self.lang,
                "référence « {reference} » en double dans le document",
                "duplicate reference \"{reference}\" in the document"
            );
            batch.issues.push(issue(&origin, msg));
            return;
        }
        let parse =
            |field: ReqifField| -> Option<String> { o.get(field).map(|v| v.trim().to_string()) };
        let criticality = match parse(ReqifField::Criticality)
            .map(|v| self.mapping.criticality_of(&v))
        {
            Some(Ok(c)) => c,
            Some(Err(e)) => {
                let e = e.message(self.lang);
                let msg = tr!(self.lang,
                    "{reference} : {e} (ou ajoutez la valeur à la section [criticality] de la correspondance ReqIF)",
                    "{reference}: {e} (or add the value to the [criticality] section of the ReqIF mapping)");
                batch.issues.push(issue(&origin, msg));
                None
            }
            None => None,
        };
        let status = match parse(ReqifField::Status).map(|v| self.mapping.status_of(&v)) {
            Some(Ok(s)) => s,
            Some(Err(e)) => {
                let e = e.message(self.lang);
                let msg = tr!(self.lang,
                    "{reference} : {e} (ou ajoutez la valeur à la section [status] de la correspondance ReqIF)",
                    "{reference}: {e} (or add the value to the [status] section of the ReqIF mapping)");
                batch.issues.push(issue(&origin, msg));
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
            // A Source attribute, even empty, wins over the document title.
            source: o
                .raw(ReqifField::Source)
                .map(|v| v.trim().to_string())
                .or_else(|| self.source.clone()),
        });
    }
}

pub(super) fn issue(origin: &Origin, message: String) -> ImportIssue {
    ImportIssue {
        origin: origin.clone(),
        message,
    }
}

pub(super) fn walk_hierarchy(
    ctx: &mut Ctx,
    children: &Element,
    chapter: Option<&str>,
    sheet: &str,
    batch: &mut ImportBatch,
) {
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
                let msg = tr!(
                    ctx.lang,
                    "SPEC-HIERARCHY désigne un SPEC-OBJECT inconnu « {id} »",
                    "SPEC-HIERARCHY points to an unknown SPEC-OBJECT \"{id}\""
                );
                batch.issues.push(issue(&origin, msg));
            }
        }
        if let Some(grand) = h.child("CHILDREN") {
            walk_hierarchy(ctx, grand, inner.as_deref(), sheet, batch);
        }
    }
}
