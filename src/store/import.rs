//! Applying an [`ImportBatch`] to the store: upsert by reference, links, results as executions,
//! anomalies created or linked, a change plan per sheet. Runs inside the caller's transaction,
//! so `Store::dry_run` gives the exact plan and a failed import writes nothing.

use std::collections::BTreeMap;

use rusqlite::{params, OptionalExtension};
use serde::Serialize;
use serde_json::json;

use super::campaigns::{NewCampaign, RunInput};
use super::requirements::{Change, RequirementPatch};
use super::testcases::TestCasePatch;
use super::{AnomalyPatch, Tx};
use crate::error::{Error, Result};
use crate::import::records::{ImportBatch, ImportIssue, Origin, ResultRecord};
use crate::model::{ExecStatus, Phase, Severity};

/// The latest execution of a test: (attempt, status, tester, executed_at, comment).
type LatestExecution = (i64, ExecStatus, String, String, String);

/// How to apply a batch.
#[derive(Debug, Clone, Default)]
pub struct ApplyOptions {
    /// Campaign that receives results (`--campaign`).
    pub campaign: Option<String>,
    /// Delivery under test (`--delivery`): results go to a campaign created for it when no
    /// campaign is given.
    pub delivery: Option<String>,
    /// Skip bad rows instead of refusing the whole import (`--partial`).
    pub partial: bool,
}

/// What an import did (or would do), per sheet and in total.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ImportReport {
    /// Per file and sheet: kind and counts.
    pub sheets: Vec<SheetPlan>,
    /// Problems found (rows skipped with `--partial`; otherwise the import was refused).
    pub issues: Vec<ImportIssue>,
    /// Offline results not applied because the store has a newer result for that test.
    pub conflicts: Vec<ImportIssue>,
    /// Campaign that received results, if any.
    pub campaign: Option<String>,
    /// Totals over every sheet.
    pub totals: Counts,
}

/// Counts of one sheet.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub skipped: u64,
}

/// The plan of one sheet.
#[derive(Debug, Clone, Serialize)]
pub struct SheetPlan {
    pub file: String,
    pub sheet: String,
    pub kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    pub rows: u64,
    #[serde(flatten)]
    pub counts: Counts,
}

impl ImportReport {
    fn count(&mut self, origin: &Origin, kind: &str, change: Option<Change>) {
        let sheet = origin.sheet.clone().unwrap_or_default();
        let idx = match self
            .sheets
            .iter()
            .position(|s| s.file == origin.file && s.sheet == sheet && s.kind == kind)
        {
            Some(i) => i,
            None => {
                self.sheets.push(SheetPlan {
                    file: origin.file.clone(),
                    sheet,
                    kind: kind.to_string(),
                    reason: None,
                    rows: 0,
                    counts: Counts::default(),
                });
                self.sheets.len() - 1
            }
        };
        let c = &mut self.sheets[idx].counts;
        let t = &mut self.totals;
        match change {
            Some(Change::Created) => {
                c.created += 1;
                t.created += 1;
            }
            Some(Change::Updated) => {
                c.updated += 1;
                t.updated += 1;
            }
            Some(Change::Unchanged) => {
                c.unchanged += 1;
                t.unchanged += 1;
            }
            None => {
                c.skipped += 1;
                t.skipped += 1;
            }
        }
    }
}

fn issue(origin: &Origin, fr: String) -> ImportIssue {
    ImportIssue {
        origin: origin.clone(),
        message: fr,
    }
}

impl Tx<'_> {
    /// Whether a row with this reference exists in `table` (a constant table name).
    pub(super) fn exists(&self, table: &'static str, reference: &str) -> Result<bool> {
        let sql = format!("SELECT 1 FROM {table} WHERE ref = ?1");
        Ok(self
            .conn()
            .prepare_cached(&sql)?
            .query_row([reference], |_| Ok(()))
            .optional()?
            .is_some())
    }

    /// Applies a batch. Without `partial`, any problem (in the batch or found here, such as an
    /// unknown requirement) returns `Error::Import` and the caller's transaction is rolled back.
    pub fn apply_batch(
        &mut self,
        batch: &ImportBatch,
        opts: &ApplyOptions,
    ) -> Result<ImportReport> {
        let mut report = ImportReport {
            issues: batch.issues.clone(),
            ..ImportReport::default()
        };
        for s in &batch.sheets {
            report.sheets.push(SheetPlan {
                file: s.file.clone(),
                sheet: s.sheet.clone(),
                kind: s.kind.clone(),
                reason: s.reason.clone(),
                rows: s.rows,
                counts: Counts::default(),
            });
        }
        let mut bad_rows: Vec<(String, Option<String>, Option<u64>)> = batch
            .issues
            .iter()
            .map(|i| (i.origin.file.clone(), i.origin.sheet.clone(), i.origin.row))
            .collect();
        let is_bad = |bad: &Vec<(String, Option<String>, Option<u64>)>, o: &Origin| {
            o.row.is_some()
                && bad
                    .iter()
                    .any(|b| b.0 == o.file && b.1 == o.sheet && b.2 == o.row)
        };

        for r in &batch.requirements {
            if is_bad(&bad_rows, &r.origin) {
                report.count(&r.origin, "requirements", None);
                continue;
            }
            let patch = RequirementPatch {
                title: r.title.clone(),
                description: r.description.clone(),
                criticality: r.criticality,
                category: r.category.clone(),
                status: r.status,
                source: r.source.clone(),
            };
            let change = self.upsert_requirement(&r.reference, &patch)?;
            report.count(&r.origin, "requirements", Some(change));
        }
        for a in &batch.anomalies {
            let mut unknown = Vec::new();
            for d in [&a.found_in, &a.fixed_in].into_iter().flatten() {
                if !self.exists("delivery", d)? {
                    unknown.push(issue(&a.origin, format!("livraison inconnue {d}")));
                }
            }
            if !unknown.is_empty() || is_bad(&bad_rows, &a.origin) {
                report.issues.extend(unknown);
                report.count(&a.origin, "anomalies", None);
                continue;
            }
            let change = if self.exists("anomaly", &a.reference)? {
                let patch = AnomalyPatch {
                    title: a.title.clone(),
                    description: a.description.clone(),
                    severity: a.severity,
                    status: a.status,
                    found_in: a.found_in.clone(),
                    fixed_in: a.fixed_in.clone(),
                };
                if self.update_anomaly(&a.reference, &patch)? {
                    Change::Updated
                } else {
                    Change::Unchanged
                }
            } else {
                let patch = AnomalyPatch {
                    description: a.description.clone(),
                    status: a.status,
                    found_in: a.found_in.clone().or_else(|| opts.delivery.clone()),
                    fixed_in: a.fixed_in.clone(),
                    ..AnomalyPatch::default()
                };
                let title = a.title.clone().unwrap_or_else(|| a.reference.clone());
                self.add_anomaly(
                    &a.reference,
                    &title,
                    a.severity.unwrap_or(Severity::Majeure),
                    &patch,
                )?;
                Change::Created
            };
            report.count(&a.origin, "anomalies", Some(change));
        }
        for t in &batch.test_cases {
            let unknown: Vec<&String> = {
                let mut v = Vec::new();
                for r in &t.requirement_refs {
                    if !self.exists("requirement", r)? {
                        v.push(r);
                    }
                }
                v
            };
            for r in &unknown {
                report
                    .issues
                    .push(issue(&t.origin, format!("exigence inconnue {r}")));
            }
            if !unknown.is_empty() || is_bad(&bad_rows, &t.origin) {
                bad_rows.push((t.origin.file.clone(), t.origin.sheet.clone(), t.origin.row));
                report.count(&t.origin, "test_cases", None);
                continue;
            }
            let patch = TestCasePatch {
                title: t.title.clone(),
                objective: t.objective.clone(),
                prerequisites: t.prerequisites.clone(),
                kind: t.kind,
                automation_key: t.automation_key.clone(),
                priority: t.priority.clone(),
                category: t.category.clone(),
                active: None,
                steps: t.steps.clone(),
                tags: t.tags.clone(),
            };
            let mut change = self.upsert_test_case(&t.reference, &patch)?;
            for r in &t.requirement_refs {
                if self.add_link(r, &t.reference)? && change == Change::Unchanged {
                    change = Change::Updated;
                }
            }
            report.count(&t.origin, "test_cases", Some(change));
        }
        for l in &batch.links {
            let mut problems = Vec::new();
            if !self.exists("requirement", &l.requirement_ref)? {
                problems.push(format!("exigence inconnue {}", l.requirement_ref));
            }
            if !self.exists("test_case", &l.test_ref)? {
                problems.push(format!("cas de test inconnu {}", l.test_ref));
            }
            if !problems.is_empty() || is_bad(&bad_rows, &l.origin) {
                report
                    .issues
                    .extend(problems.into_iter().map(|p| issue(&l.origin, p)));
                report.count(&l.origin, "links", None);
                continue;
            }
            let added = self.add_link(&l.requirement_ref, &l.test_ref)?;
            report.count(
                &l.origin,
                "links",
                Some(if added {
                    Change::Created
                } else {
                    Change::Unchanged
                }),
            );
        }
        if !batch.results.is_empty() {
            self.apply_results(&batch.results, opts, &mut report, &bad_rows)?;
        }
        report
            .sheets
            .retain(|s| s.kind == "ignored" || s.rows > 0 || s.counts != Counts::default());
        if !report.issues.is_empty() && !opts.partial {
            return Err(Error::Import {
                issues: report.issues,
            });
        }
        self.audit(
            "import",
            "import",
            &batch.sheets.first().map(|s| s.file.clone()).unwrap_or_default(),
            None,
            Some(json!({"sheets": report.sheets, "totals": report.totals,
                        "skipped_issues": report.issues.len(), "conflicts": report.conflicts.len()})),
        )?;
        Ok(report)
    }

    /// The campaign that receives imported results: the one given, the one named in the file,
    /// or one created for the delivery (`IMPORT-<delivery>`).
    pub fn campaign_for_results(
        &mut self,
        opts: &ApplyOptions,
        named: Option<&str>,
    ) -> Result<String> {
        if let Some(c) = opts.campaign.as_deref().or(named) {
            if !self.exists("campaign", c)? {
                return Err(Error::NotFound {
                    kind: "campagne",
                    reference: c.to_string(),
                });
            }
            return Ok(c.to_string());
        }
        let Some(d) = &opts.delivery else {
            return Err(Error::input(
                "ce fichier contient des résultats : précisez la campagne (--campaign) ou la livraison testée (--delivery)",
                "this file holds results: give the campaign (--campaign) or the delivery under test (--delivery)",
            ));
        };
        let reference = format!("IMPORT-{d}");
        if !self.exists("campaign", &reference)? {
            self.add_campaign(
                &reference,
                &NewCampaign {
                    title: format!("Résultats importés — livraison {d}"),
                    delivery: Some(d.clone()),
                    strategy: None,
                    phase: Phase::Vabf,
                    start_date: None,
                    end_date: None,
                },
            )?;
        }
        Ok(reference)
    }

    fn apply_results(
        &mut self,
        results: &[ResultRecord],
        opts: &ApplyOptions,
        report: &mut ImportReport,
        bad_rows: &[(String, Option<String>, Option<u64>)],
    ) -> Result<()> {
        // Group per campaign so a sheet naming its campaign (offline sheets) lands there.
        let mut campaigns: BTreeMap<Option<String>, String> = BTreeMap::new();
        for r in results {
            let bad = r.origin.row.is_some()
                && bad_rows
                    .iter()
                    .any(|b| b.0 == r.origin.file && b.1 == r.origin.sheet && b.2 == r.origin.row);
            if bad {
                report.count(&r.origin, "results", None);
                continue;
            }
            let campaign = match campaigns.get(&r.campaign_ref) {
                Some(c) => c.clone(),
                None => match self.campaign_for_results(opts, r.campaign_ref.as_deref()) {
                    Ok(c) => {
                        campaigns.insert(r.campaign_ref.clone(), c.clone());
                        c
                    }
                    // A campaign named in the sheet but absent from the store is a problem of
                    // that row (and of every row naming it), reported with its cell.
                    Err(Error::NotFound { reference, .. })
                        if opts.campaign.is_none()
                            && r.campaign_ref.as_deref() == Some(reference.as_str()) =>
                    {
                        report.issues.push(issue(
                            &r.origin,
                            format!("campagne inconnue {reference} : créez-la d'abord (recette campaign create {reference})"),
                        ));
                        report.count(&r.origin, "results", None);
                        continue;
                    }
                    Err(e) => return Err(e),
                },
            };
            report.campaign = Some(campaign.clone());
            if !self.exists("test_case", &r.test_ref)? {
                report.issues.push(issue(
                    &r.origin,
                    format!("cas de test inconnu {}", r.test_ref),
                ));
                report.count(&r.origin, "results", None);
                continue;
            }
            let latest = self.latest_execution(&campaign, &r.test_ref)?;
            if let (Some(base), Some((attempt, ..))) = (r.base_attempt, &latest) {
                if i64::from(base) < *attempt {
                    report.conflicts.push(issue(
                        &r.origin,
                        format!(
                            "conflit : {} a été enregistré dans la campagne {campaign} après l'export de la feuille (essai {attempt}) ; ligne non appliquée",
                            r.test_ref
                        ),
                    ));
                    report.count(&r.origin, "results", None);
                    continue;
                }
            }
            let comment = r.comment.clone().unwrap_or_default();
            if let Some((_, status, tester, at, c)) = &latest {
                let same = *status == r.status
                    && r.tester.as_ref().is_none_or(|t| t == tester)
                    && r.executed_at.as_ref().is_none_or(|d| d == at)
                    && c == &comment;
                if same {
                    report.count(&r.origin, "results", Some(Change::Unchanged));
                    continue;
                }
            }
            if r.status == ExecStatus::NotRun
                && latest.is_none()
                && r.tester.is_none()
                && r.comment.is_none()
            {
                // An empty row of an offline sheet: nothing was run.
                report.count(&r.origin, "results", Some(Change::Unchanged));
                continue;
            }
            let mut anomalies = Vec::new();
            for a in &r.anomaly_refs {
                if !self.exists("anomaly", a)? {
                    // Created so the result can reference it; its title says where it came
                    // from so that someone completes it, and the plan counts it.
                    let title = format!("{a} (créée à l'import : {})", r.origin);
                    let patch = AnomalyPatch {
                        found_in: opts.delivery.clone(),
                        description: Some(comment.clone()),
                        ..AnomalyPatch::default()
                    };
                    self.add_anomaly(a, &title, Severity::Majeure, &patch)?;
                    report.count(&r.origin, "anomalies", Some(Change::Created));
                }
                anomalies.push(a.clone());
            }
            let run = RunInput {
                status: r.status,
                steps: r.step_results.clone(),
                comment,
                evidence: Vec::new(),
                anomalies,
                tester: r.tester.clone(),
                executed_at: r.executed_at.clone(),
                duration_ms: None,
                source: if r.base_attempt.is_some() {
                    "sheet".into()
                } else {
                    "import".into()
                },
                add_if_missing: true,
            };
            match self.record_execution(&campaign, &r.test_ref, &run) {
                Ok(_) => report.count(&r.origin, "results", Some(Change::Created)),
                Err(Error::Input { fr, .. }) => {
                    report.issues.push(issue(&r.origin, fr));
                    report.count(&r.origin, "results", None);
                }
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    /// Latest execution of a test in a campaign: (attempt, status, tester, executed_at, comment).
    fn latest_execution(&self, campaign: &str, test: &str) -> Result<Option<LatestExecution>> {
        let row = self
            .conn()
            .prepare_cached(
                "SELECT e.attempt, e.status, e.tester, e.executed_at, e.comment
                 FROM execution e JOIN campaign c ON c.id = e.campaign_id
                 JOIN test_case t ON t.id = e.test_id WHERE c.ref = ?1 AND t.ref = ?2
                 ORDER BY e.attempt DESC LIMIT 1",
            )?
            .query_row(params![campaign, test], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                ))
            })
            .optional()?;
        Ok(match row {
            Some((a, s, t, d, c)) => Some((a, super::decode(&s, ExecStatus::from_code)?, t, d, c)),
            None => None,
        })
    }
}
