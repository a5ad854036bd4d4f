//! The retest and non-regression campaign of a delivery: the tests of the anomalies it fixes,
//! of the requirements it delivers or changes, and the non-regression set, each with its
//! reasons — shown first (dry run), then created.

use serde::Serialize;

use crate::error::{Error, Result};
use crate::model::{Criticality, Phase};
use crate::store::{NewCampaign, PlannedTest, RegressionRule, Selection, Store};

/// A retest campaign to plan or create.
#[derive(Debug, Clone)]
pub struct RetestRequest {
    /// Reference of the campaign to create.
    pub reference: String,
    /// Title; empty gives « Retests et non-régression — livraison <delivery> ».
    pub title: String,
    /// The delivery whose fixes and changes are retested.
    pub delivery: String,
    pub phase: Phase,
    pub strategy: Option<String>,
    /// ISO dates.
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    /// Non-regression: requirement criticalities whose tests are all run again (empty: the
    /// default rule, critical).
    pub criticality: Vec<Criticality>,
    /// Non-regression: tags whose tests are all run again (empty: the default rule,
    /// `non-regression`).
    pub tags: Vec<String>,
    /// Non-regression: also the tests failed or blocked in the delivery's previous campaign.
    pub failed_in_last_campaign: bool,
    /// Plan only: show the selection and each test's reasons, create nothing.
    pub dry_run: bool,
}

/// The selection, and whether the campaign was created. Serialised as `campaign create
/// --retest --json` prints it (`campaign`, `dry_run`, `tests`).
#[derive(Debug, Clone, Serialize)]
pub struct RetestOutcome {
    pub campaign: String,
    pub dry_run: bool,
    /// The tests in order, each with its reasons.
    pub tests: Vec<PlannedTest>,
}

/// Plans the retest campaign of a delivery and, unless it is a dry run, creates it with each
/// test and its reasons (one transaction). An empty selection is an error saying what to do.
pub fn create_retest(store: &mut Store, req: &RetestRequest) -> Result<RetestOutcome> {
    let defaults = RegressionRule::default();
    let rule = RegressionRule {
        criticality: if req.criticality.is_empty() {
            defaults.criticality
        } else {
            req.criticality.clone()
        },
        tags: if req.tags.is_empty() {
            defaults.tags
        } else {
            req.tags.clone()
        },
        failed_in_last_campaign: req.failed_in_last_campaign,
    };
    let delivery = &req.delivery;
    let plan = store.retest_plan(delivery, &rule)?;
    if plan.is_empty() {
        return Err(Error::input(
            format!("aucun test à reprendre pour la livraison {delivery} : déclarez les anomalies corrigées (recette delivery claim) ou élargissez la règle de non-régression"),
            format!("no test to run for delivery {delivery}: record the fixed anomalies (recette delivery claim) or widen the regression rule"),
        ));
    }
    if !req.dry_run {
        let c = NewCampaign {
            title: if req.title.is_empty() {
                format!("Retests et non-régression — livraison {delivery}")
            } else {
                req.title.clone()
            },
            delivery: Some(delivery.clone()),
            strategy: req.strategy.clone(),
            phase: req.phase,
            start_date: req.start_date.clone(),
            end_date: req.end_date.clone(),
        };
        store.write("campaign create --retest", |tx| {
            tx.add_campaign(&req.reference, &c)?;
            for t in &plan {
                tx.select_tests(
                    &req.reference,
                    &Selection {
                        tests: vec![t.reference.clone()],
                        reason: t.reasons.join(" ; "),
                        ..Selection::default()
                    },
                )?;
            }
            Ok(())
        })?;
    }
    Ok(RetestOutcome {
        campaign: req.reference.clone(),
        dry_run: req.dry_run,
        tests: plan,
    })
}

/// Starting a campaign.
#[derive(Debug, Clone)]
pub struct StartRequest {
    pub campaign: String,
    /// Start although entry criteria are unmet (recorded in the audit log and the bilan).
    pub force: bool,
}

/// The entry criteria as measured, and whether the campaign started.
#[derive(Debug, Clone, Serialize)]
pub struct StartOutcome {
    pub campaign: String,
    /// The strategy whose entry criteria were checked.
    pub strategy: String,
    pub started: bool,
    /// Started with `--force` over unmet blocking criteria.
    pub forced: bool,
    /// It had been started before: nothing changed.
    pub already_started: bool,
    pub started_at: Option<String>,
    pub entry_criteria: Vec<crate::verdict::CriterionResult>,
    /// The unmet criteria, worded (French and English).
    pub unmet: Vec<crate::verdict::Text>,
}

/// Checks the entry criteria of a campaign's strategy and starts it when every blocking one
/// is met (unmet non-blocking ones are listed), or when `force` is given (the override is
/// recorded). Refused (started = false) otherwise; nothing is written then.
pub fn start(store: &mut Store, req: &StartRequest) -> Result<StartOutcome> {
    use crate::i18n::Lang;
    use crate::verdict::{check_entry, criterion_name, format_measure, format_threshold, Text};
    let c = store.campaign(&req.campaign)?;
    let (strategy, _) = store.campaign_strategy(&req.campaign)?;
    if c.state == "started" {
        return Ok(StartOutcome {
            campaign: c.reference,
            strategy: strategy.reference,
            started: true,
            forced: c.start_forced,
            already_started: true,
            started_at: c.started_at,
            entry_criteria: serde_json::from_value(c.start_checks).unwrap_or_default(),
            unmet: Vec::new(),
        });
    }
    let measures = store.entry_measures(&req.campaign, &strategy.smoke_tag)?;
    let checks = check_entry(&strategy.entry_criteria, &measures);
    let unmet: Vec<Text> = checks
        .iter()
        .filter(|r| !r.met)
        .map(|r| {
            let w = |lang: Lang| {
                format!(
                    "{} : {} mesuré, {} attendu{}",
                    criterion_name(&r.criterion, lang),
                    format_measure(&r.criterion.indicator, r.measured, lang),
                    format_threshold(&r.criterion, lang),
                    if r.criterion.blocking {
                        ""
                    } else {
                        " (non bloquant)"
                    }
                )
            };
            let en = |lang: Lang| {
                format!(
                    "{}: {} measured, {} expected{}",
                    criterion_name(&r.criterion, lang),
                    format_measure(&r.criterion.indicator, r.measured, lang),
                    format_threshold(&r.criterion, lang),
                    if r.criterion.blocking {
                        ""
                    } else {
                        " (non-blocking)"
                    }
                )
            };
            Text::new(w(Lang::Fr), en(Lang::En))
        })
        .collect();
    let blocked = crate::verdict::entry_blocked(&checks);
    let started = !blocked || req.force;
    let forced = blocked && req.force;
    let mut started_at = None;
    if started {
        let json = serde_json::to_value(&checks).map_err(|e| Error::Other(e.to_string()))?;
        store.write("campaign start", |tx| {
            tx.start_campaign(&req.campaign, forced, &json)
        })?;
        started_at = store.campaign(&req.campaign)?.started_at;
    }
    Ok(StartOutcome {
        campaign: c.reference,
        strategy: strategy.reference,
        started,
        forced,
        already_started: false,
        started_at,
        entry_criteria: checks,
        unmet,
    })
}

/// Assigns, reassigns, spreads or unassigns the selected items of a campaign, in one audited
/// transaction (`recette campaign assign` and the campaign page of `recette serve`).
pub fn assign(
    store: &mut Store,
    campaign: &str,
    selection: &crate::store::ItemSelection,
    what: &crate::store::Assignment,
) -> Result<crate::store::AssignOutcome> {
    store.write("campaign assign", |tx| tx.assign(campaign, selection, what))
}
