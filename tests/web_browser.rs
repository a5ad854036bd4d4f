//! The tester's whole flow in a real browser (headless Chromium through ChromeDriver): log in,
//! open "Mes tests", run a test step by step with an actual result, evidence and an anomaly
//! created on the spot, then save (conflicts are tested over HTTP in web_tester.rs). The store
//! is read back with the CLI: the execution is the tester's, as the audit log says. With `RECETTE_SCREENSHOTS=docs/screenshots` the pages are saved for the README.

mod common;
#[path = "common/web.rs"]
mod web;

use common::browser::Browser;
use web::{recette, Site, PASSWORD};

fn login(b: &Browser, base: &str, user: &str) {
    b.goto(&format!("{base}/login"));
    b.save_screenshot("01-connexion.png");
    login_as(b, base, user, "Mes tests");
}

/// Logs in (after logging out whoever was) and waits for `landing` to show.
fn login_as(b: &Browser, base: &str, user: &str, landing: &str) {
    // Whoever was logged in logs out with the button of every page.
    if b.try_find("#logout").is_some() {
        b.click_css("#logout");
        b.find("#login-submit");
    }
    b.goto(&format!("{base}/login"));
    b.fill("#user", user);
    b.fill("#password", PASSWORD);
    b.click_css("#login-submit");
    b.wait_for_text(landing);
}

/// Chooses the option `value` of a select.
fn choose(b: &Browser, select: &str, value: &str) {
    b.click_css(&format!("{select} option[value=\"{value}\"]"));
}

/// On the open execution page: the first step (or the test itself, when it has no steps)
/// gets `first`, every other step passes. Returns the number of steps.
fn set_result(b: &Browser, first: &str) -> usize {
    let steps = b.find_all("select[id^=\"step-\"][id$=\"-status\"]").len();
    if steps == 0 {
        choose(b, "#status", first);
    }
    for i in 1..=steps {
        choose(
            b,
            &format!("#step-{i}-status"),
            if i == 1 { first } else { "passed" },
        );
    }
    steps
}

/// The test of the open execution page, from its URL.
fn test_of_page(b: &Browser) -> String {
    b.url()
        .rsplit('/')
        .next()
        .and_then(|s| s.split('?').next())
        .unwrap_or_default()
        .to_string()
}

/// On the open campaign page: every test given to `who`.
fn assign_all_to(b: &Browser, who: &str) {
    b.click_css("#assign summary");
    b.click_css("#a-scope-all");
    b.click_css("#a-mode-to");
    b.fill("#a-to", who);
    b.click_css("#assign-submit");
    b.find("#assign-notice");
}

#[test]
fn a_tester_runs_a_test_in_the_browser_with_evidence_and_an_anomaly() {
    let Some(b) = Browser::start() else { return };
    let site = Site::demo();
    let server = site.serve(&[]);
    login(&b, &server.base, "marie");

    // Mes tests: the campaign spread to marie, each test a link to its execution page.
    b.goto(&format!("{}/my-tests", server.base));
    b.find("#campaign-WEB-1");
    b.save_screenshot("02-mes-tests.png");
    let first = b.find("#campaign-WEB-1 a.run-link[href*=\"/tests/CT-\"]");
    let label = b.text_of(&first);
    b.click(&first);
    b.find("#execution-form");
    let url = b.url();
    let test_ref = test_of_page(&b);
    assert!(!test_ref.is_empty(), "test ref in the URL: {url}");
    assert!(label.contains(&test_ref), "{label} / {test_ref}");

    // Steps: the first one fails with what was seen, the others pass (a test without steps
    // takes its status directly).
    if set_result(&b, "failed") > 0 {
        b.fill("#step-1-actual", "Message « montant invalide » affiché");
    }
    b.fill("#comment", "Essai depuis le navigateur : montant invalide");
    // Evidence from the file picker.
    let shot = site.dir.path().join("capture.txt");
    std::fs::write(&shot, "journal de l'écran\n").unwrap();
    let input = b.find("#evidence");
    b.type_into(&input, shot.to_str().unwrap());
    // An anomaly created on the spot.
    b.fill("#anomaly_title", "Montant refusé à tort");
    choose(&b, "#anomaly_severity", "majeure");
    b.save_screenshot("03-execution.png");
    b.click_css("#save");
    // The notice of the saved attempt (the status words are in the form already).
    b.find("#saved-notice");
    b.wait_for_text("Essai enregistré");

    let shown = recette(
        &site.db,
        &["execution", "show", "WEB-1", &test_ref, "--json"],
        None,
    );
    let v: serde_json::Value = serde_json::from_str(&shown).unwrap();
    let attempts = v["attempts"]
        .as_array()
        .or(v.as_array())
        .cloned()
        .unwrap_or_default();
    let last = attempts.last().unwrap_or(&v).clone();
    assert_eq!(last["status"], "failed", "{shown}");
    assert!(shown.contains("montant invalide"), "{shown}");
    assert!(shown.contains("capture.txt"), "{shown}");
    assert!(
        shown.contains("Marie Wamytan") || shown.contains("marie"),
        "{shown}"
    );
    let anomalies = recette(&site.db, &["anomaly", "list", "--json"], None);
    assert!(anomalies.contains("Montant refusé à tort"), "{anomalies}");
    let log = recette(&site.db, &["log", "--json"], None);
    assert!(log.contains("\"marie\""), "the audit log names the tester");

    // A conflict: marie has the test open again while sylvie records a result for it (through
    // the API, as another screen would); marie's save is refused, her entry is kept in the
    // form, the other result is shown, and saving again keeps both attempts.
    b.goto(&url);
    b.find("#execution-form");
    let mut sylvie = web::Client::with_token(&server.base, &server.token("sylvie"));
    let r = sylvie.post_json(
        "/api/v1/campaigns/WEB-1/executions",
        &serde_json::json!({"test": test_ref, "status": "blocked", "comment": "Serveur de test arrêté"}),
    );
    assert!(r.status < 300, "{}", r.body);
    set_result(&b, "passed");
    b.fill("#comment", "Rejoué : conforme");
    b.click_css("#save");
    b.find("#conflict");
    let text = b.text();
    assert!(
        text.contains("Serveur de test arrêté"),
        "the other result is shown:\n{text}"
    );
    assert_eq!(
        b.property(&b.find("#comment"), "value").as_str(),
        Some("Rejoué : conforme"),
        "the entry is kept"
    );
    b.save_screenshot("07-conflit.png");
    b.click_css("#save");
    b.wait_for_text("Essai enregistré");
    let shown = recette(
        &site.db,
        &["execution", "show", "WEB-1", &test_ref, "--json"],
        None,
    );
    let v: serde_json::Value = serde_json::from_str(&shown).expect("json");
    let attempts = v.as_array().cloned().unwrap_or_default();
    let statuses: Vec<&str> = attempts
        .iter()
        .filter_map(|a| a["status"].as_str())
        .collect();
    assert_eq!(statuses, ["failed", "blocked", "passed"], "{shown}");
}

#[test]
fn the_lead_triages_an_anomaly_and_the_vendor_declares_its_fix_in_the_browser() {
    let Some(b) = Browser::start() else { return };
    let site = Site::demo();
    let server = site.serve(&[]);
    let base = &server.base;
    b.goto(&format!("{base}/login"));
    login_as(&b, base, "lead", "Tableau de bord");

    // The dashboard follows the testers live: an execution recorded elsewhere shows up on
    // the open page without reloading it (htmx refresh every 15 s).
    let web1 = || {
        b.script(
            "const e = document.getElementById('campaign-WEB-1'); return e ? e.innerText : '';",
            serde_json::json!([]),
        )
        .as_str()
        .unwrap_or_default()
        .to_string()
    };
    let before = web1();
    assert!(before.contains("0 exécuté(s) sur"), "{before}");
    b.save_screenshot("06-tableau-de-bord.png");
    web::Client::record_first_assigned(
        base,
        &server.token("marie"),
        "marie",
        "WEB-1",
        serde_json::json!({"status": "failed", "comment": "vu en direct"}),
    );
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(25);
    while !web1().contains("1 exécuté(s) sur") {
        assert!(
            std::time::Instant::now() < deadline,
            "the dashboard did not refresh: {}",
            web1()
        );
        std::thread::sleep(std::time::Duration::from_millis(250));
    }

    // The list from the navigation bar, filtered on open anomalies.
    b.click_css("nav a[href=\"/anomalies\"]");
    b.wait_for_text("anomalie(s) affichée(s)");
    b.click_css("#f-open");
    b.click_css("#filter-submit");
    b.wait_for_text("3 anomalie(s) affichée(s) sur 7");
    b.save_screenshot("04-anomalies.png");
    b.click_css("#anomaly-FA-004 a");
    b.wait_for_text("Qualifier");
    choose(&b, "#t-status", "analysee");
    choose(&b, "#t-severity", "majeure");
    b.fill("#t-assignee", "Pacific");
    b.fill(
        "#t-comment",
        "Reproduit sur LIV-1.0, à corriger pour LIV-1.1",
    );
    b.click_css("#triage-submit");
    b.wait_for_text("Anomalie mise à jour.");
    assert_eq!(b.text_of(&b.find("#status")), "Analysée");
    // An internal comment, which the vendor will not see.
    b.fill("#c-comment", "Pénalités de retard à prévoir");
    b.click_css("#comment-submit");
    b.wait_for_text("Commentaire ajouté.");

    // The vendor: the anomaly given to it, without the internal comment; declares the fix.
    login_as(&b, base, "vendor", "Campagnes");
    b.goto(&format!("{base}/anomalies/FA-004"));
    b.wait_for_text("Déclarer la correction");
    let text = b.text();
    assert!(text.contains("Reproduit sur LIV-1.0"), "{text}");
    assert!(
        !text.contains("Pénalités"),
        "internal comment shown to the vendor:\n{text}"
    );
    assert!(b.try_find("#triage-form").is_none());
    choose(&b, "#x-fixed-in", "LIV-1.1");
    b.fill("#x-comment", "Contrôle du montant corrigé");
    b.save_screenshot("05-anomalie-titulaire.png");
    b.click_css("#fix-submit");
    b.wait_for_text("Correction déclarée.");
    assert_eq!(b.text_of(&b.find("#status")), "Corrigée");
    assert_eq!(b.text_of(&b.find("#fixed-in")), "LIV-1.1");

    let shown = recette(&site.db, &["anomaly", "show", "FA-004", "--json"], None);
    let v: serde_json::Value = serde_json::from_str(&shown).expect("json");
    assert_eq!(v["status"], "corrigee", "{shown}");
    let actors: Vec<&str> = v["history"]
        .as_array()
        .map(|h| h.iter().filter_map(|e| e["actor"].as_str()).collect())
        .unwrap_or_default();
    assert!(
        actors.contains(&"lead") && actors.contains(&"vendor"),
        "{actors:?}"
    );
}

#[test]
fn three_accounts_play_a_retest_to_a_signed_pv_in_the_browser() {
    let Some(b) = Browser::start() else { return };
    let site = Site::demo();
    let server = site.serve(&[]);
    let base = &server.base;
    b.goto(&format!("{base}/login"));

    // The lead imports the vendor's workbook by upload: the plan first (two anomaly rows are
    // refused: their status moves break the lifecycle), then "Appliquer" for the valid rows.
    login_as(&b, base, "lead", "Tableau de bord");
    b.click_css("nav a[href=\"/imports\"]");
    b.find("#import-form");
    let workbook = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/vendor/cahier_immatriculation_v2.xlsx");
    let input = b.find("#files");
    b.type_into(&input, workbook.to_str().expect("utf-8"));
    b.fill("#delivery", "LIV-1.1");
    b.click_css("#partial");
    b.click_css("#upload");
    b.find("#plan-note");
    b.wait_for_text("passage de « Close » à « Ouverte » interdit");
    b.save_screenshot("09-plan-import.png");
    let before = recette(&site.db, &["test", "list", "--json"], None);
    b.click_css("#apply");
    b.find("#applied-note");
    let after = recette(&site.db, &["test", "list", "--json"], None);
    assert_ne!(before, after, "the workbook's test cases are recorded");
    assert!(
        after.contains("Lot 2") || after.len() > before.len(),
        "the two new test cases"
    );

    // The lead plans the retest campaign of LIV-1.1: the selection and its reasons first.
    b.goto(&format!("{base}/campaigns"));
    b.click_css("#plan-retest");
    b.find("#retest-form");
    b.fill("#r-ref", "VABF-3");
    choose(&b, "#r-delivery", "LIV-1.1");
    b.click_css("#preview-submit");
    b.find("#plan");
    b.wait_for_text("sélectionné(s) pour VABF-3");
    b.click_css("#create-submit");
    b.find("#campaign-title");
    b.wait_for_text("VABF-3");
    // ... and gives every test to marie.
    assign_all_to(&b, "marie");

    // Marie runs her first test of it.
    login_as(&b, base, "marie", "Mes tests");
    b.goto(&format!("{base}/my-tests"));
    let first = b.find("#campaign-VABF-3 a.run-link");
    b.click(&first);
    b.find("#execution-form");
    set_result(&b, "passed");
    b.click_css("#save");
    b.find("#saved-notice");

    // The lead signs the PV with a reservation, after checking what will be frozen.
    login_as(&b, base, "lead", "Tableau de bord");
    b.goto(&format!("{base}/campaigns/VABF-3/verdict"));
    b.click_css("#signoff-link");
    b.find("#signoff-form");
    choose(&b, "#s-decision", "reserves");
    b.fill("#s-reserves", "Manuel utilisateur à mettre à jour");
    b.click_css("#preview-submit");
    b.find("#confirm");
    b.wait_for_text("Vérifiez ce qui sera figé");
    b.save_screenshot("07-signature.png");
    b.click_css("#sign-submit");
    b.find("#signed-notice");

    // The vendor follows the reservation of its delivery.
    login_as(&b, base, "vendor", "Campagnes");
    b.click_css("nav a[href=\"/reservations\"]");
    b.wait_for_text("Manuel utilisateur à mettre à jour");
    assert!(b.try_find(".lift-form").is_none(), "the vendor cannot lift");
    b.save_screenshot("08-reserves-titulaire.png");

    // The same store as the CLI path: the campaign, the execution, the sign-off.
    let shown = recette(
        &site.db,
        &[
            "campaign",
            "show",
            "VABF-3",
            "--assignee",
            "marie",
            "--json",
        ],
        None,
    );
    let v: serde_json::Value = serde_json::from_str(&shown).expect("json");
    let tests = v["tests"].as_array().cloned().unwrap_or_default();
    assert!(!tests.is_empty(), "every test given to marie: {shown}");
    assert!(tests.iter().any(|t| t["status"] == "passed"), "{shown}");
    let listed = recette(&site.db, &["reserve", "list", "--json"], None);
    assert!(
        listed.contains("Manuel utilisateur à mettre à jour"),
        "{listed}"
    );
    let log = recette(&site.db, &["log", "--json"], None);
    assert!(log.contains("\"marie\"") && log.contains("\"lead\""));
}

/// The "done when": from the demo store an admin creates a tester in the browser, the
/// lead plans a small campaign and gives it to her, she runs the whole campaign test by test
/// ("save and next": steps, evidence, an anomaly), the lead sees it done on the dashboard and
/// the audit log page names her for each execution.
#[test]
fn an_admin_creates_a_tester_who_runs_a_whole_campaign_in_the_browser() {
    let Some(b) = Browser::start() else { return };
    let site = Site::demo();
    let server = site.serve(&[]);
    let base = &server.base;
    b.goto(&format!("{base}/login"));

    // The admin creates the tester's account.
    login_as(&b, base, "admin", "Tableau de bord");
    b.click_css("nav a[href=\"/admin/users\"]");
    b.find("#new-user-form");
    b.fill("#u-name", "lucie");
    b.fill("#u-full", "Lucie Wahnyamalla");
    choose(&b, "#u-role", "tester");
    b.fill("#u-password", PASSWORD);
    b.fill("#u-password2", PASSWORD);
    b.click_css("#new-user-submit");
    b.find("#saved-notice");
    b.find("#user-lucie");
    b.save_screenshot("10-comptes.png");

    // The lead plans a three-test campaign on LIV-1.1, sees why each test is in, gives it all
    // to lucie.
    login_as(&b, base, "lead", "Tableau de bord");
    b.goto(&format!("{base}/deliveries/LIV-1.1"));
    b.click_css("#plan-campaign");
    b.find("#campaign-form");
    b.fill("#c-ref", "VSR-1");
    b.fill("#c-title", "Vérification de service régulier");
    choose(&b, "#c-phase", "vsr");
    b.fill("#s-tests", "CT-CES-001 CT-CES-002 CT-ACC-002");
    b.click_css("#preview-submit");
    b.find("#plan");
    b.wait_for_text("3 test(s) planifié(s)");
    b.save_screenshot("11-planifier-campagne.png");
    b.click_css("#create-submit");
    b.find("#campaign-title");
    assign_all_to(&b, "lucie");

    // Lucie runs the whole campaign: the first test fails with evidence and an anomaly, the
    // others pass; "save and next" takes her from one to the next.
    login_as(&b, base, "lucie", "Mes tests");
    b.goto(&format!("{base}/my-tests"));
    let first = b.find("#campaign-VSR-1 a.run-link");
    b.click(&first);
    let evidence = site.dir.path().join("ecran-cession.txt");
    std::fs::write(&evidence, "capture de l'écran de cession\n").expect("evidence");
    let mut seen: Vec<String> = Vec::new();
    for round in 0..3 {
        b.find("#execution-form");
        let test = test_of_page(&b);
        assert!(!seen.contains(&test), "{test} twice: {seen:?}");
        seen.push(test);
        let steps = set_result(&b, if round == 0 { "failed" } else { "passed" });
        if round == 0 {
            if steps > 0 {
                b.fill("#step-1-actual", "La déclaration n'est pas horodatée");
            }
            let input = b.find("#evidence");
            b.type_into(&input, evidence.to_str().expect("utf-8"));
            b.fill("#anomaly_title", "Déclaration de cession sans horodatage");
            choose(&b, "#anomaly_severity", "majeure");
        }
        if round < 2 {
            // Wait for the next test's page: the form of this one is still there a moment.
            let before = b.url();
            b.click_css("#save-next");
            for _ in 0..100 {
                if b.url() != before {
                    break;
                }
                std::thread::sleep(std::time::Duration::from_millis(100));
            }
        } else {
            b.click_css("#save");
            b.find("#saved-notice");
        }
    }

    // The lead sees the campaign done on the dashboard, and who did it in the audit log.
    login_as(&b, base, "lead", "Tableau de bord");
    b.wait_for_text("3 exécuté(s) sur 3 prévu(s)");
    b.goto(&format!("{base}/audit?actor=lucie"));
    b.find("#audit");
    let rows = b.find_all("#audit tbody tr td.actor");
    assert!(rows.len() >= 3, "lucie's executions in the audit log");
    b.save_screenshot("12-journal-audit.png");

    // The same store as the CLI path.
    let shown = recette(&site.db, &["campaign", "show", "VSR-1", "--json"], None);
    let v: serde_json::Value = serde_json::from_str(&shown).expect("json");
    let tests = v["tests"].as_array().cloned().unwrap_or_default();
    assert_eq!(tests.len(), 3, "{shown}");
    let statuses: Vec<&str> = tests.iter().filter_map(|t| t["status"].as_str()).collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == "failed").count(),
        1,
        "{shown}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == "passed").count(),
        2,
        "{shown}"
    );
    let anomalies = recette(&site.db, &["anomaly", "list", "--json"], None);
    assert!(anomalies.contains("Déclaration de cession sans horodatage"));
    let log: serde_json::Value = serde_json::from_str(&recette(
        &site.db,
        &["log", "--actor", "lucie", "--json"],
        None,
    ))
    .expect("json");
    let executions = log
        .as_array()
        .map(|l| l.iter().filter(|e| e["entity"] == "exécution").count())
        .unwrap_or(0);
    assert!(executions >= 3, "{log}");
}
