//! Rows to [`ProjectRecord`]s: the deliveries, strategies, campaigns and planned tests of a
//! project workbook (`recette export workbook`), so that a store rebuilt from the workbook
//! alone evaluates every campaign as the original did.
//!
//! Strategies take one row per criterion: the strategy's fields on the first row of its block,
//! continuation rows (blank reference, or the same one) add a criterion each.

use super::cells::{tr, Seen, SheetCtx};
use super::grid::Row;
use super::mapping::Field;
use super::rows::each_referenced_row;
use crate::import::records::SettingRecord;
use crate::import::records::{
    CampaignRecord, DecisionRecord, DeliveryRecord, PlannedRecord, ProjectRecord, RecordSink,
    StrategyRecord,
};
use crate::model::{normalize_word, Decision, Phase};
use crate::settings::Setting;
use crate::verdict::{Criterion, CriterionResult, Strategy, DEFAULT_SMOKE_TAG};

/// One delivery per row.
pub(crate) fn read_deliveries(
    ctx: &mut SheetCtx,
    rows: &mut dyn Iterator<Item = Row>,
    seen: &mut Seen,
    sink: &mut dyn RecordSink,
) -> u64 {
    each_referenced_row(ctx, rows, seen, "delivery", |ctx, row, reference| {
        sink.project(ProjectRecord::Delivery(DeliveryRecord {
            origin: ctx.at(row.number, None),
            reference,
            version: ctx.string(row, Field::Version),
            vendor: ctx.string(row, Field::Vendor),
            lot: ctx.string(row, Field::Lot),
            planned_date: ctx.date(row, Field::PlannedDate),
            delivered_date: ctx.date(row, Field::DeliveredDate),
            notes: ctx.string(row, Field::Comment),
        }));
    })
}

/// One campaign per row.
pub(crate) fn read_campaigns(
    ctx: &mut SheetCtx,
    rows: &mut dyn Iterator<Item = Row>,
    seen: &mut Seen,
    sink: &mut dyn RecordSink,
) -> u64 {
    each_referenced_row(ctx, rows, seen, "campaign", |ctx, row, reference| {
        sink.project(ProjectRecord::Campaign(CampaignRecord {
            origin: ctx.at(row.number, None),
            reference,
            title: ctx.string(row, Field::Title),
            phase: ctx.word::<Phase>(row, Field::Phase),
            delivery: ctx.string(row, Field::Delivery),
            strategy: ctx.string(row, Field::Strategy),
            start_date: ctx.date(row, Field::StartDate),
            end_date: ctx.date(row, Field::EndDate),
            started_at: ctx.date(row, Field::StartedAt),
            forced: ctx.flag(row, Field::Forced).unwrap_or(false),
            start_checks: start_checks(ctx, row),
        }));
    })
}

/// One planned test (with its data set) per row.
pub(crate) fn read_planned(
    ctx: &mut SheetCtx,
    rows: &mut dyn Iterator<Item = Row>,
    sink: &mut dyn RecordSink,
) -> u64 {
    let mut n = 0;
    for row in rows {
        n += 1;
        if !ctx.has_data(&row) {
            continue;
        }
        let (campaign, test) = (
            ctx.string(&row, Field::Campaign),
            ctx.string(&row, Field::TestRef),
        );
        let (Some(campaign), Some(test)) = (campaign, test) else {
            let missing = if ctx.text(&row, Field::Campaign).is_none() {
                Field::Campaign
            } else {
                Field::TestRef
            };
            let msg = tr!(
                ctx.lang,
                "ligne incomplète : une campagne et un cas de test sont attendus",
                "incomplete row: a campaign and a test case are expected"
            );
            ctx.issue(row.number, Some(missing), msg);
            continue;
        };
        sink.project(ProjectRecord::Planned(PlannedRecord {
            origin: ctx.at(row.number, None),
            campaign,
            test,
            dataset: ctx.string(&row, Field::Dataset),
            assignee: ctx.string(&row, Field::Assignee),
            reason: ctx.string(&row, Field::Reason),
        }));
    }
    n
}

/// Whether a criterion is an entry criterion, from its `Type de critère` cell.
fn is_entry(ctx: &mut SheetCtx, row: &Row) -> Option<bool> {
    let raw = ctx.text(row, Field::CriterionKind)?;
    match normalize_word(raw).as_str() {
        "sortie" | "exit" | "critere de sortie" | "exit criterion" => Some(false),
        "entree" | "entry" | "critere d entree" | "entry criterion" => Some(true),
        _ => {
            let msg = tr!(
                ctx.lang,
                "type de critère inconnu « {} » ; valeurs acceptées : sortie, entrée",
                "unknown criterion type \"{}\"; accepted values: exit, entry",
                raw
            );
            ctx.issue(row.number, Some(Field::CriterionKind), msg);
            None
        }
    }
}

/// A whole number of days or ajournements.
fn count(ctx: &mut SheetCtx, row: &Row, f: Field) -> Option<i64> {
    ctx.number(row, f).map(i64::from)
}

/// Strategies: the first row of a block gives the strategy, each row with a rule a criterion.
pub(crate) fn read_strategies(
    ctx: &mut SheetCtx,
    rows: &mut dyn Iterator<Item = Row>,
    seen: &mut Seen,
    sink: &mut dyn RecordSink,
) -> u64 {
    let mut current: Option<StrategyRecord> = None;
    let mut skipping = false;
    let mut n = 0;
    for row in rows {
        n += 1;
        if !ctx.has_data(&row) {
            continue;
        }
        let id = ctx.string(&row, Field::Reference);
        let continues = match (&id, &current) {
            (None, _) => true,
            (Some(i), Some(c)) => *i == c.strategy.reference,
            (Some(_), None) => false,
        };
        if !continues {
            let Some(reference) = id else { continue };
            if let Some(done) = current.take() {
                sink.project(ProjectRecord::Strategy(done));
            }
            skipping = !ctx.first_time(seen, "strategy", &reference, row.number);
            if skipping {
                continue;
            }
            let defaults = Strategy {
                reference: reference.clone(),
                title: reference.clone(),
                phase: Phase::Vabf,
                scope: String::new(),
                max_ajournements: 2,
                reserve_days: 30,
                criteria: Vec::new(),
                entry_criteria: Vec::new(),
                smoke_tag: DEFAULT_SMOKE_TAG.to_string(),
            };
            let strategy = Strategy {
                title: ctx.string(&row, Field::Title).unwrap_or(defaults.title),
                phase: ctx
                    .word::<Phase>(&row, Field::Phase)
                    .unwrap_or(defaults.phase),
                scope: ctx.string(&row, Field::Scope).unwrap_or_default(),
                max_ajournements: count(ctx, &row, Field::MaxAjournements)
                    .unwrap_or(defaults.max_ajournements),
                reserve_days: count(ctx, &row, Field::ReserveDays).unwrap_or(defaults.reserve_days),
                smoke_tag: ctx
                    .string(&row, Field::SmokeTag)
                    .unwrap_or(defaults.smoke_tag),
                ..defaults
            };
            current = Some(StrategyRecord {
                origin: ctx.at(row.number, None),
                last_row: None,
                strategy,
            });
        } else if skipping {
            continue;
        }
        let Some(rec) = current.as_mut() else {
            let msg = tr!(
                ctx.lang,
                "critère sans stratégie au-dessus",
                "criterion without a strategy above"
            );
            ctx.issue(row.number, Some(Field::Reference), msg);
            continue;
        };
        rec.last_row = Some(row.number);
        add_criterion(ctx, rec, &row);
    }
    if let Some(done) = current {
        sink.project(ProjectRecord::Strategy(done));
    }
    n
}

/// Adds the row's criterion (its rule, whether it blocks, its label) to the strategy.
fn add_criterion(ctx: &mut SheetCtx, rec: &mut StrategyRecord, row: &Row) {
    let entry = is_entry(ctx, row);
    let blocking = ctx.flag(row, Field::Blocking);
    let Some(rule) = ctx.string(row, Field::Rule) else {
        if ctx.text(row, Field::CriterionKind).is_some() || ctx.text(row, Field::Label).is_some() {
            let msg = tr!(
                ctx.lang,
                "critère sans règle (exemple : « execution_rate >= 95 »)",
                "criterion without a rule (example: \"execution_rate >= 95\")"
            );
            ctx.issue(row.number, Some(Field::Rule), msg);
        }
        return;
    };
    let label = ctx.string(row, Field::Label).unwrap_or_default();
    let blocking = blocking.unwrap_or(true);
    let entry = entry.unwrap_or(false);
    let parsed = if entry {
        Criterion::parse_entry(&rule, blocking, &label)
    } else {
        Criterion::parse(&rule, blocking, &label)
    };
    match parsed {
        Ok(c) if entry => rec.strategy.entry_criteria.push(c),
        Ok(c) => rec.strategy.criteria.push(c),
        Err(e) => {
            let msg = e.message(ctx.lang);
            ctx.issue(row.number, Some(Field::Rule), msg);
        }
    }
}

/// One signed decision per row; the campaign, the number, the decision and the date are needed.
pub(crate) fn read_decisions(
    ctx: &mut SheetCtx,
    rows: &mut dyn Iterator<Item = Row>,
    sink: &mut dyn RecordSink,
) -> u64 {
    let mut n = 0;
    for row in rows {
        n += 1;
        if !ctx.has_data(&row) {
            continue;
        }
        let campaign = ctx.string(&row, Field::Campaign);
        let number = ctx.number(&row, Field::RecordNumber);
        let decision = ctx.word::<Decision>(&row, Field::Decision);
        let signed_at = ctx.date(&row, Field::SignedAt);
        let missing = [
            (Field::Campaign, campaign.is_none()),
            (Field::RecordNumber, number.is_none()),
            (Field::Decision, decision.is_none()),
            (Field::SignedAt, signed_at.is_none()),
        ]
        .into_iter()
        .find(|(f, absent)| *absent && ctx.text(&row, *f).is_none());
        if let Some((f, _)) = missing {
            let msg = tr!(
                ctx.lang,
                "décision incomplète : la campagne, le n° de PV, la décision et la date de signature sont attendus",
                "incomplete decision: the campaign, the record number, the decision and the signing date are expected"
            );
            ctx.issue(row.number, Some(f), msg);
            continue;
        }
        let (Some(campaign), Some(number), Some(decision), Some(signed_at)) =
            (campaign, number, decision, signed_at)
        else {
            continue; // A bad value: its issue is recorded.
        };
        sink.project(ProjectRecord::Decision(DecisionRecord {
            origin: ctx.at(row.number, None),
            campaign,
            number,
            decision,
            signed_at,
            signatories: ctx
                .text(&row, Field::Signatories)
                .map(|t| {
                    t.lines()
                        .map(str::trim)
                        .filter(|l| !l.is_empty())
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default(),
            files: ctx.string(&row, Field::SealedFiles).unwrap_or_default(),
        }));
    }
    n
}

/// One setting per row: its key (`name`, `buyer`, `contract`...) and its value.
pub(crate) fn read_settings(
    ctx: &mut SheetCtx,
    rows: &mut dyn Iterator<Item = Row>,
    sink: &mut dyn RecordSink,
) -> u64 {
    let mut n = 0;
    for row in rows {
        n += 1;
        if !ctx.has_data(&row) {
            continue;
        }
        let Some(key) = ctx.string(&row, Field::SettingKey) else {
            let msg = tr!(ctx.lang, "valeur sans réglage", "value without a setting");
            ctx.issue(row.number, Some(Field::SettingKey), msg);
            continue;
        };
        match Setting::parse(key.trim()) {
            Ok(setting) => sink.project(ProjectRecord::Setting(SettingRecord {
                origin: ctx.at(row.number, None),
                setting,
                value: ctx.string(&row, Field::SettingValue).unwrap_or_default(),
            })),
            Err(e) => {
                let msg = e.message(ctx.lang);
                ctx.issue(row.number, Some(Field::SettingKey), msg);
            }
        }
    }
    n
}

/// One entry check as the workbook writes it:
/// `rule ; mesuré 1 ; non atteint ; bloquant ; label` (see [`format_start_check`]).
fn parse_start_check(line: &str) -> Option<CriterionResult> {
    let parts: Vec<&str> = line.splitn(5, " ; ").map(str::trim).collect();
    let [rule, measured, met, blocking, label] = parts.as_slice() else {
        return None;
    };
    let measured = match measured.strip_prefix("mesuré ")? {
        "non mesurable" => None,
        v => Some(v.parse::<f64>().ok().filter(|v| v.is_finite())?),
    };
    let met = match *met {
        "atteint" => true,
        "non atteint" => false,
        _ => return None,
    };
    let blocking = match *blocking {
        "bloquant" => true,
        "non bloquant" => false,
        _ => return None,
    };
    let criterion = Criterion::parse_entry(rule, blocking, label).ok()?;
    Some(CriterionResult {
        criterion,
        measured,
        met,
    })
}

/// An entry check as one line of the Campagnes sheet, read back by [`parse_start_check`].
pub fn format_start_check(c: &CriterionResult) -> String {
    let measured = match c.measured {
        None => "non mesurable".to_string(),
        Some(v) => format!("{v}"),
    };
    format!(
        "{} ; mesuré {measured} ; {} ; {} ; {}",
        c.criterion.rule(),
        if c.met { "atteint" } else { "non atteint" },
        if c.criterion.blocking {
            "bloquant"
        } else {
            "non bloquant"
        },
        c.criterion.label
    )
}

/// The entry checks of a campaign row, one per line; a line that cannot be read is an issue.
fn start_checks(ctx: &mut SheetCtx, row: &Row) -> Option<Vec<CriterionResult>> {
    let text = ctx.string(row, Field::StartChecks)?;
    let mut out = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        match parse_start_check(line) {
            Some(c) => out.push(c),
            None => {
                let msg = tr!(
                    ctx.lang,
                    "contrôle au démarrage illisible « {} » ; attendu « règle ; mesuré N ; atteint|non atteint ; bloquant|non bloquant ; libellé »",
                    "unreadable start check \"{}\"; expected \"rule ; mesuré N ; atteint|non atteint ; bloquant|non bloquant ; label\"",
                    line
                );
                ctx.issue(row.number, Some(Field::StartChecks), msg);
            }
        }
    }
    Some(out)
}
