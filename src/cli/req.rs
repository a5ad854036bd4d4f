//! `recette req ...` and `recette link ...`.

use clap::{Args, Subcommand};

use super::output::{json, Table};
use super::{Env, EXIT_OK};
use crate::error::Result;
use crate::model::{Criticality, ReqStatus};
use crate::ops::project::{edit_requirement, links, requirements, RequirementFilter};
use crate::store::RequirementPatch;

/// Requirement commands.
#[derive(Debug, Subcommand)]
pub enum ReqCommand {
    /// Ajoute une exigence
    Add(ReqAddArgs),
    /// Liste les exigences
    List(ReqListArgs),
    /// Affiche une exigence, ses tests liés et ses révisions
    Show(ShowArgs),
    /// Modifie une exigence (un changement de texte crée une révision et rend ses liens suspects)
    Edit(ReqEditArgs),
}

/// Fields of a requirement given on the command line.
#[derive(Debug, Args)]
pub struct ReqFields {
    /// Description (énoncé)
    #[arg(long)]
    pub description: Option<String>,
    /// Criticité : critique, majeure, mineure (ou haute, moyenne, basse...)
    #[arg(long)]
    pub criticality: Option<String>,
    /// Catégorie ou lot
    #[arg(long)]
    pub category: Option<String>,
    /// Statut : brouillon, validée, obsolète
    #[arg(long)]
    pub status: Option<String>,
    /// Document source (CCTP, spécification...)
    #[arg(long)]
    pub source: Option<String>,
}

/// `req add`
#[derive(Debug, Args)]
pub struct ReqAddArgs {
    /// Référence (ex. EXI-IMM-001)
    pub reference: String,
    /// Intitulé
    #[arg(long)]
    pub title: String,
    #[command(flatten)]
    pub fields: ReqFields,
}

/// `req edit`
#[derive(Debug, Args)]
pub struct ReqEditArgs {
    /// Référence
    pub reference: String,
    /// Nouvel intitulé
    #[arg(long)]
    pub title: Option<String>,
    #[command(flatten)]
    pub fields: ReqFields,
}

/// `req list`
#[derive(Debug, Args)]
pub struct ReqListArgs {
    /// Filtre par criticité
    #[arg(long)]
    pub criticality: Option<String>,
    /// Filtre par catégorie
    #[arg(long)]
    pub category: Option<String>,
    /// Sortie JSON
    #[arg(long)]
    pub json: bool,
}

/// `show` of any entity.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// Référence
    pub reference: String,
    /// Sortie JSON
    #[arg(long)]
    pub json: bool,
}

fn patch(title: Option<String>, f: ReqFields) -> Result<RequirementPatch> {
    Ok(RequirementPatch {
        title,
        description: f.description,
        criticality: f
            .criticality
            .as_deref()
            .map(Criticality::parse)
            .transpose()?,
        category: f.category,
        status: f.status.as_deref().map(ReqStatus::parse).transpose()?,
        source: f.source,
    })
}

/// Runs a requirement command.
pub fn run(cmd: ReqCommand, env: &Env) -> Result<i32> {
    let lang = env.lang;
    match cmd {
        ReqCommand::Add(a) => {
            let p = patch(Some(a.title), a.fields)?;
            let mut store = env.open()?;
            store.write("req add", |tx| tx.add_requirement(&a.reference, &p))?;
            println!(
                "{} {}",
                env.t("Exigence ajoutée :", "Requirement added:"),
                a.reference
            );
        }
        ReqCommand::Edit(a) => {
            let p = patch(a.title, a.fields)?;
            let mut store = env.open()?;
            let edit = edit_requirement(&mut store, &a.reference, &p)?;
            if !edit.changed {
                println!(
                    "{} {}",
                    env.t("Aucun changement :", "No change:"),
                    a.reference
                );
            } else {
                println!(
                    "{} {} ({} {})",
                    env.t("Exigence modifiée :", "Requirement changed:"),
                    a.reference,
                    env.t("révision", "revision"),
                    edit.revision
                );
                let suspect = edit.suspect_links;
                if suspect > 0 {
                    println!(
                        "{} {suspect} {}",
                        env.t("Attention :", "Warning:"),
                        env.t(
                            "lien(s) suspect(s) à revoir (recette link review)",
                            "suspect link(s) to review (recette link review)"
                        )
                    );
                }
            }
        }
        ReqCommand::List(a) => {
            let store = env.open()?;
            let filter = RequirementFilter {
                criticality: a
                    .criticality
                    .as_deref()
                    .map(Criticality::parse)
                    .transpose()?,
                category: a.category,
            };
            let reqs = requirements(&store, &filter)?;
            if a.json {
                return json(&reqs).map(|_| EXIT_OK);
            }
            let mut t = Table::new(&[
                env.t("Réf.", "Ref"),
                env.t("Intitulé", "Title"),
                env.t("Criticité", "Criticality"),
                env.t("Catégorie", "Category"),
                env.t("Statut", "Status"),
                "Rév.",
            ]);
            for r in &reqs {
                t.row(vec![
                    r.reference.clone(),
                    r.title.clone(),
                    r.criticality.label(lang).to_string(),
                    r.category.clone(),
                    r.status.label(lang).to_string(),
                    r.revision.to_string(),
                ]);
            }
            t.print(env.t("Aucune exigence.", "No requirement."));
        }
        ReqCommand::Show(a) => {
            let store = env.open()?;
            let d = store.requirement_detail(&a.reference)?;
            if a.json {
                return json(&d).map(|_| EXIT_OK);
            }
            let r = &d.requirement;
            println!("{} — {}", r.reference, r.title);
            println!(
                "  {} {}",
                env.t("Criticité :", "Criticality:"),
                r.criticality.label(lang)
            );
            println!("  {} {}", env.t("Catégorie :", "Category:"), r.category);
            println!(
                "  {} {}",
                env.t("Statut :", "Status:"),
                r.status.label(lang)
            );
            println!("  {} {}", env.t("Révision :", "Revision:"), r.revision);
            if !r.source.is_empty() {
                println!("  {} {}", env.t("Source :", "Source:"), r.source);
            }
            if !r.description.is_empty() {
                println!("\n{}\n", r.description);
            }
            println!("{}", env.t("Cas de test liés :", "Linked test cases:"));
            if d.tests.is_empty() {
                println!(
                    "  {}",
                    env.t(
                        "aucun (exigence non couverte)",
                        "none (uncovered requirement)"
                    )
                );
            }
            for t in &d.tests {
                let suspect = if t.suspect {
                    env.t(
                        " [lien suspect : fait sur la révision ",
                        " [suspect link: made on revision ",
                    )
                    .to_string()
                        + &t.requirement_revision.to_string()
                        + "]"
                } else {
                    String::new()
                };
                println!("  {} — {}{}", t.reference, t.title, suspect);
            }
        }
    }
    Ok(EXIT_OK)
}

/// Link commands.
#[derive(Debug, Subcommand)]
pub enum LinkCommand {
    /// Lie un cas de test à une exigence (à sa révision courante)
    Add(LinkArgs),
    /// Supprime un lien
    Rm(LinkArgs),
    /// Liste les liens (les liens suspects sont signalés)
    List(LinkListArgs),
    /// Revoit les liens suspects d'une exigence : ils passent à sa révision courante
    Review(LinkReviewArgs),
}

/// `link add|rm`
#[derive(Debug, Args)]
pub struct LinkArgs {
    /// Référence de l'exigence
    pub requirement: String,
    /// Référence du cas de test
    pub test: String,
}

/// `link list`
#[derive(Debug, Args)]
pub struct LinkListArgs {
    /// Seulement les liens suspects
    #[arg(long)]
    pub suspect: bool,
    /// Sortie JSON
    #[arg(long)]
    pub json: bool,
}

/// `link review`
#[derive(Debug, Args)]
pub struct LinkReviewArgs {
    /// Référence de l'exigence
    pub requirement: String,
    /// Seulement le lien vers ce cas de test
    #[arg(long)]
    pub test: Option<String>,
}

/// Runs a link command.
pub fn run_link(cmd: LinkCommand, env: &Env) -> Result<i32> {
    let mut store = env.open()?;
    match cmd {
        LinkCommand::Add(a) => {
            let added = store.write("link add", |tx| tx.add_link(&a.requirement, &a.test))?;
            if added {
                println!(
                    "{} {} -> {}",
                    env.t("Lien ajouté :", "Link added:"),
                    a.requirement,
                    a.test
                );
            } else {
                println!(
                    "{} {} -> {}",
                    env.t("Lien déjà présent :", "Link already present:"),
                    a.requirement,
                    a.test
                );
            }
        }
        LinkCommand::Rm(a) => {
            store.write("link rm", |tx| tx.remove_link(&a.requirement, &a.test))?;
            println!(
                "{} {} -> {}",
                env.t("Lien supprimé :", "Link removed:"),
                a.requirement,
                a.test
            );
        }
        LinkCommand::Review(a) => {
            let n = store.write("link review", |tx| {
                tx.review_links(&a.requirement, a.test.as_deref())
            })?;
            println!("{} {n}", env.t("Liens revus :", "Links reviewed:"));
        }
        LinkCommand::List(a) => {
            let rows = links(&store, a.suspect)?;
            if a.json {
                return json(&rows).map(|_| EXIT_OK);
            }
            let mut t = Table::new(&[
                env.t("Exigence", "Requirement"),
                env.t("Cas de test", "Test case"),
                env.t("Suspect", "Suspect"),
            ]);
            for r in rows {
                t.row(vec![
                    r.requirement,
                    r.test,
                    if r.suspect { env.t("oui", "yes") } else { "" }.to_string(),
                ]);
            }
            t.print(env.t("Aucun lien.", "No link."));
        }
    }
    Ok(EXIT_OK)
}
