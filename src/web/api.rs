//! The JSON API under `/api/v1`, for scripts, CI and integrations: the same library calls as
//! the pages and the CLI. Errors are `{"error": "..."}` in the account's language with 401,
//! 403, 404, 409, 413 or 422; bad input writes nothing. Described by [`openapi`].

use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json;

use super::CurrentUser;

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
