//! The lead signs a PV from the browser's forms, over HTTP against the real binary: the
//! proposed decision preselected and the lead as first signatory, a confirmation page that is
//! a dry run (nothing recorded) showing what will be frozen, then the signature recorded
//! under the lead's account, its reservations listed, its sealed PV verified by the CLI.

#[path = "common/web.rs"]
mod web;

use web::{recette, Site};

#[test]
fn the_lead_checks_then_signs_the_pv_and_the_files_verify() {
    let site = Site::demo();
    let server = site.serve(&[]);
    let mut lead = server.login("lead");
    let form = lead.get("/campaigns/VABF-2/signoff");
    assert_eq!(form.status, 200, "{}", form.body);
    assert!(
        form.body.contains("<option value=\"reserves\" selected>"),
        "proposed decision preselected"
    );
    assert!(
        form.body.contains("Pilote, pilote de recette"),
        "the lead signs"
    );
    let fields = [
        ("decision", "reserves"),
        (
            "signatories",
            "Pilote, pilote de recette\nJeanne Wapotro, directrice, DINUM-NC",
        ),
        ("vendor_signatories", "Paul Tein, chef de projet"),
        ("reserves", "Documentation d'exploitation à livrer"),
        ("comment", "Signé en COPIL"),
        ("supersede", ""),
    ];
    // The check: a dry run, nothing recorded.
    let check = lead.post_form("/campaigns/VABF-2/signoff", &fields);
    assert_eq!(check.status, 200, "{}", check.body);
    assert!(check.body.contains("id=\"confirm\""));
    assert!(check.body.contains("Jeanne Wapotro, directrice (DINUM-NC)"));
    assert!(
        check
            .body
            .contains("Documentation d&#x27;exploitation à livrer")
            || check.body.contains("Documentation d'exploitation à livrer")
    );
    assert!(
        check.body.contains("pv-VABF-2.pdf"),
        "the sealed files are listed"
    );
    let reserves = |site: &Site| -> serde_json::Value {
        serde_json::from_str(&recette(&site.db, &["reserve", "list", "--json"], None))
            .expect("json")
    };
    assert_eq!(
        reserves(&site),
        serde_json::json!([]),
        "a check records nothing"
    );
    // The signature.
    let mut confirm: Vec<(&str, &str)> = fields.to_vec();
    confirm.push(("confirm", "1"));
    let r = lead.post_form("/campaigns/VABF-2/signoff", &confirm);
    assert_eq!(r.status, 303, "{}", r.body);
    let to = r.header("location").unwrap_or_default().to_string();
    assert!(to.starts_with("/campaigns/VABF-2/verdict?signed="), "{to}");
    let page = lead.get(&to);
    assert!(page.body.contains("id=\"signed-notice\""));
    assert!(
        page.body.contains("Documentation d&#x27;exploitation")
            || page.body.contains("Documentation d'exploitation")
    );
    let listed = reserves(&site);
    let listed = listed.as_array().cloned().unwrap_or_default();
    assert!(
        listed
            .iter()
            .any(|r| r["description"] == "Documentation d'exploitation à livrer"),
        "{listed:?}"
    );
    let log = recette(&site.db, &["log", "--json"], None);
    assert!(
        log.contains("\"lead\"") && log.contains("signoff"),
        "signed under the lead's account"
    );
    // The sealed PV verifies.
    let sealed = walk(&site.db.parent().expect("store folder").join("signoffs"))
        .into_iter()
        .find(|p| p.ends_with("pv-VABF-2.pdf") && p.to_string_lossy().contains("VABF-2"))
        .expect("the sealed PV");
    let v = recette(
        &site.db,
        &["verify", sealed.to_str().expect("utf-8"), "--json"],
        None,
    );
    assert!(v.contains("VABF-2"), "{v}");
    // ... and by upload in the browser's form: the sealed bytes match, one byte changed does not.
    let bytes = std::fs::read(&sealed).expect("sealed PV");
    let ok = lead.post_multipart(
        "/verify",
        &[],
        &[("file", "pv.pdf", "application/pdf", &bytes)],
    );
    assert_eq!(ok.status, 200, "{}", ok.body);
    assert!(
        ok.body.contains("id=\"verified\"") && ok.body.contains("VABF-2"),
        "{}",
        ok.body
    );
    let mut altered = bytes.clone();
    let last = altered.len() - 1;
    altered[last] ^= 1;
    let bad = lead.post_multipart(
        "/verify",
        &[],
        &[("file", "pv.pdf", "application/pdf", &altered)],
    );
    assert!(bad.body.contains("id=\"not-verified\""), "{}", bad.body);
    let mut vendor = server.login("vendor");
    let theirs = vendor.post_multipart(
        "/verify",
        &[],
        &[("file", "pv.pdf", "application/pdf", &bytes)],
    );
    assert!(
        theirs.body.contains("id=\"verified\""),
        "the vendor checks the PV it received"
    );
    let mut other = server.login("other-vendor");
    let not_theirs = other.post_multipart(
        "/verify",
        &[],
        &[("file", "pv.pdf", "application/pdf", &bytes)],
    );
    assert!(
        not_theirs.body.contains("id=\"not-verified\"") && !not_theirs.body.contains("VABF-2"),
        "another vendor learns nothing of this PV"
    );
    assert_eq!(lead.post_multipart("/verify", &[], &[]).status, 422);
    // A second PV needs a reason; refusals say why and record nothing.
    let again = lead.post_form("/campaigns/VABF-2/signoff", &confirm);
    assert_eq!(again.status, 422, "{}", again.body);
    assert!(again.body.contains("id=\"form-error\""));
    let bad = lead.post_form(
        "/campaigns/VABF-2/signoff",
        &[("decision", "peut-etre"), ("signatories", "X, y")],
    );
    assert_eq!(bad.status, 422);
    // Only who may sign.
    assert_eq!(
        server
            .login("marie")
            .get("/campaigns/VABF-2/signoff")
            .status,
        403
    );
    assert_eq!(
        server
            .login("vendor")
            .post_form("/campaigns/VABF-2/signoff", &confirm)
            .status,
        403
    );
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(walk(&p));
            } else {
                out.push(p);
            }
        }
    }
    out
}

/// The lead edits the proposed reservations before signing: one reworded with its own
/// deadline, one left out, one added with a common deadline; the confirmation shows exactly
/// that, and the signed PV records it. A past deadline is refused, nothing signed.
#[test]
fn the_lead_edits_the_proposed_reservations_and_their_deadlines() {
    let site = Site::demo();
    let server = site.serve(&[]);
    let mut lead = server.login("lead");
    let form = lead.get("/campaigns/VABF-2/signoff");
    assert_eq!(form.status, 200, "{}", form.body);
    let proposed = form.body.matches("<tr id=\"proposed-").count();
    assert!(proposed >= 2, "{}", form.body);
    let count = proposed.to_string();
    let first_anomaly =
        web::attr_after(&form.body, "name=\"res_anomaly_0\"", "value").unwrap_or_default();
    let mut fields: Vec<(String, String)> = vec![
        ("decision".into(), "reserves".into()),
        ("signatories".into(), "Pilote, pilote de recette".into()),
        ("reserves".into(), "Manuel d'exploitation à livrer".into()),
        ("deadline".into(), "2031-06-30".into()),
        ("res_count".into(), count.clone()),
        ("res_keep_0".into(), "1".into()),
        (
            "res_desc_0".into(),
            "Correction à livrer en 1.2 et à retester".into(),
        ),
        ("res_deadline_0".into(), "2031-05-15".into()),
        ("res_anomaly_0".into(), first_anomaly.clone()),
        ("res_severity_0".into(), "majeure".into()),
    ];
    // Every other proposed one is left out (not kept).
    for i in 1..proposed {
        fields.push((format!("res_desc_{i}"), "écartée".into()));
    }
    let borrowed: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let check = lead.post_form("/campaigns/VABF-2/signoff", &borrowed);
    assert_eq!(check.status, 200, "{}", check.body);
    let confirm_table = &check.body[check
        .body
        .find("id=\"confirm-reservations\"")
        .expect("reservations")..];
    let confirm_table = &confirm_table[..confirm_table.find("</table>").unwrap_or(0)];
    assert_eq!(
        confirm_table.matches("<tr><td>RES-").count(),
        2,
        "{confirm_table}"
    );
    assert!(confirm_table.contains("2031-05-15") && confirm_table.contains("2031-06-30"));
    assert!(!confirm_table.contains("écartée"));
    // Signed as confirmed (the confirmation page carries the edited rows).
    let confirm_form = &check.body[check
        .body
        .find("id=\"confirm-form\"")
        .expect("confirm form")..];
    assert!(confirm_form.contains("name=\"res_desc_0\""));
    let mut signed = borrowed.clone();
    signed.push(("confirm", "1"));
    let r = lead.post_form("/campaigns/VABF-2/signoff", &signed);
    assert_eq!(r.status, 303, "{}", r.body);
    let listed: serde_json::Value =
        serde_json::from_str(&recette(&site.db, &["reserve", "list", "--json"], None))
            .expect("json");
    let listed = listed.as_array().cloned().unwrap_or_default();
    assert_eq!(listed.len(), 2, "{listed:?}");
    let reworded = listed
        .iter()
        .find(|r| r["description"] == "Correction à livrer en 1.2 et à retester")
        .expect("the reworded reservation");
    assert_eq!(reworded["deadline"], "2031-05-15");
    if !first_anomaly.is_empty() {
        assert_eq!(
            reworded["anomaly"],
            first_anomaly.as_str(),
            "still follows its anomaly"
        );
    }
    assert!(listed
        .iter()
        .any(|r| r["description"] == "Manuel d'exploitation à livrer"
            && r["deadline"] == "2031-06-30"));

    // A past deadline: refused with the row named, nothing signed.
    let mut past: Vec<(&str, &str)> = borrowed
        .iter()
        .map(|(k, v)| {
            if *k == "res_deadline_0" {
                (*k, "2020-01-01")
            } else {
                (*k, *v)
            }
        })
        .collect();
    past.push(("supersede", "Échéance corrigée"));
    let r = lead.post_form("/campaigns/VABF-2/signoff", &past);
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("réserve 1"), "{}", r.body);
}
