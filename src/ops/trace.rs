//! Traceability (`recette trace`, the web's coverage pages) and the ReqIF export that gives
//! requirement tools back each requirement's coverage and latest status.

use std::collections::HashMap;
use std::path::Path;

use serde::Serialize;

use crate::error::{Error, Result};
use crate::i18n::Lang;
use crate::interop::reqif::write_reqif;
use crate::interop::{ReqifExportItem, ReqifWriteOptions};
use crate::store::Store;
use crate::trace::{compute, Coverage, Scope, Trace};

impl Scope {
    /// The scope a campaign or a delivery names (a campaign wins), or the latest results.
    pub fn of(campaign: Option<String>, delivery: Option<String>) -> Scope {
        match (campaign, delivery) {
            (Some(c), _) => Scope::Campaign(c),
            (None, Some(d)) => Scope::Delivery(d),
            (None, None) => Scope::Latest,
        }
    }
}

/// Coverage and status of every requirement over `scope`.
pub fn trace(store: &Store, scope: &Scope) -> Result<Trace> {
    Ok(compute(&store.trace_data(scope)?))
}

/// A ReqIF export.
#[derive(Debug, Clone)]
pub struct ReqifExportRequest {
    /// Whose statuses the export gives.
    pub scope: Scope,
    /// Specification title; `None`: the project name (or « Exigences »).
    pub title: Option<String>,
    pub lang: Lang,
}

/// A ReqIF 1.2 document.
#[derive(Debug, Clone, Serialize)]
pub struct ReqifDocument {
    /// The XML text.
    #[serde(skip)]
    pub text: String,
    /// Requirements written.
    pub requirements: usize,
}

/// Every requirement as ReqIF 1.2, with its coverage and status over the scope as attributes.
pub fn reqif_document(store: &Store, req: &ReqifExportRequest) -> Result<ReqifDocument> {
    let trace = trace(store, &req.scope)?;
    let by_ref: HashMap<&str, _> = trace
        .requirements
        .iter()
        .map(|t| (t.reference.as_str(), t))
        .collect();
    let items: Vec<ReqifExportItem> = store
        .requirements()?
        .into_iter()
        .map(|r| {
            let t = by_ref.get(r.reference.as_str());
            ReqifExportItem {
                coverage: match t.map(|t| t.coverage) {
                    Some(Coverage::Covered) => "covered",
                    _ => "uncovered",
                }
                .to_string(),
                result_status: t
                    .map(|t| t.status.code())
                    .unwrap_or("uncovered")
                    .to_string(),
                reference: r.reference,
                title: r.title,
                description: r.description,
                criticality: r.criticality,
                category: (!r.category.is_empty()).then_some(r.category),
                status: r.status,
                source: r.source,
            }
        })
        .collect();
    let title = match &req.title {
        Some(t) => t.clone(),
        None => store
            .project_value("name")?
            .unwrap_or_else(|| "Exigences".into()),
    };
    let text = write_reqif(
        &items,
        &ReqifWriteOptions {
            title,
            creation_time: None,
            lang: req.lang,
        },
    )?;
    Ok(ReqifDocument {
        text,
        requirements: items.len(),
    })
}

/// [`reqif_document`] written to `out`.
pub fn export_reqif(store: &Store, req: &ReqifExportRequest, out: &Path) -> Result<ReqifDocument> {
    let doc = reqif_document(store, req)?;
    std::fs::write(out, &doc.text).map_err(|e| Error::io(out, e))?;
    Ok(doc)
}
