//! Errors as the web answers them: a status code and a message in the user's language, as a
//! small HTML page for the browser or `{"error": "..."}` under `/api/`.

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::error::Error;
use crate::i18n::Lang;

/// An error answer.
#[derive(Debug)]
pub struct WebError {
    pub status: StatusCode,
    pub message: String,
    /// Answer in JSON (API) rather than HTML.
    pub json: bool,
    /// For a conflict: the other attempt, to show beside the refused entry.
    pub detail: Option<serde_json::Value>,
}

impl WebError {
    /// An error with a status and a message already worded.
    pub fn new(status: StatusCode, message: impl Into<String>) -> WebError {
        WebError {
            status,
            message: message.into(),
            json: false,
            detail: None,
        }
    }

    /// A library error, worded in `lang`, with its status: 404 unknown reference, 409
    /// conflict, 422 rejected input, 500 otherwise.
    pub fn from_error(e: &Error, lang: Lang) -> WebError {
        let status = match e {
            Error::NotFound { .. } => StatusCode::NOT_FOUND,
            Error::Conflict { .. } | Error::Duplicate { .. } => StatusCode::CONFLICT,
            Error::Input { .. } | Error::Word(_) | Error::Import { .. } => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        };
        let mut message = e.message(lang);
        if let Error::Import { issues } = e {
            for i in issues.iter().take(50) {
                message.push_str("\n- ");
                message.push_str(&i.describe(lang));
            }
        }
        WebError::new(status, message)
    }

    /// 403 in the user's language.
    pub fn forbidden(lang: Lang) -> WebError {
        WebError::new(
            StatusCode::FORBIDDEN,
            lang.pick(
                "accès refusé : votre rôle ne permet pas cette action",
                "forbidden: your role does not allow this action",
            ),
        )
    }

    /// 404 in the user's language.
    pub fn not_found(lang: Lang) -> WebError {
        WebError::new(
            StatusCode::NOT_FOUND,
            lang.pick("page introuvable", "page not found"),
        )
    }

    /// 401 in the user's language.
    pub fn unauthorized(lang: Lang) -> WebError {
        WebError::new(
            StatusCode::UNAUTHORIZED,
            lang.pick(
                "authentification requise : connectez-vous ou donnez un jeton valide (Authorization: Bearer ...)",
                "authentication required: log in or give a valid token (Authorization: Bearer ...)",
            ),
        )
    }

    /// 413 in the user's language.
    pub fn too_large(lang: Lang, limit: usize) -> WebError {
        WebError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            crate::i18n::tr!(
                lang,
                "envoi trop volumineux : {} Mio au plus",
                "upload too large: at most {} MiB",
                limit / (1024 * 1024)
            ),
        )
    }

    /// 422 with a message in both languages.
    pub fn invalid(lang: Lang, fr: &str, en: &str) -> WebError {
        WebError::new(StatusCode::UNPROCESSABLE_ENTITY, lang.pick(fr, en))
    }

    /// Adds a technical detail to the message.
    pub fn with_detail(mut self, detail: impl AsRef<str>) -> WebError {
        self.message = format!("{} ({})", self.message, detail.as_ref());
        self
    }

    /// The same error, answered in JSON.
    pub fn json(mut self) -> WebError {
        self.json = true;
        self
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        if self.json {
            let mut body = serde_json::json!({"error": self.message});
            if let Some(d) = self.detail {
                body["latest"] = d;
            }
            return (
                self.status,
                [(header::CONTENT_TYPE, "application/json")],
                body.to_string(),
            )
                .into_response();
        }
        let page = format!(
            "<!DOCTYPE html>\n<html lang=\"fr\"><head><meta charset=\"utf-8\"><title>{code}</title>\
             <link rel=\"stylesheet\" href=\"/static/app.css\"></head><body><main class=\"error\">\
             <h1>{code}</h1><p id=\"error-message\" role=\"alert\">{msg}</p><p><a href=\"/\">recette</a></p></main></body></html>\n",
            code = self.status.as_u16(),
            msg = escape_html(&self.message).replace('\n', "<br>"),
        );
        (
            self.status,
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            page,
        )
            .into_response()
    }
}

/// Escapes text for HTML (element content and quoted attributes).
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}
