//! `recette import`: vendor workbooks (xlsx, xlsm, xls, ods, csv, tsv), automated results
//! (JUnit, Robot Framework, NUnit, TRX, xUnit.net, TestNG, CTRF), ReqIF, TestLink and Squash TM
//! files — all in one transaction: the import applies whole or not at all.

use std::path::{Path, PathBuf};

use clap::Args;

use super::output::{json, Table};
use super::{Env, EXIT_OK, EXIT_REJECTED};
use crate::error::{Error, Result};
use crate::import::input::Input;
use crate::import::records::ImportIssue;
use crate::import::results::ResultFormat;
use crate::import::sheet::Mapping;
use crate::interop::ReqifMapping;
use crate::ops::import::{self as ops, ImportError, ImportOutcome, ImportRequest, StreamMode};

/// `recette import`
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Fichiers, dossiers ou motifs (glob) : classeurs, CSV, résultats automatisés, ReqIF, TestLink, Squash TM
    #[arg(required = true, value_name = "CHEMIN")]
    pub paths: Vec<String>,
    /// Affiche ce qui changerait (créés, modifiés, inchangés, ignorés, erreurs) sans rien écrire
    #[arg(long)]
    pub dry_run: bool,
    /// Importe les lignes valides et liste les lignes refusées (sinon une erreur refuse tout)
    #[arg(long)]
    pub partial: bool,
    /// Correspondance des colonnes (TOML, produit par --print-mapping puis corrigé)
    #[arg(long, value_name = "FICHIER")]
    pub mapping: Option<PathBuf>,
    /// Affiche la correspondance détectée (TOML) sans rien importer
    #[arg(long)]
    pub print_mapping: bool,
    /// Campagne qui reçoit les résultats
    #[arg(long)]
    pub campaign: Option<String>,
    /// Livraison testée (une campagne IMPORT-<livraison> est créée si --campaign manque)
    #[arg(long)]
    pub delivery: Option<String>,
    /// Format : auto (défaut), junit, robot, nunit3, nunit2, trx, xunit, testng, ctrf
    #[arg(long, default_value = "auto")]
    pub format: String,
    /// Crée un cas de test automatisé pour chaque résultat qui ne correspond à rien
    #[arg(long)]
    pub create_unmatched: bool,
    /// Motif (expression régulière) des identifiants d'exigence et de cas de test dans les résultats
    #[arg(long, value_name = "REGEX")]
    pub id_pattern: Option<String>,
    /// Préfixe des références de cas de test TestLink (ex. SIV donne SIV-10 pour l'identifiant externe 10)
    #[arg(long, value_name = "PRÉFIXE")]
    pub testlink_prefix: Option<String>,
    /// Correspondance des attributs ReqIF (TOML)
    #[arg(long, value_name = "FICHIER")]
    pub reqif_mapping: Option<PathBuf>,
    /// Sortie JSON
    #[arg(long)]
    pub json: bool,
}

/// The progress of an import on the terminal: a bar with the rows read out of the rows the
/// files declare (xlsx dimensions, CSV line breaks), the time, the rate and what remains; a
/// spinner with the rows read when the total cannot be told (xls, ods, other formats).
fn progress_bar(env: &Env, paths: &[String]) -> indicatif::ProgressBar {
    // Estimated only for a person watching: a pipe or a CI log gets no bar anyway.
    let total = if std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        paths
            .iter()
            .map(|p| crate::import::sheet::estimated_rows(std::path::Path::new(p)))
            .sum::<Option<u64>>()
    } else {
        None
    };
    let (pb, template) = match total {
        Some(n) => (
            indicatif::ProgressBar::new(n),
            "{msg} [{bar:30}] {human_pos}/{human_len} [{elapsed}, {rate}, {eta}]",
        ),
        None => (
            indicatif::ProgressBar::new_spinner(),
            "{spinner} {msg} {human_pos} [{elapsed}, {rate}]",
        ),
    };
    pb.set_style(
        indicatif::ProgressStyle::with_template(template)
            .map(|s| {
                // Whole rows per second ("57,981/s"), not indicatif's four decimals.
                s.progress_chars("=> ").with_key(
                    "rate",
                    |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                        let _ = write!(w, "{}/s", indicatif::HumanCount(state.per_sec() as u64));
                    },
                )
            })
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
    );
    pb.set_message(env.t("lignes lues", "rows read").to_string());
    pb
}

/// Runs `recette import`.
pub fn run(a: ImportArgs, env: &Env) -> Result<i32> {
    let format = ResultFormat::parse(&a.format)?;
    let mapping = match &a.mapping {
        Some(p) => {
            let text = std::fs::read_to_string(p).map_err(|e| Error::io(p, e))?;
            Some(Mapping::from_toml(&text, &p.display().to_string())?)
        }
        None => None,
    };
    let reqif_mapping = match &a.reqif_mapping {
        Some(p) => Some(ReqifMapping::load(p)?),
        None => None,
    };
    let req = ImportRequest {
        inputs: a
            .paths
            .iter()
            .map(|p| Input::Path(PathBuf::from(p)))
            .collect(),
        dry_run: a.dry_run,
        partial: a.partial,
        mapping,
        campaign: a.campaign.clone(),
        delivery: a.delivery.clone(),
        format,
        create_unmatched: a.create_unmatched,
        id_pattern: a.id_pattern.clone(),
        testlink_prefix: a.testlink_prefix.clone(),
        reqif_mapping,
        stream: StreamMode::from_env(),
        lang: env.lang,
    };
    let pb = progress_bar(env, &a.paths);
    let progress = |n| pb.set_position(n);
    if a.print_mapping {
        let mapping = ops::detected_mapping(&req, &progress)?;
        pb.finish_and_clear();
        print!("{}", mapping.to_toml());
        return Ok(EXIT_OK);
    }
    let prepared = ops::prepare(&req, &progress)?;
    let mut store = env.open()?;
    let outcome = ops::apply(&mut store, &req, prepared, &progress);
    pb.finish_and_clear();
    match outcome {
        Ok(outcome) => conclude(&outcome, &a, env),
        Err(ImportError::Failed(e)) => Err(e),
        Err(ImportError::RolledBack(e)) => {
            // Several files may have been read: say that nothing of any of them was kept.
            super::report_error(&e, env.lang);
            eprintln!(
                "{}",
                env.t(
                    "Import refusé : rien n'a été importé (un import s'applique en entier ou pas du tout).",
                    "Import refused: nothing was imported (an import applies whole or not at all).",
                )
            );
            Ok(EXIT_REJECTED)
        }
    }
}

/// Prints what an import did and gives the exit code.
fn conclude(outcome: &ImportOutcome, a: &ImportArgs, env: &Env) -> Result<i32> {
    if a.json {
        json(outcome)?;
    } else {
        print_outcome(outcome, env);
        if a.dry_run {
            println!("\n{}", dry_run_note(env, outcome.rejected));
        }
    }
    Ok(if outcome.rejected {
        EXIT_REJECTED
    } else {
        EXIT_OK
    })
}

fn kind_label(env: &Env, kind: &str) -> String {
    crate::ops::import::sheet_kind_label(kind, env.lang).to_string()
}

fn print_issues(title: &str, issues: &[ImportIssue], lang: crate::i18n::Lang) {
    if issues.is_empty() {
        return;
    }
    println!("\n{title}");
    for i in issues.iter().take(500) {
        println!("  - {}", i.describe(lang));
    }
    if issues.len() > 500 {
        println!("  … (+{})", issues.len() - 500);
    }
}

fn print_outcome(o: &ImportOutcome, env: &Env) {
    let r = &o.records;
    if !r.sheets.is_empty() {
        let mut t = Table::new(&[
            env.t("Fichier", "File"),
            env.t("Feuille", "Sheet"),
            env.t("Lu comme", "Read as"),
            env.t("Créés", "Created"),
            env.t("Modifiés", "Updated"),
            env.t("Inchangés", "Unchanged"),
            env.t("Ignorés", "Skipped"),
        ]);
        for s in &r.sheets {
            let kind = match &s.reason {
                Some(reason) => format!("{} ({reason})", kind_label(env, &s.kind)),
                None => kind_label(env, &s.kind),
            };
            t.row(vec![
                Path::new(&s.file)
                    .file_name()
                    .map(|f| f.to_string_lossy().into_owned())
                    .unwrap_or_else(|| s.file.clone()),
                s.sheet.clone(),
                kind,
                s.counts.created.to_string(),
                s.counts.updated.to_string(),
                s.counts.unchanged.to_string(),
                s.counts.skipped.to_string(),
            ]);
        }
        t.max_width = 70;
        t.print("");
        // What a sheet holds that nothing reads is named: an import never drops data silently.
        for s in &r.sheets {
            if s.ignored_columns.is_empty() && s.ignored_rows.is_empty() {
                continue;
            }
            let file = Path::new(&s.file)
                .file_name()
                .map(|f| f.to_string_lossy().into_owned())
                .unwrap_or_else(|| s.file.clone());
            if !s.ignored_columns.is_empty() {
                let cols: Vec<String> = s
                    .ignored_columns
                    .iter()
                    .map(|c| match env.lang {
                        crate::i18n::Lang::Fr => format!("{} « {} »", c.column, c.header),
                        crate::i18n::Lang::En => format!("{} \"{}\"", c.column, c.header),
                    })
                    .collect();
                println!(
                    "{file} › {} : {} {}",
                    s.sheet,
                    env.t("colonnes non lues :", "columns not read:"),
                    cols.join(", ")
                );
            }
            if !s.ignored_rows.is_empty() {
                let rows: Vec<String> =
                    s.ignored_rows.iter().take(30).map(u64::to_string).collect();
                println!(
                    "{file} › {} : {} {}{}",
                    s.sheet,
                    env.t(
                        "lignes ignorées (données seulement dans des colonnes non lues) :",
                        "rows ignored (data only in columns not read):"
                    ),
                    rows.join(", "),
                    if s.ignored_rows.len() > 30 {
                        format!(" … (+{})", s.ignored_rows.len() - 30)
                    } else {
                        String::new()
                    }
                );
            }
        }
    }
    print_issues(env.t("Erreurs :", "Errors:"), &r.issues, env.lang);
    print_issues(env.t("À vérifier :", "To check:"), &r.warnings, env.lang);
    print_issues(
        env.t("Conflits (non appliqués) :", "Conflicts (not applied):"),
        &r.conflicts,
        env.lang,
    );
    match r.campaigns.as_slice() {
        [] => {}
        [c] => println!(
            "\n{} {c}",
            env.t(
                "Résultats enregistrés dans la campagne",
                "Results recorded in campaign"
            )
        ),
        all => println!(
            "\n{} {}",
            env.t(
                "Résultats enregistrés dans les campagnes",
                "Results recorded in campaigns"
            ),
            all.join(", ")
        ),
    }
    if let Some(a) = &o.automated {
        let mut t = Table::new(&[
            env.t("Fichier de résultats", "Result file"),
            "Format",
            env.t("Résultats", "Results"),
            env.t("Réussis", "Passed"),
            env.t("Échecs", "Failed"),
            env.t("Non passés", "Not run"),
            env.t("Instables", "Flaky"),
            env.t("Exécutions", "Executions"),
        ]);
        for f in &a.files {
            t.row(vec![
                f.file.clone(),
                f.format.clone(),
                if f.already_imported {
                    env.t("déjà importé", "already imported").to_string()
                } else {
                    f.results.to_string()
                },
                f.passed.to_string(),
                f.failed.to_string(),
                f.not_run.to_string(),
                f.flaky.to_string(),
                f.executions.to_string(),
            ]);
        }
        t.max_width = 70;
        println!();
        t.print("");
        println!(
            "\n{} {} — {} {}, {} {} ({} {}), {} {}, {} {}",
            env.t("Campagne", "Campaign"),
            a.campaign,
            a.matched,
            env.t(
                "résultats rattachés à un cas de test",
                "results matched to a test case"
            ),
            a.created_tests,
            env.t(
                "cas de test automatisés créés",
                "automated test cases created"
            ),
            a.links,
            env.t("liens vers des exigences", "requirement links"),
            a.executions,
            env.t("exécutions", "executions"),
            a.unmatched,
            env.t("sans correspondance", "unmatched"),
        );
        if a.unmatched > 0 {
            println!(
                "{} {}",
                a.unmatched_tests,
                env.t(
                    "tests distincts sans correspondance",
                    "distinct unmatched tests"
                )
            );
        }
        if !a.unmatched_names.is_empty() {
            println!(
                "{}",
                env.t(
                    "Résultats sans correspondance (ajoutez une clé d'automatisation, un identifiant d'exigence, ou --create-unmatched) :",
                    "Unmatched results (add an automation key, a requirement id, or --create-unmatched):"
                )
            );
            for n in a.unmatched_names.iter().take(20) {
                println!("  - {n}");
            }
            if a.unmatched_tests > 20 {
                println!("  … (+{})", a.unmatched_tests - 20);
            }
        }
        if let Some(ind) = &o.campaign_indicators {
            println!(
                "{} {}   {} {}",
                env.t("Taux d'exécution :", "Execution rate:"),
                crate::i18n::percent(env.lang, ind.execution_rate),
                env.t("Taux de réussite :", "Pass rate:"),
                crate::i18n::percent(env.lang, ind.pass_rate)
            );
        }
    }
}

/// The closing line of a dry run: nothing was written, and whether the import would pass.
pub fn dry_run_note(env: &Env, failed: bool) -> &'static str {
    if failed {
        env.t(
            "Essai à blanc : rien n'a été écrit. Avec ces erreurs, l'import serait refusé (ou utilisez --partial).",
            "Dry run: nothing was written. With these errors the import would be refused (or use --partial).",
        )
    } else {
        env.t(
            "Essai à blanc : rien n'a été écrit.",
            "Dry run: nothing was written.",
        )
    }
}
