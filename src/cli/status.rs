//! `recette status` (dashboard) and `recette log` (audit trail).

use clap::Args;

use super::output::{json, Table};
use super::{Env, EXIT_OK};
use crate::error::Result;
use crate::i18n::{percent, Lang};
use crate::model::{ExecStatus, Severity};
use crate::ops::status::{dashboard, Dashboard};
use crate::store::AuditFilter;

/// `recette status`
#[derive(Debug, Args)]
pub struct StatusArgs {
    /// Seulement cette campagne
    #[arg(long)]
    pub campaign: Option<String>,
    /// Sortie JSON
    #[arg(long)]
    pub json: bool,
}

/// `recette log`
#[derive(Debug, Args)]
pub struct LogArgs {
    /// Type d'objet (exigence, cas de test, campagne, exécution, anomalie, lien...)
    #[arg(long)]
    pub entity: Option<String>,
    /// Référence
    #[arg(long = "ref")]
    pub reference: Option<String>,
    /// Auteur (compte qui a fait la modification)
    #[arg(long = "actor", id = "author", value_name = "COMPTE")]
    pub author: Option<String>,
    /// Nombre d'entrées (les plus récentes)
    #[arg(long)]
    pub limit: Option<u32>,
    /// Sortie JSON
    #[arg(long)]
    pub json: bool,
}

/// Prints the dashboard (all campaigns, or one).
pub fn print_dashboard(d: &Dashboard, lang: Lang, as_json: bool) -> Result<()> {
    let t = |fr, en| lang.pick(fr, en);
    if as_json {
        return json(d);
    }
    println!(
        "{} {} — {} {}, {} {}",
        t("Projet", "Project"),
        d.project,
        d.requirements,
        t("exigences", "requirements"),
        d.test_cases,
        t("cas de test", "test cases")
    );
    println!();
    let mut tab = Table::new(&[
        t("Campagne", "Campaign"),
        "Phase",
        "Tests",
        ExecStatus::Passed.label(lang),
        ExecStatus::Failed.label(lang),
        ExecStatus::Blocked.label(lang),
        ExecStatus::NotRun.label(lang),
        t("N/A", "N/A"),
        t("Exécution", "Executed"),
        t("Réussite", "Passed"),
    ]);
    for r in &d.campaigns {
        let i = &r.indicators;
        tab.row(vec![
            r.campaign.reference.clone(),
            r.campaign.phase.label(lang).to_string(),
            i.tests.to_string(),
            i.count(ExecStatus::Passed).to_string(),
            i.count(ExecStatus::Failed).to_string(),
            i.count(ExecStatus::Blocked).to_string(),
            (i.count(ExecStatus::NotRun) + i.count(ExecStatus::InProgress)).to_string(),
            i.count(ExecStatus::NotApplicable).to_string(),
            percent(lang, i.execution_rate),
            percent(lang, i.pass_rate),
        ]);
    }
    tab.print(t("Aucune campagne.", "No campaign."));
    for r in &d.campaigns {
        if r.indicators.by_tester.is_empty() {
            continue;
        }
        println!();
        println!(
            "{} {}",
            t("Avancement par testeur —", "Progress per tester —"),
            r.campaign.reference
        );
        super::campaign::print_progress(lang, &r.indicators.by_tester);
    }
    println!();
    let mut tab = Table::new(&[
        t("Anomalies", "Anomalies"),
        t("Ouvertes", "Open"),
        t("Total", "Total"),
    ]);
    for s in Severity::ALL {
        tab.row(vec![
            s.label(lang).to_string(),
            d.anomalies.open(*s).to_string(),
            d.anomalies
                .total
                .get(s.code())
                .copied()
                .unwrap_or(0)
                .to_string(),
        ]);
    }
    tab.print("");
    Ok(())
}

/// Runs `recette status`.
pub fn run(a: StatusArgs, env: &Env) -> Result<i32> {
    let store = env.open()?;
    let d = dashboard(&store, a.campaign.as_deref())?;
    print_dashboard(&d, env.lang, a.json)?;
    Ok(EXIT_OK)
}

/// Runs `recette log`.
pub fn run_log(a: LogArgs, env: &Env) -> Result<i32> {
    let store = env.open()?;
    let entries = store.audit_log(&AuditFilter {
        entity: a.entity,
        reference: a.reference,
        actor: a.author,
        limit: a.limit,
    })?;
    if a.json {
        return json(&entries).map(|_| EXIT_OK);
    }
    let mut t = Table::new(&[
        env.t("Date", "Date"),
        env.t("Auteur", "Actor"),
        env.t("Action", "Action"),
        env.t("Objet", "Entity"),
        env.t("Réf.", "Ref"),
    ]);
    for e in entries {
        t.row(vec![
            super::output::when(env.lang, &e.at),
            e.actor,
            e.action,
            e.entity,
            e.reference,
        ]);
    }
    t.print(env.t("Journal vide.", "Empty log."));
    Ok(EXIT_OK)
}
