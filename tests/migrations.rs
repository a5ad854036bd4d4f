//! Migrations from every earlier schema version keep the data: a store is written at version k
//! (only the first k migrations, as release k wrote it), filled with representative rows, then
//! opened by the current build.

mod common;

use common::Project;
use recette::store::{Store, SCHEMA_VERSION};
use serde_json::Value;

/// Rows every schema version since 1 can hold (the version-1 tables).
const DATA_V1: &str = "
INSERT INTO project(key, value) VALUES ('name', 'Projet ancien');
INSERT INTO requirement(id, ref, title, description, criticality, category, status, source, revision, content_hash, created_at, updated_at)
  VALUES (1, 'EXI-001', 'Créer un dossier', 'Texte', 'critique', 'Lot 1', 'validee', 'CCTP', 2, 'h2', '2026-01-01T00:00:00Z', '2026-01-02T00:00:00Z');
INSERT INTO requirement_revision VALUES (1, 1, 'Créer', 'T', 'critique', 'h1', '2026-01-01T00:00:00Z'), (1, 2, 'Créer un dossier', 'Texte', 'critique', 'h2', '2026-01-02T00:00:00Z');
INSERT INTO test_case(id, ref, title, kind, created_at, updated_at) VALUES (1, 'CT-001', 'Création', 'manual', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');
INSERT INTO test_step(test_id, position, action, expected) VALUES (1, 1, 'Ouvrir', 'Formulaire'), (1, 2, 'Valider', 'Dossier créé');
INSERT INTO test_tag VALUES (1, 'smoke');
INSERT INTO link(requirement_id, test_id, requirement_revision, created_at) VALUES (1, 1, 1, '2026-01-01T00:00:00Z');
INSERT INTO delivery(id, ref, version, created_at) VALUES (1, 'LIV-1', '1.0', '2026-01-01T00:00:00Z');
INSERT INTO campaign(id, ref, title, delivery_id, phase, created_at) VALUES (1, 'C1', 'VABF', 1, 'vabf', '2026-01-01T00:00:00Z');
INSERT INTO campaign_test(campaign_id, test_id, position) VALUES (1, 1, 1);
INSERT INTO anomaly(id, ref, title, severity, status, found_in_delivery_id, created_at, updated_at) VALUES (1, 'FA-1', 'Bug', 'majeure', 'ouverte', 1, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');
INSERT INTO execution(id, campaign_id, test_id, attempt, status, tester, executed_at, comment, source)
  VALUES (1, 1, 1, 1, 'failed', 'Marie', '2026-01-03T10:00:00', 'Erreur 500', 'junit');
INSERT INTO execution_step(execution_id, position, status, comment) VALUES (1, 2, 'failed', '');
INSERT INTO execution_anomaly VALUES (1, 1);
INSERT INTO audit(at, actor, action, entity, ref) VALUES ('2026-01-01T00:00:00Z', 'ancien', 'create', 'exigence', 'EXI-001');
INSERT INTO signoff(id, campaign_id, decision, signed_at, actor, signatories, indicators)
  VALUES (1, 1, 'ajournement', '2026-01-04T09:00:00Z', 'ancien', '[\"Alice Martin, cheffe de projet\"]', '{}');
INSERT INTO audit(at, actor, action, entity, ref, after) VALUES ('2026-01-04T09:00:00Z', 'ancien', 'signoff', 'campagne', 'C1', '{\"signoff\":1}');
";

/// An automated result in the layout of versions 1 and 2 (rebuilt by migration 3).
const AUTOMATED_V1: &str = "
INSERT INTO automated_result(execution_id, format, source_file, suite_path, classname, name, message, failure_text)
  VALUES (1, 'junit', 'ci.xml', 'pytest', 'test_dossier', 'test_creation', 'Erreur 500', 'Traceback');
";

#[test]
fn every_earlier_schema_version_migrates_with_data_kept() {
    // DATA_V1 is in the layout of versions 1 to 5 (version 6 rebuilt the execution tables);
    // later versions are checked by `stores_from_version_6_on_migrate_to_the_current_schema`.
    for version in 1..SCHEMA_VERSION.min(6) {
        let p = Project::empty();
        Store::create_at_schema_version(&p.db(), version).unwrap();
        let conn = rusqlite::Connection::open(p.db()).unwrap();
        conn.execute_batch(DATA_V1).unwrap();
        if version < 3 {
            conn.execute_batch(AUTOMATED_V1).unwrap();
        }
        let v: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v, version);
        drop(conn);

        let req = p.json(&["req", "show", "EXI-001"]);
        assert_eq!(req["revision"], 2, "v{version}");
        assert_eq!(
            req["revisions"].as_array().map(Vec::len),
            Some(2),
            "v{version}"
        );
        assert_eq!(
            req["tests"][0]["suspect"], true,
            "v{version}: link made on revision 1"
        );
        let t = p.json(&["test", "show", "CT-001"]);
        assert_eq!(t["steps"][1]["expected"], "Dossier créé", "v{version}");
        assert_eq!(t["tags"][0], "smoke", "v{version}");
        let c = p.json(&["campaign", "show", "C1"]);
        assert_eq!(c["tests"][0]["status"], "failed", "v{version}");
        assert_eq!(c["tests"][0]["anomalies"][0], "FA-1", "v{version}");
        assert_eq!(
            p.json(&["anomaly", "list"])[0]["found_in"],
            "LIV-1",
            "v{version}"
        );
        if version < 3 {
            let r = p.json(&["results", "C1", "--details"]);
            assert!(r.to_string().contains("test_creation"), "v{version}: {r}");
        }
        // Executions recorded before versions and data sets read back as version 1, without
        // data set, their step results in place; the test case is at version 1.
        let e = p.json(&["execution", "show", "C1", "CT-001"]);
        assert_eq!(e[0]["test_version"], 1, "v{version}");
        assert_eq!(e[0]["dataset"], Value::Null, "v{version}");
        assert_eq!(e[0]["steps"][1]["action"], "Valider", "v{version}");
        assert_eq!(e[0]["steps"][1]["status"], "failed", "v{version}");
        assert_eq!(t["version"], 1, "v{version}");
        assert_eq!(
            t["versions"][0]["created_at"], "2026-01-01T00:00:00Z",
            "v{version}"
        );
        // Anomalies from before the lifecycle history read back, and move by its rule.
        let a = p.json(&["anomaly", "show", "FA-1"]);
        assert_eq!(a["assignee"], "", "v{version}");
        assert_eq!(a["history"], serde_json::json!([]), "v{version}");
        assert_eq!(a["executions"][0]["campaign"], "C1", "v{version}");
        p.fails(1, &["anomaly", "edit", "FA-1", "--status", "close"]);
        // A campaign that has results was started when its first result was recorded.
        let c = p.json(&["campaign", "show", "C1"]);
        assert_eq!(c["campaign"]["state"], "started", "v{version}");
        assert_eq!(
            c["campaign"]["started_at"], "2026-01-03T10:00:00",
            "v{version}"
        );
        // A sign-off recorded before signatories had parties reads back as the buyer's.
        let store = Store::open(
            &p.db(),
            recette::store::Context {
                actor: "t".into(),
                fixed_now: None,
            },
        )
        .unwrap();
        let signed = store.signoffs(Some("C1")).unwrap();
        assert_eq!(signed[0].signers[0].party, recette::signoff::Party::Buyer);
        assert_eq!(
            signed[0].signers[0].function, "cheffe de projet",
            "v{version}"
        );
        assert_eq!(signed[0].supersedes, None, "v{version}");
        drop(store);
        // The migrated store is sound (the audit rows already there are chained) and at the
        // current version, and takes new work.
        p.ok(&["check"]);
        p.ok(&["run", "C1", "CT-001", "--status", "OK"]);
        assert_eq!(
            p.json(&["execution", "show", "C1", "CT-001", "--attempt", "2"])[0]["attempt"],
            2,
            "v{version}"
        );
        let conn = rusqlite::Connection::open(p.db()).unwrap();
        let v: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v, SCHEMA_VERSION);
    }
}

#[test]
fn stores_from_version_6_on_migrate_to_the_current_schema() {
    for version in 6..SCHEMA_VERSION {
        let p = Project::empty();
        Store::create_at_schema_version(&p.db(), version).unwrap();
        p.ok(&["check"]);
        p.ok(&["req", "add", "EXI-001", "--title", "Créer"]);
        let conn = rusqlite::Connection::open(p.db()).unwrap();
        let v: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v, SCHEMA_VERSION, "from v{version}");
        // The accounts tables exist (migration 0009).
        let n: i64 = conn
            .query_row("SELECT COUNT(*) FROM account", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 0);
    }
}
