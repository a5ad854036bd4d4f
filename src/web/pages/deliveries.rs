//! The vendor's deliveries, for the lead and the vendor (who sees only its own):
//! - `/deliveries`: each delivery with its dates, decision deadline (passed ones marked),
//!   claimed fixes and their outcome, documents, campaigns — the figures of `recette vendor`
//!   ([`crate::ops::delivery::vendor_indicators`]); a form records a new one
//!   ([`crate::ops::delivery::add_delivery`], as `recette delivery add`).
//! - `/deliveries/{delivery}`: what it claims (fixed anomalies, requirements delivered or
//!   changed: `POST .../claims`, as `delivery claim`), its documents checklist (`POST
//!   .../documents`, as `delivery doc`: the vendor marks a document received, only the buyer
//!   accepts or refuses it), its campaigns, and the delivery note upload (`POST .../note`):
//!   the dry-run plan page (`GET .../note/{upload}`) then "Appliquer" (`POST
//!   .../note/{upload}/apply`), whole or not at all, as `delivery import [--dry-run]`.

use axum::extract::{Multipart, Path as UrlPath, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use serde::{Deserialize, Serialize};

use super::lead::{gone, issue_rows, new_upload, UploadOptions};
use super::{fail, next_field, refs, render};
use crate::access::{Action, Scope};
use crate::error::{Error, Result};
use crate::i18n::Lang;
use crate::import::input::Input;
use crate::ops::delivery::{self as ops, Claims, DeliveryRequest, NoteImportRequest};
use crate::store::{NewDelivery, Store, DOCUMENT_STATES};
use crate::web::assets::percent_encode;
use crate::web::{AppState, CurrentUser, WebError};

/// One name per line.
fn lines(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

fn document_label(state: &str, lang: Lang) -> &'static str {
    match (state, lang) {
        ("expected", Lang::Fr) => "attendu",
        ("expected", Lang::En) => "expected",
        ("received", Lang::Fr) => "reçu",
        ("received", Lang::En) => "received",
        ("accepted", Lang::Fr) => "accepté",
        ("accepted", Lang::En) => "accepted",
        ("refused", Lang::Fr) => "refusé",
        ("refused", Lang::En) => "refused",
        _ => "",
    }
}

/// The delivery `reference` if this scope sees it, 404 otherwise (a vendor learns nothing of
/// another vendor's deliveries).
fn seen_delivery(s: &Store, scope: &Scope, reference: &str) -> Result<crate::entities::Delivery> {
    s.deliveries()?
        .into_iter()
        .find(|d| d.reference == reference && scope.sees_delivery(&d.vendor))
        .ok_or_else(|| Error::NotFound {
            kind: "livraison",
            reference: reference.to_string(),
        })
}

/// The new delivery form (kept on a refusal).
#[derive(Debug, Default, Deserialize, Serialize, Clone)]
pub struct NewDeliveryForm {
    #[serde(default, rename = "ref")]
    pub reference: String,
    #[serde(default)]
    pub version: String,
    #[serde(default)]
    pub vendor: String,
    #[serde(default)]
    pub lot: String,
    #[serde(default)]
    pub planned: String,
    #[serde(default)]
    pub delivered: String,
    #[serde(default)]
    pub decision_days: String,
    #[serde(default)]
    pub fixes: String,
    #[serde(default)]
    pub delivers: String,
    #[serde(default)]
    pub changes: String,
    /// One expected document per line.
    #[serde(default)]
    pub documents: String,
    #[serde(default)]
    pub known_issues: String,
    #[serde(default)]
    pub notes: String,
}

/// `?created=REF`: the notice after a creation.
#[derive(Debug, Default, Deserialize)]
pub struct DeliveriesQuery {
    #[serde(default)]
    pub created: Option<String>,
}

async fn list_page(
    state: &AppState,
    user: &CurrentUser,
    form: NewDeliveryForm,
    form_error: Option<String>,
    created: Option<String>,
) -> std::result::Result<Response, WebError> {
    let lang = user.lang();
    let scope = user.scope();
    let (report, vendors) = state
        .db(move |s| {
            let mut report = ops::vendor_indicators(s)?;
            report.deliveries.retain(|d| scope.sees_delivery(&d.vendor));
            let mut vendors: Vec<String> = s.deliveries()?.into_iter().map(|d| d.vendor).collect();
            vendors.sort();
            vendors.dedup();
            Ok((report, vendors))
        })
        .await
        .map_err(fail(user))?;
    let rows: Vec<serde_json::Value> = report
        .deliveries
        .iter()
        .map(|d| {
            let found: usize = d.anomalies_found.values().sum();
            serde_json::json!({
                "ref": d.reference, "version": d.version, "vendor": d.vendor,
                "planned": d.planned_date, "delivered": d.delivered_date,
                "days_late": d.days_late.filter(|x| *x > 0),
                "deadline": d.decision_deadline, "days_to_decision": d.days_to_decision,
                "deadline_passed": d.days_to_decision.is_some_and(|x| x < 0),
                "found": found, "fixes_claimed": d.fixes_claimed,
                "fixes_confirmed": d.fixes_confirmed, "fixes_reopened": d.fixes_reopened,
                "reopen_rate": crate::i18n::percent(lang, d.reopen_rate),
            })
        })
        .collect();
    let own_vendor =
        (user.account.role == crate::access::Role::Vendor).then(|| user.account.vendor.clone());
    let refused = form_error.is_some();
    super::render_form(
        state,
        user,
        "deliveries.html",
        lang.pick("Livraisons", "Deliveries"),
        "/deliveries",
        serde_json::json!({
            "rows": rows, "today": report.today, "vendors": vendors,
            "may_create": user.can(Action::ManageDelivery), "own_vendor": own_vendor,
            "form": form, "form_error": form_error, "created": created,
        }),
        refused,
    )
}

/// `GET /deliveries`.
pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<DeliveriesQuery>,
) -> std::result::Result<Response, WebError> {
    list_page(&state, &user, NewDeliveryForm::default(), None, q.created).await
}

fn delivery_request(f: &NewDeliveryForm, own_vendor: Option<&str>) -> Result<DeliveryRequest> {
    let decision_days = match f.decision_days.trim() {
        "" => None,
        d => Some(d.parse::<i64>().ok().filter(|d| *d >= 0).ok_or_else(|| {
            Error::input(
                format!("délai de décision : « {d} » — attendu un nombre de jours"),
                format!("decision deadline: \"{d}\" — expected a number of days"),
            )
        })?),
    };
    let opt = |v: &str| Some(v.trim().to_string()).filter(|v| !v.is_empty());
    let vendor = match own_vendor {
        Some(v) => v.to_string(),
        None => f.vendor.trim().to_string(),
    };
    if vendor.is_empty() {
        return Err(Error::input(
            "titulaire : nommez le titulaire qui livre",
            "vendor: name the vendor who delivers",
        ));
    }
    Ok(DeliveryRequest {
        reference: f.reference.trim().to_string(),
        delivery: NewDelivery {
            version: f.version.trim().to_string(),
            vendor,
            lot: f.lot.trim().to_string(),
            planned_date: crate::dates::opt_date(opt(&f.planned))?,
            delivered_date: crate::dates::opt_date(opt(&f.delivered))?,
            notes: f.notes.trim().to_string(),
        },
        known_issues: opt(&f.known_issues),
        decision_days,
        claims: Claims {
            fixes: refs(&f.fixes),
            delivers: refs(&f.delivers),
            changes: refs(&f.changes),
        },
        documents: lines(&f.documents),
    })
}

/// `POST /deliveries`: records the delivery with its claims and expected documents, in one
/// transaction; a vendor records only its own.
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(f): Form<NewDeliveryForm>,
) -> std::result::Result<Response, WebError> {
    let lang = user.lang();
    let own_vendor =
        (user.account.role == crate::access::Role::Vendor).then(|| user.account.vendor.clone());
    let form = f.clone();
    let done = state
        .db_as(user.name().to_string(), move |s| {
            let req = delivery_request(&f, own_vendor.as_deref())?;
            if req.reference.is_empty() {
                return Err(Error::input(
                    "référence : donnez la référence de la livraison (ex. LIV-1.2)",
                    "reference: give the delivery's reference (e.g. LIV-1.2)",
                ));
            }
            ops::add_delivery(s, &req)?;
            Ok(req.reference)
        })
        .await;
    match done {
        Ok(r) => Ok(
            Redirect::to(&format!("/deliveries/{}?created=1", percent_encode(&r))).into_response(),
        ),
        Err(e) => list_page(&state, &user, form, Some(e.message(lang)), None).await,
    }
}

/// `?created=1`, `?claimed=1`, `?document=NAME`, `?applied=N`, `?error=`: notices.
#[derive(Debug, Default, Deserialize)]
pub struct DeliveryQuery {
    #[serde(default)]
    pub created: Option<String>,
    #[serde(default)]
    pub claimed: Option<String>,
    #[serde(default)]
    pub document: Option<String>,
    #[serde(default)]
    pub applied: Option<String>,
    #[serde(default)]
    pub error: Option<String>,
}

/// `GET /deliveries/{delivery}`.
pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    UrlPath(reference): UrlPath<String>,
    Query(q): Query<DeliveryQuery>,
) -> std::result::Result<Response, WebError> {
    let lang = user.lang();
    let scope = user.scope();
    let r = reference.clone();
    let (detail, today, signed) = state
        .db(move |s| {
            seen_delivery(s, &scope, &r)?;
            let detail = s.delivery_detail(&r)?;
            // The decisions signed on its campaigns (the latest of each).
            let mut signed = Vec::new();
            for c in &detail.campaigns {
                if let Some(so) = s.signoffs(Some(c))?.pop() {
                    signed.push(so);
                }
            }
            Ok((detail, crate::ops::today(s), signed))
        })
        .await
        .map_err(fail(&user))?;
    let d = &detail.delivery;
    let fixes: Vec<serde_json::Value> = detail
        .fixes
        .iter()
        .map(|f| {
            serde_json::json!({"anomaly": f.anomaly, "title": f.title,
                "severity": f.severity.code(), "severity_label": f.severity.label(lang),
                "status": f.status.code(), "status_label": f.status.label(lang)})
        })
        .collect();
    let requirements: Vec<serde_json::Value> = detail
        .requirements
        .iter()
        .map(|r| {
            serde_json::json!({"ref": r.requirement, "change": r.change,
                "change_label": if r.change == "changed" { lang.pick("modifiée", "changed") } else { lang.pick("livrée", "delivered") }})
        })
        .collect();
    let documents: Vec<serde_json::Value> = detail
        .documents
        .iter()
        .map(|doc| {
            serde_json::json!({"name": doc.name, "state": doc.state,
                "state_label": document_label(&doc.state, lang), "comment": doc.comment})
        })
        .collect();
    let may_judge = user.can(Action::Decide);
    let states: Vec<serde_json::Value> = DOCUMENT_STATES
        .iter()
        .filter(|s| may_judge || matches!(**s, "expected" | "received"))
        .map(|s| serde_json::json!({"code": s, "label": document_label(s, lang)}))
        .collect();
    let passed = signed.is_empty()
        && detail
            .decision_deadline
            .as_deref()
            .is_some_and(|x| x < today.as_str());
    let signed: Vec<serde_json::Value> = signed
        .iter()
        .map(|so| {
            serde_json::json!({"campaign": so.campaign, "decision": so.decision.label(lang),
                "signed_at": so.signed_at, "number": so.number})
        })
        .collect();
    let title = format!("{} — {}", d.reference, d.version);
    render(
        &state,
        &user,
        "delivery.html",
        &title,
        "/deliveries",
        serde_json::json!({
            "d": {"ref": d.reference, "version": d.version, "vendor": d.vendor, "lot": d.lot,
                "planned": d.planned_date, "delivered": d.delivered_date, "notes": d.notes,
                "known_issues": detail.known_issues, "decision_days": detail.decision_days,
                "deadline": detail.decision_deadline, "deadline_passed": passed},
            "fixes": fixes, "requirements": requirements, "documents": documents,
            "campaigns": detail.campaigns, "states": states, "signed": signed,
            "may_manage": user.can(Action::ManageDelivery),
            "may_plan": user.can(Action::PlanCampaign),
            "limit_mib": state.upload_limit() / (1024 * 1024),
            "q": {"created": q.created, "claimed": q.claimed, "document": q.document,
                "applied": q.applied, "error": q.error},
        }),
    )
}

/// Back to the delivery's page with a notice, or with why it was refused.
fn back(
    reference: &str,
    done: Result<String>,
    lang: Lang,
) -> std::result::Result<Response, WebError> {
    let base = format!("/deliveries/{}", percent_encode(reference));
    match done {
        Ok(notice) => Ok(Redirect::to(&format!("{base}?{notice}")).into_response()),
        Err(e @ Error::NotFound { .. }) => Err(WebError::from_error(&e, lang)),
        Err(e) => Ok(Redirect::to(&format!(
            "{base}?error={}",
            percent_encode(&e.message(lang))
        ))
        .into_response()),
    }
}

/// The claims form.
#[derive(Debug, Default, Deserialize)]
pub struct ClaimsForm {
    #[serde(default)]
    pub fixes: String,
    #[serde(default)]
    pub delivers: String,
    #[serde(default)]
    pub changes: String,
}

/// `POST /deliveries/{delivery}/claims`: what the delivery announces, added whole or not at
/// all (an unknown anomaly or requirement refuses the lot).
pub async fn claims(
    State(state): State<AppState>,
    user: CurrentUser,
    UrlPath(reference): UrlPath<String>,
    Form(f): Form<ClaimsForm>,
) -> std::result::Result<Response, WebError> {
    let scope = user.scope();
    let r = reference.clone();
    let done = state
        .db_as(user.name().to_string(), move |s| {
            seen_delivery(s, &scope, &r)?;
            let c = Claims {
                fixes: refs(&f.fixes),
                delivers: refs(&f.delivers),
                changes: refs(&f.changes),
            };
            ops::claim(s, &r, &c)?;
            Ok("claimed=1".to_string())
        })
        .await;
    back(&reference, done, user.lang())
}

/// The document form: one document's state and comment (a new name adds it to the list).
#[derive(Debug, Default, Deserialize)]
pub struct DocumentForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub state: String,
    #[serde(default)]
    pub comment: String,
}

/// `POST /deliveries/{delivery}/documents`.
pub async fn document(
    State(state): State<AppState>,
    user: CurrentUser,
    UrlPath(reference): UrlPath<String>,
    Form(f): Form<DocumentForm>,
) -> std::result::Result<Response, WebError> {
    let lang = user.lang();
    let scope = user.scope();
    let may_judge = user.can(Action::Decide);
    let r = reference.clone();
    let done = state
        .db_as(user.name().to_string(), move |s| {
            seen_delivery(s, &scope, &r)?;
            let name = f.name.trim().to_string();
            if name.is_empty() {
                return Err(Error::input(
                    "document : donnez son nom",
                    "document: give its name",
                ));
            }
            let st = crate::store::parse_document_state(&f.state)?;
            if !may_judge && matches!(st, "accepted" | "refused") {
                return Err(Error::input(
                    "état : seul l'acheteur accepte ou refuse un document ; le titulaire le déclare reçu",
                    "state: only the buyer accepts or refuses a document; the vendor declares it received",
                ));
            }
            s.write("delivery doc", |tx| {
                tx.set_document(&r, &name, st, f.comment.trim())
            })?;
            Ok(format!("document={}", percent_encode(&name)))
        })
        .await;
    back(&reference, done, lang)
}

/// `POST /deliveries/{delivery}/note` (multipart: `file`, `partial`): keeps the delivery note
/// under a random id and goes to its plan; nothing is written.
pub async fn note_upload(
    State(state): State<AppState>,
    user: CurrentUser,
    UrlPath(reference): UrlPath<String>,
    multipart: std::result::Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> std::result::Result<Response, WebError> {
    let lang = user.lang();
    let scope = user.scope();
    let r = reference.clone();
    state
        .db(move |s| seen_delivery(s, &scope, &r).map(|_| ()))
        .await
        .map_err(fail(&user))?;
    let mut m = multipart.map_err(|_| {
        WebError::invalid(
            lang,
            "formulaire d'envoi attendu (multipart/form-data) avec le champ « file »",
            "expected an upload form (multipart/form-data) with the field \"file\"",
        )
    })?;
    let limit = state.upload_limit();
    let mut file: Option<(String, Vec<u8>)> = None;
    let mut partial = false;
    while let Some(field) = next_field(&mut m, lang, limit).await? {
        match field.name().unwrap_or("") {
            "file" => {
                let name = field.file_name().unwrap_or("").to_string();
                let bytes = field
                    .bytes()
                    .await
                    .map_err(|_| WebError::too_large(lang, limit))?;
                if !name.is_empty() || !bytes.is_empty() {
                    file = Some((name, bytes.to_vec()));
                }
            }
            "partial" => partial = !field.text().await.unwrap_or_default().is_empty(),
            _ => {}
        }
    }
    let Some(file) = file else {
        return Err(WebError::invalid(
            lang,
            "champ « file » : choisissez le bordereau de livraison (xlsx, ods, csv)",
            "field \"file\": choose the delivery note (xlsx, ods, csv)",
        ));
    };
    let options = UploadOptions {
        delivery: Some(reference.clone()),
        note_for: Some(reference.clone()),
        partial,
        ..UploadOptions::default()
    };
    let id = crate::accounts::random_hex(16).map_err(fail(&user))?;
    let upload = new_upload(user.name(), vec![file], options);
    state.uploads(|u| u.put(id.clone(), upload, limit.saturating_mul(4)));
    Ok(Redirect::to(&format!(
        "/deliveries/{}/note/{id}",
        percent_encode(&reference)
    ))
    .into_response())
}

/// Plans (dry run) or applies the staged note `id` of `reference`.
async fn run_note(
    state: &AppState,
    user: &CurrentUser,
    reference: &str,
    id: &str,
    dry_run: bool,
) -> std::result::Result<(ops::NoteImportOutcome, String, bool), WebError> {
    let lang = user.lang();
    let owner = user.name().to_string();
    let upload = state
        .uploads(|u| u.get(id, &owner))
        .filter(|u| u.options.note_for.as_deref() == Some(reference))
        .ok_or_else(|| gone(lang))?;
    let Some((name, bytes)) = upload.files.first().cloned() else {
        return Err(gone(lang));
    };
    let scope = user.scope();
    let r = reference.to_string();
    let partial = upload.options.partial;
    let file = name.clone();
    let outcome = state
        .db_as(owner, move |s| {
            seen_delivery(s, &scope, &r)?;
            ops::import_note(
                s,
                &NoteImportRequest {
                    input: Input::Bytes { name, bytes },
                    delivery: r,
                    dry_run,
                    partial,
                    lang,
                },
            )
        })
        .await
        .map_err(fail(user))?;
    Ok((outcome, file, partial))
}

fn change_label(change: &str, lang: Lang) -> &'static str {
    match change {
        "created" => lang.pick("ajouté", "added"),
        "updated" => lang.pick("modifié", "changed"),
        "unchanged" => lang.pick("inchangé", "unchanged"),
        _ => lang.pick("écarté", "skipped"),
    }
}

/// `GET /deliveries/{delivery}/note/{upload}`: the dry-run plan of the note.
pub async fn note_plan(
    State(state): State<AppState>,
    user: CurrentUser,
    UrlPath((reference, id)): UrlPath<(String, String)>,
) -> std::result::Result<Response, WebError> {
    let lang = user.lang();
    let (o, file, partial) = run_note(&state, &user, &reference, &id, true).await?;
    let items: Vec<serde_json::Value> = o
        .plan
        .items
        .iter()
        .map(|i| {
            serde_json::json!({"kind": i.kind, "ref": i.reference, "detail": i.detail,
                "change": i.change, "change_label": change_label(i.change, lang),
                "row": i.origin.row, "sheet": i.origin.sheet.as_deref()})
        })
        .collect();
    let mut resp = render(
        &state,
        &user,
        "delivery_note.html",
        lang.pick("Bordereau de livraison", "Delivery note"),
        "/deliveries",
        serde_json::json!({
            "delivery": reference, "id": id, "file": file, "partial": partial,
            "rejected": o.rejected, "items": items, "totals": o.plan.totals,
            "issues": issue_rows(&o.plan.issues, lang),
        }),
    )?;
    if o.rejected {
        *resp.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(resp)
}

/// `POST /deliveries/{delivery}/note/{upload}/apply`: the note imported for real, whole (or
/// its valid rows when "partial" was chosen), then back to the delivery.
pub async fn note_apply(
    State(state): State<AppState>,
    user: CurrentUser,
    UrlPath((reference, id)): UrlPath<(String, String)>,
) -> std::result::Result<Response, WebError> {
    let (o, _, _) = run_note(&state, &user, &reference, &id, false).await?;
    let owner = user.name().to_string();
    state.uploads(|u| u.remove(&id, &owner));
    let t = &o.plan.totals;
    Ok(Redirect::to(&format!(
        "/deliveries/{}?applied={}",
        percent_encode(&reference),
        t.created + t.updated
    ))
    .into_response())
}
