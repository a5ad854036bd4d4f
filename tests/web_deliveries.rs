//! The deliveries pages over HTTP against the real binary: the lead records a delivery in the
//! browser form (a refused form keeps what was typed), the vendor follows its own deliveries
//! only (another vendor gets 404 by page or POST), declares a document received (only the
//! buyer accepts one), uploads the delivery note: the plan page writes nothing, a note with
//! an unknown anomaly is refused whole, "Appliquer" records it as `recette delivery import`
//! does.

#[path = "common/web.rs"]
mod web;

use web::{recette, Site};

fn show(site: &Site, delivery: &str) -> serde_json::Value {
    serde_json::from_str(&recette(
        &site.db,
        &["delivery", "show", delivery, "--json"],
        None,
    ))
    .expect("json")
}

/// A delivery note written for the test (the layout of fixtures/vendor/bordereau_*.csv).
fn note(fix: &str) -> Vec<u8> {
    format!(
        "Bordereau de livraison — SIV Immatriculation;;\n\
         Version : 1.2.0;;\n\
         Date de livraison;15/04/2026;\n\
         ;;\n\
         1. Anomalies corrigées;;\n\
         N° FA;Titre;Commentaire\n\
         {fix};Libellés;Traductions reprises\n\
         ;;\n\
         2. Exigences livrées ou modifiées;;\n\
         Exigence;Nature;Commentaire\n\
         EXI-ACC-002;Modifiée;Portail bilingue complet\n\
         ;;\n\
         3. Documents livrés;;\n\
         Document;État;Commentaire\n\
         Notes de version 1.2;Livré;\n"
    )
    .into_bytes()
}

#[test]
fn deliveries_are_recorded_followed_and_their_note_applied() {
    let site = Site::demo();
    let server = site.serve(&[]);
    let mut lead = server.login("lead");
    let list = lead.get("/deliveries");
    assert_eq!(list.status, 200, "{}", list.body);
    assert!(list.body.contains("id=\"delivery-LIV-1.0\""));
    assert!(list.body.contains("id=\"delivery-LIV-1.1\""));
    assert!(list.body.contains("id=\"new-delivery-form\""));

    // A wrong date: refused, nothing recorded, what was typed is kept.
    let fields = [
        ("ref", "LIV-1.2"),
        ("version", "1.2.0"),
        ("vendor", "Pacific Logiciels SARL"),
        ("planned", "2026-04-10"),
        ("delivered", "le 15 avril"),
        ("fixes", "FA-004"),
        ("documents", "Notes de version 1.2\nDossier d'exploitation"),
    ];
    let r = lead.post_form("/deliveries", &fields);
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("id=\"form-error\""));
    assert!(r.body.contains("value=\"LIV-1.2\""));
    assert!(!recette(&site.db, &["delivery", "list"], None).contains("LIV-1.2"));
    // An unknown anomaly among the claims: refused whole.
    let mut bad = fields;
    bad[4] = ("delivered", "2026-04-15");
    bad[5] = ("fixes", "FA-004, FA-999");
    let r = lead.post_form("/deliveries", &bad);
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("FA-999"), "{}", r.body);
    assert!(!recette(&site.db, &["delivery", "list"], None).contains("LIV-1.2"));
    // Recorded.
    let mut good = fields;
    good[4] = ("delivered", "2026-04-15");
    let r = lead.post_form("/deliveries", &good);
    assert_eq!(r.status, 303, "{}", r.body);
    let page = lead.get(r.header("location").unwrap_or("/"));
    assert!(page.body.contains("id=\"saved-notice\""));
    assert!(page.body.contains("id=\"fix-FA-004\""));
    let d = show(&site, "LIV-1.2");
    assert_eq!(d["vendor"], "Pacific Logiciels SARL");
    assert_eq!(d["delivered_date"], "2026-04-15");
    assert_eq!(d["documents"].as_array().map(Vec::len), Some(2));
    assert_eq!(d["fixes"][0]["anomaly"], "FA-004");

    // The vendor follows it; another vendor does not see it, by any URL.
    let mut vendor = server.login("vendor");
    assert!(vendor
        .get("/deliveries")
        .body
        .contains("id=\"delivery-LIV-1.2\""));
    let mut other = server.login("other-vendor");
    let theirs = other.get("/deliveries");
    assert_eq!(theirs.status, 200);
    assert!(!theirs.body.contains("id=\"delivery-LIV"));
    assert_eq!(other.get("/deliveries/LIV-1.2").status, 404);
    assert_eq!(
        other
            .post_form("/deliveries/LIV-1.2/claims", &[("fixes", "FA-007")])
            .status,
        404
    );
    assert_eq!(
        other
            .post_form(
                "/deliveries/LIV-1.2/documents",
                &[("name", "Notes de version 1.2"), ("state", "received")]
            )
            .status,
        404
    );
    assert_eq!(
        other
            .post_multipart(
                "/deliveries/LIV-1.2/note",
                &[],
                &[("file", "b.csv", "text/csv", &note("FA-004"))]
            )
            .status,
        404
    );
    // A viewer reads, records nothing.
    let mut viewer = server.login("viewer");
    assert_eq!(viewer.get("/deliveries/LIV-1.2").status, 200);
    assert_eq!(
        viewer
            .post_form("/deliveries/LIV-1.2/claims", &[("fixes", "FA-007")])
            .status,
        403
    );

    // The vendor declares a document received; accepting it is the buyer's.
    let r = vendor.post_form(
        "/deliveries/LIV-1.2/documents",
        &[("name", "Notes de version 1.2"), ("state", "accepted")],
    );
    assert_eq!(r.status, 303);
    assert!(vendor
        .get(r.header("location").unwrap_or("/"))
        .body
        .contains("id=\"form-error\""));
    let r = vendor.post_form(
        "/deliveries/LIV-1.2/documents",
        &[
            ("name", "Notes de version 1.2"),
            ("state", "reçu"),
            ("comment", "joint au bordereau"),
        ],
    );
    assert_eq!(r.status, 303);
    let r = lead.post_form(
        "/deliveries/LIV-1.2/documents",
        &[("name", "Notes de version 1.2"), ("state", "accepted")],
    );
    assert_eq!(r.status, 303);
    let docs = show(&site, "LIV-1.2")["documents"].clone();
    assert!(
        docs.as_array().is_some_and(|l| l
            .iter()
            .any(|x| x["name"] == "Notes de version 1.2" && x["state"] == "accepted")),
        "{docs}"
    );

    // The delivery note: one with an unknown anomaly is refused whole (no apply button).
    let before = show(&site, "LIV-1.2");
    let r = vendor.post_multipart(
        "/deliveries/LIV-1.2/note",
        &[],
        &[("file", "bordereau_1.2.csv", "text/csv", &note("FA-999"))],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let plan = vendor.get(r.header("location").unwrap_or("/"));
    assert_eq!(plan.status, 422, "{}", plan.body);
    assert!(plan.body.contains("id=\"refused\""));
    assert!(plan.body.contains("FA-999"));
    assert!(!plan.body.contains("id=\"apply-form\""));
    // A good one: the plan writes nothing, "Appliquer" records it.
    let r = vendor.post_multipart(
        "/deliveries/LIV-1.2/note",
        &[],
        &[("file", "bordereau_1.2.csv", "text/csv", &note("FA-007"))],
    );
    assert_eq!(r.status, 303);
    let at = r.header("location").unwrap_or("/").to_string();
    let plan = vendor.get(&at);
    assert_eq!(plan.status, 200, "{}", plan.body);
    assert!(plan.body.contains("id=\"apply-form\""));
    assert!(plan.body.contains("FA-007"));
    assert_eq!(show(&site, "LIV-1.2"), before, "a plan writes nothing");
    // Another account cannot apply the vendor's upload.
    assert_eq!(lead.post_form(&format!("{at}/apply"), &[]).status, 404);
    let r = vendor.post_form(&format!("{at}/apply"), &[]);
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(vendor
        .get(r.header("location").unwrap_or("/"))
        .body
        .contains("id=\"saved-notice\""));
    let after = show(&site, "LIV-1.2");
    assert_eq!(after["version"], "1.2.0");
    assert!(after["fixes"]
        .as_array()
        .is_some_and(|l| l.iter().any(|f| f["anomaly"] == "FA-007")));
    assert!(after["requirements"]
        .as_array()
        .is_some_and(|l| l.iter().any(|x| x["requirement"] == "EXI-ACC-002")));
    // Applied once: the staged upload is gone.
    assert_eq!(vendor.post_form(&format!("{at}/apply"), &[]).status, 404);
    // The audit log names the vendor's account.
    let log = recette(&site.db, &["log", "--actor", "vendor", "--json"], None);
    assert!(log.contains("LIV-1.2"), "{log}");

    // A vendor records a delivery of its own only: the vendor name is its account's.
    let r = vendor.post_form(
        "/deliveries",
        &[
            ("ref", "LIV-2.0"),
            ("version", "2.0"),
            ("vendor", "Autre Éditeur SA"),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(show(&site, "LIV-2.0")["vendor"], "Pacific Logiciels SARL");
}
