//! Exit criteria, measured indicators and the proposed decision.
//!
//! A [`Strategy`] holds exit criteria: rules such as `open_bloquante = 0` over the indicators
//! below, each blocking or not. [`measure`] computes the indicators of a campaign and [`decide`]
//! evaluates the criteria and proposes a decision (the tool proposes, people decide and sign):
//!
//! - nothing could be executed (no test executed) → **rejet**;
//! - a blocking criterion unmet → **ajournement**, or **rejet** when the allowed number of
//!   ajournements (`max_ajournements`, signed-off ajournements of the same phase for the same
//!   delivery or a delivery of the same lot) is already reached;
//! - every blocking criterion met, but open anomalies or unmet non-blocking criteria →
//!   **admission avec réserves**, one reservation per open anomaly and per unmet non-blocking
//!   criterion, each due `reserve_days` after the signing date (today until signed);
//! - every criterion met and no open anomaly → **admission**.
//!
//! Réfaction is never proposed: the buyer records it at sign-off.
//!
//! # Indicators
//!
//! Rates are percentages (0–100); counts are numbers. Requirement indicators are computed over
//! the campaign (a linked test not in the campaign counts as not run); anomaly indicators over the
//! campaign's anomalies (recorded on its executions or found in its delivery).
//!
//! | name | meaning |
//! |---|---|
//! | `execution_rate` | executed (passed + failed + blocked) / planned (N/A excluded), % |
//! | `pass_rate` | passed / executed, % |
//! | `tests`, `planned_tests`, `executed_tests` | test counts |
//! | `passed_tests`, `failed_tests`, `blocked_tests`, `not_run_tests` | tests by latest status (`not_run` includes in progress) |
//! | `retests` | tests run more than once |
//! | `requirements` | active requirements |
//! | `coverage_rate`, `coverage_rate_<crit>` | covered / active requirements, % |
//! | `passed_rate`, `passed_rate_<crit>` | requirements passed / active requirements, % |
//! | `uncovered`, `uncovered_<crit>` | uncovered requirements |
//! | `failed_requirements`, `failed_<crit>` | requirements failed |
//! | `blocked_requirements`, `not_run_requirements` | requirements blocked / not run |
//! | `to_recheck_requirements` | requirements passed only through suspect links (à revérifier) |
//! | `open_anomalies`, `open_<severity>` | open anomalies |
//! | `anomalies` | all anomalies of the campaign |
//! | `suspect_links` | suspect requirement–test links |
//!
//! `<crit>` is `critique`, `majeure` or `mineure` (also `critical`, `major`, `minor`);
//! `<severity>` is `bloquante`, `majeure` or `mineure` (also `blocking`, `major`, `minor`).
//! `critical_passed_rate` is accepted for `passed_rate_critique` (and so on for each criticality
//! and `coverage_rate`). A requirement rate over an empty group is 100 % (every one of zero
//! requirements passed); a test rate with nothing planned or executed cannot be measured and its
//! criterion is unmet.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::entities::Anomaly;
use crate::error::{Error, Result};
use crate::i18n::Lang;
use crate::indicators::CampaignIndicators;
use crate::model::{Criticality, Decision, ExecStatus, Phase, Severity};
use crate::trace::{ReqTraceStatus, TraceSummary};

/// A text in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Text {
    pub fr: String,
    pub en: String,
}

impl Text {
    /// A text in French and English.
    pub fn new(fr: impl Into<String>, en: impl Into<String>) -> Text {
        Text {
            fr: fr.into(),
            en: en.into(),
        }
    }
    /// The text in a language.
    pub fn get(&self, lang: Lang) -> &str {
        lang.pick(&self.fr, &self.en)
    }
}

/// Comparison operator of a criterion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Operator {
    #[serde(rename = "<")]
    Lt,
    #[serde(rename = "<=")]
    Le,
    #[serde(rename = "=")]
    Eq,
    #[serde(rename = ">=")]
    Ge,
    #[serde(rename = ">")]
    Gt,
}

impl Operator {
    /// The symbol as stored.
    pub fn code(self) -> &'static str {
        match self {
            Operator::Lt => "<",
            Operator::Le => "<=",
            Operator::Eq => "=",
            Operator::Ge => ">=",
            Operator::Gt => ">",
        }
    }

    /// The symbol as shown in reports.
    pub fn symbol(self) -> &'static str {
        match self {
            Operator::Lt => "<",
            Operator::Le => "≤",
            Operator::Eq => "=",
            Operator::Ge => "≥",
            Operator::Gt => ">",
        }
    }

    /// Parses a stored or typed operator.
    pub fn parse(s: &str) -> Option<Operator> {
        match s.trim() {
            "<" => Some(Operator::Lt),
            "<=" | "≤" | "=<" => Some(Operator::Le),
            "=" | "==" => Some(Operator::Eq),
            ">=" | "≥" | "=>" => Some(Operator::Ge),
            ">" => Some(Operator::Gt),
            _ => None,
        }
    }

    /// Whether `value op threshold` holds (equality with a small tolerance).
    pub fn holds(self, value: f64, threshold: f64) -> bool {
        const EPS: f64 = 1e-9;
        match self {
            Operator::Lt => value < threshold - EPS,
            Operator::Le => value <= threshold + EPS,
            Operator::Eq => (value - threshold).abs() <= EPS,
            Operator::Ge => value >= threshold - EPS,
            Operator::Gt => value > threshold + EPS,
        }
    }
}

/// Whether an indicator is a percentage.
pub fn is_rate(indicator: &str) -> bool {
    indicator.contains("_rate")
}

/// The canonical name of an indicator, or `None` when unknown (see the module table).
pub fn canonical_indicator(name: &str) -> Option<String> {
    let n = name.trim().to_lowercase().replace(['-', ' '], "_");
    const PLAIN: &[&str] = &[
        "execution_rate",
        "pass_rate",
        "tests",
        "planned_tests",
        "executed_tests",
        "passed_tests",
        "failed_tests",
        "blocked_tests",
        "not_run_tests",
        "retests",
        "requirements",
        "coverage_rate",
        "passed_rate",
        "uncovered",
        "failed_requirements",
        "blocked_requirements",
        "not_run_requirements",
        "to_recheck_requirements",
        "open_anomalies",
        "anomalies",
        "suspect_links",
    ];
    if PLAIN.contains(&n.as_str()) {
        return Some(n);
    }
    let crit = |w: &str| Criticality::parse(w).ok().map(|c| c.code());
    for prefix in ["coverage_rate_", "passed_rate_", "uncovered_", "failed_"] {
        if let Some(w) = n.strip_prefix(prefix) {
            return crit(w).map(|c| format!("{prefix}{c}"));
        }
    }
    for suffix in ["_passed_rate", "_coverage_rate"] {
        if let Some(w) = n.strip_suffix(suffix) {
            return crit(w).map(|c| format!("{}_{c}", &suffix[1..]));
        }
    }
    if let Some(w) = n.strip_prefix("open_") {
        return Severity::parse(w)
            .ok()
            .map(|s| format!("open_{}", s.code()));
    }
    None
}

/// The canonical name of an entry-criterion indicator, or `None` when unknown. Entry
/// indicators are measured when a campaign starts (`Store::entry_measures`):
///
/// | name | meaning |
/// |---|---|
/// | `documents_not_accepted` | documents expected with the campaign's delivery not accepted yet |
/// | `smoke_passed_rate` | smoke tests (tagged with the strategy's `smoke_tag`) whose latest result on the delivery passed, % (100 with no smoke test) |
/// | `smoke_not_passed` | smoke tests whose latest result on the delivery is not passed (or that have none) |
/// | `carried_open_anomalies`, `carried_open_<severity>` | open anomalies found before this delivery (carried over) |
pub fn canonical_entry_indicator(name: &str) -> Option<String> {
    let n = name.trim().to_lowercase().replace(['-', ' '], "_");
    const PLAIN: &[&str] = &[
        "documents_not_accepted",
        "smoke_passed_rate",
        "smoke_not_passed",
        "carried_open_anomalies",
    ];
    if PLAIN.contains(&n.as_str()) {
        return Some(n);
    }
    let w = n.strip_prefix("carried_open_")?;
    Severity::parse(w)
        .ok()
        .map(|s| format!("carried_open_{}", s.code()))
}

/// A documented label for an indicator in a language.
pub fn indicator_label(indicator: &str, lang: Lang) -> String {
    let crit = |w: &str| {
        Criticality::from_code(w)
            .map(|c| c.label(lang).to_lowercase())
            .unwrap_or_default()
    };
    let sev = |w: &str| {
        Severity::from_code(w)
            .map(|c| c.label(lang).to_lowercase())
            .unwrap_or_default()
    };
    let t = |fr: &str, en: &str| lang.pick(fr, en).to_string();
    match indicator {
        "execution_rate" => t("Taux d'exécution", "Execution rate"),
        "pass_rate" => t("Taux de réussite", "Pass rate"),
        "tests" => t("Cas de test de la campagne", "Tests in the campaign"),
        "planned_tests" => t("Cas de test prévus", "Planned tests"),
        "executed_tests" => t("Cas de test exécutés", "Executed tests"),
        "passed_tests" => t("Cas de test conformes", "Passed tests"),
        "failed_tests" => t("Cas de test non conformes", "Failed tests"),
        "blocked_tests" => t("Cas de test bloqués", "Blocked tests"),
        "not_run_tests" => t("Cas de test non passés", "Tests not run"),
        "retests" => t("Cas de test rejoués", "Retested tests"),
        "requirements" => t("Exigences actives", "Active requirements"),
        "coverage_rate" => t("Couverture des exigences", "Requirement coverage"),
        "passed_rate" => t("Exigences conformes", "Requirements passed"),
        "uncovered" => t("Exigences non couvertes", "Uncovered requirements"),
        "failed_requirements" => t("Exigences non conformes", "Failed requirements"),
        "blocked_requirements" => t("Exigences bloquées", "Blocked requirements"),
        "not_run_requirements" => t("Exigences non vérifiées", "Requirements not run"),
        "to_recheck_requirements" => t(
            "Exigences à revérifier (liens suspects)",
            "Requirements to recheck (suspect links)",
        ),
        "open_anomalies" => t("Anomalies ouvertes", "Open anomalies"),
        "anomalies" => t("Anomalies", "Anomalies"),
        "suspect_links" => t("Liens suspects", "Suspect links"),
        "documents_not_accepted" => t(
            "Documents de la livraison non acceptés",
            "Delivery documents not accepted",
        ),
        "smoke_passed_rate" => t("Tests de fumée conformes", "Smoke tests passed"),
        "smoke_not_passed" => t("Tests de fumée non conformes", "Smoke tests not passed"),
        "carried_open_anomalies" => t(
            "Anomalies ouvertes reportées",
            "Open anomalies carried over",
        ),
        other => {
            if let Some(s) = other.strip_prefix("carried_open_") {
                return format!(
                    "{} {}",
                    t(
                        "Anomalies ouvertes reportées —",
                        "Open anomalies carried over —"
                    ),
                    sev(s)
                );
            }
            if let Some(c) = other.strip_prefix("coverage_rate_") {
                format!(
                    "{} {}",
                    t("Couverture des exigences —", "Requirement coverage —"),
                    crit(c)
                )
            } else if let Some(c) = other.strip_prefix("passed_rate_") {
                format!(
                    "{} {}",
                    t("Exigences conformes —", "Requirements passed —"),
                    crit(c)
                )
            } else if let Some(c) = other.strip_prefix("uncovered_") {
                format!(
                    "{} {}",
                    t("Exigences non couvertes —", "Uncovered requirements —"),
                    crit(c)
                )
            } else if let Some(c) = other.strip_prefix("failed_") {
                format!(
                    "{} {}",
                    t("Exigences non conformes —", "Failed requirements —"),
                    crit(c)
                )
            } else if let Some(s) = other.strip_prefix("open_") {
                format!(
                    "{} {}",
                    t("Anomalies ouvertes —", "Open anomalies —"),
                    sev(s)
                )
            } else {
                other.to_string()
            }
        }
    }
}

/// An exit criterion.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Criterion {
    /// Canonical indicator name.
    pub indicator: String,
    pub operator: Operator,
    /// Threshold; a percentage for rates.
    pub threshold: f64,
    /// An unmet blocking criterion prevents admission.
    pub blocking: bool,
    /// Free label shown in reports (the rule is shown when empty).
    pub label: String,
}

impl Criterion {
    /// Parses a rule such as `open_bloquante = 0`, `execution_rate >= 95 %`,
    /// `critical_passed_rate = 100`.
    pub fn parse(rule: &str, blocking: bool, label: &str) -> Result<Criterion> {
        Self::parse_with(rule, blocking, label, canonical_indicator)
    }

    /// Parses an entry criterion (over [`canonical_entry_indicator`] names), e.g.
    /// `documents_not_accepted = 0`, `smoke_passed_rate = 100`, `carried_open_bloquante = 0`.
    pub fn parse_entry(rule: &str, blocking: bool, label: &str) -> Result<Criterion> {
        Self::parse_with(rule, blocking, label, canonical_entry_indicator)
    }

    fn parse_with(
        rule: &str,
        blocking: bool,
        label: &str,
        canonical: fn(&str) -> Option<String>,
    ) -> Result<Criterion> {
        let bad = |why_fr: &str, why_en: &str| {
            Error::input(
                format!("règle « {rule} » : {why_fr} (exemple : « open_bloquante = 0 », « execution_rate >= 95 »)"),
                format!("rule \"{rule}\": {why_en} (example: \"open_bloquante = 0\", \"execution_rate >= 95\")"),
            )
        };
        let pos = rule
            .find(['<', '>', '=', '≤', '≥'])
            .ok_or_else(|| bad("opérateur manquant", "missing operator"))?;
        let (name, rest) = rule.split_at(pos);
        let op_len: usize = rest
            .char_indices()
            .take_while(|(_, c)| matches!(c, '<' | '>' | '=' | '≤' | '≥'))
            .map(|(_, c)| c.len_utf8())
            .sum();
        let (op, value) = rest.split_at(op_len);
        let operator =
            Operator::parse(op).ok_or_else(|| bad("opérateur inconnu", "unknown operator"))?;
        let indicator = canonical(name).ok_or_else(|| {
            Error::input(
                format!(
                    "règle « {rule} » : indicateur inconnu « {} » ; voir la liste des indicateurs (recette strategy --help)",
                    name.trim()
                ),
                format!(
                    "rule \"{rule}\": unknown indicator \"{}\"; see the list of indicators (recette strategy --help)",
                    name.trim()
                ),
            )
        })?;
        let number = value
            .trim()
            .trim_end_matches('%')
            .trim()
            .replace(',', ".")
            .replace(['\u{a0}', ' '], "");
        let threshold: f64 = number
            .parse()
            .ok()
            .filter(|v: &f64| v.is_finite())
            .ok_or_else(|| bad("seuil numérique attendu", "numeric threshold expected"))?;
        Ok(Criterion {
            indicator,
            operator,
            threshold,
            blocking,
            label: label.trim().to_string(),
        })
    }

    /// The rule as text, e.g. `open_bloquante = 0`.
    pub fn rule(&self) -> String {
        format!(
            "{} {} {}",
            self.indicator,
            self.operator.code(),
            format_number(self.threshold)
        )
    }
}

/// A number without useless decimals (`95`, `99.5`).
pub fn format_number(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        format!("{}", v.round() as i64)
    } else {
        let s = format!("{v:.2}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// A test strategy: phase, limits and exit criteria.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Strategy {
    #[serde(rename = "ref")]
    pub reference: String,
    pub title: String,
    pub phase: Phase,
    pub scope: String,
    /// Ajournements allowed before a blocking failure proposes rejet.
    pub max_ajournements: i64,
    /// Days given to lift a reservation.
    pub reserve_days: i64,
    pub criteria: Vec<Criterion>,
    /// Entry criteria, checked by `recette campaign start` (see [`canonical_entry_indicator`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub entry_criteria: Vec<Criterion>,
    /// Tag of the smoke tests the entry indicators `smoke_*` look at.
    #[serde(
        default = "default_smoke_tag",
        skip_serializing_if = "is_default_smoke_tag"
    )]
    pub smoke_tag: String,
}

/// The default tag of smoke tests.
pub const DEFAULT_SMOKE_TAG: &str = "smoke";

fn default_smoke_tag() -> String {
    DEFAULT_SMOKE_TAG.to_string()
}

fn is_default_smoke_tag(t: &str) -> bool {
    t == DEFAULT_SMOKE_TAG
}

/// Measures the entry criteria against entry indicators; an indicator that cannot be measured
/// leaves its criterion unmet.
pub fn check_entry(
    criteria: &[Criterion],
    measures: &BTreeMap<String, Option<f64>>,
) -> Vec<CriterionResult> {
    criteria
        .iter()
        .map(|c| {
            let measured = measures.get(&c.indicator).copied().flatten();
            CriterionResult {
                criterion: c.clone(),
                measured,
                met: measured.is_some_and(|v| c.operator.holds(v, c.threshold)),
            }
        })
        .collect()
}

/// Whether the entry criteria prevent a start: a blocking one is unmet.
pub fn entry_blocked(results: &[CriterionResult]) -> bool {
    results.iter().any(|r| !r.met && r.criterion.blocking)
}

/// Reference of the built-in default strategy.
pub const DEFAULT_STRATEGY: &str = "DEFAUT";

impl Strategy {
    /// The strategy used by campaigns without one: no open bloquante, at most 2 open majeures,
    /// every critical requirement passed, execution rate ≥ 95 %, no uncovered critical
    /// requirement — all blocking; 2 ajournements allowed; reservations due in 30 days.
    pub fn default_strategy() -> Strategy {
        let c = |rule: &str, fr: &str| Criterion::parse(rule, true, fr);
        let criteria = [
            c("open_bloquante = 0", "Aucune anomalie bloquante ouverte"),
            c("open_majeure <= 2", "Au plus 2 anomalies majeures ouvertes"),
            c(
                "passed_rate_critique = 100",
                "Toutes les exigences critiques conformes",
            ),
            c("execution_rate >= 95", "Taux d'exécution d'au moins 95 %"),
            c(
                "uncovered_critique = 0",
                "Toutes les exigences critiques couvertes",
            ),
        ]
        .into_iter()
        .filter_map(Result::ok)
        .collect();
        Strategy {
            reference: DEFAULT_STRATEGY.into(),
            title: "Stratégie par défaut".into(),
            phase: Phase::Vabf,
            scope: String::new(),
            max_ajournements: 2,
            reserve_days: 30,
            criteria,
            entry_criteria: Vec::new(),
            smoke_tag: default_smoke_tag(),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct StrategyFile {
    #[serde(rename = "ref")]
    reference: String,
    #[serde(default)]
    title: String,
    #[serde(default = "default_phase")]
    phase: String,
    #[serde(default)]
    scope: String,
    #[serde(default = "default_max")]
    max_ajournements: i64,
    #[serde(default = "default_days")]
    reserve_days: i64,
    #[serde(default)]
    criteria: Vec<CriterionFile>,
    #[serde(default)]
    entry_criteria: Vec<CriterionFile>,
    #[serde(default = "default_smoke_tag")]
    smoke_tag: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CriterionFile {
    rule: String,
    #[serde(default = "yes")]
    blocking: bool,
    #[serde(default)]
    label: String,
}

fn default_phase() -> String {
    "vabf".into()
}
fn default_max() -> i64 {
    2
}
fn default_days() -> i64 {
    30
}
fn yes() -> bool {
    true
}

impl Strategy {
    /// Reads a strategy from TOML text (`origin` names the file in messages):
    ///
    /// ```toml
    /// ref = "STRAT-VABF"
    /// title = "Stratégie de recette VABF"
    /// phase = "vabf"
    /// max_ajournements = 2
    /// reserve_days = 30
    /// [[criteria]]
    /// rule = "open_bloquante = 0"
    /// label = "Aucune anomalie bloquante ouverte"
    /// blocking = true   # default
    /// smoke_tag = "smoke"   # default: the tag of the smoke tests
    /// [[entry_criteria]]
    /// rule = "documents_not_accepted = 0"
    /// label = "Documents de la livraison acceptés"
    /// ```
    pub fn from_toml(text: &str, origin: &str) -> Result<Strategy> {
        let f: StrategyFile = toml::from_str(text).map_err(|e| {
            Error::input(
                format!("{origin} : TOML invalide : {e}"),
                format!("{origin}: invalid TOML: {e}"),
            )
        })?;
        let mut criteria = Vec::new();
        for (i, c) in f.criteria.iter().enumerate() {
            criteria.push(
                Criterion::parse(&c.rule, c.blocking, &c.label).map_err(|e| {
                    Error::input(
                        format!("{origin} : critère {} : {}", i + 1, e.message(Lang::Fr)),
                        format!("{origin}: criterion {}: {}", i + 1, e.message(Lang::En)),
                    )
                })?,
            );
        }
        let mut entry_criteria = Vec::new();
        for (i, c) in f.entry_criteria.iter().enumerate() {
            entry_criteria.push(
                Criterion::parse_entry(&c.rule, c.blocking, &c.label).map_err(|e| {
                    Error::input(
                        format!(
                            "{origin} : critère d'entrée {} : {}",
                            i + 1,
                            e.message(Lang::Fr)
                        ),
                        format!(
                            "{origin}: entry criterion {}: {}",
                            i + 1,
                            e.message(Lang::En)
                        ),
                    )
                })?,
            );
        }
        Ok(Strategy {
            entry_criteria,
            smoke_tag: f.smoke_tag.trim().to_string(),
            reference: f.reference,
            title: f.title,
            phase: Phase::parse(&f.phase)?,
            scope: f.scope,
            max_ajournements: f.max_ajournements,
            reserve_days: f.reserve_days,
            criteria,
        })
    }
}

/// The indicators of a campaign, by canonical name; `None` when not measurable.
pub fn measure(
    ind: &CampaignIndicators,
    trace: &TraceSummary,
    anomalies: &[Anomaly],
) -> BTreeMap<String, Option<f64>> {
    let mut m: BTreeMap<String, Option<f64>> = BTreeMap::new();
    let pct = |v: Option<f64>| v.map(|x| x * 100.0);
    // Requirement rates over an empty group are vacuously 100 %.
    let req_pct = |v: Option<f64>| Some(v.map(|x| x * 100.0).unwrap_or(100.0));
    let n = |v: usize| Some(v as f64);
    m.insert("execution_rate".into(), pct(ind.execution_rate));
    m.insert("pass_rate".into(), pct(ind.pass_rate));
    m.insert("tests".into(), n(ind.tests));
    m.insert("planned_tests".into(), n(ind.planned));
    m.insert("executed_tests".into(), n(ind.executed));
    m.insert("passed_tests".into(), n(ind.count(ExecStatus::Passed)));
    m.insert("failed_tests".into(), n(ind.count(ExecStatus::Failed)));
    m.insert("blocked_tests".into(), n(ind.count(ExecStatus::Blocked)));
    m.insert(
        "not_run_tests".into(),
        n(ind.count(ExecStatus::NotRun) + ind.count(ExecStatus::InProgress)),
    );
    m.insert("retests".into(), n(ind.retests));
    m.insert("requirements".into(), n(trace.requirements));
    m.insert("coverage_rate".into(), req_pct(trace.coverage_rate));
    m.insert("passed_rate".into(), req_pct(trace.passed_rate));
    m.insert("uncovered".into(), n(trace.uncovered));
    let by = |s: ReqTraceStatus| trace.by_status.get(s.code()).copied().unwrap_or(0);
    m.insert("failed_requirements".into(), n(by(ReqTraceStatus::Failed)));
    m.insert(
        "blocked_requirements".into(),
        n(by(ReqTraceStatus::Blocked)),
    );
    m.insert("not_run_requirements".into(), n(by(ReqTraceStatus::NotRun)));
    m.insert(
        "to_recheck_requirements".into(),
        n(by(ReqTraceStatus::ToRecheck)),
    );
    for c in Criticality::ALL {
        let r = trace
            .by_criticality
            .get(c.code())
            .cloned()
            .unwrap_or_default();
        m.insert(
            format!("coverage_rate_{}", c.code()),
            req_pct(r.coverage_rate),
        );
        m.insert(format!("passed_rate_{}", c.code()), req_pct(r.passed_rate));
        m.insert(format!("uncovered_{}", c.code()), n(r.uncovered));
        m.insert(format!("failed_{}", c.code()), n(r.failed));
    }
    let open: Vec<&Anomaly> = anomalies.iter().filter(|a| a.status.is_open()).collect();
    m.insert("open_anomalies".into(), n(open.len()));
    m.insert("anomalies".into(), n(anomalies.len()));
    for s in Severity::ALL {
        m.insert(
            format!("open_{}", s.code()),
            n(open.iter().filter(|a| a.severity == *s).count()),
        );
    }
    m.insert("suspect_links".into(), n(trace.suspect_links));
    m
}

/// A criterion with its measured value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CriterionResult {
    #[serde(flatten)]
    pub criterion: Criterion,
    /// `None` when the indicator cannot be measured (then the criterion is unmet).
    pub measured: Option<f64>,
    pub met: bool,
}

/// A reservation the tool proposes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProposedReservation {
    pub description: Text,
    /// Severity code of the anomaly, empty for a criterion.
    pub severity: String,
    /// The anomaly, when the reservation comes from one.
    pub anomaly: Option<String>,
    /// The criterion rule, when the reservation comes from one.
    pub criterion: Option<String>,
    /// Deadline for lifting, `YYYY-MM-DD`.
    pub deadline: String,
}

/// The evaluation of a campaign against its strategy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Verdict {
    pub campaign: String,
    pub strategy: String,
    /// The campaign has no strategy: the default one was used.
    pub default_strategy: bool,
    pub criteria: Vec<CriterionResult>,
    pub decision: Decision,
    /// Why this decision.
    pub reasons: Vec<Text>,
    pub reservations: Vec<ProposedReservation>,
    pub previous_ajournements: i64,
    pub max_ajournements: i64,
    pub indicators: BTreeMap<String, Option<f64>>,
}

/// What [`decide`] needs.
pub struct VerdictInput<'a> {
    pub campaign: &'a str,
    pub strategy: &'a Strategy,
    pub default_strategy: bool,
    pub indicators: &'a CampaignIndicators,
    pub trace: &'a TraceSummary,
    /// The campaign's anomalies (see [`crate::store::Store::campaign_anomalies`]).
    pub anomalies: &'a [Anomaly],
    /// Signed-off ajournements already pronounced for this delivery (or lot) and phase.
    pub previous_ajournements: i64,
    /// The signing date, today until signed (`YYYY-MM-DD`): reservations are due
    /// `reserve_days` later.
    pub reference_date: &'a str,
}

/// Adds days to a `YYYY-MM-DD` date (the first 10 characters of an ISO date-time); an
/// unreadable date is returned as is.
pub fn add_days(date: &str, days: i64) -> String {
    let d = date.get(..10).unwrap_or(date);
    match chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d") {
        Ok(day) => (day + chrono::Duration::days(days))
            .format("%Y-%m-%d")
            .to_string(),
        Err(_) => d.to_string(),
    }
}

/// Shows a measured value: `95,0 %` / `95.0%` for rates, the count otherwise.
pub fn format_measure(indicator: &str, v: Option<f64>, lang: Lang) -> String {
    match v {
        None => lang.pick("non mesurable", "not measurable").to_string(),
        Some(x) if is_rate(indicator) => crate::i18n::percent(lang, Some(x / 100.0)),
        Some(x) => format_number(x),
    }
}

/// Shows a threshold: `≥ 95 %` for rates.
pub fn format_threshold(c: &Criterion, lang: Lang) -> String {
    let num = format_number(c.threshold);
    let num = if lang == Lang::Fr {
        num.replace('.', ",")
    } else {
        num
    };
    if is_rate(&c.indicator) {
        format!("{} {num}{}", c.operator.symbol(), lang.pick("\u{a0}%", "%"))
    } else {
        format!("{} {num}", c.operator.symbol())
    }
}

/// Evaluates the criteria and proposes a decision (see the module rules).
pub fn decide(input: &VerdictInput<'_>) -> Verdict {
    let indicators = measure(input.indicators, input.trace, input.anomalies);
    let criteria: Vec<CriterionResult> = input
        .strategy
        .criteria
        .iter()
        .map(|c| {
            let measured = indicators.get(&c.indicator).copied().flatten();
            CriterionResult {
                criterion: c.clone(),
                measured,
                met: measured.is_some_and(|v| c.operator.holds(v, c.threshold)),
            }
        })
        .collect();
    let deadline = add_days(input.reference_date, input.strategy.reserve_days);
    let open: Vec<&Anomaly> = input
        .anomalies
        .iter()
        .filter(|a| a.status.is_open())
        .collect();
    let blocking_unmet: Vec<&CriterionResult> = criteria
        .iter()
        .filter(|c| !c.met && c.criterion.blocking)
        .collect();
    let other_unmet: Vec<&CriterionResult> = criteria
        .iter()
        .filter(|c| !c.met && !c.criterion.blocking)
        .collect();
    let mut reasons = Vec::new();
    let mut reservations = Vec::new();
    let names = |list: &[&CriterionResult], lang: Lang| {
        list.iter()
            .map(|c| criterion_name(&c.criterion, lang))
            .collect::<Vec<_>>()
            .join(" ; ")
    };
    let decision = if input.indicators.executed == 0 {
        reasons.push(Text::new(
            "aucun cas de test n'a pu être exécuté : la livraison ne peut pas être vérifiée",
            "no test could be executed: the delivery cannot be verified",
        ));
        Decision::Rejet
    } else if !blocking_unmet.is_empty() {
        let list_fr = names(&blocking_unmet, Lang::Fr);
        let list_en = names(&blocking_unmet, Lang::En);
        if input.previous_ajournements >= input.strategy.max_ajournements {
            reasons.push(Text::new(
                format!(
                    "critère(s) bloquant(s) non atteint(s) après {} ajournement(s) (maximum {}) : {list_fr}",
                    input.previous_ajournements, input.strategy.max_ajournements
                ),
                format!(
                    "blocking criterion(s) unmet after {} postponement(s) (maximum {}): {list_en}",
                    input.previous_ajournements, input.strategy.max_ajournements
                ),
            ));
            Decision::Rejet
        } else {
            reasons.push(Text::new(
                format!("critère(s) bloquant(s) non atteint(s) : {list_fr}"),
                format!("blocking criterion(s) unmet: {list_en}"),
            ));
            Decision::Ajournement
        }
    } else if !open.is_empty() || !other_unmet.is_empty() {
        if !open.is_empty() {
            reasons.push(Text::new(
                format!(
                    "critères bloquants atteints ; {} anomalie(s) ouverte(s)",
                    open.len()
                ),
                format!("blocking criteria met; {} open anomaly(ies)", open.len()),
            ));
        }
        if !other_unmet.is_empty() {
            reasons.push(Text::new(
                format!(
                    "critère(s) non bloquant(s) non atteint(s) : {}",
                    names(&other_unmet, Lang::Fr)
                ),
                format!(
                    "non-blocking criterion(s) unmet: {}",
                    names(&other_unmet, Lang::En)
                ),
            ));
        }
        for a in &open {
            reservations.push(ProposedReservation {
                description: Text::new(
                    format!("{} — {}", a.reference, a.title),
                    format!("{} — {}", a.reference, a.title),
                ),
                severity: a.severity.code().to_string(),
                anomaly: Some(a.reference.clone()),
                criterion: None,
                deadline: deadline.clone(),
            });
        }
        for c in &other_unmet {
            reservations.push(ProposedReservation {
                description: Text::new(
                    format!(
                        "Critère non atteint : {} (mesuré {}, attendu {})",
                        criterion_name(&c.criterion, Lang::Fr),
                        format_measure(&c.criterion.indicator, c.measured, Lang::Fr),
                        format_threshold(&c.criterion, Lang::Fr)
                    ),
                    format!(
                        "Criterion unmet: {} (measured {}, expected {})",
                        criterion_name(&c.criterion, Lang::En),
                        format_measure(&c.criterion.indicator, c.measured, Lang::En),
                        format_threshold(&c.criterion, Lang::En)
                    ),
                ),
                severity: String::new(),
                anomaly: None,
                criterion: Some(c.criterion.rule()),
                deadline: deadline.clone(),
            });
        }
        Decision::Reserves
    } else {
        reasons.push(Text::new(
            "tous les critères de sortie sont atteints et aucune anomalie n'est ouverte",
            "every exit criterion is met and no anomaly is open",
        ));
        Decision::Admission
    };
    Verdict {
        campaign: input.campaign.to_string(),
        strategy: input.strategy.reference.clone(),
        default_strategy: input.default_strategy,
        criteria,
        decision,
        reasons,
        reservations,
        previous_ajournements: input.previous_ajournements,
        max_ajournements: input.strategy.max_ajournements,
        indicators,
    }
}

/// The label of a criterion, or its indicator's label and threshold when it has none.
pub fn criterion_name(c: &Criterion, lang: Lang) -> String {
    if !c.label.is_empty() {
        return c.label.clone();
    }
    format!(
        "{} {}",
        indicator_label(&c.indicator, lang),
        format_threshold(c, lang)
    )
}

/// Everything known about a campaign at evaluation time: what `verdict`, `gate`, `report` and
/// `signoff` work from.
#[derive(Debug, Clone, Serialize)]
pub struct Evaluation {
    pub project: String,
    /// Contract reference (project setting `contract`), when set.
    pub contract: Option<String>,
    /// Contracting authority (project setting `buyer`), when set.
    pub buyer: Option<String>,
    /// The buyer's service in charge (setting `buyer_service`).
    pub buyer_service: Option<String>,
    /// Contract title (setting `contract_title`).
    pub contract_title: Option<String>,
    /// Vendor (titulaire, setting `vendor`; the PV falls back on the delivery's vendor).
    pub vendor: Option<String>,
    /// Where PVs are signed ("Fait à ...", setting `signature_place`).
    pub signature_place: Option<String>,
    pub campaign: crate::entities::Campaign,
    pub delivery: Option<crate::entities::Delivery>,
    pub strategy: Strategy,
    pub default_strategy: bool,
    pub tests: Vec<crate::entities::CampaignTest>,
    pub indicators: CampaignIndicators,
    pub trace: crate::trace::Trace,
    pub anomalies: Vec<Anomaly>,
    /// Executions per day and status code (every attempt).
    pub timeline: BTreeMap<String, BTreeMap<String, usize>>,
    pub verdict: Verdict,
}

impl Evaluation {
    /// Loads and evaluates a campaign. Reservations are due `reserve_days` after today
    /// (`RECETTE_NOW` or the clock), the date a PV signed now would carry.
    pub fn load(store: &crate::store::Store, campaign: &str) -> Result<Evaluation> {
        let c = store.campaign(campaign)?;
        let delivery = match &c.delivery {
            Some(d) => store.deliveries()?.into_iter().find(|x| &x.reference == d),
            None => None,
        };
        let (strategy, default_strategy) = store.campaign_strategy(campaign)?;
        let tests = store.campaign_results(campaign)?;
        let indicators = CampaignIndicators::compute(&tests);
        let data = store.trace_data(&crate::trace::Scope::Campaign(campaign.to_string()))?;
        let trace = crate::trace::compute(&data);
        let anomalies = store.campaign_anomalies(campaign)?;
        let previous_ajournements = store.signed_ajournements(campaign)?;
        // Reservations are due after the signing date: today's (the issue date of the report)
        // until the PV is signed, when `signoff::sign` dates them from the signature.
        let today = store.context().now();
        let reference_date = today.get(..10).unwrap_or(&today).to_string();
        let verdict = decide(&VerdictInput {
            campaign,
            strategy: &strategy,
            default_strategy,
            indicators: &indicators,
            trace: &trace.summary,
            anomalies: &anomalies,
            previous_ajournements,
            reference_date: &reference_date,
        });
        Ok(Evaluation {
            project: store.project_value("name")?.unwrap_or_default(),
            contract: store.project_value("contract")?.filter(|s| !s.is_empty()),
            buyer: store.project_value("buyer")?.filter(|s| !s.is_empty()),
            buyer_service: store
                .project_value("buyer_service")?
                .filter(|s| !s.is_empty()),
            contract_title: store
                .project_value("contract_title")?
                .filter(|s| !s.is_empty()),
            vendor: store.project_value("vendor")?.filter(|s| !s.is_empty()),
            signature_place: store
                .project_value("signature_place")?
                .filter(|s| !s.is_empty()),
            campaign: c,
            delivery,
            strategy,
            default_strategy,
            tests,
            indicators,
            trace,
            anomalies,
            timeline: store.campaign_timeline(campaign)?,
            verdict,
        })
    }

    /// The JSON frozen in a sign-off: indicators, requirement summary and verdict.
    pub fn snapshot(&self) -> serde_json::Value {
        serde_json::json!({
            "campaign": self.campaign,
            "strategy": self.strategy,
            "indicators": self.indicators,
            "requirements": self.trace.summary,
            "verdict": self.verdict,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_rules() {
        let c = Criterion::parse("open_bloquante = 0", true, "").unwrap();
        assert_eq!(c.indicator, "open_bloquante");
        assert_eq!(c.operator, Operator::Eq);
        let c = Criterion::parse("critical_passed_rate = 100", true, "").unwrap();
        assert_eq!(c.indicator, "passed_rate_critique");
        let c = Criterion::parse("execution_rate >= 95 %", false, "x").unwrap();
        assert_eq!(c.operator, Operator::Ge);
        assert_eq!(c.threshold, 95.0);
        let c = Criterion::parse("open_major<=2", true, "").unwrap();
        assert_eq!(c.indicator, "open_majeure");
        assert_eq!(c.operator, Operator::Le);
        let c = Criterion::parse("uncovered_critical ≤ 0,5", true, "").unwrap();
        assert_eq!(c.indicator, "uncovered_critique");
        assert_eq!(c.threshold, 0.5);
        assert!(Criterion::parse("nonsense = 1", true, "").is_err());
        assert!(Criterion::parse("pass_rate 95", true, "").is_err());
        assert!(Criterion::parse("pass_rate >= abc", true, "").is_err());
        assert!(Criterion::parse("pass_rate <> 3", true, "").is_err());
    }

    #[test]
    fn default_strategy_has_the_five_rules() {
        let s = Strategy::default_strategy();
        assert_eq!(s.criteria.len(), 5);
        assert!(s.criteria.iter().all(|c| c.blocking));
    }

    #[test]
    fn dates() {
        assert_eq!(add_days("2026-04-02", 30), "2026-05-02");
        assert_eq!(add_days("2026-04-02T10:00:00Z", 1), "2026-04-03");
    }
}
