//! The lead's planning on the campaign page: assign, reassign, spread between testers or
//! unassign the tests of a selection (all, by tag, requirement, criticality or references),
//! with [`crate::ops::campaign::assign`], the same call as `recette campaign assign`.

use axum::extract::{Path as UrlPath, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use serde::Deserialize;

use crate::error::Error;
use crate::model::Criticality;
use crate::store::{Assignment, ItemSelection};
use crate::web::assets::percent_encode;
use crate::web::execution::check_campaign_scope;
use crate::web::{AppState, CurrentUser, WebError};

/// The assignment form.
#[derive(Debug, Default, Deserialize, Clone)]
pub struct AssignForm {
    /// `all` or `selection`.
    #[serde(default)]
    pub scope: String,
    #[serde(default)]
    pub tag: String,
    #[serde(default)]
    pub requirement: String,
    #[serde(default)]
    pub criticality: String,
    /// Test references, separated by commas, semicolons or spaces.
    #[serde(default)]
    pub tests: String,
    /// `to`, `spread` or `unassign`.
    #[serde(default)]
    pub mode: String,
    #[serde(default)]
    pub to: String,
    /// Tester names separated by commas.
    #[serde(default)]
    pub spread: String,
}

fn words(s: &str, seps: &[char]) -> Vec<String> {
    s.split(seps)
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(str::to_string)
        .collect()
}

fn field_error(fr: String, en: String) -> Error {
    Error::input(fr, en)
}

/// What the form asks, or the error naming its field.
fn read(form: &AssignForm) -> crate::error::Result<(ItemSelection, Assignment)> {
    let mut sel = ItemSelection::default();
    match form.scope.as_str() {
        "all" => sel.all = true,
        _ => {
            sel.tags = words(&form.tag, &[',', ';']);
            sel.requirements = words(&form.requirement, &[',', ';', ' ']);
            sel.tests = words(&form.tests, &[',', ';', ' ', '\n', '\r', '\t']);
            if !form.criticality.trim().is_empty() {
                sel.criticality = vec![Criticality::parse(form.criticality.trim())?];
            }
            if sel.tags.is_empty()
                && sel.requirements.is_empty()
                && sel.tests.is_empty()
                && sel.criticality.is_empty()
            {
                return Err(field_error(
                    "tests concernés : choisissez « tous les tests » ou donnez une étiquette, une exigence, une criticité ou des références".into(),
                    "tests: choose \"every test\" or give a tag, a requirement, a criticality or references".into(),
                ));
            }
        }
    }
    let what = match form.mode.as_str() {
        "to" => {
            let n = form.to.trim();
            if n.is_empty() {
                return Err(field_error(
                    "attribuer à : nom du testeur attendu".into(),
                    "assign to: tester name expected".into(),
                ));
            }
            Assignment::To(n.to_string())
        }
        "spread" => {
            let names = words(&form.spread, &[',', ';']);
            if names.is_empty() {
                return Err(field_error(
                    "répartir entre : nommez au moins un testeur (séparés par des virgules)".into(),
                    "spread between: name at least one tester (comma-separated)".into(),
                ));
            }
            Assignment::Spread(names)
        }
        "unassign" => Assignment::Unassign,
        other => {
            return Err(field_error(
                format!("action : « {other} » inconnue, attendu to, spread ou unassign"),
                format!("action: unknown \"{other}\", expected to, spread or unassign"),
            ))
        }
    };
    Ok((sel, what))
}

/// `POST /campaigns/{campaign}/assign`: applies the assignment, then back to the campaign
/// page with what changed; a refused form changes nothing and says why.
pub async fn assign(
    State(state): State<AppState>,
    user: CurrentUser,
    UrlPath(campaign): UrlPath<String>,
    Form(form): Form<AssignForm>,
) -> Result<Response, WebError> {
    let lang = user.lang();
    let u = user.clone();
    let c = campaign.clone();
    let entered = serde_json::json!({
        "scope": form.scope, "tag": form.tag, "requirement": form.requirement,
        "criticality": form.criticality, "tests": form.tests, "mode": form.mode,
        "to": form.to, "spread": form.spread,
    });
    let done = state
        .db_as(user.name().to_string(), move |s| {
            check_campaign_scope(s, &u, &c)?;
            let (sel, what) = read(&form)?;
            crate::ops::campaign::assign(s, &c, &sel, &what)
        })
        .await;
    match done {
        Ok(out) => Ok(Redirect::to(&format!(
            "/campaigns/{}?assigned={}&changed={}#assign",
            percent_encode(&campaign),
            out.selected,
            out.changes.len()
        ))
        .into_response()),
        Err(
            e @ Error::NotFound {
                kind: "campagne", ..
            },
        ) => Err(WebError::from_error(&e, lang)),
        Err(e) => {
            let w = WebError::from_error(&e, lang);
            let mut page = super::tester::campaign_page(
                &state,
                &user,
                campaign,
                super::tester::CampaignFilter::default(),
                serde_json::json!({"error": e.message(lang), "form": entered}),
            )
            .await?;
            *page.status_mut() = if w.status == StatusCode::INTERNAL_SERVER_ERROR {
                w.status
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            Ok(page)
        }
    }
}
