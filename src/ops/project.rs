//! Project-wide flows: settings, requirement and link listings with their filters, a
//! requirement's edit with what it made suspect, and the demo project.

use std::path::Path;

use serde::Serialize;

use crate::entities::Requirement;
use crate::error::{Error, Result};
use crate::i18n::Lang;
use crate::model::{Criticality, Decision};
use crate::store::{Change, Context, RequirementPatch, Store};

pub use crate::settings::Setting;

/// A setting's value (its default when unset).
pub fn setting(store: &Store, s: Setting) -> Result<String> {
    Ok(match s {
        Setting::DecisionDays => store.decision_days()?.to_string(),
        _ => store.project_value(s.key())?.unwrap_or_default(),
    })
}

/// Changes a setting (audited); `decision_days` must be a number of days.
pub fn set_setting(store: &mut Store, s: Setting, value: &str) -> Result<()> {
    let value = value.trim();
    if s == Setting::DecisionDays && value.parse::<u32>().is_err() {
        return Err(Error::input(
            format!("decision_days « {value} » : attendu un nombre de jours"),
            format!("decision_days \"{value}\": expected a number of days"),
        ));
    }
    store.write("config", |tx| {
        tx.set_project_value(s.key(), value)?;
        tx.audit(
            "config",
            "projet",
            s.key(),
            None,
            Some(serde_json::json!({ "value": value })),
        )
    })
}

/// Which requirements to list.
#[derive(Debug, Clone, Default)]
pub struct RequirementFilter {
    pub criticality: Option<Criticality>,
    /// Exact category.
    pub category: Option<String>,
}

/// The requirements that pass the filter, by reference.
pub fn requirements(store: &Store, filter: &RequirementFilter) -> Result<Vec<Requirement>> {
    Ok(store
        .requirements()?
        .into_iter()
        .filter(|r| filter.criticality.is_none_or(|c| r.criticality == c))
        .filter(|r| filter.category.as_ref().is_none_or(|c| &r.category == c))
        .collect())
}

/// What editing a requirement did.
#[derive(Debug, Clone, Serialize)]
pub struct RequirementEdit {
    /// Whether anything changed (a text change makes a new revision).
    pub changed: bool,
    /// The requirement's revision after the edit.
    pub revision: i64,
    /// Links now suspect (made on an older revision): to review.
    pub suspect_links: usize,
}

/// Edits a requirement; a change of its text makes a revision and its links suspect.
pub fn edit_requirement(
    store: &mut Store,
    reference: &str,
    patch: &RequirementPatch,
) -> Result<RequirementEdit> {
    let change = store.write("req edit", |tx| tx.edit_requirement(reference, patch))?;
    let after = store.requirement_detail(reference)?;
    Ok(RequirementEdit {
        changed: !matches!(change, Change::Unchanged),
        revision: after.requirement.revision,
        suspect_links: after.tests.iter().filter(|t| t.suspect).count(),
    })
}

/// A requirement-test link. Serialised as `link list --json` prints it.
#[derive(Debug, Clone, Serialize)]
pub struct LinkRow {
    pub requirement: String,
    pub test: String,
    /// Made on an older revision of the requirement.
    pub suspect: bool,
}

/// Every link (only the suspect ones with `suspect_only`), by requirement then test.
pub fn links(store: &Store, suspect_only: bool) -> Result<Vec<LinkRow>> {
    Ok(store
        .links()?
        .into_iter()
        .filter(|l| !suspect_only || l.2)
        .map(|(requirement, test, suspect)| LinkRow {
            requirement,
            test,
            suspect,
        })
        .collect())
}

/// The demo project, built.
pub struct Demo {
    pub store: Store,
    /// Each campaign with the decision its reports propose.
    pub decisions: Vec<(String, Decision)>,
    pub dashboard: super::status::Dashboard,
}

/// Builds the demo project in `out` (store, evidence, reports in `out/rapports`).
pub fn demo(out: &Path, ctx: Context, lang: Lang) -> Result<Demo> {
    let mut store = crate::demo::build(out, ctx, lang)?;
    let decisions = crate::demo::write_reports(&mut store, out, lang)?;
    let dashboard = super::status::dashboard(&store, None)?;
    Ok(Demo {
        store,
        decisions,
        dashboard,
    })
}
