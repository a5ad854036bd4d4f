//! Embedded templates (`templates/web/`, each replaceable by a file of the same name in
//! `--templates DIR`, like the reports') and static files: htmx 2 with its licence (no CDN:
//! the server works on a LAN without internet), `app.js`, `app.css`.

use std::path::Path;

use axum::extract::Path as UrlPath;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use minijinja::State;

use crate::error::Result;
use crate::report::render::Renderer;

/// The page templates, by name.
pub const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/web/base.html")),
    (
        "admin_users.html",
        include_str!("../../templates/web/admin_users.html"),
    ),
    ("audit.html", include_str!("../../templates/web/audit.html")),
    ("pager.html", include_str!("../../templates/web/pager.html")),
    (
        "selection_fields.html",
        include_str!("../../templates/web/selection_fields.html"),
    ),
    (
        "plan_campaign.html",
        include_str!("../../templates/web/plan_campaign.html"),
    ),
    (
        "campaign_scope.html",
        include_str!("../../templates/web/campaign_scope.html"),
    ),
    (
        "deliveries.html",
        include_str!("../../templates/web/deliveries.html"),
    ),
    (
        "delivery.html",
        include_str!("../../templates/web/delivery.html"),
    ),
    (
        "delivery_note.html",
        include_str!("../../templates/web/delivery_note.html"),
    ),
    (
        "requirements.html",
        include_str!("../../templates/web/requirements.html"),
    ),
    (
        "requirement.html",
        include_str!("../../templates/web/requirement.html"),
    ),
    ("tests.html", include_str!("../../templates/web/tests.html")),
    (
        "test_case.html",
        include_str!("../../templates/web/test_case.html"),
    ),
    (
        "dashboard.html",
        include_str!("../../templates/web/dashboard.html"),
    ),
    (
        "dashboard_campaigns.html",
        include_str!("../../templates/web/dashboard_campaigns.html"),
    ),
    ("trace.html", include_str!("../../templates/web/trace.html")),
    (
        "verdict.html",
        include_str!("../../templates/web/verdict.html"),
    ),
    (
        "reservations.html",
        include_str!("../../templates/web/reservations.html"),
    ),
    (
        "verify.html",
        include_str!("../../templates/web/verify.html"),
    ),
    (
        "signoff.html",
        include_str!("../../templates/web/signoff.html"),
    ),
    (
        "retest.html",
        include_str!("../../templates/web/retest.html"),
    ),
    (
        "anomalies.html",
        include_str!("../../templates/web/anomalies.html"),
    ),
    (
        "anomaly.html",
        include_str!("../../templates/web/anomaly.html"),
    ),
    (
        "account.html",
        include_str!("../../templates/web/account.html"),
    ),
    (
        "campaigns.html",
        include_str!("../../templates/web/campaigns.html"),
    ),
    (
        "campaign.html",
        include_str!("../../templates/web/campaign.html"),
    ),
    (
        "execution.html",
        include_str!("../../templates/web/execution.html"),
    ),
    ("login.html", include_str!("../../templates/web/login.html")),
    (
        "my_tests.html",
        include_str!("../../templates/web/my_tests.html"),
    ),
    (
        "progress.html",
        include_str!("../../templates/web/progress.html"),
    ),
    (
        "lead/import_form.html",
        include_str!("../../templates/web/lead/import_form.html"),
    ),
    (
        "lead/import_plan.html",
        include_str!("../../templates/web/lead/import_plan.html"),
    ),
];

/// Static files: name, content type, bytes.
pub const STATIC: &[(&str, &str, &[u8])] = &[
    (
        "htmx.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../templates/web/static/htmx.min.js"),
    ),
    (
        "htmx-LICENSE.txt",
        "text/plain; charset=utf-8",
        include_bytes!("../../templates/web/static/htmx-LICENSE.txt"),
    ),
    (
        "app.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../templates/web/static/app.js"),
    ),
    (
        "app.css",
        "text/css; charset=utf-8",
        include_bytes!("../../templates/web/static/app.css"),
    ),
];

/// The pages' renderer: HTML auto-escaping, and `t("français", "English")` which picks the
/// text of the page's `lang`.
pub fn renderer(overrides: Option<&Path>) -> Result<Renderer> {
    let mut r = Renderer::with_templates(TEMPLATES, overrides)?;
    r.env_mut()
        .add_function("t", |state: &State, fr: String, en: String| {
            let en_page = state
                .lookup("lang")
                .and_then(|v| v.as_str().map(|s| s == "en"))
                .unwrap_or(false);
            if en_page {
                en
            } else {
                fr
            }
        });
    r.env_mut()
        .add_filter("urlencode", |v: String| percent_encode(&v));
    // A planned test's reason in the page's language.
    r.env_mut()
        .add_filter("reason", |state: &State, v: String| {
            let lang = match state.lookup("lang").as_ref().and_then(|v| v.as_str()) {
                Some("en") => crate::i18n::Lang::En,
                _ => crate::i18n::Lang::Fr,
            };
            crate::store::reason_text(&v, lang)
        });
    Ok(r)
}

/// Percent-encodes everything but unreserved characters: a path segment or query value.
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(char::from(b))
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// `GET /static/{file}`: an embedded file with its content type and a long cache (the URLs
/// carry the version, `?v=`).
pub async fn static_file(UrlPath(file): UrlPath<String>) -> Response {
    match STATIC.iter().find(|(n, _, _)| *n == file) {
        Some((_, content_type, bytes)) => (
            [
                (header::CONTENT_TYPE, *content_type),
                (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
            ],
            *bytes,
        )
            .into_response(),
        None => (StatusCode::NOT_FOUND, "").into_response(),
    }
}

#[cfg(test)]
mod embedded_tests {
    use super::TEMPLATES;

    /// Every page template of `templates/web/` is embedded (a page whose template is missing
    /// would only fail when someone opens it).
    #[test]
    fn every_page_template_is_embedded() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/web");
        let mut missing = Vec::new();
        for sub in ["", "lead"] {
            let dir = root.join(sub);
            for e in std::fs::read_dir(&dir).expect("templates/web").flatten() {
                let name = e.file_name().to_string_lossy().into_owned();
                if !name.ends_with(".html") {
                    continue;
                }
                let key = if sub.is_empty() {
                    name
                } else {
                    format!("{sub}/{name}")
                };
                if !TEMPLATES.iter().any(|(n, _)| *n == key) {
                    missing.push(key);
                }
            }
        }
        assert!(missing.is_empty(), "not embedded in TEMPLATES: {missing:?}");
    }
}
