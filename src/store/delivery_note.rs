//! Applying a delivery note (bordereau de livraison) to a delivery: its claimed fixes (the
//! anomalies move to "à retester" with this fixing delivery), the requirements it delivers or
//! changes, its documents, its version and date. Runs inside the caller's transaction so a dry
//! run gives the exact plan and a refused note writes nothing.

use rusqlite::{params, OptionalExtension};
use serde::Serialize;

use super::Tx;
use crate::error::{Error, Result};
use crate::import::records::{DeliveryNoteRecord, ImportIssue, NoteLine, Origin};

/// What applying a note did (or would do).
#[derive(Debug, Clone, Default, Serialize)]
pub struct NotePlan {
    pub delivery: String,
    pub items: Vec<NoteItem>,
    /// Problems: unknown references, unreadable words (rows skipped with `partial`).
    pub issues: Vec<ImportIssue>,
    pub totals: super::Counts,
}

/// One line of the plan.
#[derive(Debug, Clone, Serialize)]
pub struct NoteItem {
    /// `fix`, `requirement`, `document`, `version` or `delivered_date`.
    pub kind: &'static str,
    #[serde(rename = "ref")]
    pub reference: String,
    /// Requirement change, document state, or the new value.
    pub detail: String,
    /// `created`, `updated`, `unchanged` or `skipped`.
    pub change: &'static str,
    pub origin: Origin,
}

impl NotePlan {
    fn push(&mut self, kind: &'static str, line: &NoteLine, change: &'static str) {
        let t = &mut self.totals;
        match change {
            "created" => t.created += 1,
            "updated" => t.updated += 1,
            "unchanged" => t.unchanged += 1,
            _ => t.skipped += 1,
        }
        self.items.push(NoteItem {
            kind,
            reference: line.reference.clone(),
            detail: line.detail.clone(),
            change,
            origin: line.origin.clone(),
        });
    }
}

impl Tx<'_> {
    /// Applies a delivery note to `delivery`. Without `partial`, any problem (read by the
    /// reader or found here: unknown anomaly or requirement) returns `Error::Import` and the
    /// caller's transaction is rolled back.
    pub fn apply_delivery_note(
        &mut self,
        delivery: &str,
        note: &DeliveryNoteRecord,
        partial: bool,
        lang: crate::i18n::Lang,
    ) -> Result<NotePlan> {
        let en = lang == crate::i18n::Lang::En;
        if !self.delivery_exists(delivery)? {
            return Err(Error::NotFound {
                kind: "livraison",
                reference: delivery.to_string(),
            });
        }
        let mut plan = NotePlan {
            delivery: delivery.to_string(),
            issues: note.issues.clone(),
            ..NotePlan::default()
        };
        let current: Option<(String, Option<String>)> = self
            .conn()
            .query_row(
                "SELECT version, delivered_date FROM delivery WHERE ref = ?1",
                [delivery],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let mut patch = super::DeliveryPatch::default();
        if let Some((v, origin)) = &note.version {
            let line = NoteLine {
                origin: origin.clone(),
                reference: delivery.to_string(),
                detail: v.clone(),
                comment: String::new(),
            };
            let same = current.as_ref().is_some_and(|c| &c.0 == v);
            plan.push("version", &line, if same { "unchanged" } else { "updated" });
            if !same {
                patch.version = Some(v.clone());
            }
        }
        if let Some((d, origin)) = &note.delivered_date {
            let line = NoteLine {
                origin: origin.clone(),
                reference: delivery.to_string(),
                detail: d.clone(),
                comment: String::new(),
            };
            let same = current
                .as_ref()
                .is_some_and(|c| c.1.as_deref() == Some(d.as_str()));
            plan.push(
                "delivered_date",
                &line,
                if same { "unchanged" } else { "updated" },
            );
            if !same {
                patch.delivered_date = Some(d.clone());
            }
        }
        if patch.version.is_some() || patch.delivered_date.is_some() {
            self.update_delivery(delivery, &patch)?;
        }
        for f in &note.fixes {
            if !self.exists("anomaly", &f.reference)? {
                plan.issues.push(ImportIssue {
                    origin: f.origin.clone(),
                    message: if en {
                        format!("unknown anomaly {}", f.reference)
                    } else {
                        format!("anomalie inconnue {}", f.reference)
                    },
                });
                plan.push("fix", f, "skipped");
                continue;
            }
            let before = self.anomaly(&f.reference)?;
            let claimed = self.claim_fix(delivery, &f.reference)?;
            let change = match (claimed, before) {
                (false, _) => "unchanged",
                (true, Some(a)) if a.fixed_in.as_deref() == Some(delivery) => "updated",
                (true, _) => "created",
            };
            plan.push("fix", f, change);
        }
        for r in &note.requirements {
            if !self.exists("requirement", &r.reference)? {
                plan.issues.push(ImportIssue {
                    origin: r.origin.clone(),
                    message: if en {
                        format!("unknown requirement {}", r.reference)
                    } else {
                        format!("exigence inconnue {}", r.reference)
                    },
                });
                plan.push("requirement", r, "skipped");
                continue;
            }
            let changed = self.claim_requirement(delivery, &r.reference, &r.detail)?;
            plan.push(
                "requirement",
                r,
                if changed { "created" } else { "unchanged" },
            );
        }
        for d in &note.documents {
            let existed: bool = self.conn().query_row(
                "SELECT EXISTS(SELECT 1 FROM delivery_document x JOIN delivery d
                         ON d.id = x.delivery_id WHERE d.ref = ?1 AND x.name = ?2)",
                params![delivery, d.reference],
                |r| r.get(0),
            )?;
            let changed = self.set_document(delivery, &d.reference, &d.detail, &d.comment)?;
            let change = match (changed, existed) {
                (false, _) => "unchanged",
                (true, true) => "updated",
                (true, false) => "created",
            };
            plan.push("document", d, change);
        }
        if !plan.issues.is_empty() && !partial {
            return Err(Error::Import {
                issues: plan.issues,
            });
        }
        Ok(plan)
    }
}
