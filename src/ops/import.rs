//! The import flow (`recette import`, the web's upload pages and `POST .../results`): vendor
//! workbooks, automated results, ReqIF, TestLink and Squash TM files, several at once, in one
//! transaction — applied whole or not at all, or planned exactly by a dry run.
//!
//! Two steps, so that a server reads the files before it takes the store's writer:
//! [`prepare`] stages and reads the inputs (no store), [`apply`] writes them (or plans them);
//! [`run_import`] does both. A lone large workbook is imported while it is read, on two
//! threads ([`StreamMode`]); whenever that cannot give exactly the whole-batch import, it is
//! rolled back and imported whole, which reports problems as always.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use serde::Serialize;

use super::Progress;
use crate::error::{Error, Result};
use crate::i18n::Lang;
use crate::import::automated::{import_results, AutomatedOptions, AutomatedReport};
use crate::import::input::{Input, Staged};
use crate::import::records::{ChunkSink, ImportBatch};
use crate::import::results::{ReadOptions, ResultFormat};
use crate::import::sheet::{self, Mapping, SheetOptions};
use crate::indicators::CampaignIndicators;
use crate::interop::{self, InteropFormat, ReqifMapping};
use crate::store::{ApplyOptions, ImportReport, Store, Tx};

/// What to import and how.
#[derive(Debug, Clone, Default)]
pub struct ImportRequest {
    /// Files, folders, patterns or uploads.
    pub inputs: Vec<Input>,
    /// Plan only: compute exactly what would change, write nothing.
    pub dry_run: bool,
    /// Apply the valid rows and list the refused ones (otherwise one error refuses all).
    pub partial: bool,
    /// Column mapping of workbooks (from an earlier detection, corrected).
    pub mapping: Option<Mapping>,
    /// Campaign that receives results.
    pub campaign: Option<String>,
    /// Delivery under test (a campaign `IMPORT-<delivery>` receives results when no campaign
    /// is given).
    pub delivery: Option<String>,
    /// Automated result format; `None` detects it, and a given format reads every file as a
    /// result file.
    pub format: Option<ResultFormat>,
    /// Create an automated test case for each result that matches nothing.
    pub create_unmatched: bool,
    /// Regular expression of the requirement and test ids in results.
    pub id_pattern: Option<String>,
    /// Prefix of TestLink test-case references (`SIV` gives `SIV-10` for external id 10).
    pub testlink_prefix: Option<String>,
    /// Attribute mapping of ReqIF files.
    pub reqif_mapping: Option<ReqifMapping>,
    /// When a lone workbook is imported while it is read.
    pub stream: StreamMode,
    /// Language of the problems reported.
    pub lang: Lang,
}

/// What an import did, or would do for a dry run. Serialised as `recette import --json`
/// prints it (stable fields: `dry_run`, `records`, `automated`).
#[derive(Debug, Clone, Default, Serialize)]
pub struct ImportOutcome {
    pub dry_run: bool,
    /// Records of workbooks and interchange files, per file and sheet.
    pub records: ImportReport,
    /// Automated results, per file and in total.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub automated: Option<AutomatedReport>,
    /// Indicators of the campaign that received automated results, after the import (not for
    /// a dry run). Not part of the JSON, which stays as it always was.
    #[serde(skip)]
    pub campaign_indicators: Option<CampaignIndicators>,
    /// Whether problems were found without `partial`: a dry run that says the import would be
    /// refused (a real import is refused instead: [`ImportError::RolledBack`]). Not part of
    /// the JSON; the CLI's exit code and the web's status say it.
    #[serde(skip)]
    pub rejected: bool,
}

/// Why an import wrote nothing.
#[derive(Debug)]
pub enum ImportError {
    /// Refused before its transaction (an input missing, unreadable or with nothing
    /// recognised), or its report could not be read back.
    Failed(Error),
    /// Its transaction was rolled back: nothing was written, whatever files were read.
    RolledBack(Error),
}

impl ImportError {
    /// The error itself.
    pub fn error(&self) -> &Error {
        match self {
            ImportError::Failed(e) | ImportError::RolledBack(e) => e,
        }
    }
}

impl From<Error> for ImportError {
    fn from(e: Error) -> Self {
        ImportError::Failed(e)
    }
}

impl From<ImportError> for Error {
    fn from(e: ImportError) -> Self {
        match e {
            ImportError::Failed(e) | ImportError::RolledBack(e) => e,
        }
    }
}

/// When a lone workbook is imported while it is read: [`StreamMode::Auto`] from
/// [`STREAM_FROM_BYTES`] on, `Always`, `Never`, or `Require` (always, and an error saying why
/// when the file cannot be streamed instead of importing it whole: tests and diagnostics).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StreamMode {
    #[default]
    Auto,
    Always,
    Never,
    Require,
}

impl StreamMode {
    /// The mode `RECETTE_IMPORT_STREAM` asks for (`auto`, `always`, `never`, `require`;
    /// anything else is `auto`).
    pub fn from_env() -> StreamMode {
        match std::env::var("RECETTE_IMPORT_STREAM").as_deref() {
            Ok("always") => StreamMode::Always,
            Ok("never") => StreamMode::Never,
            Ok("require") => StreamMode::Require,
            _ => StreamMode::Auto,
        }
    }
}

/// From this file size on, a lone workbook is imported while it is read; smaller ones are read
/// whole first, which is as fast.
pub const STREAM_FROM_BYTES: u64 = 256 * 1024;

/// An import's inputs, staged and (unless it is streamed) read; give it to [`apply`].
pub struct PreparedImport {
    /// Keeps staged uploads (and their names) until the import is done.
    staged: Staged,
    read: Read,
}

enum Read {
    /// A lone workbook imported while it is read (read in [`apply`]).
    Stream(PathBuf),
    /// Everything read.
    Whole(Box<WholeRead>),
}

/// The inputs read whole: records of workbooks and interchange files, and the result files
/// (read inside the transaction, file by file, so memory stays bounded).
struct WholeRead {
    batch: ImportBatch,
    results: Vec<PathBuf>,
    mapping: Mapping,
}

/// How each input is read.
enum Kind<'p> {
    Sheet(&'p Path),
    Interop(&'p Path, InteropFormat),
    Results(&'p Path),
}

fn classify(path: &Path, forced: Option<ResultFormat>) -> Kind<'_> {
    if forced.is_some() {
        return Kind::Results(path);
    }
    if let Some(f) = interop::detect(path) {
        return Kind::Interop(path, f);
    }
    if sheet::is_spreadsheet(path) {
        return Kind::Sheet(path);
    }
    Kind::Results(path)
}

/// Stages and reads the inputs, without the store: errors name files before anything is
/// opened for writing. A lone large workbook is only staged (it is read while imported).
pub fn prepare(req: &ImportRequest, progress: Progress<'_>) -> Result<PreparedImport> {
    let staged = Staged::for_import(&req.inputs)?;
    let kinds: Vec<Kind> = staged
        .files()
        .iter()
        .map(|p| classify(p, req.format))
        .collect();
    let read = match streamable(req, &kinds) {
        Some(path) => Read::Stream(path.to_path_buf()),
        None => Read::Whole(Box::new(read_whole(req, kinds, progress, true)?)),
    };
    Ok(PreparedImport { staged, read })
}

/// The column mapping detected in the inputs' workbooks (to print, correct and give back as
/// [`ImportRequest::mapping`]); nothing is imported and no store is needed.
pub fn detected_mapping(req: &ImportRequest, progress: Progress<'_>) -> Result<Mapping> {
    let staged = Staged::for_import(&req.inputs)?;
    let kinds: Vec<Kind> = staged
        .files()
        .iter()
        .map(|p| classify(p, req.format))
        .collect();
    Ok(read_whole(req, kinds, progress, false)?.mapping)
}

/// [`prepare`] then [`apply`].
pub fn run_import(
    store: &mut Store,
    req: &ImportRequest,
    progress: Progress<'_>,
) -> Result<ImportOutcome, ImportError> {
    let prepared = prepare(req, progress)?;
    apply(store, req, prepared, progress)
}

/// Imports (or plans, for a dry run) what [`prepare`] read, in one transaction.
pub fn apply(
    store: &mut Store,
    req: &ImportRequest,
    prepared: PreparedImport,
    progress: Progress<'_>,
) -> Result<ImportOutcome, ImportError> {
    let PreparedImport { staged, read } = prepared;
    let apply = apply_options(req);
    let whole = match read {
        Read::Whole(w) => *w,
        Read::Stream(path) => match import_streamed(store, &path, req, &apply, progress) {
            Ok(outcome) => return Ok(outcome),
            Err(e) if req.stream == StreamMode::Require => {
                return Err(ImportError::Failed(Error::input(
                    format!("import en flux impossible : {e}"),
                    format!("streamed import impossible: {}", e.message(Lang::En)),
                )));
            }
            Err(_) => {
                // Not applicable to this file after all (or it has problems): imported whole,
                // which reports exactly what an import always reports.
                progress(0);
                read_whole(req, vec![Kind::Sheet(&path)], progress, true)?
            }
        },
    };
    let WholeRead { batch, results, .. } = whole;
    let auto_opts = AutomatedOptions {
        format: req.format,
        create_unmatched: req.create_unmatched,
        id_pattern: req.id_pattern.clone(),
        read: ReadOptions::default(),
    };
    let work = |tx: &mut Tx<'_>| -> Result<ImportOutcome> {
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
                &mut |n| progress(n),
            )?)
        };
        Ok(outcome(req, records, automated))
    };
    let done = if req.dry_run {
        store.dry_run(work)
    } else {
        store.write("import", work)
    };
    let mut done = done.map_err(ImportError::RolledBack)?;
    if let (Some(a), false) = (&done.automated, req.dry_run) {
        done.campaign_indicators = Some(store.campaign_indicators(&a.campaign)?);
    }
    drop(staged);
    Ok(done)
}

fn outcome(
    req: &ImportRequest,
    records: ImportReport,
    automated: Option<AutomatedReport>,
) -> ImportOutcome {
    ImportOutcome {
        dry_run: req.dry_run,
        rejected: !records.issues.is_empty() && !req.partial,
        records,
        automated,
        campaign_indicators: None,
    }
}

/// How records are applied.
fn apply_options(req: &ImportRequest) -> ApplyOptions {
    ApplyOptions {
        lang: req.lang,
        campaign: req.campaign.clone(),
        delivery: req.delivery.clone(),
        // A dry run always computes the full plan; `rejected` says whether it would pass.
        partial: req.partial || req.dry_run,
    }
}

/// Reads every record-type input (pure, no store), so errors name files early. With
/// `require_data`, an import that recognises nothing at all is refused, naming each sheet
/// read and why it was left out.
fn read_whole(
    req: &ImportRequest,
    kinds: Vec<Kind<'_>>,
    progress: Progress<'_>,
    require_data: bool,
) -> Result<WholeRead> {
    let mut batch = ImportBatch::default();
    let mut squash: Vec<&Path> = Vec::new();
    let mut results: Vec<PathBuf> = Vec::new();
    let mut mapping = Mapping::default();
    for kind in kinds {
        match kind {
            Kind::Sheet(p) => {
                let opts = SheetOptions {
                    mapping: req.mapping.clone(),
                    lang: req.lang,
                };
                let (b, m) = sheet::read_spreadsheet_with_progress(p, &opts, &mut |n| progress(n))?;
                mapping.sheets.extend(m.sheets);
                batch.extend(b);
            }
            Kind::Interop(p, InteropFormat::Squash) => squash.push(p),
            Kind::Interop(p, InteropFormat::TestLink) => {
                let opts = interop::testlink::TestlinkOptions {
                    prefix: req.testlink_prefix.clone(),
                    lang: req.lang,
                };
                batch.extend(interop::testlink::read_testlink(p, &opts)?)
            }
            Kind::Interop(p, f) => {
                batch.extend(interop::read(p, f, req.reqif_mapping.as_ref(), req.lang)?)
            }
            Kind::Results(p) => results.push(p.to_path_buf()),
        }
    }
    if !squash.is_empty() {
        batch.extend(interop::squash::read_workbooks(&squash, req.lang)?);
    }
    let nothing = batch.requirements.is_empty()
        && batch.test_cases.is_empty()
        && batch.links.is_empty()
        && batch.results.is_empty()
        && batch.anomalies.is_empty()
        && batch.issues.is_empty()
        && results.is_empty()
        && batch.sheets.iter().all(|s| s.kind == "ignored");
    if nothing && require_data {
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
    Ok(WholeRead {
        batch,
        results,
        mapping,
    })
}

/// The workbook to import while it is read, if this import is one: a single spreadsheet,
/// nothing else, without `partial`.
fn streamable<'p>(req: &ImportRequest, kinds: &[Kind<'p>]) -> Option<&'p Path> {
    if req.partial || req.stream == StreamMode::Never {
        return None;
    }
    let [Kind::Sheet(path)] = kinds else {
        return None;
    };
    match req.stream {
        StreamMode::Auto => {
            (std::fs::metadata(path).ok()?.len() >= STREAM_FROM_BYTES).then_some(path)
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
    store: &mut Store,
    path: &Path,
    req: &ImportRequest,
    apply: &ApplyOptions,
    progress: Progress<'_>,
) -> Result<ImportOutcome> {
    let opts = SheetOptions {
        mapping: req.mapping.clone(),
        lang: req.lang,
    };
    let source = crate::import::display_name(path);
    let stop = AtomicBool::new(false);
    std::thread::scope(|s| {
        let (send, recv) = std::sync::mpsc::sync_channel::<ImportBatch>(4);
        let (give_back, returns) = std::sync::mpsc::channel::<ImportBatch>();
        let (opts, stop_ref) = (&opts, &stop);
        let reader = s.spawn(move || {
            let mut sink = ChunkSink::new(send).with_returns(returns);
            let out = sheet::read_spreadsheet_streaming(
                path,
                opts,
                &mut |n| progress(n),
                &mut sink,
                stop_ref,
            );
            sink.flush();
            out
        });
        let work = |tx: &mut Tx<'_>| -> Result<ImportOutcome> {
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
            Ok(outcome(req, tx.stream_finish(st, rest)?, None))
        };
        let out = if req.dry_run {
            store.dry_run(work)
        } else {
            store.write("import", work)
        };
        if out.is_err() {
            stop.store(true, Ordering::Relaxed);
        }
        out
    })
}

/// What a sheet was read as, for people (`requirements` → « exigences »...); an unknown code
/// is shown as it is.
pub fn sheet_kind_label(kind: &str, lang: Lang) -> &str {
    match kind {
        "requirements" => lang.pick("exigences", "requirements"),
        "test_cases" => lang.pick("cas de test", "test cases"),
        "links" => lang.pick("liens", "links"),
        "results" => lang.pick("résultats", "results"),
        "anomalies" => lang.pick("anomalies", "anomalies"),
        "deliveries" => lang.pick("livraisons", "deliveries"),
        "strategies" => lang.pick("stratégies", "strategies"),
        "campaigns" => lang.pick("campagnes", "campaigns"),
        "planned_tests" => lang.pick("tests planifiés", "planned tests"),
        "decisions" => lang.pick("décisions signées", "signed decisions"),
        "settings" => lang.pick("réglages du projet", "project settings"),
        "ignored" => lang.pick("ignorée", "ignored"),
        other => other,
    }
}
