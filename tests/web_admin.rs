//! The admin's pages over HTTP against the real binary: an admin creates a tester in the
//! browser form (a refused form keeps what was typed), the tester logs in and works, the admin
//! changes a role, resets a password, disables and enables an account; the last enabled admin
//! can be neither demoted nor disabled (in the page and by `recette user`); the audit log page
//! names who did what, filtered by author.

#[path = "common/web.rs"]
mod web;

use web::{recette, Site};

const NEW_PASSWORD: &str = "mot-de-passe-neuf";

#[test]
fn an_admin_manages_accounts_in_the_browser() {
    let site = Site::demo();
    let server = site.serve(&[]);
    let mut admin = server.login("admin");
    let page = admin.get("/admin/users");
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("id=\"user-marie\""));
    assert!(page.body.contains("id=\"new-user-form\""));
    assert!(
        page.body.contains("id=\"nav-adminusers\""),
        "in the navigation"
    );

    // Two different passwords: refused, nothing created, what was typed is kept (but the
    // passwords), the field is named.
    let r = admin.post_form(
        "/admin/users",
        &[
            ("name", "lucie"),
            ("full_name", "Lucie Wahnyamalla"),
            ("role", "tester"),
            ("lang", "fr"),
            ("password", NEW_PASSWORD),
            ("password2", "autre chose"),
        ],
    );
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("id=\"form-error\""));
    assert!(r.body.contains("mot de passe"), "{}", r.body);
    assert!(r.body.contains("value=\"Lucie Wahnyamalla\""));
    assert!(!r.body.contains(NEW_PASSWORD));
    assert!(!recette(&site.db, &["user", "list"], None).contains("lucie"));
    // A vendor account without its vendor, a bad name, a short password: refused.
    for (name, role, password, expected) in [
        ("titulaire2", "vendor", NEW_PASSWORD, "titulaire"),
        ("lucie w", "tester", NEW_PASSWORD, "nom de compte invalide"),
        ("lucie", "tester", "court", "trop court"),
    ] {
        let r = admin.post_form(
            "/admin/users",
            &[
                ("name", name),
                ("role", role),
                ("lang", "fr"),
                ("password", password),
                ("password2", password),
            ],
        );
        assert_eq!(r.status, 422, "{name}: {}", r.body);
        assert!(r.body.contains(expected), "{name}: {}", r.body);
    }

    // Created.
    let r = admin.post_form(
        "/admin/users",
        &[
            ("name", "lucie"),
            ("full_name", "Lucie Wahnyamalla"),
            ("role", "tester"),
            ("lang", "fr"),
            ("password", NEW_PASSWORD),
            ("password2", NEW_PASSWORD),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let after = admin.get(r.header("location").unwrap_or("/"));
    assert!(after.body.contains("id=\"saved-notice\""));
    assert!(after.body.contains("id=\"user-lucie\""));
    // The same name again: refused (409), nothing changed.
    let again = admin.post_form(
        "/admin/users",
        &[
            ("name", "lucie"),
            ("role", "viewer"),
            ("lang", "fr"),
            ("password", NEW_PASSWORD),
            ("password2", NEW_PASSWORD),
        ],
    );
    assert_eq!(again.status, 422, "{}", again.body);
    let list = recette(&site.db, &["user", "list", "--json"], None);
    let list: serde_json::Value = serde_json::from_str(&list).expect("json");
    let lucie = list
        .as_array()
        .and_then(|l| l.iter().find(|u| u["name"] == "lucie").cloned())
        .expect("lucie listed by the CLI");
    assert_eq!(lucie["role"], "tester");
    assert_eq!(lucie["full_name"], "Lucie Wahnyamalla");

    // The new tester logs in and sees the tester's pages, not the admin's.
    let mut lucie = server.client();
    assert_eq!(lucie.login("lucie", NEW_PASSWORD).status, 303);
    assert_eq!(lucie.get("/my-tests").status, 200);
    assert_eq!(lucie.get("/admin/users").status, 403);
    let r = lucie.post_form(
        "/admin/users",
        &[("name", "x"), ("role", "admin"), ("lang", "fr")],
    );
    assert_eq!(r.status, 403, "a tester creates no account");

    // Role change (the account's sessions end: it logs in again with its new role).
    let r = admin.post_form("/admin/users/lucie/role", &[("role", "lead")]);
    assert_eq!(r.status, 303);
    assert!(admin
        .get(r.header("location").unwrap_or("/"))
        .body
        .contains("id=\"saved-notice\""));
    assert_eq!(lucie.get("/my-tests").status, 303, "session ended");
    let mut lucie = server.client();
    assert_eq!(lucie.login("lucie", NEW_PASSWORD).status, 303);
    assert_eq!(lucie.get("/dashboard").status, 200);
    // A vendor needs its vendor's name.
    let r = admin.post_form("/admin/users/lucie/role", &[("role", "vendor")]);
    assert_eq!(r.status, 303);
    assert!(admin
        .get(r.header("location").unwrap_or("/"))
        .body
        .contains("id=\"change-error\""));

    // Password reset: the old one stops working.
    let r = admin.post_form(
        "/admin/users/lucie/password",
        &[("password", "encore-un-autre")],
    );
    assert_eq!(r.status, 303);
    assert_eq!(
        server.client().login("lucie", NEW_PASSWORD).status,
        401,
        "old password refused"
    );
    assert_eq!(
        server.client().login("lucie", "encore-un-autre").status,
        303
    );

    // Disabled: no login; enabled again: login.
    let r = admin.post_form("/admin/users/lucie/state", &[("disabled", "1")]);
    assert_eq!(r.status, 303);
    assert_eq!(
        server.client().login("lucie", "encore-un-autre").status,
        401
    );
    let r = admin.post_form("/admin/users/lucie/state", &[("disabled", "0")]);
    assert_eq!(r.status, 303);
    assert_eq!(
        server.client().login("lucie", "encore-un-autre").status,
        303
    );

    // The last enabled admin stays one, in the page...
    for (path, field, value) in [
        ("/admin/users/admin/role", "role", "lead"),
        ("/admin/users/admin/state", "disabled", "1"),
    ] {
        let r = admin.post_form(path, &[(field, value)]);
        assert_eq!(r.status, 303);
        let back = admin.get(r.header("location").unwrap_or("/"));
        assert!(back.body.contains("id=\"change-error\""), "{path}");
        assert!(
            back.body.contains("dernier compte administrateur"),
            "{path}"
        );
    }
    assert_eq!(admin.get("/admin/users").status, 200, "still admin");
    // ... and at the terminal.
    let out = std::process::Command::new(web::bin())
        .args(["--db"])
        .arg(&site.db)
        .args(["user", "disable", "admin"])
        .output()
        .expect("recette");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("dernier compte administrateur"));
    // An unknown account: 404.
    assert_eq!(
        admin
            .post_form("/admin/users/personne/state", &[("disabled", "1")])
            .status,
        404
    );

    // The audit log names the admin for the account changes, filtered by author.
    let log = admin.get("/audit?actor=admin&entity=compte");
    assert_eq!(log.status, 200, "{}", log.body);
    assert!(log.body.contains("<td>lucie</td>"), "{}", log.body);
    assert!(log.body.contains("<td class=\"actor\">admin</td>"));
    assert!(!log.body.contains("<td class=\"actor\">lead</td>"));
    let cli = recette(
        &site.db,
        &["log", "--actor", "admin", "--entity", "compte", "--json"],
        None,
    );
    let cli: serde_json::Value = serde_json::from_str(&cli).expect("json");
    let rows = log.body.matches("<tr id=\"audit-").count();
    assert_eq!(Some(rows), cli.as_array().map(Vec::len), "the same entries");
    // A vendor does not read the audit log.
    assert_eq!(server.login("vendor").get("/audit").status, 403);
}
