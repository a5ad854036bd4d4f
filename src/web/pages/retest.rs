//! The lead plans the retest campaign of a delivery (`GET /plan/retest`): the form, then the
//! dry-run selection with each test's reasons (fixed anomalies to retest, requirements
//! delivered or changed, the non-regression rule), then "create" — the same
//! [`crate::ops::campaign::create_retest`] as `recette campaign create --retest [--dry-run]`.

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use serde::{Deserialize, Serialize};

use super::{choices, fail};
use crate::error::{Error, Result};
use crate::i18n::Lang;
use crate::model::{Criticality, Phase};
use crate::ops::campaign::{create_retest, RetestOutcome, RetestRequest};
use crate::web::assets::percent_encode;
use crate::web::{AppState, CurrentUser, WebError};

/// The planning form (query of the preview, body of the creation).
#[derive(Debug, Default, Deserialize, Serialize, Clone)]
pub struct RetestForm {
    #[serde(default, rename = "ref")]
    pub reference: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub delivery: String,
    #[serde(default)]
    pub phase: String,
    /// Non-regression: tests of requirements of this criticality (empty: critical).
    #[serde(default)]
    pub criticality: String,
    /// Non-regression: tests with this tag (empty: `non-regression`).
    #[serde(default)]
    pub tag: String,
    /// `1`: also the tests failed or blocked in the previous campaign.
    #[serde(default)]
    pub failed: String,
    /// `1`: show the selection (the form was sent).
    #[serde(default)]
    pub preview: String,
}

fn request(f: &RetestForm, dry_run: bool) -> Result<RetestRequest> {
    let reference = f.reference.trim();
    if reference.is_empty() {
        return Err(Error::input(
            "référence de la campagne : attendue (par exemple VABF-2)",
            "campaign reference: expected (e.g. VABF-2)",
        ));
    }
    if f.delivery.trim().is_empty() {
        return Err(Error::input(
            "livraison : choisissez la livraison à recetter",
            "delivery: choose the delivery to test",
        ));
    }
    let phase = match f.phase.trim() {
        "" => Phase::Vabf,
        w => Phase::parse(w)?,
    };
    let criticality = match f.criticality.trim() {
        "" => Vec::new(),
        w => vec![Criticality::parse(w)?],
    };
    let tags = match f.tag.trim() {
        "" => Vec::new(),
        w => vec![w.to_string()],
    };
    Ok(RetestRequest {
        reference: reference.to_string(),
        title: f.title.trim().to_string(),
        delivery: f.delivery.trim().to_string(),
        phase,
        strategy: None,
        start_date: None,
        end_date: None,
        criticality,
        tags,
        failed_in_last_campaign: f.failed == "1",
        dry_run,
    })
}

async fn page(
    state: &AppState,
    user: &CurrentUser,
    form: RetestForm,
    plan: Option<RetestOutcome>,
    error: Option<String>,
) -> std::result::Result<Response, WebError> {
    let lang: Lang = user.lang();
    let deliveries = state
        .db(|s| super::delivery_refs(s, &crate::access::Scope::All))
        .await
        .map_err(fail(user))?;
    let failed_default = form.preview.is_empty() || form.failed == "1";
    let refused = error.is_some();
    super::render_form(
        state,
        user,
        "retest.html",
        lang.pick(
            "Planifier une campagne de retests",
            "Plan a retest campaign",
        ),
        "/campaigns",
        serde_json::json!({
            "form": form, "failed_checked": failed_default, "plan": plan, "error": error,
            "deliveries": deliveries,
            "phases": choices(Phase::ALL, Phase::code, |p| p.label(lang)),
            "criticalities": choices(Criticality::ALL, Criticality::code, |c| c.label(lang)),
        }),
        refused,
    )
}

/// `GET /plan/retest`: the form; with `preview=1`, the selection it gives (nothing written).
pub async fn form(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(f): Query<RetestForm>,
) -> std::result::Result<Response, WebError> {
    let lang = user.lang();
    if f.preview.is_empty() {
        return page(&state, &user, f, None, None).await;
    }
    let req = match request(&f, true) {
        Ok(r) => r,
        Err(e) => return page(&state, &user, f, None, Some(e.message(lang))).await,
    };
    let planned = state.db(move |s| create_retest(s, &req)).await;
    match planned {
        Ok(plan) => page(&state, &user, f, Some(plan), None).await,
        Err(e) => page(&state, &user, f, None, Some(e.message(lang))).await,
    }
}

/// `POST /plan/retest`: creates the campaign with the selection, then opens it.
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(f): Form<RetestForm>,
) -> std::result::Result<Response, WebError> {
    let lang = user.lang();
    let req = match request(&f, false) {
        Ok(r) => r,
        Err(e) => return page(&state, &user, f, None, Some(e.message(lang))).await,
    };
    let reference = req.reference.clone();
    let done = state
        .db_as(user.name().to_string(), move |s| create_retest(s, &req))
        .await;
    match done {
        Ok(_) => {
            Ok(Redirect::to(&format!("/campaigns/{}", percent_encode(&reference))).into_response())
        }
        Err(e) => page(&state, &user, f, None, Some(e.message(lang))).await,
    }
}
