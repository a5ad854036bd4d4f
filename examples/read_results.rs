//! Reads result files with the library and prints a summary (and, with `-v`, one line per
//! result). Used to check the parsers by hand and to measure time and memory on big files:
//! `cargo run --release --example read_results -- bench/junit-100mb.xml`.

use std::path::PathBuf;
use std::time::Instant;

use recette::import::results::{expand_paths, link, read_results, ReadOptions};

fn main() {
    let mut verbose = false;
    let mut inputs = Vec::new();
    for a in std::env::args().skip(1) {
        if a == "-v" {
            verbose = true;
        } else {
            inputs.push(a);
        }
    }
    let paths: Vec<PathBuf> = match expand_paths(&inputs) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    };
    let pattern = link::IdPattern::default();
    let opts = ReadOptions::default();
    for path in paths {
        let started = Instant::now();
        let mut reqs = 0usize;
        let res = read_results(&path, None, &opts, &mut |r| {
            let ids = link::requirement_ids(&r, &pattern);
            reqs += ids.len();
            if verbose {
                println!(
                    "  {:>4} {:<9} {} | {} | flaky={} retries={} ids={:?} msg={:?}",
                    r.origin.row.unwrap_or(0),
                    r.status.code(),
                    r.key(),
                    r.duration_ms
                        .map(|d| format!("{d:.3}ms"))
                        .unwrap_or_default(),
                    r.flaky,
                    r.retries,
                    ids,
                    r.message
                        .as_deref()
                        .map(|m| m.chars().take(60).collect::<String>())
                );
            }
            Ok(())
        });
        match res {
            Ok(s) => println!(
                "{} [{}] {} results: {} passed, {} failed, {} not run, {} other, {} flaky; {} requirement links; {:.2?}",
                s.file,
                s.format,
                s.results,
                s.passed,
                s.failed,
                s.not_run,
                s.other,
                s.flaky,
                reqs,
                started.elapsed()
            ),
            Err(e) => println!("{} ERREUR {e}", path.display()),
        }
    }
}
