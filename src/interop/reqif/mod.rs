//! ReqIF (OMG Requirements Interchange Format 1.0 to 1.2): reading `.reqif` / `.reqifz` into
//! requirement records, and writing requirements with their coverage and results back out.
//!
//! Requirement tools (DOORS, Polarion, Capella, Jama, ReqIF Studio) name their attributes as
//! they like; the standard `ReqIF.*` names and a few common ones are understood by default, and
//! a [`ReqifMapping`] (TOML) names the rest.

mod escapes;
mod objects;
pub mod read;
pub mod write;
mod xml_out;

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

use crate::model::{normalize_word, Criticality, ReqStatus};
use crate::{Error, Result};

pub use read::{read_reqif, read_reqif_str, read_reqifz};
pub use write::{write_reqif, ReqifExportItem, ReqifWriteOptions};

/// The requirement field an attribute fills.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReqifField {
    /// The requirement reference (e.g. `EXI-IMM-001`).
    Reference,
    /// The title.
    Title,
    /// A chapter heading: objects with a heading and no text are chapters, and their heading
    /// becomes the category of the requirements below them.
    Chapter,
    /// The description (text of the requirement).
    Description,
    /// The criticality, a word parsed with [`Criticality::parse`] after value mapping.
    Criticality,
    /// The category (lot, chapter); wins over the enclosing chapter heading.
    Category,
    /// The status, a word parsed with [`ReqStatus::parse`] after value mapping.
    Status,
    /// The source document.
    Source,
    /// Read and deliberately ignored (not reported as unmapped).
    Ignore,
}

/// How tool-specific attribute names and enumeration values map to recette fields.
///
/// ```toml
/// test_types = ["Test Case"]
/// [attributes]
/// "Priorité métier" = "criticality"
/// "Lot" = "category"
/// [criticality]
/// "P0 - Vital" = "critique"
/// [status]
/// "En revue" = "brouillon"
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReqifMapping {
    /// Attribute LONG-NAME (any case and accents) -> field. Wins over the default names.
    #[serde(default)]
    pub attributes: BTreeMap<String, ReqifField>,
    /// Tool criticality value -> recette criticality word.
    #[serde(default)]
    pub criticality: BTreeMap<String, String>,
    /// Tool status value -> recette requirement status word.
    #[serde(default)]
    pub status: BTreeMap<String, String>,
    /// SPEC-OBJECT-TYPE names whose objects are test cases (default: names containing "test").
    #[serde(default)]
    pub test_types: Vec<String>,
    /// SPEC-OBJECT-TYPE names whose objects are chapter headings (default: names containing
    /// "heading", "chapter", "chapitre" or "section").
    #[serde(default)]
    pub chapter_types: Vec<String>,
}

impl ReqifMapping {
    /// Parses a mapping from TOML text and checks that every mapped value is a known word.
    pub fn from_toml(text: &str, file: &str) -> Result<ReqifMapping> {
        let mapping: ReqifMapping = toml::from_str(text).map_err(|e| {
            Error::input(
                format!("{file} : correspondance ReqIF illisible : {e}"),
                format!("{file}: unreadable ReqIF mapping: {e}"),
            )
        })?;
        for word in mapping.criticality.values() {
            Criticality::parse(word)?;
        }
        for word in mapping.status.values() {
            ReqStatus::parse(word)?;
        }
        Ok(mapping)
    }

    /// Reads a mapping file.
    pub fn load(path: &Path) -> Result<ReqifMapping> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        Self::from_toml(&text, &path.display().to_string())
    }

    /// The field and precedence (lower wins) of an attribute, by its LONG-NAME.
    pub fn field_for(&self, attribute: &str) -> Option<(ReqifField, u8)> {
        let folded = normalize_word(attribute);
        if let Some((_, f)) = self
            .attributes
            .iter()
            .find(|(k, _)| normalize_word(k) == folded)
        {
            return Some((*f, 0));
        }
        let field = match folded.as_str() {
            "reqif foreignid" => (ReqifField::Reference, 1),
            "reqif name" => (ReqifField::Title, 1),
            "reqif chaptername" => (ReqifField::Chapter, 1),
            "object heading" => (ReqifField::Chapter, 2),
            "reqif text" => (ReqifField::Description, 1),
            "object text" => (ReqifField::Description, 2),
            "reqif description" => (ReqifField::Description, 3),
            "reqif category" => (ReqifField::Category, 1),
            // StrictDoc's own field names.
            "uid" => (ReqifField::Reference, 2),
            "title" => (ReqifField::Title, 2),
            "statement" => (ReqifField::Description, 4),
            "criticality" | "criticite" => (ReqifField::Criticality, 1),
            "priority" | "priorite" => (ReqifField::Criticality, 2),
            "status" | "statut" => (ReqifField::Status, 1),
            "source" | "reqif source" | "document source" => (ReqifField::Source, 1),
            // Written back by recette's own export; not requirement fields.
            "reqif prefix"
            | "reqif chapternumber"
            | "coverage"
            | "couverture"
            | "result"
            | "resultat" => (ReqifField::Ignore, 9),
            _ => return None,
        };
        Some(field)
    }

    /// Maps a tool value through `table`, or returns it unchanged.
    fn translate<'a>(table: &'a BTreeMap<String, String>, value: &'a str) -> &'a str {
        let folded = normalize_word(value);
        table
            .iter()
            .find(|(k, _)| normalize_word(k) == folded)
            .map_or(value, |(_, v)| v.as_str())
    }

    /// The criticality for a tool value; `Ok(None)` for an empty or "undefined" value.
    pub fn criticality_of(&self, value: &str) -> Result<Option<Criticality>> {
        if is_undefined(value) {
            return Ok(None);
        }
        Ok(Some(Criticality::parse(Self::translate(
            &self.criticality,
            value,
        ))?))
    }

    /// The requirement status for a tool value; `Ok(None)` for an empty or "undefined" value.
    pub fn status_of(&self, value: &str) -> Result<Option<ReqStatus>> {
        if is_undefined(value) {
            return Ok(None);
        }
        Ok(Some(ReqStatus::parse(Self::translate(
            &self.status,
            value,
        ))?))
    }

    /// Whether objects of this SPEC-OBJECT-TYPE are test cases.
    pub fn is_test_type(&self, type_name: &str) -> bool {
        matches_type(&self.test_types, type_name, &["test"])
    }

    /// Whether objects of this SPEC-OBJECT-TYPE are chapter headings.
    pub fn is_chapter_type(&self, type_name: &str) -> bool {
        matches_type(
            &self.chapter_types,
            type_name,
            &["heading", "chapter", "chapitre", "section"],
        )
    }
}

fn matches_type(listed: &[String], type_name: &str, defaults: &[&str]) -> bool {
    let folded = normalize_word(type_name);
    if !listed.is_empty() {
        return listed.iter().any(|t| normalize_word(t) == folded);
    }
    folded.split(' ').any(|w| defaults.contains(&w))
}

/// Values tools write for "no value".
fn is_undefined(value: &str) -> bool {
    matches!(
        normalize_word(value).as_str(),
        "" | "undefined" | "non defini" | "non definie" | "none" | "aucune" | "tbd" | "n a"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mapping_from_toml() {
        let m = ReqifMapping::from_toml(
            "test_types = [\"Cas de test\"]\n[attributes]\n\"Priorité métier\" = \"criticality\"\n[criticality]\n\"P0 - Vital\" = \"critique\"\n",
            "m.toml",
        )
        .unwrap();
        assert_eq!(
            m.field_for("PRIORITE METIER"),
            Some((ReqifField::Criticality, 0))
        );
        assert_eq!(
            m.criticality_of("p0 - vital").unwrap(),
            Some(Criticality::Critique)
        );
        assert_eq!(m.criticality_of("Undefined").unwrap(), None);
        assert!(m.is_test_type("cas de test"));
        assert!(!m.is_test_type("Test Case"));
        assert!(ReqifMapping::from_toml("[criticality]\nx = \"énorme\"", "m.toml").is_err());
        assert!(ReqifMapping::from_toml("bogus = 1", "m.toml").is_err());
    }

    #[test]
    fn default_names() {
        let m = ReqifMapping::default();
        assert_eq!(
            m.field_for("ReqIF.ForeignID"),
            Some((ReqifField::Reference, 1))
        );
        assert_eq!(
            m.field_for("Object Text"),
            Some((ReqifField::Description, 2))
        );
        assert!(m.is_test_type("Test Case"));
        assert!(m.is_chapter_type("Heading"));
        assert!(!m.is_chapter_type("Requirement"));
    }
}
