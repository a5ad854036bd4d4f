//! The ONE table of routes: every path the server answers, with its method, the access it
//! needs and its handler. [`router`] builds the server from it and puts [`auth::guard`] in
//! front of each handler with the route's [`Access`], so no route can exist without a
//! declared authorization, and `tests/web_matrix.rs` enumerates it role by role.
//!
//! To add a page: write the handler in `pages/<area>.rs`, add one line here (and a navigation
//! entry in `pages::NAV` if it is a top-level page). Path parameters are written `{name}`;
//! tests substitute `{campaign}`, `{test}`, `{attempt}`, `{sha256}`, `{file}`, `{upload}`, `{anomaly}`, `{format}`, `{reservation}`, `{user}`, `{requirement}`, `{delivery}` with fixtures.

use axum::extract::DefaultBodyLimit;
use axum::middleware;
use axum::routing::{get, post, MethodRouter};
use axum::Router;

use super::auth::{self, Guard};
use super::{api, assets, pages, security, AppState, WebError};
use crate::access::Action;

/// What a route needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone (login, static files, the OpenAPI document).
    Public,
    /// Any logged-in account (logout, home, own settings).
    Authenticated,
    /// An account whose role allows the action ([`crate::access::allows`]); scoping (a vendor
    /// sees only its deliveries) is the handler's, with [`crate::access::Scope`].
    Action(Action),
}

/// One route.
pub struct Route {
    /// `GET` or `POST`.
    pub method: &'static str,
    /// axum path (`/campaigns/{campaign}`).
    pub path: &'static str,
    pub access: Access,
    /// The handler, for this method.
    pub handler: fn() -> MethodRouter<AppState>,
}

use Access::{Authenticated, Public};

const fn act(a: Action) -> Access {
    Access::Action(a)
}

/// Every route of the server (one line each).
#[rustfmt::skip]
pub static ROUTES: &[Route] = &[
    // Session.
    Route { method: "GET", path: "/login", access: Public, handler: || get(auth::login_form) },
    Route { method: "POST", path: "/login", access: Public, handler: || post(auth::login_submit) },
    Route { method: "POST", path: "/logout", access: Authenticated, handler: || post(auth::logout) },
    Route { method: "GET", path: "/", access: Authenticated, handler: || get(pages::home) },
    Route { method: "GET", path: "/account", access: Authenticated, handler: || get(pages::account) },
    Route { method: "POST", path: "/account/lang", access: Authenticated, handler: || post(pages::set_lang) },
    // Static files (htmx, app.js, CSS).
    Route { method: "GET", path: "/static/{file}", access: Public, handler: || get(assets::static_file) },
    // Tester's screens.
    Route { method: "GET", path: "/my-tests", access: act(Action::ReadOwnTests), handler: || get(pages::tester::my_tests) },
    Route { method: "GET", path: "/campaigns", access: act(Action::ReadCampaign), handler: || get(pages::tester::campaigns) },
    Route { method: "GET", path: "/campaigns/{campaign}", access: act(Action::ReadCampaign), handler: || get(pages::tester::campaign) },
    Route { method: "GET", path: "/plan/campaign", access: act(Action::PlanCampaign), handler: || get(pages::campaign_plan::form) },
    Route { method: "POST", path: "/plan/campaign", access: act(Action::PlanCampaign), handler: || post(pages::campaign_plan::create) },
    Route { method: "GET", path: "/campaigns/{campaign}/scope", access: act(Action::PlanCampaign), handler: || get(pages::campaign_plan::scope_form) },
    Route { method: "POST", path: "/campaigns/{campaign}/scope", access: act(Action::PlanCampaign), handler: || post(pages::campaign_plan::scope_apply) },
    Route { method: "GET", path: "/plan/retest", access: act(Action::PlanCampaign), handler: || get(pages::retest::form) },
    Route { method: "POST", path: "/plan/retest", access: act(Action::PlanCampaign), handler: || post(pages::retest::create) },
    Route { method: "GET", path: "/campaigns/{campaign}/verdict", access: act(Action::ReadProject), handler: || get(pages::verdict::verdict) },
    Route { method: "GET", path: "/campaigns/{campaign}/reports/{format}", access: act(Action::ReadProject), handler: || get(pages::verdict::report) },
    Route { method: "GET", path: "/campaigns/{campaign}/signoff", access: act(Action::Sign), handler: || get(pages::signoff::form) },
    Route { method: "POST", path: "/campaigns/{campaign}/signoff", access: act(Action::Sign), handler: || post(pages::signoff::submit) },
    Route { method: "POST", path: "/campaigns/{campaign}/assign", access: act(Action::Assign), handler: || post(pages::plan::assign) },
    Route { method: "GET", path: "/campaigns/{campaign}/tests/{test}", access: act(Action::ReadCampaign), handler: || get(pages::tester::execution_page) },
    Route { method: "POST", path: "/campaigns/{campaign}/tests/{test}", access: act(Action::RecordExecution), handler: || post(pages::tester::execution_save) },
    Route { method: "GET", path: "/evidence/{sha256}", access: act(Action::ReadEvidence), handler: || get(pages::tester::evidence) },
    // The lead's and the COPIL's dashboard (with its live part).
    Route { method: "GET", path: "/dashboard", access: act(Action::ReadProject), handler: || get(pages::dashboard::dashboard) },
    // The vendor's deliveries (a vendor sees and manages its own).
    Route { method: "GET", path: "/deliveries", access: act(Action::ReadDelivery), handler: || get(pages::deliveries::list) },
    Route { method: "POST", path: "/deliveries", access: act(Action::ManageDelivery), handler: || post(pages::deliveries::create) },
    Route { method: "GET", path: "/deliveries/{delivery}", access: act(Action::ReadDelivery), handler: || get(pages::deliveries::show) },
    Route { method: "POST", path: "/deliveries/{delivery}/claims", access: act(Action::ManageDelivery), handler: || post(pages::deliveries::claims) },
    Route { method: "POST", path: "/deliveries/{delivery}/documents", access: act(Action::ManageDelivery), handler: || post(pages::deliveries::document) },
    Route { method: "POST", path: "/deliveries/{delivery}/note", access: act(Action::ManageDelivery), handler: || post(pages::deliveries::note_upload) },
    Route { method: "GET", path: "/deliveries/{delivery}/note/{upload}", access: act(Action::ManageDelivery), handler: || get(pages::deliveries::note_plan) },
    Route { method: "POST", path: "/deliveries/{delivery}/note/{upload}/apply", access: act(Action::ManageDelivery), handler: || post(pages::deliveries::note_apply) },
    // The catalogue: requirements and test cases.
    Route { method: "GET", path: "/requirements", access: act(Action::ReadProject), handler: || get(pages::catalogue::requirements) },
    Route { method: "GET", path: "/requirements/{requirement}", access: act(Action::ReadProject), handler: || get(pages::catalogue::requirement) },
    Route { method: "POST", path: "/requirements/{requirement}/review", access: act(Action::PlanCampaign), handler: || post(pages::catalogue::review) },
    Route { method: "GET", path: "/tests", access: act(Action::ReadProject), handler: || get(pages::catalogue::tests) },
    Route { method: "GET", path: "/tests/{test}", access: act(Action::ReadProject), handler: || get(pages::catalogue::test) },
    Route { method: "GET", path: "/trace", access: act(Action::ReadProject), handler: || get(pages::trace::trace) },
    Route { method: "GET", path: "/verify", access: act(Action::ReadDelivery), handler: || get(pages::verify::form) },
    Route { method: "POST", path: "/verify", access: act(Action::ReadDelivery), handler: || post(pages::verify::check) },
    Route { method: "GET", path: "/reservations", access: act(Action::ReadDelivery), handler: || get(pages::reservations::list) },
    Route { method: "POST", path: "/reservations/{reservation}/lift", access: act(Action::Sign), handler: || post(pages::reservations::lift) },
    // Anomalies: the list and one anomaly, for every side (a vendor sees its deliveries' only).
    Route { method: "GET", path: "/anomalies", access: act(Action::ReadAnomaly), handler: || get(pages::anomalies::list) },
    Route { method: "GET", path: "/anomalies/{anomaly}", access: act(Action::ReadAnomaly), handler: || get(pages::anomalies::show) },
    Route { method: "POST", path: "/anomalies/{anomaly}/triage", access: act(Action::TriageAnomaly), handler: || post(pages::anomalies::triage) },
    Route { method: "POST", path: "/anomalies/{anomaly}/fix", access: act(Action::DeclareFix), handler: || post(pages::anomalies::fix) },
    Route { method: "POST", path: "/anomalies/{anomaly}/comments", access: act(Action::CommentAnomaly), handler: || post(pages::anomalies::comment) },
    // Lead's screens (a vendor imports its own delivery's results).
    Route { method: "GET", path: "/imports", access: act(Action::ImportResults), handler: || get(pages::lead::import_form) },
    Route { method: "POST", path: "/imports", access: act(Action::ImportResults), handler: || post(pages::lead::import_upload) },
    Route { method: "GET", path: "/imports/{upload}", access: act(Action::ImportResults), handler: || get(pages::lead::import_plan) },
    Route { method: "POST", path: "/imports/{upload}/apply", access: act(Action::ImportResults), handler: || post(pages::lead::import_apply) },
    // Administration: accounts, and the audit log (who changed what).
    Route { method: "GET", path: "/admin/users", access: act(Action::ManageUsers), handler: || get(pages::admin::users) },
    Route { method: "POST", path: "/admin/users", access: act(Action::ManageUsers), handler: || post(pages::admin::create) },
    Route { method: "POST", path: "/admin/users/{user}/role", access: act(Action::ManageUsers), handler: || post(pages::admin::set_role) },
    Route { method: "POST", path: "/admin/users/{user}/password", access: act(Action::ManageUsers), handler: || post(pages::admin::set_password) },
    Route { method: "POST", path: "/admin/users/{user}/state", access: act(Action::ManageUsers), handler: || post(pages::admin::set_state) },
    Route { method: "GET", path: "/audit", access: act(Action::ReadInternal), handler: || get(pages::admin::audit) },
    // JSON API.
    Route { method: "GET", path: "/api/v1/openapi.json", access: Public, handler: || get(api::openapi) },
    Route { method: "POST", path: "/api/v1/login", access: Public, handler: || post(auth::api_login) },
    Route { method: "POST", path: "/api/v1/logout", access: Authenticated, handler: || post(auth::api_logout) },
    Route { method: "GET", path: "/api/v1/me", access: Authenticated, handler: || get(api::me) },
    Route { method: "GET", path: "/api/v1/campaigns", access: act(Action::ReadCampaign), handler: || get(api::campaigns) },
    Route { method: "GET", path: "/api/v1/campaigns/{campaign}", access: act(Action::ReadCampaign), handler: || get(api::campaign) },
    Route { method: "POST", path: "/api/v1/campaigns/{campaign}/executions", access: act(Action::RecordExecution), handler: || post(api::post_execution) },
    Route { method: "POST", path: "/api/v1/campaigns/{campaign}/executions/{attempt}/evidence", access: act(Action::AttachEvidence), handler: || post(api::post_evidence) },
    Route { method: "POST", path: "/api/v1/campaigns/{campaign}/results", access: act(Action::ImportResults), handler: || post(api::post_results) },
];

/// The server: every route of [`ROUTES`] behind its guard, security headers on every answer,
/// a body limit of the upload limit (and a little for the form around it).
pub fn router(state: AppState) -> Router {
    let mut r: Router<AppState> = Router::new();
    for route in ROUTES {
        let guard = Guard {
            state: state.clone(),
            access: route.access,
            api: route.path.starts_with("/api/"),
        };
        let handler =
            (route.handler)().route_layer(middleware::from_fn_with_state(guard, auth::guard));
        r = r.route(route.path, handler);
    }
    let limit = state.upload_limit() + 1024 * 1024;
    r.fallback(not_found)
        .layer(DefaultBodyLimit::max(limit))
        .layer(middleware::from_fn(security::headers))
        .with_state(state)
}

async fn not_found(uri: axum::http::Uri) -> WebError {
    let e = WebError::not_found(crate::i18n::Lang::Fr);
    if uri.path().starts_with("/api/") {
        e.json()
    } else {
        e
    }
}
