//! `recette export workbook`: the whole project as one workbook people can read, filter and
//! correct, and that `recette import` reads back into a store that evaluates every campaign as
//! the original does.
//!
//! Sheets: Livraisons, Stratégies (one criterion per row, the strategy's fields on the first
//! row of its block), Exigences, Cas de test (one row per step: the test's fields on its first
//! row, continuation rows with a blank reference carry the step number, action and expected
//! result; the test's data sets one per row of its block, name and `cv=7; montant=31200`),
//! Traçabilité (links), Campagnes (phase, delivery, strategy, dates, start), Planification (the
//! tests planned in each campaign with their data set, assignee and reason), Décisions (the
//! PVs signed: decision, date, signatories, the sealed files' sha256), Résultats (every
//! attempt of each test in each campaign, in order, numbered: re-importing an export never
//! rewrites an attempt, a different one is reported as a conflict; the steps' results on the
//! rows under each attempt), Anomalies (with their assignee and dates).
//!
//! What the workbook does not carry — requirement revisions and suspect links (the store's
//! history: a fresh store starts at revision 1), earlier test case versions, evidence files
//! (named in the Résultats sheet, not copied), sign-offs, anomaly history — is counted at
//! export time ([`WorkbookSummary::not_carried`]) and said by `recette export workbook`.

use std::path::Path;

use serde::Serialize;

use super::{col, new_workbook, save, Column, Style, Styles, Table};
use crate::error::Result;
use crate::i18n::Lang;
use crate::model::{
    AnomalyStatus, Criticality, Decision, ExecStatus, Phase, ReqStatus, Severity, TestKind,
};
use crate::params;
use crate::settings::Setting;
use crate::store::Store;
use crate::verdict::{Criterion, CriterionResult};

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
    pub deliveries: u64,
    pub strategies: u64,
    pub campaigns: u64,
    pub planned_tests: u64,
    pub decisions: u64,
    /// What the store holds and the workbook does not carry, with how much of it: a store
    /// rebuilt from the workbook alone lacks these (see [`NotCarried`]).
    pub not_carried: Vec<NotCarried>,
}

/// One kind of record the workbook leaves out, and how many the store holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NotCarried {
    /// `signoffs`, `evidence`, `step_comments`, `requirement_revisions`, `suspect_links`,
    /// `test_versions`, `anomaly_history`.
    pub what: &'static str,
    pub count: u64,
}

impl NotCarried {
    /// The sentence for people: what is missing and what to do.
    pub fn describe(&self, lang: Lang) -> String {
        let n = self.count;
        let (fr, en) = match self.what {
            "claims" => ("annonce(s) de correction et document(s) de livraison : ils restent dans la base d'origine", "fix claim(s) and delivery document(s): they stay in the original store"),
            "signoffs" => ("PV signé(s) : leurs fichiers scellés et leurs réserves restent dans la base d'origine (la feuille Décisions porte la décision, la date, les signataires et l'empreinte de chaque fichier)", "signed record(s): their sealed files and reservations stay in the original store (the Décisions sheet carries the decision, the date, the signatories and each file's hash)"),
            "evidence" => ("preuve(s) jointe(s) : nommées (avec leur empreinte) dans la feuille Résultats, fichiers non copiés", "evidence file(s): named (with their hash) in the Results sheet, files not copied"),
            "step_comments" => ("commentaire(s) d'étape", "step comment(s)"),
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
    evidence: u64,
    step_comments: u64,
}

/// What the store holds that the workbook does not carry (only the kinds it has).
fn not_carried(store: &Store, seen: &ExecutionCounts) -> Result<Vec<NotCarried>> {
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
        ("signoffs", store.signoffs(None)?.len() as u64),
        ("claims", store.delivery_claims_and_documents()?),
        ("evidence", seen.evidence),
        ("step_comments", seen.step_comments),
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

const SETTINGS: &[Column] = &[
    col("Réglage", 18.0, Style::Text),
    col("Valeur", 50.0, Style::Text),
    // Not read back: what the setting is for.
    col("Description", 60.0, Style::Grey),
];

const DELIVERIES: &[Column] = &[
    col("Référence", 14.0, Style::Text),
    col("Version", 12.0, Style::Text),
    col("Titulaire", 24.0, Style::Text),
    col("Lot", 14.0, Style::Text),
    col("Date prévue", 14.0, Style::Text),
    col("Date de livraison", 14.0, Style::Text),
    col("Notes", 50.0, Style::Text),
];

const STRATEGIES: &[Column] = &[
    col("Référence", 14.0, Style::Text),
    col("Titre", 30.0, Style::Text),
    col("Phase", 10.0, Style::Text),
    col("Périmètre", 30.0, Style::Text),
    col("Ajournements autorisés", 12.0, Style::Text),
    col("Délai des réserves (jours)", 12.0, Style::Text),
    col("Étiquette smoke", 12.0, Style::Text),
    col("Type de critère", 12.0, Style::Text),
    col("Règle", 30.0, Style::Text),
    col("Bloquant", 10.0, Style::Text),
    col("Libellé du critère", 40.0, Style::Text),
];

const CAMPAIGNS: &[Column] = &[
    col("Référence", 14.0, Style::Text),
    col("Titre", 40.0, Style::Text),
    col("Phase", 10.0, Style::Text),
    col("Livraison", 14.0, Style::Text),
    col("Stratégie", 14.0, Style::Text),
    col("Date de début", 12.0, Style::Text),
    col("Date de fin", 12.0, Style::Text),
    col("Démarrée le", 20.0, Style::Text),
    col("Démarrage forcé", 10.0, Style::Text),
    col("Contrôles au démarrage", 60.0, Style::Text),
];

const DECISIONS: &[Column] = &[
    col("Campagne", 14.0, Style::Text),
    col("N° PV", 8.0, Style::Text),
    col("Décision", 24.0, Style::Text),
    col("Signé le", 20.0, Style::Text),
    col("Signataires", 40.0, Style::Text),
    col("Rapports scellés", 60.0, Style::Text),
];

const PLANNED: &[Column] = &[
    col("Campagne", 14.0, Style::Text),
    col("Cas de test", 16.0, Style::Text),
    col("Jeu de données", 16.0, Style::Text),
    col("Attribué à", 18.0, Style::Text),
    col("Raison", 40.0, Style::Text),
];

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
    col("N° tentative", 9.0, Style::Text),
    col("N° étape", 8.0, Style::Text),
    col("Statut", 14.0, Style::Text),
    col("Testeur", 16.0, Style::Text),
    col("Date d'exécution", 20.0, Style::Text),
    col("Commentaire", 50.0, Style::Text),
    col("Résultat obtenu", 40.0, Style::Text),
    col("Anomalies", 16.0, Style::Text),
    // Not read back: the files stay in the original store's evidence folder.
    col("Preuves", 40.0, Style::Grey),
];

const ANOMALIES: &[Column] = &[
    col("Référence", 14.0, Style::Text),
    col("Titre", 40.0, Style::Text),
    col("Description", 50.0, Style::Text),
    col("Sévérité", 12.0, Style::Text),
    col("Statut", 14.0, Style::Text),
    col("Trouvée dans", 14.0, Style::Text),
    col("Corrigée dans", 14.0, Style::Text),
    col("Attribuée à", 18.0, Style::Text),
    col("Créée le", 20.0, Style::Text),
    col("Clôturée le", 20.0, Style::Text),
    col("Réouvertures", 10.0, Style::Text),
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

    let mut t = Table::new(wb.add_worksheet(), "Projet", SETTINGS, &styles)?;
    for s in Setting::ALL {
        let value = match s {
            Setting::DecisionDays => store.decision_days()?.to_string(),
            other => store.project_value(other.key())?.unwrap_or_default(),
        };
        t.row(&[s.key(), &value, s.describe(fr)], false, false)?;
    }
    t.finish(&[], 1)?;

    let mut t = Table::new(wb.add_worksheet(), "Livraisons", DELIVERIES, &styles)?;
    for d in store.deliveries()? {
        t.row(
            &[
                &d.reference,
                &d.version,
                &d.vendor,
                &d.lot,
                d.planned_date.as_deref().unwrap_or(""),
                d.delivered_date.as_deref().unwrap_or(""),
                &d.notes,
            ],
            false,
            false,
        )?;
    }
    summary.deliveries = t.finish(&[], 1)?;

    let mut t = Table::new(wb.add_worksheet(), "Stratégies", STRATEGIES, &styles)?;
    for st in store.strategies()? {
        let (max, days) = (st.max_ajournements.to_string(), st.reserve_days.to_string());
        let criteria: Vec<(&str, &Criterion)> = st
            .criteria
            .iter()
            .map(|c| ("sortie", c))
            .chain(st.entry_criteria.iter().map(|c| ("entrée", c)))
            .collect();
        for i in 0..criteria.len().max(1) {
            let head: [&str; 7] = if i == 0 {
                [
                    &st.reference,
                    &st.title,
                    st.phase.label(fr),
                    &st.scope,
                    &max,
                    &days,
                    &st.smoke_tag,
                ]
            } else {
                [""; 7]
            };
            let rule = criteria.get(i).map(|(_, c)| c.rule()).unwrap_or_default();
            let mut row: Vec<&str> = head.to_vec();
            match criteria.get(i) {
                Some((kind, c)) => row.extend([
                    *kind,
                    rule.as_str(),
                    if c.blocking { "oui" } else { "non" },
                    c.label.as_str(),
                ]),
                None => row.extend(["", "", "", ""]),
            }
            t.row(&row, i > 0, i == 0)?;
        }
        summary.strategies += 1;
    }
    t.finish(
        &[
            (2, labels(Phase::ALL, |v| v.label(fr))),
            (7, vec!["sortie", "entrée"]),
            (9, vec!["oui", "non"]),
        ],
        1,
    )?;

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

    let mut t = Table::new(wb.add_worksheet(), "Campagnes", CAMPAIGNS, &styles)?;
    let campaigns = store.campaigns()?;
    for c in &campaigns {
        let started = if c.state == "started" {
            c.started_at.as_deref().unwrap_or("")
        } else {
            ""
        };
        let forced = match (started.is_empty(), c.start_forced) {
            (true, _) => "",
            (false, true) => "oui",
            (false, false) => "non",
        };
        let checks: Vec<CriterionResult> =
            serde_json::from_value(c.start_checks.clone()).unwrap_or_default();
        let checks = checks
            .iter()
            .map(crate::import::sheet::format_start_check)
            .collect::<Vec<_>>()
            .join("\n");
        t.row(
            &[
                &c.reference,
                &c.title,
                c.phase.label(fr),
                c.delivery.as_deref().unwrap_or(""),
                c.strategy.as_deref().unwrap_or(""),
                c.start_date.as_deref().unwrap_or(""),
                c.end_date.as_deref().unwrap_or(""),
                started,
                forced,
                &checks,
            ],
            false,
            false,
        )?;
    }
    summary.campaigns = t.finish(&[(2, labels(Phase::ALL, |v| v.label(fr)))], 1)?;

    let mut t = Table::new(wb.add_worksheet(), "Planification", PLANNED, &styles)?;
    for c in &campaigns {
        for item in store.campaign_tests(&c.reference)? {
            t.row(
                &[
                    &c.reference,
                    &item.reference,
                    item.dataset.as_deref().unwrap_or(""),
                    &item.assignee,
                    &item.reason,
                ],
                false,
                false,
            )?;
        }
    }
    summary.planned_tests = t.finish(&[], 2)?;

    // Decisions signed here and those imported from another store's workbook, by campaign.
    let mut decisions: Vec<(String, i64, &'static str, String, String, String)> = store
        .signoffs(None)?
        .into_iter()
        .map(|so| {
            let files = so
                .files
                .iter()
                .map(|f| format!("{} (sha256 {})", f.file_name, f.sha256))
                .collect::<Vec<_>>()
                .join("\n");
            (
                so.campaign,
                so.number,
                so.decision.label(fr),
                so.signed_at,
                so.signatories.join("\n"),
                files,
            )
        })
        .collect();
    decisions.extend(store.imported_decisions(None)?.into_iter().map(|i| {
        (
            i.campaign,
            i.number,
            i.decision.label(fr),
            i.signed_at,
            i.signatories.join("\n"),
            i.files,
        )
    }));
    decisions.sort_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
    let mut t = Table::new(wb.add_worksheet(), "Décisions", DECISIONS, &styles)?;
    for (campaign, number, decision, signed_at, signatories, files) in &decisions {
        let number = number.to_string();
        t.row(
            &[campaign, &number, decision, signed_at, signatories, files],
            false,
            false,
        )?;
    }
    summary.decisions = t.finish(&[(2, labels(Decision::ALL, |v| v.label(fr)))], 1)?;

    // Every attempt, in order (the store gives them by test, data set, then attempt), its
    // steps' results on the rows under it.
    let mut t = Table::new(wb.add_worksheet(), "Résultats", RESULTS, &styles)?;
    let mut seen = ExecutionCounts::default();
    for c in &campaigns {
        for e in store.executions(&c.reference, None)? {
            seen.evidence += e.evidence.len() as u64;
            seen.step_comments += e.steps.iter().filter(|s| !s.comment.is_empty()).count() as u64;
            let (anomalies, attempt) = (e.anomalies.join(", "), e.attempt.to_string());
            let evidence = e
                .evidence
                .iter()
                .map(|f| format!("{} (sha256 {})", f.file_name, f.sha256))
                .collect::<Vec<_>>()
                .join("\n");
            t.row(
                &[
                    &c.reference,
                    &e.test,
                    e.dataset.as_deref().unwrap_or(""),
                    &attempt,
                    "",
                    e.status.label(fr),
                    &e.tester,
                    &e.executed_at,
                    &e.comment,
                    "",
                    &anomalies,
                    &evidence,
                ],
                false,
                true,
            )?;
            summary.results += 1;
            for step in &e.steps {
                let no = step.step.to_string();
                t.row(
                    &[
                        "",
                        "",
                        "",
                        "",
                        &no,
                        step.status.label(fr),
                        "",
                        "",
                        "",
                        &step.actual,
                    ],
                    true,
                    false,
                )?;
            }
        }
    }
    t.finish(&[(5, labels(ExecStatus::ALL, |v| v.label(fr)))], 2)?;

    let anomalies = store.anomalies()?;
    let mut t = Table::new(wb.add_worksheet(), "Anomalies", ANOMALIES, &styles)?;
    for a in &anomalies {
        let reopened = a.reopen_count.to_string();
        t.row(
            &[
                &a.reference,
                &a.title,
                &a.description,
                a.severity.label(fr),
                a.status.label(fr),
                a.found_in.as_deref().unwrap_or(""),
                a.fixed_in.as_deref().unwrap_or(""),
                &a.assignee,
                &a.created_at,
                a.closed_at.as_deref().unwrap_or(""),
                &reopened,
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

    summary.not_carried = not_carried(store, &seen)?;
    save(&mut wb, out)?;
    Ok(summary)
}
