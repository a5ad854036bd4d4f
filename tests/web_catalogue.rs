//! The catalogue pages over HTTP against the real binary: requirements and test cases listed
//! and searched as `recette req list` / `test list` give them, a requirement's page with its
//! revisions and suspect links (reviewed by the lead, as `recette link review` does; nobody
//! else may), a test case's page at its current and an older version, with its execution
//! history as `recette test history` gives it. Vendors do not read the catalogue.

#[path = "common/web.rs"]
mod web;

use web::{recette, Site};

fn json(db: &std::path::Path, args: &[&str]) -> serde_json::Value {
    serde_json::from_str(&recette(db, args, None)).expect("json")
}

#[test]
fn requirements_are_searched_and_their_suspect_links_reviewed() {
    let site = Site::demo();
    // A new wording of the requirement: its links become suspect.
    recette(
        &site.db,
        &[
            "req",
            "edit",
            "EXI-CES-001",
            "--description",
            "La cession est horodatée, notifiée à l'acquéreur et archivée.",
        ],
        None,
    );
    let suspect = json(&site.db, &["link", "list", "--suspect", "--json"]);
    let suspect_n = suspect.as_array().map(Vec::len).unwrap_or(0);
    assert!(suspect_n > 0, "{suspect}");
    let all = json(&site.db, &["req", "list", "--json"]);
    let all_n = all.as_array().map(Vec::len).unwrap_or(0);

    let server = site.serve(&[]);
    let mut viewer = server.login("viewer");
    let list = viewer.get("/requirements");
    assert_eq!(list.status, 200, "{}", list.body);
    assert_eq!(list.body.matches("<tr id=\"req-").count(), all_n);
    // Search by words of the description (accents and case ignored), by criticality, and
    // the suspect ones only.
    let found = viewer.get("/requirements?q=ARCHIVEE+acquereur");
    assert_eq!(
        found.body.matches("<tr id=\"req-").count(),
        1,
        "{}",
        found.body
    );
    assert!(found.body.contains("id=\"req-EXI-CES-001\""));
    let critical = viewer.get("/requirements?criticality=critique");
    let critical_n = all
        .as_array()
        .map(|l| l.iter().filter(|r| r["criticality"] == "critique").count())
        .unwrap_or(0);
    assert_eq!(critical.body.matches("<tr id=\"req-").count(), critical_n);
    let only_suspect = viewer.get("/requirements?suspect=1");
    assert_eq!(only_suspect.body.matches("<tr id=\"req-").count(), 1);
    assert_eq!(viewer.get("/requirements?criticality=urgente").status, 422);

    // The requirement's page: two revisions, the suspect links, no review button for a viewer.
    let page = viewer.get("/requirements/EXI-CES-001");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("archivée"));
    let revisions = &page.body[page.body.find("id=\"revisions\"").expect("revisions")..];
    assert_eq!(revisions.matches("<tr><td>").count(), 2);
    assert_eq!(page.body.matches("class=\"suspect\"").count(), suspect_n);
    assert!(!page.body.contains("review-all-form"));
    let r = viewer.post_form("/requirements/EXI-CES-001/review", &[]);
    assert_eq!(r.status, 403);
    assert_eq!(
        server
            .login("marie")
            .post_form("/requirements/EXI-CES-001/review", &[])
            .status,
        403
    );
    assert_eq!(server.login("vendor").get("/requirements").status, 403);
    assert_eq!(viewer.get("/requirements/EXI-NOPE").status, 404);

    // The lead reviews one link, then the others.
    let mut lead = server.login("lead");
    let page = lead.get("/requirements/EXI-CES-001");
    assert!(page.body.contains("id=\"review-all-form\""));
    let one = suspect[0]["test"].as_str().expect("test").to_string();
    let r = lead.post_form("/requirements/EXI-CES-001/review", &[("test", &one)]);
    assert_eq!(r.status, 303);
    let after = lead.get(r.header("location").unwrap_or("/"));
    assert!(after.body.contains("id=\"saved-notice\""));
    assert_eq!(
        after.body.matches("class=\"suspect\"").count(),
        suspect_n - 1
    );
    let r = lead.post_form("/requirements/EXI-CES-001/review", &[]);
    assert_eq!(r.status, 303);
    let left = json(&site.db, &["link", "list", "--suspect", "--json"]);
    assert_eq!(left.as_array().map(Vec::len), Some(0), "{left}");
    // Audited under the lead.
    let log = json(&site.db, &["log", "--actor", "lead", "--json"]);
    assert!(
        log.as_array().is_some_and(|l| l
            .iter()
            .any(|e| e["ref"].as_str().unwrap_or("").contains("EXI-CES-001"))),
        "{log}"
    );
}

#[test]
fn a_test_case_is_read_at_each_version_with_its_history() {
    let site = Site::demo();
    recette(
        &site.db,
        &[
            "test",
            "edit",
            "CT-CES-001",
            "--add-step",
            "Consulter l'historique de la cession => La déclaration figure avec son horodatage",
        ],
        None,
    );
    let history = json(&site.db, &["test", "history", "CT-CES-001", "--json"]);
    let runs = history
        .as_array()
        .or_else(|| history["executions"].as_array())
        .map(Vec::len)
        .unwrap_or(0);
    assert!(runs > 0, "{history}");
    let server = site.serve(&[]);
    let mut marie = server.login("marie");
    let list = marie.get("/tests?q=cession");
    assert_eq!(list.status, 200, "{}", list.body);
    assert!(list.body.contains("id=\"test-CT-CES-001\""));
    assert!(!list.body.contains("id=\"test-CT-IMM-001\""));
    let by_req = marie.get("/tests?requirement=EXI-CES-001");
    assert!(by_req.body.contains("id=\"test-CT-CES-001\""));
    let automated = marie.get("/tests?kind=automated");
    assert!(automated.body.contains("id=\"test-AUTO-"));
    assert!(automated.body.contains("id=\"test-CT-PERF-001\""));
    assert!(!automated.body.contains("id=\"test-CT-CES-001\""));

    let current = marie.get("/tests/CT-CES-001");
    assert_eq!(current.status, 200);
    assert!(
        current.body.contains("Consulter l&#x27;historique")
            || current.body.contains("Consulter l'historique")
    );
    let steps = &current.body[current.body.find("id=\"steps\"").expect("steps")..];
    let steps = &steps[..steps.find("</table>").unwrap_or(steps.len())];
    assert_eq!(steps.matches("<tr><td>").count(), 4);
    let versions = &current.body[current.body.find("id=\"versions\"").expect("versions")..];
    let versions = &versions[..versions.find("</table>").unwrap_or(versions.len())];
    assert_eq!(versions.matches("?version=").count(), 2);
    let history_rows = &current.body[current.body.find("id=\"history\"").expect("history")..];
    let history_rows = &history_rows[..history_rows.find("</table>").unwrap_or(0)];
    assert_eq!(history_rows.matches("<tr><td>").count(), runs);
    // Version 1, as it was: three steps, marked as replaced.
    let old = marie.get("/tests/CT-CES-001?version=1");
    assert_eq!(old.status, 200);
    assert!(old.body.contains("id=\"old-version\""));
    assert!(!old.body.contains("Consulter l"));
    let none = marie.get("/tests/CT-CES-001?version=9");
    assert_eq!(none.status, 422);
    assert!(none.body.contains("versions : 1, 2"), "{}", none.body);
    assert_eq!(marie.get("/tests/CT-CES-001?version=deux").status, 422);
    assert_eq!(server.login("vendor").get("/tests/CT-CES-001").status, 403);
}
