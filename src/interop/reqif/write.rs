//! ReqIF 1.2 writer: requirements with their coverage and result, for the buyer's requirement
//! tool to take back (DOORS, Polarion, Capella, ReqIF Studio...).
//!
//! The output is deterministic so that two exports of the same data are byte-identical and
//! diff cleanly: identifiers are derived from references (not random), items keep the given
//! order, and no clock is read. The schema requires a date on the header and on every element
//! (`CREATION-TIME`, `LAST-CHANGE`); the caller gives it in [`ReqifWriteOptions::creation_time`],
//! otherwise the fixed value [`NEUTRAL_TIME`] is written.
//!
//! Layout: one SPEC-OBJECT-TYPE "Exigence" with the attributes `ReqIF.ForeignID`, `ReqIF.Name`,
//! `ReqIF.Text` (XHTML), `ReqIF.ChapterName`, `ReqIF.Category` and the enumerations criticality,
//! status, coverage and result; one SPECIFICATION whose hierarchy has one heading object per
//! category (the heading carries only `ReqIF.ChapterName`), requirements below it, and the
//! requirements without category at the end.

use std::collections::HashSet;

use quick_xml::escape::escape;

pub use super::xml_out::id_fragment;
use super::xml_out::Out;

use crate::i18n::Lang;
use crate::model::{Criticality, ExecStatus, ReqStatus};
use crate::{Error, Result};

/// Written as every date when no creation time is given (the schema requires one).
pub const NEUTRAL_TIME: &str = "1970-01-01T00:00:00Z";

const NS: &str = "http://www.omg.org/spec/ReqIF/20110401/reqif.xsd";
const XHTML_NS: &str = "http://www.w3.org/1999/xhtml";

/// One requirement to export, with what recette knows of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReqifExportItem {
    /// Reference, e.g. `EXI-IMM-001`; must be unique.
    pub reference: String,
    /// Title (empty: none).
    pub title: String,
    /// Plain text / Markdown description (empty: none); paragraphs, `- ` lists and line breaks
    /// are written as XHTML.
    pub description: String,
    pub criticality: Criticality,
    /// Category (chapter); `None` puts the requirement at the end, outside any chapter.
    pub category: Option<String>,
    pub status: ReqStatus,
    /// `covered` or `uncovered`.
    pub coverage: String,
    /// `passed`, `failed`, `blocked`, `not_run` or `uncovered`.
    pub result_status: String,
    /// Source document (CCTP...), empty when none; written as the `Source` attribute so a
    /// round trip keeps it.
    pub source: String,
}

/// Document-level settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReqifWriteOptions {
    /// Header and specification title.
    pub title: String,
    /// ISO 8601 date-time written as `CREATION-TIME` and every `LAST-CHANGE`.
    pub creation_time: Option<String>,
    /// Language of type names and enumeration labels.
    pub lang: Lang,
}

impl Default for ReqifWriteOptions {
    fn default() -> Self {
        ReqifWriteOptions {
            title: "Exigences".into(),
            creation_time: None,
            lang: Lang::Fr,
        }
    }
}

/// One value of an enumeration written: (code, French label, English label).
type EnumValue = (&'static str, &'static str, &'static str);

/// The enumerations written: (datatype id suffix, French name, English name, values).
fn enumerations() -> Vec<(&'static str, &'static str, &'static str, Vec<EnumValue>)> {
    let crit = Criticality::ALL
        .iter()
        .map(|c| (c.code(), c.label(Lang::Fr), c.label(Lang::En)))
        .collect();
    let status = ReqStatus::ALL
        .iter()
        .map(|s| (s.code(), s.label(Lang::Fr), s.label(Lang::En)))
        .collect();
    let coverage = vec![
        ("covered", "Couverte", "Covered"),
        ("uncovered", "Non couverte", "Uncovered"),
    ];
    let mut result: Vec<_> = [
        ExecStatus::Passed,
        ExecStatus::Failed,
        ExecStatus::Blocked,
        ExecStatus::NotRun,
    ]
    .iter()
    .map(|s| (s.code(), s.label(Lang::Fr), s.label(Lang::En)))
    .collect();
    result.push(("uncovered", "Non couverte", "Uncovered"));
    vec![
        ("CRITICALITY", "Criticité", "Criticality", crit),
        ("STATUS", "Statut", "Status", status),
        ("COVERAGE", "Couverture", "Coverage", coverage),
        ("RESULT", "Résultat", "Result", result),
    ]
}

/// Writes a ReqIF 1.2 document. Errors on a duplicate or empty reference and on an unknown
/// coverage or result code.
pub fn write_reqif(items: &[ReqifExportItem], options: &ReqifWriteOptions) -> Result<String> {
    let en = options.lang == Lang::En;
    let pick = |fr: &'static str, e: &'static str| if en { e } else { fr };
    let enums = enumerations();
    let mut seen = HashSet::new();
    for item in items {
        if item.reference.trim().is_empty() || !seen.insert(item.reference.as_str()) {
            return Err(Error::input(
                format!(
                    "export ReqIF : référence vide ou en double « {} »",
                    item.reference
                ),
                format!(
                    "ReqIF export: empty or duplicate reference \"{}\"",
                    item.reference
                ),
            ));
        }
        for (kind, value) in [
            ("COVERAGE", &item.coverage),
            ("RESULT", &item.result_status),
        ] {
            let known = enums
                .iter()
                .any(|(k, _, _, vals)| *k == kind && vals.iter().any(|(c, _, _)| c == value));
            if !known {
                return Err(Error::input(
                    format!(
                        "export ReqIF : {} : valeur « {value} » inconnue pour {kind}",
                        item.reference
                    ),
                    format!(
                        "ReqIF export: {}: unknown value \"{value}\" for {kind}",
                        item.reference
                    ),
                ));
            }
        }
    }
    let time = options
        .creation_time
        .clone()
        .unwrap_or_else(|| NEUTRAL_TIME.to_string());
    let mut o = Out {
        buf: String::new(),
        depth: 0,
        time: time.clone(),
    };
    o.line("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
    o.open(&format!(
        "<REQ-IF xmlns=\"{NS}\" xmlns:xhtml=\"{XHTML_NS}\">"
    ));
    o.open("<THE-HEADER>");
    o.open(&format!(
        "<REQ-IF-HEADER IDENTIFIER=\"HDR-{}\">",
        id_fragment(&options.title)
    ));
    o.line(&format!(
        "<COMMENT>{}</COMMENT>",
        pick("Exporté par recette", "Exported by recette")
    ));
    o.line(&format!("<CREATION-TIME>{}</CREATION-TIME>", escape(&time)));
    o.line("<REQ-IF-TOOL-ID>recette</REQ-IF-TOOL-ID>");
    o.line("<REQ-IF-VERSION>1.0</REQ-IF-VERSION>");
    o.line(&format!(
        "<SOURCE-TOOL-ID>recette {}</SOURCE-TOOL-ID>",
        env!("CARGO_PKG_VERSION")
    ));
    o.line(&format!("<TITLE>{}</TITLE>", escape(&options.title)));
    o.close("REQ-IF-HEADER");
    o.close("THE-HEADER");
    o.open("<CORE-CONTENT>");
    o.open("<REQ-IF-CONTENT>");

    o.open("<DATATYPES>");
    o.ident(
        "DATATYPE-DEFINITION-STRING",
        "DT-STRING",
        Some(pick("Texte", "Text")),
        " MAX-LENGTH=\"32000\"",
        true,
    );
    o.ident(
        "DATATYPE-DEFINITION-XHTML",
        "DT-XHTML",
        Some(pick("Texte riche", "Rich text")),
        "",
        true,
    );
    for (kind, fr, e, values) in &enums {
        o.ident(
            "DATATYPE-DEFINITION-ENUMERATION",
            &format!("DT-{kind}"),
            Some(pick(fr, e)),
            "",
            false,
        );
        o.open("<SPECIFIED-VALUES>");
        for (key, (code, vfr, ven)) in values.iter().enumerate() {
            o.ident(
                "ENUM-VALUE",
                &format!("EV-{kind}-{}", id_fragment(code)),
                Some(pick(vfr, ven)),
                "",
                false,
            );
            o.line(&format!(
                "<PROPERTIES><EMBEDDED-VALUE KEY=\"{key}\" OTHER-CONTENT=\"{code}\"/></PROPERTIES>"
            ));
            o.close("ENUM-VALUE");
        }
        o.close("SPECIFIED-VALUES");
        o.close("DATATYPE-DEFINITION-ENUMERATION");
    }
    o.close("DATATYPES");

    o.open("<SPEC-TYPES>");
    o.ident(
        "SPEC-OBJECT-TYPE",
        "SOT-REQUIREMENT",
        Some(pick("Exigence", "Requirement")),
        "",
        false,
    );
    o.open("<SPEC-ATTRIBUTES>");
    let strings = [
        ("FOREIGNID", "ReqIF.ForeignID"),
        ("NAME", "ReqIF.Name"),
        ("CHAPTERNAME", "ReqIF.ChapterName"),
        ("CATEGORY", "ReqIF.Category"),
        ("SOURCE", "Source"),
    ];
    for (id, name) in strings {
        o.ident(
            "ATTRIBUTE-DEFINITION-STRING",
            &format!("AD-{id}"),
            Some(name),
            "",
            false,
        );
        o.reference("TYPE", "DATATYPE-DEFINITION-STRING-REF", "DT-STRING");
        o.close("ATTRIBUTE-DEFINITION-STRING");
    }
    o.ident(
        "ATTRIBUTE-DEFINITION-XHTML",
        "AD-TEXT",
        Some("ReqIF.Text"),
        "",
        false,
    );
    o.reference("TYPE", "DATATYPE-DEFINITION-XHTML-REF", "DT-XHTML");
    o.close("ATTRIBUTE-DEFINITION-XHTML");
    for (kind, fr, e, _) in &enums {
        o.ident(
            "ATTRIBUTE-DEFINITION-ENUMERATION",
            &format!("AD-{kind}"),
            Some(pick(fr, e)),
            " MULTI-VALUED=\"false\"",
            false,
        );
        o.reference(
            "TYPE",
            "DATATYPE-DEFINITION-ENUMERATION-REF",
            &format!("DT-{kind}"),
        );
        o.close("ATTRIBUTE-DEFINITION-ENUMERATION");
    }
    o.close("SPEC-ATTRIBUTES");
    o.close("SPEC-OBJECT-TYPE");
    o.ident(
        "SPECIFICATION-TYPE",
        "ST-SPECIFICATION",
        Some(pick("Spécification", "Specification")),
        "",
        true,
    );
    o.close("SPEC-TYPES");

    // Categories in order of first appearance; requirements without one come last.
    let mut categories: Vec<&str> = Vec::new();
    for c in items.iter().filter_map(|i| i.category.as_deref()) {
        if !categories.contains(&c) {
            categories.push(c);
        }
    }
    o.open("<SPEC-OBJECTS>");
    for c in &categories {
        o.ident(
            "SPEC-OBJECT",
            &format!("CHAP-{}", id_fragment(c)),
            None,
            "",
            false,
        );
        o.open("<VALUES>");
        o.string_value("AD-CHAPTERNAME", c);
        o.close("VALUES");
        o.reference("TYPE", "SPEC-OBJECT-TYPE-REF", "SOT-REQUIREMENT");
        o.close("SPEC-OBJECT");
    }
    for item in items {
        o.ident(
            "SPEC-OBJECT",
            &format!("REQ-{}", id_fragment(&item.reference)),
            None,
            "",
            false,
        );
        o.open("<VALUES>");
        o.string_value("AD-FOREIGNID", &item.reference);
        if !item.title.is_empty() {
            o.string_value("AD-NAME", &item.title);
        }
        if !item.description.trim().is_empty() {
            o.xhtml_value("AD-TEXT", &item.description);
        }
        if let Some(c) = &item.category {
            o.string_value("AD-CATEGORY", c);
        }
        // Always written, even empty: an absent Source makes readers fall back to the
        // document title.
        o.string_value("AD-SOURCE", &item.source);
        o.enum_value(
            "AD-CRITICALITY",
            &format!("EV-CRITICALITY-{}", id_fragment(item.criticality.code())),
        );
        o.enum_value(
            "AD-STATUS",
            &format!("EV-STATUS-{}", id_fragment(item.status.code())),
        );
        o.enum_value(
            "AD-COVERAGE",
            &format!("EV-COVERAGE-{}", id_fragment(&item.coverage)),
        );
        o.enum_value(
            "AD-RESULT",
            &format!("EV-RESULT-{}", id_fragment(&item.result_status)),
        );
        o.close("VALUES");
        o.reference("TYPE", "SPEC-OBJECT-TYPE-REF", "SOT-REQUIREMENT");
        o.close("SPEC-OBJECT");
    }
    o.close("SPEC-OBJECTS");

    o.open("<SPECIFICATIONS>");
    o.ident(
        "SPECIFICATION",
        &format!("SPEC-{}", id_fragment(&options.title)),
        Some(&options.title),
        "",
        false,
    );
    o.reference("TYPE", "SPECIFICATION-TYPE-REF", "ST-SPECIFICATION");
    if !items.is_empty() {
        o.open("<CHILDREN>");
        let leaf = |o: &mut Out, object: &str| {
            o.ident("SPEC-HIERARCHY", &format!("H-{object}"), None, "", false);
            o.reference("OBJECT", "SPEC-OBJECT-REF", object);
        };
        for c in &categories {
            leaf(&mut o, &format!("CHAP-{}", id_fragment(c)));
            o.open("<CHILDREN>");
            for item in items.iter().filter(|i| i.category.as_deref() == Some(*c)) {
                leaf(&mut o, &format!("REQ-{}", id_fragment(&item.reference)));
                o.close("SPEC-HIERARCHY");
            }
            o.close("CHILDREN");
            o.close("SPEC-HIERARCHY");
        }
        for item in items.iter().filter(|i| i.category.is_none()) {
            leaf(&mut o, &format!("REQ-{}", id_fragment(&item.reference)));
            o.close("SPEC-HIERARCHY");
        }
        o.close("CHILDREN");
    }
    o.close("SPECIFICATION");
    o.close("SPECIFICATIONS");
    o.close("REQ-IF-CONTENT");
    o.close("CORE-CONTENT");
    o.close("REQ-IF");
    Ok(o.buf)
}
