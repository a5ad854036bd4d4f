//! TestLink XML exports (TestLink 1.9.x): test suites and test cases, and requirement
//! specifications.
//!
//! Test cases: `testsuite` elements nest and their names become the category path
//! ("Suite / Sous-suite"); `externalid` (with the project prefix given in
//! [`TestlinkOptions::prefix`], or `fullexternalid` when the export has it) is the reference;
//! `summary` -> objective, `preconditions` -> prerequisites, `importance` 3/2/1 -> priority
//! "haute"/"moyenne"/"basse", `execution_type` 1/2 -> manual/automated, `steps/step` ordered by
//! `step_number`, `keywords` -> tags, `requirements/requirement/doc_id` -> requirement refs.
//! Custom fields: one named like an automation key fills `automation_key`, the others become
//! tags `Nom : valeur`. Rich text (HTML inside CDATA) is converted to plain text.
//!
//! Requirement specifications: `req_spec` elements nest (their titles become the category),
//! `requirement` gives `docid`, `title`, `description`, `status` (D/R/W draft, F/I/V valid,
//! O obsolete; N "not testable" is left unset). The requirement `type` has no recette field and
//! is not read.

use std::collections::HashSet;
use std::path::Path;

use crate::i18n::Lang;
use crate::import::records::{
    ImportBatch, ImportIssue, Origin, RequirementRecord, SheetSummary, TestCaseRecord,
};
use crate::interop::html::html_to_text;
use crate::interop::xml::{self, Element, MAX_BYTES};
use crate::interop::{display_name, read_bounded, tr};
use crate::model::{normalize_word, ReqStatus, Step, TestKind};
use crate::{Error, Result};

/// How TestLink identifiers become references.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TestlinkOptions {
    /// Test project prefix: external id `12` becomes `PREFIX-12`. Without it, the bare number is
    /// used unless the export carries `fullexternalid`.
    pub prefix: Option<String>,
    /// Language of the problems reported (French by default).
    pub lang: Lang,
}

/// Reads a TestLink XML export file.
pub fn read_testlink(path: &Path, options: &TestlinkOptions) -> Result<ImportBatch> {
    let file = display_name(path);
    let bytes = read_bounded(path, MAX_BYTES)?;
    let text = xml::decode(&bytes, &file)?;
    read_testlink_str(&text, &file, options)
}

/// Reads a TestLink XML export given as text; `file` names it in origins.
pub fn read_testlink_str(text: &str, file: &str, options: &TestlinkOptions) -> Result<ImportBatch> {
    let root = xml::parse(text, file)?;
    let mut reader = Reading {
        file,
        options,
        batch: ImportBatch::default(),
        refs: HashSet::new(),
    };
    let (sheet, kind) = match root.name.as_str() {
        "testsuite" => {
            reader.suite(&root, &[]);
            ("testsuite", "test_cases")
        }
        "testcases" => {
            for tc in root.children_named("testcase") {
                reader.test_case(tc, &[]);
            }
            ("testcases", "test_cases")
        }
        "testcase" => {
            reader.test_case(&root, &[]);
            ("testcase", "test_cases")
        }
        "requirement-specification" | "requirements" | "req_spec" => {
            reader.spec(&root, &[]);
            (root.name.as_str(), "requirements")
        }
        other => {
            return Err(Error::input(
                format!("{file} : pas un export TestLink (élément racine <{other}>, <testsuite>, <testcases> ou <requirement-specification> attendu)"),
                format!("{file}: not a TestLink export (root element <{other}>, <testsuite>, <testcases> or <requirement-specification> expected)"),
            ))
        }
    };
    let mut batch = reader.batch;
    let rows = if kind == "test_cases" {
        batch.test_cases.len()
    } else {
        batch.requirements.len()
    };
    batch.sheets.push(SheetSummary {
        file: file.to_string(),
        sheet: sheet.to_string(),
        kind: kind.to_string(),
        reason: None,
        rows: rows as u64,
        ..SheetSummary::default()
    });
    Ok(batch)
}

struct Reading<'a> {
    file: &'a str,
    options: &'a TestlinkOptions,
    batch: ImportBatch,
    refs: HashSet<String>,
}

/// Rich text of a child element, converted; `None` when absent or blank.
fn rich(el: &Element, name: &str) -> Option<String> {
    let text = html_to_text(&el.child(name)?.text());
    (!text.is_empty()).then_some(text)
}

fn path_label(path: &[String]) -> Option<String> {
    (!path.is_empty()).then(|| path.join(" / "))
}

impl Reading<'_> {
    fn origin(&self, el: &Element, path: &[String]) -> Origin {
        let sheet = path_label(path).unwrap_or_else(|| el.name.clone());
        Origin::file(self.file).with_sheet(sheet).with_row(el.line)
    }

    fn issue(&mut self, origin: Origin, message: String) {
        self.batch.issues.push(ImportIssue { origin, message });
    }

    /// Registers a reference; reports it when already seen in this file.
    fn unique(&mut self, reference: &str, origin: &Origin) -> bool {
        if self.refs.insert(reference.to_string()) {
            return true;
        }
        let msg = tr!(
            self.options.lang,
            "référence « {reference} » en double dans le fichier",
            "duplicate reference \"{reference}\" in the file"
        );
        self.issue(origin.clone(), msg);
        false
    }

    fn suite(&mut self, el: &Element, parent: &[String]) {
        let mut path = parent.to_vec();
        if let Some(name) = el.attr("name").map(str::trim).filter(|n| !n.is_empty()) {
            path.push(name.to_string());
        }
        for child in el.elements() {
            match child.name.as_str() {
                "testsuite" => self.suite(child, &path),
                "testcase" => self.test_case(child, &path),
                _ => {}
            }
        }
    }

    fn test_case(&mut self, el: &Element, path: &[String]) {
        let origin = self.origin(el, path);
        let external = el.child_text("externalid");
        let reference = match (
            el.child_text("fullexternalid"),
            external,
            &self.options.prefix,
        ) {
            (Some(full), _, _) => full,
            (None, Some(id), Some(prefix)) => format!("{prefix}-{id}"),
            (None, Some(id), None) => id,
            (None, None, _) => {
                let name = el.attr("name").unwrap_or_default();
                let msg = tr!(self.options.lang,
                    "cas de test « {name} » sans <externalid> : impossible de lui donner une référence",
                    "test case \"{name}\" has no <externalid>: it cannot be given a reference");
                self.issue(origin, msg);
                return;
            }
        };
        if !self.unique(&reference, &origin) {
            return;
        }
        let priority = match el.child_text("importance").as_deref() {
            None => None,
            Some("3") => Some("haute".to_string()),
            Some("2") => Some("moyenne".to_string()),
            Some("1") => Some("basse".to_string()),
            Some(other) => {
                let msg = tr!(
                    self.options.lang,
                    "{reference} : <importance> « {other} » inconnue (1, 2 ou 3 attendu)",
                    "{reference}: unknown <importance> \"{other}\" (1, 2 or 3 expected)"
                );
                self.issue(origin.clone(), msg);
                None
            }
        };
        let kind = match el.child_text("execution_type").as_deref() {
            None => None,
            Some("1") => Some(TestKind::Manual),
            Some("2") => Some(TestKind::Automated),
            Some(other) => {
                let msg = tr!(self.options.lang,
                    "{reference} : <execution_type> « {other} » inconnu (1 manuel ou 2 automatisé attendu)",
                    "{reference}: unknown <execution_type> \"{other}\" (1 for manual or 2 for automated expected)");
                self.issue(origin.clone(), msg);
                None
            }
        };
        let steps = el.child("steps").map(|s| {
            let mut steps: Vec<(u32, Step)> = s
                .children_named("step")
                .enumerate()
                .map(|(i, st)| {
                    let number = st
                        .child_text("step_number")
                        .and_then(|n| n.parse().ok())
                        .unwrap_or(i as u32 + 1);
                    let action = rich(st, "actions").unwrap_or_default();
                    let expected = rich(st, "expectedresults").unwrap_or_default();
                    (number, Step { action, expected })
                })
                .collect();
            steps.sort_by_key(|(n, _)| *n);
            steps.into_iter().map(|(_, s)| s).collect()
        });
        let mut tags: Vec<String> = el
            .children_named("keywords")
            .flat_map(|k| k.children_named("keyword"))
            .filter_map(|k| k.attr("name").map(|n| n.trim().to_string()))
            .filter(|n| !n.is_empty())
            .collect();
        let mut automation_key = None;
        for cf in el
            .children_named("custom_fields")
            .flat_map(|c| c.children_named("custom_field"))
        {
            let (Some(name), Some(value)) = (cf.child_text("name"), cf.child_text("value")) else {
                continue;
            };
            let folded = normalize_word(&name);
            if folded.contains("automation")
                || folded.contains("automatisation")
                || folded == "script"
            {
                automation_key = Some(value);
            } else {
                tags.push(format!("{name} : {value}"));
            }
        }
        let requirement_refs = el
            .children_named("requirements")
            .flat_map(|r| r.children_named("requirement"))
            .filter_map(|r| r.child_text("doc_id"))
            .collect();
        self.batch.test_cases.push(TestCaseRecord {
            origin,
            reference,
            title: el
                .attr("name")
                .map(|n| n.trim().to_string())
                .filter(|n| !n.is_empty()),
            objective: rich(el, "summary"),
            prerequisites: rich(el, "preconditions"),
            steps,
            kind,
            automation_key,
            tags: (!tags.is_empty()).then_some(tags),
            priority,
            category: path_label(path),
            requirement_refs,
            datasets: None,
            last_row: None,
        });
    }

    fn spec(&mut self, el: &Element, parent: &[String]) {
        let mut path = parent.to_vec();
        if el.name == "req_spec" {
            if let Some(t) = el.attr("title").map(str::trim).filter(|t| !t.is_empty()) {
                path.push(t.to_string());
            }
        }
        for child in el.elements() {
            match child.name.as_str() {
                "req_spec" => self.spec(child, &path),
                "requirement" => self.requirement(child, &path),
                _ => {}
            }
        }
    }

    fn requirement(&mut self, el: &Element, path: &[String]) {
        let origin = self.origin(el, path);
        let Some(reference) = el.child_text("docid").or_else(|| el.child_text("doc_id")) else {
            let msg = tr!(
                self.options.lang,
                "exigence sans <docid> : impossible de lui donner une référence",
                "requirement without <docid>: it cannot be given a reference"
            );
            self.issue(origin, msg);
            return;
        };
        if !self.unique(&reference, &origin) {
            return;
        }
        let status = match el.child_text("status") {
            None => None,
            Some(code) => match code.as_str() {
                "D" | "R" | "W" => Some(ReqStatus::Brouillon),
                "F" | "I" | "V" => Some(ReqStatus::Validee),
                "O" => Some(ReqStatus::Obsolete),
                "N" => None,
                other => match ReqStatus::parse(other) {
                    Ok(s) => Some(s),
                    Err(e) => {
                        let lang = self.options.lang;
                        let e = Error::from(e).message(lang);
                        let msg = tr!(
                            lang,
                            "{reference} : {e} (ou code TestLink D, R, W, F, I, V, N, O)",
                            "{reference}: {e} (or a TestLink code D, R, W, F, I, V, N, O)"
                        );
                        self.issue(origin.clone(), msg);
                        None
                    }
                },
            },
        };
        self.batch.requirements.push(RequirementRecord {
            origin,
            reference,
            title: el.child_text("title"),
            description: rich(el, "description"),
            criticality: None,
            category: path_label(path),
            status,
            source: None,
        });
    }
}
