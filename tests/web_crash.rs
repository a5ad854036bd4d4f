//! Killing `recette serve` (SIGKILL) during a burst of API writes: every execution it
//! acknowledged is in the store, none is half written (each has all its steps), attempts have
//! no gaps, and the server starts again on the same store.

#[path = "common/web.rs"]
mod web;

use std::sync::{Arc, Mutex};

use serde_json::json;
use web::{recette, Client, Site};

#[test]
fn a_server_killed_during_writes_leaves_no_half_written_execution_and_starts_again() {
    let site = Site::demo();
    let mut server = site.serve(&[]);
    let token = server.token("marie");
    let base = server.base.clone();
    let acknowledged = Arc::new(Mutex::new(Vec::<i64>::new()));
    let writers: Vec<_> = (0..3)
        .map(|_| {
            let (base, token, acknowledged) = (base.clone(), token.clone(), acknowledged.clone());
            std::thread::spawn(move || {
                let mut api = Client::with_token(&base, &token);
                for _ in 0..400 {
                    let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        api.post_json(
                            "/api/v1/campaigns/WEB-1/executions",
                            &json!({"test": "CT-IMM-001", "comment": "rafale",
                                    "steps": [{"index": 1, "status": "passed"},
                                              {"index": 2, "status": "passed"},
                                              {"index": 3, "status": "failed", "actual": "KO"}]}),
                        )
                    }));
                    match r {
                        Ok(r) if r.status == 201 => {
                            let a = r.json()["attempt"].as_i64().expect("attempt");
                            acknowledged.lock().expect("lock").push(a);
                        }
                        // The server is gone: stop.
                        _ => break,
                    }
                }
            })
        })
        .collect();
    // Let the burst run, then kill the server in the middle of it.
    loop {
        std::thread::sleep(std::time::Duration::from_millis(50));
        if acknowledged.lock().expect("lock").len() >= 20 {
            break;
        }
    }
    server.kill();
    for w in writers {
        let _ = w.join();
    }
    let acknowledged = acknowledged.lock().expect("lock").clone();
    assert!(acknowledged.len() >= 20);

    recette(&site.db, &["check"], None);
    let out = recette(
        &site.db,
        &["execution", "show", "WEB-1", "CT-IMM-001", "--json"],
        None,
    );
    let runs: serde_json::Value = serde_json::from_str(&out).expect("json");
    let runs = runs.as_array().expect("array");
    let attempts: Vec<i64> = runs
        .iter()
        .map(|r| r["attempt"].as_i64().expect("attempt"))
        .collect();
    assert_eq!(
        attempts,
        (1..=runs.len() as i64).collect::<Vec<_>>(),
        "no gap"
    );
    for a in &acknowledged {
        assert!(
            attempts.contains(a),
            "acknowledged attempt {a} is in the store"
        );
    }
    for r in runs {
        let steps: Vec<&serde_json::Value> = r["steps"]
            .as_array()
            .expect("steps")
            .iter()
            .filter(|s| !s["status"].is_null())
            .collect();
        assert_eq!(steps.len(), 3, "attempt {} has all its steps", r["attempt"]);
        assert_eq!(r["status"], "failed");
    }
    // It starts again on the same store and takes new work.
    let server = site.serve(&[]);
    let mut api = Client::with_token(&server.base, &token);
    let r = api.post_json(
        "/api/v1/campaigns/WEB-1/executions",
        &json!({"test": "CT-IMM-001", "status": "passed"}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.json()["attempt"], runs.len() as i64 + 1);
}
