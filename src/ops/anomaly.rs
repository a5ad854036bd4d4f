//! Anomalies: declare, edit (fields and lifecycle moves), comment, attach files, and read one
//! back with its whole history. The lifecycle rule itself is
//! [`crate::model::AnomalyStatus::next`], applied by the store to every status change (by hand,
//! by a delivery claiming a fix, by a retest, by an import).

use std::path::PathBuf;

use serde::Serialize;

use crate::entities::{AnomalyComment, AnomalyDetail, Evidence, Visibility};
use crate::error::{Error, Result};
use crate::model::{AnomalyStatus, Severity};
use crate::store::{AnomalyPatch, Store};

/// Who reads an anomaly: the vendor role never sees internal comments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reader {
    /// The buyer's side (admin, lead, tester, viewer): every comment.
    Buyer,
    /// The vendor: shared comments only.
    Vendor,
}

/// A new anomaly.
#[derive(Debug, Clone)]
pub struct AddRequest {
    pub reference: String,
    pub title: String,
    pub severity: Severity,
    pub description: Option<String>,
    pub found_in: Option<String>,
    pub assignee: Option<String>,
    /// Requirements it concerns (linked directly).
    pub requirements: Vec<String>,
}

/// Declares an anomaly (one transaction) and returns it as `anomaly show` gives it.
pub fn add(store: &mut Store, req: &AddRequest) -> Result<AnomalyDetail> {
    let patch = AnomalyPatch {
        description: req.description.clone(),
        found_in: req.found_in.clone(),
        assignee: req.assignee.clone(),
        ..AnomalyPatch::default()
    };
    store.write("anomaly add", |tx| {
        tx.add_anomaly(&req.reference, &req.title, req.severity, &patch)?;
        for r in &req.requirements {
            tx.link_anomaly_requirement(&req.reference, r)?;
        }
        tx.anomaly_detail(&req.reference, true)
    })
}

/// Changes to an anomaly: fields, a move of its lifecycle (with its comment), requirements.
#[derive(Debug, Clone, Default)]
pub struct EditRequest {
    pub reference: String,
    pub patch: AnomalyPatch,
    /// Requirements to link.
    pub requirements: Vec<String>,
}

/// What an edit did.
#[derive(Debug, Clone, Serialize)]
pub struct EditOutcome {
    #[serde(rename = "ref")]
    pub reference: String,
    pub changed: bool,
    /// The status before and after (equal when it did not move).
    pub from: AnomalyStatus,
    pub status: AnomalyStatus,
    /// Where it may go next.
    pub next_statuses: Vec<AnomalyStatus>,
}

/// Applies an edit in one transaction: a move the lifecycle does not allow, or a reopening or
/// rejection without a comment, is refused with the allowed next statuses and nothing changes.
pub fn edit(store: &mut Store, req: &EditRequest) -> Result<EditOutcome> {
    if req.patch.is_empty() && req.requirements.is_empty() {
        return Err(Error::input(
            "rien à changer : donnez --status, --severity, --title, --description, --assignee, --found-in, --fixed-in ou --requirement",
            "nothing to change: give --status, --severity, --title, --description, --assignee, --found-in, --fixed-in or --requirement",
        ));
    }
    store.write("anomaly edit", |tx| {
        let before = tx.anomaly(&req.reference)?.ok_or_else(|| Error::NotFound {
            kind: "anomalie",
            reference: req.reference.clone(),
        })?;
        let mut changed = tx.update_anomaly(&req.reference, &req.patch)?;
        for r in &req.requirements {
            changed |= tx.link_anomaly_requirement(&req.reference, r)?;
        }
        let status = tx
            .anomaly(&req.reference)?
            .map(|a| a.status)
            .unwrap_or(before.status);
        Ok(EditOutcome {
            reference: req.reference.clone(),
            changed,
            from: before.status,
            status,
            next_statuses: status.next().to_vec(),
        })
    })
}

/// A comment on an anomaly.
#[derive(Debug, Clone)]
pub struct CommentRequest {
    pub reference: String,
    pub text: String,
    pub visibility: Visibility,
}

/// Adds a comment.
pub fn comment(store: &mut Store, req: &CommentRequest) -> Result<AnomalyComment> {
    store.write("anomaly comment", |tx| {
        tx.comment_anomaly(&req.reference, &req.text, req.visibility)
    })
}

/// A file to attach to an anomaly.
#[derive(Debug, Clone)]
pub struct AttachRequest {
    pub reference: String,
    pub file: PathBuf,
}

/// Attaches a file (stored under its sha256; `recette evidence get` reads it back).
pub fn attach(store: &mut Store, req: &AttachRequest) -> Result<Evidence> {
    if !req.file.is_file() {
        return Err(Error::input(
            format!("{} : fichier introuvable", req.file.display()),
            format!("{}: no such file", req.file.display()),
        ));
    }
    store.write("anomaly attach", |tx| {
        tx.attach_to_anomaly(&req.reference, &req.file)
    })
}

/// One anomaly with its whole history, as this reader may see it.
pub fn show(store: &Store, reference: &str, reader: Reader) -> Result<AnomalyDetail> {
    store.anomaly_detail(reference, reader == Reader::Buyer)
}
