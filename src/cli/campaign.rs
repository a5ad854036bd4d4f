//! `recette delivery ...`, `recette campaign ...` and `recette run`.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::output::{json, Table};
use super::{Env, EXIT_OK};
use crate::error::{Error, Result};
use crate::indicators::{CampaignIndicators, TesterProgress};
use crate::model::{Criticality, ExecStatus, Phase};
use crate::store::{Assignment, ItemSelection, NewCampaign, RunInput, Selection, StepInput};

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
    /// Ajoute des cas de test à une campagne (par référence, criticité, étiquette, exigence),
    /// chacun avec chacun de ses jeux de données
    Add(CampaignAddArgs),
    /// Retire des cas de test d'une campagne (par référence, criticité, étiquette, exigence) ;
    /// ceux déjà exécutés restent (leurs résultats sont l'historique)
    Remove(CampaignRemoveArgs),
    /// Attribue des tests de la campagne à un testeur (--to), les répartit (--spread A,B,C) ou
    /// retire l'attribution (--unassign)
    Assign(CampaignAssignArgs),
    /// Liste les campagnes
    List(JsonArgs),
    /// Affiche une campagne : tests, derniers résultats, indicateurs, avancement par testeur
    Show(CampaignShowArgs),
    /// Écrit le classeur d'exécution hors ligne de la campagne (à remplir puis « recette import »)
    Sheet(super::export::SheetArgs),
    /// Démarre la campagne après avoir vérifié les critères d'entrée de sa stratégie (refusé
    /// s'il en manque un bloquant, sauf --force, consigné au journal et dans le bilan)
    Start(CampaignStartArgs),
}

/// `campaign start`
#[derive(Debug, Args)]
pub struct CampaignStartArgs {
    /// Campagne
    pub campaign: String,
    /// Démarrer malgré des critères d'entrée bloquants non remplis (dérogation consignée)
    #[arg(long)]
    pub force: bool,
    /// Sortie JSON
    #[arg(long)]
    pub json: bool,
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

/// Which tests a `campaign add` or `campaign remove` takes: the union of the criteria.
#[derive(Debug, Args)]
pub struct SelectionArgs {
    /// Cas de test par référence (répétable)
    #[arg(long = "test")]
    pub tests: Vec<String>,
    /// Les cas de test liés à une exigence de cette criticité (répétable)
    #[arg(long)]
    pub criticality: Vec<String>,
    /// Les cas de test portant cette étiquette (répétable)
    #[arg(long = "tag")]
    pub tags: Vec<String>,
    /// Les cas de test liés à cette exigence (répétable)
    #[arg(long = "requirement")]
    pub requirements: Vec<String>,
    /// Tous les cas de test actifs (de la campagne, pour remove)
    #[arg(long)]
    pub all: bool,
}

impl SelectionArgs {
    /// The library's selection.
    fn selection(self) -> Result<Selection> {
        Ok(Selection {
            tests: self.tests,
            criticality: self
                .criticality
                .iter()
                .map(|c| Criticality::parse(c))
                .collect::<std::result::Result<_, _>>()?,
            tags: self.tags,
            requirements: self.requirements,
            all: self.all,
            ..Selection::default()
        })
    }
}

/// `campaign add`
#[derive(Debug, Args)]
pub struct CampaignAddArgs {
    /// Campagne
    pub campaign: String,
    #[command(flatten)]
    pub select: SelectionArgs,
    /// Seulement ce jeu de données des cas de test choisis (répétable ; défaut : tous)
    #[arg(long = "dataset", value_name = "JEU")]
    pub datasets: Vec<String>,
    /// Testeur affecté
    #[arg(long)]
    pub assignee: Option<String>,
}

/// `campaign remove`
#[derive(Debug, Args)]
pub struct CampaignRemoveArgs {
    /// Campagne
    pub campaign: String,
    #[command(flatten)]
    pub select: SelectionArgs,
    /// Montre ce qui serait retiré, sans rien changer
    #[arg(long)]
    pub dry_run: bool,
    /// Sortie JSON
    #[arg(long)]
    pub json: bool,
}

/// `campaign assign`
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("what").required(true).args(["to", "spread", "unassign"])))]
pub struct CampaignAssignArgs {
    /// Campagne
    pub campaign: String,
    /// Cas de test par référence (répétable)
    #[arg(long = "test")]
    pub tests: Vec<String>,
    /// Les cas de test portant cette étiquette (répétable)
    #[arg(long = "tag")]
    pub tags: Vec<String>,
    /// Les cas de test liés à cette exigence (répétable)
    #[arg(long = "requirement")]
    pub requirements: Vec<String>,
    /// Les cas de test liés à une exigence de cette criticité (répétable)
    #[arg(long)]
    pub criticality: Vec<String>,
    /// Tous les tests de la campagne
    #[arg(long)]
    pub all: bool,
    /// Seulement ce jeu de données (répétable)
    #[arg(long = "dataset", value_name = "JEU")]
    pub datasets: Vec<String>,
    /// Attribue (ou réattribue) à ce testeur
    #[arg(long, value_name = "NOM")]
    pub to: Option<String>,
    /// Répartit entre ces testeurs, à parts égales en nombre : A,B,C
    #[arg(long, value_name = "A,B,C", value_delimiter = ',')]
    pub spread: Vec<String>,
    /// Retire l'attribution
    #[arg(long)]
    pub unassign: bool,
    /// Sortie JSON
    #[arg(long)]
    pub json: bool,
}

/// `campaign show`
#[derive(Debug, Args)]
pub struct CampaignShowArgs {
    /// Référence
    pub reference: String,
    /// Seulement les tests attribués à ce testeur
    #[arg(long, value_name = "NOM")]
    pub assignee: Option<String>,
    /// Sortie JSON
    #[arg(long)]
    pub json: bool,
}

/// `recette run`
#[derive(Debug, Args)]
pub struct RunArgs {
    /// Campagne
    pub campaign: String,
    /// Référence du cas de test
    pub test: String,
    /// Jeu de données exécuté (quand le cas de test en a plusieurs dans la campagne)
    #[arg(long, value_name = "JEU")]
    pub dataset: Option<String>,
    /// Statut : OK, KO, Bloqué, Non passé, N/A, En cours (ou passed, failed...) ; sans statut,
    /// il découle des étapes
    #[arg(long)]
    pub status: Option<String>,
    /// Résultat d'une étape « N=statut » ou « N=statut:résultat obtenu » (répétable)
    #[arg(long = "step", value_name = "N=STATUT[:OBTENU]")]
    pub steps: Vec<String>,
    /// Essai sur lequel la saisie se fonde (0 : aucun) : refusé si un essai plus récent existe
    #[arg(long, value_name = "N")]
    pub based_on: Option<i64>,
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
        CampaignCommand::Start(a) => return run_start(a, env),
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
                datasets: a.datasets,
                assignee: a.assignee,
                ..a.select.selection()?
            };
            let out = crate::ops::campaign::add_tests(&mut store, &a.campaign, &sel, false)?;
            println!(
                "{} {} ({})",
                out.added.len(),
                env.t("cas de test ajouté(s) à", "test case(s) added to"),
                a.campaign
            );
        }
        CampaignCommand::Remove(a) => {
            let sel = a.select.selection()?;
            let out = crate::ops::campaign::remove_tests(&mut store, &a.campaign, &sel, a.dry_run)?;
            if a.json {
                return json(
                    &serde_json::json!({"dry_run": a.dry_run, "removed": out.removed,
                    "kept": out.kept, "absent": out.absent}),
                )
                .map(|_| EXIT_OK);
            }
            let verb = if a.dry_run {
                env.t("seraient retiré(s) de", "would be removed from")
            } else {
                env.t("retiré(s) de", "removed from")
            };
            println!("{} {verb} {}", out.removed.len(), a.campaign);
            for k in &out.kept {
                println!(
                    "  {} {k}",
                    env.t("gardé (déjà exécuté) :", "kept (already run):")
                );
            }
            for k in &out.absent {
                println!(
                    "  {} {k}",
                    env.t("absent de la campagne :", "not in the campaign:")
                );
            }
        }
        CampaignCommand::Assign(a) => return assign(a, env),
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
                env.t("PV signé", "Signed"),
            ]);
            let mut signed = crate::ops::signoff::signed_summaries(&store, lang)?;
            for c in cs {
                let signed = signed.remove(&c.reference);
                t.row(vec![
                    c.reference,
                    c.title,
                    c.phase.label(lang).to_string(),
                    c.delivery.unwrap_or_default(),
                    c.tests.to_string(),
                    signed.unwrap_or_default(),
                ]);
            }
            t.print(env.t("Aucune campagne.", "No campaign."));
        }
        CampaignCommand::Show(a) => {
            let c = store.campaign(&a.reference)?;
            let tests = match &a.assignee {
                Some(n) => store.campaign_tests_of(&a.reference, n)?,
                None => store.campaign_tests(&a.reference)?,
            };
            let ind = CampaignIndicators::compute(&tests);
            if a.json {
                return json(
                    &serde_json::json!({"campaign": c, "assignee": a.assignee, "tests": tests, "indicators": ind}),
                )
                .map(|_| EXIT_OK);
            }
            println!("{} — {} ({})", c.reference, c.title, c.phase.label(lang));
            if let Some(d) = &c.delivery {
                println!("  {} {d}", env.t("Livraison :", "Delivery:"));
            }
            if let Some(signed) = crate::ops::signoff::signed_summary(&store, &c.reference, lang)? {
                println!("  {} {signed}", env.t("PV :", "Sign-off:"));
            }
            if let Some(n) = &a.assignee {
                println!("  {} {n}", env.t("Attribués à :", "Assigned to:"));
            }
            println!(
                "  {} {}   {} {}",
                env.t("Taux d'exécution :", "Execution rate:"),
                crate::i18n::percent(lang, ind.execution_rate),
                env.t("Taux de réussite :", "Pass rate:"),
                crate::i18n::percent(lang, ind.pass_rate)
            );
            let with_datasets = tests.iter().any(|t| t.dataset.is_some());
            let with_assignees = tests.iter().any(|t| !t.assignee.is_empty());
            let mut headers = vec![env.t("Cas de test", "Test case")];
            if with_datasets {
                headers.push(env.t("Jeu de données", "Data set"));
            }
            headers.extend([
                env.t("Intitulé", "Title"),
                env.t("Statut", "Status"),
                env.t("Essais", "Attempts"),
            ]);
            if with_assignees {
                headers.push(env.t("Attribué à", "Assigned to"));
            }
            headers.extend([env.t("Testeur", "Tester"), env.t("Anomalies", "Anomalies")]);
            let mut t = Table::new(&headers);
            for ct in &tests {
                let mut row = vec![ct.reference.clone()];
                if with_datasets {
                    row.push(match &ct.dataset {
                        Some(d) if ct.parameters.is_empty() => d.clone(),
                        Some(d) => format!(
                            "{d} ({})",
                            crate::params::format_assignments(&ct.parameters)
                        ),
                        None => String::new(),
                    });
                }
                let mut status = super::output::paint(
                    ct.status.label(lang),
                    super::output::status_tone(ct.status),
                );
                if ct.modified_since_run {
                    status.push_str(" *");
                }
                row.extend([ct.title.clone(), status, ct.attempts.to_string()]);
                if with_assignees {
                    row.push(ct.assignee.clone());
                }
                row.extend([
                    ct.tester.clone().unwrap_or_default(),
                    ct.anomalies.join(", "),
                ]);
                t.row(row);
            }
            println!();
            t.print(env.t(
                "Aucun cas de test dans la campagne.",
                "No test case in the campaign.",
            ));
            let modified: Vec<String> = tests
                .iter()
                .filter(|t| t.modified_since_run)
                .map(|t| {
                    format!(
                        "{} (v{} → v{})",
                        t.label(),
                        t.executed_version.unwrap_or(1),
                        t.test_version
                    )
                })
                .collect();
            if !modified.is_empty() {
                println!(
                    "\n* {} {}",
                    env.t(
                        "modifié depuis sa dernière exécution :",
                        "changed since its latest execution:"
                    ),
                    modified.join(", ")
                );
            }
            if a.assignee.is_none() && !ind.by_tester.is_empty() {
                println!();
                print_progress(lang, &ind.by_tester);
            }
        }
    }
    Ok(EXIT_OK)
}

/// The per-tester progress table.
pub fn print_progress(lang: crate::i18n::Lang, rows: &[TesterProgress]) {
    let mut t = Table::new(&[
        lang.pick("Testeur attribué", "Assigned tester"),
        lang.pick("Prévus", "Planned"),
        lang.pick("Exécutés", "Executed"),
        ExecStatus::Passed.label(lang),
        ExecStatus::Failed.label(lang),
        ExecStatus::Blocked.label(lang),
        lang.pick("Restants", "Remaining"),
    ]);
    for p in rows {
        t.row(vec![
            if p.assignee.is_empty() {
                lang.pick("(non attribués)", "(unassigned)").to_string()
            } else {
                p.assignee.clone()
            },
            p.planned.to_string(),
            p.executed.to_string(),
            p.passed.to_string(),
            p.failed.to_string(),
            p.blocked.to_string(),
            p.remaining.to_string(),
        ]);
    }
    t.print("");
}

/// `campaign assign`
fn assign(a: CampaignAssignArgs, env: &Env) -> Result<i32> {
    let sel = ItemSelection {
        tests: a.tests,
        tags: a.tags,
        requirements: a.requirements,
        criticality: a
            .criticality
            .iter()
            .map(|c| Criticality::parse(c))
            .collect::<std::result::Result<_, _>>()?,
        all: a.all,
        datasets: a.datasets,
    };
    let what = match (a.to, a.spread.is_empty(), a.unassign) {
        (Some(n), _, _) => Assignment::To(n),
        (None, false, _) => Assignment::Spread(a.spread),
        _ => Assignment::Unassign,
    };
    let mut store = env.open()?;
    let out = crate::ops::campaign::assign(&mut store, &a.campaign, &sel, &what)?;
    if a.json {
        return json(&out).map(|_| EXIT_OK);
    }
    println!(
        "{} {} : {} {}, {} {}",
        env.t("Campagne", "Campaign"),
        out.campaign,
        out.selected,
        env.t("test(s) choisi(s)", "test(s) selected"),
        out.changes.len(),
        env.t("attribution(s) changée(s)", "assignment(s) changed")
    );
    if !out.load.is_empty() {
        let mut t = Table::new(&[
            env.t("Testeur", "Tester"),
            env.t(
                "Tests attribués dans la campagne",
                "Tests assigned in the campaign",
            ),
        ]);
        for (n, c) in &out.load {
            t.row(vec![n.clone(), c.to_string()]);
        }
        t.print("");
    }
    Ok(EXIT_OK)
}

/// Parses `N=status` or `N=status:actual result`.
fn parse_step(s: &str) -> Result<StepInput> {
    let bad = || {
        Error::input(
            format!("--step « {s} » : attendu N=statut ou N=statut:résultat obtenu, par exemple 2=KO:\"Message d'erreur affiché\""),
            format!("--step \"{s}\": expected N=status or N=status:actual result, for example 2=failed:\"Error message shown\""),
        )
    };
    let (n, rest) = s.split_once('=').ok_or_else(bad)?;
    let index: u32 = n.trim().parse().map_err(|_| bad())?;
    let (status, actual) = match rest.split_once(':') {
        Some((st, actual)) => (st, actual.trim().to_string()),
        None => (rest, String::new()),
    };
    Ok(StepInput {
        index,
        status: ExecStatus::parse(status)?,
        actual,
    })
}

/// `recette run`
pub fn run_execution(a: RunArgs, env: &Env) -> Result<i32> {
    let mut input = RunInput::status(ExecStatus::NotRun);
    input.status = a.status.as_deref().map(ExecStatus::parse).transpose()?;
    input.dataset = a.dataset;
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
    input.based_on = a.based_on;
    let mut store = env.open()?;
    let rec = store.write("run", |tx| {
        tx.record_execution(&a.campaign, &a.test, &input)
    })?;
    println!(
        "{} {} / {} : {} ({} {})",
        env.t("Résultat enregistré :", "Result recorded:"),
        a.campaign,
        crate::entities::item_label(&rec.test, rec.dataset.as_deref()),
        rec.status.label(env.lang),
        env.t("essai", "attempt"),
        rec.attempt
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

/// `recette campaign start`: exit code 1 when refused.
fn run_start(a: CampaignStartArgs, env: &Env) -> Result<i32> {
    let lang = env.lang;
    let mut store = env.open()?;
    let out = crate::ops::campaign::start(
        &mut store,
        &crate::ops::campaign::StartRequest {
            campaign: a.campaign.clone(),
            force: a.force,
        },
    )?;
    let code = if out.started {
        EXIT_OK
    } else {
        super::EXIT_REJECTED
    };
    if a.json {
        return super::output::json(&out).map(|_| code);
    }
    let mut t = super::output::Table::new(&[
        env.t("Critère d'entrée", "Entry criterion"),
        env.t("Mesure", "Measured"),
        env.t("Attendu", "Expected"),
        env.t("Rempli", "Met"),
    ]);
    for r in &out.entry_criteria {
        t.row(vec![
            crate::verdict::criterion_name(&r.criterion, lang),
            crate::verdict::format_measure(&r.criterion.indicator, r.measured, lang),
            crate::verdict::format_threshold(&r.criterion, lang),
            if r.met {
                env.t("oui", "yes").to_string()
            } else if r.criterion.blocking {
                env.t("NON", "NO").to_string()
            } else {
                env.t("non (non bloquant)", "no (non-blocking)").to_string()
            },
        ]);
    }
    t.print(env.t(
        "Aucun critère d'entrée dans la stratégie.",
        "No entry criterion in the strategy.",
    ));
    if out.already_started {
        println!(
            "{} {} ({})",
            env.t("Campagne déjà démarrée :", "Campaign already started:"),
            out.campaign,
            super::output::when(env.lang, &out.started_at.unwrap_or_default())
        );
    } else if out.forced {
        println!(
            "{} {}",
            env.t(
                "Campagne démarrée EN DÉROGATION aux critères d'entrée (consigné au journal et dans le bilan) :",
                "Campaign started OVERRIDING its entry criteria (recorded in the audit log and the bilan):"
            ),
            out.campaign
        );
    } else if out.started {
        println!(
            "{} {}",
            env.t("Campagne démarrée :", "Campaign started:"),
            out.campaign
        );
    } else {
        eprintln!(
            "{} {}",
            env.t(
                "Démarrage refusé : critères d'entrée bloquants non remplis pour",
                "Start refused: blocking entry criteria unmet for"
            ),
            out.campaign
        );
        for u in &out.unmet {
            eprintln!("  - {}", u.get(lang));
        }
        eprintln!(
            "{}",
            env.t(
                "Corrigez, ou démarrez avec --force (la dérogation est consignée).",
                "Fix them, or start with --force (the override is recorded)."
            )
        );
    }
    Ok(code)
}
