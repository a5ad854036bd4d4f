//! The lead plans campaigns in the browser:
//! - `/plan/campaign`: a new campaign (on a delivery, with a strategy, a phase and dates) and
//!   its first tests by criteria; the selection is shown first with each test's reasons (a
//!   dry run of [`crate::ops::campaign::create_campaign`]), then "Créer la campagne".
//! - `/campaigns/{campaign}/scope`: tests added to or taken out of a campaign by criteria
//!   (references, tags, requirements, criticality, all), shown first — what would be added
//!   with why, what would go and what stays because it was run — then applied
//!   ([`crate::ops::campaign::add_tests`], [`crate::ops::campaign::remove_tests`], as
//!   `recette campaign add` / `campaign remove [--dry-run]`).

use axum::extract::{Path as UrlPath, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use serde::{Deserialize, Serialize};

use super::{choices, fail, refs};
use crate::error::{Error, Result};
use crate::model::{Criticality, Phase};
use crate::ops::campaign::{self as ops, CampaignRequest};
use crate::store::{NewCampaign, Selection};
use crate::web::assets::percent_encode;
use crate::web::{AppState, CurrentUser, WebError};

/// The criteria of a selection, as the forms send them.
#[derive(Debug, Default, Deserialize, Serialize, Clone)]
pub struct SelectionForm {
    /// Test references.
    #[serde(default)]
    pub tests: String,
    #[serde(default)]
    pub tags: String,
    #[serde(default)]
    pub requirements: String,
    #[serde(default)]
    pub criticality: String,
    /// `1`: every active test (every test of the campaign, to remove).
    #[serde(default)]
    pub all: String,
}

impl SelectionForm {
    fn selection(&self) -> Result<Selection> {
        let criticality = match self.criticality.trim() {
            "" => Vec::new(),
            w => vec![Criticality::parse(w)?],
        };
        Ok(Selection {
            tests: refs(&self.tests),
            tags: refs(&self.tags),
            requirements: refs(&self.requirements),
            criticality,
            all: self.all == "1",
            ..Selection::default()
        })
    }

    fn is_empty(&self) -> bool {
        self.tests.trim().is_empty()
            && self.tags.trim().is_empty()
            && self.requirements.trim().is_empty()
            && self.criticality.trim().is_empty()
            && self.all != "1"
    }
}

/// The new campaign form (query of the preview, body of the creation).
#[derive(Debug, Default, Deserialize, Serialize, Clone)]
pub struct CampaignForm {
    #[serde(default, rename = "ref")]
    pub reference: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub delivery: String,
    #[serde(default)]
    pub strategy: String,
    #[serde(default)]
    pub phase: String,
    #[serde(default)]
    pub start: String,
    #[serde(default)]
    pub end: String,
    #[serde(flatten)]
    pub sel: SelectionForm,
    /// `1`: show the selection (the form was sent).
    #[serde(default)]
    pub preview: String,
}

fn campaign_request(f: &CampaignForm, dry_run: bool) -> Result<CampaignRequest> {
    let reference = f.reference.trim();
    if reference.is_empty() {
        return Err(Error::input(
            "référence de la campagne : attendue (par exemple VABF-3)",
            "campaign reference: expected (e.g. VABF-3)",
        ));
    }
    if f.title.trim().is_empty() {
        return Err(Error::input(
            "intitulé : donnez l'intitulé de la campagne",
            "title: give the campaign's title",
        ));
    }
    let opt = |v: &str| Some(v.trim().to_string()).filter(|v| !v.is_empty());
    let phase = match f.phase.trim() {
        "" => Phase::Vabf,
        w => Phase::parse(w)?,
    };
    Ok(CampaignRequest {
        reference: reference.to_string(),
        campaign: NewCampaign {
            title: f.title.trim().to_string(),
            delivery: opt(&f.delivery),
            strategy: opt(&f.strategy),
            phase,
            start_date: crate::dates::opt_date(opt(&f.start))?,
            end_date: crate::dates::opt_date(opt(&f.end))?,
        },
        selection: f.sel.selection()?,
        dry_run,
    })
}

async fn campaign_page(
    state: &AppState,
    user: &CurrentUser,
    form: CampaignForm,
    plan: Option<ops::CampaignOutcome>,
    error: Option<String>,
) -> std::result::Result<Response, WebError> {
    let lang = user.lang();
    let (deliveries, strategies, tags) = state
        .db(|s| {
            let deliveries = super::delivery_refs(s, &crate::access::Scope::All)?;
            let strategies: Vec<serde_json::Value> = s
                .strategies()?
                .into_iter()
                .map(|x| serde_json::json!({"code": x.reference, "label": format!("{} — {}", x.reference, x.title)}))
                .collect();
            let tags = super::known_tags(s)?;
            Ok((deliveries, strategies, tags))
        })
        .await
        .map_err(fail(user))?;
    let refused = error.is_some();
    super::render_form(
        state,
        user,
        "plan_campaign.html",
        lang.pick("Planifier une campagne", "Plan a campaign"),
        "/campaigns",
        serde_json::json!({
            "form": form, "plan": plan, "error": error, "deliveries": deliveries,
            "strategies": strategies, "tags": tags,
            "phases": choices(Phase::ALL, Phase::code, |p| p.label(lang)),
            "criticalities": choices(Criticality::ALL, Criticality::code, |c| c.label(lang)),
        }),
        refused,
    )
}

/// `GET /plan/campaign`: the form; with `preview=1`, the selection it gives (nothing written).
pub async fn form(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(f): Query<CampaignForm>,
) -> std::result::Result<Response, WebError> {
    let lang = user.lang();
    if f.preview.is_empty() {
        return campaign_page(&state, &user, f, None, None).await;
    }
    let req = match campaign_request(&f, true) {
        Ok(r) => r,
        Err(e) => return campaign_page(&state, &user, f, None, Some(e.message(lang))).await,
    };
    match state.db(move |s| ops::create_campaign(s, &req)).await {
        Ok(plan) => campaign_page(&state, &user, f, Some(plan), None).await,
        Err(e) => campaign_page(&state, &user, f, None, Some(e.message(lang))).await,
    }
}

/// `POST /plan/campaign`: creates the campaign with its tests, then opens it.
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(f): Form<CampaignForm>,
) -> std::result::Result<Response, WebError> {
    let lang = user.lang();
    let req = match campaign_request(&f, false) {
        Ok(r) => r,
        Err(e) => return campaign_page(&state, &user, f, None, Some(e.message(lang))).await,
    };
    let reference = req.reference.clone();
    let done = state
        .db_as(user.name().to_string(), move |s| {
            ops::create_campaign(s, &req)
        })
        .await;
    match done {
        Ok(_) => {
            Ok(Redirect::to(&format!("/campaigns/{}", percent_encode(&reference))).into_response())
        }
        Err(e) => campaign_page(&state, &user, f, None, Some(e.message(lang))).await,
    }
}

/// The scope form of a campaign: add or remove, and the criteria.
#[derive(Debug, Default, Deserialize, Serialize, Clone)]
pub struct ScopeForm {
    /// `add` or `remove`.
    #[serde(default)]
    pub op: String,
    #[serde(flatten)]
    pub sel: SelectionForm,
    /// `1`: show what would change (the form was sent).
    #[serde(default)]
    pub preview: String,
    /// After applying: how many were added or removed.
    #[serde(default)]
    pub done: String,
}

/// What a scope change does or would do.
#[derive(Debug, Serialize)]
struct ScopePlan {
    op: String,
    added: Vec<crate::store::PlannedTest>,
    removed: Vec<String>,
    kept: Vec<String>,
    absent: Vec<String>,
}

fn scope_change(
    s: &mut crate::store::Store,
    campaign: &str,
    f: &ScopeForm,
    dry_run: bool,
) -> Result<ScopePlan> {
    if f.sel.is_empty() {
        return Err(Error::input(
            "sélection vide : donnez des tests, étiquettes, exigences, une criticité ou « tous »",
            "empty selection: give tests, tags, requirements, a criticality or \"all\"",
        ));
    }
    let sel = f.sel.selection()?;
    match f.op.as_str() {
        "add" => {
            let planned: std::collections::HashSet<String> = s
                .campaign_tests(campaign)?
                .into_iter()
                .map(|t| t.reference)
                .collect();
            let out = ops::add_tests(s, campaign, &sel, dry_run)?;
            Ok(ScopePlan {
                op: "add".into(),
                // Those already in the campaign are not added again.
                added: out
                    .tests
                    .into_iter()
                    .filter(|t| !planned.contains(&t.reference))
                    .collect(),
                removed: Vec::new(),
                kept: Vec::new(),
                absent: Vec::new(),
            })
        }
        "remove" => {
            let out = ops::remove_tests(s, campaign, &sel, dry_run)?;
            Ok(ScopePlan {
                op: "remove".into(),
                added: Vec::new(),
                removed: out.removed,
                kept: out.kept,
                absent: out.absent,
            })
        }
        other => Err(Error::input(
            format!("opération : « {other} » — attendu add ou remove"),
            format!("operation: \"{other}\" — expected add or remove"),
        )),
    }
}

async fn scope_page(
    state: &AppState,
    user: &CurrentUser,
    campaign: String,
    form: ScopeForm,
    plan: Option<ScopePlan>,
    error: Option<String>,
) -> std::result::Result<Response, WebError> {
    let lang = user.lang();
    let c = campaign.clone();
    let (info, tags) = state
        .db(move |s| {
            let info = s.campaign(&c)?;
            let tags = super::known_tags(s)?;
            Ok((info, tags))
        })
        .await
        .map_err(fail(user))?;
    let refused = error.is_some();
    super::render_form(
        state,
        user,
        "campaign_scope.html",
        lang.pick("Tests de la campagne", "Tests of the campaign"),
        "/campaigns",
        serde_json::json!({
            "campaign": campaign, "campaign_title": info.title, "planned": info.tests,
            "form": form, "plan": plan, "error": error, "tags": tags,
            "criticalities": choices(Criticality::ALL, Criticality::code, |c| c.label(lang)),
        }),
        refused,
    )
}

/// `GET /campaigns/{campaign}/scope`: the form; with `preview=1`, what would change.
pub async fn scope_form(
    State(state): State<AppState>,
    user: CurrentUser,
    UrlPath(campaign): UrlPath<String>,
    Query(f): Query<ScopeForm>,
) -> std::result::Result<Response, WebError> {
    let lang = user.lang();
    if f.preview.is_empty() {
        return scope_page(&state, &user, campaign, f, None, None).await;
    }
    let (c, form) = (campaign.clone(), f.clone());
    match state.db(move |s| scope_change(s, &c, &form, true)).await {
        Ok(plan) => scope_page(&state, &user, campaign, f, Some(plan), None).await,
        Err(e) => scope_page(&state, &user, campaign, f, None, Some(e.message(lang))).await,
    }
}

/// `POST /campaigns/{campaign}/scope`: applies the change, then back to the form with a notice.
pub async fn scope_apply(
    State(state): State<AppState>,
    user: CurrentUser,
    UrlPath(campaign): UrlPath<String>,
    Form(f): Form<ScopeForm>,
) -> std::result::Result<Response, WebError> {
    let lang = user.lang();
    let (c, form) = (campaign.clone(), f.clone());
    let done = state
        .db_as(user.name().to_string(), move |s| {
            scope_change(s, &c, &form, false)
        })
        .await;
    match done {
        Ok(p) => {
            let n = if p.op == "add" {
                p.added.len()
            } else {
                p.removed.len()
            };
            Ok(Redirect::to(&format!(
                "/campaigns/{}/scope?op={}&done={n}",
                percent_encode(&campaign),
                p.op
            ))
            .into_response())
        }
        Err(e) => scope_page(&state, &user, campaign, f, None, Some(e.message(lang))).await,
    }
}
