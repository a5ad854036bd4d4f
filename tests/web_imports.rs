//! Imports by upload in the team workspace (`/imports`): the dry-run plan first (counts by
//! sheet, refused rows with their cell), nothing written before "Appliquer", then the import
//! applied whole; a vendor imports only result files of its own deliveries.

#[path = "common/web.rs"]
mod web;

use std::path::Path;

use web::{recette, Client, Site};

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

fn fixture(rel: &str) -> Vec<u8> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(rel);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// What the store holds, as the CLI lists it.
fn store_state(site: &Site) -> String {
    let mut out = recette(&site.db, &["req", "list", "--json"], None);
    out.push_str(&recette(&site.db, &["test", "list", "--json"], None));
    out
}

/// Uploads files, expects the redirect to the plan and returns its path.
fn upload(c: &mut Client, fields: &[(&str, &str)], files: &[(&str, &str, &str, &[u8])]) -> String {
    let r = c.post_multipart("/imports", fields, files);
    assert_eq!(r.status, 303, "{}", r.body);
    let to = r.header("location").expect("location").to_string();
    assert!(
        to.starts_with("/imports/") && to.len() == "/imports/".len() + 32,
        "{to}"
    );
    to
}

/// The number in the element of id `id`.
fn count(body: &str, id: &str) -> u64 {
    let marker = format!("id=\"{id}\">");
    let at = body
        .find(&marker)
        .unwrap_or_else(|| panic!("{id} not in page"))
        + marker.len();
    let end = body[at..].find('<').expect("end") + at;
    body[at..end].trim().parse().expect("number")
}

#[test]
fn the_plan_writes_nothing_and_apply_imports_the_workbook() {
    let site = Site::demo();
    let server = site.serve(&[]);
    let mut c = server.login("lead");
    let form = c.get("/imports");
    assert_eq!(form.status, 200);
    assert!(form.body.contains("enctype=\"multipart/form-data\""));
    let before = store_state(&site);
    let v2 = fixture("vendor/cahier_immatriculation_v2.xlsx");
    let plan = upload(
        &mut c,
        &[("campaign", "VABF-2"), ("partial", "1")],
        &[("files", "cahier_immatriculation_v2.xlsx", XLSX, &v2)],
    );
    let page = c.get(&plan);
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("id=\"plan-note\""), "{}", page.body);
    assert_eq!(count(&page.body, "total-created"), 8);
    assert_eq!(count(&page.body, "total-updated"), 11);
    assert_eq!(count(&page.body, "total-unchanged"), 3);
    assert_eq!(count(&page.body, "total-skipped"), 2);
    // By sheet, each refused row with its place.
    assert!(page.body.contains("<td>Exigences</td>"), "{}", page.body);
    assert!(page
        .body
        .contains("cahier_immatriculation_v2.xlsx › Anomalies › ligne 2"));
    assert!(page
        .body
        .contains("passage de « Close » à « Ouverte » interdit"));
    assert!(page.body.contains("id=\"apply\""));
    // Planning again changes nothing either.
    assert_eq!(c.get(&plan).status, 200);
    assert_eq!(store_state(&site), before, "nothing written by the plan");
    let done = c.post_form(&format!("{plan}/apply"), &[]);
    assert_eq!(done.status, 200, "{}", done.body);
    assert!(done.body.contains("Import appliqué"));
    assert_eq!(count(&done.body, "total-updated"), 11);
    assert_ne!(store_state(&site), before, "applied");
    let log = recette(&site.db, &["log"], None);
    assert!(log.contains("lead"), "the account is the actor: {log}");
    // The staged upload is gone once applied; the same file again plans no change.
    assert_eq!(c.get(&plan).status, 404);
    let again = upload(
        &mut c,
        &[("campaign", "VABF-2"), ("partial", "1")],
        &[("files", "cahier_immatriculation_v2.xlsx", XLSX, &v2)],
    );
    let page = c.get(&again);
    assert_eq!(count(&page.body, "total-created"), 0, "{}", page.body);
    assert_eq!(count(&page.body, "total-updated"), 0);
}

#[test]
fn a_refused_workbook_shows_its_cells_and_cannot_be_applied() {
    let site = Site::demo();
    let server = site.serve(&["--lang", "fr"]);
    let mut c = server.login("lead");
    let before = store_state(&site);
    let bad = fixture("vendor/cahier_errone.xlsx");
    let plan = upload(&mut c, &[], &[("files", "cahier_errone.xlsx", XLSX, &bad)]);
    let page = c.get(&plan);
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("id=\"rejected\""));
    assert!(!page.body.contains("id=\"apply\""), "no apply button");
    assert!(
        page.body
            .contains("cellule C (Criticité) : criticité inconnue « peut-être »"),
        "{}",
        page.body
    );
    let r = c.post_form(&format!("{plan}/apply"), &[]);
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(store_state(&site), before);
    // Without files, or without its CSRF token, nothing is staged.
    let r = c.post_multipart("/imports", &[], &[]);
    assert_eq!(r.status, 422);
    assert!(r.body.contains("champ « files »"));
}

#[test]
fn another_account_never_reaches_an_upload() {
    let site = Site::demo();
    let server = site.serve(&[]);
    let mut lead = server.login("lead");
    let bad = fixture("vendor/cahier_errone.xlsx");
    let plan = upload(
        &mut lead,
        &[],
        &[("files", "cahier_errone.xlsx", XLSX, &bad)],
    );
    let mut admin = server.login("admin");
    assert_eq!(admin.get(&plan).status, 404);
    assert_eq!(admin.post_form(&format!("{plan}/apply"), &[]).status, 404);
    assert_eq!(lead.get(&plan).status, 200);
}

#[test]
fn a_vendor_imports_results_of_its_own_delivery_only() {
    let site = Site::demo();
    let server = site.serve(&[]);
    let junit = fixture("demo/junit-vabf2-ci.xml");
    let mut v = server.login("vendor");
    let form = v.get("/imports");
    assert_eq!(form.status, 200);
    assert!(form.body.contains("id=\"nav-imports\""));
    // Not a workbook.
    let wb = fixture("vendor/cahier_immatriculation_v2.xlsx");
    let r = v.post_multipart(
        "/imports",
        &[("delivery", "LIV-1.1")],
        &[("files", "cahier.xlsx", XLSX, &wb)],
    );
    assert_eq!(r.status, 403, "{}", r.body);
    // Not without its delivery, nor another vendor's.
    let r = v.post_multipart("/imports", &[], &[("files", "ci.xml", "text/xml", &junit)]);
    assert_eq!(r.status, 422);
    let mut other = server.login("other-vendor");
    let r = other.post_multipart(
        "/imports",
        &[("delivery", "LIV-1.1")],
        &[("files", "ci.xml", "text/xml", &junit)],
    );
    assert_eq!(r.status, 422, "{}", r.body);
    let r = v.post_multipart(
        "/imports",
        &[("delivery", "LIV-1.1"), ("campaign", "VABF-1")],
        &[("files", "ci.xml", "text/xml", &junit)],
    );
    assert_eq!(r.status, 422, "VABF-1 runs on LIV-1.0: {}", r.body);
    // Its own delivery's results: planned, then applied into IMPORT-LIV-1.1.
    let plan = upload(
        &mut v,
        &[("delivery", "LIV-1.1")],
        &[("files", "ci.xml", "text/xml", &junit)],
    );
    let page = v.get(&plan);
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("id=\"automated-summary\""));
    assert!(page.body.contains("IMPORT-LIV-1.1"));
    let list = recette(&site.db, &["campaign", "list"], None);
    assert!(
        !list.contains("IMPORT-LIV-1.1"),
        "nothing before apply: {list}"
    );
    let done = v.post_form(&format!("{plan}/apply"), &[]);
    assert_eq!(done.status, 200, "{}", done.body);
    let list = recette(&site.db, &["campaign", "list"], None);
    assert!(list.contains("IMPORT-LIV-1.1"), "{list}");
    // Testers and viewers do not import.
    for name in ["marie", "viewer"] {
        let mut c = server.login(name);
        assert_eq!(c.get("/imports").status, 403, "{name}");
    }
}
