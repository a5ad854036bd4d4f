//! The lead plans a retest campaign in the browser's forms, over HTTP against the real
//! binary: the dry-run selection is the CLI's (`campaign create --retest --dry-run --json`),
//! with each test's reasons, nothing is written before "create", and the created campaign has
//! exactly that selection.

#[path = "common/web.rs"]
mod web;

use web::{recette, Site};

fn refs(v: &serde_json::Value) -> Vec<String> {
    v["tests"]
        .as_array()
        .map(|t| {
            t.iter()
                .filter_map(|x| x["ref"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn the_lead_previews_then_creates_the_retest_campaign_of_a_delivery() {
    let site = Site::demo();
    let server = site.serve(&[]);
    let mut lead = server.login("lead");
    let form = lead.get("/plan/retest");
    assert_eq!(form.status, 200);
    assert!(form.body.contains("<option value=\"LIV-1.1\">"));
    let cli = recette(
        &site.db,
        &[
            "campaign",
            "create",
            "VABF-3",
            "--delivery",
            "LIV-1.1",
            "--retest",
            "--dry-run",
            "--json",
        ],
        None,
    );
    let cli: serde_json::Value = serde_json::from_str(&cli).expect("json");
    let expected = refs(&cli);
    assert!(!expected.is_empty());
    let preview =
        lead.get("/plan/retest?preview=1&ref=VABF-3&delivery=LIV-1.1&phase=vabf&failed=1");
    assert_eq!(preview.status, 200, "{}", preview.body);
    assert!(preview.body.contains(&format!(
        "{} test(s) sélectionné(s) pour VABF-3",
        expected.len()
    )));
    for r in &expected {
        assert!(preview.body.contains(&format!("id=\"plan-{r}\"")), "{r}");
    }
    let reason = cli["tests"][0]["reasons"][0].as_str().expect("a reason");
    assert!(preview.body.contains(reason), "{reason}");
    // Nothing written by the preview.
    let list = recette(&site.db, &["campaign", "list", "--json"], None);
    assert!(!list.contains("VABF-3"));
    let r = lead.post_form(
        "/plan/retest",
        &[
            ("ref", "VABF-3"),
            ("delivery", "LIV-1.1"),
            ("phase", "vabf"),
            ("failed", "1"),
            ("title", ""),
            ("criticality", ""),
            ("tag", ""),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(r.header("location"), Some("/campaigns/VABF-3"));
    let shown = recette(&site.db, &["campaign", "show", "VABF-3", "--json"], None);
    let shown: serde_json::Value = serde_json::from_str(&shown).expect("json");
    let mut got = refs(&shown);
    let mut want = expected.clone();
    // One row per (test, data set) in the campaign: a test with two data sets shows twice.
    got.sort();
    got.dedup();
    want.sort();
    assert_eq!(got, want);
    let log = recette(&site.db, &["log", "--json"], None);
    assert!(log.contains("\"lead\""));
    // Refused: an existing reference, no delivery, an unknown criticality; nothing written.
    let r = lead.post_form(
        "/plan/retest",
        &[("ref", "VABF-3"), ("delivery", "LIV-1.1"), ("failed", "1")],
    );
    assert_eq!(r.status, 422);
    assert!(r.body.contains("id=\"form-error\""));
    let r = lead.get("/plan/retest?preview=1&ref=VABF-4&delivery=");
    assert_eq!(r.status, 422);
    assert!(r.body.contains("livraison"));
    let r = lead.get("/plan/retest?preview=1&ref=VABF-4&delivery=LIV-1.1&criticality=enorme");
    assert_eq!(r.status, 422);
    // Testers and vendors may not plan.
    assert_eq!(server.login("marie").get("/plan/retest").status, 403);
    assert_eq!(
        server
            .login("vendor")
            .post_form("/plan/retest", &[("ref", "X")])
            .status,
        403
    );
}
