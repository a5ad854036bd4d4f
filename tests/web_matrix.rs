//! The role x route matrix: every route of `recette::web::routes::ROUTES`, requested by every
//! role (and by nobody), answers exactly as `recette::access::allows` says — 403 for a role
//! that may not, never 401/403 for one that may — and refuses a session's state-changing
//! request without its CSRF token.

#[path = "common/web.rs"]
mod web;

use recette::access::{allows, ROLES};
use recette::web::routes::{Access, ROUTES};
use web::{Client, Site, ACCOUNTS};

/// A concrete path for a route of the table, with the fixtures' values.
fn sample(path: &str, test: &str) -> String {
    path.replace("{campaign}", "WEB-1")
        .replace("{test}", test)
        .replace("{attempt}", "1")
        .replace(
            "{sha256}",
            "0000000000000000000000000000000000000000000000000000000000000000",
        )
        .replace("{file}", "app.css")
        .replace("{upload}", "00000000000000000000000000000000")
        .replace("{anomaly}", "FA-001")
        .replace("{format}", "md")
        .replace("{reservation}", "RES-1")
        .replace("{user}", "viewer")
        .replace("{requirement}", "EXI-CES-001")
        .replace("{delivery}", "LIV-1.1")
}

fn request(c: &mut Client, method: &str, path: &str, csrf: bool) -> u16 {
    match method {
        "GET" => c.get(path).status,
        "POST" if path.starts_with("/api/") && csrf => {
            c.post_json(path, &serde_json::json!({})).status
        }
        "POST" if path.starts_with("/api/") => {
            c.post_bytes(path, "application/json", b"{}", &[]).status
        }
        "POST" => c.post_form_with(path, &[], csrf).status,
        other => panic!("method {other} not covered by the matrix test"),
    }
}

#[test]
fn every_role_reaches_exactly_the_routes_its_role_allows() {
    let site = Site::demo();
    let server = site.serve(&[]);
    let test = "CT-IMM-001";
    let mut checked = 0;
    for (name, role_code, _, _) in ACCOUNTS {
        let role = ROLES
            .into_iter()
            .find(|r| r.code() == *role_code)
            .expect("role");
        let mut c = server.login(name);
        for route in ROUTES {
            // Logging out would end the session the rest of the matrix uses: checked below.
            if route.path == "/logout" {
                continue;
            }
            let path = sample(route.path, test);
            let status = request(&mut c, route.method, &path, true);
            match route.access {
                Access::Action(a) if !allows(role, a) => assert_eq!(
                    status, 403,
                    "{name} ({role_code}) {} {path}: expected 403",
                    route.method
                ),
                _ => assert!(
                    status != 401 && status != 403 && status < 500,
                    "{name} ({role_code}) {} {path}: got {status}",
                    route.method
                ),
            }
            checked += 1;
        }
    }
    assert!(checked >= ROUTES.len() * ACCOUNTS.len() - ACCOUNTS.len());
}

#[test]
fn without_an_account_only_public_routes_answer() {
    let site = Site::demo();
    let server = site.serve(&[]);
    let mut c = server.client();
    for route in ROUTES {
        let path = sample(route.path, "CT-IMM-001");
        let status = request(&mut c, route.method, &path, false);
        match route.access {
            Access::Public => assert!(
                status != 401 && status != 403,
                "{} {path}: {status}",
                route.method
            ),
            _ if route.path.starts_with("/api/") => {
                assert_eq!(status, 401, "{} {path}", route.method)
            }
            _ if route.method == "GET" => {
                assert_eq!(status, 303, "{} {path}: to the login page", route.method)
            }
            _ => assert_eq!(status, 401, "{} {path}", route.method),
        }
    }
}

#[test]
fn state_changing_requests_of_a_session_need_its_csrf_token() {
    let site = Site::demo();
    let server = site.serve(&[]);
    let mut c = server.login("admin");
    for route in ROUTES
        .iter()
        .filter(|r| r.method == "POST" && r.access != Access::Public)
    {
        let path = sample(route.path, "CT-IMM-001");
        let status = request(&mut c, route.method, &path, false);
        assert_eq!(status, 403, "POST {path} without CSRF token");
    }
    // A wrong token is refused as well; the right one is taken (logout works and ends the
    // session).
    let r = c.post_form_with("/logout", &[("csrf", "0000")], false);
    assert_eq!(r.status, 403);
    let r = c.post_form("/logout", &[]);
    assert_eq!(r.status, 303);
    assert_eq!(c.get("/account").status, 303, "session ended");
}
