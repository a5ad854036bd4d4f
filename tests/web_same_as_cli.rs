//! The "done when": the demo's next step played in the browser's forms (three
//! accounts: the lead records delivery LIV-1.2, plans its retest campaign and gives it to
//! marie, marie records every test, the lead signs the PV) gives the same store and the same
//! reports as the same story played with the CLI on another copy of the demo — the clock fixed
//! on both sides (`RECETTE_NOW`), so every date agrees.

#[path = "common/web.rs"]
mod web;

use std::process::Command;

use web::{Client, Server, Site};

const NOW: &str = "2026-04-15T10:00:00Z";

/// The CLI on `site` as `who`, the clock fixed; returns stdout.
fn cli(site: &Site, who: &str, args: &[&str]) -> String {
    let out = Command::new(web::bin())
        .env("RECETTE_DB", &site.db)
        .env("RECETTE_USER", who)
        .env("RECETTE_NOW", NOW)
        .env_remove("RECETTE_LANG")
        .args(args)
        .output()
        .expect("recette");
    assert!(
        out.status.success(),
        "recette {args:?}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn json(site: &Site, args: &[&str]) -> serde_json::Value {
    serde_json::from_str(&cli(site, "admin-cli", args)).expect("json")
}

/// What both paths must agree on.
fn outcome(site: &Site) -> Vec<(String, serde_json::Value)> {
    let mut out = Vec::new();
    for args in [
        vec!["campaign", "show", "VABF-3", "--json"],
        vec!["delivery", "show", "LIV-1.2", "--json"],
        vec!["anomaly", "list", "--json"],
        vec!["reserve", "list", "--json"],
        vec!["verdict", "VABF-3", "--json"],
    ] {
        out.push((args.join(" "), json(site, &args)));
    }
    out
}

fn bilan(site: &Site) -> String {
    let dir = tempfile::tempdir().expect("temp dir");
    cli(
        site,
        "admin-cli",
        &[
            "report",
            "VABF-3",
            "--format",
            "md",
            "--out",
            dir.path().to_str().expect("utf-8"),
        ],
    );
    let md = std::fs::read_dir(dir.path())
        .expect("report folder")
        .flatten()
        .find(|e| e.path().extension().is_some_and(|x| x == "md"))
        .expect("bilan.md");
    std::fs::read_to_string(md.path()).expect("read bilan")
}

fn login(server: &Server, name: &str) -> Client {
    let mut c = server.client();
    let r = c.login(name, web::PASSWORD);
    assert_eq!(r.status, 303, "login {name}: {}", r.body);
    c
}

#[test]
fn the_story_played_in_the_browser_gives_the_same_store_and_reports_as_the_cli() {
    // The CLI path.
    let by_cli = Site::demo();
    cli(
        &by_cli,
        "lead",
        &[
            "delivery",
            "add",
            "LIV-1.2",
            "--version",
            "1.2.0",
            "--vendor",
            "Pacific Logiciels SARL",
            "--delivered",
            "2026-04-10",
            "--fixes",
            "FA-003",
            "--document",
            "Notes de version 1.2",
        ],
    );
    cli(
        &by_cli,
        "lead",
        &[
            "campaign",
            "create",
            "VABF-3",
            "--delivery",
            "LIV-1.2",
            "--retest",
        ],
    );
    cli(
        &by_cli,
        "lead",
        &["campaign", "assign", "VABF-3", "--all", "--to", "marie"],
    );
    let planned = json(&by_cli, &["campaign", "show", "VABF-3", "--json"]);
    // Each planned item: a test, with its data set when it has several.
    let items: Vec<(String, Option<String>)> = planned["tests"]
        .as_array()
        .map(|t| {
            t.iter()
                .filter_map(|x| {
                    let r = x["ref"].as_str()?.to_string();
                    let d = x["dataset"]
                        .as_str()
                        .filter(|d| !d.is_empty())
                        .map(str::to_string);
                    Some((r, d))
                })
                .collect()
        })
        .unwrap_or_default();
    assert!(!items.is_empty(), "{planned}");
    for (t, d) in &items {
        let mut args = vec!["run", "VABF-3", t.as_str(), "--status", "OK"];
        if let Some(d) = d {
            args.extend(["--dataset", d.as_str()]);
        }
        cli(&by_cli, "marie", &args);
    }
    let proposed = json(&by_cli, &["verdict", "VABF-3", "--json"])["decision"]
        .as_str()
        .unwrap_or("admission")
        .to_string();
    cli(
        &by_cli,
        "lead",
        &[
            "signoff",
            "VABF-3",
            "--decision",
            &proposed,
            "--signatory",
            "Pilote, pilote de recette",
        ],
    );

    // The browser path, on another copy of the demo, with the same clock.
    let by_web = Site::demo();
    let server = Server::start_at(&by_web.db, &[], Some(NOW));
    let mut lead = login(&server, "lead");
    let r = lead.post_form(
        "/deliveries",
        &[
            ("ref", "LIV-1.2"),
            ("version", "1.2.0"),
            ("vendor", "Pacific Logiciels SARL"),
            ("delivered", "2026-04-10"),
            ("fixes", "FA-003"),
            ("documents", "Notes de version 1.2"),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let r = lead.post_form(
        "/plan/retest",
        &[
            ("ref", "VABF-3"),
            ("delivery", "LIV-1.2"),
            ("phase", "vabf"),
            ("failed", "1"),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let r = lead.post_form(
        "/campaigns/VABF-3/assign",
        &[("scope", "all"), ("mode", "to"), ("to", "marie")],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let mut marie = Client::with_token(&server.base, &server.token("marie"));
    for (t, d) in &items {
        let r = marie.post_json(
            "/api/v1/campaigns/VABF-3/executions",
            &serde_json::json!({"test": t, "dataset": d, "status": "passed"}),
        );
        assert_eq!(r.status, 201, "{t}: {}", r.body);
    }
    let r = lead.post_form(
        "/campaigns/VABF-3/signoff",
        &[
            ("decision", proposed.as_str()),
            ("signatories", "Pilote, pilote de recette"),
            ("confirm", "1"),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.body);

    // The same store, as the CLI reads it, and the same bilan.
    let (a, b) = (outcome(&by_cli), outcome(&by_web));
    for ((what, x), (_, y)) in a.iter().zip(&b) {
        assert_eq!(x, y, "{what} differs between the CLI and the browser");
    }
    assert_eq!(bilan(&by_cli), bilan(&by_web), "the same bilan");
}
