//! The traceability page over HTTP against the real binary: the same requirement statuses as
//! `recette trace --json` for a campaign, a delivery and the latest results; filters; who
//! may see it.

#[path = "common/web.rs"]
mod web;

use web::{recette, Site};

#[test]
fn the_trace_page_gives_the_cli_statuses_and_filters_them() {
    let site = Site::demo();
    let server = site.serve(&[]);
    let mut lead = server.login("lead");
    for (query, args) in [
        (
            "campaign=VABF-1",
            vec!["trace", "--campaign", "VABF-1", "--json"],
        ),
        (
            "delivery=LIV-1.1",
            vec!["trace", "--delivery", "LIV-1.1", "--json"],
        ),
        ("", vec!["trace", "--json"]),
    ] {
        let cli: serde_json::Value =
            serde_json::from_str(&recette(&site.db, &args, None)).expect("json");
        let page = lead.get(&format!("/trace?{query}"));
        assert_eq!(page.status, 200, "{query}: {}", page.body);
        let reqs = cli["requirements"].as_array().expect("requirements");
        assert_eq!(
            page.body.matches("<tr id=\"req-").count(),
            reqs.len(),
            "{query}"
        );
        for r in reqs {
            let (id, status) = (
                r["ref"].as_str().unwrap_or(""),
                r["status"].as_str().unwrap_or(""),
            );
            let at = page.body.find(&format!("id=\"req-{id}\"")).expect(id);
            let row = &page.body[at..at + page.body[at..].find("</tr>").unwrap_or(0)];
            assert!(
                row.contains(&format!("rst-{status}\"")),
                "{query} {id}: {status}\n{row}"
            );
        }
        // Filtered by status: exactly the CLI's count of that status.
        let failed = cli["summary"]["by_status"]["failed"].as_u64().unwrap_or(0) as usize;
        let page = lead.get(&format!("/trace?{query}&status=failed"));
        assert_eq!(
            page.body.matches("<tr id=\"req-").count(),
            failed,
            "{query}"
        );
    }
    let crit = lead.get("/trace?campaign=VABF-1&criticality=critique");
    assert!(crit.body.matches("<tr id=\"req-").count() > 0);
    assert!(!crit.body.contains("<td>Mineure</td>"));
    assert_eq!(lead.get("/trace?status=bof").status, 422);
    assert_eq!(lead.get("/trace?campaign=NOPE").status, 404);
    assert_eq!(server.login("viewer").get("/trace").status, 200);
    assert_eq!(server.login("vendor").get("/trace").status, 403);
}
