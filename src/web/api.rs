//! The JSON API under `/api/v1`, for scripts, CI and integrations: the same library calls as
//! the pages and the CLI. Errors are `{"error": "..."}` in the account's language with 401,
//! 403, 404, 409, 413 or 422; bad input writes nothing. Described by [`openapi`].

use axum::body::{to_bytes, Body};
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::json;

use super::execution::{check_campaign_scope, record_on, ExecutionEntry, StagedFiles};
use super::{AppState, CurrentUser, WebError};
use crate::error::Error;

/// The OpenAPI 3 document (`templates/web/openapi.json`).
pub const OPENAPI: &str = include_str!("../../templates/web/openapi.json");

/// `GET /api/v1/openapi.json`.
pub async fn openapi() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI).into_response()
}

/// `GET /api/v1/me`: the authenticated account (name, full name, role, vendor, language).
pub async fn me(user: CurrentUser) -> Json<crate::store::Account> {
    Json(user.account)
}

fn fail(user: &CurrentUser) -> impl Fn(Error) -> WebError + '_ {
    move |e| {
        let mut w = WebError::from_error(&e, user.lang()).json();
        if let Error::Conflict { latest, .. } = e {
            w.detail = Some(json!(latest));
        }
        w
    }
}

/// `GET /api/v1/campaigns`: the campaigns the account sees.
pub async fn campaigns(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Response, WebError> {
    let u = user.clone();
    let list = state
        .db(move |s| {
            let all = s.campaigns()?;
            Ok(all
                .into_iter()
                .filter(|c| check_campaign_scope(s, &u, &c.reference).is_ok())
                .collect::<Vec<_>>())
        })
        .await
        .map_err(fail(&user))?;
    Ok(Json(list).into_response())
}

/// `GET /api/v1/campaigns/{campaign}`: the campaign with its tests (ref, data set, title,
/// status, assignee, attempts, last tester and date, anomalies).
pub async fn campaign(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(reference): Path<String>,
) -> Result<Response, WebError> {
    let u = user.clone();
    let value = state
        .db(move |s| {
            check_campaign_scope(s, &u, &reference)?;
            let c = s.campaign(&reference)?;
            let tests = s.campaign_tests(&reference)?;
            let mut v = serde_json::to_value(&c).map_err(|e| Error::Other(e.to_string()))?;
            v["tests"] = serde_json::to_value(&tests).map_err(|e| Error::Other(e.to_string()))?;
            Ok(v)
        })
        .await
        .map_err(fail(&user))?;
    Ok(Json(value).into_response())
}

/// `POST /api/v1/campaigns/{campaign}/executions`: records one execution -> 201
/// `{"attempt", "status", "test", "dataset"}`; 409 with `latest` when `based_on` is stale.
pub async fn post_execution(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(campaign): Path<String>,
    body: Result<Json<ExecutionEntry>, axum::extract::rejection::JsonRejection>,
) -> Result<Response, WebError> {
    let lang = user.lang();
    let Json(entry) = body.map_err(|e| {
        WebError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            crate::i18n::tr!(
                lang,
                "corps JSON invalide : {}",
                "invalid JSON body: {}",
                e.body_text()
            ),
        )
        .json()
    })?;
    let files = StagedFiles::new().map_err(fail(&user))?;
    let saved = record_on(&state, &user, campaign, entry, files)
        .await
        .map_err(fail(&user))?;
    let r = saved.recorded;
    Ok((
        StatusCode::CREATED,
        Json(
            json!({"attempt": r.attempt, "status": r.status, "test": r.test,
                    "dataset": r.dataset, "anomaly": saved.anomaly}),
        ),
    )
        .into_response())
}

/// Which item an evidence upload is for.
#[derive(Debug, Deserialize)]
pub struct EvidenceQuery {
    pub test: Option<String>,
    pub dataset: Option<String>,
}

/// `POST /api/v1/campaigns/{campaign}/executions/{attempt}/evidence?test=CT-001[&dataset=]`
/// (multipart, one or more `file` fields) -> 201 with the stored files.
pub async fn post_evidence(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((campaign, attempt)): Path<(String, i64)>,
    Query(q): Query<EvidenceQuery>,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, WebError> {
    let lang = user.lang();
    let limit = state.upload_limit();
    let mut multipart = multipart.map_err(|e| {
        WebError::invalid(lang, "corps multipart attendu", "multipart body expected")
            .json()
            .with_detail(e.body_text())
    })?;
    let mut test = q.test.unwrap_or_default();
    let mut dataset = q.dataset.filter(|d| !d.is_empty());
    let mut files = StagedFiles::new().map_err(fail(&user))?;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                return Err(WebError::too_large(lang, limit).json())
            }
            Err(e) => {
                return Err(WebError::invalid(
                    lang,
                    "corps multipart illisible",
                    "unreadable multipart body",
                )
                .json()
                .with_detail(e.body_text()))
            }
        };
        let name = field.name().unwrap_or("").to_string();
        let file_name = field.file_name().map(str::to_string);
        let bytes = field
            .bytes()
            .await
            .map_err(|_| WebError::too_large(lang, limit).json())?;
        match (name.as_str(), file_name.as_deref()) {
            ("test", None) => test = String::from_utf8_lossy(&bytes).trim().to_string(),
            ("dataset", None) => {
                dataset = Some(String::from_utf8_lossy(&bytes).trim().to_string())
                    .filter(|d| !d.is_empty())
            }
            (_, Some(f)) => {
                if bytes.len() > limit {
                    return Err(WebError::too_large(lang, limit).json());
                }
                files.add(f, &bytes).map_err(fail(&user))?;
            }
            _ => {}
        }
    }
    if test.is_empty() {
        return Err(WebError::invalid(
            lang,
            "donnez le cas de test (?test=CT-001)",
            "give the test case (?test=CT-001)",
        )
        .json());
    }
    if files.paths.is_empty() {
        return Err(WebError::invalid(
            lang,
            "aucun fichier envoyé (champ file)",
            "no file sent (field file)",
        )
        .json());
    }
    let u = user.clone();
    let stored = state
        .db_as(user.name().to_string(), move |s| {
            check_campaign_scope(s, &u, &campaign)?;
            let paths = files.paths.clone();
            let out = s.write("web evidence", |tx| {
                paths
                    .iter()
                    .map(|p| tx.attach_evidence(&campaign, &test, dataset.as_deref(), attempt, p))
                    .collect::<crate::Result<Vec<_>>>()
            });
            drop(files);
            out
        })
        .await
        .map_err(fail(&user))?;
    Ok((StatusCode::CREATED, Json(json!({"evidence": stored}))).into_response())
}

/// Options of a results upload.
#[derive(Debug, Deserialize)]
pub struct ResultsQuery {
    /// File name (its extension helps detect the format); default `results.xml`.
    pub name: Option<String>,
    /// Create automated test cases for results that match none.
    #[serde(default)]
    pub create_unmatched: bool,
    /// Plan only.
    #[serde(default)]
    pub dry_run: bool,
}

/// `POST /api/v1/campaigns/{campaign}/results?name=junit.xml` with a JUnit/Robot/... file as
/// body -> the import summary, as `recette import --json` gives it.
pub async fn post_results(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(campaign): Path<String>,
    Query(q): Query<ResultsQuery>,
    body: Body,
) -> Result<Response, WebError> {
    let lang = user.lang();
    let limit = state.upload_limit();
    let bytes = to_bytes(body, limit)
        .await
        .map_err(|_| WebError::too_large(lang, limit).json())?;
    if bytes.is_empty() {
        return Err(WebError::invalid(
            lang,
            "corps vide : envoyez le fichier de résultats",
            "empty body: send the results file",
        )
        .json());
    }
    let name = q
        .name
        .as_deref()
        .and_then(|n| n.rsplit(['/', '\\']).next())
        .filter(|n| !n.is_empty() && !n.starts_with('.'))
        .unwrap_or("results.xml")
        .to_string();
    let req = crate::ops::import::ImportRequest {
        inputs: vec![crate::import::input::Input::Bytes {
            name,
            bytes: bytes.to_vec(),
        }],
        dry_run: q.dry_run,
        campaign: Some(campaign.clone()),
        create_unmatched: q.create_unmatched,
        lang,
        ..Default::default()
    };
    let u = user.clone();
    let outcome = state
        .db_as(user.name().to_string(), move |s| {
            check_campaign_scope(s, &u, &campaign)?;
            crate::ops::import::run_import(s, &req, &|_| {}).map_err(Error::from)
        })
        .await
        .map_err(fail(&user))?;
    let status = if q.dry_run {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    Ok((status, Json(outcome)).into_response())
}
