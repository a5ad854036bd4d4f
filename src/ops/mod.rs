//! One library entry point per user flow, shared by the CLI and the web server.
//!
//! Each flow takes a typed request (values already parsed: statuses, formats, dates) and the
//! store, applies every rule of the flow in one transaction (or plans it, for a dry run), and
//! returns a typed, serialisable outcome that the caller renders: a terminal table or JSON in
//! `cli/`, an HTML page or JSON in the web. Inputs are paths or uploads
//! ([`crate::import::input::Input`]); long reads report progress through a callback instead of
//! drawing anything. Nothing here prints.
//!
//! - [`import`]: workbooks, automated results, ReqIF, TestLink, Squash TM (`recette import`).
//! - [`delivery`]: deliveries with their claims, delivery notes, vendor indicators.
//! - [`anomaly`]: anomalies, their lifecycle, comments and attachments.
//! - [`campaign`]: the retest and non-regression campaign of a delivery.
//! - [`verdict`]: the CI gate and the report set (campaign reports or the COPIL dashboard).
//! - [`signoff`]: checking a file against the signed sign-offs.
//! - [`status`]: the dashboard; [`trace`]: traceability and the ReqIF export.
//! - [`project`]: project settings, requirement and link listings, the demo.

pub mod anomaly;
pub mod campaign;
pub mod delivery;
pub mod import;
pub mod project;
pub mod signoff;
pub mod status;
pub mod suggest;
pub mod trace;
pub mod verdict;

/// Progress of a long read: called with the number of rows or results read so far in the
/// current pass (0 when a pass starts again), possibly from another thread.
pub type Progress<'a> = &'a (dyn Fn(u64) + Sync);

/// A progress callback that ignores progress.
pub fn no_progress(_: u64) {}

/// Today's date (`YYYY-MM-DD`) by the store's clock (`RECETTE_NOW` fixes it).
pub fn today(store: &crate::store::Store) -> String {
    let now = store.context().now();
    now.get(..10).unwrap_or(&now).to_string()
}
