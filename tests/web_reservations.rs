//! The reservations page over HTTP against the real binary: after a PV with reservations is
//! signed, the lead and the vendor of the delivery see them (another vendor does not), the
//! lead lifts one with a comment (recorded as `recette reserve list` shows it), nobody else can.

#[path = "common/web.rs"]
mod web;

use web::{recette, Site};

#[test]
fn reservations_are_followed_by_the_vendor_and_lifted_by_the_lead() {
    let site = Site::demo();
    recette(
        &site.db,
        &[
            "signoff",
            "VABF-2",
            "--decision",
            "reserves",
            "--signatory",
            "Pilote, pilote de recette",
            "--reserve",
            "Documentation d'exploitation à livrer",
        ],
        None,
    );
    let listed: serde_json::Value =
        serde_json::from_str(&recette(&site.db, &["reserve", "list", "--json"], None))
            .expect("json");
    let all = listed.as_array().cloned().unwrap_or_default();
    assert!(!all.is_empty());
    let doc = all
        .iter()
        .find(|r| r["description"] == "Documentation d'exploitation à livrer")
        .and_then(|r| r["ref"].as_str())
        .expect("the reservation")
        .to_string();
    let server = site.serve(&[]);
    let mut lead = server.login("lead");
    let page = lead.get("/reservations");
    assert_eq!(page.status, 200, "{}", page.body);
    assert_eq!(page.body.matches("<tr id=\"res-").count(), all.len());
    assert!(page.body.contains("class=\"inline lift-form\""));
    // The vendor of LIV-1.1 follows them, without a lift button; another vendor sees none.
    let mut vendor = server.login("vendor");
    let theirs = vendor.get("/reservations");
    assert_eq!(theirs.status, 200);
    assert_eq!(theirs.body.matches("<tr id=\"res-").count(), all.len());
    assert!(!theirs.body.contains("lift-form"));
    assert_eq!(
        vendor
            .post_form(
                &format!("/reservations/{doc}/lift"),
                &[("comment", "livrée")]
            )
            .status,
        403
    );
    let other = server.login("other-vendor").get("/reservations");
    assert_eq!(other.body.matches("<tr id=\"res-").count(), 0);
    // A lift needs a reason.
    let r = lead.post_form(&format!("/reservations/{doc}/lift"), &[("comment", " ")]);
    assert_eq!(r.status, 303);
    assert!(lead
        .get(r.header("location").unwrap_or("/"))
        .body
        .contains("id=\"form-error\""));
    let r = lead.post_form(
        &format!("/reservations/{doc}/lift"),
        &[("comment", "Documentation livrée le 12")],
    );
    assert_eq!(r.status, 303);
    let after = lead.get(r.header("location").unwrap_or("/"));
    assert!(after.body.contains("id=\"lifted-notice\""));
    let listed: serde_json::Value =
        serde_json::from_str(&recette(&site.db, &["reserve", "list", "--json"], None))
            .expect("json");
    let lifted = listed
        .as_array()
        .and_then(|l| l.iter().find(|r| r["ref"] == doc.as_str()).cloned())
        .expect("listed");
    assert_eq!(lifted["lifted_by"], "lead");
    assert_eq!(lifted["lift_comment"], "Documentation livrée le 12");
    // Lifting twice is refused; an unknown one is not found.
    let r = lead.post_form(
        &format!("/reservations/{doc}/lift"),
        &[("comment", "encore")],
    );
    assert!(lead
        .get(r.header("location").unwrap_or("/"))
        .body
        .contains("id=\"form-error\""));
    assert_eq!(
        lead.post_form("/reservations/RES-999/lift", &[("comment", "x")])
            .status,
        404
    );
    assert_eq!(
        lead.get("/reservations?open=1")
            .body
            .matches("<tr id=\"res-")
            .count(),
        all.len() - 1
    );
}
