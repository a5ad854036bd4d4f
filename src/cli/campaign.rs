//! `recette delivery ...`, `recette campaign ...` and `recette run`.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::output::{json, Table};
use super::req::ShowArgs;
use super::{Env, EXIT_OK};
use crate::error::{Error, Result};
use crate::indicators::CampaignIndicators;
use crate::model::{Criticality, ExecStatus, Phase};
use crate::store::{NewCampaign, RunInput, Selection};

/// Only `--json`.
#[derive(Debug, Args)]
pub struct JsonArgs {
    /// Sortie JSON
    #[arg(long)]
    pub json: bool,
}

/// Campaign commands.
#[derive(Debug, Subcommand)]
pub enum CampaignCommand {
    /// Crée une campagne de recette
    Create(CampaignCreateArgs),
    /// Ajoute des cas de test à une campagne (par référence, criticité, étiquette, exigence)
    Add(CampaignAddArgs),
    /// Liste les campagnes
    List(JsonArgs),
    /// Affiche une campagne : tests, derniers résultats, indicateurs
    Show(ShowArgs),
    /// Écrit le classeur d'exécution hors ligne de la campagne (à remplir puis « recette import »)
    Sheet(super::export::SheetArgs),
}

/// `campaign create`
#[derive(Debug, Args)]
pub struct CampaignCreateArgs {
    /// Référence (ex. VABF-1)
    pub reference: String,
    /// Intitulé
    #[arg(long, default_value = "")]
    pub title: String,
    /// Livraison testée
    #[arg(long)]
    pub delivery: Option<String>,
    /// Phase : VABF, VSR, non-régression, intégration
    #[arg(long, default_value = "vabf")]
    pub phase: String,
    /// Stratégie (critères de sortie)
    #[arg(long)]
    pub strategy: Option<String>,
    /// Date de début
    #[arg(long)]
    pub start: Option<String>,
    /// Date de fin
    #[arg(long)]
    pub end: Option<String>,
    /// Campagne de retest et de non-régression de la livraison : sélectionne les tests des
    /// anomalies qu'elle corrige, des exigences qu'elle livre ou modifie, et la non-régression
    #[arg(long, requires = "delivery")]
    pub retest: bool,
    /// Non-régression : criticités d'exigence dont tous les tests sont repris (défaut : critique)
    #[arg(long = "nr-criticality", requires = "retest")]
    pub nr_criticality: Vec<String>,
    /// Non-régression : étiquettes dont tous les tests sont repris (défaut : non-regression)
    #[arg(long = "nr-tag", requires = "retest")]
    pub nr_tags: Vec<String>,
    /// Non-régression : ne pas reprendre les tests en échec ou bloqués de la campagne précédente
    #[arg(long = "no-nr-failed", requires = "retest")]
    pub no_nr_failed: bool,
    /// Affiche la sélection et la raison de chaque test, sans rien écrire
    #[arg(long, requires = "retest")]
    pub dry_run: bool,
    /// Sortie JSON (avec --retest)
    #[arg(long)]
    pub json: bool,
}

/// `campaign add`
#[derive(Debug, Args)]
pub struct CampaignAddArgs {
    /// Campagne
    pub campaign: String,
    /// Cas de test par référence (répétable)
    #[arg(long = "test")]
    pub tests: Vec<String>,
    /// Tous les cas de test liés à une exigence de cette criticité (répétable)
    #[arg(long)]
    pub criticality: Vec<String>,
    /// Tous les cas de test portant cette étiquette (répétable)
    #[arg(long = "tag")]
    pub tags: Vec<String>,
    /// Tous les cas de test liés à cette exigence (répétable)
    #[arg(long = "requirement")]
    pub requirements: Vec<String>,
    /// Tous les cas de test actifs
    #[arg(long)]
    pub all: bool,
    /// Testeur affecté
    #[arg(long)]
    pub assignee: Option<String>,
}

/// `recette run`
#[derive(Debug, Args)]
pub struct RunArgs {
    /// Campagne
    pub campaign: String,
    /// Cas de test
    pub test: String,
    /// Statut : OK, KO, Bloqué, Non passé, N/A, En cours (ou passed, failed...)
    #[arg(long)]
    pub status: String,
    /// Résultat d'une étape « N=statut » (répétable)
    #[arg(long = "step", value_name = "N=STATUT")]
    pub steps: Vec<String>,
    /// Commentaire
    #[arg(long, default_value = "")]
    pub comment: String,
    /// Fichier de preuve (copié dans la base par empreinte ; répétable)
    #[arg(long)]
    pub evidence: Vec<PathBuf>,
    /// Anomalie liée (répétable)
    #[arg(long)]
    pub anomaly: Vec<String>,
    /// Testeur (défaut : l'auteur --as)
    #[arg(long)]
    pub tester: Option<String>,
    /// Date d'exécution (défaut : maintenant)
    #[arg(long)]
    pub at: Option<String>,
}

pub use crate::dates::opt_date;

/// Runs a campaign command.
pub fn run(cmd: CampaignCommand, env: &Env) -> Result<i32> {
    let lang = env.lang;
    let mut store = env.open()?;
    match cmd {
        CampaignCommand::Create(a) if a.retest => return create_retest(a, env),
        CampaignCommand::Sheet(a) => return super::export::run_sheet(a, env),
        CampaignCommand::Create(a) => {
            let c = NewCampaign {
                title: a.title,
                delivery: a.delivery,
                strategy: a.strategy,
                phase: Phase::parse(&a.phase)?,
                start_date: opt_date(a.start)?,
                end_date: opt_date(a.end)?,
            };
            store.write("campaign create", |tx| tx.add_campaign(&a.reference, &c))?;
            println!(
                "{} {}",
                env.t("Campagne créée :", "Campaign created:"),
                a.reference
            );
        }
        CampaignCommand::Add(a) => {
            let sel = Selection {
                tests: a.tests,
                criticality: a
                    .criticality
                    .iter()
                    .map(|c| Criticality::parse(c))
                    .collect::<std::result::Result<_, _>>()?,
                tags: a.tags,
                requirements: a.requirements,
                all: a.all,
                assignee: a.assignee,
                reason: String::new(),
            };
            let added = store.write("campaign add", |tx| tx.select_tests(&a.campaign, &sel))?;
            println!(
                "{} {} ({})",
                added.len(),
                env.t("cas de test ajouté(s) à", "test case(s) added to"),
                a.campaign
            );
        }
        CampaignCommand::List(a) => {
            let cs = store.campaigns()?;
            if a.json {
                return json(&cs).map(|_| EXIT_OK);
            }
            let mut t = Table::new(&[
                env.t("Réf.", "Ref"),
                env.t("Intitulé", "Title"),
                "Phase",
                env.t("Livraison", "Delivery"),
                "Tests",
            ]);
            for c in cs {
                t.row(vec![
                    c.reference,
                    c.title,
                    c.phase.label(lang).to_string(),
                    c.delivery.unwrap_or_default(),
                    c.tests.to_string(),
                ]);
            }
            t.print(env.t("Aucune campagne.", "No campaign."));
        }
        CampaignCommand::Show(a) => {
            let c = store.campaign(&a.reference)?;
            let tests = store.campaign_tests(&a.reference)?;
            let ind = CampaignIndicators::compute(&tests);
            if a.json {
                return json(
                    &serde_json::json!({"campaign": c, "tests": tests, "indicators": ind}),
                )
                .map(|_| EXIT_OK);
            }
            println!("{} — {} ({})", c.reference, c.title, c.phase.label(lang));
            if let Some(d) = &c.delivery {
                println!("  {} {d}", env.t("Livraison :", "Delivery:"));
            }
            println!(
                "  {} {}   {} {}",
                env.t("Taux d'exécution :", "Execution rate:"),
                crate::i18n::percent(lang, ind.execution_rate),
                env.t("Taux de réussite :", "Pass rate:"),
                crate::i18n::percent(lang, ind.pass_rate)
            );
            let mut t = Table::new(&[
                env.t("Cas de test", "Test case"),
                env.t("Intitulé", "Title"),
                env.t("Statut", "Status"),
                env.t("Essais", "Attempts"),
                env.t("Testeur", "Tester"),
                env.t("Anomalies", "Anomalies"),
            ]);
            for ct in tests {
                t.row(vec![
                    ct.reference,
                    ct.title,
                    ct.status.label(lang).to_string(),
                    ct.attempts.to_string(),
                    ct.tester.unwrap_or_default(),
                    ct.anomalies.join(", "),
                ]);
            }
            println!();
            t.print(env.t(
                "Aucun cas de test dans la campagne.",
                "No test case in the campaign.",
            ));
        }
    }
    Ok(EXIT_OK)
}

/// Parses `N=status`.
fn parse_step(s: &str) -> Result<(u32, ExecStatus)> {
    let bad = || {
        Error::input(
            format!("--step « {s} » : attendu N=statut, par exemple 2=KO"),
            format!("--step \"{s}\": expected N=status, for example 2=failed"),
        )
    };
    let (n, st) = s.split_once('=').ok_or_else(bad)?;
    let n: u32 = n.trim().parse().map_err(|_| bad())?;
    Ok((n, ExecStatus::parse(st)?))
}

/// `recette run`
pub fn run_execution(a: RunArgs, env: &Env) -> Result<i32> {
    let mut input = RunInput::status(ExecStatus::parse(&a.status)?);
    input.steps = a
        .steps
        .iter()
        .map(|s| parse_step(s))
        .collect::<Result<_>>()?;
    input.comment = a.comment;
    input.evidence = a.evidence;
    input.anomalies = a.anomaly;
    input.tester = a.tester;
    input.executed_at = opt_date(a.at)?;
    let mut store = env.open()?;
    let attempt = store.write("run", |tx| {
        tx.record_execution(&a.campaign, &a.test, &input)
    })?;
    println!(
        "{} {} / {} : {} ({} {attempt})",
        env.t("Résultat enregistré :", "Result recorded:"),
        a.campaign,
        a.test,
        input.status.label(env.lang),
        env.t("essai", "attempt")
    );
    Ok(EXIT_OK)
}

/// `campaign create --retest`: the plan, then (unless `--dry-run`) the campaign with each test
/// and its reasons.
fn create_retest(a: CampaignCreateArgs, env: &Env) -> Result<i32> {
    let mut store = env.open()?;
    let Some(delivery) = a.delivery.clone() else {
        return Err(Error::input(
            "--retest demande --delivery",
            "--retest needs --delivery",
        ));
    };
    let req = crate::ops::campaign::RetestRequest {
        reference: a.reference.clone(),
        title: a.title.clone(),
        delivery,
        phase: Phase::parse(&a.phase)?,
        strategy: a.strategy.clone(),
        start_date: opt_date(a.start.clone())?,
        end_date: opt_date(a.end.clone())?,
        criticality: a
            .nr_criticality
            .iter()
            .map(|c| Criticality::parse(c))
            .collect::<std::result::Result<_, _>>()?,
        tags: a.nr_tags.clone(),
        failed_in_last_campaign: !a.no_nr_failed,
        dry_run: a.dry_run,
    };
    let outcome = crate::ops::campaign::create_retest(&mut store, &req)?;
    let plan = &outcome.tests;
    if a.json {
        return json(&outcome).map(|_| EXIT_OK);
    }
    if a.dry_run {
        println!(
            "{} {} ({} {})",
            env.t("Sélection proposée pour", "Proposed selection for"),
            a.reference,
            plan.len(),
            env.t("tests ; rien n'a été écrit", "tests; nothing was written")
        );
    } else {
        println!(
            "{} {} : {} {}",
            env.t("Campagne créée :", "Campaign created:"),
            a.reference,
            plan.len(),
            env.t("tests", "tests")
        );
    }
    let mut t = Table::new(&[
        env.t("Cas de test", "Test case"),
        env.t("Intitulé", "Title"),
        env.t("Raisons", "Reasons"),
    ]);
    for p in plan {
        t.row(vec![
            p.reference.clone(),
            p.title.clone(),
            p.reasons.join(" ; "),
        ]);
    }
    t.max_width = 90;
    t.print("");
    Ok(EXIT_OK)
}
