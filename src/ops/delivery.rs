//! Delivery flows: a delivery recorded with what it claims, claims added later, the delivery
//! note imported (planned by a dry run), and the vendor's quality indicators.

use serde::Serialize;

use crate::error::{Error, Result};
use crate::i18n::Lang;
use crate::import::input::{Input, Staged};
use crate::store::{DeliveryPatch, NewDelivery, NotePlan, Store, Tx};
use crate::vendor::VendorReport;

/// What a delivery announces: anomalies it fixes (they go to "to retest"), requirements it
/// delivers, requirements it changes.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Claims {
    pub fixes: Vec<String>,
    pub delivers: Vec<String>,
    pub changes: Vec<String>,
}

impl Claims {
    /// Whether nothing is claimed.
    pub fn is_empty(&self) -> bool {
        self.fixes.is_empty() && self.delivers.is_empty() && self.changes.is_empty()
    }

    /// Records the claims of `delivery`.
    fn record(&self, tx: &mut Tx<'_>, delivery: &str) -> Result<()> {
        for f in &self.fixes {
            tx.claim_fix(delivery, f)?;
        }
        for r in &self.delivers {
            tx.claim_requirement(delivery, r, "delivered")?;
        }
        for r in &self.changes {
            tx.claim_requirement(delivery, r, "changed")?;
        }
        Ok(())
    }
}

/// A delivery to record.
#[derive(Debug, Clone, Default)]
pub struct DeliveryRequest {
    /// Reference (e.g. `LIV-2026-01`).
    pub reference: String,
    pub delivery: NewDelivery,
    /// Known issues delivered with the version.
    pub known_issues: Option<String>,
    /// Days to notify the decision after delivery (default: the project setting).
    pub decision_days: Option<i64>,
    pub claims: Claims,
    /// Documents expected with the delivery.
    pub documents: Vec<String>,
}

/// Records a delivery with its claims and expected documents, in one transaction.
pub fn add_delivery(store: &mut Store, req: &DeliveryRequest) -> Result<()> {
    store.write("delivery add", |tx| {
        tx.add_delivery(&req.reference, &req.delivery)?;
        if req.known_issues.is_some() || req.decision_days.is_some() {
            tx.update_delivery(
                &req.reference,
                &DeliveryPatch {
                    known_issues: req.known_issues.clone(),
                    decision_days: req.decision_days,
                    ..DeliveryPatch::default()
                },
            )?;
        }
        req.claims.record(tx, &req.reference)?;
        for doc in &req.documents {
            tx.set_document(&req.reference, doc, "expected", "")?;
        }
        Ok(())
    })
}

/// Records what `delivery` claims; claiming nothing is an error.
pub fn claim(store: &mut Store, delivery: &str, claims: &Claims) -> Result<()> {
    if claims.is_empty() {
        return Err(Error::input(
            "rien à enregistrer : donnez --fixes, --delivers ou --changes",
            "nothing to record: give --fixes, --delivers or --changes",
        ));
    }
    store.write("delivery claim", |tx| claims.record(tx, delivery))
}

/// A delivery note to import.
#[derive(Debug, Clone)]
pub struct NoteImportRequest {
    /// The note (xlsx, xls, ods, csv): a path or an upload.
    pub input: Input,
    /// The delivery it describes.
    pub delivery: String,
    /// Plan only: write nothing.
    pub dry_run: bool,
    /// Apply the valid rows and list the refused ones (otherwise one error refuses all).
    pub partial: bool,
    pub lang: Lang,
}

/// What a delivery note import did or would do. Serialised as `delivery import --json`
/// prints it (`dry_run`, `plan`).
#[derive(Debug, Clone, Serialize)]
pub struct NoteImportOutcome {
    pub dry_run: bool,
    pub plan: NotePlan,
    /// Whether problems were found without `partial` (a dry run saying the import would be
    /// refused). Not part of the JSON.
    #[serde(skip)]
    pub rejected: bool,
}

/// Imports a delivery note: fixed anomalies (they go to "to retest"), requirements delivered
/// or changed, documents, version and date — whole or not at all.
pub fn import_note(store: &mut Store, req: &NoteImportRequest) -> Result<NoteImportOutcome> {
    let staged = Staged::each(std::slice::from_ref(&req.input))?;
    let Some(path) = staged.files().first() else {
        return Err(Error::input("aucun bordereau", "no delivery note"));
    };
    let note = crate::import::sheet::read_delivery_note(path, req.lang)?;
    // A dry run always computes the whole plan; `rejected` says whether it would pass.
    let partial = req.partial || req.dry_run;
    let work = |tx: &mut Tx<'_>| tx.apply_delivery_note(&req.delivery, &note, partial, req.lang);
    let plan = if req.dry_run {
        store.dry_run(work)?
    } else {
        store.write("delivery import", work)?
    };
    Ok(NoteImportOutcome {
        dry_run: req.dry_run,
        rejected: !plan.issues.is_empty() && !req.partial,
        plan,
    })
}

/// The vendor's quality indicators per delivery, as of today by the store's clock.
pub fn vendor_indicators(store: &Store) -> Result<VendorReport> {
    crate::vendor::vendor_report(store, &super::today(store))
}
