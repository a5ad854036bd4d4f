//! The retest and non-regression campaign of a delivery: the tests of the anomalies it fixes,
//! of the requirements it delivers or changes, and the non-regression set, each with its
//! reasons — shown first (dry run), then created.

use serde::Serialize;

use crate::error::{Error, Result};
use crate::model::{Criticality, Phase};
use crate::store::{NewCampaign, PlannedTest, RegressionRule, Selection, Store, Unselected};

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
        // One selection for the whole plan, each test with its own reasons.
        let sel = Selection {
            tests: plan.iter().map(|t| t.reference.clone()).collect(),
            reasons: plan
                .iter()
                .map(|t| (t.reference.clone(), t.reasons.join(" ; ")))
                .collect(),
            ..Selection::default()
        };
        store.write("campaign create --retest", |tx| {
            tx.add_campaign(&req.reference, &c)?;
            tx.select_tests(&req.reference, &sel)?;
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

/// Why each active test a selection takes is taken, in reference order: named, a tag, a
/// requirement, the criticality of a requirement it covers, the whole base — what the
/// campaign page shows before the selection is confirmed, and the reason each planned test
/// keeps. The same criteria as [`crate::store::Tx::select_tests`] (data sets apart: tests
/// without the data sets asked for are left out when the selection is applied).
pub fn selection_plan(store: &Store, sel: &Selection) -> Result<Vec<PlannedTest>> {
    use std::collections::HashMap;
    let requirements: HashMap<String, Criticality> = store
        .requirements()?
        .into_iter()
        .filter(|r| r.status != crate::model::ReqStatus::Obsolete)
        .map(|r| (r.reference, r.criticality))
        .collect();
    let all = store.test_cases()?;
    for t in &sel.tests {
        match all.iter().find(|x| &x.reference == t) {
            None => {
                return Err(Error::NotFound {
                    kind: "cas de test",
                    reference: t.clone(),
                })
            }
            Some(x) if !x.active => {
                return Err(Error::input(
                    format!("le cas de test {t} est retiré : il ne peut plus être planifié"),
                    format!("test case {t} is retired: it cannot be planned any more"),
                ))
            }
            Some(_) => {}
        }
    }
    for r in &sel.requirements {
        if store.requirement(r)?.is_none() {
            return Err(Error::NotFound {
                kind: "exigence",
                reference: r.clone(),
            });
        }
    }
    let mut out = Vec::new();
    for t in all.into_iter().filter(|t| t.active) {
        let mut reasons = Vec::new();
        if sel.tests.contains(&t.reference) {
            reasons.push("désigné".to_string());
        }
        for tag in t.tags.iter().filter(|g| sel.tags.contains(g)) {
            reasons.push(format!("étiquette {tag}"));
        }
        for r in &t.requirements {
            if sel.requirements.contains(r) {
                reasons.push(format!("exigence {r}"));
            } else if let Some(c) = requirements.get(r).filter(|c| sel.criticality.contains(c)) {
                reasons.push(format!("exigence {} {r}", c.code()));
            }
        }
        if reasons.is_empty() && sel.all {
            reasons.push("toute la base active".to_string());
        }
        if !reasons.is_empty() {
            out.push(PlannedTest {
                reference: t.reference,
                title: t.title,
                reasons,
            });
        }
    }
    Ok(out)
}

/// A campaign to create (on a delivery, usually) with its first tests.
#[derive(Debug, Clone)]
pub struct CampaignRequest {
    pub reference: String,
    pub campaign: NewCampaign,
    /// The tests to plan; an empty selection creates the campaign empty.
    pub selection: Selection,
    /// Plan only: show the tests and why, create nothing.
    pub dry_run: bool,
}

/// The tests planned (or that would be), each with its reasons.
#[derive(Debug, Clone, Serialize)]
pub struct CampaignOutcome {
    pub campaign: String,
    pub dry_run: bool,
    pub tests: Vec<PlannedTest>,
    /// Items added (`REF` or `REF [data set]`), empty for a dry run.
    pub added: Vec<String>,
}

fn selects_something(sel: &Selection) -> bool {
    sel.all
        || !sel.tests.is_empty()
        || !sel.tags.is_empty()
        || !sel.requirements.is_empty()
        || !sel.criticality.is_empty()
}

/// Plans `sel` into `campaign` in `tx`, each test with its reasons.
fn plan_into(
    tx: &mut crate::store::Tx<'_>,
    campaign: &str,
    sel: &Selection,
    plan: &[PlannedTest],
) -> Result<Vec<String>> {
    let with_reasons = Selection {
        tests: plan.iter().map(|t| t.reference.clone()).collect(),
        reasons: plan
            .iter()
            .map(|t| {
                let mut why = t.reasons.join(" ; ");
                if !sel.reason.is_empty() {
                    why = format!("{} ; {why}", sel.reason);
                }
                (t.reference.clone(), why)
            })
            .collect(),
        datasets: sel.datasets.clone(),
        assignee: sel.assignee.clone(),
        ..Selection::default()
    };
    tx.select_tests(campaign, &with_reasons)
}

/// Creates a campaign and plans its first tests, in one transaction (or shows them: dry
/// run).
pub fn create_campaign(store: &mut Store, req: &CampaignRequest) -> Result<CampaignOutcome> {
    let plan = if selects_something(&req.selection) {
        selection_plan(store, &req.selection)?
    } else {
        Vec::new()
    };
    let work = |tx: &mut crate::store::Tx<'_>| {
        tx.add_campaign(&req.reference, &req.campaign)?;
        if plan.is_empty() {
            Ok(Vec::new())
        } else {
            plan_into(tx, &req.reference, &req.selection, &plan)
        }
    };
    let added = if req.dry_run {
        store.dry_run(work)?;
        Vec::new()
    } else {
        store.write("campaign create", work)?
    };
    Ok(CampaignOutcome {
        campaign: req.reference.clone(),
        dry_run: req.dry_run,
        tests: plan,
        added,
    })
}

/// Adds the tests of `sel` to a campaign, each with its reasons (or shows them: dry run).
pub fn add_tests(
    store: &mut Store,
    campaign: &str,
    sel: &Selection,
    dry_run: bool,
) -> Result<CampaignOutcome> {
    if !selects_something(sel) {
        return Err(Error::input(
            "sélection vide : donnez des tests, étiquettes, exigences, criticités ou « tous »",
            "empty selection: give tests, tags, requirements, criticalities or \"all\"",
        ));
    }
    store.campaign(campaign)?;
    let plan = selection_plan(store, sel)?;
    let work = |tx: &mut crate::store::Tx<'_>| plan_into(tx, campaign, sel, &plan);
    let added = if dry_run {
        store.dry_run(work)?
    } else {
        store.write("campaign add", work)?
    };
    Ok(CampaignOutcome {
        campaign: campaign.to_string(),
        dry_run,
        tests: plan,
        added,
    })
}

/// Takes the tests of `sel` out of a campaign (those already run stay: their results are
/// history), in one audited transaction, or shows what would go (dry run).
pub fn remove_tests(
    store: &mut Store,
    campaign: &str,
    sel: &Selection,
    dry_run: bool,
) -> Result<Unselected> {
    if !selects_something(sel) {
        return Err(Error::input(
            "sélection vide : donnez des tests, étiquettes, exigences, criticités ou « tous »",
            "empty selection: give tests, tags, requirements, criticalities or \"all\"",
        ));
    }
    let planned: std::collections::HashSet<String> = store
        .campaign_tests(campaign)?
        .into_iter()
        .map(|t| t.reference)
        .collect();
    // Named tests are taken out as named (a retired one too); the criteria go through the
    // same plan as an addition.
    let criteria = Selection {
        tests: Vec::new(),
        ..sel.clone()
    };
    let mut tests: Vec<String> = sel.tests.clone();
    if selects_something(&criteria) {
        for t in selection_plan(store, &criteria)? {
            if planned.contains(&t.reference) && !tests.contains(&t.reference) {
                tests.push(t.reference);
            }
        }
    }
    let work = |tx: &mut crate::store::Tx<'_>| tx.unselect_tests(campaign, &tests);
    if dry_run {
        store.dry_run(work)
    } else {
        store.write("campaign remove", work)
    }
}
