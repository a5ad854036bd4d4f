//! Accounts, logins, sessions and security headers of `recette serve`, driven over HTTP
//! against the real binary.

#[path = "common/web.rs"]
mod web;

use web::{recette, Client, Site, PASSWORD};

#[test]
fn login_sets_a_strict_http_only_session_cookie_rotated_at_each_login() {
    let site = Site::demo();
    let server = site.serve(&[]);
    let mut c = server.client();
    let r = c.login("marie", PASSWORD);
    assert_eq!(r.status, 303);
    assert_eq!(r.header("location"), Some("/"));
    let set = r.headers["set-cookie"].join("\n");
    assert!(set.contains("recette_session="), "{set}");
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Strict"),
        "{set}"
    );
    assert!(!set.contains("Secure"), "no Secure without TLS: {set}");
    let first = c.cookies["recette_session"].clone();
    let page = c.get("/my-tests");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Mes tests"), "French by default");
    // Logging in again (same browser) gives a new session and ends the previous one.
    let mut again = Client::new(&server.base);
    again.cookies = c.cookies.clone();
    assert_eq!(again.login("marie", PASSWORD).status, 303);
    let second = again.cookies["recette_session"].clone();
    assert_ne!(first, second);
    let mut old = Client::new(&server.base);
    old.cookies.insert("recette_session".into(), first);
    assert_eq!(old.get("/my-tests").status, 303, "the old session is gone");
}

#[test]
fn unknown_account_and_wrong_password_get_the_same_answer() {
    let site = Site::demo();
    let server = site.serve(&[]);
    let wrong = server.client().login("marie", "not the password");
    let unknown = server.client().login("nobody", "not the password");
    assert_eq!(wrong.status, 401);
    assert_eq!(unknown.status, 401);
    let msg = |b: &str| {
        let at = b.find("id=\"login-error\"").expect("error shown");
        b[at..at + 120].to_string()
    };
    assert_eq!(msg(&wrong.body), msg(&unknown.body));
    assert!(wrong.body.contains("identifiant ou mot de passe incorrect"));
    // The API answers alike.
    let a = server.client().post_json(
        "/api/v1/login",
        &serde_json::json!({"user": "marie", "password": "x"}),
    );
    let b = server.client().post_json(
        "/api/v1/login",
        &serde_json::json!({"user": "nobody", "password": "x"}),
    );
    assert_eq!((a.status, b.status), (401, 401));
    assert_eq!(a.json(), b.json());
}

#[test]
fn failed_logins_are_throttled_per_account_even_with_the_right_password() {
    let site = Site::demo();
    let server = site.serve(&[]);
    for _ in 0..5 {
        assert_eq!(
            server.client().login("sylvie", "wrong password").status,
            401
        );
    }
    let r = server.client().login("sylvie", PASSWORD);
    assert_eq!(r.status, 429, "{}", r.body);
    assert!(r.body.contains("trop de tentatives"));
    // Another account is not affected.
    assert_eq!(server.client().login("marie", PASSWORD).status, 303);
}

#[test]
fn an_idle_session_expires() {
    let site = Site::demo();
    let server = site.serve(&["--session-idle", "1"]);
    let mut c = server.login("marie");
    assert_eq!(c.get("/my-tests").status, 200);
    std::thread::sleep(std::time::Duration::from_millis(2600));
    let r = c.get("/my-tests");
    assert_eq!(r.status, 303, "expired session goes back to login");
    assert_eq!(r.header("location"), Some("/login?next=/my-tests"));
}

#[test]
fn the_login_form_needs_its_own_token() {
    let site = Site::demo();
    let server = site.serve(&[]);
    let mut c = server.client();
    let r = c.post_form_with(
        "/login",
        &[
            ("user", "marie"),
            ("password", PASSWORD),
            ("form_token", "forged"),
        ],
        false,
    );
    assert_eq!(r.status, 403);
    assert!(!c.cookies.contains_key("recette_session"));
}

#[test]
fn login_redirects_only_to_this_site() {
    let site = Site::demo();
    let server = site.serve(&[]);
    let mut c = server.client();
    let page = c.get("/login?next=//evil.example/");
    let token = web::attr_after(&page.body, "name=\"form_token\"", "value").unwrap();
    let r = c.post_form_with(
        "/login",
        &[
            ("form_token", &token),
            ("user", "marie"),
            ("password", PASSWORD),
            ("next", "https://evil.example/"),
        ],
        false,
    );
    assert_eq!(r.status, 303);
    assert_eq!(r.header("location"), Some("/"));
}

#[test]
fn every_answer_carries_the_security_headers() {
    let site = Site::demo();
    let server = site.serve(&[]);
    let mut c = server.client();
    for path in [
        "/login",
        "/static/app.js",
        "/nowhere",
        "/api/v1/openapi.json",
    ] {
        let r = c.get(path);
        let csp = r.header("content-security-policy").unwrap_or("");
        assert!(
            csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
            "{path}: {csp}"
        );
        assert!(csp.contains("frame-ancestors 'none'"), "{path}");
        assert_eq!(
            r.header("x-content-type-options"),
            Some("nosniff"),
            "{path}"
        );
        assert!(r.header("referrer-policy").is_some(), "{path}");
    }
    // Pages have no inline script: every <script> has a src.
    let page = server.login("marie").get("/my-tests");
    for chunk in page.body.split("<script").skip(1) {
        assert!(
            chunk.trim_start().starts_with("src="),
            "inline script: {chunk}"
        );
    }
}

#[test]
fn static_files_are_embedded_with_their_type_and_a_long_cache() {
    let site = Site::demo();
    let server = site.serve(&[]);
    let mut c = server.client();
    let htmx = c.get("/static/htmx.min.js");
    assert_eq!(htmx.status, 200);
    assert!(htmx
        .header("content-type")
        .unwrap_or("")
        .starts_with("text/javascript"));
    assert!(htmx
        .header("cache-control")
        .unwrap_or("")
        .contains("max-age=31536000"));
    assert!(htmx.body.contains("htmx"));
    let licence = c.get("/static/htmx-LICENSE.txt");
    assert!(licence.body.contains("Zero-Clause BSD"));
    assert_eq!(c.get("/static/../Cargo.toml").status, 404);
    assert_eq!(c.get("/static/nothing.js").status, 404);
}

#[test]
fn accounts_from_the_cli_tokens_and_disabling() {
    let site = Site::demo();
    let list = recette(&site.db, &["user", "list", "--json"], None);
    let v: serde_json::Value = serde_json::from_str(&list).unwrap();
    let names: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"marie") && names.contains(&"vendor"));
    assert!(!list.contains("argon2"), "no hash in the listing");
    let token = recette(
        &site.db,
        &["token", "create", "marie", "--label", "CI"],
        None,
    );
    let token = token.trim();
    assert!(token.starts_with("rct_"));
    let server = site.serve(&[]);
    let mut api = Client::with_token(&server.base, token);
    let me = api.get("/api/v1/me");
    assert_eq!(me.status, 200, "{}", me.body);
    assert_eq!(me.json()["role"], "tester");
    assert_eq!(
        Client::with_token(&server.base, "rct_forged")
            .get("/api/v1/me")
            .status,
        401
    );
    // The token is stored hashed: the store file does not contain it.
    let bytes = std::fs::read(&site.db).unwrap();
    let wal = std::fs::read(site.db.with_extension("db-wal")).unwrap_or_default();
    let needle = token.as_bytes();
    assert!(!bytes.windows(needle.len()).any(|w| w == needle));
    assert!(!wal.windows(needle.len()).any(|w| w == needle));
    // Disabled: the token and the sessions stop working.
    let mut browser = server.login("marie");
    recette(&site.db, &["user", "disable", "marie"], None);
    assert_eq!(api.get("/api/v1/me").status, 401);
    assert_eq!(browser.get("/my-tests").status, 303);
    assert_eq!(server.client().login("marie", PASSWORD).status, 401);
    // A role change is audited under the CLI actor.
    recette(&site.db, &["user", "role", "sylvie", "viewer"], None);
    let log = recette(&site.db, &["log", "--json"], None);
    assert!(log.contains("\"role\""), "{log}");
}

#[test]
fn pages_follow_the_account_language() {
    let site = Site::demo();
    let server = site.serve(&[]);
    let mut c = server.login("marie");
    let r = c.post_form("/account/lang", &[("lang", "en"), ("back", "/my-tests")]);
    assert_eq!(r.status, 303);
    let page = c.get("/my-tests");
    assert!(
        page.body.contains("My tests") && page.body.contains("lang=\"en\""),
        "{}",
        &page.body[..400]
    );
    let bad = c.post_form("/account/lang", &[("lang", "de")]);
    assert_eq!(bad.status, 422);
}

/// Runs the binary with a fixed clock; returns (success, stdout, stderr).
fn recette_at(db: &std::path::Path, now: &str, args: &[&str]) -> (bool, String, String) {
    let out = std::process::Command::new(web::bin())
        .env("RECETTE_DB", db)
        .env("RECETTE_USER", "admin-cli")
        .env("RECETTE_NOW", now)
        .env_remove("RECETTE_LANG")
        .args(args)
        .output()
        .expect("run recette");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn api_tokens_expire_and_can_be_revoked() {
    let site = Site::demo();
    // Created in 2020 for one day: long expired for the server, which runs on today's clock.
    let (ok, old, err) = recette_at(
        &site.db,
        "2020-01-01T08:00:00Z",
        &[
            "token",
            "create",
            "marie",
            "--label",
            "ancien",
            "--expires",
            "1j",
        ],
    );
    assert!(ok, "{err}");
    assert!(
        err.contains("valable jusqu'au 2020-01-02T08:00:00Z"),
        "{err}"
    );
    let old = old.trim().to_string();
    let ci = recette(
        &site.db,
        &["token", "create", "marie", "--label", "CI"],
        None,
    );
    let ci = ci.trim().to_string();
    let forever = recette(
        &site.db,
        &["token", "create", "sylvie", "--expires", "jamais"],
        None,
    );
    let forever = forever.trim().to_string();
    let server = site.serve(&[]);
    assert_eq!(
        Client::with_token(&server.base, &old)
            .get("/api/v1/me")
            .status,
        401
    );
    assert_eq!(
        Client::with_token(&server.base, &ci)
            .get("/api/v1/me")
            .status,
        200
    );
    assert_eq!(
        Client::with_token(&server.base, &forever)
            .get("/api/v1/me")
            .status,
        200
    );

    // The listing shows states and expiries, never a token's value.
    let list = recette(&site.db, &["token", "list", "--json"], None);
    assert!(!list.contains(&old) && !list.contains(&ci));
    let v: serde_json::Value = serde_json::from_str(&list).unwrap();
    let rows = v.as_array().unwrap();
    let by_label = |l: &str| {
        rows.iter()
            .find(|r| r["label"] == l)
            .unwrap_or_else(|| panic!("no token {l} in {list}"))
            .clone()
    };
    assert_eq!(by_label("ancien")["state"], "expired");
    assert_eq!(by_label("ancien")["expires_at"], "2020-01-02T08:00:00Z");
    assert_eq!(by_label("CI")["state"], "active");
    // 90 days by default.
    let created = by_label("CI")["created_at"].as_str().unwrap().to_string();
    let expires = by_label("CI")["expires_at"].as_str().unwrap().to_string();
    assert!(
        expires > created && expires[..4] >= created[..4],
        "{created} {expires}"
    );
    let table = recette(&site.db, &["token", "list", "marie"], None);
    assert!(
        table.contains("expiré") && table.contains("actif"),
        "{table}"
    );
    assert!(!table.contains("sylvie"), "{table}");

    // Revoked by number: refused at once, shown as revoked, audited.
    let id = by_label("CI")["id"].as_i64().unwrap().to_string();
    let out = recette(&site.db, &["token", "revoke", &id], None);
    assert!(out.contains("Jetons révoqués : 1"), "{out}");
    assert_eq!(
        Client::with_token(&server.base, &ci)
            .get("/api/v1/me")
            .status,
        401
    );
    let list = recette(&site.db, &["token", "list", "marie", "--json"], None);
    assert!(list.contains("\"revoked\""), "{list}");
    let log = recette(&site.db, &["log", "--json"], None);
    assert!(log.contains("token revoke"), "{log}");
    // An unknown number is an error; --all revokes every active token of an account.
    let (ok, _, err) = recette_at(
        &site.db,
        "2026-12-01T00:00:00Z",
        &["token", "revoke", "9999"],
    );
    assert!(!ok && err.contains("9999"), "{err}");
    let out = recette(&site.db, &["token", "revoke", "--all", "sylvie"], None);
    assert!(out.contains(": 1"), "{out}");
    assert_eq!(
        Client::with_token(&server.base, &forever)
            .get("/api/v1/me")
            .status,
        401
    );

    // A login token lives a day, and logging out revokes it alone.
    let r = server.client().post_json(
        "/api/v1/login",
        &serde_json::json!({"user": "marie", "password": web::PASSWORD}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let j = r.json();
    let t1 = j["token"].as_str().unwrap().to_string();
    assert!(
        j["expires_at"].as_str().is_some_and(|e| e.ends_with('Z')),
        "{j}"
    );
    let t2 = server.token("marie");
    let mut a1 = Client::with_token(&server.base, &t1);
    let out = a1.post_json("/api/v1/logout", &serde_json::json!({}));
    assert_eq!(out.status, 200, "{}", out.body);
    assert_eq!(out.json()["revoked"], 1);
    assert_eq!(a1.get("/api/v1/me").status, 401);
    assert_eq!(
        Client::with_token(&server.base, &t2)
            .get("/api/v1/me")
            .status,
        200
    );
}

#[test]
fn token_lifetimes_are_checked() {
    let site = Site::demo();
    let now = "2026-06-01T00:00:00Z";
    for (bad, says) in [
        ("demain", "nombre de jours"),
        ("0", "1 à 3650"),
        ("2026-05-31", "déjà passée"),
    ] {
        let (ok, _, err) = recette_at(
            &site.db,
            now,
            &["token", "create", "marie", "--expires", bad],
        );
        assert!(!ok, "--expires {bad} accepted");
        assert!(err.contains(says), "--expires {bad}: {err}");
    }
    let (ok, _, err) = recette_at(
        &site.db,
        now,
        &["token", "create", "marie", "--expires", "30/06/2026"],
    );
    assert!(ok && err.contains("2026-07-01T00:00:00Z"), "{err}");
}
