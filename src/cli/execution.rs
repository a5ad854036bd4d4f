//! `recette execution show` and `recette evidence get`: executions read back as they were run.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::output::{json, Table};
use super::{Env, EXIT_OK};
use crate::error::Result;
use crate::store::ExecutionQuery;

/// Execution commands.
#[derive(Debug, Subcommand)]
pub enum ExecutionCommand {
    /// Affiche les essais d'un cas de test dans une campagne : statut, testeur, date,
    /// commentaire, version, chaque étape telle qu'exécutée avec son résultat obtenu, preuves,
    /// anomalies
    Show(ExecutionShowArgs),
}

/// `execution show`
#[derive(Debug, Args)]
pub struct ExecutionShowArgs {
    /// Campagne
    pub campaign: String,
    /// Référence du cas de test
    pub test: String,
    /// Seulement ce jeu de données
    #[arg(long, value_name = "JEU")]
    pub dataset: Option<String>,
    /// Seulement cet essai
    #[arg(long, value_name = "N")]
    pub attempt: Option<i64>,
    /// Sortie JSON
    #[arg(long)]
    pub json: bool,
}

/// Evidence commands.
#[derive(Debug, Subcommand)]
pub enum EvidenceCommand {
    /// Copie un fichier de preuve, désigné par son empreinte sha256 (ou son début) ou son nom
    Get(EvidenceGetArgs),
}

/// `evidence get`
#[derive(Debug, Args)]
pub struct EvidenceGetArgs {
    /// Empreinte sha256 (6 caractères au moins) ou nom du fichier
    pub key: String,
    /// Fichier à écrire
    #[arg(long, value_name = "FICHIER")]
    pub out: PathBuf,
    /// Sortie JSON
    #[arg(long)]
    pub json: bool,
}

/// Runs `recette execution ...`.
pub fn run(cmd: ExecutionCommand, env: &Env) -> Result<i32> {
    let ExecutionCommand::Show(a) = cmd;
    let store = env.open()?;
    let details = store.execution_details(
        &a.campaign,
        &a.test,
        &ExecutionQuery {
            dataset: a.dataset,
            attempt: a.attempt,
        },
    )?;
    if a.json {
        return json(&details).map(|_| EXIT_OK);
    }
    if details.is_empty() {
        println!(
            "{} {} / {}",
            env.t("Aucune exécution :", "No execution:"),
            a.campaign,
            a.test
        );
        return Ok(EXIT_OK);
    }
    let lang = env.lang;
    for (i, d) in details.iter().enumerate() {
        if i > 0 {
            println!();
        }
        println!(
            "{} / {} — {} {}{} {}",
            d.campaign,
            crate::entities::item_label(&d.test, d.dataset.as_deref()),
            env.t("essai", "attempt"),
            d.attempt,
            env.t(" :", ":"),
            d.status.label(lang)
        );
        println!("  {}", d.title);
        println!(
            "  {} {}   {} {}   Version {}{}",
            env.t("Testeur :", "Tester:"),
            d.tester,
            env.t("Date :", "Date:"),
            super::output::when(env.lang, &d.executed_at),
            d.test_version,
            if d.outdated {
                env.t(
                    " (le cas de test a changé depuis)",
                    " (the test case has changed since)",
                )
            } else {
                ""
            }
        );
        if !d.parameters.is_empty() {
            println!(
                "  {} {}",
                env.t("Valeurs :", "Values:"),
                crate::params::format_assignments(&d.parameters)
            );
        }
        if !d.prerequisites.is_empty() {
            println!(
                "  {} {}",
                env.t("Prérequis :", "Prerequisites:"),
                d.prerequisites
            );
        }
        if !d.comment.is_empty() {
            println!("  {} {}", env.t("Commentaire :", "Comment:"), d.comment);
        }
        if !d.anomalies.is_empty() {
            println!(
                "  {} {}",
                env.t("Anomalies :", "Anomalies:"),
                d.anomalies.join(", ")
            );
        }
        if d.source != "manual" {
            println!("  {} {}", env.t("Source :", "Source:"), d.source);
        }
        if !d.steps.is_empty() {
            let mut t = Table::new(&[
                "N°",
                env.t("Action", "Action"),
                env.t("Résultat attendu", "Expected result"),
                env.t("Statut", "Status"),
                env.t("Résultat obtenu", "Actual result"),
            ]);
            for s in &d.steps {
                t.row(vec![
                    s.index.to_string(),
                    s.action.clone(),
                    s.expected.clone(),
                    s.status
                        .map(|x| x.label(lang).to_string())
                        .unwrap_or_else(|| "—".into()),
                    s.actual.clone(),
                ]);
            }
            t.max_width = 40;
            t.print("");
        }
        for e in &d.evidence {
            println!(
                "  {} {} ({} o, sha256 {})",
                env.t("Preuve :", "Evidence:"),
                e.file_name,
                e.size,
                e.sha256
            );
        }
    }
    Ok(EXIT_OK)
}

/// Runs `recette evidence ...`.
pub fn run_evidence(cmd: EvidenceCommand, env: &Env) -> Result<i32> {
    let EvidenceCommand::Get(a) = cmd;
    let store = env.open()?;
    let f = store.copy_evidence(&a.key, &a.out)?;
    if a.json {
        return json(&f).map(|_| EXIT_OK);
    }
    println!(
        "{} {} ({}, {} o, sha256 {}) → {}",
        env.t("Preuve copiée :", "Evidence copied:"),
        f.evidence.file_name,
        f.place(),
        f.evidence.size,
        f.evidence.sha256,
        a.out.display()
    );
    Ok(EXIT_OK)
}
