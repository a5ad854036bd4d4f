//! `recette anomaly ...`.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::output::{json, Table};
use super::{Env, EXIT_OK};
use crate::entities::Visibility;
use crate::error::Result;
use crate::model::{AnomalyStatus, Severity};
use crate::ops::anomaly::{self as ops, Reader};
use crate::store::AnomalyPatch;

/// Anomaly commands.
#[derive(Debug, Subcommand)]
pub enum AnomalyCommand {
    /// Déclare une anomalie
    Add(AnomalyAddArgs),
    /// Liste les anomalies
    List(AnomalyListArgs),
    /// Affiche une anomalie : historique complet, commentaires, pièces jointes, exigences, exécutions
    Show(AnomalyShowArgs),
    /// Change une anomalie : champs, statut (selon son cycle de vie), affectation, exigences
    #[command(visible_alias = "set")]
    Edit(AnomalyEditArgs),
    /// Commente une anomalie (interne par défaut : jamais montré au titulaire)
    Comment(AnomalyCommentArgs),
    /// Joint un fichier à une anomalie (capture, journal...)
    Attach(AnomalyAttachArgs),
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
    /// Qui doit la traiter (souvent le titulaire)
    #[arg(long)]
    pub assignee: Option<String>,
    /// Exigence concernée (répétable)
    #[arg(long = "requirement", value_name = "EXIGENCE")]
    pub requirements: Vec<String>,
    /// Sortie JSON
    #[arg(long)]
    pub json: bool,
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

/// `anomaly show`
#[derive(Debug, Args)]
pub struct AnomalyShowArgs {
    /// Référence
    pub reference: String,
    /// Sortie JSON
    #[arg(long)]
    pub json: bool,
}

/// `anomaly edit`
#[derive(Debug, Args)]
pub struct AnomalyEditArgs {
    /// Référence
    pub reference: String,
    /// Statut : ouverte, analysée, corrigée, à retester, close, rouverte, rejetée (seuls les
    /// passages du cycle de vie sont admis)
    #[arg(long)]
    pub status: Option<String>,
    /// Pourquoi le statut change (obligatoire pour rouvrir ou rejeter)
    #[arg(long)]
    pub comment: Option<String>,
    /// Sévérité
    #[arg(long)]
    pub severity: Option<String>,
    /// Intitulé
    #[arg(long)]
    pub title: Option<String>,
    /// Description
    #[arg(long)]
    pub description: Option<String>,
    /// Qui doit la traiter ("" pour personne)
    #[arg(long)]
    pub assignee: Option<String>,
    /// Livraison où elle a été trouvée
    #[arg(long)]
    pub found_in: Option<String>,
    /// Livraison de correction
    #[arg(long)]
    pub fixed_in: Option<String>,
    /// Exigence concernée à lier (répétable)
    #[arg(long = "requirement", value_name = "EXIGENCE")]
    pub requirements: Vec<String>,
    /// Sortie JSON
    #[arg(long)]
    pub json: bool,
}

/// `anomaly comment`
#[derive(Debug, Args)]
pub struct AnomalyCommentArgs {
    /// Référence
    pub reference: String,
    /// Texte du commentaire
    #[arg(long)]
    pub text: String,
    /// Commentaire interne, jamais montré au titulaire (défaut)
    #[arg(long, conflicts_with = "shared")]
    pub internal: bool,
    /// Commentaire partagé avec le titulaire
    #[arg(long)]
    pub shared: bool,
    /// Sortie JSON
    #[arg(long)]
    pub json: bool,
}

/// `anomaly attach`
#[derive(Debug, Args)]
pub struct AnomalyAttachArgs {
    /// Référence
    pub reference: String,
    /// Fichier à joindre
    pub file: PathBuf,
    /// Sortie JSON
    #[arg(long)]
    pub json: bool,
}

/// Runs an anomaly command.
pub fn run(cmd: AnomalyCommand, env: &Env) -> Result<i32> {
    let lang = env.lang;
    let mut store = env.open()?;
    match cmd {
        AnomalyCommand::Add(a) => {
            let req = ops::AddRequest {
                reference: a.reference.clone(),
                title: a.title,
                severity: Severity::parse(&a.severity)?,
                description: a.description,
                found_in: a.found_in,
                assignee: a.assignee,
                requirements: a.requirements,
            };
            let d = ops::add(&mut store, &req)?;
            if a.json {
                return json(&d).map(|_| EXIT_OK);
            }
            println!(
                "{} {}",
                env.t("Anomalie déclarée :", "Anomaly recorded:"),
                a.reference
            );
        }
        AnomalyCommand::Edit(a) => {
            let req = ops::EditRequest {
                reference: a.reference.clone(),
                patch: AnomalyPatch {
                    title: a.title,
                    description: a.description,
                    severity: a.severity.as_deref().map(Severity::parse).transpose()?,
                    status: a.status.as_deref().map(AnomalyStatus::parse).transpose()?,
                    found_in: a.found_in,
                    fixed_in: a.fixed_in,
                    assignee: a.assignee,
                    comment: a.comment,
                },
                requirements: a.requirements,
            };
            let out = ops::edit(&mut store, &req)?;
            if a.json {
                return json(&out).map(|_| EXIT_OK);
            }
            if !out.changed {
                println!(
                    "{} {}",
                    env.t("Aucun changement :", "No change:"),
                    a.reference
                );
            } else if out.from != out.status {
                println!(
                    "{} {} : {} → {}",
                    env.t("Anomalie modifiée :", "Anomaly changed:"),
                    a.reference,
                    out.from.label(lang),
                    out.status.label(lang)
                );
            } else {
                println!(
                    "{} {}",
                    env.t("Anomalie modifiée :", "Anomaly changed:"),
                    a.reference
                );
            }
        }
        AnomalyCommand::Comment(a) => {
            let visibility = if a.shared {
                Visibility::Shared
            } else {
                Visibility::Internal
            };
            let c = ops::comment(
                &mut store,
                &ops::CommentRequest {
                    reference: a.reference.clone(),
                    text: a.text,
                    visibility,
                },
            )?;
            if a.json {
                return json(&c).map(|_| EXIT_OK);
            }
            println!(
                "{} {} ({})",
                env.t("Commentaire ajouté :", "Comment added:"),
                a.reference,
                c.visibility.label(lang)
            );
        }
        AnomalyCommand::Attach(a) => {
            let ev = ops::attach(
                &mut store,
                &ops::AttachRequest {
                    reference: a.reference.clone(),
                    file: a.file,
                },
            )?;
            if a.json {
                return json(&ev).map(|_| EXIT_OK);
            }
            println!(
                "{} {} → {} ({} o, sha256 {})",
                env.t("Pièce jointe :", "Attached:"),
                ev.file_name,
                a.reference,
                ev.size,
                ev.sha256
            );
        }
        AnomalyCommand::Show(a) => {
            let d = ops::show(&store, &a.reference, Reader::Buyer)?;
            if a.json {
                return json(&d).map(|_| EXIT_OK);
            }
            print_detail(&d, env);
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

fn event_label(event: &str, env: &Env) -> String {
    match event {
        "create" => env.t("création", "created"),
        "move" => env.t("changement de statut", "status change"),
        "fix_claimed" => env.t("correction déclarée", "fix claimed"),
        "retest_passed" => env.t("retest conforme", "retest passed"),
        "retest_failed" => env.t("retest en échec", "retest failed"),
        "import" => env.t("import", "import"),
        other => other,
    }
    .to_string()
}

fn print_detail(d: &crate::entities::AnomalyDetail, env: &Env) {
    let lang = env.lang;
    let a = &d.anomaly;
    let none = || env.t("—", "—").to_string();
    println!("{} — {}", a.reference, a.title);
    println!(
        "  {} {}   {} {}   {} {}",
        env.t("Sévérité :", "Severity:"),
        a.severity.label(lang),
        env.t("Statut :", "Status:"),
        a.status.label(lang),
        env.t("Réouvertures :", "Reopened:"),
        a.reopen_count
    );
    println!(
        "  {} {}   {} {}   {} {}",
        env.t("Trouvée dans :", "Found in:"),
        a.found_in.clone().unwrap_or_else(none),
        env.t("Corrigée dans :", "Fixed in:"),
        a.fixed_in.clone().unwrap_or_else(none),
        env.t("Affectée à :", "Assigned to:"),
        if a.assignee.is_empty() {
            none()
        } else {
            a.assignee.clone()
        }
    );
    if !a.description.is_empty() {
        println!(
            "  {} {}",
            env.t("Description :", "Description:"),
            a.description
        );
    }
    let next: Vec<&str> = d.next_statuses.iter().map(|s| s.label(lang)).collect();
    println!(
        "  {} {}",
        env.t("Statuts possibles ensuite :", "Allowed next statuses:"),
        next.join(", ")
    );
    if !d.requirements.is_empty() {
        println!(
            "  {} {}",
            env.t("Exigences :", "Requirements:"),
            d.requirements.join(", ")
        );
    }
    println!();
    println!("{}", env.t("Historique", "History"));
    let mut t = Table::new(&[
        env.t("Date", "Date"),
        env.t("Par", "By"),
        env.t("Événement", "Event"),
        env.t("De", "From"),
        env.t("À", "To"),
        env.t("Livraison", "Delivery"),
        env.t("Exécution", "Execution"),
        env.t("Commentaire", "Comment"),
    ]);
    for h in &d.history {
        t.row(vec![
            super::output::when(lang, &h.at),
            h.actor.clone(),
            event_label(&h.event, env),
            h.from
                .map(|s| s.label(lang).to_string())
                .unwrap_or_default(),
            h.to.label(lang).to_string(),
            h.delivery.clone().unwrap_or_default(),
            h.execution.clone().unwrap_or_default(),
            h.comment.clone(),
        ]);
    }
    t.print(env.t("Aucun historique.", "No history."));
    if !d.executions.is_empty() {
        println!();
        println!("{}", env.t("Exécutions", "Executions"));
        let mut t = Table::new(&[
            env.t("Campagne", "Campaign"),
            env.t("Test", "Test"),
            env.t("Essai", "Attempt"),
            env.t("Statut", "Status"),
            env.t("Testeur", "Tester"),
            env.t("Date", "Date"),
        ]);
        for e in &d.executions {
            t.row(vec![
                e.campaign.clone(),
                crate::entities::item_label(&e.test, e.dataset.as_deref()),
                e.attempt.to_string(),
                e.status.label(lang).to_string(),
                e.tester.clone(),
                super::output::when(lang, &e.executed_at),
            ]);
        }
        t.print("");
    }
    if !d.comments.is_empty() {
        println!();
        println!("{}", env.t("Commentaires", "Comments"));
        for c in &d.comments {
            println!(
                "  {} {} ({}) : {}",
                super::output::when(lang, &c.at),
                c.actor,
                c.visibility.label(lang),
                c.text
            );
        }
    }
    if !d.evidence.is_empty() {
        println!();
        println!("{}", env.t("Pièces jointes", "Attachments"));
        for e in &d.evidence {
            println!("  {} ({} o, sha256 {})", e.file_name, e.size, e.sha256);
        }
    }
}
