//! The quality gate of continuous integration and the report set (a campaign's reports, or
//! the COPIL dashboard over every delivery and campaign).

use std::path::PathBuf;

use serde::Serialize;

use crate::error::Result;
use crate::i18n::Lang;
use crate::model::Decision;
use crate::report::{self, Format, Options};
use crate::store::Store;
use crate::verdict::{Evaluation, Verdict};

/// Whether a campaign passes the gate, and the verdict that says why.
#[derive(Debug, Clone, Serialize)]
pub struct GateOutcome {
    pub campaign: String,
    /// Admission (or admission with reservations when allowed).
    pub pass: bool,
    pub verdict: Verdict,
}

/// Evaluates a campaign's exit criteria: the gate passes on admission, and on admission with
/// reservations when `allow_reserves`.
pub fn gate(store: &Store, campaign: &str, allow_reserves: bool) -> Result<GateOutcome> {
    let e = Evaluation::load(store, campaign)?;
    let v = e.verdict;
    let pass =
        v.decision == Decision::Admission || (allow_reserves && v.decision == Decision::Reserves);
    Ok(GateOutcome {
        campaign: campaign.to_string(),
        pass,
        verdict: v,
    })
}

/// Reports to write.
#[derive(Debug, Clone)]
pub struct ReportRequest {
    /// A campaign, or `copil` for the steering committee's dashboard (unless a campaign has
    /// that reference).
    pub campaign: String,
    /// Folder to write into (created if needed).
    pub out: PathBuf,
    /// Formats of a campaign's reports (empty: all); the COPIL is always HTML and xlsx.
    pub formats: Vec<Format>,
    /// Folder whose files replace the embedded templates of the same name.
    pub templates: Option<PathBuf>,
    pub lang: Lang,
}

/// The files written.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ReportOutcome {
    /// The COPIL dashboard: `copil.html` and `copil.xlsx`.
    Copil {
        files: Vec<PathBuf>,
        /// Risks flagged.
        risks: usize,
        /// Signed decisions listed.
        decisions: usize,
    },
    /// A campaign's reports, in format order.
    Campaign {
        campaign: String,
        files: Vec<PathBuf>,
        /// The proposed decision the reports give.
        decision: Decision,
    },
}

/// Writes a campaign's reports (with its latest sign-off in the PV), or the COPIL dashboard.
/// Dates come from the store's clock (`RECETTE_NOW` fixes them).
pub fn write_reports(store: &Store, req: &ReportRequest) -> Result<ReportOutcome> {
    if req.campaign.eq_ignore_ascii_case("copil") && store.campaign(&req.campaign).is_err() {
        let copil = crate::report::copil::build(store, req.lang, &super::today(store))?;
        let files = crate::report::copil::write(&copil, req.templates.as_deref(), &req.out)?;
        return Ok(ReportOutcome::Copil {
            files,
            risks: copil.risks.len(),
            decisions: copil.decisions.len(),
        });
    }
    let e = Evaluation::load(store, &req.campaign)?;
    let signed = report::latest_signoff(store, &req.campaign)?;
    let opts = Options {
        lang: req.lang,
        formats: req.formats.clone(),
        templates: req.templates.clone(),
        issued_on: Some(store.context().now()),
    };
    let files = report::write_reports(&e, &opts, &req.out, signed.as_ref())?;
    Ok(ReportOutcome::Campaign {
        campaign: e.campaign.reference.clone(),
        files,
        decision: e.verdict.decision,
    })
}
