//! The lead's pages (a vendor reaches the imports too, for its own delivery's results).
//!
//! Imports by upload: `GET /imports` (the form), `POST /imports` (files kept server-side under
//! a random id, see [`Uploads`]), `GET /imports/{upload}` (the dry-run plan, computed afresh by
//! [`ops::import::prepare`] and [`ops::import::apply`] in dry-run mode), `POST
//! /imports/{upload}/apply` (the same inputs imported for real, whole or not at all). Nothing
//! is written before "Appliquer".

use std::collections::HashMap;
use std::time::{Duration, Instant};

use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Serialize;

use super::{fail, render};
use crate::access::Action;
use crate::error::{Error, Result};
use crate::i18n::Lang;
use crate::import::input::Input;
use crate::ops::import::{self as imports, ImportOutcome, ImportRequest};
use crate::store::Store;
use crate::web::{AppState, CurrentUser, WebError};

/// How long a staged upload waits for "Appliquer": 30 minutes.
pub const UPLOAD_TTL: Duration = Duration::from_secs(30 * 60);
/// At most this many staged uploads are kept (the oldest go first).
pub const MAX_UPLOADS: usize = 32;
/// At most this many files in one upload.
pub const MAX_FILES: usize = 50;

/// What an upload imports into, besides its files.
#[derive(Debug, Clone, Default)]
pub struct UploadOptions {
    /// Campaign that receives results.
    pub campaign: Option<String>,
    /// Delivery under test (a campaign `IMPORT-<delivery>` receives results otherwise).
    pub delivery: Option<String>,
    /// Apply the valid rows and list the refused ones.
    pub partial: bool,
    /// Create an automated test case for each result that matches nothing.
    pub create_unmatched: bool,
    /// The delivery note of this delivery (`/deliveries/{delivery}/note`), not an import.
    pub note_for: Option<String>,
}

/// One staged upload: its files (name and bytes), who sent it, its options.
#[derive(Debug, Clone)]
pub struct Upload {
    pub owner: String,
    pub files: Vec<(String, Vec<u8>)>,
    pub options: UploadOptions,
    created: Instant,
}

impl Upload {
    fn size(&self) -> usize {
        self.files.iter().map(|(_, b)| b.len()).sum()
    }
}

/// Staged uploads by random id, in memory: bounded in number and total size, each expiring
/// after [`UPLOAD_TTL`], reachable only by the account that sent it.
#[derive(Debug, Default)]
pub struct Uploads {
    map: HashMap<String, Upload>,
}

impl Uploads {
    fn expire(&mut self, now: Instant) {
        self.map
            .retain(|_, u| now.duration_since(u.created) < UPLOAD_TTL);
    }

    /// Keeps an upload, evicting expired then oldest ones so that at most [`MAX_UPLOADS`] and
    /// `max_total` bytes stay; returns its new random id.
    pub fn put(&mut self, id: String, upload: Upload, max_total: usize) -> String {
        let now = Instant::now();
        self.expire(now);
        let size = upload.size();
        while !self.map.is_empty()
            && (self.map.len() >= MAX_UPLOADS
                || self.map.values().map(Upload::size).sum::<usize>() + size > max_total)
        {
            let oldest = self
                .map
                .iter()
                .min_by_key(|(_, u)| u.created)
                .map(|(k, _)| k.clone());
            match oldest {
                Some(k) => self.map.remove(&k),
                None => break,
            };
        }
        self.map.insert(id.clone(), upload);
        id
    }

    /// The upload `id` of `owner`, unless it expired.
    pub fn get(&mut self, id: &str, owner: &str) -> Option<Upload> {
        self.expire(Instant::now());
        self.map.get(id).filter(|u| u.owner == owner).cloned()
    }

    /// Removes the upload `id` of `owner`.
    pub fn remove(&mut self, id: &str, owner: &str) {
        if self.map.get(id).is_some_and(|u| u.owner == owner) {
            self.map.remove(id);
        }
    }
}

pub(super) fn new_upload(
    owner: &str,
    files: Vec<(String, Vec<u8>)>,
    options: UploadOptions,
) -> Upload {
    Upload {
        owner: owner.to_string(),
        files,
        options,
        created: Instant::now(),
    }
}

/// `GET /imports`: the upload form.
pub async fn import_form(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Response, WebError> {
    let lang = user.lang();
    render(
        &state,
        &user,
        "lead/import_form.html",
        lang.pick("Importer", "Import"),
        "/imports",
        serde_json::json!({
            "records": user.can(Action::Import),
            "limit_mib": state.upload_limit() / (1024 * 1024),
            "back": "/imports",
        }),
    )
}

fn text_of(v: &str) -> Option<String> {
    let v = v.trim();
    (!v.is_empty()).then(|| v.to_string())
}

/// `POST /imports` (multipart: `files` several times, `campaign`, `delivery`, `partial`,
/// `create_unmatched`): keeps the files under a random id and goes to their plan.
pub async fn import_upload(
    State(state): State<AppState>,
    user: CurrentUser,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, WebError> {
    let lang = user.lang();
    let mut m = multipart.map_err(|_| {
        WebError::invalid(
            lang,
            "formulaire d'envoi attendu (multipart/form-data) avec le champ « files »",
            "expected an upload form (multipart/form-data) with the field \"files\"",
        )
    })?;
    let limit = state.upload_limit();
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let mut options = UploadOptions::default();
    let mut size = 0usize;
    loop {
        let field = m.next_field().await.map_err(|_| {
            WebError::invalid(
                lang,
                "envoi interrompu ou mal formé : recommencez",
                "upload interrupted or malformed: try again",
            )
        })?;
        let Some(field) = field else { break };
        let name = field.name().unwrap_or("").to_string();
        if name == "files" {
            let file_name = field.file_name().unwrap_or("").to_string();
            let bytes = field
                .bytes()
                .await
                .map_err(|_| WebError::too_large(lang, limit))?;
            if file_name.is_empty() && bytes.is_empty() {
                continue;
            }
            size += bytes.len();
            if size > limit {
                return Err(WebError::too_large(lang, limit));
            }
            files.push((file_name, bytes.to_vec()));
            if files.len() > MAX_FILES {
                return Err(WebError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    crate::i18n::tr!(
                        lang,
                        "champ « files » : {} fichiers au plus par envoi",
                        "field \"files\": at most {} files per upload",
                        MAX_FILES
                    ),
                ));
            }
            continue;
        }
        let value = field.text().await.unwrap_or_default();
        match name.as_str() {
            "campaign" => options.campaign = text_of(&value),
            "delivery" => options.delivery = text_of(&value),
            "partial" => options.partial = !value.is_empty(),
            "create_unmatched" => options.create_unmatched = !value.is_empty(),
            _ => {}
        }
    }
    if files.is_empty() {
        return Err(WebError::invalid(
            lang,
            "champ « files » : choisissez au moins un fichier à importer",
            "field \"files\": choose at least one file to import",
        ));
    }
    let scope_files: Vec<String> = files.iter().map(|(n, _)| n.clone()).collect();
    check_scope(&state, &user, &options, &scope_files).await?;
    let id = crate::accounts::random_hex(16).map_err(fail(&user))?;
    let upload = new_upload(user.name(), files, options);
    state.uploads(|u| u.put(id.clone(), upload, limit.saturating_mul(4)));
    Ok(Redirect::to(&format!("/imports/{id}")).into_response())
}

/// A vendor (who may import results but not records) imports only result files, into a
/// campaign of one of its own deliveries.
async fn check_scope(
    state: &AppState,
    user: &CurrentUser,
    options: &UploadOptions,
    files: &[String],
) -> Result<(), WebError> {
    if user.can(Action::Import) {
        return Ok(());
    }
    let lang = user.lang();
    for f in files {
        let p = std::path::Path::new(f);
        let records = crate::import::sheet::is_spreadsheet(p)
            || matches!(
                crate::interop::detect(p),
                Some(crate::interop::InteropFormat::Reqif | crate::interop::InteropFormat::Reqifz)
            );
        if records {
            return Err(WebError::new(
                StatusCode::FORBIDDEN,
                crate::i18n::tr!(
                    lang,
                    "champ « files » : « {} » n'est pas un fichier de résultats ; votre rôle n'importe que des résultats automatisés",
                    "field \"files\": \"{}\" is not a result file; your role imports automated results only",
                    f
                ),
            ));
        }
    }
    let Some(delivery) = options.delivery.clone() else {
        return Err(WebError::invalid(
            lang,
            "champ « delivery » : précisez la livraison testée",
            "field \"delivery\": give the delivery under test",
        ));
    };
    let campaign = options.campaign.clone();
    let scope = user.scope();
    let seen = state
        .db(move |s| {
            let d = s
                .deliveries()?
                .into_iter()
                .find(|d| d.reference == delivery);
            let Some(d) = d else { return Ok(false) };
            if !scope.sees_delivery(&d.vendor) {
                return Ok(false);
            }
            match campaign {
                Some(c) => match s.campaign(&c) {
                    Ok(c) => Ok(c.delivery.as_deref() == Some(d.reference.as_str())),
                    Err(Error::NotFound { .. }) => Ok(false),
                    Err(e) => Err(e),
                },
                None => Ok(true),
            }
        })
        .await
        .map_err(fail(user))?;
    if seen {
        Ok(())
    } else {
        Err(WebError::invalid(
            lang,
            "champ « delivery » ou « campaign » : livraison ou campagne inconnue parmi les vôtres",
            "field \"delivery\" or \"campaign\": unknown delivery or campaign among yours",
        ))
    }
}

fn request(upload: &Upload, dry_run: bool, lang: Lang) -> ImportRequest {
    ImportRequest {
        inputs: upload
            .files
            .iter()
            .map(|(name, bytes)| Input::Bytes {
                name: name.clone(),
                bytes: bytes.clone(),
            })
            .collect(),
        dry_run,
        partial: upload.options.partial,
        campaign: upload.options.campaign.clone(),
        delivery: upload.options.delivery.clone(),
        create_unmatched: upload.options.create_unmatched,
        lang,
        ..ImportRequest::default()
    }
}

/// Reads the upload without the store, then plans or applies it in one transaction.
async fn run(
    state: &AppState,
    user: &CurrentUser,
    upload: &Upload,
    dry_run: bool,
) -> Result<ImportOutcome, WebError> {
    let req = request(upload, dry_run, user.lang());
    let prepared = {
        let req = req.clone();
        tokio::task::spawn_blocking(move || imports::prepare(&req, &|_| {}))
            .await
            .map_err(|e| Error::Other(format!("tâche interrompue : {e}")))
            .and_then(|r| r)
            .map_err(fail(user))?
    };
    let may_records = user.can(Action::Import);
    let outcome = state
        .db_as(user.name().to_string(), move |s: &mut Store| {
            let out = imports::apply(s, &req, prepared, &|_| {}).map_err(Error::from)?;
            Ok(out)
        })
        .await
        .map_err(fail(user))?;
    if !may_records && !outcome.records.sheets.is_empty() {
        // Only reached by a dry run: the real import checks the same plan first.
        return Err(WebError::new(
            StatusCode::FORBIDDEN,
            user.lang().pick(
                "champ « files » : ces fichiers contiennent des exigences ou des cas de test ; votre rôle n'importe que des résultats automatisés",
                "field \"files\": these files hold requirements or test cases; your role imports automated results only",
            ),
        ));
    }
    Ok(outcome)
}

/// A refused or noted row as the plan shows it.
#[derive(Debug, Serialize)]
pub(super) struct IssueRow {
    file: String,
    sheet: Option<String>,
    row: Option<u64>,
    column: Option<String>,
    header: Option<String>,
    message: String,
    /// The whole description (file › sheet › row › column : message).
    text: String,
}

pub(super) fn issue_rows(
    issues: &[crate::import::records::ImportIssue],
    lang: Lang,
) -> Vec<IssueRow> {
    issues
        .iter()
        .map(|i| IssueRow {
            file: i.origin.file.to_string(),
            sheet: i.origin.sheet.as_deref().map(str::to_string),
            row: i.origin.row,
            column: i.origin.column.clone(),
            header: i.origin.header.clone(),
            message: i.message.clone(),
            text: i.describe(lang),
        })
        .collect()
}

/// The page data of a plan or of an applied import.
fn outcome_view(id: &str, o: &ImportOutcome, lang: Lang) -> serde_json::Value {
    let sheets: Vec<serde_json::Value> = o
        .records
        .sheets
        .iter()
        .map(|s| {
            let refused: Vec<IssueRow> = issue_rows(&o.records.issues, lang)
                .into_iter()
                .filter(|i| i.file == s.file && i.sheet.as_deref() == Some(s.sheet.as_str()))
                .collect();
            serde_json::json!({
                "file": s.file, "sheet": s.sheet, "kind": s.kind,
                "kind_label": imports::sheet_kind_label(&s.kind, lang), "reason": s.reason,
                "rows": s.rows, "created": s.counts.created, "updated": s.counts.updated,
                "unchanged": s.counts.unchanged, "skipped": s.counts.skipped,
                "refused": refused,
            })
        })
        .collect();
    serde_json::json!({
        "id": id,
        "dry_run": o.dry_run,
        "rejected": o.rejected,
        "sheets": sheets,
        "totals": o.records.totals,
        "issues": issue_rows(&o.records.issues, lang),
        "conflicts": issue_rows(&o.records.conflicts, lang),
        "warnings": issue_rows(&o.records.warnings, lang),
        "campaign": o.records.campaign,
        "automated": o.automated,
        "back": "/imports",
    })
}

pub(super) fn gone(lang: Lang) -> WebError {
    WebError::new(
        StatusCode::NOT_FOUND,
        lang.pick(
            "envoi introuvable ou expiré (gardé 30 minutes) : envoyez de nouveau les fichiers",
            "upload not found or expired (kept 30 minutes): upload the files again",
        ),
    )
}

/// `GET /imports/{upload}`: the dry-run plan of a staged upload (nothing written).
pub async fn import_plan(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let lang = user.lang();
    let owner = user.name().to_string();
    let upload = state
        .uploads(|u| u.get(&id, &owner))
        .filter(|u| u.options.note_for.is_none())
        .ok_or_else(|| gone(lang))?;
    let outcome = run(&state, &user, &upload, true).await?;
    render(
        &state,
        &user,
        "lead/import_plan.html",
        lang.pick("Plan d'import", "Import plan"),
        "/imports",
        outcome_view(&id, &outcome, lang),
    )
}

/// `POST /imports/{upload}/apply`: imports the staged upload, whole or not at all.
pub async fn import_apply(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let lang = user.lang();
    let owner = user.name().to_string();
    let upload = state
        .uploads(|u| u.get(&id, &owner))
        .filter(|u| u.options.note_for.is_none())
        .ok_or_else(|| gone(lang))?;
    let files: Vec<String> = upload.files.iter().map(|(n, _)| n.clone()).collect();
    check_scope(&state, &user, &upload.options, &files).await?;
    if !user.can(Action::Import) {
        // The plan first: a vendor's upload that would write records is refused untouched.
        run(&state, &user, &upload, true).await?;
    }
    let outcome = run(&state, &user, &upload, false).await?;
    state.uploads(|u| u.remove(&id, &owner));
    render(
        &state,
        &user,
        "lead/import_plan.html",
        lang.pick("Import appliqué", "Import applied"),
        "/imports",
        outcome_view(&id, &outcome, lang),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn upload(owner: &str, size: usize) -> Upload {
        new_upload(
            owner,
            vec![("a.xml".into(), vec![0; size])],
            UploadOptions::default(),
        )
    }

    #[test]
    fn uploads_are_kept_for_their_owner_only_and_bounded() {
        let mut u = Uploads::default();
        let a = u.put("a".into(), upload("lead", 10), 25);
        assert!(u.get(&a, "lead").is_some());
        assert!(
            u.get(&a, "vendor").is_none(),
            "another account never sees it"
        );
        u.put("b".into(), upload("lead", 10), 25);
        // A third one exceeds 25 bytes: the oldest goes.
        u.put("c".into(), upload("lead", 10), 25);
        assert!(u.get("a", "lead").is_none());
        assert!(u.get("b", "lead").is_some() && u.get("c", "lead").is_some());
        u.remove("c", "vendor");
        assert!(u.get("c", "lead").is_some(), "only the owner removes it");
        u.remove("c", "lead");
        assert!(u.get("c", "lead").is_none());
    }

    #[test]
    fn uploads_expire() {
        let mut u = Uploads::default();
        let mut old = upload("lead", 1);
        match Instant::now().checked_sub(UPLOAD_TTL + Duration::from_secs(1)) {
            Some(t) => old.created = t,
            None => return,
        }
        u.put("old".into(), old, 100);
        assert!(u.get("old", "lead").is_none());
    }
}
