//! `recette anomaly`: the lifecycle rule (only allowed moves, a comment to reopen or reject),
//! the history rows of every move (by hand, by a delivery claiming a fix, by a retest), `show`
//! with links, comments internal or shared, attachments read back by `evidence get`.

mod common;

use common::Project;
use serde_json::json;

fn with_anomaly() -> Project {
    let p = Project::small();
    p.ok(&["campaign", "add", "C1", "--all"]);
    p.ok(&[
        "anomaly",
        "add",
        "FA-1",
        "--title",
        "Le reçu n'est pas émis",
        "--severity",
        "majeure",
        "--found-in",
        "LIV-1",
        "--assignee",
        "ACME",
    ]);
    p.ok(&["run", "C1", "CT-002", "--status", "KO", "--anomaly", "FA-1"]);
    p
}

#[test]
fn only_the_moves_of_the_lifecycle_are_allowed() {
    let p = with_anomaly();
    // ouverte -> close skips the fix and its retest: refused with the allowed next statuses.
    let err = p.fails(1, &["anomaly", "edit", "FA-1", "--status", "close"]);
    assert!(
        err.contains("passage de « Ouverte » à « Close » interdit"),
        "{err}"
    );
    assert!(
        err.contains("Analysée, Corrigée, À retester, Rejetée"),
        "{err}"
    );
    let err = p
        .cmd()
        .args([
            "--lang", "en", "anomaly", "edit", "FA-1", "--status", "close",
        ])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&err.stderr).to_string();
    assert!(
        err.contains("moving from \"Open\" to \"Closed\" is not allowed"),
        "{err}"
    );
    assert!(
        err.contains("Acknowledged, Fixed, To retest, Rejected"),
        "{err}"
    );
    // Nothing changed.
    assert_eq!(p.json(&["anomaly", "show", "FA-1"])["status"], "ouverte");
    // Rejecting needs a comment; with one, it is a history row.
    let err = p.fails(1, &["anomaly", "edit", "FA-1", "--status", "rejetée"]);
    assert!(err.contains("demande un commentaire"), "{err}");
    let out = p.json(&[
        "anomaly",
        "edit",
        "FA-1",
        "--status",
        "doublon",
        "--comment",
        "Doublon de FA-0",
    ]);
    assert_eq!(out["from"], "ouverte");
    assert_eq!(out["status"], "rejetee");
    assert_eq!(out["next_statuses"], json!(["rouverte"]));
    // A rejected anomaly can only be reopened, with a comment.
    let err = p.fails(1, &["anomaly", "edit", "FA-1", "--status", "analysée"]);
    assert!(
        err.contains("statuts possibles depuis « Rejetée » : Rouverte"),
        "{err}"
    );
    let err = p.fails(1, &["anomaly", "edit", "FA-1", "--status", "rouverte"]);
    assert!(err.contains("demande un commentaire"), "{err}");
    p.ok(&[
        "anomaly",
        "edit",
        "FA-1",
        "--status",
        "rouverte",
        "--comment",
        "Pas un doublon : FA-0 portait sur l'export",
    ]);
    let d = p.json(&["anomaly", "show", "FA-1"]);
    assert_eq!(d["status"], "rouverte");
    assert_eq!(d["reopen_count"], 1);
    let moves: Vec<(String, String, String)> = d["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            (
                h["from"].as_str().unwrap_or("").to_string(),
                h["to"].as_str().unwrap().to_string(),
                h["comment"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        moves,
        vec![
            ("".into(), "ouverte".into(), "".into()),
            ("ouverte".into(), "rejetee".into(), "Doublon de FA-0".into()),
            (
                "rejetee".into(),
                "rouverte".into(),
                "Pas un doublon : FA-0 portait sur l'export".into()
            ),
        ]
    );
    assert_eq!(d["history"][0]["actor"], "testeur");
    assert_eq!(d["history"][0]["at"], "2026-03-15T09:00:00Z");
    assert_eq!(d["history"][0]["delivery"], "LIV-1");
}

#[test]
fn a_fix_and_its_retests_are_history_rows_with_delivery_and_execution() {
    let p = with_anomaly();
    p.ok(&["delivery", "add", "LIV-2", "--version", "1.1"]);
    p.ok(&["anomaly", "edit", "FA-1", "--status", "analysée"]);
    p.ok(&["delivery", "claim", "LIV-2", "--fixes", "FA-1"]);
    p.ok(&["campaign", "create", "C2", "--delivery", "LIV-2"]);
    p.ok(&["campaign", "add", "C2", "--test", "CT-002"]);
    // The retest fails: reopened, the comment names the execution.
    p.ok(&["run", "C2", "CT-002", "--status", "KO"]);
    let d = p.json(&["anomaly", "show", "FA-1"]);
    assert_eq!(d["status"], "rouverte");
    let h = d["history"].as_array().unwrap();
    let events: Vec<&str> = h.iter().map(|e| e["event"].as_str().unwrap()).collect();
    assert_eq!(events, ["create", "move", "fix_claimed", "retest_failed"]);
    assert_eq!(h[2]["delivery"], "LIV-2");
    assert_eq!(h[3]["execution"], "C2/CT-002#1");
    assert_eq!(h[3]["comment"], "retest en échec : C2/CT-002#1");
    assert_eq!(h[3]["delivery"], "LIV-2");
    // Fixed again, retested, passed: closed by the retest.
    p.ok(&["anomaly", "edit", "FA-1", "--status", "corrigée"]);
    p.ok(&["run", "C2", "CT-002", "--status", "OK"]);
    let d = p.json(&["anomaly", "show", "FA-1"]);
    assert_eq!(d["status"], "close");
    let last = d["history"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["event"], "retest_passed");
    assert_eq!(last["from"], "corrigee");
    assert_eq!(last["execution"], "C2/CT-002#2");
    // Executions that met it, and the requirements of their tests.
    assert_eq!(d["executions"].as_array().unwrap().len(), 2);
    assert_eq!(d["executions"][0]["campaign"], "C1");
    assert_eq!(d["requirements"], json!(["EXI-002"]));
    // A closed anomaly cannot be claimed fixed again without being reopened first.
    p.ok(&["delivery", "add", "LIV-3"]);
    let err = p.fails(1, &["delivery", "claim", "LIV-3", "--fixes", "FA-1"]);
    assert!(
        err.contains("statuts possibles depuis « Close » : Rouverte"),
        "{err}"
    );
    // The vendor indicators still count the retest of LIV-2 as reopening it.
    let v = p.json(&["vendor"]);
    let liv2 = v["deliveries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["ref"] == "LIV-2")
        .unwrap()
        .clone();
    assert_eq!(liv2["fixes_reopened"], 1, "{liv2}");
}

#[test]
fn edit_comments_attachments_and_show() {
    let p = with_anomaly();
    p.ok(&[
        "anomaly",
        "edit",
        "FA-1",
        "--title",
        "Reçu non émis après paiement",
        "--severity",
        "bloquante",
        "--assignee",
        "Équipe ACME",
        "--requirement",
        "EXI-001",
    ]);
    p.ok(&["anomaly", "comment", "FA-1", "--text", "Vu avec le métier"]);
    p.ok(&[
        "anomaly",
        "comment",
        "FA-1",
        "--text",
        "Merci de corriger avant le 20",
        "--shared",
    ]);
    let err = p.fails(1, &["anomaly", "comment", "FA-1", "--text", "  "]);
    assert!(err.contains("commentaire vide"), "{err}");
    std::fs::write(p.path().join("capture.png"), b"\x89PNG capture").unwrap();
    let att = p.json(&["anomaly", "attach", "FA-1", "capture.png"]);
    assert_eq!(att["file_name"], "capture.png");
    assert_eq!(att["size"], 12);
    let d = p.json(&["anomaly", "show", "FA-1"]);
    assert_eq!(d["title"], "Reçu non émis après paiement");
    assert_eq!(d["severity"], "bloquante");
    assert_eq!(d["assignee"], "Équipe ACME");
    assert_eq!(d["requirements"], json!(["EXI-001", "EXI-002"]));
    assert_eq!(d["comments"][0]["visibility"], "internal");
    assert_eq!(d["comments"][1]["visibility"], "shared");
    assert_eq!(d["evidence"][0]["sha256"], att["sha256"]);
    // Field edits are not lifecycle moves: the history has the creation only.
    assert_eq!(d["history"].as_array().unwrap().len(), 1);
    // The attachment reads back by name or hash, named by its anomaly.
    let got = p.json(&["evidence", "get", "capture.png", "--out", "copie.png"]);
    assert_eq!(got["anomaly"], "FA-1");
    assert!(got.get("execution").is_none(), "{got}");
    assert_eq!(
        std::fs::read(p.path().join("copie.png")).unwrap(),
        b"\x89PNG capture"
    );
    // The text view shows the history, the comments and their visibility.
    let out = p.ok(&["anomaly", "show", "FA-1"]);
    assert!(out.contains("Historique"), "{out}");
    assert!(out.contains("Affectée à : Équipe ACME"), "{out}");
    assert!(out.contains("(interne) : Vu avec le métier"), "{out}");
    assert!(out.contains("(partagé) : Merci de corriger"), "{out}");
    assert!(
        out.contains("Statuts possibles ensuite : Analysée, Corrigée, À retester, Rejetée"),
        "{out}"
    );
    let en = p.ok(&["--lang", "en", "anomaly", "show", "FA-1"]);
    assert!(en.contains("Allowed next statuses: Acknowledged"), "{en}");
    assert!(en.contains("(internal) : Vu avec le métier"), "{en}");
    // Unknown anomaly or requirement: refused, nothing written.
    let err = p.fails(1, &["anomaly", "show", "FA-9"]);
    assert!(err.contains("FA-9"), "{err}");
    let err = p.fails(
        1,
        &[
            "anomaly",
            "edit",
            "FA-1",
            "--requirement",
            "EXI-9",
            "--title",
            "X",
        ],
    );
    assert!(err.contains("EXI-9"), "{err}");
    assert_eq!(
        p.json(&["anomaly", "show", "FA-1"])["title"],
        "Reçu non émis après paiement"
    );
}

#[test]
fn the_vendor_reader_never_sees_internal_comments() {
    let p = with_anomaly();
    p.ok(&["anomaly", "comment", "FA-1", "--text", "Interne"]);
    p.ok(&[
        "anomaly", "comment", "FA-1", "--text", "Partagé", "--shared",
    ]);
    let ctx = recette::store::Context {
        actor: "web".into(),
        fixed_now: Some("2026-03-15T09:00:00Z".into()),
    };
    let store = recette::store::Store::open(&p.db(), ctx).unwrap();
    let d =
        recette::ops::anomaly::show(&store, "FA-1", recette::ops::anomaly::Reader::Vendor).unwrap();
    let texts: Vec<&str> = d.comments.iter().map(|c| c.text.as_str()).collect();
    assert_eq!(texts, ["Partagé"]);
    let d =
        recette::ops::anomaly::show(&store, "FA-1", recette::ops::anomaly::Reader::Buyer).unwrap();
    assert_eq!(d.comments.len(), 2);
}

#[test]
fn a_workbook_moves_anomalies_through_the_same_lifecycle() {
    let p = with_anomaly();
    p.ok(&[
        "anomaly",
        "add",
        "FA-2",
        "--title",
        "Libellé tronqué",
        "--severity",
        "mineure",
    ]);
    let wb = p.path().join("suivi.xlsx");
    common::write_xlsx(
        &wb,
        &[(
            "Anomalies",
            vec![
                vec!["Référence", "Intitulé", "Sévérité", "Statut"],
                vec!["FA-1", "Le reçu n'est pas émis", "majeure", "Analysée"],
                vec!["FA-2", "Libellé tronqué", "mineure", "Close"],
            ],
        )],
    );
    // ouverte -> close is refused for FA-2: the whole import is refused, naming the row.
    let err = p.fails(1, &["import", "suivi.xlsx"]);
    assert!(err.contains("ligne 3"), "{err}");
    assert!(
        err.contains("passage de « Ouverte » à « Close » interdit"),
        "{err}"
    );
    assert_eq!(p.json(&["anomaly", "show", "FA-1"])["status"], "ouverte");
    // With --partial the refused row is skipped and the other applied, as an import row.
    p.ok(&["import", "suivi.xlsx", "--partial"]);
    let d = p.json(&["anomaly", "show", "FA-1"]);
    assert_eq!(d["status"], "analysee");
    let last = d["history"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["event"], "import");
    assert!(
        last["comment"].as_str().unwrap().contains("suivi.xlsx"),
        "{last}"
    );
    assert_eq!(p.json(&["anomaly", "show", "FA-2"])["status"], "ouverte");
}

/// The demo shows an anomaly's full history and campaigns started on their entry criteria.
#[test]
fn the_demo_has_an_anomaly_with_its_full_history() {
    let p = Project::empty();
    let out = p.dir.path().join("demo");
    let o = p
        .cmd()
        .args(["demo", "--out", out.to_str().unwrap()])
        .env_remove("RECETTE_NOW")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let db = out.join("recette.db");
    let show = |args: &[&str]| -> serde_json::Value {
        let o = p
            .cmd()
            .env("RECETTE_DB", &db)
            .args(args)
            .arg("--json")
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        serde_json::from_slice(&o.stdout).unwrap()
    };
    let d = show(&["anomaly", "show", "FA-002"]);
    let steps: Vec<(&str, &str)> = d["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| (h["event"].as_str().unwrap(), h["to"].as_str().unwrap()))
        .collect();
    assert_eq!(
        steps,
        [
            ("create", "ouverte"),
            ("move", "analysee"),
            ("fix_claimed", "a_retester"),
            ("move", "rouverte"),
            ("move", "corrigee"),
            ("retest_passed", "close"),
        ]
    );
    assert!(!d["history"][3]["comment"].as_str().unwrap().is_empty());
    assert_eq!(d["history"][5]["execution"], "VABF-2/CT-CES-004#1");
    assert_eq!(d["assignee"], "Titulaire — équipe cessions");
    assert_eq!(d["reopen_count"], 1);
    assert_eq!(d["comments"].as_array().unwrap().len(), 2);
    let c1 = show(&["campaign", "show", "VABF-1"]);
    assert_eq!(c1["campaign"]["state"], "started");
    assert_eq!(c1["campaign"]["start_forced"], false);
    let c2 = show(&["campaign", "show", "VABF-2"]);
    assert_eq!(c2["campaign"]["start_forced"], true);
}
