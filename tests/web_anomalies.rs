//! The anomaly pages over HTTP against the real binary: the list and its filters, one
//! anomaly with its history, the lead's triage (lifecycle rule, comment required to reopen),
//! the vendor's declared fix in its own delivery only, internal comments never shown to the
//! vendor, another vendor never sees the anomaly, escaping.

#[path = "common/web.rs"]
mod web;

use web::{recette, Site};

fn anomaly(site: &Site, reference: &str) -> serde_json::Value {
    let out = recette(&site.db, &["anomaly", "show", reference, "--json"], None);
    serde_json::from_str(&out).expect("anomaly show --json")
}

#[test]
fn the_list_filters_and_orders_open_anomalies_first() {
    let site = Site::demo();
    let server = site.serve(&[]);
    let mut lead = server.login("lead");
    let page = lead.get("/anomalies");
    assert_eq!(page.status, 200, "{}", page.body);
    assert_eq!(page.body.matches("<tr id=\"anomaly-").count(), 7);
    assert!(page.body.contains("7 anomalie(s) affichée(s) sur 7"));
    // Open ones (FA-003 reopened, FA-004, FA-007) before the closed ones.
    let at = |r: &str| page.body.find(&format!("id=\"anomaly-{r}\"")).expect(r);
    assert!(at("FA-003") < at("FA-001") && at("FA-004") < at("FA-001"));
    let open = lead.get("/anomalies?open=1");
    assert_eq!(open.body.matches("<tr id=\"anomaly-").count(), 3);
    let blocking = lead.get("/anomalies?severity=bloquante");
    assert_eq!(blocking.body.matches("<tr id=\"anomaly-").count(), 2);
    let found = lead.get("/anomalies?delivery=LIV-1.1&open=1");
    assert!(found.body.contains("id=\"anomaly-FA-007\""));
    assert_eq!(lead.get("/anomalies?status=peut-etre").status, 422);
    // The vendor of the deliveries sees them; another vendor sees none, and not one of them.
    let mut vendor = server.login("vendor");
    assert_eq!(
        vendor
            .get("/anomalies")
            .body
            .matches("<tr id=\"anomaly-")
            .count(),
        7
    );
    let mut other = server.login("other-vendor");
    let theirs = other.get("/anomalies");
    assert_eq!(theirs.status, 200);
    assert_eq!(theirs.body.matches("<tr id=\"anomaly-").count(), 0);
    assert_eq!(other.get("/anomalies/FA-004").status, 404);
    let r = other.post_form("/anomalies/FA-004/comments", &[("comment", "coucou")]);
    assert_eq!(r.status, 404);
    assert_eq!(lead.get("/anomalies/FA-999").status, 404);
}

#[test]
fn the_lead_triages_the_vendor_fixes_and_internal_comments_stay_internal() {
    let site = Site::demo();
    let server = site.serve(&[]);
    let mut lead = server.login("lead");
    let page = lead.get("/anomalies/FA-004");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("id=\"triage-form\""));
    // A move the lifecycle does not allow is refused, nothing changes, the form says why.
    let r = lead.post_form(
        "/anomalies/FA-004/triage",
        &[("status", "close"), ("comment", "")],
    );
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("id=\"form-error\""));
    assert_eq!(anomaly(&site, "FA-004")["status"], "ouverte");
    // Rejecting needs a comment.
    let r = lead.post_form(
        "/anomalies/FA-004/triage",
        &[("status", "rejetee"), ("comment", " ")],
    );
    assert_eq!(r.status, 422, "{}", r.body);
    // Analysed, more severe, given to the vendor: one change, in the history, by the lead.
    let r = lead.post_form(
        "/anomalies/FA-004/triage",
        &[
            ("status", "analysee"),
            ("severity", "majeure"),
            ("assignee", "Pacific"),
            ("fixed_in", ""),
            ("comment", "Reproduit sur LIV-1.0 <b>gras</b>"),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let a = anomaly(&site, "FA-004");
    assert_eq!(a["status"], "analysee");
    assert_eq!(a["severity"], "majeure");
    assert_eq!(a["assignee"], "Pacific");
    let last = a["history"]
        .as_array()
        .and_then(|h| h.last())
        .cloned()
        .unwrap_or_default();
    assert_eq!(last["actor"], "lead");
    let shown = lead.get("/anomalies/FA-004?saved=triage");
    assert!(shown.body.contains("id=\"saved-notice\""));
    assert!(
        shown.body.contains("&lt;b&gt;gras&lt;&#x2f;b&gt;") && !shown.body.contains("<b>gras</b>")
    );
    // An internal comment by the lead, a shared one by a tester.
    let r = lead.post_form(
        "/anomalies/FA-004/comments",
        &[
            ("comment", "Pénalités à prévoir"),
            ("visibility", "internal"),
        ],
    );
    assert_eq!(r.status, 303);
    let mut marie = server.login("marie");
    let r = marie.post_form(
        "/anomalies/FA-004/comments",
        &[
            ("comment", "Vu aussi sur Firefox"),
            ("visibility", "shared"),
        ],
    );
    assert_eq!(r.status, 303);
    assert_eq!(
        marie
            .post_form("/anomalies/FA-004/triage", &[("status", "close")])
            .status,
        403
    );
    // The vendor sees the shared comment, never the internal one, and may not triage.
    let mut vendor = server.login("vendor");
    let seen = vendor.get("/anomalies/FA-004");
    assert!(seen.body.contains("Vu aussi sur Firefox"));
    assert!(
        !seen.body.contains("Pénalités"),
        "internal comment shown to the vendor"
    );
    assert!(!seen.body.contains("id=\"triage-form\""));
    assert!(seen.body.contains("id=\"fix-form\""));
    assert_eq!(
        vendor
            .post_form("/anomalies/FA-004/triage", &[("status", "close")])
            .status,
        403
    );
    // The vendor's comment is shared whatever the form says.
    let r = vendor.post_form(
        "/anomalies/FA-004/comments",
        &[("comment", "Analyse en cours"), ("visibility", "internal")],
    );
    assert_eq!(r.status, 303);
    let a = anomaly(&site, "FA-004");
    let comments = a["comments"].as_array().cloned().unwrap_or_default();
    let theirs = comments
        .iter()
        .find(|c| c["text"] == "Analyse en cours")
        .expect("comment");
    assert_eq!(theirs["visibility"], "shared");
    assert_eq!(theirs["actor"], "vendor");
    // A fix needs a delivery of its own and a word on what was done.
    let r = vendor.post_form(
        "/anomalies/FA-004/fix",
        &[("fixed_in", "LIV-1.1"), ("comment", "")],
    );
    assert_eq!(r.status, 422);
    let r = vendor.post_form(
        "/anomalies/FA-004/fix",
        &[("fixed_in", "LIV-9"), ("comment", "x")],
    );
    assert_eq!(r.status, 422);
    assert_eq!(anomaly(&site, "FA-004")["status"], "analysee");
    let r = vendor.post_form(
        "/anomalies/FA-004/fix",
        &[
            ("fixed_in", "LIV-1.1"),
            ("comment", "Contrôle du montant corrigé"),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let a = anomaly(&site, "FA-004");
    assert_eq!(a["status"], "corrigee");
    assert_eq!(a["fixed_in"], "LIV-1.1");
    // The lead reopens it with a reason: counted as a reopening.
    let r = lead.post_form(
        "/anomalies/FA-004/triage",
        &[
            ("status", "rouverte"),
            ("comment", "Toujours présent sur LIV-1.1"),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let a = anomaly(&site, "FA-004");
    assert_eq!(a["status"], "rouverte");
    assert_eq!(a["reopen_count"], 1);
    // An empty triage says there is nothing to change.
    let r = lead.post_form("/anomalies/FA-004/triage", &[("severity", "majeure")]);
    assert_eq!(r.status, 422);
    assert!(r.body.contains("rien à changer"));
}

/// The board: one column per status, each anomaly in the column of its status (as `recette
/// anomaly list` gives it), filters kept; a vendor's board holds only its deliveries'.
#[test]
fn the_board_puts_each_anomaly_in_the_column_of_its_status() {
    let site = Site::demo();
    let listed: serde_json::Value =
        serde_json::from_str(&recette(&site.db, &["anomaly", "list", "--json"], None))
            .expect("json");
    let listed = listed.as_array().cloned().unwrap_or_default();
    let server = site.serve(&[]);
    let mut lead = server.login("lead");
    let board = lead.get("/anomalies?view=board");
    assert_eq!(board.status, 200, "{}", board.body);
    assert!(board.body.contains("id=\"board\""));
    assert!(board.body.contains("id=\"view-list\""));
    for a in &listed {
        let (r, st) = (
            a["ref"].as_str().unwrap_or(""),
            a["status"].as_str().unwrap_or(""),
        );
        let col = board
            .body
            .find(&format!("id=\"column-{st}\""))
            .expect("its column");
        let card = board
            .body
            .find(&format!("id=\"card-{r}\""))
            .expect("its card");
        let next = board.body[col + 1..]
            .find("<section class=\"column\"")
            .map(|i| i + col + 1)
            .unwrap_or(board.body.len());
        assert!(card > col && card < next, "{r} in column {st}");
    }
    assert_eq!(
        board.body.matches("class=\"card-item\"").count(),
        listed.len()
    );
    // Filters apply to the board too.
    let open = lead.get("/anomalies?view=board&open=1");
    let n_open = listed
        .iter()
        .filter(|a| !matches!(a["status"].as_str(), Some("close" | "rejetee")))
        .count();
    assert_eq!(open.body.matches("class=\"card-item\"").count(), n_open);
    // The vendor of the demo's deliveries sees them; another vendor's board is empty.
    let other = server.login("other-vendor").get("/anomalies?view=board");
    assert_eq!(other.status, 200);
    assert_eq!(other.body.matches("class=\"card-item\"").count(), 0);
}

/// The list gives each anomaly's age (open ones) and the requirements its tests cover, as the
/// links say.
#[test]
fn the_list_gives_the_requirements_an_anomaly_touches() {
    let site = Site::demo();
    let links: serde_json::Value =
        serde_json::from_str(&recette(&site.db, &["link", "list", "--json"], None)).expect("json");
    let covered: Vec<String> = links
        .as_array()
        .map(|l| {
            l.iter()
                .filter(|x| x["test"] == "CT-IMM-009")
                .filter_map(|x| x["requirement"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    assert!(!covered.is_empty());
    let server = site.serve(&[]);
    let page = server.login("lead").get("/anomalies");
    let row = &page.body[page.body.find("id=\"anomaly-FA-001\"").expect("FA-001")..];
    let row = &row[..row.find("</tr>").unwrap_or(row.len())];
    for r in &covered {
        assert!(row.contains(r.as_str()), "{r} in {row}");
    }
    let open = &page.body[page.body.find("id=\"anomaly-FA-004\"").expect("FA-004")..];
    let open = &open[..open.find("</tr>").unwrap_or(open.len())];
    assert!(
        open.contains(" j</td>"),
        "the age of an open anomaly: {open}"
    );
}
