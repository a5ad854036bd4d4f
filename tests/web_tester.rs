//! The tester's screens of `recette serve` over HTTP against the real binary: "Mes tests", a
//! campaign with its filters, the execution page (steps, status from the steps, evidence, an
//! anomaly on the spot, save and next, conflicts), escaping and CSRF.

#[path = "common/web.rs"]
mod web;

use web::{attr_after, recette, Site};

#[test]
fn my_tests_lists_what_is_assigned_to_me_by_campaign_with_what_is_left() {
    let site = Site::demo();
    let server = site.serve(&[]);
    let mut c = server.login("marie");
    let page = c.get("/my-tests");
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("id=\"campaign-WEB-1\""),
        "WEB-1 spread to marie"
    );
    // Assigned by full name in the demo (before accounts existed): shown too.
    assert!(page.body.contains("id=\"campaign-VABF-1\""));
    assert!(page.body.contains("restant(s) sur"));
    // The campaign title is escaped, never run as script.
    assert!(!page.body.contains("<script>alert(1)</script>"));
    assert!(page
        .body
        .contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt;"));
    // A vendor has no "my tests".
    assert_eq!(server.login("vendor").get("/my-tests").status, 403);
}

#[test]
fn campaign_page_shows_progress_and_filters() {
    let site = Site::demo();
    let server = site.serve(&[]);
    let mut c = server.login("lead");
    let page = c.get("/campaigns/VABF-1");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("<svg class=\"bar\""));
    assert!(page.body.contains("rect x="));
    let all = page.body.matches("<tr class=").count();
    let failed = c.get("/campaigns/VABF-1?status=failed");
    let n = failed.body.matches("<tr class=").count();
    assert!(n > 0 && n < all, "{n} of {all}");
    assert!(!failed.body.contains("st-passed\">Conforme</span></td>"));
    let by_text = c.get("/campaigns/VABF-1?q=CT-IMM-001");
    assert_eq!(by_text.body.matches("<tr class=").count(), 1);
    let by_assignee = c.get("/campaigns/WEB-1?assignee=sylvie");
    assert!(by_assignee.body.contains("sylvie") && !by_assignee.body.contains("<td>marie</td>"));
    let crit = c.get("/campaigns/VABF-1?criticality=critique");
    assert_eq!(crit.status, 200);
    assert!(crit.body.matches("<tr class=").count() < all);
    assert_eq!(c.get("/campaigns/VABF-1?status=peut-etre").status, 422);
    assert_eq!(c.get("/campaigns/NOPE").status, 404);
    let list = c.get("/campaigns");
    assert!(list.body.contains("VABF-2") && list.body.contains("WEB-1"));
}

#[test]
fn a_large_campaign_is_paged_and_the_pages_keep_the_filters() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("big.db");
    recette(
        &db,
        &[
            "bench-gen",
            "--requirements",
            "50",
            "--tests",
            "600",
            "--executions",
            "0",
            "--campaigns",
            "1",
            "--anomalies",
            "0",
        ],
        None,
    );
    recette(
        &db,
        &["user", "add", "lead", "--role", "lead", "--password-stdin"],
        Some(&format!("{}\n", web::PASSWORD)),
    );
    recette(
        &db,
        &[
            "campaign",
            "assign",
            "C-1",
            "--all",
            "--spread",
            "ana,bruno",
        ],
        None,
    );
    let server = web::Server::start(&db, &[]);
    let mut c = server.login("lead");
    let first = c.get("/campaigns/C-1");
    assert_eq!(first.status, 200);
    assert_eq!(first.body.matches("<tr class=").count(), 250);
    assert!(first.body.contains("Tests 1–250 sur 600"), "{}", first.body);
    assert!(first.body.contains("page 1 / 3"));
    assert!(!first.body.contains("id=\"page-prev\""));
    let next = href_of(&first.body, "page-next").expect("a next page");
    assert_eq!(next, "?page=2");
    let last = c.get("/campaigns/C-1?page=3");
    assert_eq!(last.body.matches("<tr class=").count(), 100);
    assert!(last.body.contains("Tests 501–600 sur 600"));
    assert!(!last.body.contains("id=\"page-next\""));
    // Beyond the last page or not a number: the nearest page, never an error.
    assert!(c.get("/campaigns/C-1?page=99").body.contains("page 3 / 3"));
    assert!(c.get("/campaigns/C-1?page=abc").body.contains("page 1 / 3"));
    // The pages of a filtered table keep the filter.
    let ana = c.get("/campaigns/C-1?assignee=ana");
    assert!(ana.body.contains("Tests 1–250 sur 300"), "{}", ana.body);
    let next = href_of(&ana.body, "page-next").expect("a next page");
    assert_eq!(next, "?assignee=ana&page=2");
    let two = c.get("/campaigns/C-1?assignee=ana&page=2");
    assert_eq!(two.body.matches("<tr class=").count(), 50);
    assert!(!two.body.contains("<td>bruno</td>"));
    // A table that fits one page has no pager.
    let one = c.get("/campaigns/C-1?q=zzzz");
    assert!(one.body.contains("0 test(s) affiché(s)") && !one.body.contains("class=\"pager\""));
}

#[test]
fn the_lead_assigns_spreads_and_unassigns_from_the_campaign_page() {
    let site = Site::demo();
    let server = site.serve(&[]);
    let mut lead = server.login("lead");
    let page = lead.get("/campaigns/VABF-2");
    assert!(page.body.contains("id=\"assign-form\""));
    // The testers' accounts are offered, not the vendor's.
    assert!(page.body.contains("<option value=\"marie\">"));
    assert!(!page.body.contains("<option value=\"vendor\">"));
    let r = lead.post_form(
        "/campaigns/VABF-2/assign",
        &[
            ("scope", "all"),
            ("mode", "spread"),
            ("spread", "marie, sylvie"),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let to = r.header("location").unwrap_or_default().to_string();
    assert!(to.starts_with("/campaigns/VABF-2?assigned="), "{to}");
    let shown = lead.get(&to);
    assert!(shown.body.contains("id=\"assign-notice\""));
    let show = |who: &str| -> usize {
        let out = recette(
            &site.db,
            &["campaign", "show", "VABF-2", "--assignee", who, "--json"],
            None,
        );
        let v: serde_json::Value = serde_json::from_str(&out).expect("json");
        v["tests"].as_array().map(Vec::len).unwrap_or(0)
    };
    let (m, s) = (show("marie"), show("sylvie"));
    assert!(m > 0 && (m as i64 - s as i64).abs() <= 1, "{m} / {s}");
    // One test to someone else, by reference.
    let mine = recette(
        &site.db,
        &[
            "campaign",
            "show",
            "VABF-2",
            "--assignee",
            "marie",
            "--json",
        ],
        None,
    );
    let mine: serde_json::Value = serde_json::from_str(&mine).expect("json");
    let one = mine["tests"][0]["ref"]
        .as_str()
        .expect("a test of marie")
        .to_string();
    let r = lead.post_form(
        "/campaigns/VABF-2/assign",
        &[
            ("scope", "selection"),
            ("tests", &one),
            ("mode", "to"),
            ("to", "jean"),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(show("jean"), 1);
    assert_eq!(show("marie"), m - 1);
    // Refused forms change nothing and say which field is wrong.
    let r = lead.post_form(
        "/campaigns/VABF-2/assign",
        &[("scope", "selection"), ("mode", "to"), ("to", "jean")],
    );
    assert_eq!(r.status, 422);
    assert!(r.body.contains("id=\"assign-error\"") && r.body.contains("tests concernés"));
    let r = lead.post_form(
        "/campaigns/VABF-2/assign",
        &[("scope", "all"), ("mode", "to"), ("to", " ")],
    );
    assert_eq!(r.status, 422);
    assert!(r.body.contains("attribuer à"));
    let r = lead.post_form(
        "/campaigns/VABF-2/assign",
        &[
            ("scope", "selection"),
            ("tests", "CT-NOPE-999"),
            ("mode", "unassign"),
        ],
    );
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(show("jean"), 1);
    // Unassign everything.
    let r = lead.post_form(
        "/campaigns/VABF-2/assign",
        &[("scope", "all"), ("mode", "unassign")],
    );
    assert_eq!(r.status, 303);
    assert_eq!(show("marie") + show("sylvie") + show("jean"), 0);
    // Testers and vendors may not assign; the form is not even shown to them.
    let mut marie = server.login("marie");
    assert!(!marie
        .get("/campaigns/VABF-2")
        .body
        .contains("id=\"assign-form\""));
    let r = marie.post_form(
        "/campaigns/VABF-2/assign",
        &[("scope", "all"), ("mode", "to"), ("to", "marie")],
    );
    assert_eq!(r.status, 403);
    assert_eq!(
        lead.post_form(
            "/campaigns/NOPE/assign",
            &[("scope", "all"), ("mode", "unassign")]
        )
        .status,
        404
    );
}

/// The href of the link with this id.
fn href_of(html: &str, id: &str) -> Option<String> {
    let at = html.find(&format!("id=\"{id}\""))?;
    let before = &html[..at];
    let s = before.rfind("href=\"")? + 6;
    let e = before[s..].find('"')? + s;
    Some(before[s..e].replace("&amp;", "&").replace("&#x2f;", "/"))
}

/// A test with three steps, assigned to `assignee` for the test.
fn first_test_of(site: &Site, campaign: &str, assignee: &str) -> String {
    recette(
        &site.db,
        &[
            "campaign",
            "assign",
            campaign,
            "--test",
            "CT-IMM-001",
            "--to",
            assignee,
        ],
        None,
    );
    let out = recette(&site.db, &["campaign", "show", campaign, "--json"], None);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    v["tests"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["assignee"] == assignee && t["ref"] == "CT-IMM-001")
        .map(|t| t["ref"].as_str().unwrap().to_string())
        .expect("a test assigned")
}

#[test]
fn an_execution_step_by_step_with_evidence_and_an_anomaly_created_on_the_spot() {
    let site = Site::demo();
    let server = site.serve(&[]);
    let test = first_test_of(&site, "WEB-1", "marie");
    let mut c = server.login("marie");
    let path = format!("/campaigns/WEB-1/tests/{test}");
    let page = c.get(&path);
    assert_eq!(page.status, 200, "{}", page.body);
    for id in [
        "id=\"execution-form\"",
        "id=\"step-1-status\"",
        "id=\"step-1-actual\"",
        "id=\"evidence\"",
        "id=\"anomaly_title\"",
        "id=\"save-next\"",
    ] {
        assert!(page.body.contains(id), "{id}");
    }
    assert_eq!(
        attr_after(&page.body, "name=\"based_on\"", "value").as_deref(),
        Some("0")
    );
    let r = c.post_multipart(
        &path,
        &[
            ("based_on", "0"),
            ("step-1-status", "passed"),
            ("step-2-status", "failed"),
            ("step-2-actual", "Erreur 500 <b>affichée</b>"),
            ("status", ""),
            ("comment", "vu sur le poste 12"),
            ("anomaly_title", "Erreur 500 à la validation"),
            ("anomaly_severity", "majeure"),
            ("anomaly_description", "étape 2"),
            ("go", "stay"),
        ],
        &[("evidence", "capture.png", "image/png", b"\x89PNG capture")],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let to = r.header("location").unwrap().to_string();
    assert!(to.contains("saved=1") && to.contains("anomaly=FA-"), "{to}");
    let page = c.get(&to);
    assert!(page.body.contains("id=\"saved-notice\""));
    assert!(
        page.body
            .contains("Erreur 500 &lt;b&gt;affichée&lt;&#x2f;b&gt;"),
        "escaped actual result"
    );
    assert!(page.body.contains("capture.png"));
    assert_eq!(
        attr_after(&page.body, "name=\"based_on\"", "value").as_deref(),
        Some("1")
    );
    // The library derived the status from the steps; the tester and the audit are the account.
    let out = recette(
        &site.db,
        &["execution", "show", "WEB-1", &test, "--json"],
        None,
    );
    let e: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(e[0]["status"], "failed");
    assert_eq!(e[0]["tester"], "marie");
    assert_eq!(e[0]["source"], "web");
    assert_eq!(e[0]["evidence"][0]["file_name"], "capture.png");
    let anomaly = e[0]["anomalies"][0].as_str().unwrap().to_string();
    let list = recette(&site.db, &["anomaly", "list", "--json"], None);
    assert!(list.contains("Erreur 500 à la validation"));
    assert!(list.contains(&anomaly));
    let log = recette(&site.db, &["log", "--json"], None);
    let log: serde_json::Value = serde_json::from_str(&log).unwrap();
    for entry in log.as_array().unwrap().iter().filter(|x| {
        x["ref"] == anomaly.as_str()
            || x["ref"]
                .as_str()
                .unwrap_or("")
                .starts_with(&format!("WEB-1/{test}#"))
    }) {
        assert_eq!(entry["actor"], "marie", "{entry}");
    }
}

#[test]
fn a_second_save_on_a_stale_attempt_shows_the_other_result_and_keeps_both() {
    let site = Site::demo();
    let server = site.serve(&[]);
    let test = first_test_of(&site, "WEB-1", "marie");
    let path = format!("/campaigns/WEB-1/tests/{test}");
    let mut marie = server.login("marie");
    let mut lead = server.login("lead");
    assert_eq!(marie.get(&path).status, 200);
    assert_eq!(lead.get(&path).status, 200);
    let r = lead.post_multipart(
        &path,
        &[
            ("based_on", "0"),
            ("status", "blocked"),
            ("comment", "environnement coupé"),
        ],
        &[],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let r = marie.post_multipart(
        &path,
        &[
            ("based_on", "0"),
            ("status", "passed"),
            ("comment", "tout va bien"),
        ],
        &[],
    );
    assert_eq!(r.status, 409, "{}", r.body);
    assert!(r.body.contains("id=\"conflict\""));
    assert!(
        r.body.contains("environnement coupé"),
        "the other result is shown"
    );
    assert!(r.body.contains("tout va bien"), "my entry is kept");
    let based = attr_after(&r.body, "name=\"based_on\"", "value").unwrap();
    assert_eq!(based, "1");
    // Keeping both: saving again from the refreshed form adds attempt 2.
    let r = marie.post_multipart(
        &path,
        &[
            ("based_on", &based),
            ("status", "passed"),
            ("comment", "tout va bien"),
        ],
        &[],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let out = recette(
        &site.db,
        &["execution", "show", "WEB-1", &test, "--json"],
        None,
    );
    let e: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(e.as_array().unwrap().len(), 2);
    assert_eq!(e[0]["status"], "blocked");
    assert_eq!(e[1]["status"], "passed");
}

#[test]
fn save_and_next_goes_to_my_next_test_and_bad_input_is_shown_in_the_form() {
    let site = Site::demo();
    let server = site.serve(&[]);
    let test = first_test_of(&site, "WEB-1", "marie");
    let path = format!("/campaigns/WEB-1/tests/{test}");
    let mut c = server.login("marie");
    let page = c.get(&path);
    let next = href_of(&page.body, "next-test").expect("marie has several tests in WEB-1");
    let r = c.post_multipart(
        &path,
        &[("based_on", "0"), ("status", "passed"), ("go", "next")],
        &[],
    );
    assert_eq!(r.status, 303);
    assert_eq!(r.header("location"), Some(next.as_str()));
    // A status that hides a failed step is refused with the form kept, nothing written.
    let r = c.post_multipart(
        &path,
        &[
            ("based_on", "1"),
            ("status", "passed"),
            ("step-1-status", "failed"),
            ("comment", "à garder"),
        ],
        &[],
    );
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("id=\"form-error\""));
    assert!(r.body.contains("à garder"));
    let out = recette(
        &site.db,
        &["execution", "show", "WEB-1", &test, "--json"],
        None,
    );
    let e: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(e.as_array().unwrap().len(), 1);
}

#[test]
fn the_execution_form_needs_the_csrf_token_and_a_role_that_may_record() {
    let site = Site::demo();
    let server = site.serve(&[]);
    let test = first_test_of(&site, "WEB-1", "marie");
    let path = format!("/campaigns/WEB-1/tests/{test}");
    let mut c = server.login("marie");
    c.csrf = Some("forged".into());
    let r = c.post_multipart(&path, &[("based_on", "0"), ("status", "passed")], &[]);
    assert_eq!(r.status, 403);
    let mut viewer = server.login("viewer");
    let page = viewer.get(&path);
    assert_eq!(page.status, 200);
    assert!(
        !page.body.contains("id=\"execution-form\""),
        "no form for a viewer"
    );
    assert_eq!(
        viewer
            .post_multipart(&path, &[("status", "passed")], &[])
            .status,
        403
    );
    let out = recette(
        &site.db,
        &["execution", "show", "WEB-1", &test, "--json"],
        None,
    );
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&out)
            .unwrap()
            .as_array()
            .unwrap()
            .len(),
        0
    );
}
