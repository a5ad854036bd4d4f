//! Planning campaigns in the browser, over HTTP against the real binary: a new campaign on a
//! delivery is shown with each test's reasons before it is created (nothing written by the
//! preview), then created as `recette campaign create` + `campaign add` would; tests are
//! added and taken out by criteria, those already run staying; `recette campaign remove`
//! does the same at the terminal. Only the lead (and admin) plans.

#[path = "common/web.rs"]
mod web;

use web::{enc, recette, Site};

fn campaign(site: &Site, c: &str) -> serde_json::Value {
    serde_json::from_str(&recette(&site.db, &["campaign", "show", c, "--json"], None))
        .expect("json")
}

#[test]
fn the_lead_plans_a_campaign_and_changes_its_tests_by_criteria() {
    let site = Site::demo();
    let server = site.serve(&[]);
    let mut lead = server.login("lead");
    let form = lead.get("/plan/campaign?delivery=LIV-1.1");
    assert_eq!(form.status, 200, "{}", form.body);
    assert!(form.body.contains("id=\"campaign-form\""));

    // The preview: the smoke tests and those of the requirement EXI-CES-001, each with why.
    let query = format!(
        "/plan/campaign?preview=1&ref=VSR-1&title={}&delivery=LIV-1.1&phase=vsr&start=2026-05-04&tags=smoke&requirements=EXI-CES-001",
        enc("Vérification de service régulier")
    );
    let preview = lead.get(&query);
    assert_eq!(preview.status, 200, "{}", preview.body);
    assert!(preview.body.contains("id=\"create-form\""));
    assert!(preview.body.contains("étiquette smoke"));
    assert!(preview.body.contains("exigence EXI-CES-001"));
    let planned = preview.body.matches("<tr id=\"plan-").count();
    assert!(planned > 1, "{}", preview.body);
    assert!(
        !recette(&site.db, &["campaign", "list"], None).contains("VSR-1"),
        "a preview writes nothing"
    );
    // Bad input: the form again with the reason, nothing created.
    let bad = lead.get("/plan/campaign?preview=1&ref=VSR-1&title=x&start=demain");
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("id=\"form-error\""));
    let bad = lead.get("/plan/campaign?preview=1&ref=VSR-1&title=x&requirements=EXI-NOPE");
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("EXI-NOPE"));

    // Created: the same tests, each with its reason, on the delivery.
    let r = lead.post_form(
        "/plan/campaign",
        &[
            ("ref", "VSR-1"),
            ("title", "Vérification de service régulier"),
            ("delivery", "LIV-1.1"),
            ("phase", "vsr"),
            ("start", "2026-05-04"),
            ("tags", "smoke"),
            ("requirements", "EXI-CES-001"),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(r.header("location"), Some("/campaigns/VSR-1"));
    let c = campaign(&site, "VSR-1");
    assert_eq!(c["campaign"]["delivery"], "LIV-1.1");
    assert_eq!(c["campaign"]["phase"], "vsr");
    let tests = c["tests"].as_array().cloned().unwrap_or_default();
    assert_eq!(tests.len(), planned, "{c}");
    assert!(
        tests
            .iter()
            .all(|t| t["reason"].as_str().is_some_and(|r| !r.is_empty())),
        "{c}"
    );
    // The same reference again: refused.
    let again = lead.post_form("/plan/campaign", &[("ref", "VSR-1"), ("title", "bis")]);
    assert_eq!(again.status, 422, "{}", again.body);

    // Add by criticality: the preview lists only the tests not yet in the campaign.
    let page = lead.get("/campaigns/VSR-1/scope?preview=1&op=add&criticality=critique");
    assert_eq!(page.status, 200, "{}", page.body);
    let to_add = page.body.matches("<tr id=\"plan-").count();
    assert!(to_add > 0);
    assert_eq!(
        campaign(&site, "VSR-1")["tests"].as_array().map(Vec::len),
        Some(planned)
    );
    let r = lead.post_form(
        "/campaigns/VSR-1/scope",
        &[("op", "add"), ("criticality", "critique")],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(lead
        .get(r.header("location").unwrap_or("/"))
        .body
        .contains("id=\"saved-notice\""));
    // A test with data sets is planned once per data set: count the tests.
    let distinct = |c: &serde_json::Value| {
        let mut refs: Vec<String> = c["tests"]
            .as_array()
            .map(|t| {
                t.iter()
                    .filter_map(|x| x["ref"].as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        refs.dedup();
        refs.len()
    };
    let now = distinct(&campaign(&site, "VSR-1"));
    assert_eq!(now, planned + to_add);

    // One test is run; removing the smoke tests keeps it (its result is history).
    let first = campaign(&site, "VSR-1")["tests"]
        .as_array()
        .and_then(|t| t.iter().find(|x| x["ref"] == "CT-CES-001").cloned())
        .expect("CT-CES-001 planned");
    assert!(first["ref"].is_string());
    recette(
        &site.db,
        &["run", "VSR-1", "CT-CES-001", "--status", "OK"],
        None,
    );
    let page = lead.get("/campaigns/VSR-1/scope?preview=1&op=remove&tags=smoke&tests=CT-CES-001");
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("id=\"plan-kept\""));
    assert!(page.body.contains("CT-CES-001"));
    let r = lead.post_form(
        "/campaigns/VSR-1/scope",
        &[("op", "remove"), ("tags", "smoke"), ("tests", "CT-CES-001")],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let after = campaign(&site, "VSR-1");
    let refs: Vec<&str> = after["tests"]
        .as_array()
        .map(|t| t.iter().filter_map(|x| x["ref"].as_str()).collect())
        .unwrap_or_default();
    assert!(refs.contains(&"CT-CES-001"), "run: kept");
    assert!(distinct(&after) < now);
    assert!(refs.len() > 1);
    // The terminal says the same thing.
    let dry = recette(
        &site.db,
        &[
            "campaign",
            "remove",
            "VSR-1",
            "--test",
            "CT-CES-001",
            "--dry-run",
            "--json",
        ],
        None,
    );
    let dry: serde_json::Value = serde_json::from_str(&dry).expect("json");
    assert_eq!(dry["kept"], serde_json::json!(["CT-CES-001"]));
    assert_eq!(dry["removed"], serde_json::json!([]));
    // An empty selection or an unknown operation: refused.
    assert_eq!(
        lead.post_form("/campaigns/VSR-1/scope", &[("op", "add")])
            .status,
        422
    );
    assert_eq!(
        lead.post_form("/campaigns/VSR-1/scope", &[("op", "move"), ("all", "1")])
            .status,
        422
    );
    assert_eq!(lead.get("/campaigns/NOPE/scope").status, 404);

    // In English, the reasons are worded in English too (recorded in French).
    assert_eq!(
        lead.post_form("/account/lang", &[("lang", "en")]).status,
        303
    );
    let en = lead.get("/plan/campaign?preview=1&ref=VSR-2&title=x&tags=smoke");
    assert!(en.body.contains("tag smoke"), "{}", en.body);
    assert!(!en.body.contains("étiquette smoke"));

    // Testers, vendors and viewers do not plan.
    for who in ["marie", "vendor", "viewer"] {
        let mut c = server.login(who);
        assert_eq!(c.get("/plan/campaign").status, 403, "{who}");
        assert_eq!(
            c.post_form("/campaigns/VSR-1/scope", &[("op", "add"), ("all", "1")])
                .status,
            403,
            "{who}"
        );
    }
}
