//! `recette strategy ...`: test strategies and their exit criteria.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::output::{json, Table};
use super::{Env, EXIT_OK};
use crate::error::{Error, Result};
use crate::model::Phase;
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
    let mut t = Table::new(&[
        "#",
        env.t("Règle", "Rule"),
        env.t("Seuil", "Threshold"),
        env.t("Bloquant", "Blocking"),
        env.t("Libellé", "Label"),
    ]);
    for (i, c) in s.criteria.iter().enumerate() {
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
    t.print(env.t("Aucun critère de sortie.", "No exit criterion."));
}

/// Runs a strategy command.
pub fn run(cmd: StrategyCommand, env: &Env) -> Result<i32> {
    let mut store = env.open()?;
    match cmd {
        StrategyCommand::Create(a) => {
            let s = Strategy {
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
            let c = Criterion::parse(&a.rule, !a.non_blocking, &a.label)?;
            store.write("strategy criterion", |tx| tx.add_criterion(&a.strategy, &c))?;
            println!(
                "{} {} : {}{}",
                env.t("Critère ajouté à", "Criterion added to"),
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
