//! Checks a file against the signed PVs (`/verify`): the uploaded file is hashed and every
//! sign-off that sealed that very content is listed — or none, and the file was altered or
//! never signed. The same [`crate::ops::signoff::verify`] as `recette verify`; the file is
//! read, never stored nor served back.

use axum::extract::{Multipart, State};
use axum::response::Response;

use super::{fail, render};
use crate::import::input::Input;
use crate::web::execution::check_campaign_scope;
use crate::web::{AppState, CurrentUser, WebError};

/// `GET /verify`: the form.
pub async fn form(State(state): State<AppState>, user: CurrentUser) -> Result<Response, WebError> {
    let lang = user.lang();
    render(
        &state,
        &user,
        "verify.html",
        lang.pick("Vérifier un PV", "Verify a record"),
        "/verify",
        serde_json::json!({}),
    )
}

/// `POST /verify` (multipart, field `file`): the sign-offs that sealed this content.
pub async fn check(
    State(state): State<AppState>,
    user: CurrentUser,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, WebError> {
    let lang = user.lang();
    let limit = state.upload_limit();
    let mut multipart = multipart.map_err(|e| {
        WebError::invalid(
            lang,
            "formulaire multipart attendu",
            "multipart form expected",
        )
        .with_detail(e.body_text())
    })?;
    let mut upload: Option<(String, Vec<u8>)> = None;
    loop {
        let Some(field) = super::next_field(&mut multipart, lang, limit).await? else {
            break;
        };
        if field.name() != Some("file") {
            continue;
        }
        let name = field.file_name().unwrap_or("fichier").to_string();
        let bytes = field
            .bytes()
            .await
            .map_err(|_| WebError::too_large(lang, limit))?;
        if bytes.len() > limit {
            return Err(WebError::too_large(lang, limit));
        }
        if !bytes.is_empty() {
            upload = Some((name, bytes.to_vec()));
        }
    }
    let Some((name, bytes)) = upload else {
        return Err(WebError::invalid(
            lang,
            "fichier : choisissez le fichier à vérifier",
            "file: choose the file to verify",
        ));
    };
    let u = user.clone();
    let result = state
        .db(move |s| {
            let mut v = crate::ops::signoff::verify(s, &Input::Bytes { name, bytes })?;
            // A vendor only learns of the sign-offs of its own deliveries' campaigns.
            v.matches
                .retain(|m| check_campaign_scope(s, &u, &m.campaign).is_ok());
            Ok(v)
        })
        .await
        .map_err(fail(&user))?;
    let matches: Vec<serde_json::Value> = result
        .matches
        .iter()
        .map(|m| {
            serde_json::json!({"campaign": m.campaign, "decision": m.decision.label(lang),
                "file_name": m.file_name, "number": m.number, "signatories": m.signatories,
                "signed_at": m.signed_at})
        })
        .collect();
    render(
        &state,
        &user,
        "verify.html",
        lang.pick("Vérifier un PV", "Verify a record"),
        "/verify",
        serde_json::json!({"checked": {"file": result.file, "sha256": result.sha256,
            "matches": matches}}),
    )
}
