//! What the team workspace adds to executions and anomalies: evidence attached to an attempt
//! already recorded, and the next free anomaly reference for one created on the spot.

use std::path::Path;

use rusqlite::{params, OptionalExtension};
use serde_json::json;

use super::campaigns::store_evidence;
use super::{id_of, Tx};
use crate::entities::Evidence;
use crate::error::{Error, Result};

impl Tx<'_> {
    /// Attaches a file to attempt `attempt` of `test` (and data set) in `campaign`, stored by
    /// its sha256 beside the store like the evidence of `recette run --evidence`.
    pub fn attach_evidence(
        &mut self,
        campaign: &str,
        test: &str,
        dataset: Option<&str>,
        attempt: i64,
        file: &Path,
    ) -> Result<Evidence> {
        let cid = id_of(self.conn(), "campaign", "campagne", campaign)?;
        let tid = id_of(self.conn(), "test_case", "cas de test", test)?;
        let dataset = dataset.unwrap_or("");
        let eid: Option<i64> = self
            .conn()
            .prepare_cached(
                "SELECT id FROM execution WHERE campaign_id = ?1 AND test_id = ?2 AND dataset = ?3 AND attempt = ?4",
            )?
            .query_row(params![cid, tid, dataset, attempt], |r| r.get(0))
            .optional()?;
        let label = crate::entities::item_label(test, Some(dataset));
        let Some(eid) = eid else {
            return Err(Error::NotFound {
                kind: "exécution",
                reference: format!("{campaign}/{label}#{attempt}"),
            });
        };
        let ev = store_evidence(self.root(), file)?;
        self.conn()
            .prepare_cached(
                "INSERT INTO evidence(execution_id, file_name, sha256, size) VALUES (?1,?2,?3,?4)",
            )?
            .execute(params![eid, ev.file_name, ev.sha256, ev.size])?;
        self.audit(
            "attach",
            "exécution",
            &format!("{campaign}/{label}#{attempt}"),
            None,
            Some(json!({"evidence": ev})),
        )?;
        Ok(ev)
    }

    /// The next free anomaly reference `FA-NNN` (three digits at least), after the highest
    /// `FA-` number in the store.
    pub fn next_anomaly_ref(&self) -> Result<String> {
        let refs: Vec<String> = self
            .conn()
            .prepare_cached("SELECT ref FROM anomaly WHERE ref LIKE 'FA-%'")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let max = refs
            .iter()
            .filter_map(|r| r.strip_prefix("FA-"))
            .filter_map(|n| n.parse::<u64>().ok())
            .max()
            .unwrap_or(0);
        Ok(format!("FA-{:03}", max + 1))
    }
}
