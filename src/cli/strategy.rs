//! `recette strategy ...`: test strategies and their exit criteria.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::output::{json, Table};
use super::{Env, EXIT_OK};
use crate::error::{Error, Result};
use crate::model::Phase;
use crate::store::{CriterionKind, CriterionPatch};
use crate::verdict::{criterion_name, format_threshold, Criterion, Strategy};

/// Strategy commands.
#[derive(Debug, Subcommand)]
#[command(after_long_help = INDICATORS_HELP)]
pub enum StrategyCommand {
    /// Crée une stratégie de recette (phase, ajournements admis, délai de levée des réserves)
    Create(CreateArgs),
    /// Ajoute un critère de sortie, ex. "open_bloquante = 0" ou "execution_rate >= 95"
    #[command(after_long_help = INDICATORS_HELP)]
    Criterion(CriterionArgs),
    /// Crée ou remplace une stratégie et ses critères depuis un fichier TOML
    Import(ImportArgs),
    /// Affiche une stratégie et ses critères (DEFAUT : la stratégie par défaut)
    Show(ShowArgs),
    /// Liste les stratégies
    List(ListArgs),
    /// Associe une stratégie à une campagne
    Attach(AttachArgs),
    /// Change un critère (règle, bloquant, libellé) sans réimporter la stratégie
    EditCriterion(EditCriterionArgs),
    /// Retire un critère (les suivants remontent d'un rang)
    RmCriterion(RmCriterionArgs),
}

/// `strategy edit-criterion`
#[derive(Debug, Args)]
pub struct EditCriterionArgs {
    /// Stratégie
    pub strategy: String,
    /// Numéro du critère (à partir de 1, comme « strategy show »)
    pub position: i64,
    /// Un critère d'entrée (sinon : de sortie)
    #[arg(long)]
    pub entry: bool,
    /// Nouvelle règle, ex. "open_majeure <= 3"
    #[arg(long)]
    pub rule: Option<String>,
    /// Le rendre bloquant
    #[arg(long, conflicts_with = "non_blocking")]
    pub blocking: bool,
    /// Le rendre non bloquant
    #[arg(long)]
    pub non_blocking: bool,
    /// Nouveau libellé
    #[arg(long)]
    pub label: Option<String>,
    /// Sortie JSON
    #[arg(long)]
    pub json: bool,
}

/// `strategy rm-criterion`
#[derive(Debug, Args)]
pub struct RmCriterionArgs {
    /// Stratégie
    pub strategy: String,
    /// Numéro du critère (à partir de 1)
    pub position: i64,
    /// Un critère d'entrée (sinon : de sortie)
    #[arg(long)]
    pub entry: bool,
    /// Sortie JSON
    #[arg(long)]
    pub json: bool,
}

/// Help text listing the indicators.
pub const INDICATORS_HELP: &str =
    "Indicateurs (taux en %) : execution_rate, pass_rate, coverage_rate, \
coverage_rate_<crit>, passed_rate, passed_rate_<crit> (ou critical_passed_rate...), uncovered, \
uncovered_<crit>, failed_<crit>, failed_requirements, blocked_requirements, not_run_requirements, \
requirements, tests, planned_tests, executed_tests, passed_tests, failed_tests, blocked_tests, \
not_run_tests, retests, to_recheck_requirements, open_anomalies, open_<sévérité>, anomalies, suspect_links. \
<crit> : critique|majeure|mineure ; <sévérité> : bloquante|majeure|mineure. \
Opérateurs : <, <=, =, >=, >.";

/// `strategy create`
#[derive(Debug, Args)]
pub struct CreateArgs {
    /// Référence (ex. STRAT-VABF)
    pub reference: String,
    /// Phase : VABF, VSR, non-régression, intégration
    #[arg(long, default_value = "vabf")]
    pub phase: String,
    /// Intitulé
    #[arg(long, default_value = "")]
    pub title: String,
    /// Périmètre (texte libre)
    #[arg(long, default_value = "")]
    pub scope: String,
    /// Nombre d'ajournements admis avant de proposer le rejet
    #[arg(long, default_value_t = 2)]
    pub max_ajournements: i64,
    /// Délai de levée des réserves, en jours après la fin de campagne
    #[arg(long, default_value_t = 30)]
    pub reserve_days: i64,
}

/// `strategy criterion`
#[derive(Debug, Args)]
pub struct CriterionArgs {
    /// Stratégie
    pub strategy: String,
    /// Règle : "indicateur opérateur seuil", ex. "open_majeure <= 2"
    pub rule: String,
    /// Critère non bloquant (son échec donne une réserve, pas un ajournement)
    #[arg(long)]
    pub non_blocking: bool,
    /// Libellé affiché dans les rapports
    #[arg(long, default_value = "")]
    pub label: String,
    /// Critère d'entrée, vérifié par « campaign start » (documents_not_accepted,
    /// smoke_passed_rate, smoke_not_passed, carried_open_anomalies, carried_open_<sévérité>)
    #[arg(long)]
    pub entry: bool,
}

/// `strategy import`
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Fichier TOML (voir fixtures/strategies/)
    pub file: PathBuf,
}

/// `strategy show`
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// Référence
    pub reference: String,
    /// Sortie JSON
    #[arg(long)]
    pub json: bool,
}

/// `strategy list`
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Sortie JSON
    #[arg(long)]
    pub json: bool,
}

/// `strategy attach`
#[derive(Debug, Args)]
pub struct AttachArgs {
    /// Stratégie
    pub strategy: String,
    /// Campagne
    pub campaign: String,
}

/// Reads a strategy TOML file.
pub fn read_strategy_file(path: &std::path::Path) -> Result<Strategy> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    Strategy::from_toml(&text, &path.display().to_string())
}

/// Prints a strategy.
fn print_strategy(s: &Strategy, env: &Env) {
    let lang = env.lang;
    println!("{} — {} ({})", s.reference, s.title, s.phase.label(lang));
    if !s.scope.is_empty() {
        println!("  {} {}", env.t("Périmètre :", "Scope:"), s.scope);
    }
    println!(
        "  {} {}   {} {} {}",
        env.t("Ajournements admis :", "Postponements allowed:"),
        s.max_ajournements,
        env.t("Levée des réserves :", "Reservations due in:"),
        s.reserve_days,
        env.t("jours", "days")
    );
    println!();
    print_criteria(
        &s.criteria,
        env,
        env.t("Aucun critère de sortie.", "No exit criterion."),
    );
    println!();
    println!(
        "{} ({} {})",
        env.t("Critères d'entrée", "Entry criteria"),
        env.t("tests de fumée : étiquette", "smoke tests: tag"),
        s.smoke_tag
    );
    print_criteria(
        &s.entry_criteria,
        env,
        env.t("Aucun critère d'entrée.", "No entry criterion."),
    );
}

/// Runs a strategy command.
/// The table of a strategy's exit or entry criteria.
fn print_criteria(criteria: &[crate::verdict::Criterion], env: &Env, empty: &str) {
    let lang = env.lang;
    let mut t = Table::new(&[
        "#",
        env.t("Règle", "Rule"),
        env.t("Seuil", "Threshold"),
        env.t("Bloquant", "Blocking"),
        env.t("Libellé", "Label"),
    ]);
    for (i, c) in criteria.iter().enumerate() {
        t.row(vec![
            (i + 1).to_string(),
            c.rule(),
            format_threshold(c, lang),
            if c.blocking {
                env.t("oui", "yes").into()
            } else {
                env.t("non", "no").into()
            },
            criterion_name(c, lang),
        ]);
    }
    t.print(empty);
}

pub fn run(cmd: StrategyCommand, env: &Env) -> Result<i32> {
    let mut store = env.open()?;
    match cmd {
        StrategyCommand::Create(a) => {
            let s = Strategy {
                entry_criteria: Vec::new(),
                smoke_tag: crate::verdict::DEFAULT_SMOKE_TAG.to_string(),
                reference: a.reference.clone(),
                title: a.title,
                phase: Phase::parse(&a.phase)?,
                scope: a.scope,
                max_ajournements: a.max_ajournements,
                reserve_days: a.reserve_days,
                criteria: Vec::new(),
            };
            store.write("strategy create", |tx| tx.add_strategy(&s))?;
            println!(
                "{} {}",
                env.t("Stratégie créée :", "Strategy created:"),
                a.reference
            );
        }
        StrategyCommand::Criterion(a) => {
            let (c, kind) = if a.entry {
                (
                    Criterion::parse_entry(&a.rule, !a.non_blocking, &a.label)?,
                    CriterionKind::Entry,
                )
            } else {
                (
                    Criterion::parse(&a.rule, !a.non_blocking, &a.label)?,
                    CriterionKind::Exit,
                )
            };
            store.write("strategy criterion", |tx| {
                tx.add_criterion_of(&a.strategy, kind, &c)
            })?;
            println!(
                "{} {} : {}{}",
                if a.entry {
                    env.t("Critère d'entrée ajouté à", "Entry criterion added to")
                } else {
                    env.t("Critère ajouté à", "Criterion added to")
                },
                a.strategy,
                c.rule(),
                if c.blocking {
                    ""
                } else {
                    env.t(" (non bloquant)", " (non-blocking)")
                }
            );
        }
        StrategyCommand::Import(a) => {
            let s = read_strategy_file(&a.file)?;
            let existed = store.write("strategy import", |tx| tx.import_strategy(&s))?;
            println!(
                "{} {} ({} {})",
                if existed {
                    env.t("Stratégie remplacée :", "Strategy replaced:")
                } else {
                    env.t("Stratégie créée :", "Strategy created:")
                },
                s.reference,
                s.criteria.len(),
                env.t("critère(s)", "criterion(s)")
            );
        }
        StrategyCommand::Show(a) => {
            let s = if a.reference == crate::verdict::DEFAULT_STRATEGY {
                Strategy::default_strategy()
            } else {
                store.strategy(&a.reference)?
            };
            if a.json {
                return json(&s).map(|_| EXIT_OK);
            }
            print_strategy(&s, env);
        }
        StrategyCommand::List(a) => {
            let all = store.strategies()?;
            if a.json {
                return json(&all).map(|_| EXIT_OK);
            }
            let mut t = Table::new(&[
                env.t("Réf.", "Ref"),
                env.t("Intitulé", "Title"),
                "Phase",
                env.t("Critères", "Criteria"),
            ]);
            for s in all {
                t.row(vec![
                    s.reference,
                    s.title,
                    s.phase.label(env.lang).to_string(),
                    s.criteria.len().to_string(),
                ]);
            }
            t.print(env.t(
                "Aucune stratégie : les campagnes utilisent la stratégie par défaut (recette strategy show DEFAUT).",
                "No strategy: campaigns use the default strategy (recette strategy show DEFAUT).",
            ));
        }
        StrategyCommand::EditCriterion(a) => {
            let kind = if a.entry {
                CriterionKind::Entry
            } else {
                CriterionKind::Exit
            };
            let rule = match &a.rule {
                Some(r) if a.entry => Some(Criterion::parse_entry(r, true, "")?),
                Some(r) => Some(Criterion::parse(r, true, "")?),
                None => None,
            };
            let patch = CriterionPatch {
                rule,
                blocking: if a.blocking {
                    Some(true)
                } else if a.non_blocking {
                    Some(false)
                } else {
                    None
                },
                label: a.label,
            };
            if patch.rule.is_none() && patch.blocking.is_none() && patch.label.is_none() {
                return Err(Error::input(
                    "rien à changer : donnez --rule, --blocking, --non-blocking ou --label",
                    "nothing to change: give --rule, --blocking, --non-blocking or --label",
                ));
            }
            let c = store.write("strategy edit-criterion", |tx| {
                tx.edit_criterion(&a.strategy, kind, a.position, &patch)
            })?;
            if a.json {
                return json(&c).map(|_| EXIT_OK);
            }
            println!(
                "{} {} n° {} : {}",
                env.t("Critère modifié :", "Criterion changed:"),
                a.strategy,
                a.position,
                c.rule()
            );
        }
        StrategyCommand::RmCriterion(a) => {
            let kind = if a.entry {
                CriterionKind::Entry
            } else {
                CriterionKind::Exit
            };
            let c = store.write("strategy rm-criterion", |tx| {
                tx.remove_criterion(&a.strategy, kind, a.position)
            })?;
            if a.json {
                return json(&c).map(|_| EXIT_OK);
            }
            println!(
                "{} {} n° {} : {}",
                env.t("Critère retiré :", "Criterion removed:"),
                a.strategy,
                a.position,
                c.rule()
            );
        }
        StrategyCommand::Attach(a) => {
            store.write("strategy attach", |tx| {
                tx.set_campaign_strategy(&a.campaign, &a.strategy)
            })?;
            println!(
                "{} {} → {}",
                env.t("Stratégie associée :", "Strategy attached:"),
                a.strategy,
                a.campaign
            );
        }
    }
    Ok(EXIT_OK)
}
