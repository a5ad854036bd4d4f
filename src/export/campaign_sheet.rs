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
use crate::store::Store;

/// What was written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CampaignSheetSummary {
    pub file: String,
    pub campaign: String,
    pub tests: u64,
    pub steps: u64,
}

/// Name of the sheet testers fill.
pub const EXECUTION_SHEET: &str = "Exécution";

const COLUMNS: &[Column] = &[
    col("Campagne", 12.0, Style::Grey),
    col("Cas de test", 15.0, Style::Grey),
    col("Intitulé", 30.0, Style::Text),
    col("N° étape", 8.0, Style::Grey),
    col("Action", 40.0, Style::Text),
    col("Résultat attendu", 40.0, Style::Text),
    col("Statut", 15.0, Style::Entry),
    col("Commentaire", 40.0, Style::Entry),
    col("Anomalie", 14.0, Style::Entry),
    col("Testeur", 14.0, Style::Entry),
    col("Date", 16.0, Style::Entry),
    col("Tentative de base", 10.0, Style::Grey),
];
const STATUS_COL: usize = 6;

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

/// Writes the offline execution workbook of `campaign` to `out`.
pub fn campaign_sheet(store: &Store, campaign: &str, out: &Path) -> Result<CampaignSheetSummary> {
    let c = store.campaign(campaign)?;
    let tests = store.campaign_tests(campaign)?;
    let attempts = store.latest_attempts(campaign)?;
    let mut wb = new_workbook(
        &store.context().now(),
        &format!("Exécution hors ligne — campagne {campaign}"),
    );
    let styles = Styles::new();
    readme(
        wb.add_worksheet(),
        &c.reference,
        &c.title,
        &store.context().now(),
    )?;

    let mut summary = CampaignSheetSummary {
        file: out.display().to_string(),
        campaign: campaign.to_string(),
        tests: 0,
        steps: 0,
    };
    let ws = wb.add_worksheet();
    let mut t = Table::new(ws, EXECUTION_SHEET, COLUMNS, &styles)?;
    for ct in &tests {
        let Some(tc) = store.test_case(&ct.reference)? else {
            continue;
        };
        let base = attempts
            .get(&ct.reference)
            .copied()
            .unwrap_or(0)
            .to_string();
        let guide = match (tc.objective.is_empty(), tc.prerequisites.is_empty()) {
            (true, true) => String::new(),
            (false, true) => format!("Objectif : {}", tc.objective),
            (true, false) => format!("Préconditions : {}", tc.prerequisites),
            (false, false) => format!(
                "Objectif : {}\nPréconditions : {}",
                tc.objective, tc.prerequisites
            ),
        };
        t.row(
            &[
                campaign,
                &tc.reference,
                &tc.title,
                "",
                &guide,
                "",
                "",
                "",
                "",
                "",
                "",
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
                    "",
                    &no,
                    &s.action,
                    &s.expected,
                    "",
                    "",
                    "",
                    "",
                    "",
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
        (format!("Feuille exportée le {now} par recette."), &p),
        (String::new(), &p),
        ("Comment remplir".into(), &h2),
        ("1. Ouvrez la feuille « Exécution ». Chaque cas de test a une ligne en gras, suivie d'une ligne par étape.".into(), &p),
        ("2. Sur la ligne du cas de test, choisissez le Statut dans la liste : ".to_string() + &statuses + ".", &p),
        ("   Si vous laissez ce statut vide, le statut du cas de test sera le plus grave des statuts des étapes renseignées.".into(), &p),
        ("3. Sur les lignes d'étape, vous pouvez aussi donner le statut de chaque étape et un commentaire (repris avec le numéro de l'étape).".into(), &p),
        ("4. Anomalie : la référence de la fiche d'anomalie (ex. FA-012) ; plusieurs références séparées par des virgules. Une référence inconnue crée l'anomalie à l'import.".into(), &p),
        ("5. Testeur : votre nom. Date : la date du passage (jj/mm/aaaa, avec l'heure si vous le souhaitez : jj/mm/aaaa hh:mm).".into(), &p),
        ("6. Un cas de test non passé : laissez toutes ses cellules vides, rien ne sera enregistré.".into(), &p),
        (String::new(), &p),
        ("Ce qu'il ne faut pas modifier".into(), &h2),
        ("Les colonnes grises (Campagne, Cas de test, N° étape, Tentative de base) identifient la ligne : elles sont verrouillées. Seules les colonnes jaunes se saisissent.".into(), &p),
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
