//! Bulk reads for traceability, verdicts and reports: a handful of queries whatever the size of
//! the project (no query per requirement or per test).

use std::collections::{BTreeMap, HashMap};

use rusqlite::params;

use super::{decode, id_of, Store};
use crate::entities::{Anomaly, CampaignTest};
use crate::error::Result;
use crate::model::{AnomalyStatus, Criticality, ExecStatus, ReqStatus, Severity};
use crate::trace::{
    CampaignResults, Scope, TestResult, TraceData, TraceLink, TraceRequirement, TraceTest,
};

impl Store {
    /// Loads what [`crate::trace::compute`] needs for a scope.
    pub fn trace_data(&self, scope: &Scope) -> Result<TraceData> {
        let conn = self.conn();
        let campaign_ids: Vec<(i64, String)> = match scope {
            Scope::Campaign(c) => {
                vec![(id_of(conn, "campaign", "campagne", c)?, c.clone())]
            }
            Scope::Delivery(d) => {
                let did = id_of(conn, "delivery", "livraison", d)?;
                conn.prepare("SELECT id, ref FROM campaign WHERE delivery_id = ?1 ORDER BY ref")?
                    .query_map([did], |r| Ok((r.get(0)?, r.get(1)?)))?
                    .collect::<rusqlite::Result<_>>()?
            }
            Scope::Latest => conn
                .prepare("SELECT id, ref FROM campaign ORDER BY ref")?
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?,
        };

        let mut req_index: HashMap<i64, usize> = HashMap::new();
        let mut requirements = Vec::new();
        {
            let mut stmt = conn.prepare(
                "SELECT id, ref, title, criticality, category, status, revision
                 FROM requirement ORDER BY ref",
            )?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                req_index.insert(r.get(0)?, requirements.len());
                requirements.push(TraceRequirement {
                    reference: r.get(1)?,
                    title: r.get(2)?,
                    criticality: decode(&r.get::<_, String>(3)?, Criticality::from_code)?,
                    category: r.get(4)?,
                    status: decode(&r.get::<_, String>(5)?, ReqStatus::from_code)?,
                    revision: r.get(6)?,
                });
            }
        }
        let mut test_index: HashMap<i64, usize> = HashMap::new();
        let mut tests = Vec::new();
        {
            let mut stmt = conn.prepare("SELECT id, ref, title, active, version FROM test_case")?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                test_index.insert(r.get(0)?, tests.len());
                tests.push(TraceTest {
                    reference: r.get(1)?,
                    title: r.get(2)?,
                    active: r.get(3)?,
                    version: r.get(4)?,
                });
            }
        }
        let mut links = Vec::new();
        {
            let mut stmt =
                conn.prepare("SELECT requirement_id, test_id, requirement_revision FROM link")?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                let (Some(&requirement), Some(&test)) = (
                    req_index.get(&r.get::<_, i64>(0)?),
                    test_index.get(&r.get::<_, i64>(1)?),
                ) else {
                    continue;
                };
                links.push(TraceLink {
                    requirement,
                    test,
                    revision: r.get(2)?,
                });
            }
        }
        let mut campaigns = Vec::new();
        for (cid, reference) in campaign_ids {
            // Per test: the latest result of each planned data set (`None`: planned, not
            // run), aggregated by the data-set rule.
            struct Item {
                status: Option<ExecStatus>,
                executed_at: Option<String>,
                seq: i64,
                version: Option<i64>,
            }
            let mut items: BTreeMap<(usize, String), Item> = BTreeMap::new();
            let mut stmt = conn.prepare_cached(
                "SELECT test_id, dataset FROM campaign_test WHERE campaign_id = ?1 ORDER BY position",
            )?;
            let mut rows = stmt.query([cid])?;
            while let Some(r) = rows.next()? {
                if let Some(&t) = test_index.get(&r.get::<_, i64>(0)?) {
                    items.insert(
                        (t, r.get(1)?),
                        Item {
                            status: None,
                            executed_at: None,
                            seq: 0,
                            version: None,
                        },
                    );
                }
            }
            drop(rows);
            // One row per item: SQLite takes the bare columns from the row of MAX(attempt).
            let mut stmt = conn.prepare_cached(
                "SELECT test_id, dataset, status, executed_at, id, test_version, MAX(attempt)
                 FROM execution WHERE campaign_id = ?1 GROUP BY test_id, dataset",
            )?;
            let mut rows = stmt.query([cid])?;
            while let Some(r) = rows.next()? {
                if let Some(&t) = test_index.get(&r.get::<_, i64>(0)?) {
                    items.insert(
                        (t, r.get(1)?),
                        Item {
                            status: Some(decode(&r.get::<_, String>(2)?, ExecStatus::from_code)?),
                            executed_at: r.get(3)?,
                            seq: r.get(4)?,
                            version: r.get(5)?,
                        },
                    );
                }
            }
            let mut results: BTreeMap<usize, (Vec<Option<ExecStatus>>, TestResult)> =
                BTreeMap::new();
            for ((t, _), item) in items {
                let e = results.entry(t).or_insert_with(|| {
                    (
                        Vec::new(),
                        TestResult {
                            test: t,
                            status: None,
                            executed_at: None,
                            seq: 0,
                            version: None,
                        },
                    )
                });
                e.0.push(item.status);
                let r = &mut e.1;
                if item.executed_at > r.executed_at {
                    r.executed_at = item.executed_at;
                }
                r.seq = r.seq.max(item.seq);
                // The oldest version run: one data set run before a change is enough to say
                // the test changed since it was run.
                r.version = match (r.version, item.version) {
                    (Some(a), Some(b)) => Some(a.min(b)),
                    (a, b) => a.or(b),
                };
            }
            campaigns.push(CampaignResults {
                reference,
                results: results
                    .into_values()
                    .map(|(statuses, mut r)| {
                        if statuses.iter().any(Option::is_some) {
                            r.status = Some(crate::execution::aggregate_datasets(
                                statuses
                                    .into_iter()
                                    .map(|s| s.unwrap_or(ExecStatus::NotRun)),
                            ));
                        }
                        r
                    })
                    .collect(),
            });
        }
        Ok(TraceData {
            requirements,
            tests,
            links,
            campaigns,
        })
    }

    /// The planned items of a campaign with their latest execution and every anomaly recorded
    /// on any of their executions in the campaign, in selection order (what reports count):
    /// four queries, joined in memory.
    pub fn campaign_results(&self, campaign: &str) -> Result<Vec<CampaignTest>> {
        let conn = self.conn();
        let cid = id_of(conn, "campaign", "campagne", campaign)?;
        super::campaigns::load_items(conn, cid, super::campaigns::Anomalies::All, None)
    }

    /// The anomalies of a campaign: those recorded on its executions and those found in its
    /// delivery, by reference, each with the tests of this campaign whose executions reference
    /// it. Two queries, whatever the number of anomalies.
    pub fn campaign_anomalies(&self, campaign: &str) -> Result<Vec<Anomaly>> {
        let conn = self.conn();
        let cid = id_of(conn, "campaign", "campagne", campaign)?;
        let delivery: Option<i64> = conn.query_row(
            "SELECT delivery_id FROM campaign WHERE id = ?1",
            [cid],
            |r| r.get(0),
        )?;
        let mut tests: HashMap<i64, std::collections::BTreeSet<String>> = HashMap::new();
        {
            let mut stmt = conn.prepare(
                "SELECT DISTINCT ea.anomaly_id, t.ref FROM execution e
                 JOIN execution_anomaly ea ON ea.execution_id = e.id
                 JOIN test_case t ON t.id = e.test_id WHERE e.campaign_id = ?1",
            )?;
            let mut rows = stmt.query([cid])?;
            while let Some(r) = rows.next()? {
                tests.entry(r.get(0)?).or_default().insert(r.get(1)?);
            }
        }
        let mut stmt = conn.prepare(
            "SELECT a.id, a.ref, a.title, a.description, a.severity, a.status, df.ref, dx.ref,
                    a.reopen_count, a.created_at, a.closed_at, a.found_in_delivery_id, a.assignee
             FROM anomaly a LEFT JOIN delivery df ON df.id = a.found_in_delivery_id
             LEFT JOIN delivery dx ON dx.id = a.fixed_in_delivery_id ORDER BY a.ref",
        )?;
        let mut rows = stmt.query([])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let id: i64 = r.get(0)?;
            let found: Option<i64> = r.get(11)?;
            let linked = tests.remove(&id);
            if linked.is_none() && (delivery.is_none() || found != delivery) {
                continue;
            }
            out.push(Anomaly {
                reference: r.get(1)?,
                title: r.get(2)?,
                description: r.get(3)?,
                severity: decode(&r.get::<_, String>(4)?, Severity::from_code)?,
                status: decode(&r.get::<_, String>(5)?, AnomalyStatus::from_code)?,
                found_in: r.get(6)?,
                fixed_in: r.get(7)?,
                reopen_count: r.get(8)?,
                created_at: r.get(9)?,
                closed_at: r.get(10)?,
                assignee: r.get(12)?,
                tests: linked.map(|s| s.into_iter().collect()).unwrap_or_default(),
            });
        }
        Ok(out)
    }

    /// Executions of a campaign per day (`YYYY-MM-DD`) and status code, every attempt counted.
    pub fn campaign_timeline(
        &self,
        campaign: &str,
    ) -> Result<BTreeMap<String, BTreeMap<String, usize>>> {
        let conn = self.conn();
        let cid = id_of(conn, "campaign", "campagne", campaign)?;
        let mut stmt = conn.prepare(
            "SELECT substr(executed_at, 1, 10), status, COUNT(*) FROM execution
             WHERE campaign_id = ?1 GROUP BY 1, 2 ORDER BY 1, 2",
        )?;
        let mut out: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
        let mut rows = stmt.query(params![cid])?;
        while let Some(r) = rows.next()? {
            let n: i64 = r.get(2)?;
            out.entry(r.get(0)?)
                .or_default()
                .insert(r.get(1)?, usize::try_from(n).unwrap_or(0));
        }
        Ok(out)
    }
}
