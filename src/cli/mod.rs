//! The command-line interface: typed options per command, each command a thin call into the
//! library, output as terminal tables or stable JSON.

mod anomaly;
mod bench;
mod campaign;
mod delivery;
mod execution;
mod export;
pub mod help;
mod help_en;
mod import;
mod output;
mod req;
mod results;
mod signoff;
mod status;
mod strategy;
mod test;
mod trace;
#[cfg(feature = "web")]
mod user;
mod verdict;

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::error::{Error, Result};
use crate::i18n::Lang;
use crate::store::{Context, Store};

/// Exit code of a successful command.
pub const EXIT_OK: i32 = 0;
/// Exit code of a command whose input was rejected or whose check failed.
pub const EXIT_REJECTED: i32 = 1;
/// Exit code of a usage error (unknown option, missing argument).
pub const EXIT_USAGE: i32 = 2;
/// Exit code of `gate` when the gate cannot be evaluated (unknown campaign, unreadable
/// store): distinct from a closed gate (1), so that CI tells a failed acceptance from a
/// broken pipeline.
pub const EXIT_GATE_ERROR: i32 = 3;

/// recette — gestion de la recette : exigences, cas de test, campagnes, anomalies, traçabilité,
/// PV de recette.
///
/// Codes de sortie : 0 succès, 1 entrée refusée ou contrôle en échec, 2 erreur d'usage, 3 (gate)
/// porte impossible à évaluer.
#[derive(Debug, Parser)]
#[command(
    name = "recette",
    version,
    about = "recette — gestion de la recette : exigences, cas de test, campagnes, anomalies, traçabilité, bilans et PV de recette",
    long_about = None,
    max_term_width = 100
)]
pub struct Cli {
    /// Base recette (fichier SQLite). Défaut : $RECETTE_DB, sinon ./recette.db
    #[arg(long, global = true, env = "RECETTE_DB", value_name = "FICHIER")]
    pub db: Option<PathBuf>,
    /// Auteur des modifications (journal d'audit). Défaut : $RECETTE_USER, sinon l'utilisateur système
    #[arg(long = "as", global = true, env = "RECETTE_USER", value_name = "NOM")]
    pub actor: Option<String>,
    /// Langue des messages et rapports : fr (défaut) ou en
    #[arg(long, global = true, env = "RECETTE_LANG", value_name = "fr|en")]
    pub lang: Option<String>,
    #[command(subcommand)]
    pub command: Command,
}

/// Top-level commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Crée une base recette vide
    Init(InitArgs),
    /// Exigences : add, list, show, edit
    #[command(subcommand)]
    Req(req::ReqCommand),
    /// Cas de test : add, list, show, edit, retire, restore, history, dataset
    #[command(subcommand)]
    Test(test::TestCommand),
    /// Liens exigence <-> cas de test : add, rm, list, review
    #[command(subcommand)]
    Link(req::LinkCommand),
    /// Livraisons du prestataire : add, list
    #[command(subcommand)]
    Delivery(delivery::DeliveryCommand),
    /// Campagnes de recette : create, add, assign, list, show, sheet
    #[command(subcommand)]
    Campaign(campaign::CampaignCommand),
    /// Importe des fichiers : classeurs du prestataire (xlsx, ods, csv), résultats automatisés
    /// (JUnit, Robot Framework, NUnit, TRX, xUnit, TestNG, CTRF), ReqIF, TestLink, Squash TM
    Import(Box<import::ImportArgs>),
    /// Exporte le projet en classeur (relisible par « recette import »)
    #[command(subcommand)]
    Export(export::ExportCommand),
    /// Résultats automatisés importés dans une campagne : suite, classe, nom, statut, durée,
    /// message, trace d'échec, sortie, propriétés, reprises
    Results(results::ResultsArgs),
    /// Enregistre le résultat d'un cas de test dans une campagne
    Run(campaign::RunArgs),
    /// Exécutions relues telles qu'elles ont été faites : show
    #[command(subcommand)]
    Execution(execution::ExecutionCommand),
    /// Fichiers de preuve : get
    #[command(subcommand)]
    Evidence(execution::EvidenceCommand),
    /// Anomalies : add, list, set
    #[command(subcommand)]
    Anomaly(anomaly::AnomalyCommand),
    /// Tableau de bord : campagnes, statuts, taux, anomalies
    Status(status::StatusArgs),
    /// Journal d'audit
    Log(status::LogArgs),
    /// Traçabilité : couverture et statut des exigences (campagne, livraison ou derniers résultats)
    Trace(trace::TraceArgs),
    /// Stratégies de recette et critères de sortie : create, criterion, import, show, list, attach
    #[command(subcommand)]
    Strategy(strategy::StrategyCommand),
    /// Évalue les critères de sortie d'une campagne et propose une décision
    Verdict(verdict::VerdictArgs),
    /// Porte de qualité pour l'intégration continue : code 0 si admission, 1 sinon, 3 si elle ne
    /// peut être évaluée
    Gate(verdict::GateArgs),
    /// Produit le bilan de recette (HTML, Markdown), la matrice (xlsx) et le PV (HTML)
    Report(verdict::ReportArgs),
    /// Signe le PV : décision, réserves, signataires, empreintes des rapports (immuable)
    Signoff(signoff::SignoffArgs),
    /// Vérifie qu'un fichier correspond à un PV signé (empreinte sha256)
    Verify(signoff::VerifyArgs),
    /// Réserves des PV signés : list, lift
    #[command(subcommand)]
    Reserve(signoff::ReserveCommand),
    /// Indicateurs qualité du prestataire, par livraison
    Vendor(delivery::VendorArgs),
    /// Réglages du projet (decision_days...)
    Config(delivery::ConfigArgs),
    /// Sauvegarde la base (sauvegarde en ligne SQLite, sûre pendant que d'autres écrivent), ses preuves et les dossiers des PV signés
    Backup(BackupArgs),
    /// Vérifie la base : intégrité, clés étrangères, preuves et rapports scellés intacts, chaîne du journal d'audit
    Check(CheckArgs),
    /// Construit un projet de démonstration complet (immatriculation de véhicules)
    Demo(DemoArgs),
    /// Script de complétion pour un shell (bash, zsh, fish, powershell, elvish), sur la sortie
    Completions(CompletionsArgs),
    /// Page de manuel (man, format roff), sur la sortie
    Man,
    /// Serveur de l'espace d'équipe : pages web et API JSON sur la base (--db)
    #[cfg(feature = "web")]
    Serve(user::ServeArgs),
    /// Comptes de l'espace d'équipe : add, list, passwd, role, disable, enable
    #[cfg(feature = "web")]
    #[command(subcommand)]
    User(user::UserCommand),
    /// Jetons d'API : create
    #[cfg(feature = "web")]
    #[command(subcommand)]
    Token(user::TokenCommand),
    /// Génère une grande base synthétique pour les mesures de performance
    #[command(hide = true)]
    BenchGen(bench::BenchGenArgs),
}

/// `recette init`
#[derive(Debug, clap::Args)]
pub struct InitArgs {
    /// Nom du projet
    #[arg(long, default_value = "Projet")]
    pub project: String,
}

/// `recette backup`
#[derive(Debug, clap::Args)]
pub struct BackupArgs {
    /// Fichier de sauvegarde à créer
    pub out: PathBuf,
}

/// `recette check`
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Sortie JSON
    #[arg(long)]
    pub json: bool,
}

/// `recette completions`
#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {
    /// Shell : bash, zsh, fish, powershell ou elvish
    pub shell: clap_complete::Shell,
}

/// `recette demo`
#[derive(Debug, clap::Args)]
pub struct DemoArgs {
    /// Dossier de sortie (base recette.db et rapports)
    #[arg(long, default_value = "recette-demo")]
    pub out: PathBuf,
    /// Sortie JSON du tableau de bord
    #[arg(long)]
    pub json: bool,
}

/// Settings every command receives, resolved from flags and environment.
pub struct Env {
    pub db: PathBuf,
    pub lang: Lang,
    pub ctx: Context,
}

impl Env {
    /// Opens the store.
    pub fn open(&self) -> Result<Store> {
        Store::open(&self.db, self.ctx.clone())
    }

    /// Picks the French or English text.
    pub fn t<'a>(&self, fr: &'a str, en: &'a str) -> &'a str {
        self.lang.pick(fr, en)
    }
}

fn os_user() -> String {
    std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .unwrap_or_else(|_| "inconnu".to_string())
}

/// Resolves global settings.
pub fn env_from(cli: &Cli) -> Result<Env> {
    let lang = match &cli.lang {
        None => Lang::Fr,
        Some(s) => Lang::parse(s).ok_or_else(|| {
            Error::input(
                format!("langue inconnue « {s} » : attendu fr ou en"),
                format!("unknown language \"{s}\": expected fr or en"),
            )
        })?,
    };
    let fixed_now = std::env::var("RECETTE_NOW").ok().filter(|s| !s.is_empty());
    Ok(Env {
        db: cli
            .db
            .clone()
            .unwrap_or_else(|| PathBuf::from("recette.db")),
        lang,
        ctx: Context {
            actor: cli
                .actor
                .clone()
                .filter(|s| !s.is_empty())
                .unwrap_or_else(os_user),
            fixed_now,
        },
    })
}

/// Runs the parsed command; returns the process exit code.
pub fn run(cli: Cli) -> i32 {
    let lang = cli
        .lang
        .as_deref()
        .and_then(Lang::parse)
        .unwrap_or_default();
    let is_gate = matches!(cli.command, Command::Gate(_));
    let (env, result) = match env_from(&cli) {
        Ok(env) => {
            let r = dispatch(cli.command, &env);
            (Some(env), r)
        }
        Err(e) => (None, Err(e)),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            report_error(&e, lang);
            // An unknown reference: the known one it most likely meant.
            let hint = match (&e, &env) {
                (Error::NotFound { .. }, Some(env)) => env
                    .open()
                    .ok()
                    .and_then(|s| crate::ops::suggest::suggestion(&s, &e).ok().flatten()),
                _ => None,
            };
            if let Some(h) = hint {
                eprintln!(
                    "  {}",
                    match lang {
                        Lang::Fr => format!("vouliez-vous dire « {h} » ?"),
                        Lang::En => format!("did you mean \"{h}\"?"),
                    }
                );
            }
            if is_gate {
                EXIT_GATE_ERROR
            } else {
                EXIT_REJECTED
            }
        }
    }
}

/// Prints an error the way users read it: one line, then the details (import problems).
pub fn report_error(e: &Error, lang: Lang) {
    let prefix = output::paint_if(
        output::colours(true),
        lang.pick("erreur :", "error:"),
        output::Tone::Bad,
    );
    eprintln!("{prefix} {}", e.message(lang));
    if let Error::Import { issues } = e {
        for i in issues.iter().take(200) {
            eprintln!("  - {}", i.describe(lang));
        }
        if issues.len() > 200 {
            eprintln!("  … {} {}", issues.len() - 200, lang.pick("autres", "more"));
        }
    }
}

fn dispatch(command: Command, env: &Env) -> Result<i32> {
    match command {
        Command::Init(a) => {
            Store::init(&env.db, env.ctx.clone(), &a.project)?;
            println!(
                "{} {}",
                env.t("Base recette créée :", "Recette store created:"),
                env.db.display()
            );
            Ok(EXIT_OK)
        }
        Command::Req(c) => req::run(c, env),
        Command::Test(c) => test::run(c, env),
        Command::Link(c) => req::run_link(c, env),
        Command::Delivery(c) => delivery::run(c, env),
        Command::Vendor(a) => delivery::run_vendor(a, env),
        Command::Config(a) => delivery::run_config(a, env),
        Command::Campaign(c) => campaign::run(c, env),
        Command::Run(a) => campaign::run_execution(a, env),
        Command::Execution(c) => execution::run(c, env),
        Command::Evidence(c) => execution::run_evidence(c, env),
        Command::Import(a) => import::run(*a, env),
        Command::Export(c) => export::run(c, env),
        Command::Results(a) => results::run(a, env),
        Command::Anomaly(c) => anomaly::run(c, env),
        Command::Status(a) => status::run(a, env),
        Command::Log(a) => status::run_log(a, env),
        Command::Trace(a) => trace::run(a, env),
        Command::Strategy(c) => strategy::run(c, env),
        Command::Verdict(a) => verdict::run_verdict(a, env),
        Command::Gate(a) => verdict::run_gate(a, env),
        Command::Report(a) => verdict::run_report(a, env),
        Command::Signoff(a) => signoff::run_signoff(a, env),
        Command::Verify(a) => signoff::run_verify(a, env),
        Command::Reserve(c) => signoff::run_reserve(c, env),
        Command::BenchGen(a) => bench::run(a, env),
        #[cfg(feature = "web")]
        Command::Serve(a) => user::run_serve(a, env),
        #[cfg(feature = "web")]
        Command::User(c) => user::run_user(c, env),
        #[cfg(feature = "web")]
        Command::Token(c) => user::run_token(c, env),
        Command::Backup(a) => {
            let store = env.open()?;
            let s = store.backup(&a.out)?;
            println!(
                "{} {} ({} pages, {} {}, {} {})",
                env.t("Sauvegarde écrite :", "Backup written:"),
                a.out.display(),
                s.pages,
                s.evidence_files,
                env.t("fichier(s) de preuve", "evidence file(s)"),
                s.signoff_files,
                env.t("fichier(s) de PV signés", "signed report file(s)")
            );
            Ok(EXIT_OK)
        }
        Command::Check(a) => {
            let store = env.open()?;
            let problems = store.check()?;
            if a.json {
                output::json(
                    &serde_json::json!({"ok": problems.is_empty(), "problems": problems}),
                )?;
            } else if problems.is_empty() {
                println!(
                    "{}",
                    env.t(
                        "Base saine : intégrité, clés étrangères, preuves, rapports scellés et journal d'audit vérifiés.",
                        "Store is sound: integrity, foreign keys, evidence, sealed reports and audit log checked."
                    )
                );
            } else {
                for p in &problems {
                    println!("{} : {}", p.kind, p.detail);
                }
            }
            Ok(if problems.is_empty() {
                EXIT_OK
            } else {
                EXIT_REJECTED
            })
        }
        Command::Completions(a) => {
            let mut cmd = help::command(env.lang);
            clap_complete::generate(a.shell, &mut cmd, "recette", &mut std::io::stdout());
            Ok(EXIT_OK)
        }
        Command::Man => {
            let man = clap_mangen::Man::new(help::command(env.lang));
            let mut out = Vec::new();
            man.render(&mut out).map_err(|e| Error::io("<stdout>", e))?;
            use std::io::Write as _;
            std::io::stdout()
                .write_all(&out)
                .map_err(|e| Error::io("<stdout>", e))?;
            Ok(EXIT_OK)
        }
        Command::Demo(a) => {
            let demo = crate::ops::project::demo(&a.out, env.ctx.clone(), env.lang)?;
            if !a.json {
                println!(
                    "{} {}\n",
                    env.t(
                        "Projet de démonstration créé dans",
                        "Demo project created in"
                    ),
                    a.out.display()
                );
            }
            status::print_dashboard(&demo.dashboard, env.lang, a.json)?;
            if !a.json {
                println!();
                println!(
                    "{} {}",
                    env.t("Rapports écrits dans", "Reports written in"),
                    a.out.join("rapports").display()
                );
                for (c, d) in demo.decisions {
                    println!(
                        "  {c} : {} {}",
                        env.t("décision proposée", "proposed decision"),
                        d.label(env.lang)
                    );
                }
            }
            Ok(EXIT_OK)
        }
    }
}
