//! What templates see: every value already worded in the report's language.

use std::collections::BTreeMap;

use serde::Serialize;

use super::charts;
use super::labels::{label, labels};
use crate::i18n::{percent, Lang};
use crate::model::{AnomalyStatus, Criticality, Decision, ExecStatus, Severity};
use crate::trace::{Coverage, ReqTraceStatus};
use crate::verdict::{
    criterion_name, format_measure, format_threshold, indicator_label, Evaluation,
};

/// A sign-off shown in the PV: the recorded one, or the one being signed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PvSignOff {
    pub number: i64,
    pub decision: Decision,
    pub signed_at: String,
    /// Each signatory as lists show it.
    pub signatories: Vec<String>,
    /// The signatories, per party.
    pub signers: Vec<crate::signoff::Signatory>,
    /// "Fait à ..." place.
    pub place: String,
    /// The sign-off this one replaces.
    pub supersedes: Option<PvSuperseded>,
    pub reservations: Vec<PvReservation>,
    /// Set when the PV is written again after its sign-off (`recette report` of a signed
    /// campaign): the folder, beside the store, holding the signed PV and the files it seals.
    /// `None` while the sign-off itself writes the files it seals.
    pub sealed_in: Option<String>,
}

/// The sign-off a PV replaces.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PvSuperseded {
    pub number: i64,
    pub signed_at: String,
    pub reason: String,
}

/// A report the PV rests on, with its digest.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BasedOn {
    pub file: String,
    pub title: String,
    pub sha256: String,
}

/// One signature block of the PV.
#[derive(Debug, Clone, Serialize)]
pub struct SignatureBlock {
    pub name: String,
    pub function: String,
    pub organisation: String,
}

/// The signature blocks of one party.
#[derive(Debug, Clone, Serialize)]
pub struct PartyBlocks {
    pub code: &'static str,
    pub heading: String,
    /// Empty blocks to fill by hand when nobody is named.
    pub blocks: Vec<SignatureBlock>,
    pub named: bool,
}

/// A reservation shown in the PV.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PvReservation {
    pub reference: String,
    pub description: String,
    pub severity: String,
    pub deadline: String,
    pub lifted_at: Option<String>,
}

/// Formats a date (`YYYY-MM-DD...`): `02/04/2026` in French, `2026-04-02` in English; with the
/// time (`HH:MM`) when `with_time` and present.
pub fn fmt_date(lang: Lang, s: &str, with_time: bool) -> String {
    let day = s.get(..10).unwrap_or(s);
    let time = if with_time {
        s.get(11..16)
            .filter(|t| t.contains(':'))
            .map(|t| format!(" {t}"))
    } else {
        None
    }
    .unwrap_or_default();
    match (lang, chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d")) {
        (Lang::Fr, Ok(d)) => format!("{}{time}", d.format("%d/%m/%Y")),
        (Lang::En, Ok(d)) => format!("{}{time}", d.format("%Y-%m-%d")),
        _ => s.to_string(),
    }
}

#[derive(Debug, Serialize)]
pub struct CampaignView {
    #[serde(rename = "ref")]
    pub reference: String,
    pub title: String,
    pub phase: String,
    pub start: String,
    pub end: String,
    pub strategy: String,
    pub strategy_title: String,
    pub default_strategy: bool,
}

#[derive(Debug, Serialize)]
pub struct DeliveryView {
    #[serde(rename = "ref")]
    pub reference: String,
    pub version: String,
    pub vendor: String,
    pub lot: String,
    pub planned: String,
    pub delivered: String,
    pub notes: String,
}

#[derive(Debug, Serialize)]
pub struct Kpi {
    pub label: String,
    pub value: String,
    pub detail: String,
    /// ok, warn, ko or neutral.
    pub tone: &'static str,
}

#[derive(Debug, Serialize)]
pub struct StatusRow {
    pub code: &'static str,
    pub label: String,
    pub count: usize,
    pub share: String,
}

#[derive(Debug, Serialize)]
pub struct RollupRow {
    pub label: String,
    pub requirements: usize,
    pub covered: usize,
    pub uncovered: usize,
    pub coverage: String,
    pub passed: usize,
    /// Passed only through suspect links ("à revérifier"), not counted as passed.
    pub to_recheck: usize,
    pub failed: usize,
    pub blocked: usize,
    pub not_run: usize,
    pub passed_rate: String,
}

#[derive(Debug, Serialize)]
pub struct AnomalyRow {
    pub label: String,
    pub open: usize,
    pub total: usize,
}

#[derive(Debug, Serialize)]
pub struct CountRow {
    pub label: String,
    pub count: usize,
}

#[derive(Debug, Serialize)]
pub struct CriterionView {
    pub name: String,
    pub rule: String,
    pub indicator: String,
    pub measured: String,
    pub threshold: String,
    pub blocking: bool,
    pub blocking_label: String,
    pub met: bool,
    pub result: String,
}

#[derive(Debug, Serialize)]
pub struct DecisionView {
    pub code: &'static str,
    pub label: String,
    pub reasons: Vec<String>,
    pub previous_ajournements: i64,
    pub max_ajournements: i64,
}

#[derive(Debug, Serialize)]
pub struct ReservationView {
    #[serde(rename = "ref")]
    pub reference: String,
    pub description: String,
    pub severity: String,
    pub deadline: String,
    pub lifted: String,
}

#[derive(Debug, Serialize)]
pub struct TestBadge {
    #[serde(rename = "ref")]
    pub reference: String,
    pub status: &'static str,
    pub label: &'static str,
    pub suspect: bool,
    /// The test changed (new version) after the result counted here.
    pub modified: bool,
    /// Readable name of an automated test case named `AUTO-<hash>` (its title).
    pub name: Option<String>,
}

impl TestBadge {
    /// The test as a line of text reads it: `CT-001`, or `name (AUTO-<hash>)`.
    pub fn display(&self) -> String {
        crate::trace::named_reference(&self.reference, self.name.as_deref())
    }
}

/// One tester's progress in the campaign.
#[derive(Debug, Serialize)]
pub struct TesterRow {
    pub assignee: String,
    pub planned: usize,
    pub executed: usize,
    pub passed: usize,
    pub failed: usize,
    pub blocked: usize,
    pub remaining: usize,
    /// executed / planned.
    pub progress: String,
}

/// A planned item whose test changed after its latest execution in the campaign.
#[derive(Debug, Serialize)]
pub struct ModifiedTest {
    #[serde(rename = "ref")]
    pub reference: String,
    pub dataset: String,
    pub title: String,
    pub executed_version: i64,
    pub version: i64,
    pub status: &'static str,
    pub status_label: &'static str,
}

#[derive(Debug, Serialize)]
pub struct TraceRow {
    #[serde(rename = "ref")]
    pub reference: String,
    pub title: String,
    pub criticality: &'static str,
    pub category: String,
    pub covered: bool,
    pub coverage: &'static str,
    pub status: &'static str,
    pub status_label: &'static str,
    pub suspect: bool,
    pub tests: Vec<TestBadge>,
}

#[derive(Debug, Serialize)]
pub struct AnomalyView {
    #[serde(rename = "ref")]
    pub reference: String,
    pub title: String,
    pub severity: &'static str,
    pub severity_code: &'static str,
    pub status: &'static str,
    pub open: bool,
    pub found_in: String,
    pub fixed_in: String,
}

#[derive(Debug, Serialize)]
pub struct FailedTest {
    #[serde(rename = "ref")]
    pub reference: String,
    /// Data set run (empty without data set) and its values.
    pub dataset: String,
    pub values: String,
    pub assignee: String,
    pub title: String,
    pub status: &'static str,
    pub status_label: &'static str,
    pub tester: String,
    pub executed_at: String,
    pub attempts: i64,
    pub anomalies: Vec<AnomalyView>,
}

#[derive(Debug, Serialize)]
pub struct SuspectLink {
    pub requirement: String,
    pub title: String,
    pub test: String,
    pub link_revision: i64,
    pub revision: i64,
}

#[derive(Debug, Serialize)]
pub struct Charts {
    pub status: String,
    pub coverage: String,
    pub timeline: String,
}

#[derive(Debug, Serialize)]
pub struct SignOffView {
    pub number: i64,
    pub decision: String,
    pub decision_code: &'static str,
    pub signed_at: String,
    pub signatories: Vec<String>,
    pub place: String,
    pub supersedes: Option<PvSuperseded>,
    /// See [`PvSignOff::sealed_in`].
    pub sealed_in: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct DecisionChoice {
    pub code: &'static str,
    pub label: String,
    pub chosen: bool,
}

/// The whole report model.
#[derive(Debug, Serialize)]
pub struct View {
    /// Set when the campaign was started overriding unmet entry criteria (`campaign start
    /// --force`): when, and which criteria.
    pub start_override: String,
    pub lang: &'static str,
    pub t: BTreeMap<&'static str, &'static str>,
    pub project: String,
    pub contract: String,
    pub contract_title: String,
    pub buyer: String,
    pub buyer_service: String,
    /// The vendor: setting `vendor`, else the delivery's.
    pub vendor: String,
    pub issued_on: String,
    pub campaign: CampaignView,
    pub delivery: Option<DeliveryView>,
    pub kpis: Vec<Kpi>,
    pub tests_total: usize,
    pub status_rows: Vec<StatusRow>,
    pub criticality_rows: Vec<RollupRow>,
    pub total_row: RollupRow,
    pub category_rows: Vec<RollupRow>,
    pub anomaly_rows: Vec<AnomalyRow>,
    pub anomaly_total: AnomalyRow,
    pub anomaly_status_rows: Vec<CountRow>,
    pub anomalies: Vec<AnomalyView>,
    pub charts: Charts,
    /// Executions per day (date -> status code -> count): the PDF draws its own chart.
    #[serde(skip)]
    pub timeline: BTreeMap<String, BTreeMap<String, usize>>,
    pub criteria: Vec<CriterionView>,
    pub decision: DecisionView,
    pub reservations: Vec<ReservationView>,
    pub trace_rows: Vec<TraceRow>,
    pub failed_tests: Vec<FailedTest>,
    /// Progress per assigned tester (empty when nobody is assigned).
    pub tester_rows: Vec<TesterRow>,
    /// Tests changed after their latest execution in the campaign.
    pub modified_tests: Vec<ModifiedTest>,
    pub uncovered: Vec<TraceRow>,
    pub suspect_links: Vec<SuspectLink>,
    pub signoff: Option<SignOffView>,
    /// The decision of the PV: the signed one, else the proposed one.
    pub pv_decision: DecisionView,
    /// CCAG-TIC article of the PV's decision.
    pub pv_article: String,
    pub decisions: Vec<DecisionChoice>,
    /// Signature blocks, buyer then vendor.
    pub parties: Vec<PartyBlocks>,
    /// "Fait à <place>" (blank to fill in when unset).
    pub place: String,
    /// "le <date>": the signing date, blank until signed.
    pub signing_date: String,
    /// Reports the PV rests on (filled by `write_reports` with the files it wrote first).
    pub based_on: Vec<BasedOn>,
}

/// The CCAG-TIC (2021) article a decision is taken under.
pub fn ccag_article(d: Decision, lang: Lang) -> &'static str {
    match d {
        Decision::Admission => lang.pick(
            "CCAG-TIC 2021, article 34 — admission (attestation de service fait)",
            "CCAG-TIC 2021, article 34 — admission (certificate of service rendered)",
        ),
        Decision::Reserves => lang.pick(
            "CCAG-TIC 2021, article 34 — admission ; réserves à lever dans le délai fixé (pratique de recette : le texte prévoit l'ajournement ou la réfaction)",
            "CCAG-TIC 2021, article 34 — admission; reservations to lift by the date set (acceptance practice: the text provides for postponement or price reduction)",
        ),
        Decision::Ajournement => lang.pick(
            "CCAG-TIC 2021, article 34 — ajournement : le titulaire présente à nouveau les prestations corrigées dans le délai fixé",
            "CCAG-TIC 2021, article 34 — postponement: the vendor presents the corrected deliverables again within the time set",
        ),
        Decision::Refaction => lang.pick(
            "CCAG-TIC 2021, article 34 — réfaction : admission avec réduction de prix",
            "CCAG-TIC 2021, article 34 — price reduction: admission with a reduced price",
        ),
        Decision::Rejet => lang.pick(
            "CCAG-TIC 2021, article 34 — rejet",
            "CCAG-TIC 2021, article 34 — rejection",
        ),
    }
}

fn status_symbol_label(s: ExecStatus, lang: Lang) -> &'static str {
    s.label(lang)
}

fn anomaly_view(a: &crate::entities::Anomaly, lang: Lang) -> AnomalyView {
    AnomalyView {
        reference: a.reference.clone(),
        title: a.title.clone(),
        severity: a.severity.label(lang),
        severity_code: a.severity.code(),
        status: a.status.label(lang),
        open: a.status.is_open(),
        found_in: a.found_in.clone().unwrap_or_default(),
        fixed_in: a.fixed_in.clone().unwrap_or_default(),
    }
}

fn rollup_row(label: String, r: &crate::trace::Rollup, lang: Lang) -> RollupRow {
    RollupRow {
        label,
        requirements: r.requirements,
        covered: r.covered,
        uncovered: r.uncovered,
        coverage: percent(lang, r.coverage_rate),
        passed: r.passed,
        to_recheck: r.to_recheck,
        failed: r.failed,
        blocked: r.blocked,
        not_run: r.not_run,
        passed_rate: percent(lang, r.passed_rate),
    }
}

fn severity_label(code: &str, lang: Lang) -> String {
    Severity::from_code(code)
        .map(|s| s.label(lang).to_string())
        .unwrap_or_else(|| {
            if code.is_empty() {
                lang.pick("Critère", "Criterion").to_string()
            } else {
                code.to_string()
            }
        })
}

impl View {
    /// Builds the view of an evaluation in a language.
    pub fn build(
        eval: &Evaluation,
        lang: Lang,
        issued_on: Option<&str>,
        signoff: Option<&PvSignOff>,
    ) -> View {
        let t = |k: &'static str| label(lang, k).to_string();
        let c = &eval.campaign;
        let ind = &eval.indicators;
        let sum = &eval.trace.summary;
        let opt_date = |d: &Option<String>| {
            d.as_deref()
                .map(|x| fmt_date(lang, x, false))
                .unwrap_or_default()
        };

        let campaign = CampaignView {
            reference: c.reference.clone(),
            title: c.title.clone(),
            phase: c.phase.label(lang).to_string(),
            start: opt_date(&c.start_date),
            end: opt_date(&c.end_date),
            strategy: eval.strategy.reference.clone(),
            strategy_title: eval.strategy.title.clone(),
            default_strategy: eval.default_strategy,
        };
        let delivery = eval.delivery.as_ref().map(|d| DeliveryView {
            reference: d.reference.clone(),
            version: d.version.clone(),
            vendor: d.vendor.clone(),
            lot: d.lot.clone(),
            planned: opt_date(&d.planned_date),
            delivered: opt_date(&d.delivered_date),
            notes: d.notes.clone(),
        });

        let open_anomalies = eval.anomalies.iter().filter(|a| a.status.is_open()).count();
        // A card takes the colour of the exit criteria on its indicators: a blocking one unmet
        // is red, a non-blocking one unmet amber, all met green; no criterion: neutral.
        let tone_of = |matches: &dyn Fn(&str) -> bool| -> &'static str {
            let on: Vec<_> = eval
                .verdict
                .criteria
                .iter()
                .filter(|r| matches(&r.criterion.indicator))
                .collect();
            if on.iter().any(|r| !r.met && r.criterion.blocking) {
                "ko"
            } else if on.iter().any(|r| !r.met) {
                "warn"
            } else if on.is_empty() {
                "neutral"
            } else {
                "ok"
            }
        };
        let crit = sum.by_criticality.get(Criticality::Critique.code());
        let kpis = vec![
            Kpi {
                label: t("execution_rate"),
                value: percent(lang, ind.execution_rate),
                detail: format!(
                    "{} / {} {}",
                    ind.executed,
                    ind.planned,
                    t("planned").to_lowercase()
                ),
                tone: tone_of(&|i| i == "execution_rate"),
            },
            Kpi {
                label: t("pass_rate"),
                value: percent(lang, ind.pass_rate),
                detail: format!(
                    "{} / {} {}",
                    ind.count(ExecStatus::Passed),
                    ind.executed,
                    t("executed").to_lowercase()
                ),
                tone: tone_of(&|i| i == "pass_rate"),
            },
            Kpi {
                label: t("coverage_rate"),
                value: percent(lang, sum.coverage_rate),
                detail: format!(
                    "{} / {} {}",
                    sum.covered,
                    sum.requirements,
                    t("requirements").to_lowercase()
                ),
                tone: tone_of(&|i| {
                    i == "coverage_rate"
                        || i.starts_with("uncovered")
                        || i.starts_with("coverage_rate_")
                }),
            },
            Kpi {
                label: format!(
                    "{} — {}",
                    t("passed_rate"),
                    Criticality::Critique.label(lang).to_lowercase()
                ),
                value: percent(lang, crit.and_then(|r| r.passed_rate)),
                detail: format!(
                    "{} / {}",
                    crit.map(|r| r.passed).unwrap_or(0),
                    crit.map(|r| r.requirements).unwrap_or(0)
                ),
                tone: tone_of(&|i| i == "passed_rate_critique"),
            },
            Kpi {
                label: t("open_anomalies"),
                value: open_anomalies.to_string(),
                detail: Severity::ALL
                    .iter()
                    .map(|s| {
                        format!(
                            "{} {}",
                            eval.anomalies
                                .iter()
                                .filter(|a| a.status.is_open() && a.severity == *s)
                                .count(),
                            s.label(lang).to_lowercase()
                        )
                    })
                    .collect::<Vec<_>>()
                    .join(" · "),
                tone: tone_of(&|i| i == "open_anomalies" || i.starts_with("open_")),
            },
        ];

        let status_rows: Vec<StatusRow> = ExecStatus::ALL
            .iter()
            .map(|s| StatusRow {
                code: s.code(),
                label: status_symbol_label(*s, lang).to_string(),
                count: ind.count(*s),
                share: percent(
                    lang,
                    (ind.tests > 0).then(|| ind.count(*s) as f64 / ind.tests as f64),
                ),
            })
            .collect();
        let criticality_rows: Vec<RollupRow> = Criticality::ALL
            .iter()
            .map(|k| {
                rollup_row(
                    k.label(lang).to_string(),
                    &sum.by_criticality
                        .get(k.code())
                        .cloned()
                        .unwrap_or_default(),
                    lang,
                )
            })
            .collect();
        let total = crate::trace::Rollup {
            requirements: sum.requirements,
            covered: sum.covered,
            uncovered: sum.uncovered,
            passed: sum.by_status.get("passed").copied().unwrap_or(0),
            to_recheck: sum.by_status.get("to_recheck").copied().unwrap_or(0),
            failed: sum.by_status.get("failed").copied().unwrap_or(0),
            blocked: sum.by_status.get("blocked").copied().unwrap_or(0),
            not_run: sum.by_status.get("not_run").copied().unwrap_or(0),
            coverage_rate: sum.coverage_rate,
            passed_rate: sum.passed_rate,
        };
        let total_row = rollup_row(t("total"), &total, lang);
        let category_rows = sum
            .by_category
            .iter()
            .map(|(k, r)| {
                rollup_row(
                    if k.is_empty() {
                        "—".to_string()
                    } else {
                        k.clone()
                    },
                    r,
                    lang,
                )
            })
            .collect();
        let anomaly_rows: Vec<AnomalyRow> = Severity::ALL
            .iter()
            .map(|s| AnomalyRow {
                label: s.label(lang).to_string(),
                open: eval
                    .anomalies
                    .iter()
                    .filter(|a| a.status.is_open() && a.severity == *s)
                    .count(),
                total: eval.anomalies.iter().filter(|a| a.severity == *s).count(),
            })
            .collect();
        let anomaly_total = AnomalyRow {
            label: t("total"),
            open: open_anomalies,
            total: eval.anomalies.len(),
        };
        let anomaly_status_rows = AnomalyStatus::ALL
            .iter()
            .map(|s| CountRow {
                label: s.label(lang).to_string(),
                count: eval.anomalies.iter().filter(|a| a.status == *s).count(),
            })
            .filter(|r| r.count > 0)
            .collect();
        let anomalies: Vec<AnomalyView> = eval
            .anomalies
            .iter()
            .map(|a| anomaly_view(a, lang))
            .collect();

        // Charts.
        let donut_items: Vec<(String, String, usize)> = ExecStatus::ALL
            .iter()
            .map(|s| {
                (
                    s.code().to_string(),
                    s.label(lang).to_string(),
                    ind.count(*s),
                )
            })
            .collect();
        let cov_rows: Vec<(String, Option<f64>, Option<f64>, usize)> = Criticality::ALL
            .iter()
            .map(|k| {
                let r = sum
                    .by_criticality
                    .get(k.code())
                    .cloned()
                    .unwrap_or_default();
                (
                    k.label(lang).to_string(),
                    r.coverage_rate,
                    r.passed_rate,
                    r.requirements,
                )
            })
            .collect();
        let charts = Charts {
            status: charts::donut(
                &donut_items,
                &percent(lang, ind.execution_rate),
                label(lang, "tests_by_status"),
                lang,
            ),
            coverage: charts::coverage_bars(
                &cov_rows,
                label(lang, "coverage_by_criticality"),
                lang,
            ),
            timeline: charts::timeline(
                &eval_timeline(eval),
                label(lang, "executions_over_time"),
                lang,
            ),
        };

        let criteria = eval
            .verdict
            .criteria
            .iter()
            .map(|r| CriterionView {
                name: criterion_name(&r.criterion, lang),
                rule: r.criterion.rule(),
                indicator: indicator_label(&r.criterion.indicator, lang),
                measured: format_measure(&r.criterion.indicator, r.measured, lang),
                threshold: format_threshold(&r.criterion, lang),
                blocking: r.criterion.blocking,
                blocking_label: if r.criterion.blocking {
                    t("yes")
                } else {
                    t("no")
                },
                met: r.met,
                result: if r.met { t("met") } else { t("unmet") },
            })
            .collect();
        let decision = DecisionView {
            code: eval.verdict.decision.code(),
            label: eval.verdict.decision.label(lang).to_string(),
            reasons: eval
                .verdict
                .reasons
                .iter()
                .map(|r| r.get(lang).to_string())
                .collect(),
            previous_ajournements: eval.verdict.previous_ajournements,
            max_ajournements: eval.verdict.max_ajournements,
        };
        let reservations: Vec<ReservationView> = match signoff {
            Some(s) => s
                .reservations
                .iter()
                .map(|r| ReservationView {
                    reference: r.reference.clone(),
                    description: r.description.clone(),
                    severity: severity_label(&r.severity, lang),
                    deadline: fmt_date(lang, &r.deadline, false),
                    lifted: r
                        .lifted_at
                        .as_deref()
                        .map(|d| fmt_date(lang, d, false))
                        .unwrap_or_default(),
                })
                .collect(),
            None => eval
                .verdict
                .reservations
                .iter()
                .map(|r| ReservationView {
                    reference: r.anomaly.clone().unwrap_or_default(),
                    description: without_ref(r.description.get(lang), r.anomaly.as_deref()),
                    severity: severity_label(&r.severity, lang),
                    deadline: fmt_date(lang, &r.deadline, false),
                    lifted: String::new(),
                })
                .collect(),
        };

        let trace_row = |r: &crate::trace::RequirementTrace| TraceRow {
            reference: r.reference.clone(),
            title: r.title.clone(),
            criticality: r.criticality.label(lang),
            category: r.category.clone(),
            covered: r.coverage == Coverage::Covered,
            coverage: if r.coverage == Coverage::Covered {
                lang.pick("Couverte", "Covered")
            } else {
                lang.pick("Non couverte", "Uncovered")
            },
            status: r.status.code(),
            status_label: r.status.label(lang),
            suspect: r.suspect,
            tests: r
                .tests
                .iter()
                .map(|x| TestBadge {
                    reference: x.reference.clone(),
                    status: x.status.code(),
                    label: x.status.label(lang),
                    suspect: x.suspect,
                    modified: x.modified_since_run,
                    name: x.name.clone(),
                })
                .collect(),
        };
        let trace_rows: Vec<TraceRow> = eval.trace.requirements.iter().map(trace_row).collect();
        let uncovered = eval
            .trace
            .requirements
            .iter()
            .filter(|r| r.status == ReqTraceStatus::Uncovered)
            .map(trace_row)
            .collect();
        let suspect_links = eval
            .trace
            .requirements
            .iter()
            .flat_map(|r| {
                r.tests
                    .iter()
                    .filter(|x| x.suspect)
                    .map(move |x| SuspectLink {
                        requirement: r.reference.clone(),
                        title: r.title.clone(),
                        test: x.reference.clone(),
                        link_revision: x.link_revision,
                        revision: r.revision,
                    })
            })
            .collect();
        let by_ref: BTreeMap<&str, &crate::entities::Anomaly> = eval
            .anomalies
            .iter()
            .map(|a| (a.reference.as_str(), a))
            .collect();
        let failed_tests = eval
            .tests
            .iter()
            .filter(|x| matches!(x.status, ExecStatus::Failed | ExecStatus::Blocked))
            .map(|x| FailedTest {
                reference: x.reference.clone(),
                dataset: x.dataset.clone().unwrap_or_default(),
                values: crate::params::format_assignments(&x.parameters),
                assignee: x.assignee.clone(),
                title: x.title.clone(),
                status: x.status.code(),
                status_label: x.status.label(lang),
                tester: x.tester.clone().unwrap_or_default(),
                executed_at: x
                    .executed_at
                    .as_deref()
                    .map(|d| fmt_date(lang, d, true))
                    .unwrap_or_default(),
                attempts: x.attempts,
                anomalies: x
                    .anomalies
                    .iter()
                    .map(|a| match by_ref.get(a.as_str()) {
                        Some(an) => anomaly_view(an, lang),
                        None => AnomalyView {
                            reference: a.clone(),
                            title: String::new(),
                            severity: "",
                            severity_code: "",
                            status: "",
                            open: false,
                            found_in: String::new(),
                            fixed_in: String::new(),
                        },
                    })
                    .collect(),
            })
            .collect();

        let tester_rows = ind
            .by_tester
            .iter()
            .map(|p| TesterRow {
                assignee: if p.assignee.is_empty() {
                    lang.pick("(non attribués)", "(unassigned)").to_string()
                } else {
                    p.assignee.clone()
                },
                planned: p.planned,
                executed: p.executed,
                passed: p.passed,
                failed: p.failed,
                blocked: p.blocked,
                remaining: p.remaining,
                progress: percent(
                    lang,
                    (p.planned > 0).then(|| p.executed as f64 / p.planned as f64),
                ),
            })
            .collect();
        let modified_tests = eval
            .tests
            .iter()
            .filter(|x| x.modified_since_run)
            .map(|x| ModifiedTest {
                reference: x.reference.clone(),
                dataset: x.dataset.clone().unwrap_or_default(),
                title: x.title.clone(),
                executed_version: x.executed_version.unwrap_or(1),
                version: x.test_version,
                status: x.status.code(),
                status_label: x.status.label(lang),
            })
            .collect();

        let signoff_view = signoff.map(|s| SignOffView {
            number: s.number,
            decision: s.decision.label(lang).to_string(),
            decision_code: s.decision.code(),
            signed_at: fmt_date(lang, &s.signed_at, false),
            signatories: s.signatories.clone(),
            place: s.place.clone(),
            supersedes: s.supersedes.as_ref().map(|p| PvSuperseded {
                number: p.number,
                signed_at: fmt_date(lang, &p.signed_at, false),
                reason: p.reason.clone(),
            }),
            sealed_in: s.sealed_in.clone(),
        });
        let vendor = eval
            .vendor
            .clone()
            .or_else(|| eval.delivery.as_ref().map(|d| d.vendor.clone()))
            .unwrap_or_default();
        let buyer = eval.buyer.clone().unwrap_or_default();
        let parties = [
            (crate::signoff::Party::Buyer, "buyer", &buyer),
            (crate::signoff::Party::Vendor, "vendor", &vendor),
        ]
        .into_iter()
        .map(|(party, code, org)| {
            let named: Vec<SignatureBlock> = signoff
                .map(|s| {
                    s.signers
                        .iter()
                        .filter(|x| x.party == party)
                        .map(|x| SignatureBlock {
                            name: x.name.clone(),
                            function: x.function.clone(),
                            organisation: x.organisation.clone(),
                        })
                        .collect()
                })
                .unwrap_or_default();
            PartyBlocks {
                code,
                heading: party.heading(lang).to_string(),
                named: !named.is_empty(),
                blocks: if named.is_empty() {
                    vec![SignatureBlock {
                        name: String::new(),
                        function: String::new(),
                        organisation: org.clone(),
                    }]
                } else {
                    named
                },
            }
        })
        .collect();
        let pv_decision = match signoff {
            Some(s) => DecisionView {
                code: s.decision.code(),
                label: s.decision.label(lang).to_string(),
                // The tool's reasons still hold when the signatories followed its proposal.
                reasons: if s.decision == eval.verdict.decision {
                    decision.reasons.clone()
                } else {
                    Vec::new()
                },
                previous_ajournements: eval.verdict.previous_ajournements,
                max_ajournements: eval.verdict.max_ajournements,
            },
            None => DecisionView {
                code: decision.code,
                label: decision.label.clone(),
                reasons: decision.reasons.clone(),
                previous_ajournements: decision.previous_ajournements,
                max_ajournements: decision.max_ajournements,
            },
        };
        let decisions = Decision::ALL
            .iter()
            .map(|d| DecisionChoice {
                code: d.code(),
                label: d.label(lang).to_string(),
                chosen: d.code() == pv_decision.code,
            })
            .collect();

        let start_override = if eval.campaign.start_forced {
            let unmet: Vec<String> =
                serde_json::from_value::<Vec<crate::verdict::CriterionResult>>(
                    eval.campaign.start_checks.clone(),
                )
                .unwrap_or_default()
                .iter()
                .filter(|r| !r.met)
                .map(|r| {
                    format!(
                        "{} ({})",
                        crate::verdict::criterion_name(&r.criterion, lang),
                        crate::verdict::format_measure(&r.criterion.indicator, r.measured, lang)
                    )
                })
                .collect();
            format!(
                "{} {} {} {}",
                lang.pick("Campagne démarrée le", "Campaign started on"),
                eval.campaign
                    .started_at
                    .as_deref()
                    .and_then(|d| d.get(..10))
                    .unwrap_or(""),
                lang.pick(
                    "en dérogation aux critères d'entrée non remplis :",
                    "overriding its unmet entry criteria:"
                ),
                unmet.join(" ; ")
            )
        } else {
            String::new()
        };
        View {
            start_override,
            lang: lang.code(),
            t: labels(lang),
            project: eval.project.clone(),
            contract: eval.contract.clone().unwrap_or_default(),
            contract_title: eval.contract_title.clone().unwrap_or_default(),
            buyer,
            buyer_service: eval.buyer_service.clone().unwrap_or_default(),
            vendor,
            issued_on: issued_on
                .map(|d| fmt_date(lang, d, false))
                .unwrap_or_default(),
            campaign,
            delivery,
            kpis,
            tests_total: ind.tests,
            status_rows,
            criticality_rows,
            total_row,
            category_rows,
            anomaly_rows,
            anomaly_total,
            anomaly_status_rows,
            anomalies,
            charts,
            timeline: eval_timeline(eval),
            criteria,
            decision,
            reservations,
            trace_rows,
            failed_tests,
            tester_rows,
            modified_tests,
            uncovered,
            suspect_links,
            signoff: signoff_view,
            pv_article: ccag_article(
                signoff.map(|s| s.decision).unwrap_or(eval.verdict.decision),
                lang,
            )
            .to_string(),
            pv_decision,
            decisions,
            parties,
            place: signoff
                .map(|s| s.place.clone())
                .filter(|p| !p.is_empty())
                .or_else(|| eval.signature_place.clone())
                .unwrap_or_default(),
            signing_date: signoff
                .map(|s| fmt_date(lang, &s.signed_at, false))
                .unwrap_or_default(),
            based_on: Vec::new(),
        }
    }
}

/// A reservation's text without the anomaly reference the table shows in its own column
/// ("FA-003 — Titre" → "Titre").
fn without_ref(text: &str, anomaly: Option<&str>) -> String {
    match anomaly {
        Some(a) => text
            .strip_prefix(a)
            .and_then(|t| t.strip_prefix(" — "))
            .unwrap_or(text)
            .to_string(),
        None => text.to_string(),
    }
}

/// Executions per day (every attempt, retests included).
fn eval_timeline(eval: &Evaluation) -> BTreeMap<String, BTreeMap<String, usize>> {
    eval.timeline.clone()
}
