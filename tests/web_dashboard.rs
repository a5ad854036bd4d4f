//! The dashboard over HTTP against the real binary: the same indicators and proposed decision
//! as `recette status --json` and `recette verdict`, the open anomalies linking to the list,
//! the live part (`?part=campaigns`) that follows the testers' executions, who may see it.

#[path = "common/web.rs"]
mod web;

use web::{recette, Site};

#[test]
fn the_dashboard_shows_each_campaign_its_decision_and_follows_executions() {
    let site = Site::demo();
    let server = site.serve(&[]);
    let mut lead = server.login("lead");
    // The lead lands on it.
    let home = lead.get("/");
    assert_eq!(home.header("location"), Some("/dashboard"));
    let page = lead.get("/dashboard");
    assert_eq!(page.status, 200);
    let status: serde_json::Value =
        serde_json::from_str(&recette(&site.db, &["status", "--json"], None)).expect("json");
    let tests = status["test_cases"].as_u64().expect("test_cases");
    assert!(page.body.contains(&format!("{tests} cas de test")));
    for c in status["campaigns"].as_array().expect("campaigns") {
        let r = c["ref"].as_str().expect("ref");
        assert!(page.body.contains(&format!("id=\"campaign-{r}\"")), "{r}");
    }
    // VABF-1: 92.5 % executed, so its exit criteria propose a postponement.
    assert!(page.body.contains("92,5 %"), "French decimal comma");
    assert!(page.body.contains("decision-ajournement\">Ajournement"));
    assert!(page
        .body
        .contains("decision-reserves\">Admission avec réserves"));
    // Coverage by criticality: the figures of `recette trace --json` over the latest results.
    let trace: serde_json::Value =
        serde_json::from_str(&recette(&site.db, &["trace", "--json"], None)).expect("json");
    let critical = &trace["summary"]["by_criticality"]["critique"];
    let at = page
        .body
        .find("id=\"coverage-critique\"")
        .expect("critical row");
    let row = &page.body[at..at + page.body[at..].find("</tr>").unwrap_or(0)];
    assert!(
        row.contains(&format!("<td>{}</td>", critical["requirements"])),
        "{row} / {critical}"
    );
    assert!(
        row.contains(&format!("<td>{} (", critical["passed"])),
        "{row} / {critical}"
    );
    // Open anomalies by severity, each a link to the filtered list.
    assert!(page
        .body
        .contains("href=\"/anomalies?severity=majeure&amp;open=1\""));
    // The live part alone: no page around it, and it moves when a tester records.
    let part = lead.get("/dashboard?part=campaigns");
    assert_eq!(part.status, 200);
    assert!(!part.body.contains("<html") && part.body.contains("id=\"campaign-WEB-1\""));
    let before = part.body.matches("st-passed").count();
    let executed = |html: &str| {
        let at = html.find("id=\"campaign-WEB-1\"").expect("WEB-1");
        let rest = &html[at..];
        let end = rest.find(" exécuté(s)").expect("executed");
        rest[..end]
            .rsplit(|c: char| !c.is_ascii_digit())
            .next()
            .and_then(|n| n.parse::<u32>().ok())
            .expect("a number")
    };
    let n0 = executed(&part.body);
    web::Client::record_first_assigned(
        &server.base,
        &server.token("marie"),
        "marie",
        "WEB-1",
        serde_json::json!({"status": "passed"}),
    );
    let part = lead.get("/dashboard?part=campaigns");
    assert_eq!(executed(&part.body), n0 + 1);
    assert!(part.body.matches("st-passed").count() >= before);
    // Viewers (COPIL) see it; vendors do not.
    assert_eq!(server.login("viewer").get("/dashboard").status, 200);
    assert_eq!(server.login("vendor").get("/dashboard").status, 403);
    // In English on request.
    let mut en = server.login("lead");
    en.post_form("/account/lang", &[("lang", "en"), ("back", "/dashboard")]);
    let page = en.get("/dashboard");
    assert!(page.body.contains("Dashboard") && page.body.contains("Postponement"));
}

/// The COPIL view on the dashboard: the report's charts (campaign rates, anomalies per
/// delivery, open anomalies by age) as inline SVG, the risks with the passed decision
/// deadline, the deliveries' deadlines and the decisions signed — what `recette report copil`
/// shows.
#[test]
fn the_dashboard_shows_the_copil_charts_risks_and_deadlines() {
    let site = Site::demo();
    let out = tempfile::tempdir().expect("temp dir");
    recette(
        &site.db,
        &[
            "report",
            "copil",
            "--out",
            out.path().to_str().expect("utf-8"),
        ],
        None,
    );
    let copil = std::fs::read_to_string(out.path().join("copil.html")).expect("copil.html");
    let server = site.serve(&[]);
    let page = server.login("lead").get("/dashboard");
    assert_eq!(page.status, 200, "{}", page.body);
    for (id, title) in [
        ("chart-campaigns", "Exécution et réussite par campagne"),
        ("chart-anomalies", "Anomalies trouvées par livraison"),
        ("chart-ages", "Anomalies ouvertes par ancienneté"),
    ] {
        let at = page.body.find(&format!("id=\"{id}\"")).expect(id);
        assert!(
            page.body[at..].contains(&format!("<title>{title}</title>")),
            "{id}"
        );
        assert!(
            copil.contains(&format!("<title>{title}</title>")),
            "the report has {id} too"
        );
    }
    assert!(page.body.contains("id=\"risks\""));
    // (minijinja escapes "/" as &#x2f;)
    let text = page.body.replace("&#x2f;", "/");
    assert!(text.contains("LIV-1.1 : décision à notifier avant le 23/04/2026"));
    let deadlines = &text[text.find("id=\"decision-deadlines\"").expect("table")..];
    assert!(deadlines.contains("23/04/2026"));
    assert!(page.body.contains("id=\"decisions\""));
    // The live part does not carry the COPIL view (it is not recomputed every 15 s).
    let live = server.login("lead").get("/dashboard?part=campaigns");
    assert!(!live.body.contains("id=\"copil\""));
}
