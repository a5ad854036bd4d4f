//! `recette campaign sheet`: the offline execution workbook of a campaign.
//!
//! Testers often work where there is no network: they take this workbook, fill the status,
//! comment, anomaly, tester and date of each test (and of each step if they wish), and bring
//! it back to `recette import`. The sheet names its campaign on every row and records the
//! latest attempt known at export ("Tentative de base"): when someone recorded a newer result
//! for a test in the meantime, that row is reported as a conflict and not applied.
//!
//! The "Exécution" sheet is protected without a password so that only the entry columns
//! (yellow) can be typed in; Révision › Ôter la protection de la feuille lifts it when needed.

use std::path::Path;

use rust_xlsxwriter::{Format, ProtectionOptions};
use serde::Serialize;

use super::{col, new_workbook, save, xl, Column, Style, Styles, Table};
use crate::error::Result;
use crate::i18n::Lang;
use crate::model::ExecStatus;
use crate::params;
use crate::store::Store;

/// What was written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CampaignSheetSummary {
    pub file: String,
    pub campaign: String,
    /// Only the tests assigned to this tester, when one was given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assignee: Option<String>,
    /// Planned items written: each test, or each (test, data set).
    pub tests: u64,
    pub steps: u64,
}

/// Name of the sheet testers fill.
pub const EXECUTION_SHEET: &str = "Exécution";

const COLUMNS: &[Column] = &[
    col("Campagne", 12.0, Style::Grey),
    col("Cas de test", 15.0, Style::Grey),
    col("Jeu de données", 14.0, Style::Grey),
    col("Intitulé", 30.0, Style::Text),
    col("N° étape", 8.0, Style::Grey),
    col("Action", 40.0, Style::Text),
    col("Résultat attendu", 40.0, Style::Text),
    col("Statut", 15.0, Style::Entry),
    col("Résultat obtenu", 30.0, Style::Entry),
    col("Commentaire", 40.0, Style::Entry),
    col("Anomalie", 14.0, Style::Entry),
    col("Testeur", 14.0, Style::Entry),
    col("Date", 16.0, Style::Entry),
    col("Assigné à", 14.0, Style::Grey),
    col("Tentative de base", 10.0, Style::Grey),
];
const STATUS_COL: usize = 7;

/// The statuses offered in the drop-down list, in French words.
fn status_words() -> Vec<&'static str> {
    [
        ExecStatus::Passed,
        ExecStatus::Failed,
        ExecStatus::Blocked,
        ExecStatus::NotRun,
        ExecStatus::NotApplicable,
        ExecStatus::InProgress,
    ]
    .iter()
    .map(|s| s.label(Lang::Fr))
    .collect()
}

/// Writes the offline execution workbook of `campaign` to `out`: every planned item (each
/// test, or each test with each of its data sets, values substituted in the texts), or only
/// those assigned to `assignee`.
pub fn campaign_sheet(
    store: &Store,
    campaign: &str,
    out: &Path,
    assignee: Option<&str>,
) -> Result<CampaignSheetSummary> {
    let c = store.campaign(campaign)?;
    let tests = match assignee {
        Some(a) => store.campaign_tests_of(campaign, a)?,
        None => store.campaign_tests(campaign)?,
    };
    if let (Some(a), true) = (assignee, tests.is_empty()) {
        return Err(crate::error::Error::input(
            format!("aucun test de la campagne {campaign} n'est attribué à « {a} » (recette campaign assign {campaign} ... --to \"{a}\")"),
            format!("no test of campaign {campaign} is assigned to \"{a}\" (recette campaign assign {campaign} ... --to \"{a}\")"),
        ));
    }
    let attempts = store.latest_attempts(campaign)?;
    let title = match assignee {
        Some(a) => format!("Exécution hors ligne — campagne {campaign} — {a}"),
        None => format!("Exécution hors ligne — campagne {campaign}"),
    };
    let mut wb = new_workbook(&store.context().now(), &title);
    let styles = Styles::new();
    readme(
        wb.add_worksheet(),
        &c.reference,
        &c.title,
        &store.context().now(),
        assignee,
    )?;

    let mut summary = CampaignSheetSummary {
        file: out.display().to_string(),
        campaign: campaign.to_string(),
        assignee: assignee.map(str::to_string),
        tests: 0,
        steps: 0,
    };
    let ws = wb.add_worksheet();
    let mut t = Table::new(ws, EXECUTION_SHEET, COLUMNS, &styles)?;
    let mut cache: std::collections::HashMap<String, crate::entities::TestCase> =
        std::collections::HashMap::new();
    for ct in &tests {
        if !cache.contains_key(&ct.reference) {
            let Some(tc) = store.test_case(&ct.reference)? else {
                continue;
            };
            cache.insert(ct.reference.clone(), tc);
        }
        let Some(tc) = cache.get(&ct.reference) else {
            continue;
        };
        let v = &ct.parameters;
        let dataset = ct.dataset.clone().unwrap_or_default();
        let base = attempts
            .get(&(ct.reference.clone(), dataset.clone()))
            .copied()
            .unwrap_or(0)
            .to_string();
        let mut guide: Vec<String> = Vec::new();
        if !tc.objective.is_empty() {
            guide.push(format!(
                "Objectif : {}",
                params::substitute(&tc.objective, v)
            ));
        }
        if !tc.prerequisites.is_empty() {
            guide.push(format!(
                "Préconditions : {}",
                params::substitute(&tc.prerequisites, v)
            ));
        }
        if !v.is_empty() {
            guide.push(format!(
                "Jeu de données {dataset} : {}",
                params::format_assignments(v)
            ));
        }
        let guide = guide.join("\n");
        t.row(
            &[
                campaign,
                &tc.reference,
                &dataset,
                &ct.title,
                "",
                &guide,
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                &ct.assignee,
                &base,
            ],
            false,
            true,
        )?;
        for (i, s) in tc.steps.iter().enumerate() {
            let no = (i + 1).to_string();
            t.row(
                &[
                    campaign,
                    &tc.reference,
                    &dataset,
                    "",
                    &no,
                    &params::substitute(&s.action, v),
                    &params::substitute(&s.expected, v),
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    &ct.assignee,
                    &base,
                ],
                true,
                false,
            )?;
            summary.steps += 1;
        }
        summary.tests += 1;
    }
    let options = ProtectionOptions {
        use_autofilter: true,
        format_columns: true,
        format_rows: true,
        ..ProtectionOptions::new()
    };
    t.ws.protect_with_options(&options);
    t.ws.set_active(true);
    t.finish(&[(STATUS_COL, status_words())], 2)?;
    save(&mut wb, out)?;
    Ok(summary)
}

/// The "Lisez-moi" sheet: how to fill the workbook, in French. The importer ignores it.
fn readme(
    ws: &mut rust_xlsxwriter::Worksheet,
    campaign: &str,
    title: &str,
    now: &str,
    assignee: Option<&str>,
) -> Result<()> {
    ws.set_name("Lisez-moi").map_err(xl)?;
    ws.set_column_width(0, 110).map_err(xl)?;
    let h1 = Format::new().set_bold().set_font_size(14);
    let h2 = Format::new().set_bold();
    let p = Format::new().set_text_wrap();
    let statuses = status_words().join(", ");
    let lines: Vec<(String, &Format)> = vec![
        (format!("Exécution hors ligne — campagne {campaign}"), &h1),
        (title.to_string(), &p),
        (match assignee {
            Some(a) => format!("Feuille exportée le {now} par recette, pour {a} : les tests qui lui sont attribués."),
            None => format!("Feuille exportée le {now} par recette."),
        }, &p),
        (String::new(), &p),
        ("Comment remplir".into(), &h2),
        ("1. Ouvrez la feuille « Exécution ». Chaque cas de test a une ligne en gras, suivie d'une ligne par étape. Un cas de test paramétré a un bloc par jeu de données (colonne « Jeu de données »), ses valeurs déjà reportées dans les textes.".into(), &p),
        ("2. Sur la ligne du cas de test, choisissez le Statut dans la liste : ".to_string() + &statuses + ".", &p),
        ("   Si vous laissez ce statut vide, il découle des étapes : une étape non conforme rend le cas non conforme, sinon une étape bloquée le rend bloqué, sinon toutes les étapes conformes (N/A ignorées) le rendent conforme ; sinon il est en cours.".into(), &p),
        ("3. Sur les lignes d'étape, vous pouvez aussi donner le statut de chaque étape, le résultat obtenu (ce que vous avez constaté) et un commentaire (repris avec le numéro de l'étape).".into(), &p),
        ("4. Anomalie : la référence de la fiche d'anomalie (ex. FA-012) ; plusieurs références séparées par des virgules. Une référence inconnue crée l'anomalie à l'import.".into(), &p),
        ("5. Testeur : votre nom. Date : la date du passage (jj/mm/aaaa, avec l'heure si vous le souhaitez : jj/mm/aaaa hh:mm).".into(), &p),
        ("6. Un cas de test non passé : laissez toutes ses cellules vides, rien ne sera enregistré.".into(), &p),
        (String::new(), &p),
        ("Ce qu'il ne faut pas modifier".into(), &h2),
        ("Les colonnes grises (Campagne, Cas de test, Jeu de données, N° étape, Assigné à, Tentative de base) identifient la ligne : elles sont verrouillées. Seules les colonnes jaunes se saisissent.".into(), &p),
        ("« Assigné à » est une information : l'import ne change pas les affectations (il signale une différence avec la campagne).".into(), &p),
        ("La protection n'a pas de mot de passe : Révision › Ôter la protection de la feuille, si vous devez vraiment corriger autre chose.".into(), &p),
        (String::new(), &p),
        ("Retour dans recette".into(), &h2),
        ("recette import <ce fichier>   (ajoutez --dry-run pour voir d'abord ce qui sera enregistré)".into(), &p),
        ("Les résultats sont enregistrés dans la campagne indiquée sur chaque ligne, avec le testeur et la date saisis.".into(), &p),
        ("« Tentative de base » est le dernier passage connu à l'export : si quelqu'un a enregistré un résultat plus récent entre-temps, la ligne est signalée comme conflit et n'écrase rien.".into(), &p),
    ];
    for (i, (text, f)) in lines.iter().enumerate() {
        let r = u32::try_from(i).unwrap_or(u32::MAX);
        if !text.is_empty() {
            ws.write_string_with_format(r, 0, text, f).map_err(xl)?;
        }
    }
    Ok(())
}
