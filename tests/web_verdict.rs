//! A campaign's verdict page and its report downloads over HTTP against the real binary: the
//! criteria and decision of `recette verdict --json`, every format downloadable (the HTML bilan
//! and PV also readable in the browser, without script), the same Markdown bilan as `recette
//! report`, who may see it.

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

/// The bilan and the PV read in the browser: the same HTML as the download, served inline
/// under a policy that runs no script and loads nothing; other formats stay downloads.
#[test]
fn the_bilan_is_read_in_the_browser_under_a_policy_without_script() {
    let site = Site::demo();
    let server = site.serve(&[]);
    let mut viewer = server.login("viewer");
    let page = viewer.get("/campaigns/VABF-2/verdict");
    assert!(page.body.contains("id=\"view-bilan\""));
    let inline = viewer.get("/campaigns/VABF-2/reports/html?view=1");
    assert_eq!(inline.status, 200, "{}", inline.body);
    assert!(
        inline.header("content-disposition").is_none(),
        "shown, not downloaded"
    );
    let csp = inline.header("content-security-policy").unwrap_or_default();
    assert!(csp.starts_with("default-src 'none'"), "{csp}");
    assert!(!csp.contains("script-src"), "no script allowed: {csp}");
    assert!(inline.body.contains("VABF-2"));
    let download = viewer.get("/campaigns/VABF-2/reports/html");
    assert!(download
        .header("content-disposition")
        .is_some_and(|d| d.starts_with("attachment")));
    assert_eq!(download.body, inline.body, "the same report");
    let md = viewer.get("/campaigns/VABF-2/reports/md?view=1");
    assert!(md
        .header("content-disposition")
        .is_some_and(|d| d.starts_with("attachment")));
    // Ordinary pages keep the site's policy.
    let csp = page.header("content-security-policy").unwrap_or_default();
    assert!(csp.contains("script-src 'self'"), "{csp}");
}
