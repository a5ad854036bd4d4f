//! The lead signs a campaign's PV from the browser (`/campaigns/{campaign}/signoff`): the form
//! (the proposed decision preselected, the authenticated lead as first signatory, the vendor's
//! signatories, reservations added to the proposed ones, a comment, why it replaces an earlier
//! PV), then the confirmation page — a dry run of [`crate::signoff::sign`] showing exactly
//! what will be frozen (decision, signatories, reservations and their deadlines, the files
//! and their sha256) — then the signature, recorded under the authenticated account. The same
//! call as `recette signoff [--dry-run]`.

use axum::extract::{Path as UrlPath, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use serde::{Deserialize, Serialize};

use super::fail;
use crate::error::Result;
use crate::i18n::Lang;
use crate::model::Decision;
use crate::signoff::{sign, SignRequest, Signed};
use crate::web::assets::percent_encode;
use crate::web::execution::check_campaign_scope;
use crate::web::{AppState, CurrentUser, WebError};

/// The sign-off form.
#[derive(Debug, Default, Deserialize, Serialize, Clone)]
pub struct SignForm {
    #[serde(default)]
    pub decision: String,
    /// One `Nom, fonction[, organisation]` per line.
    #[serde(default)]
    pub signatories: String,
    #[serde(default)]
    pub vendor_signatories: String,
    /// One reservation per line (added to the proposed ones).
    #[serde(default)]
    pub reserves: String,
    /// Deadline of the added reservations (empty: the strategy's delay).
    #[serde(default)]
    pub deadline: String,
    /// The proposed reservations as edited: `res_count`, then `res_keep_I` (`1`),
    /// `res_desc_I`, `res_deadline_I`, `res_anomaly_I`, `res_severity_I` for each.
    #[serde(flatten)]
    pub rows: std::collections::BTreeMap<String, String>,
    #[serde(default)]
    pub comment: String,
    #[serde(default)]
    pub supersede: String,
    /// `1` on the confirmation page's button: sign for real.
    #[serde(default)]
    pub confirm: String,
}

fn lines(s: &str) -> Vec<String> {
    s.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

/// One proposed reservation row of the form.
#[derive(Debug, Clone, Serialize)]
struct ReserveRow {
    i: usize,
    keep: bool,
    description: String,
    deadline: String,
    anomaly: String,
    severity: String,
}

impl SignForm {
    /// The edited rows, when the form carried them.
    fn edited(&self) -> Option<Vec<ReserveRow>> {
        let n: usize = self.rows.get("res_count")?.trim().parse().ok()?;
        let get = |k: &str, i: usize| {
            self.rows
                .get(&format!("{k}_{i}"))
                .map(|v| v.trim().to_string())
                .unwrap_or_default()
        };
        Some(
            (0..n.min(1000))
                .map(|i| ReserveRow {
                    i,
                    keep: get("res_keep", i) == "1",
                    description: get("res_desc", i),
                    deadline: get("res_deadline", i),
                    anomaly: get("res_anomaly", i),
                    severity: get("res_severity", i),
                })
                .collect(),
        )
    }
}

fn request(f: &SignForm, campaign: &str, dry_run: bool, lang: Lang) -> Result<SignRequest> {
    let reservations = f.edited().map(|rows| {
        rows.into_iter()
            .filter(|r| r.keep)
            .map(|r| crate::signoff::ReserveInput {
                description: r.description,
                anomaly: Some(r.anomaly).filter(|a| !a.is_empty()),
                severity: r.severity,
                deadline: Some(r.deadline).filter(|d| !d.is_empty()),
            })
            .collect()
    });
    Ok(SignRequest {
        reservations,
        deadline: Some(f.deadline.trim().to_string()).filter(|d| !d.is_empty()),
        campaign: campaign.to_string(),
        decision: Decision::parse(f.decision.trim())?,
        reserves: lines(&f.reserves),
        signatories: lines(&f.signatories),
        vendor_signatories: lines(&f.vendor_signatories),
        reports: None,
        comment: f.comment.trim().to_string(),
        supersede: Some(f.supersede.trim().to_string()).filter(|s| !s.is_empty()),
        dry_run,
        lang,
    })
}

async fn page(
    state: &AppState,
    user: &CurrentUser,
    campaign: String,
    form: Option<SignForm>,
    preview: Option<Signed>,
    error: Option<String>,
) -> std::result::Result<Response, WebError> {
    let lang = user.lang();
    let (u, c) = (user.clone(), campaign.clone());
    let (title, gate, signed) = state
        .db(move |s| {
            check_campaign_scope(s, &u, &c)?;
            let title = s.campaign(&c)?.title;
            let gate = crate::ops::verdict::gate(s, &c, true)?;
            let signed = s.signoffs(Some(&c))?.len();
            Ok((title, gate, signed))
        })
        .await
        .map_err(fail(user))?;
    let form = form.unwrap_or_else(|| SignForm {
        decision: gate.verdict.decision.code().to_string(),
        signatories: format!(
            "{}, {}",
            user.account.display_name(),
            lang.pick("pilote de recette", "test lead")
        ),
        ..SignForm::default()
    });
    let decisions: Vec<serde_json::Value> =
        super::choices(Decision::ALL, Decision::code, |x| x.label(lang));
    // The proposed reservations, as the lead edited them or as the criteria propose them.
    let rows = form.edited().unwrap_or_else(|| {
        gate.verdict
            .reservations
            .iter()
            .enumerate()
            .map(|(i, r)| ReserveRow {
                i,
                keep: true,
                description: r.description.get(lang).to_string(),
                deadline: r.deadline.clone(),
                anomaly: r.anomaly.clone().unwrap_or_default(),
                severity: r.severity.clone(),
            })
            .collect()
    });
    let preview = preview.map(|p| {
        serde_json::json!({
            "number": p.number,
            "decision": p.record.decision.label(lang),
            "proposed": p.proposed.label(lang),
            "differs": p.record.decision != p.proposed,
            "signatories": p.record.signatories.iter().map(|s| format!("{}, {} ({})", s.name, s.function, s.organisation)).collect::<Vec<_>>(),
            "reservations": p.record.reservations.iter().map(|r| serde_json::json!({"ref": r.reference, "description": r.description, "anomaly": r.anomaly, "deadline": r.deadline})).collect::<Vec<_>>(),
            "files": p.record.files.iter().map(|f| serde_json::json!({"name": f.file_name, "sha256": f.sha256, "size": f.size})).collect::<Vec<_>>(),
            "warnings": p.warnings.iter().map(|w| w.get(lang).to_string()).collect::<Vec<_>>(),
            "supersedes": p.supersedes_number,
        })
    });
    let refused = error.is_some();
    super::render_form(
        state,
        user,
        "signoff.html",
        &format!("{campaign} — {}", lang.pick("signature du PV", "sign-off")),
        "/dashboard",
        serde_json::json!({
            "campaign": campaign, "campaign_title": title, "form": form, "decisions": decisions,
            "proposed": gate.verdict.decision.label(lang), "signed": signed,
            "preview": preview, "error": error, "rows": rows,
        }),
        refused,
    )
}

/// `GET /campaigns/{campaign}/signoff`: the form.
pub async fn form(
    State(state): State<AppState>,
    user: CurrentUser,
    UrlPath(campaign): UrlPath<String>,
) -> std::result::Result<Response, WebError> {
    page(&state, &user, campaign, None, None, None).await
}

/// `POST /campaigns/{campaign}/signoff`: without `confirm`, the dry run to confirm; with it,
/// the signature, then the verdict page.
pub async fn submit(
    State(state): State<AppState>,
    user: CurrentUser,
    UrlPath(campaign): UrlPath<String>,
    Form(f): Form<SignForm>,
) -> std::result::Result<Response, WebError> {
    let lang = user.lang();
    let dry_run = f.confirm != "1";
    let req = match request(&f, &campaign, dry_run, lang) {
        Ok(r) => r,
        Err(e) => {
            return page(
                &state,
                &user,
                campaign,
                Some(f),
                None,
                Some(e.message(lang)),
            )
            .await
        }
    };
    let (u, c) = (user.clone(), campaign.clone());
    let done = state
        .db_as(user.name().to_string(), move |s| {
            check_campaign_scope(s, &u, &c)?;
            sign(s, &req)
        })
        .await;
    match done {
        Ok(signed) if dry_run => page(&state, &user, campaign, Some(f), Some(signed), None).await,
        Ok(signed) => Ok(Redirect::to(&format!(
            "/campaigns/{}/verdict?signed={}",
            percent_encode(&campaign),
            signed.number
        ))
        .into_response()),
        Err(
            e @ crate::error::Error::NotFound {
                kind: "campagne", ..
            },
        ) => Err(WebError::from_error(&e, lang)),
        Err(e) => {
            page(
                &state,
                &user,
                campaign,
                Some(f),
                None,
                Some(e.message(lang)),
            )
            .await
        }
    }
}
