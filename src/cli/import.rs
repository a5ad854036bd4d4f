//! `recette import`: vendor workbooks (xlsx, xlsm, xls, ods, csv, tsv), automated results
//! (JUnit, Robot Framework, NUnit, TRX, xUnit.net, TestNG, CTRF), ReqIF, TestLink and Squash TM
//! files — all in one transaction: the import applies whole or not at all.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use clap::Args;
use serde::Serialize;

use super::output::{json, Table};
use super::{Env, EXIT_OK, EXIT_REJECTED};
use crate::error::{Error, Result};
use crate::import::automated::{import_results, AutomatedOptions, AutomatedReport};
use crate::import::records::{ChunkSink, ImportBatch, ImportIssue};
use crate::import::results::{ReadOptions, ResultFormat};
use crate::import::sheet::{self, Mapping, SheetOptions};
use crate::interop::{self, InteropFormat, ReqifMapping};
use crate::store::{ApplyOptions, ImportReport, Store};

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

#[derive(Debug, Default, Serialize)]
struct Outcome {
    dry_run: bool,
    records: ImportReport,
    #[serde(skip_serializing_if = "Option::is_none")]
    automated: Option<AutomatedReport>,
}

/// How each input is read.
enum Input {
    Sheet(PathBuf),
    Interop(PathBuf, InteropFormat),
    Results(PathBuf),
}

const KNOWN_EXTENSIONS: &[&str] = &[
    "xlsx", "xlsm", "xls", "ods", "csv", "tsv", "xml", "json", "trx", "reqif", "reqifz",
];

/// Expands files, folders and glob patterns into a sorted list of files.
fn expand(inputs: &[String]) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for input in inputs {
        let p = Path::new(input);
        let before = out.len();
        if p.is_file() {
            out.push(p.to_path_buf());
        } else if p.is_dir() {
            let mut stack = vec![p.to_path_buf()];
            while let Some(dir) = stack.pop() {
                let entries = std::fs::read_dir(&dir).map_err(|e| Error::io(&dir, e))?;
                for e in entries {
                    let e = e.map_err(|e| Error::io(&dir, e))?;
                    let path = e.path();
                    let ft = e.file_type().map_err(|err| Error::io(&path, err))?;
                    if ft.is_dir() {
                        stack.push(path);
                    } else if ft.is_file() {
                        let ext = path
                            .extension()
                            .map(|x| x.to_string_lossy().to_lowercase())
                            .unwrap_or_default();
                        if KNOWN_EXTENSIONS.contains(&ext.as_str()) {
                            out.push(path);
                        }
                    }
                }
            }
        } else if input.contains(['*', '?', '[']) {
            let paths = glob::glob(input).map_err(|e| {
                Error::input(
                    format!("motif invalide « {input} » : {e}"),
                    format!("invalid pattern \"{input}\": {e}"),
                )
            })?;
            for p in paths.flatten() {
                if p.is_file() {
                    out.push(p);
                }
            }
        } else {
            return Err(Error::input(
                format!("{input} : fichier introuvable"),
                format!("{input}: no such file"),
            ));
        }
        if out.len() == before {
            return Err(Error::input(
                format!("{input} : aucun fichier importable trouvé"),
                format!("{input}: no importable file found"),
            ));
        }
        out[before..].sort();
    }
    out.dedup();
    Ok(out)
}

fn classify(path: PathBuf, forced: Option<ResultFormat>) -> Input {
    if forced.is_some() {
        return Input::Results(path);
    }
    if let Some(f) = interop::detect(&path) {
        return Input::Interop(path, f);
    }
    if sheet::is_spreadsheet(&path) {
        return Input::Sheet(path);
    }
    Input::Results(path)
}

fn progress_bar(env: &Env) -> indicatif::ProgressBar {
    let pb = indicatif::ProgressBar::new_spinner();
    pb.set_style(
        indicatif::ProgressStyle::with_template("{spinner} {msg} {pos} [{elapsed}]")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
    );
    pb.set_message(env.t("lignes lues", "rows read").to_string());
    pb
}

/// Runs `recette import`.
pub fn run(a: ImportArgs, env: &Env) -> Result<i32> {
    let forced = ResultFormat::parse(&a.format)?;
    let inputs: Vec<Input> = expand(&a.paths)?
        .into_iter()
        .map(|p| classify(p, forced))
        .collect();
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
    let pb = progress_bar(env);
    let mode = StreamMode::from_env();
    if let Some(path) = streamable(&a, &inputs, mode) {
        let apply = apply_options(&a, env);
        match import_streamed(path, &a, env, mapping.as_ref(), &pb, &apply) {
            Ok((outcome, store)) => {
                pb.finish_and_clear();
                return conclude(outcome, &a, env, &store);
            }
            Err(e) if mode == StreamMode::Require => {
                pb.finish_and_clear();
                return Err(Error::input(
                    format!("import en flux impossible : {e}"),
                    format!(
                        "streamed import impossible: {}",
                        e.message(crate::i18n::Lang::En)
                    ),
                ));
            }
            Err(_) => {}
        }
        // Not applicable to this file after all (or it has problems): imported whole below,
        // which reports exactly what an import always reports.
        pb.set_position(0);
    }
    // Read every record-type input first (pure, no store), so errors name files early.
    let mut batch = ImportBatch::default();
    let mut squash: Vec<PathBuf> = Vec::new();
    let mut results: Vec<PathBuf> = Vec::new();
    let mut printed = Mapping::default();
    for input in inputs {
        match input {
            Input::Sheet(p) => {
                let opts = SheetOptions {
                    mapping: mapping.clone(),
                    lang: env.lang,
                };
                let (b, m) =
                    sheet::read_spreadsheet_with_progress(&p, &opts, &mut |n| pb.set_position(n))?;
                printed.sheets.extend(m.sheets);
                batch.extend(b);
            }
            Input::Interop(p, InteropFormat::Squash) => squash.push(p),
            Input::Interop(p, InteropFormat::TestLink) => {
                let opts = interop::testlink::TestlinkOptions {
                    prefix: a.testlink_prefix.clone(),
                    lang: env.lang,
                };
                batch.extend(interop::testlink::read_testlink(&p, &opts)?)
            }
            Input::Interop(p, f) => {
                batch.extend(interop::read(&p, f, reqif_mapping.as_ref(), env.lang)?)
            }
            Input::Results(p) => results.push(p),
        }
    }
    if !squash.is_empty() {
        let refs: Vec<&Path> = squash.iter().map(PathBuf::as_path).collect();
        batch.extend(interop::squash::read_workbooks(&refs, env.lang)?);
    }
    let nothing = batch.requirements.is_empty()
        && batch.test_cases.is_empty()
        && batch.links.is_empty()
        && batch.results.is_empty()
        && batch.anomalies.is_empty()
        && batch.issues.is_empty()
        && results.is_empty()
        && batch.sheets.iter().all(|s| s.kind == "ignored");
    if nothing && !a.print_mapping {
        pb.finish_and_clear();
        let reasons: Vec<String> = batch
            .sheets
            .iter()
            .map(|s| {
                format!(
                    "{} › {} : {}",
                    s.file,
                    s.sheet,
                    s.reason.clone().unwrap_or_default()
                )
            })
            .collect();
        return Err(Error::input(
            format!(
                "aucune donnée reconnue, rien n'a été importé ; feuilles lues : {}",
                reasons.join(" ; ")
            ),
            format!(
                "no data recognised, nothing was imported; sheets read: {}",
                reasons.join("; ")
            ),
        ));
    }
    if a.print_mapping {
        pb.finish_and_clear();
        print!("{}", printed.to_toml());
        return Ok(EXIT_OK);
    }
    let mut store = env.open()?;
    let apply = apply_options(&a, env);
    let auto_opts = AutomatedOptions {
        format: forced,
        create_unmatched: a.create_unmatched,
        id_pattern: a.id_pattern.clone(),
        read: ReadOptions::default(),
    };
    let work = |tx: &mut crate::store::Tx<'_>| -> Result<Outcome> {
        let records = tx.apply_batch(&batch, &apply)?;
        let automated = if results.is_empty() {
            None
        } else {
            let campaign = tx.campaign_for_results(&apply, None)?;
            Some(import_results(
                tx,
                &campaign,
                &results,
                &auto_opts,
                &mut |n| pb.set_position(n),
            )?)
        };
        Ok(Outcome {
            dry_run: a.dry_run,
            records,
            automated,
        })
    };
    let outcome = if a.dry_run {
        store.dry_run(work)
    } else {
        store.write("import", work)
    };
    pb.finish_and_clear();
    conclude_result(outcome, &a, env, &store)
}

/// How records are applied.
fn apply_options(a: &ImportArgs, env: &Env) -> ApplyOptions {
    ApplyOptions {
        lang: env.lang,
        campaign: a.campaign.clone(),
        delivery: a.delivery.clone(),
        // A dry run always computes the full plan; its exit code says whether it would pass.
        partial: a.partial || a.dry_run,
    }
}

/// From this file size on, a lone workbook is imported while it is read (see
/// [`import_streamed`]); smaller ones are read whole first, which is as fast.
const STREAM_FROM_BYTES: u64 = 256 * 1024;

/// When a lone workbook is imported while it is read: `RECETTE_IMPORT_STREAM` = `auto` (the
/// default: from [`STREAM_FROM_BYTES`] on), `always`, `never`, or `require` (always, and an
/// error saying why when the file cannot be streamed instead of importing it whole: tests and
/// diagnostics).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum StreamMode {
    Auto,
    Always,
    Never,
    Require,
}

impl StreamMode {
    fn from_env() -> StreamMode {
        match std::env::var("RECETTE_IMPORT_STREAM").as_deref() {
            Ok("always") => StreamMode::Always,
            Ok("never") => StreamMode::Never,
            Ok("require") => StreamMode::Require,
            _ => StreamMode::Auto,
        }
    }
}

/// The workbook to import while it is read, if this import is one: a single spreadsheet,
/// nothing else, without `--partial` or `--print-mapping`.
fn streamable<'i>(a: &ImportArgs, inputs: &'i [Input], mode: StreamMode) -> Option<&'i Path> {
    if a.partial || a.print_mapping || mode == StreamMode::Never {
        return None;
    }
    let [Input::Sheet(path)] = inputs else {
        return None;
    };
    match mode {
        StreamMode::Auto => {
            (std::fs::metadata(path).ok()?.len() >= STREAM_FROM_BYTES).then_some(path.as_path())
        }
        _ => Some(path),
    }
}

/// Imports one workbook on two threads: one reads it and hands its records over in chunks,
/// the other applies them in the import's transaction as they arrive (requirements while the
/// test-case sheet is still being read, and so on). The records are applied exactly as the
/// whole batch would be; whenever that cannot be guaranteed, or the file has any problem,
/// this returns an error after rolling back, and the caller imports the file the usual way
/// (reading it again), so that problems are reported as always.
fn import_streamed(
    path: &Path,
    a: &ImportArgs,
    env: &Env,
    mapping: Option<&Mapping>,
    pb: &indicatif::ProgressBar,
    apply: &ApplyOptions,
) -> Result<(Outcome, Store)> {
    let mut store = env.open()?;
    let opts = SheetOptions {
        mapping: mapping.cloned(),
        lang: env.lang,
    };
    let source = path.to_string_lossy().into_owned();
    let stop = AtomicBool::new(false);
    let outcome = std::thread::scope(|s| {
        let (send, recv) = std::sync::mpsc::sync_channel::<ImportBatch>(4);
        let (give_back, returns) = std::sync::mpsc::channel::<ImportBatch>();
        let (opts, stop_ref) = (&opts, &stop);
        let reader = s.spawn(move || {
            let mut sink = ChunkSink::new(send).with_returns(returns);
            let out = sheet::read_spreadsheet_streaming(
                path,
                opts,
                &mut |n| pb.set_position(n),
                &mut sink,
                stop_ref,
            );
            sink.flush();
            out
        });
        let work = |tx: &mut crate::store::Tx<'_>| -> Result<Outcome> {
            // Dropped when this returns: a reader still sending then stops handing over.
            let recv = recv;
            let mut st = tx.stream_begin(&source, apply)?;
            for mut chunk in &recv {
                tx.stream_chunk(&mut st, &mut chunk)?;
                // Freed by the reader thread, which allocated it (or here once it is done).
                let _ = give_back.send(chunk);
            }
            let (rest, _) = reader.join().map_err(|_| {
                Error::input(
                    "lecture interrompue".to_string(),
                    "reading aborted".to_string(),
                )
            })??;
            Ok(Outcome {
                dry_run: a.dry_run,
                records: tx.stream_finish(st, rest)?,
                automated: None,
            })
        };
        let out = if a.dry_run {
            store.dry_run(work)
        } else {
            store.write("import", work)
        };
        if out.is_err() {
            stop.store(true, Ordering::Relaxed);
        }
        out
    })?;
    Ok((outcome, store))
}

/// Prints what an import did (or why it was refused) and gives the exit code.
fn conclude_result(
    outcome: Result<Outcome>,
    a: &ImportArgs,
    env: &Env,
    store: &Store,
) -> Result<i32> {
    let outcome = match outcome {
        Ok(o) => o,
        Err(e) => {
            // The transaction was rolled back: say so, since several files may have been read.
            super::report_error(&e, env.lang);
            eprintln!(
                "{}",
                env.t(
                    "Import refusé : rien n'a été importé (un import s'applique en entier ou pas du tout).",
                    "Import refused: nothing was imported (an import applies whole or not at all).",
                )
            );
            return Ok(EXIT_REJECTED);
        }
    };
    conclude(outcome, a, env, store)
}

/// Prints what an import did and gives the exit code.
fn conclude(outcome: Outcome, a: &ImportArgs, env: &Env, store: &Store) -> Result<i32> {
    let failed = !outcome.records.issues.is_empty() && !a.partial;
    if a.json {
        json(&outcome)?;
    } else {
        print_outcome(&outcome, env, store)?;
        if a.dry_run {
            println!("\n{}", dry_run_note(env, failed));
        }
    }
    Ok(if failed { EXIT_REJECTED } else { EXIT_OK })
}

fn kind_label(env: &Env, kind: &str) -> String {
    match kind {
        "requirements" => env.t("exigences", "requirements"),
        "test_cases" => env.t("cas de test", "test cases"),
        "links" => env.t("liens", "links"),
        "results" => env.t("résultats", "results"),
        "anomalies" => env.t("anomalies", "anomalies"),
        "ignored" => env.t("ignorée", "ignored"),
        other => other,
    }
    .to_string()
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

fn print_outcome(o: &Outcome, env: &Env, store: &Store) -> Result<()> {
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
    if let Some(c) = &r.campaign {
        println!(
            "\n{} {c}",
            env.t(
                "Résultats enregistrés dans la campagne",
                "Results recorded in campaign"
            )
        );
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
        if !o.dry_run {
            let tests = store.campaign_tests(&a.campaign)?;
            let ind = crate::indicators::CampaignIndicators::compute(&tests);
            println!(
                "{} {}   {} {}",
                env.t("Taux d'exécution :", "Execution rate:"),
                crate::i18n::percent(env.lang, ind.execution_rate),
                env.t("Taux de réussite :", "Pass rate:"),
                crate::i18n::percent(env.lang, ind.pass_rate)
            );
        }
    }
    Ok(())
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
