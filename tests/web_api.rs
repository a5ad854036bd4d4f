//! The JSON API `/api/v1` of `recette serve`, over HTTP against the real binary: campaigns,
//! executions (numbering, based_on conflicts, concurrency), evidence, result uploads, errors.

#[path = "common/web.rs"]
mod web;

use serde_json::json;
use web::{recette, Client, Site};

#[test]
fn campaigns_list_and_detail_with_tests() {
    let site = Site::demo();
    let server = site.serve(&[]);
    let mut api = Client::with_token(&server.base, &server.token("marie"));
    let list = api.get("/api/v1/campaigns");
    assert_eq!(list.status, 200);
    let refs: Vec<String> = list
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["ref"].as_str().unwrap().to_string())
        .collect();
    assert!(refs.contains(&"WEB-1".to_string()) && refs.contains(&"VABF-1".to_string()));
    let c = api.get("/api/v1/campaigns/WEB-1");
    assert_eq!(c.status, 200);
    let c = c.json();
    let t = &c["tests"][0];
    for field in ["ref", "title", "status", "assignee", "attempts"] {
        assert!(!t[field].is_null(), "{field}: {t}");
    }
    assert_eq!(api.get("/api/v1/campaigns/NOPE").status, 404);
    assert!(api.get("/api/v1/campaigns/NOPE").json()["error"]
        .as_str()
        .unwrap()
        .contains("NOPE"));
    // The OpenAPI document describes every API route of the table.
    let doc = server.client().get("/api/v1/openapi.json").json();
    assert_eq!(doc["openapi"].as_str().map(|v| &v[..2]), Some("3."));
    for r in recette::web::routes::ROUTES
        .iter()
        .filter(|r| r.path.starts_with("/api/v1/"))
    {
        let p = &r.path["/api/v1".len()..];
        assert!(
            doc["paths"][p][r.method.to_lowercase()].is_object(),
            "{} {p} not in openapi.json",
            r.method
        );
    }
}

#[test]
fn executions_are_numbered_and_stale_based_on_is_a_409_with_the_latest_attempt() {
    let site = Site::demo();
    let server = site.serve(&[]);
    let mut api = Client::with_token(&server.base, &server.token("marie"));
    let path = "/api/v1/campaigns/WEB-1/executions";
    let r = api.post_json(
        path,
        &json!({"test": "CT-IMM-001", "status": "OK", "based_on": 0}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.json()["attempt"], 1);
    assert_eq!(r.json()["status"], "passed");
    // Status from steps.
    let r = api.post_json(path, &json!({"test": "CT-IMM-001", "based_on": 1,
        "steps": [{"index": 1, "status": "passed"}, {"index": 2, "status": "KO", "actual": "erreur 500"}]}));
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.json()["attempt"], 2);
    assert_eq!(r.json()["status"], "failed");
    // Someone saw attempt 1 only: refused, nothing written.
    let r = api.post_json(
        path,
        &json!({"test": "CT-IMM-001", "status": "passed", "based_on": 1}),
    );
    assert_eq!(r.status, 409, "{}", r.body);
    assert_eq!(r.json()["latest"], 2);
    assert!(r.json()["error"].as_str().unwrap().contains("conflit"));
    // Invalid input: 422, nothing written.
    let r = api.post_json(path, &json!({"test": "CT-IMM-001", "status": "peut-être"}));
    assert_eq!(r.status, 422);
    let r = api.post_json(
        path,
        &json!({"test": "CT-IMM-001", "steps": [{"index": 99, "status": "passed"}]}),
    );
    assert_eq!(r.status, 422);
    assert!(r.json()["error"].as_str().unwrap().contains("99"));
    let r = api.post_bytes(path, "application/json", b"{not json", &[]);
    assert_eq!(r.status, 422);
    assert_eq!(
        api.post_json(path, &json!({"test": "CT-NOPE", "status": "OK"}))
            .status,
        404
    );
    let detail = api.get("/api/v1/campaigns/WEB-1").json();
    let item = detail["tests"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["ref"] == "CT-IMM-001")
        .unwrap()
        .clone();
    assert_eq!(item["attempts"], 2);
    // The audit log names the account, whatever the request says.
    let log = recette(&site.db, &["log", "--json"], None);
    let log: serde_json::Value = serde_json::from_str(&log).unwrap();
    let runs: Vec<&serde_json::Value> = log
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| {
            e["action"] == "run"
                && e["ref"]
                    .as_str()
                    .unwrap_or("")
                    .starts_with("WEB-1/CT-IMM-001")
        })
        .collect();
    assert_eq!(runs.len(), 2);
    assert!(runs.iter().all(|e| e["actor"] == "marie"), "{runs:?}");
}

#[test]
fn english_accounts_get_english_errors_and_roles_are_enforced() {
    let site = Site::demo();
    recette(
        &site.db,
        &[
            "user",
            "add",
            "ann",
            "--role",
            "tester",
            "--lang",
            "en",
            "--password-stdin",
        ],
        Some("mot-de-passe-1\n"),
    );
    let server = site.serve(&[]);
    let mut api = Client::with_token(&server.base, &server.token("ann"));
    let r = api.post_json(
        "/api/v1/campaigns/WEB-1/executions",
        &json!({"test": "CT-IMM-001", "status": "maybe"}),
    );
    assert_eq!(r.status, 422);
    assert!(
        r.json()["error"]
            .as_str()
            .unwrap()
            .contains("unknown status"),
        "{}",
        r.body
    );
    let mut viewer = Client::with_token(&server.base, &server.token("viewer"));
    let r = viewer.post_json(
        "/api/v1/campaigns/WEB-1/executions",
        &json!({"test": "CT-IMM-001", "status": "OK"}),
    );
    assert_eq!(r.status, 403);
    assert!(r.json()["error"].is_string());
    assert_eq!(
        Client::new(&server.base).get("/api/v1/campaigns").status,
        401
    );
}

#[test]
fn concurrent_executions_all_land_numbered_without_gaps() {
    let site = Site::demo();
    let server = site.serve(&[]);
    let tokens = [server.token("marie"), server.token("sylvie")];
    let base = server.base.clone();
    let per_thread = 15;
    let handles: Vec<_> = (0..4)
        .map(|i| {
            let base = base.clone();
            let token = tokens[i % 2].clone();
            std::thread::spawn(move || {
                let mut api = Client::with_token(&base, &token);
                let mut attempts = Vec::new();
                for _ in 0..per_thread {
                    let r = api.post_json(
                        "/api/v1/campaigns/WEB-1/executions",
                        &json!({"test": "CT-IMM-002", "status": "passed"}),
                    );
                    assert_eq!(r.status, 201, "{}", r.body);
                    attempts.push(r.json()["attempt"].as_i64().unwrap());
                }
                attempts
            })
        })
        .collect();
    let mut all: Vec<i64> = handles
        .into_iter()
        .flat_map(|h| h.join().unwrap())
        .collect();
    all.sort();
    assert_eq!(all, (1..=(4 * per_thread) as i64).collect::<Vec<_>>());
}

#[test]
fn evidence_upload_and_download_never_inline_when_active() {
    let site = Site::demo();
    let server = site.serve(&["--upload-limit-mib", "1"]);
    let mut api = Client::with_token(&server.base, &server.token("marie"));
    let r = api.post_json(
        "/api/v1/campaigns/WEB-1/executions",
        &json!({"test": "CT-IMM-001", "status": "KO"}),
    );
    assert_eq!(r.status, 201);
    let html = b"<html><script>alert(1)</script></html>";
    let r = api.post_multipart(
        "/api/v1/campaigns/WEB-1/executions/1/evidence?test=CT-IMM-001",
        &[],
        &[
            ("file", "page.html", "text/html", html),
            ("file", "capture.png", "image/png", b"\x89PNG fake"),
        ],
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let ev = r.json()["evidence"].as_array().unwrap().clone();
    assert_eq!(ev.len(), 2);
    let sha_html = ev[0]["sha256"].as_str().unwrap().to_string();
    let sha_png = ev[1]["sha256"].as_str().unwrap().to_string();
    let mut browser = server.login("marie");
    let d = browser.get(&format!("/evidence/{sha_html}"));
    assert_eq!(d.status, 200);
    assert_eq!(d.header("content-type"), Some("application/octet-stream"));
    assert!(d
        .header("content-disposition")
        .unwrap()
        .starts_with("attachment"));
    assert_eq!(d.header("x-content-type-options"), Some("nosniff"));
    assert_eq!(d.bytes, html);
    let p = browser.get(&format!("/evidence/{sha_png}"));
    assert_eq!(p.header("content-type"), Some("image/png"));
    // Unknown attempt: 404; too large: 413; nothing attached.
    let r = api.post_multipart(
        "/api/v1/campaigns/WEB-1/executions/9/evidence?test=CT-IMM-001",
        &[],
        &[("file", "a.txt", "text/plain", b"x")],
    );
    assert_eq!(r.status, 404);
    let big = vec![b'a'; 3 * 1024 * 1024];
    let r = api.post_multipart(
        "/api/v1/campaigns/WEB-1/executions/1/evidence?test=CT-IMM-001",
        &[],
        &[("file", "big.txt", "text/plain", &big)],
    );
    assert_eq!(r.status, 413, "{}", r.body);
    // The vendor of another delivery never reaches it.
    let mut other = server.login("other-vendor");
    assert_eq!(other.get(&format!("/evidence/{sha_png}")).status, 404);
    assert_eq!(other.get("/campaigns/WEB-1").status, 404);
    let mut vendor = server.login("vendor");
    assert_eq!(vendor.get("/campaigns/WEB-1").status, 200);
}

#[test]
fn results_upload_imports_like_recette_import() {
    let site = Site::demo();
    let server = site.serve(&[]);
    let mut api = Client::with_token(&server.base, &server.token("lead"));
    let junit = br#"<?xml version="1.0"?><testsuite name="ci" tests="1"><testcase classname="siv" name="CT-IMM-003 creation"/></testsuite>"#;
    let r = api.post_bytes(
        "/api/v1/campaigns/WEB-1/results?name=ci.xml",
        "application/xml",
        junit,
        &[],
    );
    assert_eq!(r.status, 201, "{}", r.body);
    assert!(r.json()["automated"].is_object(), "{}", r.body);
    let r = api.post_bytes(
        "/api/v1/campaigns/WEB-1/results?name=ci.xml",
        "application/xml",
        b"<not-xml",
        &[],
    );
    assert!(r.status == 422, "{} {}", r.status, r.body);
    // A tester may not upload CI results.
    let mut tester = Client::with_token(&server.base, &server.token("marie"));
    assert_eq!(
        tester
            .post_bytes(
                "/api/v1/campaigns/WEB-1/results",
                "application/xml",
                junit,
                &[]
            )
            .status,
        403
    );
}
