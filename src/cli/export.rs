//! `recette export workbook` and `recette campaign sheet`: workbooks people read and fill,
//! which `recette import` reads back.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::output::json;
use super::{Env, EXIT_OK};
use crate::error::Result;
use crate::export::{campaign_sheet, workbook};
use crate::ops::trace::{export_reqif, ReqifExportRequest};
use crate::trace::Scope;

/// Export commands.
#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// Classeur du projet (exigences, cas de test et étapes, traçabilité, derniers résultats,
    /// anomalies), relisible par « recette import »
    Workbook(WorkbookArgs),
    /// Exigences au format ReqIF 1.2 (DOORS, Polarion, Capella...), avec leur couverture et leur
    /// dernier statut en attributs, pour que l'outil d'exigences reprenne les résultats
    Reqif(ReqifArgs),
}

/// `export reqif`
#[derive(Debug, Args)]
pub struct ReqifArgs {
    /// Fichier .reqif à écrire
    #[arg(value_name = "SORTIE.reqif")]
    pub out: PathBuf,
    /// Statuts sur une campagne (défaut : dernier résultat de chaque test, toutes campagnes)
    #[arg(long, conflicts_with = "delivery")]
    pub campaign: Option<String>,
    /// Statuts sur les campagnes d'une livraison
    #[arg(long)]
    pub delivery: Option<String>,
    /// Titre de la spécification (défaut : le nom du projet)
    #[arg(long)]
    pub title: Option<String>,
}

/// `export workbook`
#[derive(Debug, Args)]
pub struct WorkbookArgs {
    /// Fichier .xlsx à écrire
    #[arg(value_name = "SORTIE.xlsx")]
    pub out: PathBuf,
    /// Sortie JSON (ce qui a été écrit)
    #[arg(long)]
    pub json: bool,
}

/// `campaign sheet`
#[derive(Debug, Args)]
pub struct SheetArgs {
    /// Campagne
    pub campaign: String,
    /// Fichier .xlsx à écrire
    #[arg(value_name = "SORTIE.xlsx")]
    pub out: PathBuf,
    /// Seulement les tests attribués à ce testeur
    #[arg(long, value_name = "NOM")]
    pub assignee: Option<String>,
    /// Sortie JSON (ce qui a été écrit)
    #[arg(long)]
    pub json: bool,
}

/// Runs an export command.
pub fn run(cmd: ExportCommand, env: &Env) -> Result<i32> {
    let store = env.open()?;
    match cmd {
        ExportCommand::Reqif(a) => {
            let req = ReqifExportRequest {
                scope: Scope::of(a.campaign, a.delivery),
                title: a.title,
                lang: env.lang,
            };
            let doc = export_reqif(&store, &req, &a.out)?;
            println!(
                "{} {} : {} {}",
                env.t("ReqIF écrit :", "ReqIF written:"),
                a.out.display(),
                doc.requirements,
                env.t("exigence(s)", "requirement(s)")
            );
        }
        ExportCommand::Workbook(a) => {
            let s = workbook::export_workbook(&store, &a.out)?;
            if a.json {
                return json(&s).map(|_| EXIT_OK);
            }
            println!(
                "{} {} : {} {}, {} {}, {} {} ({} {}), {} {}, {} {}, {} {}, {} {}, {} {}, {} {}, {} {}",
                env.t("Classeur écrit :", "Workbook written:"),
                s.file,
                s.deliveries,
                env.t("livraison(s)", "delivery(ies)"),
                s.strategies,
                env.t("stratégie(s)", "strategy(ies)"),
                s.test_cases,
                env.t("cas de test", "test case(s)"),
                s.steps,
                env.t("étape(s)", "step(s)"),
                s.requirements,
                env.t("exigence(s)", "requirement(s)"),
                s.links,
                env.t("lien(s)", "link(s)"),
                s.campaigns,
                env.t("campagne(s)", "campaign(s)"),
                s.planned_tests,
                env.t("test(s) planifié(s)", "planned test(s)"),
                s.results,
                env.t("tentative(s)", "attempt(s)"),
                s.decisions,
                env.t("décision(s) signée(s)", "signed decision(s)"),
                s.anomalies,
                env.t("anomalie(s)", "anomaly(ies)"),
            );
            if !s.not_carried.is_empty() {
                println!(
                    "{}",
                    env.t(
                        "Ce que le classeur ne porte pas (la base d'origine les garde) :",
                        "What the workbook does not carry (the original store keeps them):"
                    )
                );
                for n in &s.not_carried {
                    println!("  - {}", n.describe(env.lang));
                }
            }
        }
    }
    Ok(EXIT_OK)
}

/// Runs `recette campaign sheet`.
pub fn run_sheet(a: SheetArgs, env: &Env) -> Result<i32> {
    let store = env.open()?;
    let s = campaign_sheet::campaign_sheet(&store, &a.campaign, &a.out, a.assignee.as_deref())?;
    if a.json {
        return json(&s).map(|_| EXIT_OK);
    }
    println!(
        "{} {} : {} {}, {} {}, {} {}",
        env.t(
            "Feuille d'exécution hors ligne écrite :",
            "Offline execution sheet written:"
        ),
        s.file,
        env.t("campagne", "campaign"),
        s.campaign,
        s.tests,
        env.t("cas de test", "test case(s)"),
        s.steps,
        env.t("étape(s)", "step(s)"),
    );
    println!(
        "{}",
        env.t(
            "À remplir (colonnes jaunes), puis : recette import <fichier>",
            "Fill in the yellow columns, then: recette import <file>"
        )
    );
    Ok(EXIT_OK)
}
