//! `recette export workbook`: the whole project as one workbook people can read, filter and
//! correct, and that `recette import` reads back.
//!
//! Sheets: Exigences, Cas de test (one row per step: the test's fields on its first row,
//! continuation rows with a blank reference carry the step number, action and expected
//! result; the test's data sets one per row of its block, name and `cv=7; montant=31200`), Traçabilité (links), Résultats (the latest result of each test in each campaign,
//! with the attempt it was, as "Tentative de base": re-importing an old export never overwrites
//! a newer result, it is reported as a conflict), Anomalies.
//!
//! What the workbook does not carry — requirement revisions and suspect links (the store's
//! history: a fresh store starts at revision 1), deliveries, campaigns and strategies
//! themselves (create them before importing results into a fresh store), earlier attempts,
//! per-step results, evidence files, sign-offs, anomaly history — is counted at export time
//! ([`WorkbookSummary::not_carried`]) and said by `recette export workbook`.

use std::path::Path;

use serde::Serialize;

use super::{col, new_workbook, save, Column, Style, Styles, Table};
use crate::error::Result;
use crate::i18n::Lang;
use crate::model::{AnomalyStatus, Criticality, ExecStatus, ReqStatus, Severity, TestKind};
use crate::params;
use crate::store::Store;

/// What was written.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct WorkbookSummary {
    pub file: String,
    pub requirements: u64,
    pub test_cases: u64,
    pub steps: u64,
    pub datasets: u64,
    pub links: u64,
    pub results: u64,
    pub anomalies: u64,
    /// What the store holds and the workbook does not carry, with how much of it: a store
    /// rebuilt from the workbook alone lacks these (see [`NotCarried`]).
    pub not_carried: Vec<NotCarried>,
}

/// One kind of record the workbook leaves out, and how many the store holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NotCarried {
    /// `deliveries`, `campaigns`, `strategies`, `signoffs`, `earlier_attempts`,
    /// `step_results`, `evidence`, `requirement_revisions`, `suspect_links`, `test_versions`,
    /// `anomaly_history`, `planned_not_run`.
    pub what: &'static str,
    pub count: u64,
}

impl NotCarried {
    /// The sentence for people: what is missing and what to do.
    pub fn describe(&self, lang: Lang) -> String {
        let n = self.count;
        let (fr, en) = match self.what {
            "deliveries" => ("livraison(s) (avec leurs annonces et documents) : à recréer avant d'importer les résultats", "delivery(ies) (with their claims and documents): create them again before importing the results"),
            "campaigns" => ("campagne(s) (phase, stratégie, dates, attribution) : à recréer avant d'importer les résultats", "campaign(s) (phase, strategy, dates, assignment): create them again before importing the results"),
            "planned_not_run" => ("test(s) planifié(s) jamais exécuté(s) : absents de la feuille Résultats, le taux d'exécution d'une base reconstruite en dépend", "planned test(s) never run: not in the Results sheet, the execution rate of a rebuilt store depends on them"),
            "strategies" => ("stratégie(s) de recette (critères d'entrée et de sortie) : à réimporter avec « recette strategy import »", "test strategy(ies) (entry and exit criteria): import them again with \"recette strategy import\""),
            "signoffs" => ("PV signé(s) et leurs réserves : ils restent dans la base d'origine (scellés)", "signed record(s) and their reservations: they stay in the original store (sealed)"),
            "earlier_attempts" => ("tentative(s) antérieure(s) : seule la dernière de chaque test est dans la feuille Résultats", "earlier attempt(s): only the latest of each test is in the Results sheet"),
            "step_results" => ("résultat(s) d'étape", "step result(s)"),
            "evidence" => ("preuve(s) jointe(s) (fichiers)", "evidence file(s)"),
            "requirement_revisions" => ("révision(s) antérieure(s) d'exigences : une base reconstruite repart de la révision 1", "earlier requirement revision(s): a rebuilt store starts at revision 1"),
            "suspect_links" => ("lien(s) suspect(s) : ils redeviennent à jour", "suspect link(s): they become up to date again"),
            "test_versions" => ("version(s) antérieure(s) de cas de test", "earlier test case version(s)"),
            "anomaly_history" => ("étape(s) de l'historique des anomalies (qui, quand, réouvertures)", "anomaly history event(s) (who, when, reopenings)"),
            other => (other, other),
        };
        format!("{n} {}", lang.pick(fr, en))
    }
}

/// What the Results sheet saw of the executions while it was written, for [`not_carried`].
#[derive(Default)]
struct ExecutionCounts {
    campaigns: u64,
    executions: u64,
    steps: u64,
    evidence: u64,
    planned_not_run: u64,
}

/// What the store holds that the workbook does not carry (only the kinds it has).
fn not_carried(
    store: &Store,
    latest_results: u64,
    seen: &ExecutionCounts,
) -> Result<Vec<NotCarried>> {
    let revisions: u64 = store
        .requirements()?
        .iter()
        .map(|r| r.revision.max(1) as u64 - 1)
        .sum();
    let versions: u64 = store
        .test_cases()?
        .iter()
        .map(|t| t.version.max(1) as u64 - 1)
        .sum();
    let suspect = store.links()?.iter().filter(|l| l.2).count() as u64;
    let all = [
        ("deliveries", store.deliveries()?.len() as u64),
        ("campaigns", seen.campaigns),
        ("planned_not_run", seen.planned_not_run),
        ("strategies", store.strategies()?.len() as u64),
        ("signoffs", store.signoffs(None)?.len() as u64),
        (
            "earlier_attempts",
            seen.executions.saturating_sub(latest_results),
        ),
        ("step_results", seen.steps),
        ("evidence", seen.evidence),
        ("requirement_revisions", revisions),
        ("suspect_links", suspect),
        ("test_versions", versions),
        ("anomaly_history", store.anomaly_events()?.len() as u64),
    ];
    Ok(all
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .map(|(what, count)| NotCarried { what, count })
        .collect())
}

const REQUIREMENTS: &[Column] = &[
    col("Référence", 16.0, Style::Text),
    col("Titre", 40.0, Style::Text),
    col("Description", 60.0, Style::Text),
    col("Criticité", 12.0, Style::Text),
    col("Catégorie", 18.0, Style::Text),
    col("Statut", 12.0, Style::Text),
    col("Source", 18.0, Style::Text),
    // Not read back (the store keeps revisions): shown for information.
    col("Révision", 9.0, Style::Grey),
];

const TEST_CASES: &[Column] = &[
    col("Référence", 16.0, Style::Text),
    col("Titre", 36.0, Style::Text),
    col("Objectif", 30.0, Style::Text),
    col("Préconditions", 30.0, Style::Text),
    col("Type", 12.0, Style::Text),
    col("Clé d'automatisation", 24.0, Style::Text),
    col("Priorité", 10.0, Style::Text),
    col("Catégorie", 16.0, Style::Text),
    col("Étiquettes", 16.0, Style::Text),
    col("Exigences couvertes", 20.0, Style::Text),
    col("N° étape", 8.0, Style::Text),
    col("Action", 40.0, Style::Text),
    col("Résultat attendu", 40.0, Style::Text),
    col("Jeu de données", 16.0, Style::Text),
    col("Paramètres", 30.0, Style::Text),
];

const LINKS: &[Column] = &[
    col("Exigence", 18.0, Style::Text),
    col("Cas de test", 18.0, Style::Text),
    // Not read back: a link imported into a store is made against the current revision.
    col("Suspect", 10.0, Style::Grey),
];

const RESULTS: &[Column] = &[
    col("Campagne", 16.0, Style::Text),
    col("Cas de test", 16.0, Style::Text),
    col("Jeu de données", 16.0, Style::Text),
    col("Statut", 14.0, Style::Text),
    col("Testeur", 16.0, Style::Text),
    col("Date d'exécution", 20.0, Style::Text),
    col("Commentaire", 50.0, Style::Text),
    col("Anomalies", 16.0, Style::Text),
    col("Tentative de base", 10.0, Style::Grey),
];

const ANOMALIES: &[Column] = &[
    col("Référence", 14.0, Style::Text),
    col("Titre", 40.0, Style::Text),
    col("Description", 50.0, Style::Text),
    col("Sévérité", 12.0, Style::Text),
    col("Statut", 14.0, Style::Text),
    col("Trouvée dans", 14.0, Style::Text),
    col("Corrigée dans", 14.0, Style::Text),
];

fn labels<T: Copy>(all: &[T], label: impl Fn(T) -> &'static str) -> Vec<&'static str> {
    all.iter().map(|v| label(*v)).collect()
}

/// Writes the project workbook to `out`. Values are written in French words (the reader
/// accepts French and English); the output is deterministic for a given store and clock.
pub fn export_workbook(store: &Store, out: &Path) -> Result<WorkbookSummary> {
    let fr = Lang::Fr;
    let project = store.project_value("name")?.unwrap_or_default();
    let mut wb = new_workbook(
        &store.context().now(),
        &format!("Cahier de recette — {project}"),
    );
    let styles = Styles::new();
    let mut summary = WorkbookSummary {
        file: out.display().to_string(),
        ..WorkbookSummary::default()
    };

    let reqs = store.requirements()?;
    let mut t = Table::new(wb.add_worksheet(), "Exigences", REQUIREMENTS, &styles)?;
    for r in &reqs {
        let rev = r.revision.to_string();
        t.row(
            &[
                &r.reference,
                &r.title,
                &r.description,
                r.criticality.label(fr),
                &r.category,
                r.status.label(fr),
                &r.source,
                &rev,
            ],
            false,
            false,
        )?;
    }
    summary.requirements = t.finish(
        &[
            (3, labels(Criticality::ALL, |v| v.label(fr))),
            (5, labels(ReqStatus::ALL, |v| v.label(fr))),
        ],
        1,
    )?;

    let tests = store.test_cases()?;
    let mut t = Table::new(wb.add_worksheet(), "Cas de test", TEST_CASES, &styles)?;
    for tc in &tests {
        let kind = match tc.kind {
            TestKind::Manual => "Manuel",
            TestKind::Automated => "Automatique",
        };
        let (tags, reqs) = (tc.tags.join(", "), tc.requirements.join(", "));
        // Data sets go one per row of the test's block (beside its steps, then below them).
        let sets: Vec<(String, String)> = store
            .datasets(&tc.reference)?
            .into_iter()
            .filter(|d| d.active)
            .map(|d| (d.name, params::format_assignments(&d.parameters)))
            .collect();
        let rows = tc.steps.len().max(sets.len()).max(1);
        for i in 0..rows {
            let no = (i + 1).to_string();
            let step = tc.steps.get(i);
            let set = sets.get(i);
            let step_cells = [
                if step.is_some() { no.as_str() } else { "" },
                step.map_or("", |s| s.action.as_str()),
                step.map_or("", |s| s.expected.as_str()),
                set.map_or("", |d| d.0.as_str()),
                set.map_or("", |d| d.1.as_str()),
            ];
            let mut row: Vec<&str> = if i == 0 {
                vec![
                    &tc.reference,
                    &tc.title,
                    &tc.objective,
                    &tc.prerequisites,
                    kind,
                    &tc.automation_key,
                    &tc.priority,
                    &tc.category,
                    &tags,
                    &reqs,
                ]
            } else {
                vec![""; 10]
            };
            row.extend(step_cells);
            t.row(&row, false, i == 0)?;
        }
        summary.steps += tc.steps.len() as u64;
        summary.datasets += sets.len() as u64;
    }
    t.finish(&[(4, vec!["Manuel", "Automatique"])], 1)?;
    summary.test_cases = tests.len() as u64;

    let links = store.links()?;
    let mut t = Table::new(wb.add_worksheet(), "Traçabilité", LINKS, &styles)?;
    for (r, test, suspect) in &links {
        t.row(
            &[r, test, if *suspect { "oui" } else { "non" }],
            false,
            false,
        )?;
    }
    summary.links = t.finish(&[], 0)?;

    let mut t = Table::new(wb.add_worksheet(), "Résultats", RESULTS, &styles)?;
    let mut seen = ExecutionCounts::default();
    for c in store.campaigns()? {
        let execs = store.executions(&c.reference, None)?;
        // What the sheet leaves out of them, counted on the way (see `not_carried`).
        seen.campaigns += 1;
        seen.executions += execs.len() as u64;
        seen.steps += execs.iter().map(|e| e.steps.len() as u64).sum::<u64>();
        seen.evidence += execs.iter().map(|e| e.evidence.len() as u64).sum::<u64>();
        seen.planned_not_run += store
            .campaign_tests(&c.reference)?
            .iter()
            .filter(|t| t.attempts == 0)
            .count() as u64;
        // Ordered by test, data set, then attempt: the last of each is its latest result.
        for (i, e) in execs.iter().enumerate() {
            if execs
                .get(i + 1)
                .is_some_and(|n| n.test == e.test && n.dataset == e.dataset)
            {
                continue;
            }
            let (anomalies, attempt) = (e.anomalies.join(", "), e.attempt.to_string());
            t.row(
                &[
                    &c.reference,
                    &e.test,
                    e.dataset.as_deref().unwrap_or(""),
                    e.status.label(fr),
                    &e.tester,
                    &e.executed_at,
                    &e.comment,
                    &anomalies,
                    &attempt,
                ],
                false,
                false,
            )?;
        }
    }
    summary.results = t.finish(&[(3, labels(ExecStatus::ALL, |v| v.label(fr)))], 2)?;

    let anomalies = store.anomalies()?;
    let mut t = Table::new(wb.add_worksheet(), "Anomalies", ANOMALIES, &styles)?;
    for a in &anomalies {
        t.row(
            &[
                &a.reference,
                &a.title,
                &a.description,
                a.severity.label(fr),
                a.status.label(fr),
                a.found_in.as_deref().unwrap_or(""),
                a.fixed_in.as_deref().unwrap_or(""),
            ],
            false,
            false,
        )?;
    }
    summary.anomalies = t.finish(
        &[
            (3, labels(Severity::ALL, |v| v.label(fr))),
            (4, labels(AnomalyStatus::ALL, |v| v.label(fr))),
        ],
        1,
    )?;

    summary.not_carried = not_carried(store, summary.results, &seen)?;
    save(&mut wb, out)?;
    Ok(summary)
}
