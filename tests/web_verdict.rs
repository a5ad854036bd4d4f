//! A campaign's verdict page and its report downloads over HTTP against the real binary: the
//! criteria and decision of `recette verdict --json`, every format downloadable (never shown
//! inline), the same Markdown bilan as `recette report`, who may see it.

#[path = "common/web.rs"]
mod web;

use web::{recette, Site};

#[test]
fn the_verdict_page_gives_the_cli_decision_and_every_report_downloads() {
    let site = Site::demo();
    let server = site.serve(&[]);
    let mut lead = server.login("lead");
    for campaign in ["VABF-1", "VABF-2"] {
        let cli: serde_json::Value =
            serde_json::from_str(&recette(&site.db, &["verdict", campaign, "--json"], None))
                .expect("json");
        let page = lead.get(&format!("/campaigns/{campaign}/verdict"));
        assert_eq!(page.status, 200, "{}", page.body);
        let decision = cli["decision"].as_str().expect("decision");
        assert!(
            page.body.contains(&format!("decision-{decision}\"")),
            "{campaign}: {decision}"
        );
        let criteria = cli["criteria"].as_array().map(Vec::len).unwrap_or(0);
        assert_eq!(
            page.body.matches("<tr class=\"met\">").count()
                + page.body.matches("<tr class=\"unmet\">").count(),
            criteria
        );
        let unmet = cli["criteria"]
            .as_array()
            .map(|c| c.iter().filter(|x| x["met"] == false).count())
            .unwrap_or(0);
        assert_eq!(page.body.matches("<tr class=\"unmet\">").count(), unmet);
    }
    // Every format downloads as an attachment with its type.
    for (word, kind, magic) in [
        ("html", "text/html", &b"<!DOCTYPE"[..]),
        ("md", "text/markdown", &b"#"[..]),
        ("xlsx", "spreadsheetml", &b"PK"[..]),
        ("pv", "text/html", &b"<!DOCTYPE"[..]),
        ("bilan-pdf", "application/pdf", &b"%PDF"[..]),
        ("pv-pdf", "application/pdf", &b"%PDF"[..]),
    ] {
        let r = lead.get(&format!("/campaigns/VABF-2/reports/{word}"));
        assert_eq!(r.status, 200, "{word}: {}", r.body);
        assert!(
            r.header("content-type").unwrap_or("").contains(kind),
            "{word}"
        );
        let disposition = r.header("content-disposition").unwrap_or("").to_string();
        assert!(
            disposition.starts_with("attachment; filename=\""),
            "{word}: {disposition}"
        );
        assert!(r.bytes.starts_with(magic), "{word}");
    }
    // The Markdown bilan is the CLI's, word for word.
    let out = site.dir.path().join("reports");
    recette(
        &site.db,
        &[
            "report",
            "VABF-2",
            "--format",
            "md",
            "--out",
            out.to_str().expect("utf-8"),
        ],
        None,
    );
    let cli_md = std::fs::read_to_string(out.join("bilan-VABF-2.md")).expect("bilan");
    let web_md = lead.get("/campaigns/VABF-2/reports/md").body;
    assert_eq!(web_md, cli_md);
    assert_eq!(lead.get("/campaigns/VABF-2/reports/exe").status, 404);
    assert_eq!(lead.get("/campaigns/NOPE/verdict").status, 404);
    assert_eq!(
        server
            .login("viewer")
            .get("/campaigns/VABF-1/verdict")
            .status,
        200
    );
    assert_eq!(
        server
            .login("vendor")
            .get("/campaigns/VABF-1/verdict")
            .status,
        403
    );
    assert_eq!(
        server
            .login("vendor")
            .get("/campaigns/VABF-1/reports/pv-pdf")
            .status,
        403
    );
}
