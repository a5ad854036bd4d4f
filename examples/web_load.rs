//! Load client for `bench/bench_web.sh`: N testers log in through the JSON API and record
//! executions with their steps for a fixed time against one `recette serve`, then the campaign
//! page is fetched by the lead. Prints executions per second, latency percentiles, errors, and
//! checks that every execution the server acknowledged (201) is in the store.
//!
//!   web_load URL DB CAMPAIGN TESTERS SECONDS STEPS TESTS
//!
//! Testers are the accounts `testeur-1`... `testeur-N`, password `bench-password-1`; the lead
//! is `pilote`. Tests are `CT-000001`... `CT-{TESTS}`; tester k records on the tests k, k+N,
//! k+2N... in turn, so concurrent writes hit different tests, as in a campaign spread evenly.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const PASSWORD: &str = "bench-password-1";

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(30)))
        .build()
        .into()
}

fn login(agent: &ureq::Agent, url: &str, name: &str) -> Result<String, String> {
    let mut resp = agent
        .post(&format!("{url}/api/v1/login"))
        .send_json(serde_json::json!({"user": name, "password": PASSWORD}))
        .map_err(|e| format!("login {name}: {e}"))?;
    let body: serde_json::Value = resp
        .body_mut()
        .read_json()
        .map_err(|e| format!("login {name}: {e}"))?;
    body["token"]
        .as_str()
        .map(str::to_string)
        .ok_or_else(|| format!("login {name}: no token in {body}"))
}

struct Tally {
    latencies: Vec<Duration>,
    ok: u64,
    errors: u64,
    first_error: Option<String>,
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)].as_secs_f64() * 1000.0
}

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 8 {
        return Err("usage: web_load URL DB CAMPAIGN TESTERS SECONDS STEPS TESTS".into());
    }
    let url = args[1].trim_end_matches('/').to_string();
    let db = args[2].clone();
    let campaign = args[3].clone();
    let num = |i: usize| -> Result<usize, String> {
        args[i]
            .parse::<usize>()
            .map_err(|e| format!("argument {i} « {} »: {e}", args[i]))
    };
    let testers = num(4)?;
    let seconds = num(5)?;
    let steps = num(6)?;
    let tests = num(7)?;
    let count = |db: &str| -> Result<i64, String> {
        let conn = rusqlite::Connection::open(db).map_err(|e| e.to_string())?;
        conn.query_row(
            "SELECT count(*) FROM execution e JOIN campaign c ON c.id = e.campaign_id WHERE c.ref = ?1",
            [&campaign],
            |r| r.get(0),
        )
        .map_err(|e| e.to_string())
    };
    let before = count(&db)?;

    // Log everyone in first: argon2 costs tens of milliseconds per login, not part of the load.
    let mut tokens = Vec::new();
    for k in 1..=testers {
        tokens.push(login(&agent(), &url, &format!("testeur-{k}"))?);
    }
    let stop = Arc::new(AtomicBool::new(false));
    let started = Instant::now();
    let mut handles = Vec::new();
    for (k, token) in tokens.into_iter().enumerate() {
        let url = url.clone();
        let campaign = campaign.clone();
        let stop = stop.clone();
        handles.push(std::thread::spawn(move || {
            let agent = agent();
            let mut tally = Tally {
                latencies: Vec::new(),
                ok: 0,
                errors: 0,
                first_error: None,
            };
            let mut t = k;
            let endpoint = format!("{url}/api/v1/campaigns/{campaign}/executions");
            while !stop.load(Ordering::Relaxed) {
                let test = format!("CT-{:06}", t % tests + 1);
                t += testers;
                let steps: Vec<_> = (1..=steps)
                    .map(|i| serde_json::json!({"index": i, "status": "OK", "actual": "conforme"}))
                    .collect();
                let body = serde_json::json!({
                    "test": test, "steps": steps, "comment": "charge"
                });
                let t0 = Instant::now();
                let resp = agent
                    .post(&endpoint)
                    .header("Authorization", &format!("Bearer {token}"))
                    .send_json(body);
                let took = t0.elapsed();
                match resp {
                    Ok(r) if r.status().as_u16() == 201 => {
                        tally.ok += 1;
                        tally.latencies.push(took);
                    }
                    Ok(mut r) => {
                        tally.errors += 1;
                        if tally.first_error.is_none() {
                            let status = r.status().as_u16();
                            let text = r.body_mut().read_to_string().unwrap_or_default();
                            tally.first_error = Some(format!("{status} {text}"));
                        }
                    }
                    Err(e) => {
                        tally.errors += 1;
                        if tally.first_error.is_none() {
                            tally.first_error = Some(e.to_string());
                        }
                    }
                }
            }
            tally
        }));
    }
    std::thread::sleep(Duration::from_secs(seconds as u64));
    stop.store(true, Ordering::Relaxed);
    let mut all = Vec::new();
    let (mut ok, mut errors, mut first_error) = (0, 0, None);
    for h in handles {
        let t = h
            .join()
            .map_err(|_| "a client thread panicked".to_string())?;
        ok += t.ok;
        errors += t.errors;
        all.extend(t.latencies);
        first_error = first_error.or(t.first_error);
    }
    let elapsed = started.elapsed().as_secs_f64();
    all.sort();
    let after = count(&db)?;
    let stored = after - before;
    let lost = ok as i64 - stored;
    println!(
        "testers={testers} steps={steps} seconds={elapsed:.1} executions={ok} rate={:.0}/s p50={:.1}ms p99={:.1}ms max={:.1}ms errors={errors} stored={stored} lost={lost}",
        ok as f64 / elapsed,
        percentile(&all, 0.50),
        percentile(&all, 0.99),
        percentile(&all, 1.0),
    );
    if let Some(e) = first_error {
        println!("first error: {e}");
    }

    // The campaign page, as the lead opens it (session cookie from the form login).
    let lead = agent();
    let token = login(&lead, &url, "pilote")?;
    let mut page = Vec::new();
    let mut size = 0;
    for _ in 0..20 {
        let t0 = Instant::now();
        let mut r = lead
            .get(&format!("{url}/campaigns/{campaign}"))
            .header("Authorization", &format!("Bearer {token}"))
            .call()
            .map_err(|e| e.to_string())?;
        let status = r.status().as_u16();
        let body = r.body_mut().read_to_string().map_err(|e| e.to_string())?;
        page.push(t0.elapsed());
        if status != 200 {
            return Err(format!("campaign page: HTTP {status}: {body:.200}"));
        }
        size = body.len();
    }
    page.sort();
    println!(
        "campaign page ({tests} tests, {} KiB): p50={:.1}ms p99={:.1}ms",
        size / 1024,
        percentile(&page, 0.50),
        percentile(&page, 0.99)
    );
    if lost != 0 {
        return Err(format!(
            "{lost} acknowledged executions missing from the store"
        ));
    }
    Ok(())
}
