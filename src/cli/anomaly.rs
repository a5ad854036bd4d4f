//! `recette anomaly ...`.

use clap::{Args, Subcommand};

use super::output::{json, Table};
use super::{Env, EXIT_OK};
use crate::error::{Error, Result};
use crate::model::{AnomalyStatus, Severity};
use crate::store::AnomalyPatch;

/// Anomaly commands.
#[derive(Debug, Subcommand)]
pub enum AnomalyCommand {
    /// Déclare une anomalie
    Add(AnomalyAddArgs),
    /// Liste les anomalies
    List(AnomalyListArgs),
    /// Change une anomalie (statut, sévérité, livraison de correction...)
    Set(AnomalySetArgs),
}

/// `anomaly add`
#[derive(Debug, Args)]
pub struct AnomalyAddArgs {
    /// Référence (ex. FA-001)
    pub reference: String,
    /// Intitulé
    #[arg(long)]
    pub title: String,
    /// Sévérité : bloquante, majeure, mineure
    #[arg(long)]
    pub severity: String,
    /// Description
    #[arg(long)]
    pub description: Option<String>,
    /// Livraison où elle a été trouvée
    #[arg(long)]
    pub found_in: Option<String>,
}

/// `anomaly list`
#[derive(Debug, Args)]
pub struct AnomalyListArgs {
    /// Seulement les anomalies ouvertes
    #[arg(long)]
    pub open: bool,
    /// Sortie JSON
    #[arg(long)]
    pub json: bool,
}

/// `anomaly set`
#[derive(Debug, Args)]
pub struct AnomalySetArgs {
    /// Référence
    pub reference: String,
    /// Statut : ouverte, analysée, corrigée, à retester, close, rouverte, rejetée
    #[arg(long)]
    pub status: Option<String>,
    /// Sévérité
    #[arg(long)]
    pub severity: Option<String>,
    /// Intitulé
    #[arg(long)]
    pub title: Option<String>,
    /// Description
    #[arg(long)]
    pub description: Option<String>,
    /// Livraison de correction
    #[arg(long)]
    pub fixed_in: Option<String>,
}

/// Runs an anomaly command.
pub fn run(cmd: AnomalyCommand, env: &Env) -> Result<i32> {
    let lang = env.lang;
    let mut store = env.open()?;
    match cmd {
        AnomalyCommand::Add(a) => {
            let sev = Severity::parse(&a.severity)?;
            let patch = AnomalyPatch {
                description: a.description,
                found_in: a.found_in,
                ..AnomalyPatch::default()
            };
            store.write("anomaly add", |tx| {
                tx.add_anomaly(&a.reference, &a.title, sev, &patch)
            })?;
            println!(
                "{} {}",
                env.t("Anomalie déclarée :", "Anomaly recorded:"),
                a.reference
            );
        }
        AnomalyCommand::Set(a) => {
            let patch = AnomalyPatch {
                title: a.title,
                description: a.description,
                severity: a.severity.as_deref().map(Severity::parse).transpose()?,
                status: a.status.as_deref().map(AnomalyStatus::parse).transpose()?,
                found_in: None,
                fixed_in: a.fixed_in,
            };
            if patch.title.is_none()
                && patch.description.is_none()
                && patch.severity.is_none()
                && patch.status.is_none()
                && patch.fixed_in.is_none()
            {
                return Err(Error::input(
                    "rien à changer : donnez --status, --severity, --title, --description ou --fixed-in",
                    "nothing to change: give --status, --severity, --title, --description or --fixed-in",
                ));
            }
            let changed =
                store.write("anomaly set", |tx| tx.update_anomaly(&a.reference, &patch))?;
            if changed {
                println!(
                    "{} {}",
                    env.t("Anomalie modifiée :", "Anomaly changed:"),
                    a.reference
                );
            } else {
                println!(
                    "{} {}",
                    env.t("Aucun changement :", "No change:"),
                    a.reference
                );
            }
        }
        AnomalyCommand::List(a) => {
            let list: Vec<_> = store
                .anomalies()?
                .into_iter()
                .filter(|x| !a.open || x.status.is_open())
                .collect();
            if a.json {
                return json(&list).map(|_| EXIT_OK);
            }
            let mut t = Table::new(&[
                env.t("Réf.", "Ref"),
                env.t("Intitulé", "Title"),
                env.t("Sévérité", "Severity"),
                env.t("Statut", "Status"),
                env.t("Trouvée dans", "Found in"),
                env.t("Corrigée dans", "Fixed in"),
                env.t("Tests", "Tests"),
            ]);
            for x in list {
                t.row(vec![
                    x.reference,
                    x.title,
                    x.severity.label(lang).to_string(),
                    x.status.label(lang).to_string(),
                    x.found_in.unwrap_or_default(),
                    x.fixed_in.unwrap_or_default(),
                    x.tests.join(", "),
                ]);
            }
            t.print(env.t("Aucune anomalie.", "No anomaly."));
        }
    }
    Ok(EXIT_OK)
}
